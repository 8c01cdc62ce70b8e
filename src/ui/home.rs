//! Fills the window-wide adapter (page, clock, the end question) and the home and settings pages.

use super::sink::Link;
use super::window::{AppAdapter, AppWindow, HomeAdapter, LanguageChoice, PageId, SettingsAdapter};
use crate::app::kiosk::{ButtonNotice, Kiosk, Page, RETENTION_CHOICES, StoreNotice};
use crate::app::page::Intent;
use crate::domain::text::Lang;
use crate::domain::time::Now;
use crate::format::{phrases, seconds_up};
use crate::input::gestures::Button;
use chrono::{Datelike, NaiveDateTime};
use slint::ComponentHandle;

pub fn page_id(page: Page) -> PageId {
    match page {
        Page::Home => PageId::Home,
        Page::Resume => PageId::Resume,
        Page::History => PageId::History,
        Page::Pin => PageId::Pin,
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
    let day = phrases::WEEKDAYS[t.weekday().num_days_from_monday() as usize];
    let month = phrases::MONTHS[t.month0() as usize];
    format!("{} {} {}", day.text(lang), t.day(), month.text(lang))
}

/// What the room should know about the push buttons.
pub fn notice_text(lang: Lang, notice: &ButtonNotice) -> String {
    match notice {
        ButtonNotice::Held(button) => {
            let name = match button {
                Button::Next => phrases::BUTTON_NEXT,
                Button::Pause => phrases::BUTTON_PAUSE,
            };
            phrases::BUTTON_HELD.with(lang, &[&name.text(lang)])
        }
        ButtonNotice::Unavailable(reason) => phrases::BUTTONS_UNAVAILABLE.with(lang, &[reason]),
    }
}

/// What the store has to say, and whether it is a warning.
pub fn store_notice_text(lang: Lang, notice: &StoreNotice) -> (String, bool) {
    match notice {
        StoreNotice::Unavailable(reason) => {
            (phrases::STORE_UNAVAILABLE.with(lang, &[reason]), true)
        }
        StoreNotice::WriteFailing { disk_full } => {
            let why = if *disk_full {
                phrases::DISK_FULL.text(lang)
            } else {
                ""
            };
            (phrases::SAVING_FAILS.with(lang, &[&why]), true)
        }
        StoreNotice::StartedAfresh => (phrases::STARTED_AFRESH.text(lang).into(), true),
        StoreNotice::WipeFinished => (phrases::WIPE_FINISHED.text(lang).into(), false),
        StoreNotice::Wiped => (phrases::WIPED.text(lang).into(), false),
        StoreNotice::WipedWithoutRoom => (phrases::WIPED_WITHOUT_ROOM.text(lang).into(), true),
        StoreNotice::WipeFailing { disk_full } => {
            let why = if *disk_full {
                phrases::DISK_FULL.text(lang)
            } else {
                ""
            };
            (phrases::WIPE_FAILING.with(lang, &[&why]), true)
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
    if let Some(left) = kiosk.wipe_countdown(now) {
        app.set_wipe_seconds(seconds_up(left) as i32);
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
    push_settings(window, kiosk);
}

fn retention_label(lang: Lang, days: u32) -> String {
    match days {
        0 => phrases::KEEP_UNTIL_THE_END.text(lang).into(),
        365 => phrases::KEEP_A_YEAR.text(lang).into(),
        d => phrases::KEEP_DAYS.with(lang, &[&d]),
    }
}

fn push_settings(window: &AppWindow, kiosk: &Kiosk) {
    let lang = kiosk.lang();
    let settings = window.global::<SettingsAdapter>();
    settings.set_language(match lang {
        Lang::Nl => LanguageChoice::Nl,
        Lang::En => LanguageChoice::En,
    });
    let config = kiosk.config();
    settings.set_members(config.default_members.to_string().into());
    settings.set_length(format!("{} min", config.default_minutes).into());
    settings.set_led(kiosk.led_on());
    settings.set_buzzer(kiosk.buzzer_on());
    let mut choices: Vec<u32> = RETENTION_CHOICES.to_vec();
    if !choices.contains(&config.retention_days) {
        // A value from the config file that the screen does not offer is shown as it is.
        choices.push(config.retention_days);
    }
    let options: Vec<slint::SharedString> = choices
        .iter()
        .map(|&d| retention_label(lang, d).into())
        .collect();
    settings.set_retention_options(std::rc::Rc::new(slint::VecModel::from(options)).into());
    settings.set_retention(
        choices
            .iter()
            .position(|&d| d == config.retention_days)
            .unwrap_or(0) as i32,
    );
    settings.set_confirm_wipe(kiosk.confirming_wipe());
}

/// The retention a choice on the settings page stands for.
pub fn retention_choice(kiosk: &Kiosk, index: i32) -> Option<u32> {
    let mut choices: Vec<u32> = RETENTION_CHOICES.to_vec();
    let current = kiosk.config().retention_days;
    if !choices.contains(&current) {
        choices.push(current);
    }
    choices.get(usize::try_from(index).ok()?).copied()
}

/// The home and settings pages' buttons.
pub fn connect(window: &AppWindow, link: &Link) {
    let home = window.global::<HomeAdapter>();
    home.on_wake(link.send(Intent::Wake));
    home.on_open_settings(link.send(Intent::OpenSettings));
    home.on_open_history(link.send(Intent::OpenHistory));

    let settings = window.global::<SettingsAdapter>();
    settings.on_set_language(link.send_with(|choice| {
        Intent::SetLanguage(match choice {
            LanguageChoice::Nl => Lang::Nl,
            LanguageChoice::En => Lang::En,
        })
    }));
    settings.on_close(link.send(Intent::CloseSettings));
    settings.on_members_less(link.send(Intent::ChangeDefaultMembers(-1)));
    settings.on_members_more(link.send(Intent::ChangeDefaultMembers(1)));
    settings.on_length_less(link.send(Intent::ChangeDefaultLength(-1)));
    settings.on_length_more(link.send(Intent::ChangeDefaultLength(1)));
    settings.on_set_led(link.send_with(Intent::SetLed));
    settings.on_set_buzzer(link.send_with(Intent::SetBuzzer));
    let retention = link.clone();
    settings.on_set_retention(move |i| {
        retention.with(|sink| {
            let days = retention_choice(&sink.kiosk(), i);
            if let Some(days) = days {
                sink.intent(Intent::SetRetention(days));
            }
        });
    });
    settings.on_ask_wipe(link.send(Intent::AskWipeAll));
    settings.on_cancel_wipe(link.send(Intent::CancelWipeAll));
    settings.on_confirm_wipe_all(link.send(Intent::WipeAll));
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
