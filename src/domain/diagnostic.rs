//! Problems found in a file someone wrote (a method file, the config): each names the file, the
//! line, the field and the reason, and one file's problems are collected together so all of
//! them are said at once.

use serde::Deserialize;
use std::fmt;
use std::ops::RangeInclusive;
use toml::Spanned;

/// One problem in one file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileError {
    pub file: String,
    pub line: Option<usize>,
    /// Where in the file's structure, e.g. `phases.informatie.minutes`.
    pub field: Option<String>,
    pub reason: String,
}

impl FileError {
    /// A problem with the file as a whole (it cannot be read, say).
    pub fn whole_file(file: &str, reason: impl Into<String>) -> FileError {
        FileError {
            file: file.to_string(),
            line: None,
            field: None,
            reason: reason.into(),
        }
    }
}

impl fmt::Display for FileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(field) = &self.field {
            write!(f, ": {field}")?;
        }
        write!(f, ": {}", self.reason)
    }
}

impl std::error::Error for FileError {}

/// The 1-based line of byte `offset` in `source`.
pub fn line_of(source: &str, offset: usize) -> usize {
    let end = offset.min(source.len());
    source.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// The option a value at `offset` was written for: the keys before it on its line (the key of
/// an inline table and the key inside it), under the last table header above it, as in
/// `buttons.enabled` or `phases.minutes.min`. `None` when no key comes before it on the line
/// (an unknown key is itself at `offset`, and its message names it).
fn field_at(source: &str, offset: usize) -> Option<String> {
    let before = source.get(..offset)?;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let mut keys: Vec<String> = Vec::new();
    let mut depth = 0usize;
    let mut quoted = false;
    // The bare word being read, and the last one read: the key when `=` follows.
    let mut word = String::new();
    let mut last_word = String::new();
    for c in before[line_start..].chars() {
        if quoted {
            quoted = c != '"';
            continue;
        }
        if c.is_ascii_alphanumeric() || c == '_' || c == '-' {
            word.push(c);
            continue;
        }
        if !word.is_empty() {
            last_word = std::mem::take(&mut word);
        }
        match c {
            '"' => quoted = true,
            '=' => {
                keys.truncate(depth);
                keys.push(std::mem::take(&mut last_word));
            }
            '{' => depth += 1,
            '}' => depth = depth.saturating_sub(1),
            ',' => keys.truncate(depth),
            _ => {}
        }
    }
    if keys.is_empty() {
        return None;
    }
    let table = source[..line_start].lines().rev().find_map(|l| {
        let t = l.trim();
        t.starts_with('[')
            .then(|| t.trim_matches(|c| c == '[' || c == ']').trim().to_string())
    });
    Some(match table {
        Some(table) => format!("{table}.{}", keys.join(".")),
        None => keys.join("."),
    })
}

/// Serde's words for a wrong type, in the words of someone writing the file.
fn plain_reason(reason: &str) -> String {
    let mut plain = reason
        .replace("expected i64", "expected a whole number")
        .replace("expected f64", "expected a number")
        .replace("expected u32", "expected a whole number")
        .replace("expected u8", "expected a whole number");
    while let Some(at) = plain.find("expected struct Raw") {
        let end = plain[at..]
            .find(|c: char| !(c.is_alphanumeric() || c == ' '))
            .map_or(plain.len(), |e| at + e);
        plain.replace_range(at..end, "expected a table, written { key = value, … }");
    }
    plain
}

/// The problems of one file, turning byte offsets into line numbers.
pub struct Diagnostics<'a> {
    file: &'a str,
    source: &'a str,
    errors: Vec<FileError>,
}

impl<'a> Diagnostics<'a> {
    pub fn new(file: &'a str, source: &'a str) -> Self {
        Diagnostics {
            file,
            source,
            errors: Vec::new(),
        }
    }

    /// The TOML as written, or the one error that stops it being read at all.
    pub fn parse<T: for<'de> Deserialize<'de>>(&self) -> Result<T, Vec<FileError>> {
        toml::from_str(self.source).map_err(|e| {
            let at = e.span().map(|s| s.start);
            vec![FileError {
                file: self.file.to_string(),
                line: at.map(|offset| line_of(self.source, offset)),
                field: at.and_then(|offset| field_at(self.source, offset)),
                reason: plain_reason(e.message().trim()),
            }]
        })
    }

    pub fn error(&mut self, offset: usize, field: impl Into<String>, reason: impl Into<String>) {
        self.errors.push(FileError {
            file: self.file.to_string(),
            line: Some(line_of(self.source, offset)),
            field: Some(field.into()),
            reason: reason.into(),
        });
    }

    /// A whole number written for `field`, if it lies in `range`; otherwise the error says it
    /// "must be `allowed`" and what was written.
    pub fn whole<T>(
        &mut self,
        value: &Spanned<i64>,
        field: &str,
        range: RangeInclusive<T>,
        allowed: &str,
    ) -> Option<T>
    where
        T: TryFrom<i64> + PartialOrd,
    {
        match T::try_from(*value.get_ref()) {
            Ok(v) if range.contains(&v) => Some(v),
            _ => {
                let reason = format!("must be {allowed}, got {}", value.get_ref());
                self.error(value.span().start, field, reason);
                None
            }
        }
    }

    pub fn finish<T>(self, value: T) -> Result<T, Vec<FileError>> {
        if self.errors.is_empty() {
            Ok(value)
        } else {
            Err(self.errors)
        }
    }
}

#[cfg(test)]
mod field_tests {
    use super::*;

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct Raw {
        default_members: Option<i64>,
        minutes: Option<RawBounds>,
        buttons: Option<RawButtons>,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct RawBounds {
        min: f64,
        max: f64,
    }

    #[derive(Deserialize, Debug)]
    #[allow(dead_code)]
    struct RawButtons {
        enabled: bool,
    }

    fn error(text: &str) -> String {
        Diagnostics::new("c.toml", text).parse::<Raw>().unwrap_err()[0].to_string()
    }

    /// Issue 15, 6: a wrong type named no option (`…:1: invalid type: string "six", expected i64`).
    #[test]
    fn a_wrong_type_names_the_option() {
        assert_eq!(
            error("default_members = \"six\"\n"),
            "c.toml:1: default_members: invalid type: string \"six\", expected a whole number"
        );
        assert_eq!(
            error("# x\nminutes = { min = \"1\", max = 2 }\n"),
            "c.toml:2: minutes.min: invalid type: string \"1\", expected a number"
        );
        assert_eq!(
            error("[buttons]\nenabled = 1\n"),
            "c.toml:2: buttons.enabled: invalid type: integer `1`, expected a boolean"
        );
        assert_eq!(
            error("minutes = \"4-8\"\n"),
            "c.toml:1: minutes: invalid type: string \"4-8\", expected a table, written { key = value, … }"
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Raw {
        n: Spanned<i64>,
    }

    #[test]
    fn errors_name_the_line_and_what_is_allowed() {
        let source = "# a comment\n\nn = 40\n";
        let mut diagnostics = Diagnostics::new("x.toml", source);
        let raw: Raw = diagnostics.parse().unwrap();
        assert_eq!(diagnostics.whole(&raw.n, "n", 1u8..=12, "1 to 12"), None);
        assert_eq!(
            diagnostics.whole(&raw.n, "n", 1u8..=40, "1 to 40"),
            Some(40)
        );
        let errors = diagnostics.finish(()).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].to_string(),
            "x.toml:3: n: must be 1 to 12, got 40"
        );
    }

    #[test]
    fn a_number_too_large_for_the_type_is_out_of_range_too() {
        let raw: Raw = toml::from_str("n = 300").unwrap();
        let mut diagnostics = Diagnostics::new("x.toml", "n = 300");
        assert_eq!(diagnostics.whole(&raw.n, "n", 0u8..=255, "0 to 255"), None);
    }

    #[test]
    fn a_file_that_is_not_toml_says_where() {
        let errors = Diagnostics::new("x.toml", "a = 1\nb = \n")
            .parse::<toml::Value>()
            .unwrap_err();
        assert_eq!(errors[0].line, Some(2));
    }
}
