//! Shared helpers for the integration tests: a meeting on a fake clock, and running the binary
//! with something on its standard input.
#![allow(dead_code)]

pub mod fuzz;
pub mod kiosk_process;
pub mod power_cut;
pub mod small_disk;

use intervisie_kiosk::domain::engine::{Action, Engine, Rejected, Settings};
use intervisie_kiosk::domain::event::Event;
use intervisie_kiosk::domain::library::Library;
use intervisie_kiosk::domain::method::Ms;
use intervisie_kiosk::domain::plan::{CaseRequest, MeetingRequest, Plan, Target};
use intervisie_kiosk::domain::time::{Instant, Now};
use intervisie_kiosk::domain::view::View;

pub fn start_time() -> chrono::NaiveDateTime {
    intervisie_kiosk::time_source::test_start().wall
}

pub fn request(methods: &[&str], members: u8, minutes: u32) -> MeetingRequest {
    MeetingRequest {
        cases: methods.iter().map(|m| CaseRequest::new(*m)).collect(),
        members,
        target: Target::Minutes(minutes),
    }
}

/// A meeting driven by a fake clock that only moves when the test says so.
pub struct Meeting {
    pub engine: Engine,
    pub now: Now,
    pub events: Vec<Event>,
}

impl Meeting {
    pub fn plan(methods: &[&str], members: u8, minutes: u32) -> Plan {
        Plan::build(
            &Library::built_in(),
            &request(methods, members, minutes),
            start_time(),
        )
        .unwrap()
    }

    pub fn new(methods: &[&str], members: u8, minutes: u32, rebudget: bool) -> Meeting {
        let plan = Meeting::plan(methods, members, minutes);
        Meeting::from_engine(Engine::new(plan, Settings { rebudget }))
    }

    pub fn from_engine(engine: Engine) -> Meeting {
        Meeting {
            engine,
            now: Now::new(Instant(1_000_000), start_time()),
            events: Vec::new(),
        }
    }

    pub fn started(methods: &[&str], members: u8, minutes: u32, rebudget: bool) -> Meeting {
        let mut m = Meeting::new(methods, members, minutes, rebudget);
        m.press(Action::Start);
        m
    }

    pub fn wait(&mut self, ms: Ms) -> &mut Self {
        self.now = self.now.after(ms);
        self
    }

    pub fn try_press(&mut self, action: Action) -> Result<Vec<Event>, Rejected> {
        let result = self.engine.apply(action, self.now);
        if let Ok(events) = &result {
            self.events.extend(events.iter().cloned());
        }
        result
    }

    pub fn press(&mut self, action: Action) -> Vec<Event> {
        self.try_press(action)
            .unwrap_or_else(|r| panic!("{action} was rejected: {r}"))
    }

    pub fn view(&self) -> View {
        self.engine.view(self.now)
    }

    /// Waits exactly until the current turn (or phase) reaches zero.
    pub fn wait_for_zero(&mut self) -> &mut Self {
        let v = self.view();
        let remaining = v.turn.as_ref().map_or(v.remaining, |t| t.remaining);
        self.wait(remaining)
    }
}

/// How often `needle` occurs in the raw bytes of every file under `dir` (files that vanish while
/// being read are skipped).
pub fn count_in_files(dir: &std::path::Path, needle: &[u8]) -> usize {
    let mut count = 0;
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            count += count_in_files(&path, needle);
        } else if let Ok(bytes) = std::fs::read(&path) {
            count += bytes.windows(needle.len()).filter(|w| *w == needle).count();
        }
    }
    count
}

/// Runs `command` with `input` on its standard input (then closed), and collects its exit
/// status and everything it wrote.
pub fn run_with_input(command: &mut std::process::Command, input: &str) -> std::process::Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the program starts");
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

/// A benchmark's `--name N` argument, if given.
pub fn bench_arg(name: &str) -> Option<u64> {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
}

/// Every key file under `dir`, tried on every database file under it: the case questions it
/// can still read.
pub fn readable_with_any_key(dir: &std::path::Path, needle: &str) -> usize {
    fn files(dir: &std::path::Path, out: &mut Vec<std::path::PathBuf>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                files(&path, out);
            } else {
                out.push(path);
            }
        }
    }
    let mut all = Vec::new();
    files(dir, &mut all);
    let keys: Vec<intervisie_kiosk::store::key::Key> = all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "key"))
        .filter_map(|p| intervisie_kiosk::store::key::Key::read(p).ok())
        .collect();
    let mut found = 0;
    for db in all
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "db"))
    {
        for key in &keys {
            let Ok(conn) = intervisie_kiosk::store::connect(db, key) else {
                continue;
            };
            let records: Vec<String> = conn
                .prepare("SELECT record FROM sessions")
                .and_then(|mut q| q.query_map([], |r| r.get(0))?.collect())
                .unwrap_or_default();
            found += records.iter().filter(|r| r.contains(needle)).count();
        }
    }
    found
}
