//! Every string the screen shows in English has its Dutch translation, and none is left over.

use std::collections::BTreeSet;
use std::path::Path;

fn slint_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            slint_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "slint") {
            out.push(path);
        }
    }
}

fn marked_strings() -> BTreeSet<String> {
    let mut files = Vec::new();
    slint_files(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("ui"),
        &mut files,
    );
    let mut strings = BTreeSet::new();
    for file in files {
        let text = std::fs::read_to_string(&file).unwrap();
        for part in text.split("@tr(\"").skip(1) {
            strings.insert(part.split('"').next().unwrap().to_string());
        }
    }
    strings
}

fn dutch() -> Vec<(String, String)> {
    let po = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/ui/translations/nl/LC_MESSAGES/intervisie-kiosk.po"
    ))
    .unwrap();
    let mut pairs = Vec::new();
    let mut id = None;
    for line in po.lines() {
        if let Some(rest) = line.strip_prefix("msgid \"") {
            id = Some(rest.trim_end_matches('"').to_string());
        } else if let Some(rest) = line.strip_prefix("msgstr \"") {
            let id = id.take().expect("msgstr follows msgid");
            if !id.is_empty() {
                pairs.push((id, rest.trim_end_matches('"').to_string()));
            }
        }
    }
    pairs
}

#[test]
fn every_screen_string_has_dutch() {
    let marked = marked_strings();
    let translated = dutch();
    let ids: BTreeSet<String> = translated.iter().map(|(id, _)| id.clone()).collect();
    let missing: Vec<_> = marked.difference(&ids).collect();
    assert!(missing.is_empty(), "no Dutch for: {missing:#?}");
    let stale: Vec<_> = ids.difference(&marked).collect();
    assert!(
        stale.is_empty(),
        "translated but no longer used: {stale:#?}"
    );
    for (id, nl) in &translated {
        assert!(!nl.trim().is_empty(), "empty Dutch for `{id}`");
        assert_eq!(
            id.matches("{}").count(),
            nl.matches("{}").count(),
            "placeholders differ for `{id}`"
        );
    }
}
