//! The store's write latency per event, on real files with `synchronous=FULL`: what one press of
//! a button costs on disk (its events appended, then the running meeting's record saved, as the
//! store thread does), until the data is flushed. Median and worst over many presses.
//!
//! Run: `cargo bench --bench store_latency` (add `-- --quick` for a short smoke run). Files go
//! under the build directory (`CARGO_TARGET_TMPDIR`), so the disk is the build's disk; set
//! `STORE_BENCH_DIR` to measure another (the Pi's SD card, say).

#[path = "../tests/common/mod.rs"]
mod common;

use common::{Meeting, start_time};
use intervisie_kiosk::domain::engine::Action;
use intervisie_kiosk::store::{SessionRecord, Store};
use std::time::{Duration, Instant};

fn main() {
    let quick = std::env::args().any(|a| a == "--quick");
    let presses = if quick { 30 } else { 1_000 };
    let base = std::env::var_os("STORE_BENCH_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::PathBuf::from(env!("CARGO_TARGET_TMPDIR")));
    std::fs::create_dir_all(&base).unwrap();
    let dir = tempfile::tempdir_in(&base).unwrap();
    let (mut store, _) = Store::open(dir.path()).unwrap();

    let mut meeting = Meeting::started(&["incident"], 6, 90, true);
    let record = |m: &Meeting| SessionRecord {
        started_at: start_time(),
        snapshot: m.engine.snapshot(m.now.mono),
        questions: vec!["Hoe houd ik grenzen aan in een druk team?".into()],
        asked: vec![true],
        reviewed: vec![false],
        draft: None,
        evaluation: None,
    };
    store.begin(&record(&meeting)).unwrap();

    let mut times = Vec::with_capacity(presses);
    let mut events_written = 0;
    for _ in 0..presses {
        meeting.wait(1_000);
        // Pause and resume by turns: every press makes an event, and the meeting never ends.
        let events = meeting.press(Action::TogglePause);
        events_written += events.len();
        let saved = record(&meeting);
        let start = Instant::now();
        store.append_events(&events).unwrap();
        store.save(&saved).unwrap();
        times.push(start.elapsed());
    }
    times.sort();
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    let median = ms(times[times.len() / 2]);
    let p99 = ms(times[times.len() * 99 / 100]);
    let worst = ms(*times.last().unwrap());
    println!(
        "store write per press ({presses} presses, {events_written} events, synchronous=FULL, in {}): \
         median {median:.2} ms, 99th percentile {p99:.2} ms, worst {worst:.2} ms",
        base.display()
    );
    println!("STORE_LATENCY_MS median={median:.3} worst={worst:.3}");
}
