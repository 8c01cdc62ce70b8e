//! Property tests: random action sequences at random moments never break the engine's books.

mod common;

use common::Meeting;
use intervisie_kiosk::domain::engine::{Action, Engine, Mark, MeetingStatus, Progress};
use intervisie_kiosk::domain::event::Rating;
use intervisie_kiosk::domain::library::Library;
use proptest::prelude::*;

const ACTIONS: [Action; 16] = [
    Action::Next,
    Action::Next,
    Action::Next,
    Action::Back,
    Action::Pause,
    Action::Resume,
    Action::TogglePause,
    Action::AddMinute,
    Action::RemoveMinute,
    Action::SkipTurn,
    Action::EndCase,
    Action::Rate(Rating::Warm),
    Action::Rate(Rating::Cold),
    Action::CountQuestion,
    Action::Undo,
    Action::EndMeeting,
];

fn check_books(m: &Meeting) {
    let v = m.view();
    let snapshot = m.engine.snapshot(m.now.mono);
    assert!(v.phase_index < v.phases);
    match &v.turn {
        None => assert_eq!(v.remaining, v.budget - v.elapsed),
        // A round's time left is its turns': the current one's and those still to come.
        Some(t) => {
            let p = &snapshot.phases[v.phase_index];
            let to_come: i64 = (0..p.turns.len())
                .filter(|&j| j != t.number - 1 && p.turns[j].status == Progress::Pending)
                .map(|j| (p.turn_budget(j) - p.turns[j].spent).max(0))
                .sum();
            let expected = if to_come > 0 {
                t.remaining.max(0) + to_come
            } else {
                t.remaining
            };
            assert_eq!(v.remaining, expected);
        }
    }
    assert_eq!(v.at, snapshot.elapsed);
    // Every millisecond since the start is in exactly one phase, or in a pause.
    let spent: i64 = snapshot.phases.iter().map(|p| p.spent).sum();
    assert_eq!(spent + snapshot.paused_total, snapshot.elapsed);
    for (i, p) in snapshot.phases.iter().enumerate() {
        // What can be undone is exactly what was counted.
        let rated = p
            .marks
            .iter()
            .filter(|m| matches!(m, Mark::Rated(_)))
            .count();
        assert_eq!(p.ratings.total() as usize, rated, "phase {i}: {p:?}");
        assert_eq!(p.questions as usize, p.marks.len() - rated, "phase {i}");
        let in_turns: u32 = p.turns.iter().map(|t| t.questions).sum();
        assert!(p.turns.is_empty() || in_turns == p.questions, "phase {i}");
        assert!(p.budget >= 0 && p.total_budget() >= 0, "phase {i}: {p:?}");
        assert!(p.spent >= 0 && p.paused >= 0);
        if !p.turns.is_empty() {
            let turns: i64 = p.turns.iter().map(|t| t.spent).sum();
            assert_eq!(turns, p.spent, "phase {i}: turns do not add up");
            let budgets: i64 = (0..p.turns.len()).map(|t| p.turn_budget(t)).sum();
            assert_eq!(
                budgets,
                p.total_budget(),
                "phase {i}: turn budgets do not add up"
            );
        }
        let active = p.status == Progress::Active;
        if v.status == MeetingStatus::Running {
            assert_eq!(active, i == v.phase_index, "phase {i} is {:?}", p.status);
        }
    }
    if let Some(t) = &v.turn {
        assert!(1 <= t.number && t.number <= t.count);
        let p = &snapshot.phases[v.phase_index];
        assert_eq!(
            t.remaining,
            p.turn_budget(t.number - 1) - p.turns[t.number - 1].spent
        );
    }
    assert_eq!(v.behind, v.projected_end - v.target_end);
    match v.status {
        MeetingStatus::Running => assert!(v.projected_end >= v.at),
        MeetingStatus::Finished => assert_eq!(v.projected_end, v.at),
        MeetingStatus::NotStarted => unreachable!(),
    }
    for pair in m.events.windows(2) {
        assert!(pair[0].at <= pair[1].at, "events out of order: {pair:?}");
    }
}

/// Found by the property test: minutes taken off a phase, then going back before it, then
/// re-budgeting left that phase with a negative total.
#[test]
fn minutes_taken_off_a_phase_that_is_left_are_folded_into_the_refit() {
    let mut m = Meeting::started(&["incident"], 5, 66, true);
    for (wait, action) in [
        (0, Action::Next),
        (82_989, Action::TogglePause),
        (306_002, Action::RemoveMinute),
        (277_388, Action::RemoveMinute),
        (0, Action::Back),
    ] {
        m.wait(wait);
        let _ = m.try_press(action);
        check_books(&m);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn random_meetings_keep_their_books(
        method in prop::sample::select(vec!["incident", "vijf-stappen", "socratisch", "roddel", "balint"]),
        second_case in any::<bool>(),
        members in 3u8..=12,
        minutes in 30u32..=180,
        rebudget in any::<bool>(),
        steps in prop::collection::vec((0i64..600_000, 0usize..ACTIONS.len()), 1..120),
    ) {
        let methods: Vec<&str> = if second_case { vec![method, "vijf-stappen"] } else { vec![method] };
        let mut m = Meeting::started(&methods, members, minutes, rebudget);
        check_books(&m);
        let library = Library::built_in();
        for (wait, action) in steps {
            m.wait(wait);
            let _ = m.try_press(ACTIONS[action]);
            check_books(&m);
            // A power cut at any moment comes back at the same place.
            let restored = Engine::restore(&library, &m.engine.snapshot(m.now.mono), m.now.mono).unwrap();
            let (a, b) = (m.view(), restored.view(m.now));
            prop_assert_eq!(a.phase_index, b.phase_index);
            prop_assert_eq!(a.remaining, b.remaining);
            prop_assert_eq!(a.at, b.at);
            prop_assert_eq!(a.turn.map(|t| (t.number, t.remaining)), b.turn.map(|t| (t.number, t.remaining)));
            if m.engine.status() == MeetingStatus::Finished {
                break;
            }
        }
    }
}
