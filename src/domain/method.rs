//! The validated shape of an intervisie method: its phases, who is active, how long, and the
//! mechanics the screen has to support.

use super::text::Text;
use serde::Serialize;

/// Milliseconds, the one unit of time inside the domain.
pub type Ms = i64;

pub const SECOND: Ms = 1_000;
pub const MINUTE: Ms = 60 * SECOND;

/// Who is active in a phase. Shown on screen with an icon, so the room knows who speaks.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Actor {
    /// The person who brought the case.
    Inbrenger,
    /// The group talks freely.
    Group,
    /// Each member in turn; the phase is split into turns.
    Round,
    /// Everyone writes on their own, in silence.
    Silent,
    /// The facilitator (begeleider) leads.
    Facilitator,
}

impl Actor {
    pub const NAMES: [&'static str; 5] = ["inbrenger", "group", "round", "silent", "facilitator"];

    pub fn from_name(name: &str) -> Option<Actor> {
        Some(match name {
            "inbrenger" => Actor::Inbrenger,
            "group" => Actor::Group,
            "round" => Actor::Round,
            "silent" => Actor::Silent,
            "facilitator" => Actor::Facilitator,
            _ => return None,
        })
    }

    pub fn name(self) -> &'static str {
        Actor::NAMES[self as usize]
    }

    pub fn label(self) -> Text {
        match self {
            Actor::Inbrenger => Text::new("Inbrenger", "Case owner"),
            Actor::Group => Text::new("Groep", "Group"),
            Actor::Round => Text::new("Om de beurt", "Each in turn"),
            Actor::Silent => Text::new("Stil schrijven", "Silent writing"),
            Actor::Facilitator => Text::new("Begeleider", "Facilitator"),
        }
    }
}

/// Lower bound, default and upper bound of a duration, in milliseconds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Bounds {
    pub min: Ms,
    pub default: Ms,
    pub max: Ms,
}

impl Bounds {
    pub fn new(min: Ms, default: Ms, max: Ms) -> Self {
        debug_assert!(0 <= min && min <= default && default <= max);
        Bounds { min, default, max }
    }

    pub fn fixed(ms: Ms) -> Self {
        Bounds::new(ms, ms, ms)
    }

    pub fn times(self, n: i64) -> Self {
        Bounds::new(self.min * n, self.default * n, self.max * n)
    }

    pub fn clamp(self, ms: Ms) -> Ms {
        ms.clamp(self.min, self.max)
    }
}

/// What a phase asks of the screen beyond a countdown.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Mechanics {
    /// At most this many questions per member.
    pub question_limit: Option<u32>,
    /// The inbrenger rates each question warm, neutral or cold.
    pub rating: bool,
    /// The inbrenger sits outside the circle (back to the group).
    pub inbrenger_outside: bool,
    /// The inbrenger listens and stays silent.
    pub inbrenger_silent: bool,
    /// The group rephrases the case question here: the question page comes again after it.
    pub rephrases_question: bool,
}

/// One step of a method.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Phase {
    pub id: String,
    pub title: Text,
    pub instruction: Text,
    pub actor: Actor,
    /// For a round: the time of one turn. Otherwise: the time of the whole phase.
    pub minutes: Bounds,
    /// In a round, whether the inbrenger takes a turn as well.
    pub inbrenger_takes_turn: bool,
    pub rules: Vec<Text>,
    pub mechanics: Mechanics,
}

impl Phase {
    /// Whether the screen counts this phase's questions: where the method limits them, but
    /// not while they are written in silence (the rule says the limit).
    pub fn counts_questions(&self) -> bool {
        self.mechanics.question_limit.is_some() && self.actor != Actor::Silent
    }

    /// Number of turns for a group of `members`; 0 when the phase is not a round.
    /// Frame phases (opening, closing) have no inbrenger yet or any more: everyone takes a turn.
    pub fn turns(&self, members: u8) -> u8 {
        match self.actor {
            Actor::Round if self.inbrenger_takes_turn => members,
            Actor::Round => members.saturating_sub(1),
            _ => 0,
        }
    }

    /// The bounds of the whole phase for a group of `members`.
    pub fn bounds_for(&self, members: u8) -> Bounds {
        match self.turns(members) {
            0 => self.minutes,
            turns => self.minutes.times(turns.into()),
        }
    }
}

/// How much experience a group needs before a method works well.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Experience {
    /// Suits a group that is new to intervisie.
    New,
    /// After a few meetings.
    Some,
    /// For groups used to working together.
    Experienced,
}

impl Experience {
    pub const NAMES: [&'static str; 3] = ["new", "some", "experienced"];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "new" => Experience::New,
            "some" => Experience::Some,
            "experienced" => Experience::Experienced,
            _ => return None,
        })
    }

    pub fn label(self) -> Text {
        match self {
            Experience::New => Text::new("voor nieuwe groepen", "for new groups"),
            Experience::Some => Text::new("enige ervaring", "some experience"),
            Experience::Experienced => Text::new("voor ervaren groepen", "for experienced groups"),
        }
    }
}

/// How much mutual trust a method asks of the group.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Trust {
    Basic,
    High,
}

impl Trust {
    pub const NAMES: [&'static str; 2] = ["basic", "high"];

    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "basic" => Trust::Basic,
            "high" => Trust::High,
            _ => return None,
        })
    }

    pub fn label(self) -> Text {
        match self {
            Trust::Basic => Text::new("basisvertrouwen", "basic trust"),
            Trust::High => Text::new("vraagt vertrouwen", "needs trust"),
        }
    }
}

/// A block of consecutive phases the group may go through more than once
/// (the question rounds of the Socratic method).
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Repeat {
    /// Index of the first phase of the block.
    pub first: usize,
    /// Index of the last phase of the block (inclusive).
    pub last: usize,
    pub rounds_min: u8,
    pub rounds_default: u8,
    pub rounds_max: u8,
}

/// An intervisie method, ready to be planned.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Method {
    pub id: String,
    pub name: Text,
    /// For the method tiles, where the full name would be cut off; the name when not given.
    pub short_name: Text,
    /// What it is good for, in a sentence or two: shown when choosing.
    pub summary: Text,
    pub experience: Experience,
    pub trust: Trust,
    pub group_min: u8,
    pub group_max: u8,
    pub phases: Vec<Phase>,
    pub repeat: Option<Repeat>,
    /// Where the method came from: `built-in` or a file path.
    pub origin: String,
}

impl Method {
    /// The phases of one case, with repeated blocks spelled out: `(phase, Some((round, rounds)))`.
    pub fn expanded(&self, rounds: u8) -> Vec<(&Phase, Option<(u8, u8)>)> {
        let Some(repeat) = &self.repeat else {
            return self.phases.iter().map(|p| (p, None)).collect();
        };
        let rounds = rounds.clamp(repeat.rounds_min, repeat.rounds_max);
        let mut out = Vec::new();
        out.extend(self.phases[..repeat.first].iter().map(|p| (p, None)));
        for round in 1..=rounds {
            out.extend(
                self.phases[repeat.first..=repeat.last]
                    .iter()
                    .map(|p| (p, Some((round, rounds)))),
            );
        }
        out.extend(self.phases[repeat.last + 1..].iter().map(|p| (p, None)));
        out
    }

    pub fn default_rounds(&self) -> u8 {
        self.repeat.as_ref().map_or(1, |r| r.rounds_default)
    }

    /// Default length of one case for a group of `members`, in milliseconds.
    pub fn default_length(&self, members: u8) -> Ms {
        self.expanded(self.default_rounds())
            .iter()
            .map(|(p, _)| p.bounds_for(members).default)
            .sum()
    }
}
