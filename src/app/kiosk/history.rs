//! Past meetings as the history page shows them: read from the store when the page opens, one
//! of them selected.

use crate::store::{Overrun, PastSession};

/// The history as the store sent it.
#[derive(Clone, Debug, Default)]
pub struct History {
    pub sessions: Vec<PastSession>,
    pub overruns: Vec<Overrun>,
}

#[derive(Debug, Default)]
pub struct HistoryPage {
    /// `None` while the store is still reading it.
    loaded: Option<History>,
    selected: usize,
}

impl HistoryPage {
    pub fn loaded(&self) -> Option<&History> {
        self.loaded.as_ref()
    }

    pub fn selected(&self) -> usize {
        self.selected
    }

    /// The page opens or closes: what was read is dropped, the next visit reads it afresh.
    pub fn forget(&mut self) {
        self.loaded = None;
    }

    /// The store's history arrived.
    pub fn arrived(&mut self, history: History) {
        self.selected = self.selected.min(history.sessions.len().saturating_sub(1));
        self.loaded = Some(history);
    }

    /// Selects the `index`th session; false when there is no such session.
    pub fn select(&mut self, index: usize) -> bool {
        let count = self.loaded.as_ref().map_or(0, |h| h.sessions.len());
        if index >= count {
            return false;
        }
        self.selected = index;
        true
    }
}
