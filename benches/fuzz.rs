//! The long mutation-fuzzing run over every parser of outside input: method files, the meeting
//! frame, the config, simulation scripts, the headless kiosk's input lines, and the record read
//! back from the store (with the engine rebuilt from it). The suite runs 3,000 cases of each
//! (tests/fuzz.rs); this runs a million of each.
//!
//! Run: `cargo bench --bench fuzz` (`-- --cases N` per parser, `-- --seed S` to replay).

#[path = "../tests/common/mod.rs"]
mod common;

use std::time::Instant;

fn main() {
    let cases = common::bench_arg("--cases").unwrap_or(1_000_000);
    let seed = common::bench_arg("--seed").unwrap_or_else(|| u64::from(std::process::id()) * 7919);
    println!("fuzz: {cases} cases per parser, seed {seed}");
    let mut total = 0;
    let mut panics = 0;
    for target in common::fuzz::targets() {
        let started = Instant::now();
        let outcome = common::fuzz::run(&target, cases, seed);
        let took = started.elapsed().as_secs_f64();
        println!(
            "{:<18} {:>9} cases · {:>3} panics · {:>8.0} cases/s",
            outcome.name,
            outcome.cases,
            outcome.panics,
            outcome.cases as f64 / took
        );
        for example in &outcome.examples {
            println!("  PANIC on {:?}", String::from_utf8_lossy(example));
        }
        total += outcome.cases;
        panics += outcome.panics;
    }
    println!("total {total} cases, {panics} panics");
    if panics > 0 {
        std::process::exit(1);
    }
}
