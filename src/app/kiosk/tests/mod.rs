//! The kiosk's flow, driven as the screen, the keys and the buttons drive it, on a fake clock;
//! what it hands the store is in `storage`.

use super::*;
use crate::domain::method::MINUTE;
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
    // After the core is named, the question page comes again with the question as it stands.
    while k.page() == Page::Running {
        assert!(k.key(KeyCommand::Next, t));
    }
    assert_eq!(k.page(), Page::CaseQuestion);
    assert_eq!(
        k.session().unwrap().question_due(),
        Some((0, QuestionAsk::Again))
    );
    assert_eq!(
        k.session().unwrap().draft.as_deref(),
        Some("Hoe zeg ik nee?")
    );
    k.handle(
        Intent::SetCaseQuestion("Hoe zeg ik vriendelijk nee?".into()),
        t,
    );
    assert!(k.key(KeyCommand::Enter, t));
    assert_eq!(
        k.session().unwrap().questions[0],
        "Hoe zeg ik vriendelijk nee?"
    );
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
    k.key(KeyCommand::PauseResume, t);
    assert_eq!(
        k.setup().cases,
        ["vijf-stappen"],
        "blank picks the next method"
    );
    k.key(KeyCommand::Up, t);
    assert_eq!(k.setup().members, 7);
    k.key(KeyCommand::More, t);
    assert_eq!(k.setup().minutes, 105);
    k.key(KeyCommand::Escape, t);
    assert_eq!(k.page(), Page::Home);
    k.handle(Intent::Wake, t);
    k.key(KeyCommand::Back, t);
    assert_eq!(
        k.page(),
        Page::Home,
        "back leaves the set-up, as the button does"
    );
}

/// A presenter clicker has next, back and blank, nothing else: that is enough for a meeting
/// from the home page to the summary and home again, the case question included.
#[test]
fn a_clicker_alone_runs_a_whole_meeting() {
    use KeyCommand::{Back, Next, PauseResume as Blank};
    let mut k = kiosk();
    let mut t = now();
    assert!(k.key(Next, t));
    assert_eq!(k.page(), Page::Setup);
    assert!(k.key(Blank, t));
    assert_eq!(k.setup().cases, ["vijf-stappen"]);
    assert!(k.key(Next, t), "next starts the meeting");
    assert_eq!(k.page(), Page::Opening);
    while k.page() == Page::Opening {
        t = t.after(1_000);
        assert!(k.key(Next, t));
    }
    assert_eq!(k.page(), Page::CaseQuestion);
    assert!(k.key(Back, t), "back goes to the phase before");
    assert_eq!(k.page(), Page::Opening);
    assert!(k.key(Next, t));
    assert_eq!(
        k.page(),
        Page::CaseQuestion,
        "and next comes back to the question"
    );
    assert!(k.key(Next, t), "next leaves the question page");
    assert_eq!(k.page(), Page::Running);
    assert_eq!(k.session().unwrap().questions[0], "");
    while k.page() == Page::Running {
        t = t.after(1_000);
        assert!(k.key(Next, t));
    }
    assert_eq!(k.page(), Page::CaseQuestion, "asked again after the core");
    assert!(k.key(Blank, t), "blank leaves the question as it was");
    assert_eq!(k.page(), Page::Running);
    while k.page() == Page::Running {
        t = t.after(1_000);
        assert!(k.key(Next, t));
    }
    assert_eq!(k.page(), Page::Summary);
    assert!(k.key(Next, t), "next finishes the summary");
    assert_eq!(k.page(), Page::Home);
}

/// The case's first clock starts only once its question is typed or skipped, however long that
/// takes; the same after a rephrasing phase. Back from the page runs the clock before it again.
#[test]
fn the_question_page_holds_the_phase_clock() {
    let mut k = kiosk();
    let mut t = now();
    k.handle(Intent::Wake, t);
    k.handle(Intent::ChooseMethod("incident".into()), t);
    k.handle(Intent::StartMeeting, t);
    while k.page() == Page::Opening {
        k.key(KeyCommand::Next, t);
    }
    let remaining = |k: &Kiosk, t: Now| k.session().unwrap().engine.view(t).remaining;
    let before = remaining(&k, t);
    assert_eq!(
        before,
        3 * MINUTE,
        "the incident's three minutes, untouched"
    );
    t = t.after(2 * MINUTE);
    assert_eq!(
        remaining(&k, t),
        before,
        "typing takes no time from the phase"
    );
    assert!(k.session().unwrap().engine.is_paused());
    assert!(
        k.key(KeyCommand::PauseResume, t),
        "blank skips the question"
    );
    assert!(!k.session().unwrap().engine.is_paused());
    t = t.after(30_000);
    assert_eq!(remaining(&k, t), before - 30_000, "now the clock runs");
    // To the phase after the core problem: asked again, clock held again.
    while k.session().unwrap().question_due().is_none() {
        k.key(KeyCommand::Next, t);
    }
    assert_eq!(k.page(), Page::CaseQuestion);
    let held = remaining(&k, t);
    t = t.after(MINUTE);
    assert_eq!(remaining(&k, t), held);
    assert!(k.key(KeyCommand::Back, t));
    assert_eq!(k.page(), Page::Running, "back to the core problem, running");
    assert!(!k.session().unwrap().engine.is_paused());
    assert!(k.session().unwrap().draft.is_none());
}

#[test]
fn asked_again_skip_keeps_the_question_as_it_was_and_done_keeps_the_change() {
    let mut k = kiosk();
    let t = now();
    k.handle(Intent::Wake, t);
    k.handle(Intent::ChooseMethod("incident".into()), t);
    k.handle(Intent::StartMeeting, t);
    while k.page() != Page::CaseQuestion {
        k.key(KeyCommand::Next, t);
    }
    k.handle(Intent::SetCaseQuestion("Wat doe ik?".into()), t);
    k.handle(Intent::FinishCaseQuestion, t);
    while k.page() != Page::CaseQuestion {
        k.key(KeyCommand::Next, t);
    }
    k.handle(Intent::SetCaseQuestion("Wat doe ik met".into()), t);
    assert_eq!(
        k.session().unwrap().questions[0],
        "Wat doe ik?",
        "on view meanwhile"
    );
    k.handle(Intent::SkipCaseQuestion, t);
    assert_eq!(k.session().unwrap().questions[0], "Wat doe ik?");
    assert!(k.session().unwrap().reviewed[0]);
    // Back into the rephrasing and forward again: the page is not asked twice.
    k.key(KeyCommand::Back, t);
    k.key(KeyCommand::Next, t);
    assert_eq!(k.page(), Page::Running);
}

#[test]
fn skipping_the_case_question_drops_what_was_typed() {
    let mut k = kiosk();
    let t = now();
    k.handle(Intent::Wake, t);
    k.handle(Intent::StartMeeting, t);
    while k.page() == Page::Opening {
        k.key(KeyCommand::Next, t);
    }
    k.handle(Intent::SetCaseQuestion("b.".into()), t);
    assert!(k.key(KeyCommand::Escape, t));
    assert_eq!(k.page(), Page::Running);
    assert_eq!(
        k.session().unwrap().questions[0],
        "",
        "nothing half-typed stays on view"
    );
    assert!(k.session().unwrap().asked[0]);
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

mod storage;
