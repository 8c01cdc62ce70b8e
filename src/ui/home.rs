//! Fills the window-wide adapter (page, clock, the end question) and the home and settings pages.

use super::{AppAdapter, AppWindow, HomeAdapter, PageId, SettingsAdapter};
use crate::app::kiosk::{ButtonNotice, Kiosk, Page};
use crate::domain::clock::Now;
use crate::domain::text::Lang;
use crate::input::gestures::Button;
use chrono::{Datelike, NaiveDateTime};
use slint::ComponentHandle;

pub fn page_id(page: Page) -> PageId {
    match page {
        Page::Home => PageId::Home,
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

pub fn push(window: &AppWindow, kiosk: &Kiosk, now: Now) {
    let app = window.global::<AppAdapter>();
    app.set_page(page_id(kiosk.page()));
    app.set_clock(now.wall.format("%H:%M").to_string().into());
    app.set_date(long_date(kiosk.lang(), now.wall).into());
    app.set_confirm_end(kiosk.confirming_end());
    app.set_can_end_case(kiosk.current_case().is_some());
    app.set_end_by_buttons(kiosk.end_asked_by_buttons());
    app.set_wipe_prompt(kiosk.wipe_prompt());
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
