//! The settings the settings page changes and the store keeps: each a typed choice, kept as
//! text under a fixed name and checked again when read back.

use crate::app::setup::{LENGTH_STEP_MINUTES, SHORTEST_MEETING, Setup};
use crate::config::Config;
use crate::domain::plan::{MAX_MEETING_MINUTES, MAX_MEMBERS, MIN_MEMBERS};
use crate::domain::text::Lang;

/// The retention choices offered on the settings page, in days (0: after every meeting).
pub const RETENTION_CHOICES: [u32; 5] = [0, 7, 30, 90, 365];

/// One setting chosen on the screen.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Choice {
    Language(Lang),
    DefaultMembers(u8),
    DefaultMinutes(u32),
    /// Days to keep ended sessions; 0 wipes each at the end of its meeting.
    RetentionDays(u32),
    Led(bool),
    Buzzer(bool),
}

/// The names the store keeps the settings under; changing one loses what rooms have kept.
const NAMES: [&str; 6] = [
    "language",
    "default_members",
    "default_minutes",
    "retention_days",
    "led",
    "buzzer",
];

impl Choice {
    pub fn name(self) -> &'static str {
        NAMES[match self {
            Choice::Language(_) => 0,
            Choice::DefaultMembers(_) => 1,
            Choice::DefaultMinutes(_) => 2,
            Choice::RetentionDays(_) => 3,
            Choice::Led(_) => 4,
            Choice::Buzzer(_) => 5,
        }]
    }

    /// The value as the store keeps it.
    pub fn value(self) -> String {
        let on_off = |on: bool| if on { "on" } else { "off" }.to_string();
        match self {
            Choice::Language(lang) => lang.code().to_string(),
            Choice::DefaultMembers(m) => m.to_string(),
            Choice::DefaultMinutes(m) | Choice::RetentionDays(m) => m.to_string(),
            Choice::Led(on) | Choice::Buzzer(on) => on_off(on),
        }
    }

    /// A kept setting read back; `None` for a name not used here or a value out of range
    /// (kept by another version, or damaged), which then keeps its default.
    pub fn read(name: &str, value: &str) -> Option<Choice> {
        // By its place in NAMES, the one list of the kept names (as `name` gives them).
        Some(match NAMES.iter().position(|kept| *kept == name)? {
            0 => Choice::Language(value.parse().ok()?),
            1 => Choice::DefaultMembers(value.parse().ok().filter(|m| MEMBERS.contains(m))?),
            2 => Choice::DefaultMinutes(value.parse().ok().filter(|m| MINUTES.contains(m))?),
            3 => Choice::RetentionDays(value.parse().ok()?),
            4 => Choice::Led(value == "on"),
            _ => Choice::Buzzer(value == "on"),
        })
    }
}

/// What the settings page chooses that the config file does not hold.
#[derive(Clone, Copy, Debug)]
pub struct Preferences {
    pub lang: Lang,
    pub led: bool,
    pub buzzer: bool,
}

impl Choice {
    /// Puts the choice in use: in the preferences, the config's defaults and the set-up page.
    pub fn apply(self, preferences: &mut Preferences, config: &mut Config, setup: &mut Setup) {
        match self {
            Choice::Language(lang) => preferences.lang = lang,
            Choice::DefaultMembers(m) => {
                config.default_members = m;
                setup.members = m;
            }
            Choice::DefaultMinutes(m) => {
                config.default_minutes = m;
                *setup = Setup::new(&setup.cases[0], setup.members, m);
            }
            Choice::RetentionDays(days) => config.retention_days = days,
            Choice::Led(on) => preferences.led = on,
            Choice::Buzzer(on) => preferences.buzzer = on,
        }
    }
}

const MEMBERS: std::ops::RangeInclusive<u8> = MIN_MEMBERS..=MAX_MEMBERS;
const MINUTES: std::ops::RangeInclusive<u32> = SHORTEST_MEETING..=MAX_MEETING_MINUTES;

/// The default group size `delta` people on, within what a meeting can have.
pub fn members_stepped(members: u8, delta: i8) -> u8 {
    (i16::from(members) + i16::from(delta))
        .clamp(i16::from(*MEMBERS.start()), i16::from(*MEMBERS.end())) as u8
}

/// The default length `steps` steps on, within what a meeting can last.
pub fn minutes_stepped(minutes: u32, steps: i32) -> u32 {
    (i64::from(minutes) + i64::from(steps) * i64::from(LENGTH_STEP_MINUTES))
        .clamp(i64::from(*MINUTES.start()), i64::from(*MINUTES.end())) as u32
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_choice_reads_back_as_it_was_kept() {
        for choice in [
            Choice::Language(Lang::En),
            Choice::DefaultMembers(MAX_MEMBERS),
            Choice::DefaultMinutes(SHORTEST_MEETING),
            Choice::RetentionDays(0),
            Choice::Led(false),
            Choice::Buzzer(true),
        ] {
            assert_eq!(Choice::read(choice.name(), &choice.value()), Some(choice));
        }
        assert_eq!(Choice::read("colour", "red"), None);
        assert_eq!(Choice::read("default_members", "200"), None, "out of range");
        assert_eq!(Choice::read("default_minutes", "5"), None, "out of range");
    }

    #[test]
    fn steps_stop_at_the_ends() {
        assert_eq!(members_stepped(MAX_MEMBERS, 1), MAX_MEMBERS);
        assert_eq!(members_stepped(MIN_MEMBERS, -1), MIN_MEMBERS);
        assert_eq!(minutes_stepped(SHORTEST_MEETING, -1), SHORTEST_MEETING);
        assert_eq!(
            minutes_stepped(90, 1),
            90 + LENGTH_STEP_MINUTES,
            "one step is one length step"
        );
    }
}
