//! The kiosk's flow, driven as the screen and the buttons drive it, on a fake clock.

use super::*;
use crate::domain::time::Instant;
use crate::input::gestures::Button;

fn now() -> Now {
    crate::time_source::test_start()
}

fn kiosk() -> Kiosk {
    Kiosk::new(Library::built_in(), Config::default())
}

#[test]
fn a_whole_meeting_from_home_to_home() {
    let mut k = kiosk();
    let t = now();
    assert_eq!(k.page(), Page::Home);
    assert!(k.key(KeyCommand::Other, t));
    assert_eq!(k.page(), Page::Setup);
    assert!(k.handle(Intent::ChooseMethod("vijf-stappen".into()), t));
    assert!(k.key(KeyCommand::Enter, t));
    assert_eq!(k.page(), Page::Opening);
    assert!(!k.take_events().is_empty());
    // Through the opening to the first case: the question page comes up.
    while k.page() == Page::Opening {
        assert!(k.key(KeyCommand::Next, t));
    }
    assert_eq!(k.page(), Page::CaseQuestion);
    assert_eq!(k.current_case(), Some(0));
    k.handle(Intent::SetCaseQuestion("  Hoe zeg ik nee?  ".into()), t);
    assert!(k.key(KeyCommand::Enter, t));
    assert_eq!(k.page(), Page::Running);
    assert_eq!(k.session().unwrap().questions[0], "Hoe zeg ik nee?");
    while k.page() == Page::Running {
        assert!(k.key(KeyCommand::Next, t));
    }
    assert_eq!(k.page(), Page::Summary);
    assert!(k.key(KeyCommand::Digit(4), t));
    assert_eq!(k.session().unwrap().evaluation, Some(4));
    assert!(k.session().unwrap().summary.is_some());
    assert!(k.key(KeyCommand::Enter, t));
    assert_eq!(k.page(), Page::Home);
    assert!(
        k.session().is_none(),
        "nothing from the meeting stays on view"
    );
}

#[test]
fn escape_asks_before_ending() {
    let mut k = kiosk();
    let t = now();
    k.handle(Intent::Wake, t);
    k.handle(Intent::StartMeeting, t);
    assert!(k.key(KeyCommand::Escape, t));
    assert!(k.confirming_end());
    // Other keys do nothing while the question is up.
    assert!(!k.key(KeyCommand::Next, t));
    assert!(k.key(KeyCommand::Escape, t));
    assert!(!k.confirming_end());
    assert_eq!(k.page(), Page::Opening);
    k.key(KeyCommand::Escape, t);
    assert!(k.key(KeyCommand::Enter, t));
    assert_eq!(k.page(), Page::Summary);
}

#[test]
fn ending_a_case_asks_the_next_case_question() {
    let mut k = kiosk();
    let t = now();
    k.handle(Intent::Wake, t);
    k.handle(Intent::ChooseMethod("vijf-stappen".into()), t);
    k.handle(Intent::SetCaseCount(2), t);
    k.handle(Intent::StartMeeting, t);
    while k.page() == Page::Opening {
        k.key(KeyCommand::Next, t);
    }
    k.handle(Intent::FinishCaseQuestion, t);
    k.handle(Intent::AskEnd, t);
    assert!(k.handle(Intent::ConfirmEndCase, t));
    assert_eq!(k.page(), Page::CaseQuestion);
    assert_eq!(k.current_case(), Some(1));
}

fn at(ms: i64) -> Now {
    Now::new(Instant(ms), now().wall + chrono::Duration::milliseconds(ms))
}

#[test]
fn two_buttons_run_a_whole_meeting() {
    use Gesture as G;
    let mut k = kiosk();
    let t = now();
    assert!(k.button(G::Next, t));
    assert_eq!(k.page(), Page::Setup);
    assert!(k.button(G::TogglePause, t));
    assert_eq!(k.setup().cases, ["vijf-stappen"]);
    k.handle(Intent::SetCaseCount(2), t);
    assert!(k.button(G::Next, t));
    assert_eq!(k.page(), Page::Opening);
    while k.page() == Page::Opening {
        assert!(k.button(G::Next, t));
    }
    assert_eq!(k.page(), Page::CaseQuestion);
    assert!(k.button(G::Next, t), "next skips the question");
    assert_eq!(k.page(), Page::Running);
    let phase = |k: &Kiosk| {
        let e = &k.session().unwrap().engine;
        e.current()
    };
    let first = phase(&k);
    assert!(k.button(G::Next, at(1_000)));
    assert_ne!(phase(&k), first);
    assert!(k.button(G::Back, at(2_000)));
    assert_eq!(phase(&k), first);
    assert!(k.button(G::TogglePause, at(3_000)));
    assert!(
        k.session()
            .unwrap()
            .engine
            .view(at(4_000))
            .paused_for
            .is_some()
    );
    assert!(k.button(G::TogglePause, at(5_000)));
    let before = k.session().unwrap().engine.view(at(6_000)).remaining;
    assert!(k.button(G::AddMinute, at(6_000)));
    assert_eq!(
        k.session().unwrap().engine.view(at(6_000)).remaining,
        before + 60_000
    );
    // Both held: the end question; pause goes on, next ends the case.
    assert!(k.button(G::EndCasePrompt, at(7_000)));
    assert!(k.end_asked_by_buttons());
    assert!(k.button(G::TogglePause, at(7_500)));
    assert!(!k.confirming_end());
    assert_eq!(phase(&k), first, "cancelling changes nothing");
    assert!(k.button(G::EndCasePrompt, at(8_000)));
    assert!(k.button(G::Next, at(8_500)));
    assert_eq!(k.page(), Page::CaseQuestion);
    assert_eq!(k.current_case(), Some(1));
    while k.page() != Page::Summary {
        assert!(k.button(G::Next, at(9_000)));
    }
    assert!(k.button(G::Next, at(10_000)));
    assert_eq!(k.page(), Page::Home);
}

#[test]
fn the_led_follows_the_meeting() {
    let mut k = kiosk();
    assert_eq!(k.led_pattern(at(0)), LedPattern::Off);
    k.handle(Intent::Wake, at(0));
    k.handle(Intent::StartMeeting, at(0));
    assert_eq!(k.led_pattern(at(1_000)), LedPattern::On);
    k.handle(Intent::Meeting(Action::TogglePause), at(2_000));
    assert_eq!(k.led_pattern(at(3_000)), LedPattern::SlowBlink);
    k.handle(Intent::Meeting(Action::TogglePause), at(4_000));
    // The welcome lasts minutes; an hour later it is long over time.
    assert_eq!(k.led_pattern(at(3_600_000)), LedPattern::FastBlink);
    k.handle(Intent::AskEnd, at(3_600_000));
    k.handle(Intent::ConfirmEndMeeting, at(3_600_000));
    assert_eq!(k.led_pattern(at(3_600_000)), LedPattern::Off);
}

#[test]
fn the_wipe_prompt_closes_on_any_press() {
    use Gesture as G;
    let mut k = kiosk();
    let t = now();
    k.button(G::Next, t);
    k.button(G::Next, t);
    // The end question comes at 3 s of holding both, the wipe prompt at 10 s.
    k.button(G::EndCasePrompt, t);
    assert!(k.button(G::WipePrompt, t));
    assert!(k.wipe_prompt());
    assert!(
        !k.confirming_end(),
        "the wipe prompt replaces the end question"
    );
    assert!(k.button(G::TogglePause, t));
    assert!(!k.wipe_prompt());
    assert_eq!(k.page(), Page::Opening);
    assert!(
        k.session().unwrap().engine.view(t).paused_for.is_none(),
        "closing the prompt does not also pause"
    );
    k.button(G::WipePrompt, t);
    assert!(k.key(KeyCommand::Escape, t));
    assert!(!k.wipe_prompt());
}

#[test]
fn a_held_button_is_shown_until_it_comes_up() {
    let mut k = kiosk();
    let t = now();
    assert!(k.button(Gesture::Stuck(Button::Next), t));
    assert_eq!(k.button_notice(), Some(&ButtonNotice::Held(Button::Next)));
    assert_eq!(k.page(), Page::Home, "a stuck button does nothing else");
    assert!(k.button(Gesture::Freed(Button::Next), t));
    assert_eq!(k.button_notice(), None);
}

#[test]
fn the_end_question_from_the_screen_is_not_answered_by_next_ending_the_case() {
    let mut k = kiosk();
    let t = now();
    k.handle(Intent::Wake, t);
    k.handle(Intent::StartMeeting, t);
    k.handle(Intent::AskEnd, t);
    assert!(!k.end_asked_by_buttons());
    // Next on the buttons confirms what the screen asked: ending the meeting.
    assert!(k.button(Gesture::Next, t));
    assert_eq!(k.page(), Page::Summary);
}

#[test]
fn keys_on_the_setup_page() {
    let mut k = kiosk();
    let t = now();
    k.handle(Intent::Wake, t);
    k.key(KeyCommand::Next, t);
    assert_eq!(k.setup().cases, ["vijf-stappen"]);
    k.key(KeyCommand::Up, t);
    assert_eq!(k.setup().members, 7);
    k.key(KeyCommand::More, t);
    assert_eq!(k.setup().minutes, 105);
    k.key(KeyCommand::Escape, t);
    assert_eq!(k.page(), Page::Home);
}

#[test]
fn a_meeting_that_cannot_be_planned_says_why() {
    let mut k = kiosk();
    let t = now();
    k.handle(Intent::Wake, t);
    // An end time that has passed cannot be set from the screen, so force one.
    k.setup.length =
        super::super::setup::Length::EndAt(chrono::NaiveTime::from_hms_opt(9, 0, 0).unwrap());
    assert!(!k.handle(Intent::StartMeeting, t));
    assert!(matches!(
        k.start_error(),
        Some(PlanError::EndTimePassed { .. })
    ));
    assert_eq!(k.page(), Page::Setup);
}

#[test]
fn settings_change_the_language() {
    let mut k = kiosk();
    let t = now();
    assert!(k.handle(Intent::OpenSettings, t));
    assert_eq!(k.page(), Page::Settings);
    k.key(KeyCommand::Next, t);
    assert_eq!(k.lang(), Lang::En);
    k.key(KeyCommand::Escape, t);
    assert_eq!(k.page(), Page::Home);
}

fn kinds(ops: &[Command]) -> Vec<&'static str> {
    ops.iter()
        .map(|op| match op {
            Command::Begin(..) => "begin",
            Command::Save(..) => "save",
            Command::Finish(..) => "finish",
            Command::Close => "close",
            Command::Abandon => "abandon",
            Command::Forget => "forget",
            Command::WipeAll => "wipe-all",
            Command::SetSetting(..) => "setting",
            Command::LoadHistory => "history",
            Command::CheckPin(_) => "pin",
            Command::Flush(_) => "flush",
            Command::LimitPages(_) => "limit",
        })
        .collect()
}

#[test]
fn storage_follows_the_meeting_from_start_to_close() {
    let mut k = kiosk();
    assert!(
        k.take_storage(at(0), true).is_empty(),
        "nothing to keep yet"
    );
    k.handle(Intent::Wake, at(0));
    k.handle(Intent::StartMeeting, at(0));
    let ops = k.take_storage(at(0), false);
    assert_eq!(kinds(&ops), ["begin"]);
    let Command::Begin(record, events) = &ops[0] else {
        unreachable!()
    };
    assert!(!events.is_empty(), "the start's events go with it");
    assert_eq!(record.asked, [false]);
    assert!(k.take_storage(at(100), false).is_empty(), "nothing changed");
    assert_eq!(kinds(&k.take_storage(at(5_000), true)), ["save"]);
    k.key(KeyCommand::Next, at(6_000));
    let ops = k.take_storage(at(6_000), false);
    let [Command::Save(record, events)] = ops.as_slice() else {
        panic!("{:?}", kinds(&ops))
    };
    assert!(!events.is_empty());
    assert_eq!(record.snapshot.current, 1);
    k.handle(Intent::AskEnd, at(7_000));
    k.handle(Intent::ConfirmEndMeeting, at(7_000));
    let ops = k.take_storage(at(7_000), false);
    let [Command::Finish(ending, _)] = ops.as_slice() else {
        panic!("{:?}", kinds(&ops))
    };
    assert_eq!(ending.length, 7_000);
    assert_eq!(
        ending.phases.len(),
        k.session().unwrap().engine.plan().phases.len()
    );
    assert!(
        k.take_storage(at(8_000), true).is_empty(),
        "an ended meeting needs no saving"
    );
    k.key(KeyCommand::Digit(5), at(9_000));
    let ops = k.take_storage(at(9_000), false);
    let [Command::Save(record, _)] = ops.as_slice() else {
        panic!("{:?}", kinds(&ops))
    };
    assert_eq!(record.evaluation, Some(5));
    k.handle(Intent::Finish, at(10_000));
    assert_eq!(kinds(&k.take_storage(at(10_000), false)), ["close"]);
    assert!(k.take_storage(at(11_000), true).is_empty());
}

#[test]
fn forgetting_asks_the_store_to_forget_instead_of_closing() {
    let mut k = kiosk();
    k.handle(Intent::Wake, at(0));
    k.handle(Intent::StartMeeting, at(0));
    k.handle(Intent::AskEnd, at(1_000));
    k.handle(Intent::ConfirmEndMeeting, at(1_000));
    k.take_storage(at(1_000), false);
    k.handle(Intent::Forget, at(2_000));
    assert_eq!(kinds(&k.take_storage(at(2_000), false)), ["forget"]);
    assert!(k.take_storage(at(3_000), false).is_empty());
}

/// A kiosk that ran a meeting to its third phase, paused-less, and the record kept of it.
fn interrupted() -> RunningSession {
    let mut k = kiosk();
    k.handle(Intent::Wake, at(0));
    k.handle(Intent::StartMeeting, at(0));
    k.key(KeyCommand::Next, at(60_000));
    k.key(KeyCommand::Next, at(90_000));
    k.key(KeyCommand::More, at(95_000));
    RunningSession {
        id: 7,
        record: record_of(k.session().unwrap(), at(100_000)),
    }
}

#[test]
fn an_interrupted_meeting_is_offered_and_resumes_paused_where_it_was() {
    let running = interrupted();
    let before = running.record.snapshot.clone();
    // After a reboot the monotonic clock starts again near zero.
    let mut k = kiosk();
    k.store_opened(Some(running), &[], &[], false, at(500));
    assert_eq!(k.page(), Page::Resume);
    assert!(
        k.take_storage(at(500), true).is_empty(),
        "nothing to save until it resumes"
    );
    assert!(k.key(KeyCommand::Enter, at(2_000)));
    assert_eq!(k.page(), Page::Opening);
    let engine = &k.session().unwrap().engine;
    assert_eq!(engine.current(), before.current);
    assert!(engine.is_paused());
    let view = engine.view(at(60_000));
    let expected = before.phases[2].total_budget() - before.phases[2].spent;
    assert_eq!(
        view.remaining, expected,
        "the clock stood still while it was off"
    );
    assert_eq!(
        kinds(&k.take_storage(at(2_000), false)),
        ["save"],
        "the same session goes on"
    );
}

#[test]
fn ending_an_interrupted_meeting_shows_its_summary() {
    let mut k = kiosk();
    k.store_opened(Some(interrupted()), &[], &[], false, at(0));
    assert!(k.key(KeyCommand::Escape, at(1_000)));
    assert_eq!(k.page(), Page::Summary);
    assert_eq!(kinds(&k.take_storage(at(1_000), false)), ["finish"]);
}

#[test]
fn the_wipe_countdown_wipes_unless_cancelled_or_the_buttons_are_still_held() {
    use Gesture as G;
    let mut k = kiosk();
    k.handle(Intent::Wake, at(0));
    k.handle(Intent::StartMeeting, at(0));
    k.take_storage(at(0), false);
    k.button(G::WipePrompt, at(1_000));
    assert_eq!(k.wipe_countdown(at(4_000)), Some(7_000));
    assert!(!k.tick(at(10_999), false));
    // Still held at the end: something leans on them; nobody is watching a countdown.
    assert!(k.tick(at(11_000), true));
    assert!(!k.wipe_prompt());
    assert!(k.session().is_some());
    k.button(G::WipePrompt, at(20_000));
    assert!(k.tick(at(30_000), false));
    assert!(k.session().is_none());
    assert_eq!(k.page(), Page::Home);
    assert_eq!(kinds(&k.take_storage(at(30_000), false)), ["wipe-all"]);
}

#[test]
fn the_language_is_kept_as_a_setting_and_read_back() {
    let mut k = kiosk();
    k.handle(Intent::SetLanguage(Lang::En), at(0));
    let ops = k.take_storage(at(0), false);
    let [Command::SetSetting(name, value)] = ops.as_slice() else {
        panic!("{:?}", kinds(&ops))
    };
    assert_eq!((name.as_str(), value.as_str()), ("language", "en"));
    let mut fresh = kiosk();
    fresh.store_opened(None, &[("language".into(), "en".into())], &[], false, at(0));
    assert_eq!(fresh.lang(), Lang::En);
}

#[test]
fn settings_and_history_ask_for_the_pin_when_one_is_set() {
    use crate::store::worker::PinAnswer;
    use std::time::Duration;
    let mut k = kiosk();
    k.store_opened(None, &[], &[], true, at(0));
    assert!(k.handle(Intent::OpenHistory, at(0)));
    assert_eq!(k.page(), Page::Pin);
    assert!(!k.key(KeyCommand::Enter, at(0)), "too short to check");
    for d in [4, 3, 2, 1] {
        k.key(KeyCommand::Digit(d), at(0));
    }
    assert!(k.key(KeyCommand::Enter, at(0)));
    let ops = k.take_storage(at(0), false);
    let [Command::CheckPin(pin)] = ops.as_slice() else {
        panic!("{:?}", kinds(&ops))
    };
    assert_eq!(pin, "4321");
    assert_eq!(k.pin_entry().unwrap().status, PinStatus::Checking);
    assert!(
        !k.handle(Intent::PinDigit(1), at(0)),
        "no typing while it is checked"
    );
    k.pin_answer(PinAnswer::Wrong {
        wait: Duration::from_secs(30),
    });
    assert_eq!(
        k.pin_entry().unwrap().status,
        PinStatus::Wrong { wait_s: 30 }
    );
    assert_eq!(k.page(), Page::Pin);
    for d in [1, 2, 3, 4] {
        k.key(KeyCommand::Digit(d), at(0));
    }
    k.key(KeyCommand::Enter, at(0));
    k.take_storage(at(0), false);
    k.pin_answer(PinAnswer::Right);
    assert_eq!(k.page(), Page::History);
    assert_eq!(kinds(&k.take_storage(at(0), false)), ["history"]);
    assert!(k.history().is_none(), "loading");
    k.set_history(History::default());
    assert!(k.history().is_some());
    // Back home locks it again.
    k.key(KeyCommand::Escape, at(0));
    assert!(k.handle(Intent::OpenSettings, at(0)));
    assert_eq!(k.page(), Page::Pin);
    k.key(KeyCommand::Escape, at(0));
    assert_eq!(k.page(), Page::Home);
}

#[test]
fn settings_are_kept_and_read_back() {
    let mut k = kiosk();
    k.handle(Intent::OpenSettings, at(0));
    assert_eq!(
        k.page(),
        Page::Settings,
        "no PIN set: settings open at once"
    );
    k.handle(Intent::ChangeDefaultMembers(2), at(0));
    k.handle(Intent::ChangeDefaultLength(-2), at(0));
    k.handle(Intent::SetLed(false), at(0));
    k.handle(Intent::SetBuzzer(true), at(0));
    k.handle(Intent::SetRetention(7), at(0));
    let settings: Vec<(String, String)> = k
        .take_storage(at(0), false)
        .into_iter()
        .filter_map(|op| match op {
            Command::SetSetting(name, value) => Some((name, value)),
            _ => None,
        })
        .collect();
    assert_eq!(settings.len(), 5);
    let mut fresh = kiosk();
    fresh.store_opened(None, &settings, &[], false, at(0));
    assert_eq!(fresh.config().default_members, 8);
    assert_eq!(fresh.config().default_minutes, 60);
    assert_eq!(fresh.setup().members, 8);
    assert!(!fresh.led_on());
    assert!(fresh.buzzer_on());
    assert_eq!(fresh.config().retention_days, 7);
    // The LED stays dark during a meeting when it is switched off.
    fresh.handle(Intent::Wake, at(0));
    fresh.handle(Intent::StartMeeting, at(0));
    assert_eq!(fresh.led_pattern(at(1_000)), LedPattern::Off);
}

#[test]
fn wiping_everything_from_the_settings_asks_first() {
    let mut k = kiosk();
    k.handle(Intent::OpenSettings, at(0));
    k.handle(Intent::AskWipeAll, at(0));
    assert!(k.confirming_wipe());
    k.key(KeyCommand::Escape, at(0));
    assert!(!k.confirming_wipe());
    assert!(k.take_storage(at(0), false).is_empty());
    k.handle(Intent::AskWipeAll, at(0));
    k.handle(Intent::WipeAll, at(0));
    assert_eq!(k.page(), Page::Home);
    assert_eq!(kinds(&k.take_storage(at(0), false)), ["wipe-all"]);
}

#[test]
fn the_case_question_is_kept_short() {
    let mut k = kiosk();
    let t = now();
    k.handle(Intent::Wake, t);
    k.handle(Intent::StartMeeting, t);
    while k.page() == Page::Opening {
        k.key(KeyCommand::Next, t);
    }
    k.handle(Intent::SetCaseQuestion("x".repeat(1000)), t);
    assert_eq!(k.session().unwrap().questions[0].len(), MAX_QUESTION_CHARS);
}
