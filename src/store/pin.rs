//! The PIN that IT may set for history, settings and wiping: an Argon2id hash in a file of its
//! own, and a back-off after wrong attempts that a restart does not reset.

use super::files;
use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use std::path::Path;

pub const MIN_DIGITS: usize = 4;
pub const MAX_DIGITS: usize = 8;
/// Wrong attempts allowed before the first wait.
pub const FREE_ATTEMPTS: u32 = 3;

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PinError {
    #[error("a PIN is {MIN_DIGITS} to {MAX_DIGITS} digits")]
    Format,
    #[error("the PIN file {path}: {reason}")]
    File { path: String, reason: String },
}

pub fn check_format(pin: &str) -> Result<(), PinError> {
    let ok =
        (MIN_DIGITS..=MAX_DIGITS).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit());
    if ok { Ok(()) } else { Err(PinError::Format) }
}

/// Hashes `pin` with Argon2id and a random salt, in the PHC string format.
pub fn hash(pin: &str) -> Result<String, PinError> {
    check_format(pin)?;
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| PinError::File {
        path: "-".into(),
        reason: format!("no random numbers: {e}"),
    })?;
    let salt = SaltString::encode_b64(&salt).expect("16 bytes make a valid salt");
    Ok(Argon2::default()
        .hash_password(pin.as_bytes(), &salt)
        .expect("Argon2id with default parameters hashes any PIN")
        .to_string())
}

/// Writes the hash for `pin` to `path`, replacing any earlier PIN.
pub fn store(path: &Path, pin: &str) -> Result<(), PinError> {
    let phc = hash(pin)?;
    files::replace_durably(path, format!("{phc}\n").as_bytes()).map_err(|e| PinError::File {
        path: path.display().to_string(),
        reason: e.to_string(),
    })
}

/// Whether a PIN is set (a PIN file exists).
pub fn is_set(path: &Path) -> bool {
    path.exists()
}

/// Checks `pin` against the hash in `path`. A damaged file refuses every PIN: IT sets it again.
pub fn verify(path: &Path, pin: &str) -> Result<bool, PinError> {
    let text = std::fs::read_to_string(path).map_err(|e| PinError::File {
        path: path.display().to_string(),
        reason: e.to_string(),
    })?;
    let parsed = PasswordHash::new(text.trim()).map_err(|e| PinError::File {
        path: path.display().to_string(),
        reason: format!(
            "not an Argon2 hash ({e}); set the PIN again with `intervisie-kiosk set-pin`"
        ),
    })?;
    Ok(Argon2::default()
        .verify_password(pin.as_bytes(), &parsed)
        .is_ok())
}

/// How long to wait after `failures` wrong PINs in a row: nothing for the first few, then
/// 30 s, doubling, up to 15 minutes.
pub fn wait_after(failures: u32) -> std::time::Duration {
    if failures < FREE_ATTEMPTS {
        return std::time::Duration::ZERO;
    }
    let doublings = (failures - FREE_ATTEMPTS).min(5);
    std::time::Duration::from_secs((30u64 << doublings).min(15 * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stored_pin_verifies_and_a_wrong_one_does_not() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pin");
        assert!(!is_set(&path));
        store(&path, "2468").unwrap();
        assert!(is_set(&path));
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("$argon2id$"), "{text}");
        assert!(!text.contains("2468"));
        assert!(verify(&path, "2468").unwrap());
        assert!(!verify(&path, "2469").unwrap());
    }

    #[test]
    fn pins_are_four_to_eight_digits() {
        assert_eq!(check_format("123"), Err(PinError::Format));
        assert_eq!(check_format("12a4"), Err(PinError::Format));
        assert_eq!(check_format("123456789"), Err(PinError::Format));
        assert!(check_format("1234").is_ok());
        assert!(check_format("12345678").is_ok());
    }

    #[test]
    fn a_damaged_pin_file_refuses_and_says_how_to_fix_it() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("pin");
        std::fs::write(&path, "1234").unwrap();
        let e = verify(&path, "1234").unwrap_err().to_string();
        assert!(e.contains("set-pin"), "{e}");
    }

    #[test]
    fn the_wait_grows_with_wrong_attempts() {
        let s = |n| wait_after(n).as_secs();
        assert_eq!((s(0), s(1), s(2)), (0, 0, 0));
        assert_eq!((s(3), s(4), s(5)), (30, 60, 120));
        assert_eq!(s(8), 900);
        assert_eq!(s(100), 900);
    }
}
