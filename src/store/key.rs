//! The database key: 256 random bits in a file of its own. Destroying this file is what makes a
//! wipe trustworthy, so it is written to disk before the database it protects exists.

use super::files;
use std::fmt;
use std::io;
use std::path::Path;

pub struct Key([u8; 32]);

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(…)")
    }
}

#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    #[error("cannot read the key file {path}: {source}")]
    Read { path: String, source: io::Error },
    #[error("the key file {path} is damaged: {reason}")]
    Damaged { path: String, reason: String },
    /// Overwritten with zeros: a wipe destroyed it and was cut short before removing it.
    #[error("the key file {path} was overwritten by a wipe")]
    Shredded { path: String },
    #[error("cannot write the key file {path}: {source}")]
    Write { path: String, source: io::Error },
    #[error("no random numbers from the system: {0}")]
    Random(String),
}

impl Key {
    pub fn generate() -> Result<Key, KeyError> {
        let mut bytes = [0u8; 32];
        getrandom::fill(&mut bytes).map_err(|e| KeyError::Random(e.to_string()))?;
        Ok(Key(bytes))
    }

    /// Creates a new key and writes it durably to `path` (which must not exist yet).
    pub fn create(path: &Path) -> Result<Key, KeyError> {
        let key = Key::generate()?;
        files::create_durably(path, key.hex().as_bytes()).map_err(|source| KeyError::Write {
            path: path.display().to_string(),
            source,
        })?;
        Ok(key)
    }

    pub fn read(path: &Path) -> Result<Key, KeyError> {
        let name = path.display().to_string();
        let text = std::fs::read(path).map_err(|source| KeyError::Read {
            path: name.clone(),
            source,
        })?;
        let damaged = |reason: &str| KeyError::Damaged {
            path: name.clone(),
            reason: reason.to_string(),
        };
        if !text.is_empty() && text.iter().all(|&b| b == 0) {
            return Err(KeyError::Shredded { path: name });
        }
        let text = std::str::from_utf8(&text).map_err(|_| damaged("not text"))?;
        let hex = text.trim();
        if hex.len() != 64 {
            return Err(damaged("expected 64 hexadecimal digits"));
        }
        let mut bytes = [0u8; 32];
        for (i, byte) in bytes.iter_mut().enumerate() {
            *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16)
                .map_err(|_| damaged("expected 64 hexadecimal digits"))?;
        }
        if bytes.iter().all(|&b| b == 0) {
            return Err(KeyError::Shredded { path: name });
        }
        Ok(Key(bytes))
    }

    /// Whether the file at `path` is a key a wipe overwrote (and has not yet removed).
    pub fn is_destroyed(path: &Path) -> bool {
        matches!(Key::read(path), Err(KeyError::Shredded { .. }))
    }

    fn hex(&self) -> String {
        self.0.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// The key as SQLCipher takes a raw key: no passphrase derivation, the bytes are the key.
    pub fn sql_literal(&self) -> String {
        format!("x'{}'", self.hex())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_reads_back_as_written() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        let key = Key::create(&path).unwrap();
        assert_eq!(Key::read(&path).unwrap().0, key.0);
        assert_ne!(Key::generate().unwrap().0, key.0);
    }

    #[test]
    fn a_damaged_key_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("k");
        std::fs::write(&path, "abc").unwrap();
        let e = Key::read(&path).unwrap_err().to_string();
        assert!(e.contains("damaged") && e.contains("64"), "{e}");
        std::fs::write(&path, [0u8; 64]).unwrap();
        assert!(matches!(Key::read(&path), Err(KeyError::Shredded { .. })));
        std::fs::write(&path, "0".repeat(64)).unwrap();
        assert!(Key::read(&path).unwrap_err().to_string().contains("wipe"));
    }

    #[test]
    fn the_key_never_shows_in_debug_output() {
        let key = Key::generate().unwrap();
        assert_eq!(format!("{key:?}"), "Key(…)");
    }
}
