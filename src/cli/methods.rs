//! `methods list`, `methods show` and `methods check`.

use super::context::Context;
use crate::domain::budget::fit;
use crate::domain::library::check_files;
use crate::domain::method::{Bounds, MINUTE, Method};
use crate::domain::plan::{MAX_MEMBERS, MIN_MEMBERS};
use crate::format::{minutes, pad, phrases};
use crate::methods_dir::read_method_files;
use anyhow::{Result, bail};
use serde_json::json;
use std::path::Path;

pub fn list(ctx: &Context, as_json: bool) -> Result<i32> {
    let lang = ctx.lang;
    let members = ctx.config.default_members;
    if as_json {
        let methods: Vec<_> = ctx
            .library
            .methods()
            .iter()
            .map(|m| {
                json!({
                    "id": m.id,
                    "name": m.name.get(lang),
                    "summary": m.summary.get(lang),
                    "phases": m.phases.len(),
                    "default_minutes": m.default_length(members) as f64 / MINUTE as f64,
                    "members": members,
                    "group_size": { "min": m.group_min, "max": m.group_max },
                    "experience": m.experience,
                    "trust": m.trust,
                    "origin": m.origin,
                })
            })
            .collect();
        println!("{}", serde_json::to_string_pretty(&methods)?);
        return Ok(0);
    }
    let header_length = phrases::LENGTH_FOR_MEMBERS.with(lang, &[&members]);
    println!(
        "{} {} {} {} {}",
        pad("id", 14),
        pad(phrases::NAME.text(lang), 22),
        pad(phrases::PHASES.text(lang), 7),
        pad(&header_length, 22),
        phrases::SUITS.text(lang)
    );
    for m in ctx.library.methods() {
        println!(
            "{} {} {} {} {}, {}",
            pad(&m.id, 14),
            pad(m.name.get(lang), 22),
            pad(&m.phases.len().to_string(), 7),
            pad(&format!("{} min", minutes(m.default_length(members))), 22),
            m.experience.label().get(lang),
            m.trust.label().get(lang),
        );
    }
    Ok(0)
}

fn method<'a>(ctx: &'a Context, id: &str) -> Result<&'a Method> {
    match ctx.library.get(id) {
        Some(m) => Ok(m),
        None => bail!(
            "unknown method `{id}` (known: {})",
            ctx.library.ids().join(", ")
        ),
    }
}

pub fn show(
    ctx: &Context,
    id: &str,
    members: Option<u8>,
    length: Option<u32>,
    rounds: Option<u8>,
) -> Result<i32> {
    let lang = ctx.lang;
    let m = method(ctx, id)?;
    let members = members.unwrap_or(ctx.config.default_members);
    if !(MIN_MEMBERS..=MAX_MEMBERS).contains(&members) {
        bail!("{members} members: a group has {MIN_MEMBERS} to {MAX_MEMBERS} members");
    }
    let phases = m.expanded(rounds.unwrap_or(m.default_rounds()));
    let bounds: Vec<Bounds> = phases.iter().map(|(p, _)| p.bounds_for(members)).collect();
    let target = length.map_or(m.default_length(members), |l| i64::from(l) * MINUTE);
    let budgets = fit(&bounds, target, MINUTE);
    let total: i64 = budgets.iter().sum();

    println!("{} ({})", m.name.get(lang), m.id);
    println!("{}", m.summary.get(lang));
    println!(
        "{}, {}; {} {}-{}",
        m.experience.label().get(lang),
        m.trust.label().get(lang),
        phrases::GROUP_SIZE.text(lang),
        m.group_min,
        m.group_max
    );
    if !(m.group_min..=m.group_max).contains(&members) {
        println!(
            "{}",
            phrases::MEANT_FOR.with(lang, &[&m.group_min, &m.group_max, &members])
        );
    }
    println!();
    println!(
        "{} {} {} {} {} {}",
        pad("#", 3),
        pad(phrases::PHASE.text(lang), 30),
        pad(phrases::WHO.text(lang), 18),
        pad(phrases::TURNS.text(lang), 8),
        pad("min-max", 11),
        phrases::MINUTES_HEADING.text(lang)
    );
    for (i, ((phase, repeat), budget)) in phases.iter().zip(&budgets).enumerate() {
        let b = phase.bounds_for(members);
        let title = match repeat {
            Some((r, n)) => format!("{} ({r}/{n})", phase.title.get(lang)),
            None => phase.title.get(lang).to_string(),
        };
        let turns = match phase.turns(members) {
            0 => String::new(),
            n => format!("{n} x {}", minutes(budget / i64::from(n))),
        };
        println!(
            "{} {} {} {} {} {}",
            pad(&(i + 1).to_string(), 3),
            pad(&title, 30),
            pad(phase.actor.label().get(lang), 18),
            pad(&turns, 8),
            pad(&format!("{}-{}", minutes(b.min), minutes(b.max)), 11),
            minutes(*budget)
        );
    }
    println!();
    println!("{}: {} min", phrases::TOTAL.text(lang), minutes(total));
    if total != target {
        eprintln!(
            "{}",
            phrases::CASE_DOES_NOT_FIT.with(lang, &[&(target / MINUTE), &minutes(total), &members])
        );
        return Ok(1);
    }
    Ok(0)
}

fn files_empty(count: usize, read_errors: &[crate::domain::method_file::FileError]) -> bool {
    count == 0 && read_errors.is_empty()
}

pub fn check(dir: &Path) -> Result<i32> {
    let (files, read_errors) = read_method_files(dir);
    let count = files.len() + read_errors.len();
    let (valid, errors) = check_files(files);
    for e in read_errors.iter().chain(&errors) {
        println!("{e}");
    }
    if files_empty(count, &read_errors) {
        println!("{}: no method files (*.toml)", dir.display());
        return Ok(1);
    }
    if valid == 0 && count == read_errors.len() {
        return Ok(1);
    }
    let bad = count - valid;
    if bad == 0 {
        println!("{}: {valid} method file(s), all valid", dir.display());
        Ok(0)
    } else {
        println!(
            "{}: {bad} of {count} method file(s) have errors",
            dir.display()
        );
        Ok(1)
    }
}
