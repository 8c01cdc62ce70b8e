//! `import-config`: the settings IT put on the SD card's boot partition become the kiosk's
//! config and PIN, and the plain copy (with the PIN in it) is erased from the card.

use crate::config::card::{CARD_ERROR_FILE_NAME, CardSettings};
use crate::domain::diagnostic::FileError;
use crate::store::dir::data_dir;
use crate::store::{Paths, files, pin};
use anyhow::{Context as _, Result};
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

/// Takes `card` into the config at `to` and the PIN file of the data directory (`data_dir`, or
/// the one the card's settings name). All or nothing: the plain file is erased only once both
/// are on disk, and a file with errors changes nothing.
pub fn import(card: &Path, to: &Path, explicit_data_dir: Option<&Path>) -> Result<i32> {
    let name = card.display().to_string();
    let error_file = beside(card, CARD_ERROR_FILE_NAME);
    let text = std::fs::read_to_string(card)
        .with_context(|| format!("cannot read the card's settings {name}"))?;
    let settings = match CardSettings::parse(&name, &text) {
        Ok(settings) => settings,
        Err(errors) => return refuse(&errors, &error_file, to),
    };
    let pin = match &settings.pin {
        Some((digits, line)) => match pin::check_format(digits) {
            Ok(()) => Some(digits.as_str()),
            Err(e) => {
                let error = FileError {
                    file: name.clone(),
                    line: Some(*line),
                    field: Some("pin".into()),
                    reason: e.to_string(),
                };
                return refuse(&[error], &error_file, to);
            }
        },
        None => None,
    };

    files::replace_durably(to, settings.config_text.as_bytes())
        .with_context(|| format!("cannot write the config {}", to.display()))?;
    // The kiosk's own user reads it; it holds no secret now.
    std::fs::set_permissions(to, std::fs::Permissions::from_mode(0o644))
        .with_context(|| format!("cannot make {} readable", to.display()))?;
    let dir = data_dir(explicit_data_dir.or(settings.config.data_dir.as_deref()));
    if let Some(pin) = pin {
        files::ensure_private_dir(&dir)
            .with_context(|| format!("cannot make the data directory {}", dir.display()))?;
        let path = Paths::new(&dir).pin;
        pin::store(&path, pin)?;
        give_to_owner_of(&dir, &path)?;
    }
    files::shred(card).with_context(|| format!("cannot erase {name}"))?;
    files::remove_durably(&error_file)
        .with_context(|| format!("cannot remove {}", error_file.display()))?;
    println!(
        "took the settings from {name} into {} (room \"{}\", language {}); {}; {name} is \
         erased",
        to.display(),
        settings.config.room_name,
        settings.config.language.code(),
        match pin {
            Some(_) => format!("the PIN is kept as a hash in {}", dir.display()),
            None => "no PIN in it: the one set before (if any) stays".to_string(),
        },
    );
    Ok(0)
}

/// Says every error on standard error and in `error_file`, and changes nothing else.
fn refuse(errors: &[FileError], error_file: &Path, to: &Path) -> Result<i32> {
    let mut report = format!(
        "These settings were not taken: nothing changed in {}, and the file stays on the card \
         until it is right.\n\n",
        to.display()
    );
    for e in errors {
        eprintln!("error: {e}");
        report.push_str(&format!("{e}\n"));
    }
    if let Err(e) = files::replace_durably(error_file, report.as_bytes()) {
        eprintln!("error: cannot write {}: {e}", error_file.display());
    }
    eprintln!(
        "the card's settings have {} error(s); nothing changed (also written to {})",
        errors.len(),
        error_file.display()
    );
    Ok(1)
}

fn beside(path: &Path, name: &str) -> PathBuf {
    path.parent().unwrap_or(Path::new(".")).join(name)
}

/// Root writes the PIN at boot, the kiosk's user reads it: the file gets its directory's owner.
fn give_to_owner_of(dir: &Path, file: &Path) -> Result<()> {
    use std::os::unix::fs::MetadataExt;
    let owner = std::fs::metadata(dir)?;
    let mine = std::fs::metadata(file)?;
    if (mine.uid(), mine.gid()) != (owner.uid(), owner.gid()) {
        std::os::unix::fs::chown(file, Some(owner.uid()), Some(owner.gid()))
            .with_context(|| format!("cannot give {} to its directory's owner", file.display()))?;
    }
    Ok(())
}
