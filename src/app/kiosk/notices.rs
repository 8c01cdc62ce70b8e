//! What the room is told about the kiosk's own trouble: the store's and the push buttons'.

use crate::domain::method::Ms;
use crate::domain::time::Instant;
use crate::input::gestures::Button;
use crate::store::worker::Report;
use crate::store::{Keep, Notice};

/// What the store has to tell the room, shown until someone dismisses it or it is resolved.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StoreNotice {
    /// Sessions cannot be kept (the reason is in the log too).
    Unavailable(String),
    /// Writing failed; the meeting goes on from memory.
    WriteFailing { disk_full: bool },
    /// The database could not be read and was set aside; a new one was started.
    StartedAfresh,
    /// A wipe that was cut short was finished at start-up.
    WipeFinished,
    /// A wipe asked for here is done.
    Wiped,
    /// A wipe could not be done: nothing was wiped; the store tries again until it is.
    WipeFailing { disk_full: bool },
    /// A wipe with no room on the disk destroyed the key in place: nothing kept can be read,
    /// and nothing is kept until there is room again.
    WipedWithoutRoom,
}

impl StoreNotice {
    /// What the room is told about something the store found while opening.
    pub fn on_opening(notice: &Notice) -> StoreNotice {
        match notice {
            Notice::WipeFinished => StoreNotice::WipeFinished,
            Notice::MovedAside(_) | Notice::KeyLost => StoreNotice::StartedAfresh,
        }
    }
}

/// A problem with the push buttons that people in the room should know about.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ButtonNotice {
    /// Held down (at start-up, or stuck): ignored until it comes up.
    Held(Button),
    /// The buttons cannot be used; the reason is for IT and already in the log.
    Unavailable(String),
}

/// What a store report changes of the notice the room sees; reports that are not about the
/// store's health (its opening, the history, the PIN) leave it as it is.
pub fn after_report(shown: Option<StoreNotice>, report: &Report) -> Option<StoreNotice> {
    match report {
        Report::Unavailable(reason) => Some(StoreNotice::Unavailable(reason.clone())),
        Report::WriteFailed { disk_full } => Some(StoreNotice::WriteFailing {
            disk_full: *disk_full,
        }),
        Report::Recovered
            if matches!(
                shown,
                Some(StoreNotice::WriteFailing { .. } | StoreNotice::WipedWithoutRoom)
            ) =>
        {
            None
        }
        Report::WipedWithoutRoom => Some(StoreNotice::WipedWithoutRoom),
        // Retention's own quiet clean-up is not a wipe anyone asked for.
        Report::Wiped(Keep::SessionsSince { .. }) => shown,
        Report::Wiped(_) => Some(StoreNotice::Wiped),
        Report::WipeFailed { disk_full, .. } => Some(StoreNotice::WipeFailing {
            disk_full: *disk_full,
        }),
        _ => shown,
    }
}

/// News that needs nothing done goes by itself after this long; trouble stays until it is
/// resolved or dismissed.
pub const NEWS_LASTS: Ms = 10_000;

impl StoreNotice {
    fn is_news(&self) -> bool {
        matches!(self, StoreNotice::Wiped | StoreNotice::WipeFinished)
    }
}

/// The store's notice on view, and since when.
#[derive(Debug, Default)]
pub struct StoreNotices {
    shown: Option<(StoreNotice, Instant)>,
}

impl StoreNotices {
    pub fn get(&self) -> Option<&StoreNotice> {
        self.shown.as_ref().map(|(notice, _)| notice)
    }

    pub fn show(&mut self, notice: Option<StoreNotice>, now: Instant) {
        self.shown = notice.map(|n| (n, now));
    }

    pub fn after_report(&mut self, report: &Report, now: Instant) {
        let before = self.shown.take();
        let since = before.as_ref().map(|(_, since)| *since);
        let after = after_report(before.map(|(notice, _)| notice), report);
        self.shown = after.map(|notice| {
            let unchanged = since.filter(|_| report_keeps(report));
            (notice, unchanged.unwrap_or(now))
        });
    }

    /// What the store found while opening, if anything: the last of it.
    pub fn opened(&mut self, found: &[Notice], now: Instant) {
        if let Some(last) = found.last() {
            self.show(Some(StoreNotice::on_opening(last)), now);
        }
    }

    /// Tapped away; false when there was nothing to dismiss.
    pub fn dismiss(&mut self) -> bool {
        self.shown.take().is_some()
    }

    /// Lets news go once it has been up long enough; returns whether it went.
    pub fn tick(&mut self, now: Instant) -> bool {
        let expired =
            matches!(&self.shown, Some((n, since)) if n.is_news() && now - *since >= NEWS_LASTS);
        if expired {
            self.shown = None;
        }
        expired
    }
}

/// Reports that say nothing new about the store's health leave the notice's time as it was.
fn report_keeps(report: &Report) -> bool {
    !matches!(
        report,
        Report::Unavailable(_)
            | Report::WriteFailed { .. }
            | Report::Wiped(_)
            | Report::WipeFailed { .. }
            | Report::WipedWithoutRoom
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A failed wipe is trouble: it stays on screen until the wipe is done, and is never
    /// shown as done.
    #[test]
    fn a_failed_wipe_stays_until_it_is_done() {
        let mut notices = StoreNotices::default();
        let start = crate::time_source::test_start().mono;
        let failed = Report::WipeFailed {
            keep: Keep::NoSessions,
            reason: "no space".into(),
            disk_full: true,
        };
        notices.after_report(&failed, start);
        assert_eq!(
            notices.get(),
            Some(&StoreNotice::WipeFailing { disk_full: true })
        );
        assert!(
            !notices.tick(start + 10 * NEWS_LASTS),
            "trouble does not go by itself"
        );
        notices.after_report(&Report::Wiped(Keep::NoSessions), start);
        assert_eq!(notices.get(), Some(&StoreNotice::Wiped));
    }
}
