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
            vec![FileError {
                file: self.file.to_string(),
                line: e.span().map(|s| line_of(self.source, s.start)),
                field: None,
                reason: e.message().trim().to_string(),
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
