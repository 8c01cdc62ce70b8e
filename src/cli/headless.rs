//! `run --headless`: the kiosk without a window, on the real clock, keeping sessions as the
//! screen does. It reads one action a line from standard input and prints the view after each.

use super::args::RunArgs;
use super::context::Context;
use super::simulate::line_for;
use crate::app::kiosk::{Intent, Kiosk, Page, SAVE_EVERY, SaveClock};
use crate::domain::engine::Action;
use crate::domain::time::Now;
use crate::store::worker::{self, Report, StoreHandle, StoreOptions};
use crate::time_source::{Clock, SystemClock};
use anyhow::{Result, bail};
use std::io::BufRead;
use std::sync::mpsc::{self, RecvTimeoutError};

pub fn run(ctx: Context, args: &RunArgs, store: StoreOptions) -> Result<i32> {
    // A mistake in the arguments is said before anything is opened.
    let start = args.setup(&ctx.config, &ctx.library)?;
    let clock = SystemClock::new();
    let (report_tx, reports) = mpsc::channel();
    let handle = worker::spawn(store, move |report| {
        let _ = report_tx.send(report);
    });
    let mut kiosk = Kiosk::new(ctx.library.clone(), ctx.config.clone());
    match reports.recv()? {
        Report::Opened {
            running,
            settings,
            notices,
            pin_set,
        } => {
            for notice in &notices {
                eprintln!("store: {notice:?}");
            }
            kiosk.store_opened(
                running.map(|r| *r),
                &settings,
                &notices,
                pin_set,
                clock.now(),
            );
        }
        Report::Unavailable(reason) => bail!("sessions cannot be kept: {reason}"),
        other => bail!("unexpected first word from the store: {other:?}"),
    }
    let last_action;
    if kiosk.page() == Page::Resume {
        if !kiosk.handle(Intent::ResumeMeeting, clock.now()) {
            eprintln!("the interrupted meeting cannot be resumed; it is ended");
            kiosk.handle(Intent::EndInterrupted, clock.now());
        }
        last_action = "resumed";
    } else if let Some(setup) = start {
        kiosk.set_setup(setup);
        if !kiosk.handle(Intent::StartMeeting, clock.now()) {
            let reason = kiosk
                .start_error()
                .map_or("unknown".to_string(), |e| e.to_string());
            bail!("the meeting cannot start: {reason}");
        }
        last_action = "started";
    } else {
        bail!("nothing to run: give --method ID (no interrupted meeting to resume)");
    }
    let now = clock.now();
    let kept = persist(&mut kiosk, &handle, now, SaveClock::WhenDue);
    print_view(&ctx, &kiosk, now, 0, last_action, None, kept)?;

    let (line_tx, lines) = mpsc::channel();
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            if line_tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut number = 0;
    loop {
        let line = match lines.recv_timeout(SAVE_EVERY) {
            Ok(Ok(line)) => line,
            Ok(Err(e)) => bail!("cannot read standard input: {e}"),
            Err(RecvTimeoutError::Timeout) => {
                persist(&mut kiosk, &handle, clock.now(), SaveClock::WhenDue);
                continue;
            }
            Err(RecvTimeoutError::Disconnected) => break,
        };
        number += 1;
        let words = line.trim();
        if words.is_empty() || words.starts_with('#') {
            continue;
        }
        let (word, rest) = words.split_once(' ').unwrap_or((words, ""));
        let now = clock.now();
        let rejected = match intent_for(word, rest.trim()) {
            Ok(intents) => {
                let mut done = true;
                for intent in intents {
                    done &= kiosk.handle(intent, now);
                }
                (!done).then(|| format!("`{word}` is not possible now"))
            }
            Err(reason) => Some(reason),
        };
        // Every printed line is kept as printed, a rejected action's too: the meeting's time
        // at `now` is on disk before the line says so.
        let kept = persist(&mut kiosk, &handle, now, SaveClock::Now);
        // What the store said meanwhile: a wipe that failed is a failure of this line.
        let mut rejected = rejected;
        while let Ok(report) = reports.try_recv() {
            if let Report::WipeFailed { reason, .. } = &report {
                rejected = Some(format!(
                    "the wipe failed, nothing was wiped ({reason}); it is tried again"
                ));
            }
            kiosk.store_report(report, now);
        }
        print_view(&ctx, &kiosk, now, number, word, rejected, kept)?;
    }
    if !persist(&mut kiosk, &handle, clock.now(), SaveClock::Now) {
        bail!("the last changes could not be written (see the log)");
    }
    Ok(0)
}

/// Sends what changed to the store and waits until it is on disk: an action is acknowledged
/// (printed) only once it would survive a power cut. Returns whether it is on disk (a full
/// disk keeps the meeting going in memory; the view then says `"kept": false`).
fn persist(kiosk: &mut Kiosk, handle: &StoreHandle, now: Now, clock: SaveClock) -> bool {
    for op in kiosk.take_storage(now, clock) {
        handle.send(op);
    }
    handle.flush()
}

/// What one input line of the headless kiosk asks, split into its first word and the rest.
pub fn intent_for(word: &str, rest: &str) -> Result<Vec<Intent>, String> {
    Ok(match word {
        "question" => vec![
            Intent::SetCaseQuestion(rest.to_string()),
            Intent::FinishCaseQuestion,
        ],
        "rate" => match rest.parse::<u8>() {
            Ok(n) if (1..=5).contains(&n) => vec![Intent::Evaluate(n)],
            _ => return Err(format!("`rate {rest}`: a rating is 1 to 5")),
        },
        "finish" => vec![Intent::Finish],
        "forget" => vec![Intent::Forget],
        "wipe" => vec![Intent::WipeAll],
        action => vec![Intent::Meeting(action.parse::<Action>()?)],
    })
}

/// The view at `now`, the moment the change was handed to the store: what the acknowledgement
/// promises is exactly what was kept, however long the disk took.
fn print_view(
    ctx: &Context,
    kiosk: &Kiosk,
    now: Now,
    line: usize,
    action: &str,
    rejected: Option<String>,
    kept: bool,
) -> Result<()> {
    let Some(session) = kiosk.session() else {
        println!(
            "{}",
            serde_json::json!({ "line": line, "action": action, "rejected": rejected, "status": "idle", "kept": kept })
        );
        return Ok(());
    };
    let view = session.engine.view(now);
    let at = session.engine.meeting_elapsed(now.mono);
    let mut json = serde_json::to_value(line_for(ctx, line, at, action, rejected, &view))?;
    json["asked"] = serde_json::json!(session.asked);
    json["evaluation"] = serde_json::json!(session.evaluation);
    json["kept"] = serde_json::json!(kept);
    println!("{json}");
    Ok(())
}
