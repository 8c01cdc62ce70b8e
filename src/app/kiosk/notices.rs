//! What the room is told about the kiosk's own trouble: the store's and the push buttons'.

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
        Report::Recovered if matches!(shown, Some(StoreNotice::WriteFailing { .. })) => None,
        // Retention's own quiet clean-up is not a wipe anyone asked for.
        Report::Wiped(Keep::SessionsSince { .. }) => shown,
        Report::Wiped(_) => Some(StoreNotice::Wiped),
        _ => shown,
    }
}
