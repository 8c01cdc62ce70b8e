//! A meeting plan: the opening, one or more cases each with its own method, and the closing, for
//! a group of a given size, budgeted to fit a length or an end time.

use super::budget::{fit, reachable_total};
use super::library::Library;
use super::method::{Bounds, MINUTE, Ms, Phase};
use super::text::Text;
use chrono::{NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};
use std::fmt;

pub const MIN_MEMBERS: u8 = 3;
pub const MAX_MEMBERS: u8 = 12;
pub const DEFAULT_MEMBERS: u8 = 6;
pub const MAX_CASES: usize = 4;
/// Longer than any intervisie meeting; protects against a typo such as `--minutes 900`.
pub const MAX_MEETING_MINUTES: u32 = 8 * 60;

/// What the group wants: a length, or a time to be done by.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Target {
    Minutes(u32),
    EndAt(NaiveTime),
}

impl Target {
    /// The meeting length for a meeting that starts at `start`.
    pub fn length_from(self, start: NaiveDateTime) -> Result<Ms, PlanError> {
        let ms = match self {
            Target::Minutes(m) => Ms::from(m) * MINUTE,
            Target::EndAt(end) => {
                let end = start.date().and_time(end);
                if end <= start {
                    return Err(PlanError::EndTimePassed {
                        end: end.time(),
                        now: start.time(),
                    });
                }
                // Whole minutes, as every plan is made of: the meeting ends at most a minute
                // before the end time, never after it.
                (end - start).num_milliseconds() / MINUTE * MINUTE
            }
        };
        if ms > Ms::from(MAX_MEETING_MINUTES) * MINUTE || ms <= 0 {
            return Err(PlanError::Length {
                minutes: ms / MINUTE,
            });
        }
        Ok(ms)
    }
}

/// One case in the request: the method, and for methods with a repeatable block, how many rounds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRequest {
    pub method: String,
    pub rounds: Option<u8>,
}

impl CaseRequest {
    pub fn new(method: impl Into<String>) -> Self {
        CaseRequest {
            method: method.into(),
            rounds: None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingRequest {
    pub cases: Vec<CaseRequest>,
    pub members: u8,
    pub target: Target,
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("unknown method `{id}` (known: {known})")]
    UnknownMethod { id: String, known: String },
    #[error("{members} members: a group has {MIN_MEMBERS} to {MAX_MEMBERS} members")]
    Members { members: u8 },
    #[error("a meeting needs at least one case")]
    NoCases,
    #[error("{count} cases: at most {MAX_CASES} fit in one meeting")]
    TooManyCases { count: usize },
    #[error("the end time {end} has already passed (it is {now})", end = end.format("%H:%M"), now = now.format("%H:%M"))]
    EndTimePassed { end: NaiveTime, now: NaiveTime },
    #[error(
        "a meeting of {minutes} minutes: the length must be 1 to {MAX_MEETING_MINUTES} minutes"
    )]
    Length { minutes: i64 },
}

/// Where a phase belongs in the meeting.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Section {
    Opening,
    /// The n-th case, counted from 0.
    Case(usize),
    Closing,
}

impl Section {
    pub fn label(self) -> Text {
        match self {
            Section::Opening => Text::new("Opening", "Opening"),
            Section::Case(i) => Text::new(format!("Casus {}", i + 1), format!("Case {}", i + 1)),
            Section::Closing => Text::new("Afsluiting", "Closing"),
        }
    }

    pub fn case(self) -> Option<usize> {
        match self {
            Section::Case(i) => Some(i),
            _ => None,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PlannedPhase {
    pub section: Section,
    /// The method of the case; `None` for the opening and closing.
    pub method_id: Option<String>,
    pub phase: Phase,
    /// For a repeated block: (round, of rounds), counted from 1.
    pub repeat: Option<(u8, u8)>,
    /// Number of turns; 0 when the phase is not a round.
    pub turns: u8,
    /// Bounds of the whole phase (all turns together).
    pub bounds: Bounds,
    /// The budgeted time of the whole phase.
    pub budget: Ms,
}

impl PlannedPhase {
    /// The title with the round of a repeated block, e.g. "Vragen opschrijven (2/3)".
    pub fn title(&self) -> Text {
        match self.repeat {
            None => self.phase.title.clone(),
            Some((round, rounds)) => Text::new(
                format!("{} ({round}/{rounds})", self.phase.title.nl),
                format!("{} ({round}/{rounds})", self.phase.title.en),
            ),
        }
    }
}

/// When the target cannot be met within the phases' bounds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum FitProblem {
    /// Even every phase at its minimum takes longer than the target.
    TooShort { target: Ms, needed: Ms },
    /// Even every phase at its maximum ends before the target.
    TooLong { target: Ms, at_most: Ms },
}

impl fmt::Display for FitProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            FitProblem::TooShort { target, needed } => write!(
                f,
                "{} minutes is too short: this meeting needs at least {} minutes",
                target / MINUTE,
                minutes_up(needed)
            ),
            FitProblem::TooLong { target, at_most } => write!(
                f,
                "{} minutes is too long: this meeting fills at most {} minutes",
                target / MINUTE,
                at_most / MINUTE
            ),
        }
    }
}

fn minutes_up(ms: Ms) -> Ms {
    (ms + MINUTE - 1) / MINUTE
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Plan {
    pub request: MeetingRequest,
    pub phases: Vec<PlannedPhase>,
    /// The meeting length the plan was fitted to.
    pub target: Ms,
    /// When it was planned to start (wall clock, for display only).
    pub planned_start: NaiveDateTime,
}

impl Plan {
    pub fn build(
        library: &Library,
        request: &MeetingRequest,
        start: NaiveDateTime,
    ) -> Result<Plan, PlanError> {
        if !(MIN_MEMBERS..=MAX_MEMBERS).contains(&request.members) {
            return Err(PlanError::Members {
                members: request.members,
            });
        }
        if request.cases.is_empty() {
            return Err(PlanError::NoCases);
        }
        if request.cases.len() > MAX_CASES {
            return Err(PlanError::TooManyCases {
                count: request.cases.len(),
            });
        }
        let target = request.target.length_from(start)?;
        let members = request.members;
        let planned = |section, method_id: Option<&str>, phase: &Phase, repeat| PlannedPhase {
            section,
            method_id: method_id.map(str::to_string),
            phase: phase.clone(),
            repeat,
            turns: phase.turns(members),
            bounds: phase.bounds_for(members),
            budget: 0,
        };

        let frame = library.frame();
        let mut phases: Vec<PlannedPhase> = frame
            .opening
            .iter()
            .map(|p| planned(Section::Opening, None, p, None))
            .collect();
        for (i, case) in request.cases.iter().enumerate() {
            let method = library
                .get(&case.method)
                .ok_or_else(|| PlanError::UnknownMethod {
                    id: case.method.clone(),
                    known: library.ids().join(", "),
                })?;
            let rounds = case.rounds.unwrap_or(method.default_rounds());
            for (phase, repeat) in method.expanded(rounds) {
                phases.push(planned(Section::Case(i), Some(&method.id), phase, repeat));
            }
        }
        phases.extend(
            frame
                .closing
                .iter()
                .map(|p| planned(Section::Closing, None, p, None)),
        );

        let bounds: Vec<Bounds> = phases.iter().map(|p| p.bounds).collect();
        for (phase, budget) in phases.iter_mut().zip(fit(&bounds, target, MINUTE)) {
            phase.budget = budget;
        }
        Ok(Plan {
            request: request.clone(),
            phases,
            target,
            planned_start: start,
        })
    }

    pub fn total_budget(&self) -> Ms {
        self.phases.iter().map(|p| p.budget).sum()
    }

    /// Why the plan does not add up to the target, if it does not.
    pub fn fit_problem(&self) -> Option<FitProblem> {
        let bounds: Vec<Bounds> = self.phases.iter().map(|p| p.bounds).collect();
        let reachable = reachable_total(&bounds, self.target);
        match reachable.cmp(&self.target) {
            std::cmp::Ordering::Equal => None,
            std::cmp::Ordering::Greater => Some(FitProblem::TooShort {
                target: self.target,
                needed: reachable,
            }),
            std::cmp::Ordering::Less => Some(FitProblem::TooLong {
                target: self.target,
                at_most: reachable,
            }),
        }
    }

    /// Offsets from the start at which each phase begins, if everything runs to budget.
    pub fn starts(&self) -> Vec<Ms> {
        self.phases
            .iter()
            .scan(0, |at, p| {
                let start = *at;
                *at += p.budget;
                Some(start)
            })
            .collect()
    }

    pub fn cases(&self) -> usize {
        self.request.cases.len()
    }

    /// The phases of one section, as a range of indices.
    pub fn section_range(&self, section: Section) -> std::ops::Range<usize> {
        let first = self.phases.iter().position(|p| p.section == section);
        match first {
            None => 0..0,
            Some(first) => {
                let len = self.phases[first..]
                    .iter()
                    .take_while(|p| p.section == section)
                    .count();
                first..first + len
            }
        }
    }
}
