//! Bilingual text: every string shown to a person exists in Dutch and English.

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// The languages the kiosk speaks. Dutch comes first: the practice is Dutch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::Nl, Lang::En];

    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "nl" => Ok(Lang::Nl),
            "en" => Ok(Lang::En),
            other => Err(format!(
                "unknown language `{other}` (expected `nl` or `en`)"
            )),
        }
    }
}

/// A text in both languages.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub nl: String,
    pub en: String,
}

impl Text {
    pub fn new(nl: impl Into<String>, en: impl Into<String>) -> Self {
        Text {
            nl: nl.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }

    /// The language whose text is empty or blank, if any.
    pub fn missing_language(&self) -> Option<Lang> {
        Lang::ALL
            .into_iter()
            .find(|&lang| self.get(lang).trim().is_empty())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_the_language() {
        let t = Text::new("Volgende", "Next");
        assert_eq!(t.get(Lang::Nl), "Volgende");
        assert_eq!(t.get(Lang::En), "Next");
    }

    #[test]
    fn blank_translation_is_missing() {
        assert_eq!(Text::new("ja", " ").missing_language(), Some(Lang::En));
        assert_eq!(Text::new("", "yes").missing_language(), Some(Lang::Nl));
        assert_eq!(Text::new("ja", "yes").missing_language(), None);
    }

    #[test]
    fn parses_language_codes() {
        assert_eq!("NL".parse::<Lang>(), Ok(Lang::Nl));
        assert_eq!("en".parse::<Lang>(), Ok(Lang::En));
        assert!("de".parse::<Lang>().is_err());
    }
}
