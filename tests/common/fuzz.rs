//! Mutation fuzzing on the stable toolchain (no coverage-guided fuzzer builds on it): valid
//! inputs mutated byte by byte and token by token, fed to every parser of outside input. A
//! panic is a failure; errors are the right answer to bad input. Shared by the short run in the
//! suite (tests/fuzz.rs) and the long one (`cargo bench --bench fuzz`).

use super::kiosk_process::Lcg;
use intervisie_kiosk::cli::{intent_for, script};
use intervisie_kiosk::config::Config;
use intervisie_kiosk::domain::engine::Engine;
use intervisie_kiosk::domain::library::Library;
use intervisie_kiosk::domain::method_file::{parse_frame, parse_method};
use intervisie_kiosk::store::SessionRecord;
use std::panic::{AssertUnwindSafe, catch_unwind};

/// One parser of outside input, with valid inputs to start from.
pub struct Target {
    pub name: &'static str,
    pub seeds: Vec<Vec<u8>>,
    pub parse: fn(&[u8]),
}

/// Pieces that parsers trip over, spliced in at random.
const TOKENS: &[&str] = &[
    "=",
    "[",
    "]",
    "[[",
    "]]",
    "{",
    "}",
    "\"",
    "'",
    "\"\"\"",
    ",",
    ".",
    "#",
    "\n",
    "\r\n",
    "\t",
    "\\",
    "\\u0000",
    "0",
    "-1",
    "1e309",
    "-0",
    "nan",
    "inf",
    "9223372036854775807",
    "-9223372036854775808",
    "18446744073709551616",
    "0.0000001",
    "true",
    "false",
    "null",
    "é",
    "\u{202e}",
    "\u{fffd}",
    "💥",
    " ",
    "min",
    "max",
    "default",
    "phases",
    "id",
    "actor",
    "round",
    "minutes_per_turn",
    "{}",
    "[]",
    ":",
    "\"version\":",
    "\"current\":",
    "\"phases\":",
    "\"elapsed\":",
    "\"turn\":",
    "start",
    "next",
    "rate",
    "question",
    "wipe",
    "1e13",
];

pub fn mutate(rng: &mut Lcg, seed: &[u8]) -> Vec<u8> {
    let mut out = seed.to_vec();
    for _ in 0..=rng.below(6) {
        let at = if out.is_empty() {
            0
        } else {
            rng.below(out.len() as u64 + 1) as usize
        };
        match rng.below(7) {
            0 if !out.is_empty() && at < out.len() => out[at] ^= 1 << rng.below(8),
            1 if at < out.len() => {
                let len = (rng.below(16) as usize).min(out.len() - at);
                out.drain(at..at + len);
            }
            2 => {
                let token = TOKENS[rng.below(TOKENS.len() as u64) as usize];
                out.splice(at..at, token.bytes());
            }
            3 if at < out.len() => {
                let len = (rng.below(64) as usize).min(out.len() - at);
                let chunk: Vec<u8> = out[at..at + len].to_vec();
                let to = rng.below(out.len() as u64 + 1) as usize;
                out.splice(to..to, chunk);
            }
            4 => out.truncate(at),
            5 if at < out.len() => out[at] = rng.below(256) as u8,
            _ => {
                // A number somewhere replaced by an extreme one.
                if let Some(pos) = out.iter().skip(at).position(u8::is_ascii_digit) {
                    let token = ["0", "-1", "1e309", "99999999999999999999", "4294967296"]
                        [rng.below(5) as usize];
                    out.splice(at + pos..at + pos + 1, token.bytes());
                }
            }
        }
    }
    out
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every parser that reads outside input.
pub fn targets() -> Vec<Target> {
    let methods: Vec<Vec<u8>> = ["balint", "incident", "roddel", "socratisch", "vijf-stappen"]
        .iter()
        .map(|m| {
            std::fs::read(format!(
                "{}/assets/methods/{m}.toml",
                env!("CARGO_MANIFEST_DIR")
            ))
            .unwrap()
        })
        .collect();
    let frame = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/assets/meeting-frame.toml"
    ))
    .unwrap();
    let config = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/deploy/config.example.toml"
    ))
    .unwrap();
    // Every option in the example switched on: `#name = value` lines lose their `#`.
    let config: String = text(&config)
        .lines()
        .map(|l| match l.strip_prefix('#') {
            Some(option) if !option.starts_with(' ') && !option.is_empty() => option,
            _ => l,
        })
        .flat_map(|l| [l, "\n"])
        .collect();
    let config = config.into_bytes();
    let record = {
        let m = super::Meeting::started(&["incident"], 6, 90, true);
        let record = SessionRecord {
            started_at: super::start_time(),
            snapshot: m.engine.snapshot(m.now.mono),
            questions: vec!["Hoe zeg ik nee?".into()],
            asked: vec![true],
            reviewed: vec![false],
            draft: Some("Hoe".into()),
            evaluation: None,
        };
        serde_json::to_vec(&record).unwrap()
    };
    vec![
        Target {
            name: "method file",
            seeds: methods,
            parse: |b| {
                let _ = parse_method("m.toml", &text(b));
            },
        },
        Target {
            name: "meeting frame",
            seeds: vec![frame],
            parse: |b| {
                let _ = parse_frame("f.toml", &text(b));
            },
        },
        Target {
            name: "config",
            seeds: vec![config, b"[buttons]\nnext_pin = 5\npause_pin = 6\n".to_vec()],
            parse: |b| {
                let _ = Config::parse("c.toml", &text(b));
            },
        },
        Target {
            name: "simulation script",
            seeds: vec![
                b"0 start\n60 next\n90 rate-warm\n# x\n120.5 back\n300 end-meeting\n".to_vec(),
            ],
            parse: |b| {
                let _ = script::parse("s.txt", &text(b));
            },
        },
        Target {
            name: "headless line",
            seeds: vec![
                b"next".to_vec(),
                b"question Hoe zeg ik nee?".to_vec(),
                b"rate 4".to_vec(),
                b"wipe".to_vec(),
            ],
            parse: |b| {
                let line = text(b);
                let words = line.trim();
                let (word, rest) = words.split_once(' ').unwrap_or((words, ""));
                let _ = intent_for(word, rest.trim());
            },
        },
        Target {
            name: "stored record",
            seeds: vec![record],
            parse: |b| {
                if let Ok(record) = serde_json::from_slice::<SessionRecord>(b) {
                    let now = intervisie_kiosk::time_source::test_start();
                    LIBRARY.with(|library| {
                        if let Ok(engine) = Engine::restore(library, &record.snapshot, now.mono) {
                            let _ = engine.view(now.after(1_000));
                            let _ = engine.snapshot(now.mono);
                        }
                    });
                }
            },
        },
    ]
}

thread_local! {
    static LIBRARY: Library = Library::built_in();
}

/// Cases run, how many panicked, and the first inputs that did.
pub struct Outcome {
    pub name: &'static str,
    pub cases: u64,
    pub panics: u64,
    pub examples: Vec<Vec<u8>>,
}

pub fn run(target: &Target, cases: u64, seed: u64) -> Outcome {
    let mut rng = Lcg(seed);
    let mut panics = 0;
    let mut examples = Vec::new();
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    for _ in 0..cases {
        let from = &target.seeds[rng.below(target.seeds.len() as u64) as usize];
        let input = mutate(&mut rng, from);
        if catch_unwind(AssertUnwindSafe(|| (target.parse)(&input))).is_err() {
            panics += 1;
            if examples.len() < 5 {
                examples.push(input);
            }
        }
    }
    std::panic::set_hook(hook);
    Outcome {
        name: target.name,
        cases,
        panics,
        examples,
    }
}
