//! Formatting for people: durations as m:ss, clock times as HH:MM, and (in `phrases`) every
//! text said from Rust, in both languages.

pub mod phrases;

use crate::domain::method::{MINUTE, Ms, SECOND};
use crate::domain::progress::Counted;
use crate::domain::text::Lang;
use chrono::{NaiveDateTime, Timelike};

/// Whole seconds, counting a started second as one: what a countdown of seconds shows.
pub fn seconds_up(ms: Ms) -> Ms {
    (ms + SECOND - 1) / SECOND
}

/// `7:30`, `-0:05`, `65:00`. Rounds towards zero to whole seconds, as a countdown shows them.
pub fn duration(ms: Ms) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let total = ms.abs() / SECOND;
    format!("{sign}{}:{:02}", total / 60, total % 60)
}

/// The big countdown: `4:59` counting down (rounded up, so it shows `0:00` exactly at zero), and
/// `+1:05` counting up once over time.
pub fn countdown(remaining: Ms) -> String {
    if remaining >= 0 {
        let seconds = seconds_up(remaining);
        format!("{}:{:02}", seconds / 60, seconds % 60)
    } else {
        let seconds = -remaining / SECOND;
        format!("+{}:{:02}", seconds / 60, seconds % 60)
    }
}

/// Minutes rounded to the nearest whole one.
pub fn whole_minutes(ms: Ms) -> i64 {
    (ms + MINUTE / 2).div_euclid(MINUTE)
}

/// How far ahead or behind, in whole minutes: "op schema", "3 min achter op schema", "2 min vóór
/// op schema" (a bare "voor" reads as "before").
pub fn schedule_delta(lang: Lang, behind: Ms) -> String {
    let minutes = whole_minutes(behind.abs());
    match (minutes, behind > 0) {
        (0, _) => phrases::ON_SCHEDULE.text(lang).to_string(),
        (m, true) => phrases::MINUTES_BEHIND.with(lang, &[&m]),
        (m, false) => phrases::MINUTES_AHEAD.with(lang, &[&m]),
    }
}

/// Whole minutes when the duration is whole minutes, m:ss otherwise.
pub fn minutes(ms: Ms) -> String {
    if ms % MINUTE == 0 {
        format!("{}", ms / MINUTE)
    } else {
        duration(ms)
    }
}

/// `14:05`, or `14:05:30` when the time is not on a whole minute.
pub fn clock(t: NaiveDateTime) -> String {
    if t.second() == 0 {
        t.format("%H:%M").to_string()
    } else {
        t.format("%H:%M:%S").to_string()
    }
}

/// What a phase counted, in words: its ratings, its questions, or nothing.
pub fn counted(lang: Lang, counted: &Counted) -> String {
    let ratings = counted
        .ratings
        .map(|t| phrases::RATINGS_COUNTED.with(lang, &[&t.warm, &t.neutral, &t.cold]));
    let questions = counted
        .questions
        .map(|n| phrases::QUESTIONS_COUNTED.with(lang, &[&n]));
    [ratings, questions]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(" · ")
}

/// Pads `s` to `width` characters (not bytes: Dutch has accents).
pub fn pad(s: &str, width: usize) -> String {
    let len = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(len)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(duration(0), "0:00");
        assert_eq!(duration(7 * MINUTE + 30 * SECOND), "7:30");
        assert_eq!(duration(-5 * SECOND - 400), "-0:05");
        assert_eq!(duration(65 * MINUTE), "65:00");
        assert_eq!(minutes(5 * MINUTE), "5");
        assert_eq!(minutes(90 * SECOND), "1:30");
    }

    #[test]
    fn countdowns() {
        assert_eq!(countdown(5 * MINUTE), "5:00");
        assert_eq!(countdown(5 * MINUTE - 1), "5:00");
        assert_eq!(countdown(4 * MINUTE + 59 * SECOND), "4:59");
        assert_eq!(countdown(1), "0:01");
        assert_eq!(countdown(0), "0:00");
        assert_eq!(countdown(-999), "+0:00");
        assert_eq!(countdown(-65 * SECOND), "+1:05");
        assert_eq!(countdown(75 * MINUTE), "75:00");
    }

    #[test]
    fn schedule_deltas() {
        assert_eq!(schedule_delta(Lang::Nl, 20 * SECOND), "op schema");
        assert_eq!(
            schedule_delta(Lang::Nl, 3 * MINUTE),
            "3 min achter op schema"
        );
        assert_eq!(
            schedule_delta(Lang::Nl, -2 * MINUTE),
            "2 min vóór op schema"
        );
        assert_eq!(schedule_delta(Lang::En, -2 * MINUTE), "2 min ahead");
    }

    #[test]
    fn pads_by_characters() {
        assert_eq!(pad("Associëren", 12), "Associëren  ");
    }
}
