//! Fills the resume page: the interrupted meeting, where it stopped and the time it had left.

use super::setup::describe_plan_error;
use super::sink::Link;
use super::window::{AppWindow, ResumeAdapter};
use crate::app::kiosk::Kiosk;
use crate::app::page::Intent;
use crate::domain::snapshot::RestoreError;
use crate::domain::time::Now;
use crate::format::{countdown, phrases};
use slint::ComponentHandle;

pub fn push(window: &AppWindow, kiosk: &Kiosk, now: Now) {
    let Some(offer) = kiosk.resume_offer() else {
        return;
    };
    let lang = kiosk.lang();
    let adapter = window.global::<ResumeAdapter>();
    let snapshot = &offer.record.snapshot;
    let names: Vec<String> = snapshot
        .request
        .cases
        .iter()
        .map(|c| {
            kiosk
                .library()
                .get(&c.method)
                .map_or(c.method.clone(), |m| m.name.get(lang).to_string())
        })
        .collect();
    let members = phrases::MEMBERS.with(lang, &[&snapshot.request.members]);
    adapter.set_meeting(format!("{}, {members}", names.join(" + ")).into());
    adapter.set_started(
        (crate::ui::home::long_date(lang, offer.record.started_at)
            + &offer.record.started_at.format(", %H:%M").to_string())
            .into(),
    );
    match &offer.engine {
        Ok(engine) => {
            let view = engine.view(now);
            let place = match &view.turn {
                Some(turn) => format!(
                    "{} · {} · {} {}/{}",
                    view.section_label.get(lang),
                    view.title.get(lang),
                    phrases::TURN.text(lang),
                    turn.number,
                    turn.count
                ),
                None => format!(
                    "{} · {}",
                    view.section_label.get(lang),
                    view.title.get(lang)
                ),
            };
            adapter.set_phase(place.into());
            let remaining = view.turn.as_ref().map_or(view.remaining, |t| t.remaining);
            adapter.set_remaining(countdown(remaining).into());
            adapter.set_problem("".into());
        }
        Err(e) => {
            adapter.set_phase(
                format!("{} {}", phrases::PHASE.text(lang), snapshot.current + 1).into(),
            );
            adapter.set_remaining("–".into());
            let why = match e {
                RestoreError::PhasesChanged => {
                    phrases::RESUME_PHASES_CHANGED.text(lang).to_string()
                }
                RestoreError::Version(_) => phrases::RESUME_OTHER_VERSION.text(lang).to_string(),
                RestoreError::Plan(e) => describe_plan_error(lang, e),
            };
            adapter.set_problem(phrases::CANNOT_RESUME.with(lang, &[&why]).into());
        }
    }
}

/// The resume page's buttons.
pub fn connect(window: &AppWindow, link: &Link) {
    let resume = window.global::<ResumeAdapter>();
    resume.on_resume(link.send(Intent::ResumeMeeting));
    resume.on_end(link.send(Intent::EndInterrupted));
}
