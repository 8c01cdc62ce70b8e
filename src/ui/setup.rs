//! Fills the set-up page: method tiles, group, length, and the schedule that follows.

use super::models::SyncedModel;
use super::sink::Link;
use super::window::{AppWindow, MethodTile, ScheduleRow, SetupAdapter};
use crate::app::kiosk::Kiosk;
use crate::app::page::Intent;
use crate::app::setup::Length;
use crate::domain::method::Trust;
use crate::domain::plan::{
    FitProblem, MAX_CASES, MAX_MEETING_MINUTES, MAX_MEMBERS, MIN_MEMBERS, PlanError,
};
use crate::domain::text::Lang;
use crate::domain::time::Now;
use crate::format::{minutes, phrases, whole_minutes};
use chrono::TimeDelta;
use slint::{ComponentHandle, SharedString};

#[derive(Default)]
pub struct SetupModels {
    pub methods: SyncedModel<MethodTile>,
    pub schedule: SyncedModel<ScheduleRow>,
    pub case_methods: SyncedModel<SharedString>,
}

impl SetupModels {
    pub fn attach(&self, window: &AppWindow) {
        let setup = window.global::<SetupAdapter>();
        setup.set_methods(self.methods.rc());
        setup.set_schedule(self.schedule.rc());
        setup.set_case_methods(self.case_methods.rc());
    }
}

pub fn describe_problem(lang: Lang, problem: &FitProblem, members: u8) -> String {
    match *problem {
        FitProblem::TooShort { needed, .. } => {
            phrases::SETUP_TOO_SHORT.with(lang, &[&members, &minutes(needed)])
        }
        FitProblem::TooLong { at_most, .. } => {
            phrases::SETUP_TOO_LONG.with(lang, &[&minutes(at_most)])
        }
    }
}

/// Why a meeting cannot be planned, in the screen's language (the error's own text is English,
/// for the log and the command line).
pub fn describe_plan_error(lang: Lang, e: &PlanError) -> String {
    match e {
        PlanError::EndTimePassed { .. } => phrases::END_TIME_PASSED.text(lang).to_string(),
        PlanError::UnknownMethod { id, .. } => phrases::PLAN_UNKNOWN_METHOD.with(lang, &[id]),
        PlanError::Members { .. } => {
            phrases::PLAN_MEMBERS.with(lang, &[&MIN_MEMBERS, &MAX_MEMBERS])
        }
        PlanError::NoCases => phrases::PLAN_NO_CASES.text(lang).to_string(),
        PlanError::TooManyCases { .. } => phrases::PLAN_TOO_MANY_CASES.with(lang, &[&MAX_CASES]),
        PlanError::Length { .. } => phrases::PLAN_LENGTH.with(lang, &[&MAX_MEETING_MINUTES]),
    }
}

pub fn push(window: &AppWindow, kiosk: &Kiosk, models: &SetupModels, now: Now) {
    let lang = kiosk.lang();
    let setup = kiosk.setup();
    let adapter = window.global::<SetupAdapter>();
    let library = kiosk.library();

    models.methods.sync(
        library
            .methods()
            .iter()
            .map(|m| {
                let mut suits = m.experience.label().get(lang).to_string();
                if m.trust == Trust::High {
                    suits = format!("{suits} · {}", m.trust.label().get(lang));
                }
                MethodTile {
                    id: m.id.clone().into(),
                    name: m.name.get(lang).into(),
                    short_name: m.short_name.get(lang).into(),
                    summary: m.summary.get(lang).into(),
                    // Whole minutes on a tile: it is an estimate for this group, not a schedule.
                    length: format!("{} min", whole_minutes(m.default_length(setup.members)))
                        .into(),
                    suits: suits.into(),
                    needs_trust: m.trust == Trust::High,
                    selected: setup.cases[setup.slot] == m.id,
                }
            })
            .collect(),
    );
    models.case_methods.sync(
        setup
            .cases
            .iter()
            .map(|id| {
                // The short name: a long one would widen the column and push the controls off.
                library
                    .get(id)
                    .map_or(id.clone(), |m| m.short_name.get(lang).to_string())
                    .into()
            })
            .collect(),
    );
    adapter.set_description(
        library
            .get(&setup.cases[setup.slot])
            .map(|m| m.summary.get(lang).to_string())
            .unwrap_or_default()
            .into(),
    );
    adapter.set_cases(setup.cases.len() as i32);
    adapter.set_slot(setup.slot as i32);
    adapter.set_members(setup.members.to_string().into());
    adapter.set_end_time(matches!(setup.length, Length::EndAt(_)));
    adapter.set_length(
        match setup.length {
            Length::Minutes(m) => format!("{m} min"),
            Length::EndAt(t) => t.format("%H:%M").to_string(),
        }
        .into(),
    );

    let start = now.wall;
    match setup.plan(library, start) {
        Ok(plan) => {
            let mut previous = None;
            let rows = plan
                .phases
                .iter()
                .zip(plan.starts())
                .map(|(p, at)| {
                    let part = (previous != Some(p.section))
                        .then(|| p.section.label().get(lang).to_string());
                    previous = Some(p.section);
                    ScheduleRow {
                        clock: (start + TimeDelta::milliseconds(at))
                            .format("%H:%M")
                            .to_string()
                            .into(),
                        minutes: minutes(p.budget).into(),
                        part: part.unwrap_or_default().into(),
                        title: p.title().get(lang).into(),
                    }
                })
                .collect();
            models.schedule.sync(rows);
            let total = plan.total_budget();
            adapter.set_total(
                format!(
                    "{} min · {}–{}",
                    minutes(total),
                    start.format("%H:%M"),
                    (start + TimeDelta::milliseconds(total)).format("%H:%M")
                )
                .into(),
            );
            let problem = kiosk
                .start_error()
                .map(|e| describe_plan_error(lang, e))
                .or_else(|| {
                    plan.fit_problem()
                        .map(|p| describe_problem(lang, &p, setup.members))
                });
            adapter.set_problem(problem.unwrap_or_default().into());
        }
        Err(e) => {
            models.schedule.sync(Vec::new());
            adapter.set_total(SharedString::new());
            adapter.set_problem(describe_plan_error(lang, &e).into());
        }
    }
}

/// The set-up page's tiles and buttons.
pub fn connect(window: &AppWindow, link: &Link) {
    let setup = window.global::<SetupAdapter>();
    setup.on_choose(link.send_with(|id: SharedString| Intent::ChooseMethod(id.to_string())));
    setup.on_members_less(link.send(Intent::ChangeMembers(-1)));
    setup.on_members_more(link.send(Intent::ChangeMembers(1)));
    setup.on_length_less(link.send(Intent::ChangeLength(-1)));
    setup.on_length_more(link.send(Intent::ChangeLength(1)));
    setup.on_use_end_time(link.send_with(Intent::UseEndTime));
    setup.on_set_cases(link.send_with(|n: i32| Intent::SetCaseCount(n.max(1) as usize)));
    setup.on_select_slot(link.send_with(|n: i32| Intent::SelectCaseSlot(n.max(0) as usize)));
    setup.on_start(link.send(Intent::StartMeeting));
    setup.on_cancel(link.send(Intent::CancelSetup));
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveTime;

    /// A Dutch screen says why in Dutch; the error's English stays in the log.
    #[test]
    fn every_plan_error_is_said_in_the_screens_language() {
        let at = |h| NaiveTime::from_hms_opt(h, 0, 0).unwrap();
        let errors = [
            PlanError::UnknownMethod {
                id: "kring".into(),
                known: "incident".into(),
            },
            PlanError::Members { members: 2 },
            PlanError::NoCases,
            PlanError::TooManyCases { count: 5 },
            PlanError::EndTimePassed {
                end: at(9),
                now: at(10),
            },
            PlanError::Length { minutes: 0 },
        ];
        for e in &errors {
            let nl = describe_plan_error(Lang::Nl, e);
            let en = describe_plan_error(Lang::En, e);
            assert_ne!(nl, en, "{e}");
            for english in [" the ", " a ", "meeting", "members", "cases"] {
                assert!(!nl.contains(english), "{e}: {nl}");
            }
        }
    }
}
