//! The store thread's wipes: done, done in place for want of room, or failed and tried again
//! until done; and retention, which wipes what is older than the limit.

use super::{Report, Worker};
use crate::store::WipeOutcome;
use crate::store::connection::Notice;
use crate::store::error::StoreError;
use crate::store::handle::Store;
use crate::store::wipe::Keep;
use chrono::NaiveDateTime;
use std::time::Instant;

impl Worker {
    /// Wipes with `keep`, and reports it done only when it is: a wipe that could not begin
    /// (its marker could not be written, on a full disk say) wiped nothing, is reported as
    /// failed and tried again until it is done.
    pub(super) fn wipe(&mut self, keep: Keep) {
        self.last_wipe_try = Instant::now();
        if self.store.is_none() && self.reopen_wanted {
            // The key is already destroyed: nothing kept can be read.
            self.wiped(keep);
            (self.report)(Report::WipedWithoutRoom);
            return;
        }
        let Some(store) = self.store.take() else {
            let closed = StoreError::Database {
                path: self.options.dir.display().to_string(),
                reason: "the store is not open".into(),
            };
            self.wipe_failed(keep, &closed);
            return;
        };
        let dir = store.paths().dir.clone();
        let marker = store.paths().wipe_marker.clone();
        let settings = store.settings().unwrap_or_default();
        match store.wipe_or_destroy_key(keep.clone()) {
            Ok(WipeOutcome::Done(store)) => {
                self.store = Some(*store);
                self.wiped(keep);
            }
            Ok(WipeOutcome::KeyDestroyed { cause }) => {
                tracing::info!(
                    "nothing kept can be read any more; the files go once there is room"
                );
                self.destroyed_in_place(keep, settings, cause.is_disk_full());
            }
            Err(e) => {
                // Begun (its marker is on disk), opening the store finishes it; not begun,
                // nothing was wiped.
                let begun = marker.exists();
                if self.wipe_failures == 0 {
                    tracing::error!("the wipe failed: {e}");
                } else {
                    tracing::debug!("the wipe failed again: {e}");
                }
                match Store::open(&dir) {
                    Ok((store, notices)) => {
                        self.store = Some(store);
                        if begun && notices.contains(&Notice::WipeFinished) {
                            tracing::info!("the wipe was finished on reopening the store");
                            self.wiped(keep);
                        } else {
                            self.wipe_failed(keep, &e);
                        }
                    }
                    Err(open_error) if begun && !marker.exists() => {
                        // Reopening finished the wipe (nothing kept) but found no room to begin
                        // a new store.
                        tracing::info!(
                            "the wipe was finished; no room yet for a new store: {open_error}"
                        );
                        self.destroyed_in_place(keep, settings, open_error.is_disk_full());
                    }
                    Err(open_error) => {
                        tracing::error!("the store cannot be opened after a wipe: {open_error}");
                        (self.report)(Report::Unavailable(open_error.to_string()));
                        self.wipe_failed(keep, &e);
                    }
                }
            }
        }
    }

    fn wiped(&mut self, keep: Keep) {
        self.pending_events.clear();
        self.pending_begin = false;
        self.wipe_wanted = None;
        if self.wipe_failures > 0 {
            tracing::info!("the wipe is done after {} failed tries", self.wipe_failures);
        }
        self.wipe_failures = 0;
        (self.report)(Report::Wiped(keep));
    }

    /// After a wipe that left no store behind: it is done, and the store comes back (with the
    /// settings chosen on the screen) once there is room.
    fn destroyed_in_place(&mut self, keep: Keep, settings: Vec<(String, String)>, no_room: bool) {
        self.settings_to_restore = settings;
        self.reopen_wanted = true;
        self.reopen();
        self.wiped(keep);
        if self.store.is_none() {
            if !no_room {
                tracing::warn!("the store cannot be opened after destroying its key");
            }
            (self.report)(Report::WipedWithoutRoom);
        }
    }

    /// Opens the store again after a wipe in place (opening finishes that wipe); says whether
    /// it is open.
    fn reopen(&mut self) -> bool {
        self.last_wipe_try = Instant::now();
        match Store::open(&self.options.dir) {
            Ok((mut store, _)) => {
                for (name, value) in std::mem::take(&mut self.settings_to_restore) {
                    if let Err(e) = store.set_setting(&name, &value) {
                        tracing::error!("a setting cannot be kept after the wipe: {e}");
                    }
                }
                if self.pin_failures > 0
                    && let Err(e) = store.set_meta("pin_failures", &self.pin_failures.to_string())
                {
                    tracing::error!("the PIN attempts cannot be kept: {e}");
                }
                self.store = Some(store);
                self.reopen_wanted = false;
                tracing::info!("the store is open again, on a new key");
                true
            }
            Err(e) => {
                tracing::debug!("no room yet for a new store: {e}");
                false
            }
        }
    }

    /// Remembers a wipe to try again; wiping everything covers any narrower wipe.
    fn wipe_failed(&mut self, keep: Keep, error: &StoreError) {
        if self.wipe_failures == 0 {
            tracing::warn!("nothing was wiped; the wipe is tried again until it is done");
        }
        self.wipe_failures += 1;
        let wanted = match self.wipe_wanted.take() {
            Some(Keep::NoSessions) => Keep::NoSessions,
            _ => keep.clone(),
        };
        self.wipe_wanted = Some(wanted);
        (self.report)(Report::WipeFailed {
            keep,
            reason: error.to_string(),
            disk_full: error.is_disk_full(),
        });
    }

    /// Tries a failed wipe again once `wipe_retry` has passed since the last try.
    pub(super) fn retry_wipe(&mut self) {
        if self.last_wipe_try.elapsed() < self.options.wipe_retry {
            return;
        }
        if self.reopen_wanted && self.store.is_none() {
            if self.reopen() {
                (self.report)(Report::Recovered);
            }
            return;
        }
        let Some(keep) = self.wipe_wanted.take() else {
            return;
        };
        // A try that cannot even open the store waits its turn like any other.
        self.last_wipe_try = Instant::now();
        if self.store.is_none() {
            match Store::open(&self.options.dir) {
                Ok((store, _)) => self.store = Some(store),
                Err(e) => {
                    tracing::debug!("the store still cannot be opened for the wipe: {e}");
                    self.wipe_wanted = Some(keep);
                    return;
                }
            }
        }
        tracing::debug!("trying the wipe again");
        self.wipe(keep);
    }

    /// Retention: ended sessions older than the limit are wiped (all of them with 0 days, when
    /// `meeting_over` says a meeting has just left the screen).
    pub(super) fn apply_retention(&mut self, meeting_over: bool) {
        let days = self.options.retention_days;
        let now = chrono::Local::now().naive_local();
        let cutoff: NaiveDateTime = if days == 0 {
            // Later than any end; written as a plain date, so it compares as text too.
            chrono::NaiveDate::from_ymd_opt(9999, 12, 31)
                .expect("a valid date")
                .and_hms_opt(0, 0, 0)
                .expect("a valid time")
        } else {
            now - chrono::Duration::days(i64::from(days))
        };
        let Some(store) = &self.store else {
            return;
        };
        let due = if days == 0 {
            store.finished_count().unwrap_or(0)
        } else {
            store.ended_before(cutoff).unwrap_or(0)
        };
        if due > 0 || (days == 0 && meeting_over) {
            tracing::info!("retention ({days} days): wiping {due} ended session(s)");
            self.wipe(Keep::SessionsSince { since: cutoff });
        }
    }
}
