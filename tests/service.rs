//! What the kiosk tells systemd, read from a socket standing in for systemd's own: the
//! environment is set as systemd sets it for `Type=notify` and `WatchdogSec=`.

use intervisie_kiosk::service::Notifier;
use std::os::unix::net::UnixDatagram;
use std::time::Duration;

/// One test in this binary: it sets the process's environment, which no other thread reads.
#[test]
fn ready_status_and_watchdog_reach_the_socket_systemd_gave() {
    let quiet = Notifier::from_env();
    assert!(!quiet.is_active(), "no NOTIFY_SOCKET, nothing to tell");
    assert_eq!(quiet.ping_every(), None);
    quiet.ready("nobody listens");

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notify");
    let systemd = UnixDatagram::bind(&path).unwrap();
    systemd
        .set_read_timeout(Some(Duration::from_secs(5)))
        .unwrap();
    // SAFETY: the only test in this binary, before it starts any thread of its own.
    unsafe {
        std::env::set_var("NOTIFY_SOCKET", &path);
        std::env::set_var("WATCHDOG_USEC", "10000000");
        std::env::set_var("WATCHDOG_PID", std::process::id().to_string());
    }
    let n = Notifier::from_env();
    assert!(n.is_active());
    assert_eq!(n.ping_every(), Some(Duration::from_secs(5)));
    n.ready("showing the screen: linuxkms with the software renderer");
    n.ping();
    let mut buf = [0u8; 256];
    let len = systemd.recv(&mut buf).unwrap();
    assert_eq!(
        std::str::from_utf8(&buf[..len]).unwrap(),
        "READY=1\nSTATUS=showing the screen: linuxkms with the software renderer\n"
    );
    let len = systemd.recv(&mut buf).unwrap();
    assert_eq!(&buf[..len], b"WATCHDOG=1\n");

    // A watchdog meant for another process (a child systemd started) is not ours to ping.
    unsafe { std::env::set_var("WATCHDOG_PID", "1") };
    assert_eq!(Notifier::from_env().ping_every(), None);
}
