//! What the store reports, on screen: an interrupted meeting to resume, trouble with saving.

use super::*;

#[test]
fn an_interrupted_meeting_is_offered_on_the_resume_page() {
    use intervisie_kiosk::app::kiosk::{Intent, record_of};
    use intervisie_kiosk::store::RunningSession;
    // The meeting as it was kept: in the third phase of a five-step case.
    let before = Screen::new(800, 480, Lang::Nl);
    before.controller.intent(Intent::Wake);
    before
        .controller
        .intent(Intent::ChooseMethod("vijf-stappen".into()));
    before.controller.intent(Intent::StartMeeting);
    before.wait(30_000);
    before.key("\n");
    before.wait(30_000);
    before.key("\n");
    before.wait(20_000);
    let record = {
        let kiosk = before.controller.kiosk();
        use intervisie_kiosk::time_source::Clock;
        record_of(kiosk.session().unwrap(), before.clock.now())
    };
    let remaining = before
        .window
        .global::<MeetingAdapter>()
        .get_countdown()
        .iter()
        .collect::<Vec<_>>()
        .join("");
    for (width, height, lang) in [
        (800, 480, Lang::Nl),
        (1920, 1080, Lang::Nl),
        (480, 800, Lang::Nl),
        (800, 480, Lang::En),
    ] {
        let s = Screen::new(width, height, lang);
        s.controller.store_report(Report::Opened {
            running: Some(Box::new(RunningSession {
                id: 3,
                record: record.clone(),
            })),
            settings: Vec::new(),
            notices: Vec::new(),
            pin_set: false,
        });
        assert_eq!(s.page(), PageId::Resume);
        s.check_layout("resume");
        s.shot("resume");
        if lang == Lang::Nl {
            assert!(s.has("Bijeenkomst: Vijfstappenmethode, 6 deelnemers"));
            assert!(
                s.has(&format!("Resterende tijd: {remaining}")),
                "{remaining}"
            );
            s.wait(60_000);
            s.tap("Verdergaan (gepauzeerd)");
            assert_eq!(s.page(), PageId::Opening);
            assert!(s.window.global::<MeetingAdapter>().get_paused());
            let now = s
                .window
                .global::<MeetingAdapter>()
                .get_countdown()
                .iter()
                .collect::<Vec<_>>()
                .join("");
            assert_eq!(
                now, remaining,
                "a minute on the resume page costs the phase nothing"
            );
        }
    }
}

#[test]
fn trouble_with_the_store_is_shown_until_dismissed_or_resolved() {
    let s = Screen::new(800, 480, Lang::Nl);
    s.controller
        .store_report(Report::WriteFailed { disk_full: true });
    let text = s
        .window
        .global::<AppAdapter>()
        .get_store_notice()
        .to_string();
    assert!(text.contains("schijf is vol"), "{text}");
    assert!(s.window.global::<AppAdapter>().get_store_warning());
    s.check_layout("store-full");
    s.shot("store-disk-full");
    s.controller.store_report(Report::Recovered);
    assert_eq!(s.window.global::<AppAdapter>().get_store_notice(), "");
    s.controller.store_report(Report::Unavailable(
        "/var/lib/intervisie-kiosk: read-only".into(),
    ));
    let text = s
        .window
        .global::<AppAdapter>()
        .get_store_notice()
        .to_string();
    assert!(
        text.contains("read-only") && text.contains("niet bewaard"),
        "{text}"
    );
    s.tap(&text);
    assert_eq!(s.window.global::<AppAdapter>().get_store_notice(), "");
}

/// After too many wrong PINs the pad waits, says for how long while it counts down, takes no
/// digits meanwhile, and clears its message when the wait is over; nothing moves meanwhile.
#[test]
fn a_pin_wait_counts_down_and_the_pad_stays_put() {
    for (width, height) in [(800, 480), (480, 800), (1920, 1080)] {
        let s = Screen::new(width, height, Lang::Nl);
        s.store_opened_with_a_pin();
        s.tap("Instellingen");
        assert_eq!(s.page(), PageId::Pin);
        let pad = || s.find("Cijfer 5").absolute_position();
        let before = pad();
        let adapter = s.window.global::<intervisie_kiosk::ui::PinAdapter>();
        for d in "1234".chars() {
            s.key(d.to_string());
        }
        s.special(Key::Return);
        s.controller.store_report(Report::Pin(PinAnswer::Wrong {
            wait: std::time::Duration::from_secs(30),
        }));
        assert_eq!(
            adapter.get_message(),
            "Onjuiste PIN. Probeer het over 30 seconden opnieuw."
        );
        assert_eq!(
            pad(),
            before,
            "the pad does not move when the message comes"
        );
        s.key("7");
        assert_eq!(adapter.get_digits(), 0, "no digits during the wait");
        s.wait(10_000);
        assert_eq!(
            adapter.get_message(),
            "Onjuiste PIN. Probeer het over 20 seconden opnieuw.",
            "the wait counts down"
        );
        s.wait(20_000);
        assert_eq!(adapter.get_message(), "", "the message goes with the wait");
        s.key("7");
        assert_eq!(adapter.get_digits(), 1);
    }
}
