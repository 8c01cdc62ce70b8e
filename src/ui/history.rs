//! Fills the history page (past meetings, the chosen one's phases, how its method's phases tend
//! to run) and the PIN pad.

use super::models::SyncedModel;
use super::sink::Link;
use super::summary::rounded_minutes;
use super::window::{AppWindow, HistoryAdapter, HistoryItem, PinAdapter, SummaryRow};
use crate::app::kiosk::{Kiosk, Page, PinStatus};
use crate::app::page::Intent;
use crate::domain::library::Library;
use crate::domain::text::Lang;
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

const DAYS_NL: [&str; 7] = ["ma", "di", "wo", "do", "vr", "za", "zo"];
const DAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
const MONTHS_NL: [&str; 12] = [
    "jan", "feb", "mrt", "apr", "mei", "jun", "jul", "aug", "sep", "okt", "nov", "dec",
];
const MONTHS_EN: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

/// "ma 23 nov 14:00" / "Mon 23 Nov 14:00".
pub fn short_date(lang: Lang, t: chrono::NaiveDateTime) -> String {
    use chrono::Datelike;
    let day = t.weekday().num_days_from_monday() as usize;
    let month = t.month0() as usize;
    let (days, months) = match lang {
        Lang::Nl => (DAYS_NL, MONTHS_NL),
        Lang::En => (DAYS_EN, MONTHS_EN),
    };
    format!(
        "{} {} {} {}",
        days[day],
        t.day(),
        months[month],
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
fn phase_title(library: &Library, lang: Lang, phase: &PhaseOutcome) -> String {
    let found = match &phase.method_id {
        Some(method) => library
            .get(method)
            .and_then(|m| m.phases.iter().find(|p| p.id == phase.phase_id))
            .map(|p| p.title.get(lang).to_string()),
        None => {
            let frame = library.frame();
            frame
                .opening
                .iter()
                .chain(&frame.closing)
                .find(|p| p.id == phase.phase_id)
                .map(|p| p.title.get(lang).to_string())
        }
    };
    found.unwrap_or_else(|| phase.phase_id.clone())
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
    let members = match lang {
        Lang::Nl => format!("{} deelnemers", session.members),
        Lang::En => format!("{} members", session.members),
    };
    adapter.set_heading(
        format!(
            "{} · {names} · {members}",
            short_date(lang, session.started_at)
        )
        .into(),
    );
    let planned = rounded_minutes(session.target);
    let totals = match (lang, session.length, session.evaluation) {
        (Lang::Nl, Some(len), e) => format!(
            "Gepland {planned} min, werkelijk {} min{}",
            rounded_minutes(len),
            e.map_or(String::new(), |e| format!(" · evaluatie {e}/5"))
        ),
        (Lang::En, Some(len), e) => format!(
            "Planned {planned} min, actual {} min{}",
            rounded_minutes(len),
            e.map_or(String::new(), |e| format!(" · evaluation {e}/5"))
        ),
        (Lang::Nl, None, _) => format!("Gepland {planned} min · niet afgemaakt (onderbroken)"),
        (Lang::En, None, _) => format!("Planned {planned} min · not finished (interrupted)"),
    };
    adapter.set_totals(totals.into());
    let longest = session
        .phases
        .iter()
        .map(|p| p.planned.max(p.actual))
        .max()
        .unwrap_or(1)
        .max(1) as f32;
    models.rows.sync(
        session
            .phases
            .iter()
            .map(|p| SummaryRow {
                part: SharedString::new(),
                title: phase_title(library, lang, p).into(),
                planned: p.planned as f32 / longest,
                actual: p.actual as f32 / longest,
                planned_label: rounded_minutes(p.planned).into(),
                actual_label: rounded_minutes(p.actual).into(),
                skipped: p.skipped,
                over: !p.skipped && p.actual > p.planned,
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
    adapter.set_overrun_title(
        match lang {
            Lang::Nl => format!(
                "{} gemiddeld, per fase (minuten t.o.v. plan)",
                method_names(library, lang, &[method])
            ),
            Lang::En => format!(
                "{} on average, per phase (minutes against plan)",
                method_names(library, lang, &[method])
            ),
        }
        .into(),
    );
    models.overruns.set_vec(lines);
}

fn overrun_line(library: &Library, lang: Lang, o: &Overrun) -> String {
    let title = phase_title(
        library,
        lang,
        &PhaseOutcome {
            phase_id: o.phase_id.clone(),
            method_id: Some(o.method_id.clone()),
            planned: 0,
            actual: 0,
            paused: 0,
            skipped: false,
        },
    );
    let times = match lang {
        Lang::Nl => format!("{}×", o.sessions),
        Lang::En => format!("{}×", o.sessions),
    };
    format!("{}  {title} ({times})", signed_minutes(o.average))
}

pub fn push_pin(window: &AppWindow, kiosk: &Kiosk) {
    let Some(entry) = kiosk.pin_entry() else {
        return;
    };
    let lang = kiosk.lang();
    let adapter = window.global::<PinAdapter>();
    adapter.set_opens(
        match (lang, entry.opens) {
            (Lang::Nl, Page::History) => "geschiedenis",
            (Lang::En, Page::History) => "history",
            (Lang::Nl, _) => "instellingen",
            (Lang::En, _) => "settings",
        }
        .into(),
    );
    adapter.set_digits(entry.digits.len() as i32);
    adapter.set_checking(entry.status == PinStatus::Checking);
    let message = match (lang, entry.status) {
        (_, PinStatus::Typing | PinStatus::Checking) => String::new(),
        (Lang::Nl, PinStatus::Wrong { wait_s: 0 }) => "Onjuiste PIN.".into(),
        (Lang::En, PinStatus::Wrong { wait_s: 0 }) => "Wrong PIN.".into(),
        (Lang::Nl, PinStatus::Wrong { wait_s } | PinStatus::Locked { wait_s }) => {
            format!(
                "Onjuiste PIN. Probeer het over {} opnieuw.",
                wait_text(lang, wait_s)
            )
        }
        (Lang::En, PinStatus::Wrong { wait_s } | PinStatus::Locked { wait_s }) => {
            format!("Wrong PIN. Try again in {}.", wait_text(lang, wait_s))
        }
    };
    adapter.set_message(message.into());
}

fn wait_text(lang: Lang, seconds: u64) -> String {
    match (lang, seconds) {
        (Lang::Nl, s) if s < 90 => format!("{s} seconden"),
        (Lang::En, s) if s < 90 => format!("{s} seconds"),
        (Lang::Nl, s) => format!("{} minuten", s.div_ceil(60)),
        (Lang::En, s) => format!("{} minutes", s.div_ceil(60)),
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
