//! When the screen dims: after a quiet spell in which no countdown runs, until the next touch,
//! key or button press, which only wakes it (a tap on a dark screen should not start anything).

use crate::domain::method::Ms;
use crate::domain::time::Instant;

/// While a countdown keeps the screen lit, look again this often: the meeting may be paused or
/// ended without anyone touching the screen.
pub const RECHECK_WHILE_LIT: Ms = 60_000;

#[derive(Clone, Debug)]
pub struct Dimming {
    /// Quiet time before dimming; `None` never dims.
    after: Option<Ms>,
    last_input: Instant,
    dimmed: bool,
}

impl Dimming {
    pub fn new(after: Option<Ms>, now: Instant) -> Dimming {
        Dimming {
            after: after.filter(|&ms| ms > 0),
            last_input: now,
            dimmed: false,
        }
    }

    pub fn is_dimmed(&self) -> bool {
        self.dimmed
    }

    /// Someone touched the screen or pressed a key or button. Returns true when that only woke
    /// the screen and should not be acted on.
    pub fn input(&mut self, now: Instant) -> bool {
        self.last_input = now;
        std::mem::replace(&mut self.dimmed, false)
    }

    /// Looks at the screen at `now`: dims it when it has been quiet long enough and nothing
    /// keeps it lit. Returns how long until it should look again (`None`: not until an input).
    pub fn check(&mut self, now: Instant, keep_lit: bool) -> Option<Ms> {
        let after = self.after?;
        if self.dimmed {
            return None;
        }
        if keep_lit {
            return Some(RECHECK_WHILE_LIT);
        }
        let quiet = now - self.last_input;
        if quiet >= after {
            self.dimmed = true;
            None
        } else {
            Some(after - quiet)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIN: Ms = 60_000;

    #[test]
    fn dims_after_the_quiet_spell_and_the_next_input_only_wakes() {
        let mut d = Dimming::new(Some(10 * MIN), Instant(0));
        assert_eq!(d.check(Instant(0), false), Some(10 * MIN));
        assert_eq!(d.check(Instant(4 * MIN), false), Some(6 * MIN));
        assert!(!d.is_dimmed());
        assert_eq!(d.check(Instant(10 * MIN), false), None);
        assert!(d.is_dimmed());
        assert!(d.input(Instant(12 * MIN)), "the first input only wakes");
        assert!(!d.is_dimmed());
        assert!(!d.input(Instant(12 * MIN + 500)), "the second one counts");
        assert_eq!(d.check(Instant(13 * MIN), false), Some(9 * MIN + 500));
    }

    #[test]
    fn input_restarts_the_quiet_spell() {
        let mut d = Dimming::new(Some(10 * MIN), Instant(0));
        assert!(!d.input(Instant(9 * MIN)));
        assert_eq!(d.check(Instant(10 * MIN), false), Some(9 * MIN));
        assert!(!d.is_dimmed());
    }

    #[test]
    fn a_running_countdown_keeps_the_screen_lit_however_quiet() {
        let mut d = Dimming::new(Some(MIN), Instant(0));
        for minute in 1..=120 {
            assert_eq!(
                d.check(Instant(minute * MIN), true),
                Some(RECHECK_WHILE_LIT)
            );
            assert!(!d.is_dimmed());
        }
        // The meeting was paused long ago and nobody touched anything since: dim at once.
        assert_eq!(d.check(Instant(121 * MIN), false), None);
        assert!(d.is_dimmed());
    }

    #[test]
    fn zero_or_none_never_dims() {
        for after in [None, Some(0)] {
            let mut d = Dimming::new(after, Instant(0));
            assert_eq!(d.check(Instant(1_000 * MIN), false), None);
            assert!(!d.is_dimmed());
            assert!(!d.input(Instant(1_000 * MIN)));
        }
    }
}
