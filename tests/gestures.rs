//! The button gestures, fed with edge sequences that look like real switches: contact bounce,
//! glitches, buttons held at start-up or stuck, late deliveries, and two buttons pressed a
//! little apart. An event loop like the real one delivers each edge and wakes at every deadline.

use intervisie_kiosk::domain::time::Instant;
use intervisie_kiosk::input::gestures::{Button, Edge, Gesture, Gestures, Timing};
use proptest::prelude::*;

use Button::{Next, Pause};

/// Edges as they reach the event loop: `(delivered at, edge)`.
#[derive(Default, Clone, Debug)]
struct Wire {
    deliveries: Vec<(i64, Edge)>,
}

impl Wire {
    fn edge(&mut self, button: Button, pressed: bool, at: i64) -> &mut Wire {
        self.deliveries.push((
            at,
            Edge {
                button,
                pressed,
                at: Instant(at),
            },
        ));
        self
    }

    /// A clean press from `down` to `up` (ms).
    fn press(&mut self, button: Button, down: i64, up: i64) -> &mut Wire {
        self.edge(button, true, down).edge(button, false, up)
    }

    /// A press whose contacts bounce for a while on the way down and on the way up.
    /// `bounce` lists the gaps (ms) between the extra edges of each burst.
    fn bouncy_press(&mut self, button: Button, down: i64, up: i64, bounce: &[i64]) -> &mut Wire {
        for (start, level) in [(down, true), (up, false)] {
            let mut t = start;
            let mut now = level;
            self.edge(button, now, t);
            for gap in bounce {
                t += gap;
                now = !now;
                self.edge(button, now, t);
            }
            // A burst always ends at the level the contact settles on.
            if now != level {
                t += 1;
                self.edge(button, level, t);
            }
        }
        self
    }
}

/// Runs the gesture machine over the wire until `until`, as the event loop would: advancing at
/// each delivery and at each deadline the machine asks for. Returns `(time, gesture)`.
fn run_with(timing: Timing, held: [bool; 2], wire: &Wire, until: i64) -> Vec<(i64, Gesture)> {
    let (mut machine, first) = Gestures::new(timing, held, Instant(0));
    let mut out: Vec<(i64, Gesture)> = first.into_iter().map(|g| (0, g)).collect();
    let mut deliveries = wire.deliveries.clone();
    deliveries.sort_by_key(|(at, _)| *at);
    let mut deliveries = deliveries.into_iter().peekable();
    loop {
        let delivery = deliveries.peek().map(|(at, _)| *at);
        let deadline = machine.next_deadline().map(|i| i.0);
        let now = match (delivery, deadline) {
            (Some(d), Some(t)) => d.min(t),
            (Some(d), None) => d,
            (None, Some(t)) => t,
            (None, None) => break,
        };
        if now > until {
            break;
        }
        while deliveries.peek().is_some_and(|(at, _)| *at == now) {
            machine.edge(deliveries.next().unwrap().1);
        }
        out.extend(machine.advance(Instant(now)).into_iter().map(|g| (now, g)));
    }
    out
}

fn run(wire: &Wire, until: i64) -> Vec<(i64, Gesture)> {
    run_with(Timing::default(), [false, false], wire, until)
}

fn gestures(events: &[(i64, Gesture)]) -> Vec<Gesture> {
    events.iter().map(|(_, g)| *g).collect()
}

const BOUNCE: [i64; 6] = [1, 2, 1, 3, 2, 4];

#[test]
fn next_short_press_is_next_on_release() {
    let out = run(Wire::default().press(Next, 100, 220), 5_000);
    assert_eq!(out, vec![(240, Gesture::Next)]);
}

#[test]
fn next_long_press_is_back_while_still_held() {
    let out = run(Wire::default().press(Next, 100, 2_500), 5_000);
    // At one second of holding (and the debounce time), not at the release: the person sees
    // it happen while still holding.
    assert_eq!(out, vec![(1_120, Gesture::Back)]);
}

#[test]
fn pause_short_and_long() {
    let out = run(
        Wire::default()
            .press(Pause, 100, 250)
            .press(Pause, 1_000, 2_300),
        5_000,
    );
    assert_eq!(
        out,
        vec![(270, Gesture::TogglePause), (2_020, Gesture::AddMinute)]
    );
}

#[test]
fn just_under_a_second_is_still_short() {
    let out = run(Wire::default().press(Next, 0, 999), 5_000);
    assert_eq!(gestures(&out), vec![Gesture::Next]);
    let out = run(Wire::default().press(Next, 0, 1_000), 5_000);
    assert_eq!(gestures(&out), vec![Gesture::Back]);
}

#[test]
fn both_held_three_seconds_asks_to_end_the_case() {
    let out = run(
        Wire::default()
            .press(Next, 100, 3_600)
            .press(Pause, 150, 3_650),
        20_000,
    );
    // Counted from the second press; neither button's own gesture fires.
    assert_eq!(out, vec![(3_170, Gesture::EndCasePrompt)]);
}

#[test]
fn both_held_ten_seconds_asks_to_wipe() {
    let out = run(
        Wire::default()
            .press(Pause, 0, 10_500)
            .press(Next, 80, 10_400),
        20_000,
    );
    assert_eq!(
        out,
        vec![
            (3_100, Gesture::EndCasePrompt),
            (10_100, Gesture::WipePrompt)
        ]
    );
}

#[test]
fn both_pressed_briefly_does_nothing() {
    let out = run(
        Wire::default().press(Next, 100, 600).press(Pause, 300, 700),
        5_000,
    );
    assert_eq!(out, vec![]);
}

#[test]
fn two_buttons_pressed_a_little_apart_are_still_both() {
    // 400 ms apart is a person reaching for the second button, not two separate presses.
    let out = run(
        Wire::default()
            .press(Next, 0, 4_000)
            .press(Pause, 400, 4_100),
        10_000,
    );
    assert_eq!(gestures(&out), vec![Gesture::EndCasePrompt]);
}

#[test]
fn second_button_after_a_long_press_does_nothing_until_both_are_up() {
    let out = run(
        Wire::default()
            .press(Next, 0, 5_000)
            .press(Pause, 1_500, 5_500)
            .press(Pause, 6_000, 6_100),
        10_000,
    );
    assert_eq!(
        gestures(&out),
        vec![Gesture::Back, Gesture::TogglePause],
        "{out:?}"
    );
}

#[test]
fn releasing_one_of_both_then_pressing_again_is_no_gesture() {
    // Both down, pause let go and pressed again while next stays down: still nothing,
    // until both are up.
    let out = run(
        Wire::default()
            .press(Next, 0, 2_000)
            .press(Pause, 100, 500)
            .press(Pause, 800, 900)
            .press(Next, 3_000, 3_100),
        10_000,
    );
    assert_eq!(gestures(&out), vec![Gesture::Next], "{out:?}");
    assert_eq!(out[0].0, 3_120);
}

#[test]
fn contact_bounce_gives_one_gesture() {
    let out = run(Wire::default().bouncy_press(Next, 100, 300, &BOUNCE), 5_000);
    assert_eq!(gestures(&out), vec![Gesture::Next], "{out:?}");
}

#[test]
fn bounce_bursts_from_5_to_30_ms_each_give_one_gesture() {
    for burst in [5, 10, 15, 20, 25, 30] {
        // Gaps of 1–4 ms adding up to the burst's length.
        let mut gaps = Vec::new();
        let mut total = 0;
        let mut i = 0;
        while total < burst {
            let gap = (i % 4 + 1).min(burst - total);
            gaps.push(gap);
            total += gap;
            i += 1;
        }
        for (button, short, long) in [
            (Next, Gesture::Next, Gesture::Back),
            (Pause, Gesture::TogglePause, Gesture::AddMinute),
        ] {
            let out = run(Wire::default().bouncy_press(button, 50, 200, &gaps), 5_000);
            assert_eq!(gestures(&out), vec![short], "{burst} ms: {out:?}");
            let out = run(
                Wire::default().bouncy_press(button, 50, 1_800, &gaps),
                5_000,
            );
            assert_eq!(gestures(&out), vec![long], "{burst} ms: {out:?}");
        }
    }
}

#[test]
fn bouncing_chord_still_asks_to_end_the_case() {
    let out = run(
        Wire::default()
            .bouncy_press(Next, 0, 3_500, &BOUNCE)
            .bouncy_press(Pause, 200, 3_600, &BOUNCE),
        10_000,
    );
    assert_eq!(gestures(&out), vec![Gesture::EndCasePrompt], "{out:?}");
}

#[test]
fn a_glitch_shorter_than_the_debounce_is_ignored() {
    let out = run(
        Wire::default()
            .press(Next, 100, 102)
            .press(Pause, 500, 511)
            .press(Next, 900, 919),
        5_000,
    );
    assert_eq!(out, vec![]);
}

#[test]
fn quick_presses_are_never_missed() {
    let mut wire = Wire::default();
    for i in 0..8 {
        wire.bouncy_press(Next, i * 160, i * 160 + 70, &[1, 2, 1]);
    }
    let out = run(&wire, 5_000);
    assert_eq!(gestures(&out), vec![Gesture::Next; 8], "{out:?}");
}

#[test]
fn a_button_held_at_start_is_ignored_until_released() {
    let wire = Wire::default()
        .edge(Next, false, 5_000)
        .press(Next, 6_000, 6_100)
        .clone();
    let out = run_with(Timing::default(), [true, false], &wire, 20_000);
    assert_eq!(
        out,
        vec![
            (0, Gesture::HeldAtStart(Next)),
            (5_020, Gesture::Freed(Next)),
            (6_120, Gesture::Next),
        ]
    );
}

#[test]
fn the_other_button_works_while_one_is_held_at_start() {
    let wire = Wire::default().press(Pause, 1_000, 1_100).clone();
    let out = run_with(Timing::default(), [true, false], &wire, 20_000);
    assert_eq!(
        gestures(&out),
        vec![Gesture::HeldAtStart(Next), Gesture::TogglePause]
    );
}

#[test]
fn a_stuck_button_is_reported_and_the_other_keeps_working() {
    let out = run(
        Wire::default()
            .press(Next, 0, 300_000)
            .press(Pause, 40_000, 40_100)
            .press(Pause, 50_000, 51_500)
            .press(Next, 301_000, 301_100),
        400_000,
    );
    assert_eq!(
        out,
        vec![
            (1_020, Gesture::Back),
            (30_020, Gesture::Stuck(Next)),
            (40_120, Gesture::TogglePause),
            (51_020, Gesture::AddMinute),
            (300_020, Gesture::Freed(Next)),
            (301_120, Gesture::Next),
        ]
    );
}

#[test]
fn something_leaning_on_both_buttons_is_stuck_not_a_wipe_forever() {
    let out = run(
        Wire::default()
            .press(Next, 0, 120_000)
            .press(Pause, 10, 120_000),
        200_000,
    );
    assert_eq!(
        gestures(&out),
        vec![
            Gesture::EndCasePrompt,
            Gesture::WipePrompt,
            Gesture::Stuck(Next),
            Gesture::Stuck(Pause),
            Gesture::Freed(Next),
            Gesture::Freed(Pause),
        ]
    );
}

#[test]
fn edges_delivered_out_of_order_are_sorted_by_their_time() {
    // Each button has its own interrupt thread, so a later edge of one button can reach the
    // event loop before an earlier edge of the other. Pause was pressed first here, but
    // arrives last: the hold of both still counts from Next, the second press.
    let mut wire = Wire::default();
    for (delivered, button, pressed, at) in [
        (101, Next, true, 100),
        (104, Pause, true, 95),
        (3_500, Next, false, 3_499),
        (3_501, Pause, false, 3_500),
    ] {
        wire.deliveries.push((
            delivered,
            Edge {
                button,
                pressed,
                at: Instant(at),
            },
        ));
    }
    let out = run(&wire, 10_000);
    assert_eq!(out, vec![(3_120, Gesture::EndCasePrompt)]);
}

#[test]
fn a_bounce_burst_delivered_shuffled_is_one_press() {
    let mut wire = Wire::default();
    for (delivered, pressed, at) in [
        (201, true, 200),
        (203, true, 202),
        (203, false, 201),
        (206, false, 204),
        (207, true, 205),
        (330, false, 330),
    ] {
        wire.deliveries.push((
            delivered,
            Edge {
                button: Next,
                pressed,
                at: Instant(at),
            },
        ));
    }
    let out = run(&wire, 5_000);
    assert_eq!(out, vec![(350, Gesture::Next)]);
}

#[test]
fn chord_releases_in_either_order_do_nothing_more() {
    for (first, second) in [(Next, Pause), (Pause, Next)] {
        let mut wire = Wire::default();
        wire.edge(Next, true, 0)
            .edge(Pause, true, 100)
            .edge(first, false, 3_400)
            .edge(second, false, 3_401);
        let out = run(&wire, 10_000);
        assert_eq!(gestures(&out), vec![Gesture::EndCasePrompt]);
    }
}

#[test]
fn the_deadline_is_when_the_next_thing_can_happen() {
    let (mut machine, _) = Gestures::new(Timing::default(), [false, false], Instant(0));
    assert_eq!(machine.next_deadline(), None);
    machine.edge(Edge {
        button: Next,
        pressed: true,
        at: Instant(100),
    });
    assert_eq!(machine.advance(Instant(100)), vec![]);
    assert_eq!(machine.next_deadline(), Some(Instant(120)));
    assert_eq!(machine.advance(Instant(120)), vec![]);
    // The long press is judged once every edge up to its second has been taken.
    assert_eq!(machine.next_deadline(), Some(Instant(1_120)));
    assert_eq!(machine.advance(Instant(1_119)), vec![]);
    assert_eq!(machine.advance(Instant(1_120)), vec![Gesture::Back]);
    assert!(machine.is_pressed(Next));
}

#[test]
fn both_held_reports_when_the_prompts_come() {
    let (mut machine, _) = Gestures::new(Timing::default(), [false, false], Instant(0));
    for (button, at) in [(Next, 0), (Pause, 200)] {
        machine.edge(Edge {
            button,
            pressed: true,
            at: Instant(at),
        });
    }
    machine.advance(Instant(500));
    let held = machine.both_held().expect("both are held");
    assert_eq!(held.since, Instant(200));
    assert_eq!(held.end_case_at, Instant(3_220));
    assert_eq!(held.wipe_at, Instant(10_220));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Any bounce pattern of up to 30 ms (gaps of 1 to 5 ms) on a press of any length a finger
    /// makes gives exactly the gesture that press length means.
    #[test]
    fn any_bounce_gives_the_gesture_of_the_press_length(
        gaps in prop::collection::vec(1i64..6, 0..6),
        length in 60i64..2_500,
        pause in any::<bool>(),
    ) {
        let button = if pause { Pause } else { Next };
        let out = run(Wire::default().bouncy_press(button, 1_000, 1_000 + length, &gaps), 20_000);
        let expected = match (button, length >= 1_000) {
            (Next, false) => Gesture::Next,
            (Next, true) => Gesture::Back,
            (Pause, false) => Gesture::TogglePause,
            (Pause, true) => Gesture::AddMinute,
        };
        // Bounce shifts when the level settles by at most the burst, so presses within a burst's
        // length of a second may go either way; everything else is exact.
        let burst: i64 = gaps.iter().sum::<i64>() + 1;
        if (length - 1_000).abs() > burst + 20 {
            prop_assert_eq!(gestures(&out), vec![expected]);
        } else {
            prop_assert_eq!(out.len(), 1);
        }
    }

    /// A series of clean presses, of either button, a little apart: one gesture each.
    #[test]
    fn separate_presses_each_count_once(
        presses in prop::collection::vec((any::<bool>(), 40i64..600, 60i64..400), 1..12),
    ) {
        let mut wire = Wire::default();
        let mut t = 100;
        let mut expected = Vec::new();
        for (pause, length, gap) in presses {
            let button = if pause { Pause } else { Next };
            wire.bouncy_press(button, t, t + length, &[1, 1, 2]);
            expected.push(if pause { Gesture::TogglePause } else { Gesture::Next });
            t += length + gap;
        }
        let out = run(&wire, t + 5_000);
        prop_assert_eq!(gestures(&out), expected);
    }
}
