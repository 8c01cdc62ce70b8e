//! Reading method files (TOML) into validated methods, with errors that name the file, the line,
//! the field and the reason. Pure: takes the text, never touches the filesystem.

pub use super::diagnostic::FileError;
use super::method::{
    Actor, Bounds, Experience, MINUTE, Mechanics, Method, Ms, Phase, Repeat, Trust,
};

use super::diagnostic::Diagnostics;
use super::text::{Lang, Text};
use serde::Deserialize;
use std::collections::{BTreeMap, HashSet};
use toml::Spanned;

/// The parts of every meeting that do not belong to a method: the opening and the closing.
#[derive(Clone, Debug, PartialEq)]
pub struct Frame {
    pub ground_rules: Vec<Text>,
    pub opening: Vec<Phase>,
    pub closing: Vec<Phase>,
}

const LONGEST_PHASE_MINUTES: f64 = 240.0;
const MOST_ROUNDS: u8 = 5;
const MOST_QUESTIONS: i64 = 20;
/// What fits on a method tile on the 7-inch screen.
const LONGEST_TILE_NAME: usize = 14;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMethod {
    id: Spanned<String>,
    name: Spanned<Text>,
    short_name: Option<Spanned<Text>>,
    summary: Spanned<Text>,
    experience: Spanned<String>,
    trust: Spanned<String>,
    group_size: Spanned<RawGroupSize>,
    repeat: Option<Spanned<RawRepeat>>,
    phases: Spanned<Vec<Spanned<RawPhase>>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawGroupSize {
    min: u8,
    max: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRepeat {
    first: Spanned<String>,
    last: Spanned<String>,
    rounds: Spanned<RawRounds>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawRounds {
    min: u8,
    default: u8,
    max: u8,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPhase {
    id: Spanned<String>,
    title: Spanned<Text>,
    instruction: Spanned<Text>,
    actor: Spanned<String>,
    minutes: Option<Spanned<RawMinutes>>,
    minutes_per_turn: Option<Spanned<RawMinutes>>,
    inbrenger_takes_turn: Option<Spanned<bool>>,
    #[serde(default)]
    rules: Vec<Spanned<Text>>,
    #[serde(default)]
    mechanics: BTreeMap<Spanned<String>, Spanned<toml::Value>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMinutes {
    min: f64,
    default: f64,
    max: f64,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFrame {
    ground_rules: Spanned<Vec<Spanned<Text>>>,
    opening: Spanned<Vec<Spanned<RawPhase>>>,
    closing: Spanned<Vec<Spanned<RawPhase>>>,
}

/// Checks one file's parts, collecting its problems.
struct Checker<'a> {
    diagnostics: Diagnostics<'a>,
}

impl<'a> Checker<'a> {
    fn new(file: &'a str, source: &'a str) -> Self {
        Checker {
            diagnostics: Diagnostics::new(file, source),
        }
    }

    fn error(&mut self, offset: usize, field: impl Into<String>, reason: impl Into<String>) {
        self.diagnostics.error(offset, field, reason);
    }

    fn parse<T: for<'de> Deserialize<'de>>(&self) -> Result<T, Vec<FileError>> {
        self.diagnostics.parse()
    }

    fn finish<T>(self, value: T) -> Result<T, Vec<FileError>> {
        self.diagnostics.finish(value)
    }

    fn text(&mut self, text: &Spanned<Text>, field: &str) -> Text {
        if let Some(lang) = text.get_ref().missing_language() {
            let name = match lang {
                Lang::Nl => "Dutch (nl)",
                Lang::En => "English (en)",
            };
            self.error(
                text.span().start,
                field,
                format!("the {name} text is empty"),
            );
        }
        text.get_ref().clone()
    }

    fn id(&mut self, id: &Spanned<String>, field: &str) -> String {
        let value = id.get_ref();
        let well_formed = !value.is_empty()
            && value
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
            && !value.starts_with('-');
        if !well_formed {
            self.error(
                id.span().start,
                field,
                format!("`{value}` is not a valid id (use lowercase letters, digits and dashes)"),
            );
        }
        value.clone()
    }

    fn minutes(&mut self, raw: &Spanned<RawMinutes>, field: &str) -> Bounds {
        let m = raw.get_ref();
        let offset = raw.span().start;
        let numbers_ok = [m.min, m.default, m.max]
            .iter()
            .all(|v| v.is_finite() && *v > 0.0 && *v <= LONGEST_PHASE_MINUTES);
        if !numbers_ok {
            self.error(
                offset,
                field,
                format!("minutes must be more than 0 and at most {LONGEST_PHASE_MINUTES}"),
            );
            return Bounds::fixed(MINUTE);
        }
        if !(m.min <= m.default && m.default <= m.max) {
            self.error(
                offset,
                field,
                format!(
                    "minutes out of order: need min <= default <= max, got min {} default {} max {}",
                    m.min, m.default, m.max
                ),
            );
            return Bounds::fixed(MINUTE);
        }
        let ms = |minutes: f64| (minutes * MINUTE as f64).round() as Ms;
        Bounds::new(ms(m.min), ms(m.default), ms(m.max))
    }

    fn mechanics(
        &mut self,
        raw: &BTreeMap<Spanned<String>, Spanned<toml::Value>>,
        field: &str,
    ) -> Mechanics {
        let mut mechanics = Mechanics::default();
        for (key, value) in raw {
            let name = key.get_ref().as_str();
            let here = format!("{field}.{name}");
            let offset = key.span().start;
            let flag = |checker: &mut Self, target: &mut bool| match value.get_ref() {
                toml::Value::Boolean(b) => *target = *b,
                _ => checker.error(offset, &here, "must be true or false"),
            };
            match name {
                "question_limit" => match value.get_ref() {
                    toml::Value::Integer(n) if (1..=MOST_QUESTIONS).contains(n) => {
                        mechanics.question_limit = Some(*n as u32)
                    }
                    _ => self.error(
                        offset,
                        &here,
                        format!("must be a whole number from 1 to {MOST_QUESTIONS}"),
                    ),
                },
                "rating" => flag(self, &mut mechanics.rating),
                "inbrenger_outside" => flag(self, &mut mechanics.inbrenger_outside),
                "inbrenger_silent" => flag(self, &mut mechanics.inbrenger_silent),
                "rephrases_question" => flag(self, &mut mechanics.rephrases_question),
                other => self.error(
                    offset,
                    &here,
                    format!(
                        "unknown mechanic `{other}` (known: question_limit, rating, inbrenger_outside, inbrenger_silent, rephrases_question)"
                    ),
                ),
            }
        }
        mechanics
    }

    fn phase(&mut self, raw: &Spanned<RawPhase>, section: &str) -> Phase {
        let p = raw.get_ref();
        let id = self.id(&p.id, &format!("{section}.id"));
        let field = format!("{section}.{id}");
        let actor = match Actor::from_name(p.actor.get_ref()) {
            Some(actor) => actor,
            None => {
                self.error(
                    p.actor.span().start,
                    format!("{field}.actor"),
                    format!(
                        "unknown actor `{}` (expected one of: {})",
                        p.actor.get_ref(),
                        Actor::NAMES.join(", ")
                    ),
                );
                Actor::Group
            }
        };
        let minutes = match (actor, &p.minutes, &p.minutes_per_turn) {
            (Actor::Round, None, Some(per_turn)) => {
                self.minutes(per_turn, &format!("{field}.minutes_per_turn"))
            }
            (Actor::Round, Some(m), _) => {
                self.error(
                    m.span().start,
                    format!("{field}.minutes"),
                    "a round is timed per turn: use `minutes_per_turn` instead of `minutes`",
                );
                Bounds::fixed(MINUTE)
            }
            (_, Some(m), None) => self.minutes(m, &format!("{field}.minutes")),
            (_, _, Some(per_turn)) => {
                self.error(
                    per_turn.span().start,
                    format!("{field}.minutes_per_turn"),
                    "only a phase with actor `round` has turns: use `minutes`",
                );
                Bounds::fixed(MINUTE)
            }
            (actor, None, None) => {
                let wanted = if actor == Actor::Round {
                    "minutes_per_turn"
                } else {
                    "minutes"
                };
                self.error(
                    raw.span().start,
                    field.clone(),
                    format!("missing `{wanted}` (min, default and max)"),
                );
                Bounds::fixed(MINUTE)
            }
        };
        let inbrenger_takes_turn = match &p.inbrenger_takes_turn {
            Some(flag) if actor != Actor::Round => {
                self.error(
                    flag.span().start,
                    format!("{field}.inbrenger_takes_turn"),
                    "only a phase with actor `round` has turns",
                );
                false
            }
            Some(flag) => *flag.get_ref(),
            None => false,
        };
        let rules = p
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| self.text(r, &format!("{field}.rules[{i}]")))
            .collect();
        Phase {
            title: self.text(&p.title, &format!("{field}.title")),
            instruction: self.text(&p.instruction, &format!("{field}.instruction")),
            mechanics: self.mechanics(&p.mechanics, &format!("{field}.mechanics")),
            id,
            actor,
            minutes,
            inbrenger_takes_turn,
            rules,
        }
    }

    fn phases(&mut self, raw: &Spanned<Vec<Spanned<RawPhase>>>, section: &str) -> Vec<Phase> {
        if raw.get_ref().is_empty() {
            self.error(raw.span().start, section, "has no phases");
        }
        let phases: Vec<Phase> = raw
            .get_ref()
            .iter()
            .map(|p| self.phase(p, section))
            .collect();
        for (i, (raw, phase)) in raw.get_ref().iter().zip(&phases).enumerate() {
            if !phase.mechanics.rephrases_question {
                continue;
            }
            let reason = if section != "phases" {
                "only a method's phase has a case question to rephrase"
            } else if i + 1 == phases.len() {
                "the case question is asked again after this phase, so it cannot be the last one"
            } else {
                continue;
            };
            let offset = raw
                .get_ref()
                .mechanics
                .keys()
                .find(|key| key.get_ref() == "rephrases_question")
                .map_or(raw.span().start, |key| key.span().start);
            let field = format!("{section}.{}.mechanics.rephrases_question", phase.id);
            self.error(offset, field, reason);
        }
        phases
    }

    fn unique_ids<'p>(&mut self, raws: impl IntoIterator<Item = (&'p Spanned<RawPhase>, &'p str)>) {
        let mut seen = HashSet::new();
        for (raw, section) in raws {
            let id = raw.get_ref().id.get_ref();
            if !seen.insert(id.clone()) {
                self.error(
                    raw.get_ref().id.span().start,
                    format!("{section}.id"),
                    format!("duplicate phase id `{id}`"),
                );
            }
        }
    }

    fn repeat(&mut self, raw: &Spanned<RawRepeat>, phases: &[Phase]) -> Option<Repeat> {
        let r = raw.get_ref();
        let mut index_of = |name: &Spanned<String>, field: &str| {
            let found = phases.iter().position(|p| &p.id == name.get_ref());
            if found.is_none() {
                self.error(
                    name.span().start,
                    field,
                    format!("no phase with id `{}`", name.get_ref()),
                );
            }
            found
        };
        let first = index_of(&r.first, "repeat.first");
        let last = index_of(&r.last, "repeat.last");
        let rounds = r.rounds.get_ref();
        let mut ok = true;
        if !(1 <= rounds.min
            && rounds.min <= rounds.default
            && rounds.default <= rounds.max
            && rounds.max <= MOST_ROUNDS)
        {
            self.error(
                r.rounds.span().start,
                "repeat.rounds",
                format!(
                    "rounds out of order: need 1 <= min <= default <= max <= {MOST_ROUNDS}, got min {} default {} max {}",
                    rounds.min, rounds.default, rounds.max
                ),
            );
            ok = false;
        }
        let (first, last) = (first?, last?);
        if first > last {
            self.error(
                r.last.span().start,
                "repeat.last",
                format!(
                    "`{}` comes before `{}`: the block must run forwards",
                    r.last.get_ref(),
                    r.first.get_ref()
                ),
            );
            ok = false;
        }
        ok.then_some(Repeat {
            first,
            last,
            rounds_min: rounds.min,
            rounds_default: rounds.default,
            rounds_max: rounds.max,
        })
    }
}

/// Parses and validates one method file; `file` names it in errors.
pub fn parse_method(file: &str, source: &str) -> Result<Method, Vec<FileError>> {
    let mut c = Checker::new(file, source);
    let raw: RawMethod = c.parse()?;
    let id = c.id(&raw.id, "id");
    let name = c.text(&raw.name, "name");
    let short_name = match &raw.short_name {
        Some(short) => {
            let text = c.text(short, "short_name");
            for lang in [Lang::Nl, Lang::En] {
                let length = text.get(lang).chars().count();
                if length > LONGEST_TILE_NAME {
                    c.error(
                        short.span().start,
                        "short_name",
                        format!(
                            "`{}` has {length} characters; a tile holds at most {LONGEST_TILE_NAME}",
                            text.get(lang)
                        ),
                    );
                }
            }
            text
        }
        None => name.clone(),
    };
    let summary = c.text(&raw.summary, "summary");
    let experience = Experience::from_name(raw.experience.get_ref()).unwrap_or_else(|| {
        c.error(
            raw.experience.span().start,
            "experience",
            format!(
                "unknown experience `{}` (expected one of: {})",
                raw.experience.get_ref(),
                Experience::NAMES.join(", ")
            ),
        );
        Experience::Some
    });
    let trust = Trust::from_name(raw.trust.get_ref()).unwrap_or_else(|| {
        c.error(
            raw.trust.span().start,
            "trust",
            format!(
                "unknown trust `{}` (expected one of: {})",
                raw.trust.get_ref(),
                Trust::NAMES.join(", ")
            ),
        );
        Trust::Basic
    });
    let size = raw.group_size.get_ref();
    if !(2 <= size.min && size.min <= size.max && size.max <= 20) {
        c.error(
            raw.group_size.span().start,
            "group_size",
            format!(
                "need 2 <= min <= max <= 20, got min {} max {}",
                size.min, size.max
            ),
        );
    }
    c.unique_ids(raw.phases.get_ref().iter().map(|p| (p, "phases")));
    let phases = c.phases(&raw.phases, "phases");
    let repeat = raw.repeat.as_ref().and_then(|r| c.repeat(r, &phases));
    let method = Method {
        id,
        name,
        short_name,
        summary,
        experience,
        trust,
        group_min: size.min,
        group_max: size.max,
        phases,
        repeat,
        origin: file.to_string(),
    };
    c.finish(method)
}

/// Parses and validates the meeting frame (ground rules, opening, closing).
pub fn parse_frame(file: &str, source: &str) -> Result<Frame, Vec<FileError>> {
    let mut c = Checker::new(file, source);
    let raw: RawFrame = c.parse()?;
    let ground_rules = raw
        .ground_rules
        .get_ref()
        .iter()
        .enumerate()
        .map(|(i, t)| c.text(t, &format!("ground_rules[{i}]")))
        .collect::<Vec<_>>();
    if ground_rules.is_empty() {
        c.error(raw.ground_rules.span().start, "ground_rules", "is empty");
    }
    c.unique_ids(
        raw.opening
            .get_ref()
            .iter()
            .map(|p| (p, "opening"))
            .chain(raw.closing.get_ref().iter().map(|p| (p, "closing"))),
    );
    let opening = c.phases(&raw.opening, "opening");
    let closing = c.phases(&raw.closing, "closing");
    c.finish(Frame {
        ground_rules,
        opening,
        closing,
    })
}

#[cfg(test)]
mod tests;
