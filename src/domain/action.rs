//! What a person can ask of a meeting, by name, and why the engine may turn it down.

use super::event::Rating;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Everything a person can ask of a running meeting, from any input source.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Action {
    Start,
    Next,
    Back,
    Pause,
    Resume,
    /// Pause when running, resume when paused: what a single pause button does.
    TogglePause,
    AddMinute,
    RemoveMinute,
    SkipTurn,
    EndCase,
    EndMeeting,
    Rate(Rating),
    CountQuestion,
    /// Takes back the phase's last rating or counted question: a tap that missed.
    Undo,
}

/// Every action with its name in scripts and the headless kiosk, written once.
const NAMED: [(Action, &str); 16] = [
    (Action::Start, "start"),
    (Action::Next, "next"),
    (Action::Back, "back"),
    (Action::Pause, "pause"),
    (Action::Resume, "resume"),
    (Action::TogglePause, "toggle-pause"),
    (Action::AddMinute, "add-minute"),
    (Action::RemoveMinute, "remove-minute"),
    (Action::SkipTurn, "skip-turn"),
    (Action::EndCase, "end-case"),
    (Action::EndMeeting, "end-meeting"),
    (Action::Rate(Rating::Warm), "rate-warm"),
    (Action::Rate(Rating::Neutral), "rate-neutral"),
    (Action::Rate(Rating::Cold), "rate-cold"),
    (Action::CountQuestion, "count-question"),
    (Action::Undo, "undo"),
];

impl Action {
    pub fn name(self) -> &'static str {
        NAMED
            .iter()
            .find(|(action, _)| *action == self)
            .map(|(_, name)| *name)
            .expect("every action is in the table")
    }

    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMED.iter().map(|(_, name)| *name)
    }
}

impl FromStr for Action {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        NAMED
            .iter()
            .find(|(_, name)| *name == s)
            .map(|(action, _)| *action)
            .ok_or_else(|| {
                format!(
                    "unknown action `{s}` (known: {})",
                    Action::names().collect::<Vec<_>>().join(", ")
                )
            })
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Why an action did not change anything. The screen can ignore these; a log may count them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Rejected {
    #[error("the meeting has not started yet")]
    NotStarted,
    #[error("the meeting has already started")]
    AlreadyStarted,
    #[error("the meeting has ended")]
    Finished,
    #[error("already at the first phase")]
    AtFirstPhase,
    #[error("this phase has no turns")]
    NotARound,
    #[error("this phase has no warm/neutral/cold rating")]
    NoRating,
    #[error("this phase has no question limit to count against")]
    NoQuestionLimit,
    #[error("this phase is not part of a case")]
    NotInCase,
    #[error("already paused")]
    AlreadyPaused,
    #[error("not paused")]
    NotPaused,
    #[error("no time left to take off")]
    NothingToRemove,
    #[error("no rating or counted question in this phase to take back")]
    NothingToUndo,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_reads_back_from_its_name() {
        for (action, name) in NAMED {
            assert_eq!(action.name(), name);
            assert_eq!(name.parse::<Action>(), Ok(action));
            assert_eq!(action.to_string(), name);
        }
        let unknown = "jump".parse::<Action>().unwrap_err();
        assert!(
            unknown.contains("`jump`") && unknown.contains("count-question"),
            "{unknown}"
        );
    }
}
