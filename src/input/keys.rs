//! What a key press means, whatever sent it: a keyboard or a presenter clicker. A clicker sends
//! PageDown and PageUp (and often `b` or `.` for its "blank screen" button), so those work
//! everywhere. The screen (`ui::keys`) maps the toolkit's key names onto these.

/// What a key press means, before the page decides what to do with it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum KeyCommand {
    /// Right arrow, PageDown.
    Next,
    /// Return / Enter.
    Enter,
    /// Left arrow, PageUp.
    Back,
    /// Space, B, period.
    PauseResume,
    /// `+` (also `=`, the same key without shift).
    More,
    /// `-`.
    Less,
    Escape,
    Up,
    Down,
    /// 1 to 9.
    Digit(u8),
    /// Anything else.
    Other,
}
