//! `status`, `wipe` and `set-pin`: what IT does with the kept sessions from a shell.

use super::context::Context;
use crate::domain::engine::Engine;
use crate::format::countdown;
use crate::store::key::{Key, KeyError};
use crate::store::{Keep, Paths, Store, StoreError, WipeOutcome, inspect, pin};
use anyhow::{Result, bail};
use serde::Serialize;
use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;

#[derive(Serialize)]
struct Status {
    data_dir: String,
    schema_version: Option<u32>,
    sessions: Option<u32>,
    running: Option<Running>,
    last_wipe: Option<String>,
    wipe_pending: bool,
    pin_set: bool,
    problem: Option<String>,
}

#[derive(Serialize)]
struct Running {
    id: i64,
    methods: Vec<String>,
    phase: String,
    phase_index: usize,
    phases: usize,
    remaining_s: i64,
    paused: bool,
}

/// Facts about the store, never content: safe to paste into a support ticket.
pub fn status(ctx: &Context, dir: &Path, json: bool) -> Result<i32> {
    let paths = Paths::new(dir);
    let mut status = Status {
        data_dir: dir.display().to_string(),
        schema_version: None,
        sessions: None,
        running: None,
        last_wipe: None,
        // A marker, or a key destroyed in place for want of room: the files go at the next start.
        wipe_pending: paths.wipe_marker.exists() || Key::is_destroyed(&paths.key),
        pin_set: pin::is_set(&paths.pin),
        problem: None,
    };
    match inspect(dir) {
        Ok(None) => status.problem = Some("no sessions kept yet".into()),
        Ok(Some(found)) => {
            status.schema_version = Some(found.status.schema_version);
            status.sessions = Some(found.status.sessions);
            status.last_wipe = found.status.last_wipe;
            if let Some(running) = found.running {
                let snapshot = &running.record.snapshot;
                let (phase, remaining) = match Engine::restore(
                    &ctx.library,
                    snapshot,
                    crate::domain::time::Instant(0),
                ) {
                    Ok(engine) => {
                        let view = engine.view(crate::domain::time::Now::new(
                            crate::domain::time::Instant(0),
                            snapshot.planned_start,
                        ));
                        let left = view.turn.as_ref().map_or(view.remaining, |t| t.remaining);
                        (view.phase_id.clone(), left)
                    }
                    Err(_) => (snapshot.phase_ids[snapshot.current].clone(), 0),
                };
                status.running = Some(Running {
                    id: running.id,
                    methods: snapshot
                        .request
                        .cases
                        .iter()
                        .map(|c| c.method.clone())
                        .collect(),
                    phase,
                    phase_index: snapshot.current + 1,
                    phases: snapshot.phase_ids.len(),
                    // Rounded up, as the countdown on the screen shows it.
                    remaining_s: (remaining + 999).div_euclid(1000),
                    paused: snapshot.paused,
                });
            }
        }
        Err(StoreError::Key(KeyError::Shredded { .. })) => {
            status.sessions = Some(0);
            status.problem = Some("the key is destroyed: nothing kept can be read any more".into());
        }
        Err(e) => status.problem = Some(e.to_string()),
    }
    if json {
        println!("{}", serde_json::to_string(&status)?);
        return Ok(0);
    }
    let or_dash = |v: Option<String>| v.unwrap_or_else(|| "-".into());
    println!("data directory   {}", status.data_dir);
    println!(
        "schema version   {}",
        or_dash(status.schema_version.map(|v| v.to_string()))
    );
    println!(
        "sessions         {}",
        or_dash(status.sessions.map(|v| v.to_string()))
    );
    match &status.running {
        Some(r) => println!(
            "running          session {}: {}, phase {}/{} `{}`, {} left{}",
            r.id,
            r.methods.join(" + "),
            r.phase_index,
            r.phases,
            r.phase,
            countdown(r.remaining_s * 1000),
            if r.paused { ", paused" } else { "" }
        ),
        None => println!("running          -"),
    }
    println!("last wipe        {}", or_dash(status.last_wipe.clone()));
    println!(
        "PIN              {}",
        if status.pin_set { "set" } else { "not set" }
    );
    if status.wipe_pending {
        println!("wipe pending     yes: it finishes when the kiosk next starts");
    }
    if let Some(problem) = &status.problem {
        println!("note             {problem}");
    }
    Ok(0)
}

/// Wipes every session: the key is destroyed, so nothing kept so far can be read again.
pub fn wipe(dir: &Path, all: bool, yes: bool) -> Result<i32> {
    if !all {
        bail!("say what to wipe: --all (every session; settings stay)");
    }
    if !yes {
        bail!(
            "this wipes every kept session in {} for good; add --yes to go ahead",
            dir.display()
        );
    }
    let (store, _) = match Store::open(dir) {
        Ok(opened) => opened,
        Err(e @ StoreError::Busy { .. }) => bail!("{e}"),
        Err(e) => bail!("cannot open the sessions in {}: {e}", dir.display()),
    };
    let sessions = store.status()?.sessions;
    match store.wipe_or_destroy_key(Keep::NoSessions)? {
        WipeOutcome::Done(_) => println!(
            "wiped {sessions} session(s) in {}: the old key is destroyed",
            dir.display()
        ),
        WipeOutcome::KeyDestroyed { cause } => println!(
            "wiped {sessions} session(s) in {}: the key is destroyed in place, so nothing kept \
             can be read; there was no room for the rest ({cause}): the files are removed, and \
             the settings chosen on the screen go back to the config's, when the kiosk next \
             starts with room",
            dir.display()
        ),
    }
    Ok(0)
}

/// Sets (or with `clear`, removes) the PIN asked for history, settings and wiping.
pub fn set_pin(dir: &Path, clear: bool) -> Result<i32> {
    crate::store::files::ensure_private_dir(dir)?;
    let path = Paths::new(dir).pin;
    if clear {
        crate::store::files::remove_durably(&path)?;
        println!("PIN removed: history, settings and wiping are open to everyone at the kiosk");
        return Ok(0);
    }
    let stdin = std::io::stdin();
    let interactive = stdin.is_terminal();
    let read = |prompt: &str| -> Result<String> {
        if interactive {
            eprint!("{prompt}");
            std::io::stderr().flush()?;
        }
        let mut line = String::new();
        stdin.lock().read_line(&mut line)?;
        Ok(line.trim().to_string())
    };
    let pin = read("New PIN (4 to 8 digits): ")?;
    if let Err(e) = pin::check_format(&pin) {
        bail!("{e}");
    }
    if interactive && read("Again: ")? != pin {
        bail!("the two PINs differ; nothing changed");
    }
    pin::store(&path, &pin)?;
    println!(
        "PIN set ({}): the kiosk asks for it from now on",
        path.display()
    );
    Ok(0)
}
