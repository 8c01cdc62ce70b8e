//! `plan`: the budgeted schedule of a meeting, with clock times.

use super::args::{MeetingArgs, PlanArgs};
use super::context::Context;
use crate::domain::plan::{CaseRequest, MeetingRequest, Plan, Target};
use crate::domain::text::Lang;
use crate::format::{clock, minutes, pad, phrases};
use anyhow::Result;
use chrono::{Local, NaiveDateTime, TimeDelta, Timelike};
use serde_json::json;

impl MeetingArgs {
    pub fn request(&self, ctx: &Context) -> MeetingRequest {
        MeetingRequest {
            cases: self
                .methods
                .iter()
                .map(|m| CaseRequest {
                    method: m.clone(),
                    rounds: self.rounds,
                })
                .collect(),
            members: self.members.unwrap_or(ctx.config.default_members),
            target: match (self.end, self.minutes) {
                (Some(end), _) => Target::EndAt(end),
                (None, Some(m)) => Target::Minutes(m),
                (None, None) => Target::Minutes(ctx.config.default_minutes),
            },
        }
    }

    /// The start: today at `--start`, or now on the whole minute.
    pub fn start(&self) -> NaiveDateTime {
        let now = Local::now().naive_local();
        match self.start {
            Some(t) => now.date().and_time(t),
            None => now
                .with_second(0)
                .and_then(|t| t.with_nanosecond(0))
                .unwrap_or(now),
        }
    }

    pub fn plan(&self, ctx: &Context) -> Result<Plan> {
        Ok(Plan::build(&ctx.library, &self.request(ctx), self.start())?)
    }
}

pub fn run(ctx: &Context, args: &PlanArgs) -> Result<i32> {
    let lang = ctx.lang;
    let plan = args.meeting.plan(ctx)?;
    let at = |ms: i64| plan.planned_start + TimeDelta::milliseconds(ms);
    let starts = plan.starts();
    let total = plan.total_budget();

    if args.json {
        let phases: Vec<_> = plan
            .phases
            .iter()
            .zip(&starts)
            .map(|(p, &start)| {
                json!({
                    "section": p.section.label().get(lang),
                    "method": p.method_id,
                    "id": p.phase.id,
                    "title": p.title().get(lang),
                    "actor": p.phase.actor,
                    "turns": p.turns,
                    "start": clock(at(start)),
                    "end": clock(at(start + p.budget)),
                    "minutes": p.budget as f64 / 60_000.0,
                })
            })
            .collect();
        let out = json!({
            "members": plan.request.members,
            "target_minutes": plan.target as f64 / 60_000.0,
            "total_minutes": total as f64 / 60_000.0,
            "start": clock(plan.planned_start),
            "end": clock(at(total)),
            "fits": plan.fit_problem().is_none(),
            "problem": plan.fit_problem().map(|p| p.to_string()),
            "phases": phases,
        });
        println!("{}", serde_json::to_string_pretty(&out)?);
        return Ok(if plan.fit_problem().is_some() { 1 } else { 0 });
    }

    let names: Vec<&str> = plan
        .request
        .cases
        .iter()
        .filter_map(|c| ctx.library.get(&c.method))
        .map(|m| m.name.get(lang))
        .collect();
    println!(
        "{} · {} {} · {} min · {}–{}",
        names.join(" + "),
        plan.request.members,
        phrases::MEMBERS_HEADING.text(lang),
        minutes(plan.target),
        clock(plan.planned_start),
        clock(at(plan.target)),
    );
    println!();
    println!(
        "{} {} {} {} {} {}",
        pad(phrases::START.text(lang), 8),
        pad(phrases::END.text(lang), 8),
        pad("min", 6),
        pad(phrases::PART.text(lang), 12),
        pad(phrases::PHASE.text(lang), 34),
        phrases::WHO.text(lang)
    );
    let mut previous_section = None;
    for (p, &start) in plan.phases.iter().zip(&starts) {
        let section =
            (previous_section != Some(p.section)).then(|| p.section.label().get(lang).to_string());
        previous_section = Some(p.section);
        let who = match p.turns {
            0 => p.phase.actor.label().get(lang).to_string(),
            n => format!(
                "{} ({n} x {})",
                p.phase.actor.label().get(lang),
                minutes(p.budget / i64::from(n))
            ),
        };
        println!(
            "{} {} {} {} {} {}",
            pad(&clock(at(start)), 8),
            pad(&clock(at(start + p.budget)), 8),
            pad(&minutes(p.budget), 6),
            pad(section.as_deref().unwrap_or(""), 12),
            pad(p.title().get(lang), 34),
            who
        );
    }
    println!();
    println!(
        "{} {} min, {} {}",
        phrases::TOTAL.text(lang),
        minutes(total),
        phrases::DONE_AT.text(lang),
        clock(at(total))
    );
    if let Some(problem) = plan.fit_problem() {
        eprintln!("{}", describe_problem(lang, &problem, plan.request.members));
        return Ok(1);
    }
    Ok(0)
}

fn describe_problem(lang: Lang, problem: &crate::domain::plan::FitProblem, members: u8) -> String {
    use crate::domain::plan::FitProblem;
    match *problem {
        FitProblem::TooShort { target, needed } => {
            phrases::PLAN_TOO_SHORT.with(lang, &[&minutes(target), &members, &minutes(needed)])
        }
        FitProblem::TooLong { target, at_most } => {
            phrases::PLAN_TOO_LONG.with(lang, &[&minutes(target), &minutes(at_most)])
        }
    }
}
