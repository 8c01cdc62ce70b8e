//! Running a command the way the service runs it: as the service's user, inside its sandbox.
//! `doctor` run by root hands itself to systemd (`systemd-run`) with the installed unit's own
//! settings, so what it finds is what the kiosk meets, devices and network rules included.

use anyhow::{Context as _, Result};
use std::path::Path;
use std::process::Command;

/// Where the package installs the unit.
pub const INSTALLED_UNIT: &str = "/usr/lib/systemd/system/intervisie-kiosk.service";

/// Settings of the unit's `[Service]` section that say how the kiosk runs, not what it is
/// (the program, the notification type, restarts and the watchdog belong to the long-running
/// screen, not to a check that ends).
const NOT_FOR_A_CHECK: &[&str] = &[
    "Type",
    "NotifyAccess",
    "ExecStart",
    "ExecStartPre",
    "ExecStartPost",
    "ExecStop",
    "Restart",
    "RestartSec",
    "WatchdogSec",
    "TimeoutStartSec",
    "TimeoutStopSec",
];

/// The unit's `[Service]` settings that make up the service's identity and sandbox, as
/// `KEY=VALUE` for `systemd-run -p`.
pub fn sandbox_properties(unit: &str) -> Vec<String> {
    let mut section = "";
    let mut out = Vec::new();
    for line in unit.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if line.starts_with('[') {
            section = line;
            continue;
        }
        if section != "[Service]" {
            continue;
        }
        let Some((key, _)) = line.split_once('=') else {
            continue;
        };
        if !NOT_FOR_A_CHECK.contains(&key.trim()) {
            out.push(line.to_string());
        }
    }
    out
}

/// Whether this process can hand a command to systemd in the service's sandbox: root, systemd
/// running, and the package's unit installed.
pub fn available() -> bool {
    let root = crate::device_files::own_uid() == Some(0);
    root && Path::new("/run/systemd/system").is_dir() && Path::new(INSTALLED_UNIT).is_file()
}

/// Runs this program again with `args`, as the service, and waits for it; its output is ours.
/// Returns its exit code.
pub fn rerun(args: &[std::ffi::OsString]) -> Result<i32> {
    let unit = std::fs::read_to_string(INSTALLED_UNIT)
        .with_context(|| format!("cannot read {INSTALLED_UNIT}"))?;
    let program = std::env::current_exe().context("cannot find this program's path")?;
    let mut command = Command::new("systemd-run");
    command.args([
        "--quiet",
        "--pipe",
        "--wait",
        "--collect",
        "--service-type=exec",
    ]);
    for property in sandbox_properties(&unit) {
        command.arg("-p").arg(property);
    }
    command.arg("--").arg(program).args(args);
    let status = command
        .status()
        .context("cannot start systemd-run (is systemd running?)")?;
    Ok(status.code().unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: &str = include_str!("../../deploy/systemd/intervisie-kiosk.service");

    #[test]
    fn the_check_gets_the_services_user_devices_and_sandbox_but_not_its_lifecycle() {
        let p = sandbox_properties(UNIT);
        for wanted in [
            "User=intervisie-kiosk",
            "SupplementaryGroups=video render input gpio",
            "DevicePolicy=closed",
            "DeviceAllow=char-input rw",
            "RestrictAddressFamilies=AF_UNIX AF_NETLINK",
            "MemoryDenyWriteExecute=yes",
            "StateDirectory=intervisie-kiosk",
        ] {
            assert!(p.iter().any(|l| l == wanted), "{wanted} missing from {p:?}");
        }
        for unwanted in [
            "Type=",
            "ExecStart=",
            "WatchdogSec=",
            "Restart=",
            "Description=",
        ] {
            assert!(
                !p.iter().any(|l| l.starts_with(unwanted)),
                "{unwanted} is not for a check: {p:?}"
            );
        }
        assert!(!p.iter().any(|l| l.starts_with('#')), "no comments: {p:?}");
    }
}
