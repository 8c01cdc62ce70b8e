//! The method library: the built-in methods embedded in the binary, plus extra methods that IT
//! may add or override by id. Pure: extra files arrive as text, read by the caller.

use super::method::Method;
use super::method_file::{FileError, Frame, parse_frame, parse_method};

/// The built-in method files, in the order they are offered.
const BUILT_IN: [(&str, &str); 5] = [
    (
        "assets/methods/incident.toml",
        include_str!("../../assets/methods/incident.toml"),
    ),
    (
        "assets/methods/vijf-stappen.toml",
        include_str!("../../assets/methods/vijf-stappen.toml"),
    ),
    (
        "assets/methods/socratisch.toml",
        include_str!("../../assets/methods/socratisch.toml"),
    ),
    (
        "assets/methods/roddel.toml",
        include_str!("../../assets/methods/roddel.toml"),
    ),
    (
        "assets/methods/balint.toml",
        include_str!("../../assets/methods/balint.toml"),
    ),
];

const FRAME: (&str, &str) = (
    "assets/meeting-frame.toml",
    include_str!("../../assets/meeting-frame.toml"),
);

/// One file's name and text, as read from disk by the caller.
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug)]
pub struct Library {
    methods: Vec<Method>,
    frame: Frame,
}

/// A problem with an extra method file: the file was skipped, the rest loaded.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Skipped {
    pub errors: Vec<FileError>,
}

impl Library {
    /// The methods shipped in the binary. They are checked by the test suite, so a failure here
    /// is a build defect, not bad input.
    pub fn built_in() -> Library {
        let methods = BUILT_IN
            .iter()
            .map(|(name, text)| {
                let mut method = parse_method(name, text)
                    .unwrap_or_else(|e| panic!("built-in method is invalid: {}", e[0]));
                method.origin = "built-in".to_string();
                method
            })
            .collect();
        let frame = parse_frame(FRAME.0, FRAME.1)
            .unwrap_or_else(|e| panic!("built-in meeting frame is invalid: {}", e[0]));
        Library { methods, frame }
    }

    /// Adds the methods of `files`; a method whose id is already present replaces it. A file that
    /// does not validate is skipped and its errors returned; the others still load.
    pub fn with_extra(mut self, files: Vec<SourceFile>) -> (Library, Vec<FileError>) {
        let mut problems = Vec::new();
        let mut extra_ids: Vec<(String, String)> = Vec::new();
        for file in files {
            match parse_method(&file.name, &file.text) {
                Ok(method) => {
                    if let Some((_, earlier)) = extra_ids.iter().find(|(id, _)| *id == method.id) {
                        problems.push(FileError {
                            file: file.name.clone(),
                            line: None,
                            field: Some("id".into()),
                            reason: format!(
                                "method id `{}` is already defined by {earlier}; this file is skipped",
                                method.id
                            ),
                        });
                        continue;
                    }
                    extra_ids.push((method.id.clone(), file.name.clone()));
                    match self.methods.iter_mut().find(|m| m.id == method.id) {
                        Some(existing) => *existing = method,
                        None => self.methods.push(method),
                    }
                }
                Err(errors) => problems.extend(errors),
            }
        }
        (self, problems)
    }

    pub fn methods(&self) -> &[Method] {
        &self.methods
    }

    pub fn get(&self, id: &str) -> Option<&Method> {
        self.methods.iter().find(|m| m.id == id)
    }

    pub fn frame(&self) -> &Frame {
        &self.frame
    }

    pub fn ids(&self) -> Vec<&str> {
        self.methods.iter().map(|m| m.id.as_str()).collect()
    }
}

/// Validates extra method files as the kiosk would load them, returning how many are valid and
/// every error of every file (including two files claiming the same id).
pub fn check_files(files: Vec<SourceFile>) -> (usize, Vec<FileError>) {
    let count = files.len();
    let (_, errors) = Library::built_in().with_extra(files);
    let bad: std::collections::HashSet<&str> = errors.iter().map(|e| e.file.as_str()).collect();
    (count - bad.len(), errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::method::{Actor, MINUTE};

    fn file(name: &str, text: String) -> SourceFile {
        SourceFile {
            name: name.into(),
            text,
        }
    }

    #[test]
    fn the_five_methods_of_the_seeds_are_built_in() {
        let library = Library::built_in();
        assert_eq!(
            library.ids(),
            ["incident", "vijf-stappen", "socratisch", "roddel", "balint"]
        );
        for m in library.methods() {
            assert_eq!(m.origin, "built-in");
            let length = m.default_length(6);
            assert!(
                (30 * MINUTE..=75 * MINUTE).contains(&length),
                "{}: {length}",
                m.id
            );
            assert!(
                m.phases.iter().any(|p| p.actor == Actor::Inbrenger),
                "{}",
                m.id
            );
        }
    }

    #[test]
    fn the_mechanics_of_the_seeds_are_there() {
        let library = Library::built_in();
        let roddel = library.get("roddel").unwrap();
        assert!(roddel.phases.iter().any(|p| p.mechanics.inbrenger_outside));
        assert!(
            roddel
                .phases
                .iter()
                .any(|p| p.mechanics.question_limit == Some(3))
        );
        let socratisch = library.get("socratisch").unwrap();
        assert!(socratisch.phases.iter().any(|p| p.mechanics.rating));
        assert_eq!(socratisch.default_rounds(), 2);
        let balint = library.get("balint").unwrap();
        assert!(balint.phases.iter().any(|p| p.actor == Actor::Silent));
        assert!(
            library
                .methods()
                .iter()
                .flat_map(|m| &m.phases)
                .any(|p| p.mechanics.inbrenger_silent)
        );
    }

    /// In Inter a capital I looks like a small l: "Ieder" reads as "leder" (leather).
    #[test]
    fn no_dutch_text_starts_a_word_with_capital_ie() {
        let library = Library::built_in();
        let frame = library.frame();
        let phases = library
            .methods()
            .iter()
            .flat_map(|m| &m.phases)
            .chain(&frame.opening)
            .chain(&frame.closing);
        for p in phases {
            let texts = [&p.title, &p.instruction].into_iter().chain(&p.rules);
            for text in texts {
                assert!(
                    !text.nl.split_whitespace().any(|w| w.starts_with("Ie")),
                    "{}: {}",
                    p.id,
                    text.nl
                );
            }
        }
    }

    /// The screen marks a phase whose inbrenger is silent or outside; a rule saying it again
    /// would show it twice.
    #[test]
    fn no_rule_repeats_what_the_inbrenger_flags_show() {
        let library = Library::built_in();
        for m in library.methods() {
            for p in &m.phases {
                let flagged = p.mechanics.inbrenger_silent || p.mechanics.inbrenger_outside;
                for rule in p.rules.iter().filter(|_| flagged) {
                    let nl = rule.nl.to_lowercase();
                    assert!(
                        !(nl.contains("inbrenger")
                            && (nl.contains("zwijg")
                                || nl.contains("luistert")
                                || nl.contains("buiten"))),
                        "{}/{}: {}",
                        m.id,
                        p.id,
                        rule.nl
                    );
                }
            }
        }
        let rephrasing: Vec<_> = library
            .methods()
            .iter()
            .flat_map(|m| &m.phases)
            .filter(|p| p.mechanics.rephrases_question)
            .map(|p| p.id.as_str())
            .collect();
        assert_eq!(rephrasing, ["kern", "kern", "herformuleren"]);
    }

    #[test]
    fn the_frame_has_ground_rules_an_opening_and_a_closing() {
        let frame = Library::built_in().frame().clone();
        assert_eq!(frame.ground_rules.len(), 4);
        assert!(frame.opening.iter().any(|p| p.id == "casus-kiezen"));
        assert!(frame.closing.iter().any(|p| p.id == "evaluatie"));
        // Nobody is the inbrenger in the evaluation: everyone takes a turn.
        let evaluation = frame.closing.iter().find(|p| p.id == "evaluatie").unwrap();
        assert_eq!(evaluation.turns(6), 6);
    }

    #[test]
    fn an_extra_method_overrides_by_id_and_a_bad_one_is_skipped() {
        let five = include_str!("../../assets/methods/vijf-stappen.toml");
        let (library, problems) = Library::built_in().with_extra(vec![
            file(
                "x/a.toml",
                five.replace("Vijfstappenmethode", "Onze methode"),
            ),
            file(
                "x/b.toml",
                five.replace("id = \"vijf-stappen\"", "id = \"nieuw\""),
            ),
            file("x/c.toml", "id = 3".into()),
            file(
                "x/d.toml",
                five.replace("id = \"vijf-stappen\"", "id = \"nieuw\""),
            ),
        ]);
        assert_eq!(library.get("vijf-stappen").unwrap().name.nl, "Onze methode");
        assert_eq!(library.get("vijf-stappen").unwrap().origin, "x/a.toml");
        assert_eq!(library.methods().len(), 6);
        assert_eq!(problems.len(), 2, "{problems:#?}");
        assert!(problems[0].to_string().starts_with("x/c.toml:1: "));
        assert!(
            problems[1]
                .to_string()
                .contains("already defined by x/b.toml")
        );
    }
}
