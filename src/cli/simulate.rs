//! `simulate`: replays a script of timed actions on a fake clock and prints, after each line,
//! what the screen would show, as one JSON object per line.

use super::args::SimulateArgs;
use super::context::Context;
use super::script::{self, Step};
use crate::domain::engine::{Engine, Settings};
use crate::domain::method::{Ms, SECOND};
use crate::domain::time::{Instant, Now};
use crate::domain::view::View;
use anyhow::{Context as _, Result};
use serde::Serialize;
use std::io::Read;

/// The fields scripts and tests rely on; times in seconds, with millisecond precision.
#[derive(Serialize)]
pub(super) struct Line<'a> {
    line: usize,
    t: f64,
    action: &'a str,
    rejected: Option<String>,
    case: Option<usize>,
    section: &'a str,
    phase: &'a str,
    title: &'a str,
    actor: &'a str,
    phase_index: usize,
    phases: usize,
    state: crate::domain::view::TimerState,
    status: crate::domain::engine::MeetingStatus,
    budget_s: f64,
    remaining_s: f64,
    turn: Option<usize>,
    turns: Option<usize>,
    turn_remaining_s: Option<f64>,
    paused: bool,
    paused_for_s: Option<f64>,
    projected_end_s: f64,
    target_end_s: f64,
    behind_s: f64,
    warm: u32,
    neutral: u32,
    cold: u32,
}

pub(super) fn seconds(ms: Ms) -> f64 {
    ms as f64 / SECOND as f64
}

pub fn run(ctx: &Context, args: &SimulateArgs) -> Result<i32> {
    let name = args.script.display().to_string();
    let text = if name == "-" {
        let mut text = String::new();
        std::io::stdin().read_to_string(&mut text)?;
        text
    } else {
        std::fs::read_to_string(&args.script).with_context(|| format!("cannot read {name}"))?
    };
    let steps = match script::parse(&name, &text) {
        Ok(steps) => steps,
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            return Ok(1);
        }
    };
    let plan = args.meeting.plan(ctx)?;
    let origin = Now::new(Instant(0), plan.planned_start);
    let mut engine = Engine::new(
        plan,
        Settings {
            rebudget: ctx.config.rebudget && !args.meeting.no_rebudget,
        },
    );
    for Step { line, at, action } in steps {
        let now = origin.after(at);
        let rejected = engine.apply(action, now).err().map(|r| r.to_string());
        let view = engine.view(now);
        println!(
            "{}",
            serde_json::to_string(&line_for(ctx, line, at, action.name(), rejected, &view))?
        );
    }
    Ok(0)
}

pub(super) fn line_for<'a>(
    ctx: &Context,
    line: usize,
    at: Ms,
    action: &'a str,
    rejected: Option<String>,
    view: &'a View,
) -> Line<'a> {
    let lang = ctx.lang;
    Line {
        line,
        t: seconds(at),
        action,
        rejected,
        case: view.case.map(|c| c + 1),
        section: view.section_label.get(lang),
        phase: &view.phase_id,
        title: view.title.get(lang),
        actor: view.actor.name(),
        phase_index: view.phase_index,
        phases: view.phases,
        state: view.state,
        status: view.status,
        budget_s: seconds(view.budget),
        remaining_s: seconds(view.remaining),
        turn: view.turn.as_ref().map(|t| t.number),
        turns: view.turn.as_ref().map(|t| t.count),
        turn_remaining_s: view.turn.as_ref().map(|t| seconds(t.remaining)),
        paused: view.paused,
        paused_for_s: view.paused_for.map(seconds),
        projected_end_s: seconds(view.projected_end),
        target_end_s: seconds(view.target_end),
        behind_s: seconds(view.behind),
        warm: view.ratings.warm,
        neutral: view.ratings.neutral,
        cold: view.ratings.cold,
    }
}
