//! The status LED's rule: on while a phase runs, blinking slowly when paused and quickly over
//! time, off without a meeting or when the settings page switched it off.

use crate::app::page::Page;
use crate::domain::view::TimerState;
use crate::input::outputs::LedPattern;

/// The pattern for `page`, given the meeting's timer state (`None`: no meeting).
pub fn pattern(enabled: bool, page: Page, timer: Option<TimerState>) -> LedPattern {
    let Some(timer) = timer else {
        return LedPattern::Off;
    };
    if !enabled || !matches!(page, Page::Opening | Page::CaseQuestion | Page::Running) {
        return LedPattern::Off;
    }
    match timer {
        TimerState::Paused => LedPattern::SlowBlink,
        TimerState::OverTime => LedPattern::FastBlink,
        TimerState::Running | TimerState::NearEnd => LedPattern::On,
        TimerState::NotStarted | TimerState::Finished => LedPattern::Off,
    }
}
