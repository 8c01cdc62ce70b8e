//! What the kiosk hands the store as a meeting runs, ends, is forgotten or interrupted, and the
//! settings and the PIN it keeps there.

use super::*;

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
        k.take_storage(at(0), SaveClock::WhenDue).is_empty(),
        "nothing to keep yet"
    );
    k.handle(Intent::Wake, at(0));
    k.handle(Intent::StartMeeting, at(0));
    let ops = k.take_storage(at(0), SaveClock::WhenDue);
    assert_eq!(kinds(&ops), ["begin"]);
    let Command::Begin(record, events) = &ops[0] else {
        unreachable!()
    };
    assert!(!events.is_empty(), "the start's events go with it");
    assert_eq!(record.asked, [false]);
    assert!(
        k.take_storage(at(100), SaveClock::WhenDue).is_empty(),
        "nothing changed"
    );
    assert_eq!(
        kinds(&k.take_storage(at(5_000), SaveClock::WhenDue)),
        ["save"]
    );
    k.key(KeyCommand::Next, at(6_000));
    let ops = k.take_storage(at(6_000), SaveClock::WhenDue);
    let [Command::Save(record, events)] = ops.as_slice() else {
        panic!("{:?}", kinds(&ops))
    };
    assert!(!events.is_empty());
    assert_eq!(record.snapshot.current, 1);
    k.handle(Intent::AskEnd, at(7_000));
    k.handle(Intent::ConfirmEndMeeting, at(7_000));
    let ops = k.take_storage(at(7_000), SaveClock::WhenDue);
    let [Command::Finish(ending, _)] = ops.as_slice() else {
        panic!("{:?}", kinds(&ops))
    };
    assert_eq!(ending.length, 7_000);
    assert_eq!(
        ending.phases.len(),
        k.session().unwrap().engine.plan().phases.len()
    );
    assert!(
        k.take_storage(at(8_000), SaveClock::WhenDue).is_empty(),
        "an ended meeting needs no saving"
    );
    k.key(KeyCommand::Digit(5), at(9_000));
    let ops = k.take_storage(at(9_000), SaveClock::WhenDue);
    let [Command::Save(record, _)] = ops.as_slice() else {
        panic!("{:?}", kinds(&ops))
    };
    assert_eq!(record.evaluation, Some(5));
    k.handle(Intent::Finish, at(10_000));
    assert_eq!(
        kinds(&k.take_storage(at(10_000), SaveClock::WhenDue)),
        ["close"]
    );
    assert!(k.take_storage(at(11_000), SaveClock::WhenDue).is_empty());
}

#[test]
fn forgetting_asks_the_store_to_forget_instead_of_closing() {
    let mut k = kiosk();
    k.handle(Intent::Wake, at(0));
    k.handle(Intent::StartMeeting, at(0));
    k.handle(Intent::AskEnd, at(1_000));
    k.handle(Intent::ConfirmEndMeeting, at(1_000));
    k.take_storage(at(1_000), SaveClock::WhenDue);
    k.handle(Intent::Forget, at(2_000));
    assert_eq!(
        kinds(&k.take_storage(at(2_000), SaveClock::WhenDue)),
        ["forget"]
    );
    assert!(k.take_storage(at(3_000), SaveClock::WhenDue).is_empty());
}

/// Issue 21, 3: each save is a commit and an fsync on the card. A counting clock is saved once
/// `SAVE_EVERY` has passed (the Pi cannot tell afterwards how long it ran); a paused meeting,
/// whose saved state does not change, writes nothing however long the pause. Before, a
/// repeating timer saved every 5 s whatever happened.
#[test]
fn only_a_counting_clock_or_a_change_is_saved() {
    let mut k = kiosk();
    k.handle(Intent::Wake, at(0));
    k.handle(Intent::StartMeeting, at(0));
    assert_eq!(kinds(&k.take_storage(at(0), SaveClock::WhenDue)), ["begin"]);
    let every = SAVE_EVERY.as_millis() as i64;
    let saves = |k: &mut Kiosk, from: i64, to: i64| {
        (from..=to)
            .step_by(1_000)
            .filter(|&t| !k.take_storage(at(t), SaveClock::WhenDue).is_empty())
            .count()
    };
    assert_eq!(saves(&mut k, 1_000, 60_000), (60_000 / every) as usize);
    k.key(KeyCommand::PauseResume, at(60_500));
    assert_eq!(
        kinds(&k.take_storage(at(60_500), SaveClock::WhenDue)),
        ["save"]
    );
    assert_eq!(saves(&mut k, 61_000, 600_000), 0, "a ten-minute pause");
    assert!(
        k.take_storage(at(600_500), SaveClock::Now).is_empty(),
        "what is kept of a pause is already on disk"
    );
    k.key(KeyCommand::PauseResume, at(601_000));
    assert_eq!(
        kinds(&k.take_storage(at(601_000), SaveClock::WhenDue)),
        ["save"]
    );
    assert_eq!(saves(&mut k, 601_000 + every, 601_000 + every), 1);
    assert_eq!(
        kinds(&k.take_storage(at(601_000 + every + 10), SaveClock::Now)),
        ["save"],
        "a counting clock, asked for at once"
    );
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
        k.take_storage(at(500), SaveClock::WhenDue).is_empty(),
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
        kinds(&k.take_storage(at(2_000), SaveClock::WhenDue)),
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
    assert_eq!(
        kinds(&k.take_storage(at(1_000), SaveClock::WhenDue)),
        ["finish"]
    );
}

#[test]
fn the_wipe_countdown_wipes_unless_cancelled_or_the_buttons_are_still_held() {
    use Gesture as G;
    let mut k = kiosk();
    k.handle(Intent::Wake, at(0));
    k.handle(Intent::StartMeeting, at(0));
    k.take_storage(at(0), SaveClock::WhenDue);
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
    assert_eq!(
        kinds(&k.take_storage(at(30_000), SaveClock::WhenDue)),
        ["wipe-all"]
    );
}

#[test]
fn the_language_is_kept_as_a_setting_and_read_back() {
    let mut k = kiosk();
    k.handle(Intent::SetLanguage(Lang::En), at(0));
    let ops = k.take_storage(at(0), SaveClock::WhenDue);
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
    let ops = k.take_storage(at(0), SaveClock::WhenDue);
    let [Command::CheckPin(pin)] = ops.as_slice() else {
        panic!("{:?}", kinds(&ops))
    };
    assert_eq!(pin, "4321");
    assert_eq!(k.pin_entry().unwrap().status, PinStatus::Checking);
    assert!(
        !k.handle(Intent::PinDigit(1), at(0)),
        "no typing while it is checked"
    );
    k.pin_answer(
        PinAnswer::Wrong {
            wait: Duration::from_secs(30),
        },
        at(0),
    );
    let status = k.pin_entry().unwrap().status;
    assert_eq!(
        status.wait_left(Instant(1_000)),
        Some(29_000),
        "the wait counts down"
    );
    assert_eq!(k.page(), Page::Pin);
    assert!(
        !k.key(KeyCommand::Digit(1), at(1_000)),
        "nothing is typed during the wait"
    );
    assert!(!k.tick(at(29_999), false));
    assert!(k.tick(at(30_000), false), "the wait ends by itself");
    assert_eq!(
        k.pin_entry().unwrap().status,
        PinStatus::Typing,
        "and its message goes"
    );
    for d in [1, 2, 3, 4] {
        assert!(k.key(KeyCommand::Digit(d), at(30_000)));
    }
    assert!(k.key(KeyCommand::Enter, at(30_000)));
    k.take_storage(at(30_000), SaveClock::WhenDue);
    k.pin_answer(PinAnswer::Right, at(30_100));
    assert_eq!(k.page(), Page::History);
    assert_eq!(
        kinds(&k.take_storage(at(0), SaveClock::WhenDue)),
        ["history"]
    );
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
        .take_storage(at(0), SaveClock::WhenDue)
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
    assert!(k.take_storage(at(0), SaveClock::WhenDue).is_empty());
    k.handle(Intent::AskWipeAll, at(0));
    k.handle(Intent::WipeAll, at(0));
    assert_eq!(k.page(), Page::Home);
    assert_eq!(
        kinds(&k.take_storage(at(0), SaveClock::WhenDue)),
        ["wipe-all"]
    );
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
    let draft = k.session().unwrap().draft.clone().unwrap();
    assert_eq!(draft.len(), MAX_QUESTION_CHARS);
    k.handle(Intent::FinishCaseQuestion, t);
    assert_eq!(k.session().unwrap().questions[0].len(), MAX_QUESTION_CHARS);
}

#[test]
fn news_from_the_store_goes_by_itself_and_trouble_stays() {
    use crate::store::worker::Report;
    use crate::store::{Keep, Notice};
    let mut k = kiosk();
    k.store_opened(None, &[], &[Notice::WipeFinished], false, at(0));
    assert_eq!(k.store_notice(), Some(&StoreNotice::WipeFinished));
    assert!(!k.tick(at(NEWS_LASTS - 1), false));
    assert!(k.tick(at(NEWS_LASTS), false), "news goes after a while");
    assert_eq!(k.store_notice(), None);
    k.store_report(Report::Wiped(Keep::NoSessions), at(20_000));
    k.store_report(Report::Recovered, at(25_000));
    assert!(
        !k.tick(at(20_000 + NEWS_LASTS - 1), false),
        "counted from the wipe, not later news"
    );
    assert!(k.tick(at(20_000 + NEWS_LASTS), false));
    k.store_report(Report::WriteFailed { disk_full: true }, at(40_000));
    assert!(!k.tick(at(400_000), false), "trouble stays");
    assert_eq!(
        k.store_notice(),
        Some(&StoreNotice::WriteFailing { disk_full: true })
    );
    assert!(k.handle(Intent::DismissStoreNotice, at(400_000)));
    assert!(
        !k.handle(Intent::DismissStoreNotice, at(400_000)),
        "nothing left to dismiss"
    );
}
