//! Talking to systemd when it runs the kiosk: "ready" once the screen is up, and watchdog pings
//! from the screen's own event loop, so a frozen screen gets the service restarted.

use std::os::unix::net::UnixDatagram;
use std::time::Duration;

/// The `NOTIFY_SOCKET` systemd gave us, if any, and how often it wants to hear from us.
pub struct Notifier {
    socket: Option<(UnixDatagram, String)>,
    watchdog: Option<Duration>,
}

impl Notifier {
    /// From the environment systemd sets for `Type=notify` and `WatchdogSec=`.
    pub fn from_env() -> Notifier {
        let socket = std::env::var("NOTIFY_SOCKET")
            .ok()
            .filter(|s| !s.is_empty());
        let for_us = std::env::var("WATCHDOG_PID")
            .ok()
            .and_then(|pid| pid.parse::<u32>().ok())
            .is_none_or(|pid| pid == std::process::id());
        let watchdog = std::env::var("WATCHDOG_USEC")
            .ok()
            .and_then(|usec| usec.parse::<u64>().ok())
            .filter(|_| for_us)
            .map(Duration::from_micros);
        Notifier::new(socket, watchdog)
    }

    pub fn new(socket: Option<String>, watchdog: Option<Duration>) -> Notifier {
        let socket = socket.and_then(|address| match UnixDatagram::unbound() {
            Ok(s) => Some((s, address)),
            Err(e) => {
                tracing::warn!("cannot talk to systemd: {e}");
                None
            }
        });
        Notifier { socket, watchdog }
    }

    pub fn is_active(&self) -> bool {
        self.socket.is_some()
    }

    fn send(&self, message: &str) {
        let Some((socket, address)) = &self.socket else {
            return;
        };
        let result = if let Some(name) = address.strip_prefix('@') {
            use std::os::linux::net::SocketAddrExt;
            std::os::unix::net::SocketAddr::from_abstract_name(name.as_bytes())
                .and_then(|addr| socket.send_to_addr(message.as_bytes(), &addr))
        } else {
            socket.send_to(message.as_bytes(), address)
        };
        if let Err(e) = result {
            tracing::warn!("cannot tell systemd `{message}`: {e}");
        }
    }

    /// The screen is up.
    pub fn ready(&self) {
        self.send("READY=1");
    }

    /// Still alive: sent from the event loop.
    pub fn ping(&self) {
        self.send("WATCHDOG=1");
    }

    /// How often to ping: half the watchdog time, so one late ping is not fatal.
    pub fn ping_every(&self) -> Option<Duration> {
        self.watchdog.map(|w| w / 2).filter(|d| !d.is_zero())
    }

    pub fn stopping(&self) {
        self.send("STOPPING=1");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_reach_the_socket_systemd_gave() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("notify");
        let listener = UnixDatagram::bind(&path).unwrap();
        let n = Notifier::new(
            Some(path.display().to_string()),
            Some(Duration::from_secs(10)),
        );
        assert!(n.is_active());
        n.ready();
        n.ping();
        let mut buf = [0u8; 64];
        let len = listener.recv(&mut buf).unwrap();
        assert_eq!(&buf[..len], b"READY=1");
        let len = listener.recv(&mut buf).unwrap();
        assert_eq!(&buf[..len], b"WATCHDOG=1");
        assert_eq!(n.ping_every(), Some(Duration::from_secs(5)));
    }

    #[test]
    fn without_systemd_nothing_is_sent() {
        let n = Notifier::new(None, None);
        assert!(!n.is_active());
        n.ready();
        assert_eq!(n.ping_every(), None);
    }
}
