//! Talking to systemd when it runs the kiosk: "ready" once the screen is up, a status line for
//! `systemctl status`, and watchdog pings from the screen's own event loop, so a frozen screen
//! gets the service restarted. The protocol is the `sd-notify` crate's.

use sd_notify::NotifyState;
use std::time::Duration;

/// Whether systemd listens, and how often it wants to hear from us.
pub struct Notifier {
    active: bool,
    watchdog: Option<Duration>,
}

impl Notifier {
    /// From the environment systemd sets for `Type=notify` and `WatchdogSec=`.
    pub fn from_env() -> Notifier {
        let active = std::env::var_os("NOTIFY_SOCKET").is_some_and(|s| !s.is_empty());
        let watchdog = sd_notify::watchdog_enabled();
        Notifier { active, watchdog }
    }

    pub fn is_active(&self) -> bool {
        self.active
    }

    fn send(&self, states: &[NotifyState]) {
        if !self.active {
            return;
        }
        // A path, as systemd gives a service (the crate does not take abstract sockets).
        if let Err(e) = sd_notify::notify(states) {
            let said: Vec<String> = states.iter().map(ToString::to_string).collect();
            tracing::warn!("cannot tell systemd `{}`: {e}", said.join(" "));
        }
    }

    /// The screen is up; `status` says how it draws, for `systemctl status`.
    pub fn ready(&self, status: &str) {
        self.send(&[NotifyState::Ready, NotifyState::Status(status)]);
    }

    /// Still alive: sent from the event loop.
    pub fn ping(&self) {
        self.send(&[NotifyState::Watchdog]);
    }

    /// How often to ping: half the watchdog time, so one late ping is not fatal.
    pub fn ping_every(&self) -> Option<Duration> {
        self.watchdog.map(|w| w / 2).filter(|d| !d.is_zero())
    }
}
