//! The short run of the mutation fuzzer over every parser of outside input (the long one:
//! `cargo bench --bench fuzz`). `FUZZ_SEED=N` replays a run.

mod common;

#[test]
fn no_parser_of_outside_input_panics_on_mutated_input() {
    let seed = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(|| u64::from(std::process::id()) * 7919);
    println!("FUZZ_SEED={seed}");
    for target in common::fuzz::targets() {
        let outcome = common::fuzz::run(&target, 3_000, seed);
        let examples: Vec<String> = outcome
            .examples
            .iter()
            .map(|e| String::from_utf8_lossy(e).into_owned())
            .collect();
        assert_eq!(
            outcome.panics, 0,
            "{}: {} of {} inputs panicked, such as {examples:#?}",
            outcome.name, outcome.panics, outcome.cases
        );
    }
}

/// The fuzzer itself: a parser that panics on some inputs is caught, counted and shown.
#[test]
fn a_panicking_parser_is_caught() {
    let target = common::fuzz::Target {
        name: "breaks on a brace",
        seeds: vec![b"a = 1".to_vec()],
        parse: |b| assert!(!b.contains(&b'{'), "a brace"),
    };
    let outcome = common::fuzz::run(&target, 3_000, 1);
    assert!(outcome.panics > 0, "the mutations splice in braces");
    assert!(outcome.examples.iter().all(|e| e.contains(&b'{')));
}
