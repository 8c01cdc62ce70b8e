//! The choices on the set-up page: methods, group size, and length or end time.

use super::page::Intent;
use crate::domain::library::Library;
use crate::domain::plan::{
    CaseRequest, MAX_MEETING_MINUTES, MAX_MEMBERS, MIN_MEMBERS, MeetingRequest, Plan, PlanError,
    Target,
};
use chrono::{NaiveDateTime, NaiveTime, TimeDelta, Timelike};

pub const LENGTH_STEP_MINUTES: u32 = 15;
pub const END_STEP_MINUTES: i64 = 5;
pub const SHORTEST_MEETING: u32 = 30;
pub const MAX_CASES_ON_SCREEN: usize = 2;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Length {
    Minutes(u32),
    EndAt(NaiveTime),
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Setup {
    /// One method id per case (one or two cases).
    pub cases: Vec<String>,
    /// Which case the method tiles set.
    pub slot: usize,
    pub members: u8,
    pub length: Length,
    /// The length in minutes to return to when switching back from an end time.
    pub minutes: u32,
}

impl Setup {
    pub fn new(first_method: &str, members: u8, minutes: u32) -> Setup {
        Setup {
            cases: vec![first_method.to_string()],
            slot: 0,
            members,
            length: Length::Minutes(minutes),
            minutes,
        }
    }

    pub fn request(&self) -> MeetingRequest {
        MeetingRequest {
            cases: self.cases.iter().map(CaseRequest::new).collect(),
            members: self.members,
            target: match self.length {
                Length::Minutes(m) => Target::Minutes(m),
                Length::EndAt(t) => Target::EndAt(t),
            },
        }
    }

    pub fn plan(&self, library: &Library, now: NaiveDateTime) -> Result<Plan, PlanError> {
        Plan::build(library, &self.request(), now)
    }

    /// Carries out a set-up page intent; false when it changed nothing (a method the library
    /// does not have, or an intent for another page).
    pub fn handle(&mut self, intent: &Intent, library: &Library, now: NaiveDateTime) -> bool {
        match intent {
            Intent::ChooseMethod(id) if library.get(id).is_some() => self.choose_method(id),
            Intent::CycleMethod { forward } => self.cycle_method(library, *forward),
            Intent::SetCaseCount(n) => self.set_case_count(*n),
            Intent::SelectCaseSlot(n) => self.select_slot(*n),
            Intent::ChangeMembers(d) => self.change_members(*d),
            Intent::ChangeLength(d) => self.change_length(*d, now),
            Intent::UseEndTime(on) => self.use_end_time(*on, now),
            _ => return false,
        }
        true
    }

    pub fn choose_method(&mut self, id: &str) {
        self.cases[self.slot] = id.to_string();
    }

    /// Steps to the previous or next method in the library for the current case.
    pub fn cycle_method(&mut self, library: &Library, forward: bool) {
        let ids = library.ids();
        let at = ids
            .iter()
            .position(|id| *id == self.cases[self.slot])
            .unwrap_or(0);
        let next = if forward {
            (at + 1) % ids.len()
        } else {
            (at + ids.len() - 1) % ids.len()
        };
        self.cases[self.slot] = ids[next].to_string();
    }

    pub fn set_case_count(&mut self, count: usize) {
        let count = count.clamp(1, MAX_CASES_ON_SCREEN);
        // A second case starts as the same method: two five-step cases is the common evening.
        while self.cases.len() < count {
            let last = self.cases.last().cloned().unwrap_or_default();
            self.cases.push(last);
        }
        self.cases.truncate(count);
        self.slot = self.slot.min(count - 1);
    }

    pub fn select_slot(&mut self, slot: usize) {
        self.slot = slot.min(self.cases.len() - 1);
    }

    pub fn change_members(&mut self, delta: i8) {
        let m = (i16::from(self.members) + i16::from(delta))
            .clamp(i16::from(MIN_MEMBERS), i16::from(MAX_MEMBERS));
        self.members = m as u8;
    }

    /// A longer (positive) or shorter meeting: 15-minute steps, or 5-minute steps of the end time.
    pub fn change_length(&mut self, steps: i32, now: NaiveDateTime) {
        match self.length {
            Length::Minutes(m) => {
                let m = (m as i64 + i64::from(steps) * i64::from(LENGTH_STEP_MINUTES))
                    .clamp(i64::from(SHORTEST_MEETING), i64::from(MAX_MEETING_MINUTES));
                self.minutes = m as u32;
                self.length = Length::Minutes(self.minutes);
            }
            Length::EndAt(end) => {
                let earliest = round_up(now + TimeDelta::minutes(i64::from(SHORTEST_MEETING)));
                let latest = now + TimeDelta::minutes(i64::from(MAX_MEETING_MINUTES));
                let mut candidate = now.date().and_time(end)
                    + TimeDelta::minutes(i64::from(steps) * END_STEP_MINUTES);
                if candidate < earliest {
                    candidate = earliest;
                }
                if candidate > latest {
                    candidate = latest;
                }
                self.length = Length::EndAt(candidate.time());
            }
        }
    }

    /// Switches between a length and an end time; the end time starts where the length would end.
    pub fn use_end_time(&mut self, on: bool, now: NaiveDateTime) {
        self.length = match (on, self.length) {
            (true, Length::Minutes(m)) => {
                Length::EndAt(round_up(now + TimeDelta::minutes(i64::from(m))).time())
            }
            (false, Length::EndAt(_)) => Length::Minutes(self.minutes),
            (_, same) => same,
        };
    }
}

/// The next whole five minutes at or after `t`.
fn round_up(t: NaiveDateTime) -> NaiveDateTime {
    let t = t
        .with_second(0)
        .and_then(|t| t.with_nanosecond(0))
        .unwrap_or(t);
    let over = i64::from(t.minute()) % END_STEP_MINUTES;
    if over == 0 {
        t
    } else {
        t + TimeDelta::minutes(END_STEP_MINUTES - over)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(h: u32, m: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(h, m, 12)
            .unwrap()
    }

    #[test]
    fn members_stay_in_range() {
        let mut s = Setup::new("incident", 11, 90);
        s.change_members(1);
        s.change_members(1);
        assert_eq!(s.members, 12);
        for _ in 0..20 {
            s.change_members(-1);
        }
        assert_eq!(s.members, 3);
    }

    #[test]
    fn length_steps_by_quarters_within_bounds() {
        let mut s = Setup::new("incident", 6, 90);
        s.change_length(1, at(14, 0));
        assert_eq!(s.length, Length::Minutes(105));
        s.change_length(-10, at(14, 0));
        assert_eq!(s.length, Length::Minutes(30));
    }

    #[test]
    fn end_time_starts_from_the_length_and_steps_by_five_minutes() {
        let mut s = Setup::new("incident", 6, 90);
        s.use_end_time(true, at(14, 2));
        assert_eq!(
            s.length,
            Length::EndAt(NaiveTime::from_hms_opt(15, 35, 0).unwrap())
        );
        s.change_length(-1, at(14, 2));
        assert_eq!(
            s.length,
            Length::EndAt(NaiveTime::from_hms_opt(15, 30, 0).unwrap())
        );
        s.change_length(-100, at(14, 2));
        assert_eq!(
            s.length,
            Length::EndAt(NaiveTime::from_hms_opt(14, 35, 0).unwrap())
        );
        s.use_end_time(false, at(14, 2));
        assert_eq!(s.length, Length::Minutes(90));
    }

    #[test]
    fn a_second_case_starts_as_the_same_method() {
        let library = Library::built_in();
        let mut s = Setup::new("vijf-stappen", 6, 90);
        s.set_case_count(2);
        assert_eq!(s.cases, ["vijf-stappen", "vijf-stappen"]);
        s.select_slot(1);
        s.cycle_method(&library, true);
        assert_eq!(s.cases, ["vijf-stappen", "socratisch"]);
        s.set_case_count(1);
        assert_eq!((s.cases.len(), s.slot), (1, 0));
        s.cycle_method(&library, false);
        assert_eq!(s.cases, ["incident"]);
        s.cycle_method(&library, false);
        assert_eq!(s.cases, ["balint"]);
    }
}
