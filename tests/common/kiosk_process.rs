//! The real binary as a test drives it: `run --headless` with one action a line in and one JSON
//! view a line out, IT's commands, and a replayable random number generator.

use super::run_with_input;
use serde_json::Value;
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

pub const BIN: &str = env!("CARGO_BIN_EXE_intervisie-kiosk");

pub fn config(dir: &Path) -> String {
    let path = dir.join("config.toml");
    std::fs::write(&path, "# defaults\n").unwrap();
    path.display().to_string()
}

/// A headless kiosk: write actions, read one JSON view per acknowledged action.
pub struct Headless {
    child: Child,
    stdin: Option<ChildStdin>,
    lines: mpsc::Receiver<Value>,
}

impl Headless {
    pub fn start(data: &Path, tmp: &Path, extra: &[&str]) -> Headless {
        let mut child = Command::new(BIN)
            .args(["--config", &config(tmp), "--data-dir"])
            .arg(data)
            .args(["run", "--headless"])
            .args(extra)
            .env("TMPDIR", tmp)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("starts");
        let stdout = child.stdout.take().unwrap();
        let (tx, lines) = mpsc::channel();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                let value: Value = serde_json::from_str(&line).expect("one JSON view a line");
                if tx.send(value).is_err() {
                    break;
                }
            }
        });
        let stdin = child.stdin.take();
        Headless {
            child,
            stdin,
            lines,
        }
    }

    pub fn next_view(&self) -> Value {
        self.lines
            .recv_timeout(Duration::from_secs(30))
            .expect("a view within 30 s")
    }

    pub fn send(&mut self, action: &str) {
        let stdin = self.stdin.as_mut().unwrap();
        writeln!(stdin, "{action}").unwrap();
        stdin.flush().unwrap();
    }

    pub fn act(&mut self, action: &str) -> Value {
        self.send(action);
        self.next_view()
    }

    /// SIGKILL, as a power cut; returns the views it printed that were not read yet (each was
    /// acknowledged: it is on disk).
    pub fn kill(mut self) -> Vec<Value> {
        self.child.kill().unwrap();
        self.child.wait().unwrap();
        let mut printed = Vec::new();
        while let Ok(view) = self.lines.recv_timeout(Duration::from_secs(5)) {
            printed.push(view);
        }
        printed
    }

    pub fn close(mut self) {
        drop(self.stdin.take());
        assert!(self.child.wait().unwrap().success());
    }
}

pub fn cli(data: &Path, tmp: &Path, args: &[&str], input: &str) -> (bool, String, String) {
    let out = run_with_input(
        Command::new(BIN)
            .args(["--config", &config(tmp), "--data-dir"])
            .arg(data)
            .args(args),
        input,
    );
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// IT's `status --json` on the store in `data` (it runs beside a running kiosk too).
pub fn store_status(data: &Path, tmp: &Path) -> Value {
    let (ok, out, err) = cli(data, tmp, &["status", "--json"], "");
    assert!(ok, "status failed: {err}");
    serde_json::from_str(&out).expect("status prints JSON")
}

pub fn f(v: &Value, key: &str) -> f64 {
    v[key].as_f64().unwrap_or(f64::NAN)
}

/// What must survive a power cut exactly.
pub fn place(v: &Value) -> (Value, Value, Value, Value, Value, Value) {
    (
        v["phase_index"].clone(),
        v["turn"].clone(),
        v["budget_s"].clone(),
        v["warm"].clone(),
        v["asked"].clone(),
        v["status"].clone(),
    )
}

/// A small random-number generator: the seed is printed, so a failure can be replayed.
pub struct Lcg(pub u64);

impl Lcg {
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}
