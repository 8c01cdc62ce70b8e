//! Fills the summary page: planned against actual per phase, the totals and the evaluation.

use super::models::SyncedModel;
use super::sink::Link;
use super::window::{AppWindow, SummaryAdapter, SummaryRow};
use crate::app::kiosk::Kiosk;
use crate::app::page::Intent;
use crate::format::{counted, minutes, phrases};
use slint::{ComponentHandle, SharedString};

#[derive(Default)]
pub struct SummaryModels {
    pub rows: SyncedModel<SummaryRow>,
}

impl SummaryModels {
    pub fn attach(&self, window: &AppWindow) {
        window.global::<SummaryAdapter>().set_rows(self.rows.rc());
    }
}

/// Minutes rounded to the nearest half, as people read a chart: "4", "4½".
pub fn rounded_minutes(ms: i64) -> String {
    let halves = (ms + 15_000) / 30_000;
    match (halves / 2, halves % 2) {
        (whole, 0) => format!("{whole}"),
        (0, _) => "½".to_string(),
        (whole, _) => format!("{whole}½"),
    }
}

pub fn push(window: &AppWindow, kiosk: &Kiosk, models: &SummaryModels) {
    let Some(session) = kiosk.session() else {
        return;
    };
    let Some(summary) = &session.summary else {
        return;
    };
    let lang = kiosk.lang();
    let longest = summary.longest() as f32;
    models.rows.sync(
        summary
            .phases
            .iter()
            .enumerate()
            .map(|(i, p)| SummaryRow {
                // Named where it begins, so two cases' phases are told apart.
                part: if i == 0 || summary.phases[i - 1].section != p.section {
                    p.section.label().get(lang).into()
                } else {
                    SharedString::new()
                },
                title: p.title.get(lang).into(),
                planned: p.planned as f32 / longest,
                actual: p.actual as f32 / longest,
                planned_label: rounded_minutes(p.planned).into(),
                actual_label: rounded_minutes(p.actual).into(),
                skipped: p.skipped,
                over: p.actual > p.planned + 30_000,
                counted: counted(lang, &p.counted).into(),
            })
            .collect(),
    );
    let adapter = window.global::<SummaryAdapter>();
    let planned = minutes(summary.planned_total);
    let actual = rounded_minutes(summary.actual_total);
    let paused = rounded_minutes(summary.paused_total);
    adapter.set_totals(
        phrases::SUMMARY_TOTALS
            .with(lang, &[&planned, &actual, &paused])
            .into(),
    );
    adapter.set_evaluation(session.evaluation.map_or(0, i32::from));
}

/// The summary's rating and buttons.
pub fn connect(window: &AppWindow, link: &Link) {
    let summary = window.global::<SummaryAdapter>();
    summary.on_evaluate(link.send_with(|score: i32| Intent::Evaluate(score.clamp(0, 5) as u8)));
    summary.on_finish(link.send(Intent::Finish));
    summary.on_forget(link.send(Intent::Forget));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_of_minutes() {
        assert_eq!(rounded_minutes(4 * 60_000), "4");
        assert_eq!(rounded_minutes(4 * 60_000 + 20_000), "4½");
        assert_eq!(rounded_minutes(4 * 60_000 + 50_000), "5");
        assert_eq!(rounded_minutes(40_000), "½");
        assert_eq!(rounded_minutes(10_000), "0");
    }
}
