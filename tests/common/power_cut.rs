//! Power cuts at random moments: the headless kiosk is killed with SIGKILL mid-action, in a
//! burst of actions, during a wipe and during a finish, and started again each time. What was
//! acknowledged (printed) must be there after the restart; a wipe that was acknowledged must
//! have left nothing to resume. Shared by the short test in the suite and the long run
//! (`cargo bench --bench power_cut`).

use super::kiosk_process::{Headless, Lcg, f, place, store_status};
use serde_json::Value;
use std::path::Path;
use std::time::{Duration, Instant};

/// What a run did and found.
#[derive(Debug, Default)]
pub struct Figures {
    pub kills: u32,
    /// Restarts that took up the interrupted meeting again.
    pub resumes: u32,
    /// Restarts with nothing to resume (after a finish or a wipe), a new meeting begun.
    pub fresh_starts: u32,
    pub bursts: u32,
    pub wipes: u32,
    pub wipes_acknowledged: u32,
    pub finishes: u32,
    pub finishes_acknowledged: u32,
    /// Actions on their way at the kill that turned out kept (never half).
    pub in_flight_kept: u32,
    /// Acknowledged things not found after the restart: must be none.
    pub losses: Vec<String>,
}

const START: [&str; 6] = ["--method", "incident", "--members", "5", "--minutes", "90"];

/// Position of a meeting along its phases: how far next has taken it.
fn progress(v: &Value) -> (u64, u64, usize) {
    let asked = v["asked"]
        .as_array()
        .map_or(0, |a| a.iter().filter(|x| x == &&Value::Bool(true)).count());
    (
        v["phase_index"].as_u64().unwrap_or(0),
        v["turn"].as_u64().unwrap_or(0),
        asked,
    )
}

fn restart(data: &Path, tmp: &Path, figures: &mut Figures) -> (Headless, Value) {
    let kiosk = Headless::start(data, tmp, &START);
    let first = kiosk.next_view();
    match first["action"].as_str() {
        Some("resumed") => figures.resumes += 1,
        _ => figures.fresh_starts += 1,
    }
    (kiosk, first)
}

/// Sends `word`, waits for its acknowledgement half of the time, waits up to `linger_us` more
/// if given, and kills the kiosk: whether `word` was acknowledged before the cut.
fn kill_during(mut kiosk: Headless, word: &str, rng: &mut Lcg, linger_us: Option<u64>) -> bool {
    kiosk.send(word);
    let done = (rng.below(2) == 0).then(|| kiosk.next_view());
    if let Some(most) = linger_us {
        std::thread::sleep(Duration::from_micros(rng.below(most)));
    }
    let printed = kiosk.kill();
    done.iter()
        .chain(&printed)
        .any(|v| v["action"] == word && v["rejected"].is_null())
}

/// `rounds` kills on the store in `data`, from `seed`.
pub fn run(data: &Path, tmp: &Path, rounds: u32, seed: u64) -> Figures {
    let mut rng = Lcg(seed);
    let mut figures = Figures::default();
    let (mut kiosk, mut acked) = restart(data, tmp, &mut figures);
    // The first start is not a restart after a kill.
    figures = Figures::default();
    let actions = [
        "next",
        "next",
        "add-minute",
        "toggle-pause",
        "remove-minute",
        "back",
    ];
    for round in 0..rounds {
        // A running meeting clear of its end: a finished one has nothing to resume.
        while acked["phase_index"].as_u64().unwrap_or(0) + 6
            >= acked["phases"].as_u64().unwrap_or(13)
        {
            acked = kiosk.act("back");
        }
        if acked["paused"] == true {
            acked = kiosk.act("resume");
        }
        let kind = rng.below(10);
        let at = |what: &str| format!("round {round} ({what}, seed {seed})");
        match kind {
            // A wipe, killed after its acknowledgement or on its way.
            0 => {
                figures.wipes += 1;
                let wiped = kill_during(kiosk, "wipe", &mut rng, Some(5_000));
                figures.kills += 1;
                let (next, first) = restart(data, tmp, &mut figures);
                if wiped {
                    figures.wipes_acknowledged += 1;
                    if first["action"] == "resumed" {
                        figures
                            .losses
                            .push(format!("{}: a wiped meeting came back", at("wipe")));
                    }
                    let status = store_status(data, tmp);
                    if status["sessions"] != 1 || !status["last_wipe"].is_string() {
                        figures
                            .losses
                            .push(format!("{}: status after it: {status}", at("wipe")));
                    }
                }
                (kiosk, acked) = (next, first);
            }
            // The end of the meeting and its summary closed, then the cut.
            1 => {
                figures.finishes += 1;
                kiosk.act("end-meeting");
                let finished = kill_during(kiosk, "finish", &mut rng, None);
                figures.kills += 1;
                let (next, first) = restart(data, tmp, &mut figures);
                if finished {
                    figures.finishes_acknowledged += 1;
                    if first["action"] == "resumed" {
                        figures
                            .losses
                            .push(format!("{}: a finished meeting came back", at("finish")));
                    }
                }
                (kiosk, acked) = (next, first);
            }
            // A burst of next presses, cut somewhere inside.
            2 | 3 => {
                figures.bursts += 1;
                let burst = 2 + rng.below(4) as usize;
                for _ in 0..burst {
                    kiosk.send("next");
                }
                std::thread::sleep(Duration::from_micros(rng.below(4_000)));
                let printed = kiosk.kill();
                figures.kills += 1;
                let last = printed.last().cloned().unwrap_or_else(|| acked.clone());
                let unprinted = burst - printed.len();
                let (next, first) = restart(data, tmp, &mut figures);
                let (was, now) = (progress(&last), progress(&first));
                if now < was {
                    figures.losses.push(format!(
                        "{}: acknowledged {last} -> resumed {first}",
                        at("burst")
                    ));
                } else if now.0 > was.0 + unprinted as u64 {
                    figures
                        .losses
                        .push(format!("{}: moved further than sent: {first}", at("burst")));
                } else if now > was {
                    figures.in_flight_kept += 1;
                }
                (kiosk, acked) = (next, first);
            }
            // One to three acknowledged actions; the cut right after, or with one on its way.
            _ => {
                for _ in 0..=rng.below(3) {
                    acked = kiosk.act(actions[rng.below(actions.len() as u64) as usize]);
                }
                let in_flight = rng.below(2) == 0;
                let acked_at = Instant::now();
                if in_flight {
                    kiosk.send("next");
                    std::thread::sleep(Duration::from_micros(rng.below(3_000)));
                } else {
                    std::thread::sleep(Duration::from_millis(rng.below(300)));
                }
                let since_ack = acked_at.elapsed().as_secs_f64();
                let printed = kiosk.kill();
                figures.kills += 1;
                if let Some(last) = printed.last() {
                    acked = last.clone();
                }
                let (next, resumed) = restart(data, tmp, &mut figures);
                if resumed["action"] != "resumed" {
                    figures
                        .losses
                        .push(format!("{}: nothing to resume", at("actions")));
                } else if place(&resumed) != place(&acked) {
                    let moved = progress(&resumed) > progress(&acked);
                    if in_flight && printed.is_empty() && moved {
                        figures.in_flight_kept += 1;
                    } else {
                        figures.losses.push(format!(
                            "{}: acknowledged {acked} -> resumed {resumed}",
                            at("actions")
                        ));
                    }
                } else {
                    let (was, now) = (f(&acked, "remaining_s"), f(&resumed, "remaining_s"));
                    let slack = if acked["paused"] == true {
                        0.05
                    } else {
                        since_ack + 0.3
                    };
                    if !(now <= was + 0.05 && now >= was - slack) {
                        figures
                            .losses
                            .push(format!("{}: remaining {was} -> {now}", at("actions")));
                    }
                }
                (kiosk, acked) = (next, resumed);
            }
        }
    }
    kiosk.close();
    figures
}
