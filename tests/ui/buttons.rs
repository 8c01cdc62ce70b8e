//! The two push buttons run a meeting, and a stuck one is shown while the other still works.

use super::*;

#[test]
fn push_buttons_run_the_meeting_and_ask_before_ending_a_case() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.push(Button::Next, 120);
    assert_eq!(s.page(), PageId::Setup);
    s.push(Button::Pause, 120);
    s.push(Button::Next, 120);
    assert_eq!(s.page(), PageId::Opening);
    let welcome = s.title();
    s.push(Button::Next, 150);
    assert_ne!(s.title(), welcome);
    // A long press of next goes back.
    s.push(Button::Next, 1_300);
    assert_eq!(s.title(), welcome);
    // A long press of pause adds a minute; a short one pauses.
    s.push(Button::Pause, 1_300);
    s.push(Button::Pause, 100);
    assert!(s.has("PAUZE"));
    s.push(Button::Pause, 100);
    assert!(!s.has("PAUZE"));
    while s.page() == PageId::Opening {
        s.push(Button::Next, 100);
    }
    s.push(Button::Next, 100);
    assert_eq!(s.page(), PageId::Running);
    // Both held three seconds: the end question, answered by the buttons.
    s.hold_both(3_300);
    assert!(s.window.global::<AppAdapter>().get_confirm_end());
    assert!(s.has("Volgende-knop: casus afronden. Pauzeknop: doorgaan."));
    s.shot("buttons-end-question");
    s.push(Button::Pause, 100);
    assert!(!s.window.global::<AppAdapter>().get_confirm_end());
    assert_eq!(s.page(), PageId::Running);
    // Ten seconds: the wipe prompt with its countdown; any press cancels it.
    s.hold_both(10_300);
    assert!(s.window.global::<AppAdapter>().get_wipe_prompt());
    assert!(s.has("10 s"), "the countdown starts at ten seconds");
    s.check_layout("wipe-prompt");
    s.shot("buttons-wipe-prompt");
    s.wait(4_000);
    assert!(s.has("6 s"));
    s.push(Button::Next, 100);
    assert!(!s.window.global::<AppAdapter>().get_wipe_prompt());
    assert_eq!(
        s.page(),
        PageId::Running,
        "cancelling the wipe moves nothing on"
    );
    // Held again and left to count down: the meeting on screen is wiped too.
    s.hold_both(10_300);
    for _ in 0..10 {
        s.wait(1_000);
    }
    assert!(!s.window.global::<AppAdapter>().get_wipe_prompt());
    assert_eq!(s.page(), PageId::Home);
    assert!(s.controller.kiosk().session().is_none());
}

#[test]
fn a_stuck_button_is_shown_and_the_other_still_works() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.push(Button::Next, 100);
    s.controller.button_edge(Edge {
        button: Button::Pause,
        pressed: true,
        at: Instant(s.now_ms()),
    });
    for _ in 0..40 {
        s.wait(1_000);
    }
    let notice = s.window.global::<AppAdapter>().get_notice().to_string();
    assert!(notice.contains("pauze"), "{notice}");
    s.check_layout("stuck-button");
    s.shot("buttons-stuck");
    s.push(Button::Next, 100);
    assert_eq!(s.page(), PageId::Opening, "next works while pause is stuck");
    s.controller.button_edge(Edge {
        button: Button::Pause,
        pressed: false,
        at: Instant(s.now_ms()),
    });
    s.wait(50);
    assert_eq!(s.window.global::<AppAdapter>().get_notice(), "");
}
