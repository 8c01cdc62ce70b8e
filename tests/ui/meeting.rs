//! A meeting on screen: methods chosen, phases stepped through by tap and key, pause, over time, rounds, the case question, the rating buttons, both languages.

use super::*;

#[test]
fn choose_a_method_start_and_step_through_phases() {
    let s = Screen::new(800, 480, Lang::Nl);
    assert_eq!(s.page(), PageId::Home);
    s.tap("Tik om te beginnen");
    assert_eq!(s.page(), PageId::Setup);
    s.tap("Vijfstappenmethode");
    assert!(s.find("Vijfstappenmethode").accessible_checked().unwrap());
    s.tap("Beginnen");
    assert_eq!(s.page(), PageId::Opening);
    assert_eq!(s.title(), "Welkom");
    s.tap("Volgende");
    assert_eq!(s.title(), "Spelregels");
    assert!(s.has("Fase: Spelregels"));
    s.tap("Terug");
    assert_eq!(s.title(), "Welkom");
}

#[test]
fn keys_work_like_a_presenter_clicker() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.key("x");
    assert_eq!(s.page(), PageId::Setup);
    s.special(Key::Return);
    assert_eq!(s.page(), PageId::Opening);
    s.special(Key::PageDown);
    assert_eq!(s.title(), "Spelregels");
    s.special(Key::PageUp);
    assert_eq!(s.title(), "Welkom");
    s.key(" ");
    assert!(s.window.global::<MeetingAdapter>().get_paused());
    s.key("b");
    assert!(!s.window.global::<MeetingAdapter>().get_paused());
    s.special(Key::Escape);
    assert!(s.window.global::<AppAdapter>().get_confirm_end());
    s.special(Key::Return);
    assert_eq!(s.page(), PageId::Summary);
}

/// Only what a presenter clicker sends, through the real window: PageDown, PageUp and `b`.
#[test]
fn a_clicker_alone_runs_a_meeting_from_home_to_home() {
    let s = Screen::new(800, 480, Lang::Nl);
    let question = || {
        s.window
            .global::<intervisie_kiosk::ui::CaseQuestionAdapter>()
            .get_text()
    };
    s.special(Key::PageDown);
    assert_eq!(s.page(), PageId::Setup);
    s.key("b");
    s.special(Key::PageDown);
    assert_eq!(s.page(), PageId::Opening, "next starts the meeting");
    while s.page() == PageId::Opening {
        s.special(Key::PageDown);
    }
    assert_eq!(s.page(), PageId::CaseQuestion);
    assert!(
        s.has("begint na de vraag"),
        "the page says the phase's clock waits for the question"
    );
    s.key("b");
    assert_eq!(s.page(), PageId::Running, "blank skips the question");
    assert_eq!(question(), "", "blank is not typed into the question");
    assert!(!s.window.global::<MeetingAdapter>().get_paused());
    while s.page() == PageId::Running {
        s.special(Key::PageDown);
    }
    assert_eq!(s.page(), PageId::CaseQuestion, "asked again after the core");
    assert!(s.has("Is de hulpvraag veranderd?") && s.has("Zo laten"));
    s.special(Key::PageDown);
    while s.page() == PageId::Running {
        s.special(Key::PageDown);
    }
    assert_eq!(s.page(), PageId::Summary);
    s.special(Key::PageDown);
    assert_eq!(s.page(), PageId::Home, "next finishes the summary");
}

/// A keyboard types the question once a character starts it; the clicker's next still leaves.
#[test]
fn typing_takes_the_keys_but_not_next() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.special(Key::PageDown);
    s.special(Key::PageDown);
    while s.page() == PageId::Opening {
        s.special(Key::PageDown);
    }
    for key in ["W", "a", "t", " ", "n", "u", "b", "."] {
        s.key(key);
    }
    let adapter = s
        .window
        .global::<intervisie_kiosk::ui::CaseQuestionAdapter>();
    assert_eq!(
        adapter.get_text(),
        "Wat nub.",
        "once typing, b and . are letters"
    );
    s.special(Key::PageDown);
    assert_eq!(
        s.page(),
        PageId::Running,
        "next still reaches the kiosk while typing"
    );
    assert!(!s.window.global::<MeetingAdapter>().get_paused());
    assert!(s.has("Casusvraag: Wat nub."));
}

/// The on-screen keyboard types what a Dutch question needs: a capital where a sentence starts,
/// then small letters, accents and digits.
#[test]
fn the_on_screen_keyboard_types_accents_and_digits() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    while s.page() == PageId::Opening {
        s.special(Key::PageDown);
    }
    for key in [
        "I",
        "d",
        "e",
        "e",
        "Cijfers en accenten",
        "ë",
        "Letters",
        "n",
        "Spatie",
    ] {
        s.tap(key);
    }
    s.tap("Cijfers en accenten");
    s.tap("2");
    s.tap("?");
    let adapter = s
        .window
        .global::<intervisie_kiosk::ui::CaseQuestionAdapter>();
    assert_eq!(adapter.get_text(), "Ideeën 2?");
}

#[test]
fn skip_drops_what_was_typed() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    while s.page() == PageId::Opening {
        s.special(Key::PageDown);
    }
    s.tap("B");
    s.tap("Overslaan");
    assert_eq!(s.page(), PageId::Running);
    assert!(
        !s.has("Casusvraag: b"),
        "skipped: no half-typed question on view"
    );
}

#[test]
fn pause_is_unmistakable() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    s.tap("Pauze");
    s.wait(75_000);
    assert!(s.has("PAUZE"));
    assert_eq!(s.window.global::<MeetingAdapter>().get_paused_for(), "1:15");
    s.tap("Verder");
    assert!(!s.has("PAUZE"));
}

#[test]
fn over_time_is_shown_in_words_and_with_a_plus() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    let budget = 6 * 60_000; // Welkom in a 90-minute incident meeting
    s.wait(budget - 30_000);
    assert!(s.has("BIJNA TIJD"));
    s.wait(35_000);
    assert!(s.has("OVER TIJD"));
    let chars: Vec<String> =
        slint::Model::iter(&s.window.global::<MeetingAdapter>().get_countdown())
            .map(|c| c.to_string())
            .collect();
    assert_eq!(chars.concat(), "+0:05");
    assert!(s.has("0:05 over tijd"));
}

#[test]
fn a_round_shows_whose_turn_it_is() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    while s.page() == PageId::Opening {
        s.tap("Volgende");
    }
    assert_eq!(s.page(), PageId::CaseQuestion);
    s.tap("Klaar");
    s.tap("Volgende");
    assert_eq!(s.title(), "Informatieronde");
    assert!(s.has("Beurt 1 van 5"));
    assert!(
        s.has("Links van de inbrenger begint, dan met de klok mee"),
        "who starts and which way"
    );
    let next_up = || s.window.global::<MeetingAdapter>().get_next_up();
    assert_eq!(next_up(), "Beurt 2", "next leads to the next turn");
    s.tap("Beurt overslaan");
    assert!(s.has("Beurt 2 van 5"));
    for _ in 2..5 {
        s.tap("Volgende");
    }
    assert!(s.has("Beurt 5 van 5"));
    assert_eq!(
        next_up(),
        "Wat speelt hier? · 13 min",
        "then to the next phase"
    );
}

#[test]
fn the_case_question_can_be_typed_and_stays_in_view() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Beginnen");
    while s.page() == PageId::Opening {
        s.special(Key::RightArrow);
    }
    for key in ["H", "o", "e", "Spatie", "n", "u", "?"] {
        s.tap(key);
    }
    s.tap("Wissen");
    s.tap("Spatie");
    assert_eq!(
        s.window
            .global::<intervisie_kiosk::ui::CaseQuestionAdapter>()
            .get_text(),
        "Hoe nu "
    );
    s.special(Key::Return);
    assert_eq!(s.page(), PageId::Running);
    assert!(s.has("Casusvraag: Hoe nu"));
}

#[test]
fn the_screen_speaks_english_when_asked() {
    let s = Screen::new(800, 480, Lang::En);
    s.tap("Tap to start");
    s.tap("Start");
    assert_eq!(s.title(), "Welcome");
    s.tap("Next");
    assert_eq!(s.title(), "Ground rules");
}

#[test]
fn the_socratic_rating_buttons_count() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.tap("Tik om te beginnen");
    s.tap("Socratische methode");
    s.tap("Beginnen");
    while s.page() == PageId::Opening {
        s.tap("Volgende");
    }
    s.tap("Overslaan");
    while !s.title().starts_with("Vragen opschrijven") {
        s.tap("Volgende");
    }
    let m = s.window.global::<MeetingAdapter>();
    assert_eq!(
        m.get_questions(),
        "",
        "questions written in silence are not counted on screen"
    );
    while s.title() != "Warm, neutraal of koud (1/2)" {
        s.tap("Volgende");
    }
    assert!(
        m.get_instruction().contains("warm (geeft energie"),
        "what warm, neutral and cold mean"
    );
    assert!(
        s.find(&m.get_instruction()).computed_opacity() > 0.0,
        "and it is on screen while rating"
    );
    s.check_layout("rating");
    s.check_digits_whole("rating");
    s.shot("rating");
    s.tap("Warm (0)");
    s.tap("Warm (1)");
    s.tap("Koud (0)");
    assert_eq!((m.get_warm(), m.get_neutral(), m.get_cold()), (2, 0, 1));
    s.tap("De laatste ongedaan maken");
    assert_eq!((m.get_warm(), m.get_cold()), (2, 0), "a mistap taken back");
    // A keyboard by the facilitator: 2 is neutral, down takes it back, 3 is cold.
    s.key("2");
    s.special(Key::DownArrow);
    s.key("3");
    assert_eq!((m.get_warm(), m.get_neutral(), m.get_cold()), (2, 0, 1));
    // The tally stays with the meeting: on the summary.
    s.special(Key::Escape);
    s.special(Key::Return);
    assert_eq!(s.page(), PageId::Summary);
    assert!(s.has("warm 2 · neutraal 0 · koud 1"));
}
