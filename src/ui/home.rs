//! Fills the window-wide adapter (page, clock, the end question) and the home and settings pages.

use super::{AppAdapter, AppWindow, HomeAdapter, PageId, SettingsAdapter};
use crate::app::kiosk::{ButtonNotice, Kiosk, Page, StoreNotice};
use crate::domain::clock::Now;
use crate::domain::text::Lang;
use crate::input::gestures::Button;
use chrono::{Datelike, NaiveDateTime};
use slint::ComponentHandle;

pub fn page_id(page: Page) -> PageId {
    match page {
        Page::Home => PageId::Home,
        Page::Resume => PageId::Resume,
        Page::Settings => PageId::Settings,
        Page::Setup => PageId::Setup,
        Page::Opening => PageId::Opening,
        Page::CaseQuestion => PageId::CaseQuestion,
        Page::Running => PageId::Running,
        Page::Summary => PageId::Summary,
    }
}

/// "maandag 23 november" / "Monday 23 November", without depending on system locales.
pub fn long_date(lang: Lang, t: NaiveDateTime) -> String {
    const DAYS_NL: [&str; 7] = [
        "maandag",
        "dinsdag",
        "woensdag",
        "donderdag",
        "vrijdag",
        "zaterdag",
        "zondag",
    ];
    const DAYS_EN: [&str; 7] = [
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
        "Sunday",
    ];
    const MONTHS_NL: [&str; 12] = [
        "januari",
        "februari",
        "maart",
        "april",
        "mei",
        "juni",
        "juli",
        "augustus",
        "september",
        "oktober",
        "november",
        "december",
    ];
    const MONTHS_EN: [&str; 12] = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    let day = t.weekday().num_days_from_monday() as usize;
    let month = t.month0() as usize;
    match lang {
        Lang::Nl => format!("{} {} {}", DAYS_NL[day], t.day(), MONTHS_NL[month]),
        Lang::En => format!("{} {} {}", DAYS_EN[day], t.day(), MONTHS_EN[month]),
    }
}

/// What the room should know about the push buttons.
pub fn notice_text(lang: Lang, notice: &ButtonNotice) -> String {
    match (lang, notice) {
        (Lang::Nl, ButtonNotice::Held(button)) => format!(
            "De knop {} wordt ingedrukt gehouden of zit vast. Hij doet niets tot hij loskomt; de andere knop werkt wel.",
            match button {
                Button::Next => "volgende",
                Button::Pause => "pauze",
            }
        ),
        (Lang::En, ButtonNotice::Held(button)) => format!(
            "The {} button is held down or stuck. It does nothing until it comes up; the other button still works.",
            button.name()
        ),
        (Lang::Nl, ButtonNotice::Unavailable(reason)) => {
            format!("De drukknoppen werken niet ({reason}). Aanraken en toetsen werken wel.")
        }
        (Lang::En, ButtonNotice::Unavailable(reason)) => {
            format!("The push buttons do not work ({reason}). Touch and keys still do.")
        }
    }
}

/// What the store has to say, and whether it is a warning.
pub fn store_notice_text(lang: Lang, notice: &StoreNotice) -> (String, bool) {
    match (lang, notice) {
        (Lang::Nl, StoreNotice::Unavailable(reason)) => (
            format!("Sessies worden niet bewaard ({reason}). De bijeenkomst werkt wel; na een stroomstoring is hij weg."),
            true,
        ),
        (Lang::En, StoreNotice::Unavailable(reason)) => (
            format!("Sessions are not being kept ({reason}). The meeting works; after a power cut it is gone."),
            true,
        ),
        (Lang::Nl, StoreNotice::WriteFailing { disk_full }) => (
            format!(
                "Opslaan lukt niet{}. De bijeenkomst loopt door in het geheugen; opslaan wordt steeds opnieuw geprobeerd.",
                if *disk_full { " (de schijf is vol)" } else { "" }
            ),
            true,
        ),
        (Lang::En, StoreNotice::WriteFailing { disk_full }) => (
            format!(
                "Saving fails{}. The meeting goes on in memory; saving is tried again and again.",
                if *disk_full { " (the disk is full)" } else { "" }
            ),
            true,
        ),
        (Lang::Nl, StoreNotice::StartedAfresh) => (
            "De opgeslagen sessies waren niet leesbaar en zijn apart gezet; er is opnieuw begonnen. Tik om te sluiten.".into(),
            true,
        ),
        (Lang::En, StoreNotice::StartedAfresh) => (
            "The saved sessions could not be read and were set aside; the kiosk started afresh. Tap to close.".into(),
            true,
        ),
        (Lang::Nl, StoreNotice::WipeFinished) => (
            "Een onderbroken wisbeurt is afgemaakt. Tik om te sluiten.".into(),
            false,
        ),
        (Lang::En, StoreNotice::WipeFinished) => (
            "An interrupted wipe was finished. Tap to close.".into(),
            false,
        ),
        (Lang::Nl, StoreNotice::Wiped) => ("Gewist. Tik om te sluiten.".into(), false),
        (Lang::En, StoreNotice::Wiped) => ("Wiped. Tap to close.".into(), false),
    }
}

pub fn push(window: &AppWindow, kiosk: &Kiosk, now: Now) {
    let app = window.global::<AppAdapter>();
    app.set_page(page_id(kiosk.page()));
    app.set_clock(now.wall.format("%H:%M").to_string().into());
    app.set_date(long_date(kiosk.lang(), now.wall).into());
    app.set_confirm_end(kiosk.confirming_end());
    app.set_can_end_case(kiosk.current_case().is_some());
    app.set_end_by_buttons(kiosk.end_asked_by_buttons());
    app.set_wipe_prompt(kiosk.wipe_prompt());
    if let Some(left) = kiosk.wipe_countdown(now) {
        app.set_wipe_seconds(((left + 999) / 1000) as i32);
    }
    let (store_text, warning) = kiosk.store_notice().map_or((String::new(), false), |n| {
        store_notice_text(kiosk.lang(), n)
    });
    app.set_store_notice(store_text.into());
    app.set_store_warning(warning);
    app.set_notice(
        kiosk
            .button_notice()
            .map_or(String::new(), |n| notice_text(kiosk.lang(), n))
            .into(),
    );
    window
        .global::<HomeAdapter>()
        .set_room_name(kiosk.config().room_name.clone().into());
    window
        .global::<SettingsAdapter>()
        .set_language(match kiosk.lang() {
            Lang::Nl => 0,
            Lang::En => 1,
        });
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    #[test]
    fn dates_in_both_languages() {
        let t = NaiveDate::from_ymd_opt(2026, 11, 23)
            .unwrap()
            .and_hms_opt(9, 0, 0)
            .unwrap();
        assert_eq!(long_date(Lang::Nl, t), "maandag 23 november");
        assert_eq!(long_date(Lang::En, t), "Monday 23 November");
    }
}
