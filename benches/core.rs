//! The pure core under criterion: what the screen asks of the engine every second (its view),
//! a whole meeting stepped through, planning a meeting, and the gesture machine turning a bouncy
//! button press into a gesture.
//!
//! Run: `cargo bench --bench core` (criterion's options after `--`, e.g. `-- --quick`).

#[path = "../tests/common/mod.rs"]
mod common;

use common::Meeting;
use criterion::{Criterion, criterion_group, criterion_main};
use intervisie_kiosk::domain::engine::{Action, MeetingStatus};
use intervisie_kiosk::domain::time::Instant;
use intervisie_kiosk::input::gestures::{Button, Edge, Gestures, Timing};
use std::hint::black_box;

fn engine(c: &mut Criterion) {
    let mut running = Meeting::started(&["incident"], 6, 90, true);
    running.wait(4 * 60_000).press(Action::Next);
    running.wait(95_000);
    c.bench_function("engine: view (once a second on screen)", |b| {
        b.iter(|| black_box(running.engine.view(black_box(running.now))))
    });
    c.bench_function("plan: two cases for 8 members, 150 min", |b| {
        b.iter(|| black_box(Meeting::plan(&["incident", "balint"], 8, 150)))
    });
    c.bench_function("engine: a whole meeting, every phase and turn", |b| {
        b.iter(|| {
            let mut m = Meeting::started(&["incident"], 6, 90, true);
            while m.engine.status() == MeetingStatus::Running {
                m.wait(45_000);
                m.press(Action::Next);
            }
            black_box(m.events.len())
        })
    });
}

fn gestures(c: &mut Criterion) {
    // A press of 120 ms whose contacts bounce on the way down and up, then the release settled.
    let edges: Vec<Edge> = [
        (true, 0),
        (false, 1),
        (true, 3),
        (false, 120),
        (true, 121),
        (false, 124),
    ]
    .iter()
    .map(|&(pressed, at)| Edge {
        button: Button::Next,
        pressed,
        at: Instant(at),
    })
    .collect();
    c.bench_function("gestures: a bouncy short press to its gesture", |b| {
        b.iter(|| {
            let (mut machine, _) = Gestures::new(Timing::default(), [false, false], Instant(0));
            let mut found = Vec::new();
            for edge in &edges {
                machine.edge(*edge);
                found.extend(machine.advance(edge.at));
            }
            found.extend(machine.advance(Instant(200)));
            black_box(found)
        })
    });
}

criterion_group!(benches, engine, gestures);
criterion_main!(benches);
