//! Fills the history page (past meetings, the chosen one's phases, how its method's phases tend
//! to run) and the PIN pad.

use super::models::SyncedModel;
use super::sink::Link;
use super::summary::rounded_minutes;
use super::window::{AppWindow, HistoryAdapter, HistoryItem, PinAdapter, SummaryRow};
use crate::app::kiosk::{Kiosk, Page, PinStatus};
use crate::app::page::Intent;
use crate::domain::library::Library;
use crate::domain::plan::Section;
use crate::domain::text::Lang;
use crate::domain::time::Now;
use crate::format::{counted, phrases, seconds_up};
use crate::store::{Overrun, PastSession, PhaseOutcome};
use slint::{ComponentHandle, SharedString, VecModel};
use std::rc::Rc;

#[derive(Default)]
pub struct HistoryModels {
    pub sessions: SyncedModel<HistoryItem>,
    pub rows: SyncedModel<SummaryRow>,
    pub overruns: Rc<VecModel<SharedString>>,
}

impl HistoryModels {
    pub fn attach(&self, window: &AppWindow) {
        let adapter = window.global::<HistoryAdapter>();
        adapter.set_sessions(self.sessions.rc());
        adapter.set_rows(self.rows.rc());
        adapter.set_overruns(self.overruns.clone().into());
    }
}

/// "ma 23 nov 14:00" / "Mon 23 Nov 14:00".
pub fn short_date(lang: Lang, t: chrono::NaiveDateTime) -> String {
    use chrono::Datelike;
    let day = phrases::WEEKDAYS_SHORT[t.weekday().num_days_from_monday() as usize];
    let month = phrases::MONTHS_SHORT[t.month0() as usize];
    format!(
        "{} {} {} {}",
        day.text(lang),
        t.day(),
        month.text(lang),
        t.format("%H:%M")
    )
}

fn method_names(library: &Library, lang: Lang, ids: &[String]) -> String {
    ids.iter()
        .map(|id| {
            library
                .get(id)
                .map_or(id.clone(), |m| m.name.get(lang).to_string())
        })
        .collect::<Vec<_>>()
        .join(" + ")
}

/// A phase's title from the library, or its id when the method is gone or changed.
fn phase_title(library: &Library, lang: Lang, phase_id: &str, method_id: Option<&str>) -> String {
    let found = match method_id {
        Some(method) => library
            .get(method)
            .and_then(|m| m.phases.iter().find(|p| p.id == phase_id))
            .map(|p| p.title.get(lang).to_string()),
        None => {
            let frame = library.frame();
            frame
                .opening
                .iter()
                .chain(&frame.closing)
                .find(|p| p.id == phase_id)
                .map(|p| p.title.get(lang).to_string())
        }
    };
    found.unwrap_or_else(|| phase_id.to_string())
}

fn signed_minutes(ms: i64) -> String {
    let sign = if ms < 0 { "−" } else { "+" };
    format!("{sign}{}", rounded_minutes(ms.abs()))
}

fn item(library: &Library, lang: Lang, s: &PastSession, selected: bool) -> HistoryItem {
    let planned = rounded_minutes(s.target);
    let how = match (s.length, s.evaluation) {
        (Some(len), Some(e)) => format!("{} / {planned} min · {e}/5", rounded_minutes(len)),
        (Some(len), None) => format!("{} / {planned} min", rounded_minutes(len)),
        (None, _) => format!("{planned} min"),
    };
    HistoryItem {
        when: short_date(lang, s.started_at).into(),
        what: format!(
            "{} · {}",
            method_names(library, lang, &s.methods),
            s.members
        )
        .into(),
        how: how.into(),
        selected,
    }
}

pub fn push(window: &AppWindow, kiosk: &Kiosk, models: &HistoryModels) {
    let adapter = window.global::<HistoryAdapter>();
    let Some(history) = kiosk.history() else {
        adapter.set_loading(true);
        return;
    };
    adapter.set_loading(false);
    let lang = kiosk.lang();
    let library = kiosk.library();
    let selected = kiosk.history_selected();
    models.sessions.sync(
        history
            .sessions
            .iter()
            .enumerate()
            .map(|(i, s)| item(library, lang, s, i == selected))
            .collect(),
    );
    let Some(session) = history.sessions.get(selected) else {
        models.rows.sync(Vec::new());
        models.overruns.set_vec(Vec::new());
        return;
    };
    let names = method_names(library, lang, &session.methods);
    let members = phrases::MEMBERS.with(lang, &[&session.members]);
    adapter.set_heading(
        format!(
            "{} · {names} · {members}",
            short_date(lang, session.started_at)
        )
        .into(),
    );
    let planned = rounded_minutes(session.target);
    let totals = match session.length {
        Some(length) => {
            let evaluation = session.evaluation.map_or(String::new(), |e| {
                phrases::HISTORY_EVALUATION.with(lang, &[&e])
            });
            let actual = rounded_minutes(length);
            phrases::HISTORY_TOTALS.with(lang, &[&planned, &actual, &evaluation])
        }
        None => phrases::HISTORY_UNFINISHED.with(lang, &[&planned]),
    };
    adapter.set_totals(totals.into());
    let longest = session
        .phases
        .iter()
        .map(|p| p.planned.max(p.actual))
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    let parts = part_labels(library, lang, &session.phases);
    models.rows.sync(
        session
            .phases
            .iter()
            .zip(parts)
            .map(|(p, part)| SummaryRow {
                part: part.into(),
                title: phase_title(library, lang, &p.phase_id, p.method_id.as_deref()).into(),
                planned: p.planned as f32 / longest,
                actual: p.actual as f32 / longest,
                planned_label: rounded_minutes(p.planned).into(),
                actual_label: rounded_minutes(p.actual).into(),
                skipped: p.skipped,
                over: !p.skipped && p.actual > p.planned,
                counted: counted(lang, &p.counted).into(),
            })
            .collect(),
    );
    let method = session.methods.first().cloned().unwrap_or_default();
    let lines: Vec<SharedString> = history
        .overruns
        .iter()
        .filter(|o| o.method_id == method)
        .map(|o| overrun_line(library, lang, o).into())
        .collect();
    let name = method_names(library, lang, &[method]);
    adapter.set_overrun_title(phrases::OVERRUNS_TITLE.with(lang, &[&name]).into());
    models.overruns.set_vec(lines);
}

/// The name of the part each phase begins, empty inside a part: the opening, each case (with
/// its method) and the closing. A case begins where the method changes, or where its first
/// phase comes again (two cases of one method).
fn part_labels(library: &Library, lang: Lang, phases: &[PhaseOutcome]) -> Vec<String> {
    let mut labels = Vec::with_capacity(phases.len());
    let mut case = 0;
    let mut seen: Vec<&str> = Vec::new();
    for (i, p) in phases.iter().enumerate() {
        let new_method = i == 0 || phases[i - 1].method_id != p.method_id;
        let again = !new_method && seen.contains(&p.phase_id.as_str());
        if new_method || again {
            seen.clear();
        }
        seen.push(&p.phase_id);
        labels.push(match (&p.method_id, new_method || again) {
            (_, false) => String::new(),
            (Some(id), true) => {
                case += 1;
                let method = library
                    .get(id)
                    .map_or(id.clone(), |m| m.name.get(lang).to_string());
                format!("{} · {method}", Section::Case(case - 1).label().get(lang))
            }
            (None, true) if case == 0 => Section::Opening.label().get(lang).to_string(),
            (None, true) => Section::Closing.label().get(lang).to_string(),
        });
    }
    labels
}

fn overrun_line(library: &Library, lang: Lang, o: &Overrun) -> String {
    let title = phase_title(library, lang, &o.phase_id, Some(&o.method_id));
    format!("{}  {title} ({}×)", signed_minutes(o.average), o.sessions)
}

pub fn push_pin(window: &AppWindow, kiosk: &Kiosk, now: Now) {
    let Some(entry) = kiosk.pin_entry() else {
        return;
    };
    let lang = kiosk.lang();
    let adapter = window.global::<PinAdapter>();
    let opens = match entry.opens {
        Page::History => phrases::PIN_FOR_HISTORY,
        _ => phrases::PIN_FOR_SETTINGS,
    };
    adapter.set_opens(opens.text(lang).into());
    adapter.set_digits(entry.digits.len() as i32);
    adapter.set_checking(entry.status == PinStatus::Checking);
    let wait = entry.status.wait_left(now.mono);
    adapter.set_waiting(wait.is_some());
    let message = match (entry.status, wait) {
        (PinStatus::Wrong, _) => phrases::PIN_WRONG.text(lang).into(),
        (_, Some(left)) => {
            let seconds = u64::try_from(seconds_up(left)).unwrap_or(0);
            phrases::PIN_WRONG_WAIT.with(lang, &[&wait_text(lang, seconds)])
        }
        _ => String::new(),
    };
    adapter.set_message(message.into());
}

fn wait_text(lang: Lang, seconds: u64) -> String {
    if seconds < 90 {
        phrases::SECONDS.with(lang, &[&seconds])
    } else {
        phrases::MINUTES.with(lang, &[&seconds.div_ceil(60)])
    }
}

/// The history page's list and the PIN pad.
pub fn connect(window: &AppWindow, link: &Link) {
    let history = window.global::<HistoryAdapter>();
    history.on_select(link.send_with(|i: i32| Intent::SelectHistory(i.max(0) as usize)));
    history.on_close(link.send(Intent::CloseHistory));

    let pin = window.global::<PinAdapter>();
    pin.on_digit(link.send_with(|d: i32| Intent::PinDigit(d.clamp(0, 9) as u8)));
    pin.on_backspace(link.send(Intent::PinBackspace));
    pin.on_submit(link.send(Intent::PinSubmit));
    pin.on_cancel(link.send(Intent::PinCancel));
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::progress::Counted;

    fn phase(id: &str, method: Option<&str>) -> PhaseOutcome {
        PhaseOutcome {
            phase_id: id.into(),
            method_id: method.map(String::from),
            planned: 0,
            actual: 0,
            paused: 0,
            skipped: false,
            counted: Counted::default(),
        }
    }

    #[test]
    fn two_cases_of_one_method_are_told_apart() {
        let v = Some("vijf-stappen");
        let phases = [
            phase("welkom", None),
            phase("spelregels", None),
            phase("vraag", v),
            phase("advies", v),
            phase("vraag", v),
            phase("advies", v),
            phase("evaluatie", None),
        ];
        let labels = part_labels(&Library::built_in(), Lang::Nl, &phases);
        assert_eq!(
            labels,
            [
                "Opening",
                "",
                "Casus 1 · Vijfstappenmethode",
                "",
                "Casus 2 · Vijfstappenmethode",
                "",
                "Afsluiting"
            ]
        );
    }
}
