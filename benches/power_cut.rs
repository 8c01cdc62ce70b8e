//! The long power-cut run: the release binary's headless kiosk killed with SIGKILL hundreds of
//! times at random moments (mid-action, in bursts of presses, during wipes and finishes) and
//! started again each time; every acknowledged action, wipe and finish must hold. The suite
//! runs 30 of these kills (tests/headless.rs); this is the same test at length.
//!
//! Run: `cargo bench --bench power_cut` (600 kills; `-- --kills N`, `-- --seed S` to replay).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

fn main() {
    let kills = common::bench_arg("--kills").unwrap_or(600) as u32;
    let seed = common::bench_arg("--seed").unwrap_or_else(|| {
        Instant::now().elapsed().as_nanos() as u64 ^ u64::from(std::process::id())
    });
    let data = tempfile::tempdir().unwrap();
    let tmp = tempfile::tempdir().unwrap();
    println!("power cut: {kills} kills, seed {seed}");
    let started = Instant::now();
    let figures = common::power_cut::run(data.path(), tmp.path(), kills, seed);
    let took = started.elapsed().as_secs_f64();
    println!(
        "kills {} · resumed {} · fresh starts {} · bursts {} · wipes {} ({} acknowledged) · \
         finishes {} ({} acknowledged) · in flight and kept {} · losses {} · {took:.0} s",
        figures.kills,
        figures.resumes,
        figures.fresh_starts,
        figures.bursts,
        figures.wipes,
        figures.wipes_acknowledged,
        figures.finishes,
        figures.finishes_acknowledged,
        figures.in_flight_kept,
        figures.losses.len(),
    );
    for loss in &figures.losses {
        println!("LOST: {loss}");
    }
    if !figures.losses.is_empty() {
        std::process::exit(1);
    }
}
