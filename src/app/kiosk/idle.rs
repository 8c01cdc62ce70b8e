//! The pages shown while no meeting runs: home, set-up, settings and history (behind the PIN when
//! IT set one), and the question before settings wipe everything.

use super::history::HistoryPage;
use super::pin_gate::PinGate;
use crate::app::page::Page;
use crate::domain::time::Instant;
use crate::store::worker::{Command, PinAnswer};

#[derive(Debug)]
pub struct Idle {
    page: Page,
    pub pin: PinGate,
    pub history: HistoryPage,
    /// "Wipe every kept meeting?" is asked on the settings page.
    pub confirming_wipe: bool,
}

impl Default for Idle {
    fn default() -> Idle {
        Idle {
            page: Page::Home,
            pin: PinGate::default(),
            history: HistoryPage::default(),
            confirming_wipe: false,
        }
    }
}

impl Idle {
    /// The page on view: the PIN pad while it asks, else the page last opened.
    pub fn page(&self) -> Page {
        if self.pin.entry().is_some() {
            Page::Pin
        } else {
            self.page
        }
    }

    /// Shows a page that needs no PIN (home, set-up).
    pub fn show(&mut self, page: Page) {
        self.page = page;
    }

    /// Opens settings or history, asking for the PIN first when IT set one; returns what the
    /// store must do for it (read the history).
    pub fn open(&mut self, page: Page) -> Option<Command> {
        if !self.pin.lets_through(page) {
            return None;
        }
        self.page = page;
        (page == Page::History).then(|| {
            self.history.forget();
            Command::LoadHistory
        })
    }

    /// The store's answer to the PIN typed: the page opens when it was right.
    pub fn pin_answer(&mut self, answer: PinAnswer, now: Instant) -> Option<Command> {
        let page = self.pin.answer(answer, now)?;
        self.open(page)
    }

    /// Home again: the PIN is asked again next time, the history read afresh.
    pub fn go_home(&mut self) {
        self.page = Page::Home;
        self.pin.close();
        self.confirming_wipe = false;
        self.history.forget();
    }
}
