//! The settings IT writes on the SD card's boot partition before the first boot: the kiosk's
//! own config format plus one `pin` line. Split here into the config to keep (with the PIN
//! line blanked out, so every other line keeps its number) and the PIN, which is kept only as
//! a hash; nothing is taken unless all of it is right.

use super::Config;
use crate::domain::diagnostic::{Diagnostics, FileError};
use serde::Deserialize;
use toml::Spanned;

/// The file's name on the boot partition (`/boot/firmware` on Debian and Raspberry Pi OS).
pub const CARD_FILE_NAME: &str = "intervisie-kiosk.toml";
/// Written beside it when it cannot be taken, so IT reads why on the laptop that wrote it.
pub const CARD_ERROR_FILE_NAME: &str = "intervisie-kiosk-error.txt";

/// What stands where the PIN was in the config that is kept.
const PIN_TAKEN: &str = "# pin: taken at boot and kept only as a hash (set-pin changes it)";

/// A card's settings, checked.
#[derive(Debug, PartialEq)]
pub struct CardSettings {
    /// The config file to keep, as IT wrote it but for the PIN line.
    pub config_text: String,
    pub config: Config,
    /// The PIN as written (digits only, checked by the store's own rule by the caller), and the
    /// line it is on.
    pub pin: Option<(String, usize)>,
}

#[derive(Deserialize)]
struct RawCard {
    pin: Option<Spanned<toml::Value>>,
}

impl CardSettings {
    /// Reads the card's file `text` (named `file` in errors).
    pub fn parse(file: &str, text: &str) -> Result<CardSettings, Vec<FileError>> {
        let check = Diagnostics::new(file, text);
        let raw: RawCard = check.parse()?;
        let Some(pin) = raw.pin else {
            let config = Config::parse(file, text)?;
            return Ok(CardSettings {
                config_text: text.to_string(),
                config,
                pin: None,
            });
        };
        let line = crate::domain::diagnostic::line_of(text, pin.span().start);
        let config_text = blank_lines(text, pin.span(), PIN_TAKEN);
        let mut errors = Vec::new();
        let digits = match pin.get_ref() {
            toml::Value::String(s) => Some(s.trim().to_string()),
            toml::Value::Integer(n) => Some(n.to_string()),
            _ => None,
        };
        if digits.is_none() {
            errors.push(FileError {
                file: file.to_string(),
                line: Some(line),
                field: Some("pin".into()),
                reason: "must be 4 to 8 digits, written in quotes: pin = \"1234\"".into(),
            });
        }
        let config = match Config::parse(file, &config_text) {
            Ok(config) => Some(config),
            Err(more) => {
                errors.extend(more);
                None
            }
        };
        match (config, digits) {
            (Some(config), Some(digits)) if errors.is_empty() => Ok(CardSettings {
                config_text,
                config,
                pin: Some((digits, line)),
            }),
            _ => Err(errors),
        }
    }
}

/// `text` with the lines that `span` touches replaced by one line `instead`; the other lines
/// keep their numbers.
fn blank_lines(text: &str, span: std::ops::Range<usize>, instead: &str) -> String {
    let start = text[..span.start].rfind('\n').map_or(0, |i| i + 1);
    let end = text[span.end..]
        .find('\n')
        .map_or(text.len(), |i| span.end + i);
    let mut out = String::with_capacity(text.len());
    out.push_str(&text[..start]);
    out.push_str(instead);
    // A multi-line value (a ''' string) would shift the lines below it: keep them as blanks.
    for _ in text[start..end].matches('\n') {
        out.push('\n');
    }
    out.push_str(&text[end..]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const CARD: &str =
        "room_name = \"Zaal 3\"\npin = \"0427\"\nlanguage = \"en\"\n\n[buttons]\nnext_pin = 5\n";

    #[test]
    fn the_pin_is_taken_out_and_the_rest_is_the_config() {
        let card = CardSettings::parse("card.toml", CARD).unwrap();
        assert_eq!(card.pin, Some(("0427".to_string(), 2)));
        assert!(!card.config_text.contains("0427"), "{}", card.config_text);
        assert_eq!(card.config_text.lines().count(), CARD.lines().count());
        assert_eq!(card.config.room_name, "Zaal 3");
        assert_eq!(card.config.language, crate::domain::text::Lang::En);
        assert_eq!(card.config.buttons.next_pin, 5);
        assert_eq!(
            Config::parse("kept", &card.config_text).unwrap(),
            card.config
        );
    }

    #[test]
    fn a_card_without_a_pin_is_a_plain_config() {
        let card = CardSettings::parse("card.toml", "room_name = \"Zaal 3\"\n").unwrap();
        assert_eq!(card.pin, None);
        assert_eq!(card.config_text, "room_name = \"Zaal 3\"\n");
    }

    #[test]
    fn a_pin_written_as_a_number_is_read_as_its_digits() {
        let card = CardSettings::parse("card.toml", "pin = 4711\n").unwrap();
        assert_eq!(card.pin, Some(("4711".to_string(), 1)));
    }

    #[test]
    fn every_error_names_its_line_and_nothing_is_taken() {
        let text = "pin = true\nroom_name = \"\"\n";
        let errors = CardSettings::parse("card.toml", text).unwrap_err();
        let said: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(errors.len(), 2, "{said:?}");
        assert!(
            said[0].starts_with("card.toml:1: pin: must be 4 to 8 digits"),
            "{said:?}"
        );
        assert!(said[1].starts_with("card.toml:2: room_name"), "{said:?}");
    }

    #[test]
    fn a_line_number_after_the_pin_is_the_line_in_the_card() {
        let errors = CardSettings::parse("card.toml", CARD.replace("5", "99").as_str())
            .unwrap_err()
            .into_iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>();
        assert!(
            errors[0].starts_with("card.toml:6: buttons.next_pin"),
            "{errors:?}"
        );
    }
}
