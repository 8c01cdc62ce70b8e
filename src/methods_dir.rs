//! Reading extra method files from the directory named in the config. The only filesystem access
//! for methods; everything it reads is validated by the pure library.

use crate::domain::library::SourceFile;
use crate::domain::method_file::FileError;
use std::path::Path;

/// Reads every `*.toml` file in `dir`, in name order. Files that cannot be read are reported, not
/// fatal: the kiosk runs with the methods it could read.
pub fn read_method_files(dir: &Path) -> (Vec<SourceFile>, Vec<FileError>) {
    let problem = |file: &Path, reason: String| FileError {
        file: file.display().to_string(),
        line: None,
        field: None,
        reason,
    };
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            return (
                Vec::new(),
                vec![problem(
                    dir,
                    format!("cannot read the methods directory: {e}"),
                )],
            );
        }
    };
    let mut paths: Vec<_> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|ext| ext == "toml") && p.is_file())
        .collect();
    paths.sort();
    let mut files = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        match std::fs::read_to_string(&path) {
            Ok(text) => files.push(SourceFile {
                name: path.display().to_string(),
                text,
            }),
            Err(e) => errors.push(problem(&path, format!("cannot read: {e}"))),
        }
    }
    (files, errors)
}
