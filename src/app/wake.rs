//! When the screen must next be drawn again, and which countdown the buzzer watches: a running
//! countdown wakes the screen the moment its shown second turns over, a page that shows only the
//! clock on the minute.

use super::kiosk::Kiosk;
use super::page::Page;
use crate::domain::method::Ms;
use crate::domain::time::Now;
use chrono::Timelike;

/// When the countdown shows `remaining` next changes, in milliseconds (a whole second ticks over).
pub fn until_next_second(remaining: Ms) -> Ms {
    match remaining.rem_euclid(1000) {
        0 => 1000,
        ms => ms,
    }
}

fn shows_a_countdown(page: Page) -> bool {
    matches!(page, Page::Opening | Page::CaseQuestion | Page::Running)
}

/// Milliseconds from `now` until what the kiosk shows next changes by itself.
pub fn next_change(kiosk: &Kiosk, now: Now) -> Ms {
    if kiosk.wipe_prompt() {
        return until_next_second(kiosk.wipe_countdown(now).unwrap_or(0)).max(1);
    }
    if let Some(left) = kiosk
        .pin_entry()
        .and_then(|entry| entry.status.wait_left(now.mono))
        .filter(|_| kiosk.page() == Page::Pin)
    {
        return until_next_second(left);
    }
    match kiosk.session() {
        Some(session) if shows_a_countdown(kiosk.page()) => {
            let v = session.engine.view(now);
            match (v.paused_for, &v.turn) {
                (Some(paused), _) => until_next_second(-paused),
                (None, Some(turn)) => {
                    until_next_second(turn.remaining).min(until_next_second(v.remaining))
                }
                (None, None) => until_next_second(v.remaining),
            }
        }
        _ => {
            let into_minute =
                i64::from(now.wall.second()) * 1000 + i64::from(now.wall.nanosecond() / 1_000_000);
            (60_000 - into_minute).max(1)
        }
    }
}

/// The countdown the buzzer chirps for when it reaches zero: the phase and turn it belongs to,
/// and its time left. `None` while nothing counts down (no meeting, paused, or the buzzer off).
pub fn chirp_watch(kiosk: &Kiosk, now: Now) -> Option<((usize, Option<usize>), Ms)> {
    let session = kiosk.session()?;
    if !shows_a_countdown(kiosk.page()) || !kiosk.buzzer_on() {
        return None;
    }
    let v = session.engine.view(now);
    if v.paused {
        return None;
    }
    Some(match &v.turn {
        Some(turn) => ((v.phase_index, Some(turn.number)), turn.remaining),
        None => ((v.phase_index, None), v.remaining),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::page::Intent;
    use crate::config::Config;
    use crate::domain::engine::Action;
    use crate::domain::library::Library;

    fn at(ms: i64) -> Now {
        crate::time_source::test_start().after(ms)
    }

    #[test]
    fn ticks_when_the_shown_second_changes() {
        assert_eq!(until_next_second(300_000), 1000);
        assert_eq!(until_next_second(299_400), 400);
        assert_eq!(until_next_second(-1), 999);
        assert_eq!(until_next_second(-1000), 1000);
    }

    #[test]
    fn the_home_page_wakes_on_the_minute() {
        let kiosk = Kiosk::new(Library::built_in(), Config::default());
        assert_eq!(next_change(&kiosk, at(0)), 60_000);
        assert_eq!(next_change(&kiosk, at(59_250)), 750);
        assert_eq!(chirp_watch(&kiosk, at(0)), None);
    }

    #[test]
    fn a_running_countdown_wakes_on_its_second_and_a_pause_on_the_pause_clock() {
        let mut kiosk = Kiosk::new(Library::built_in(), Config::default());
        kiosk.handle(Intent::Wake, at(0));
        assert!(kiosk.handle(Intent::StartMeeting, at(0)));
        assert_eq!(kiosk.page(), Page::Opening);
        assert_eq!(next_change(&kiosk, at(250)), 750);
        kiosk.handle(Intent::Meeting(Action::TogglePause), at(1_000));
        assert_eq!(
            next_change(&kiosk, at(1_400)),
            600,
            "the pause counts up by the second"
        );
    }

    #[test]
    fn the_buzzer_watches_the_running_phase_only_when_it_is_on() {
        let mut quiet = Kiosk::new(Library::built_in(), Config::default());
        quiet.handle(Intent::Wake, at(0));
        quiet.handle(Intent::StartMeeting, at(0));
        assert_eq!(
            chirp_watch(&quiet, at(0)),
            None,
            "the buzzer is off by default"
        );

        let mut config = Config::default();
        config.buttons.buzzer = true;
        let mut kiosk = Kiosk::new(Library::built_in(), config);
        kiosk.handle(Intent::Wake, at(0));
        kiosk.handle(Intent::StartMeeting, at(0));
        let ((phase, turn), remaining) = chirp_watch(&kiosk, at(1_000)).expect("watched");
        assert_eq!((phase, turn), (0, None));
        assert!(remaining > 0);
        kiosk.handle(Intent::Meeting(Action::TogglePause), at(2_000));
        assert_eq!(
            chirp_watch(&kiosk, at(3_000)),
            None,
            "paused: nothing counts down"
        );
    }
}
