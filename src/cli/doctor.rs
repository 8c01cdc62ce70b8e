//! `doctor`: checks what the kiosk needs on this machine (display, input, buttons, the data
//! directory, the config, the clock) and says what to fix. Exits 1 when something must be fixed.

use super::context::Context;
use crate::device_files::{self, InputAccess};
use crate::input::gpio::{self, GpioTrouble};
use crate::store::{Paths, inspect, pin};
use crate::time_source::SystemClock;
use anyhow::Result;
use chrono::{Datelike, NaiveDateTime};
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::Path;
use std::sync::Arc;

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Level {
    Ok,
    Warn,
    Fail,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Finding {
    pub level: Level,
    pub topic: &'static str,
    pub text: String,
}

fn finding(level: Level, topic: &'static str, text: impl Into<String>) -> Finding {
    Finding {
        level,
        topic,
        text: text.into(),
    }
}

/// The earliest date the clock can plausibly show: this program did not exist before it.
const EARLIEST_PLAUSIBLE_YEAR: i32 = 2026;

pub fn check_clock(
    now: NaiveDateTime,
    synchronized: bool,
    last_session: Option<NaiveDateTime>,
) -> Finding {
    if now.year() < EARLIEST_PLAUSIBLE_YEAR {
        return finding(
            Level::Warn,
            "clock",
            format!(
                "the clock says {}, which cannot be right: history dates and retention use it \
                 (meetings are timed without it). A Pi has no real-time clock: connect it to a \
                 time server once, or set the time with `sudo date -s`",
                now.format("%Y-%m-%d %H:%M")
            ),
        );
    }
    if let Some(last) = last_session
        && now < last
    {
        return finding(
            Level::Warn,
            "clock",
            format!(
                "the clock ({}) is before the last kept meeting ({}): it went back after a power \
                 cut; history dates may be off",
                now.format("%Y-%m-%d %H:%M"),
                last.format("%Y-%m-%d %H:%M")
            ),
        );
    }
    finding(
        Level::Ok,
        "clock",
        format!(
            "{}{}",
            now.format("%Y-%m-%d %H:%M"),
            if synchronized {
                ", synchronized"
            } else {
                " (not synchronized: fine without a network, but it drifts and restarts from the last saved time after a power cut)"
            }
        ),
    )
}

/// The data directory: owner, mode, key, and whether the database can be read.
pub fn check_data_dir(dir: &Path, uid: u32) -> Vec<Finding> {
    let mut out = Vec::new();
    let shown = dir.display();
    let Ok(meta) = std::fs::metadata(dir) else {
        out.push(finding(
            Level::Warn,
            "data",
            format!("{shown} does not exist yet; the kiosk creates it at its first start"),
        ));
        return out;
    };
    if meta.uid() != uid {
        out.push(finding(
            Level::Fail,
            "data",
            format!(
                "{shown} belongs to user id {}, not to this user ({uid}): run doctor as the \
                 kiosk's user (sudo -u intervisie-kiosk intervisie-kiosk doctor), or fix the owner",
                meta.uid()
            ),
        ));
    }
    let mode = meta.permissions().mode() & 0o777;
    if mode & 0o077 != 0 {
        out.push(finding(
            Level::Fail,
            "data",
            format!("{shown} has mode {mode:o}; it must be 700 (sudo chmod 700 {shown})"),
        ));
    }
    let paths = Paths::new(dir);
    if paths.wipe_marker.exists() {
        out.push(finding(
            Level::Warn,
            "data",
            "a wipe was interrupted; it finishes when the kiosk next starts",
        ));
    }
    match (paths.key.exists(), paths.db.exists()) {
        (true, true) => {
            let key_mode = std::fs::metadata(&paths.key).map_or(0, |m| m.permissions().mode() & 0o777);
            if key_mode != 0o600 {
                out.push(finding(
                    Level::Fail,
                    "data",
                    format!("the key file has mode {key_mode:o}; it must be 600"),
                ));
            }
            match inspect(dir) {
                Ok(Some(found)) => out.push(finding(
                    Level::Ok,
                    "data",
                    format!(
                        "{shown}: encrypted database, schema {}, {} session(s){}",
                        found.status.schema_version,
                        found.status.sessions,
                        if found.running.is_some() { ", one to resume" } else { "" }
                    ),
                )),
                Ok(None) => {}
                Err(e) => out.push(finding(
                    Level::Fail,
                    "data",
                    format!("the database cannot be read ({e}); the kiosk sets it aside and starts afresh"),
                )),
            }
        }
        (false, true) => out.push(finding(
            Level::Warn,
            "data",
            "a database without its key: unreadable; the kiosk treats it as wiped at its next start",
        )),
        (_, false) => out.push(finding(
            Level::Ok,
            "data",
            format!("{shown}: no sessions kept yet"),
        )),
    }
    out.push(finding(
        Level::Ok,
        "pin",
        if pin::is_set(&paths.pin) {
            "a PIN is set for history and settings"
        } else {
            "no PIN: history and settings are open to everyone at the kiosk (intervisie-kiosk set-pin)"
        },
    ));
    out
}

fn check_display() -> Finding {
    if std::env::var_os("DISPLAY").is_some() || std::env::var_os("WAYLAND_DISPLAY").is_some() {
        return finding(
            Level::Ok,
            "display",
            "a desktop is running: the kiosk opens a window",
        );
    }
    if !crate::ui::HAS_LINUXKMS {
        return finding(
            Level::Fail,
            "display",
            "no desktop, and this build cannot draw on the bare display (built without `kms`)",
        );
    }
    let files = device_files::display_devices();
    let usable: Vec<String> = files
        .iter()
        .filter(|f| f.refused.is_none())
        .map(|f| f.path.display().to_string())
        .collect();
    if !usable.is_empty() {
        finding(
            Level::Ok,
            "display",
            format!("bare display: {}", usable.join(", ")),
        )
    } else if !files.is_empty() {
        finding(
            Level::Fail,
            "display",
            format!(
                "cannot be opened read-write here: {}. The service's user needs group `video`, \
                 and its unit DeviceAllow=char-drm rw",
                device_files::describe_refused(&files)
            ),
        )
    } else {
        finding(
            Level::Fail,
            "display",
            "no display device (/dev/dri/card*): is a screen connected, and is the vc4 KMS \
             driver on (dtoverlay=vc4-kms-v3d in /boot/firmware/config.txt)?",
        )
    }
}

fn check_input() -> Finding {
    // Read-write, as libinput opens them: a device that can only be read gives no touch at all.
    let files = device_files::input_devices();
    match device_files::input_access(&files) {
        InputAccess::NoDevices => finding(
            Level::Warn,
            "input",
            "no input devices: no touch and no keys; the push buttons still work",
        ),
        InputAccess::NoneUsable => finding(
            Level::Fail,
            "input",
            format!(
                "no input device can be opened read-write here, so touch and keys would do \
                 nothing: {}. The service's user needs group `input`, and its unit \
                 DeviceAllow=char-input rw",
                device_files::describe_refused(&files)
            ),
        ),
        InputAccess::Some { usable, total } => finding(
            Level::Warn,
            "input",
            format!(
                "{usable} of {total} input devices can be opened; refused: {}",
                device_files::describe_refused(&files)
            ),
        ),
        InputAccess::All(usable) => finding(
            Level::Ok,
            "input",
            format!("{usable} input device(s) (touch, keys), opened read-write"),
        ),
    }
}

fn check_buttons(ctx: &Context) -> Finding {
    let config = &ctx.config.buttons;
    let clock = SystemClock::new();
    match gpio::open(config, clock.mono(), Arc::new(|_| {})) {
        Ok(hw) => {
            let held: Vec<&str> = ["next", "pause"]
                .iter()
                .zip(hw.held_at_start)
                .filter(|(_, held)| *held)
                .map(|(name, _)| *name)
                .collect();
            if held.is_empty() {
                finding(
                    Level::Ok,
                    "buttons",
                    format!(
                        "next on GPIO {}, pause on GPIO {}; try them with `intervisie-kiosk buttons test`",
                        config.next_pin, config.pause_pin
                    ),
                )
            } else {
                finding(
                    Level::Warn,
                    "buttons",
                    format!("held down now (or wired wrong): {}", held.join(", ")),
                )
            }
        }
        Err(GpioTrouble::Absent(why)) => finding(Level::Ok, "buttons", format!("off: {why}")),
        Err(GpioTrouble::Failed(why)) => finding(Level::Fail, "buttons", why),
    }
}

/// The backlight that dimming would use, and whether this user may set it.
fn check_backlight(ctx: &Context) -> Finding {
    use crate::backlight::from_config;
    let dimming = if ctx.config.dim_after_minutes == 0 {
        "dimming is off (dim_after_minutes = 0)".to_string()
    } else {
        format!("dims after {} min", ctx.config.dim_after_minutes)
    };
    match from_config(&ctx.config) {
        Ok(None) => finding(
            Level::Ok,
            "screen",
            format!("{dimming}; no backlight to set, so the picture is darkened instead"),
        ),
        Ok(Some(light)) => {
            use crate::backlight::Backlight;
            let file = light.brightness_file();
            match std::fs::OpenOptions::new().write(true).open(&file) {
                Ok(_) => finding(
                    Level::Ok,
                    "screen",
                    format!("{dimming}; backlight {}", light.describe()),
                ),
                Err(e) => finding(
                    Level::Warn,
                    "screen",
                    format!(
                        "{dimming}, but {} cannot be written by this user ({e}): the picture is \
                         darkened instead. The package's udev rule gives group `video` write \
                         access at boot (sudo udevadm trigger --subsystem-match=backlight \
                         --action=add applies it now)",
                        file.display()
                    ),
                ),
            }
        }
        Err(e) => finding(
            Level::Fail,
            "screen",
            format!("backlight in the config: {e}"),
        ),
    }
}

/// What happens when this process tries an IP connection (to itself, so nothing leaves the
/// machine). Inside the service's sandbox the socket cannot even be made.
pub fn check_network() -> Finding {
    let local = std::net::SocketAddr::from(([127, 0, 0, 1], 9));
    let tried = std::net::TcpStream::connect_timeout(&local, std::time::Duration::from_millis(200));
    network_finding(tried.err().and_then(|e| e.raw_os_error()))
}

/// EAFNOSUPPORT and EPERM, as Linux numbers them on every architecture the kiosk runs on.
const EAFNOSUPPORT: i32 = 97;
const EPERM: i32 = 1;

fn network_finding(os_error: Option<i32>) -> Finding {
    match os_error {
        Some(EAFNOSUPPORT) => finding(
            Level::Ok,
            "network",
            "IP sockets are refused here (RestrictAddressFamilies): no network at all",
        ),
        Some(EPERM) => finding(
            Level::Ok,
            "network",
            "IP traffic is refused here (IPAddressDeny): no network at all",
        ),
        _ => finding(
            Level::Ok,
            "network",
            "IP sockets can be opened from here, as from any shell; the kiosk's service \
             refuses them (systemctl show intervisie-kiosk -p RestrictAddressFamilies)",
        ),
    }
}

pub fn run(ctx: &Context, dir: &Path) -> Result<i32> {
    let mut findings = vec![finding(
        Level::Ok,
        "config",
        match &ctx.config.source {
            Some(path) => format!("{} is valid", path.display()),
            None => "no config file; defaults".into(),
        },
    )];
    findings.push(check_display());
    findings.push(check_input());
    findings.push(check_buttons(ctx));
    findings.push(check_backlight(ctx));
    findings.push(check_network());
    let uid = device_files::own_uid().unwrap_or(u32::MAX);
    findings.extend(check_data_dir(dir, uid));
    let synchronized = Path::new("/run/systemd/timesync/synchronized").exists();
    let last = inspect(dir)
        .ok()
        .flatten()
        .and_then(|i| i.status.last_started);
    findings.push(check_clock(
        chrono::Local::now().naive_local(),
        synchronized,
        last,
    ));
    let mut failed = false;
    for f in &findings {
        let mark = match f.level {
            Level::Ok => "ok  ",
            Level::Warn => "warn",
            Level::Fail => {
                failed = true;
                "FIX "
            }
        };
        println!("{mark}  {:<8} {}", f.topic, f.text);
    }
    Ok(i32::from(failed))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::NaiveDate;

    fn at(y: i32, m: u32, d: u32) -> NaiveDateTime {
        NaiveDate::from_ymd_opt(y, m, d)
            .unwrap()
            .and_hms_opt(12, 0, 0)
            .unwrap()
    }

    #[test]
    fn a_clock_from_before_this_program_or_the_last_meeting_is_suspect() {
        assert_eq!(check_clock(at(1970, 1, 1), false, None).level, Level::Warn);
        assert_eq!(
            check_clock(at(2026, 11, 1), true, Some(at(2026, 11, 20))).level,
            Level::Warn
        );
        let ok = check_clock(at(2026, 11, 22), false, Some(at(2026, 11, 20)));
        assert_eq!(ok.level, Level::Ok);
        assert!(ok.text.contains("not synchronized"));
    }

    #[test]
    fn the_network_finding_tells_the_sandbox_from_a_shell() {
        assert!(
            network_finding(Some(EAFNOSUPPORT))
                .text
                .contains("refused here")
        );
        assert!(network_finding(Some(EPERM)).text.contains("refused here"));
        // Connection refused (nothing listens), or a connection made.
        assert!(network_finding(Some(111)).text.contains("can be opened"));
        assert!(network_finding(None).text.contains("can be opened"));
    }

    #[test]
    fn a_loose_or_foreign_data_directory_is_reported() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("d");
        std::fs::create_dir(&data).unwrap();
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o755)).unwrap();
        let uid = std::fs::metadata(&data).unwrap().uid();
        let f = check_data_dir(&data, uid);
        assert!(
            f.iter()
                .any(|f| f.level == Level::Fail && f.text.contains("chmod 700")),
            "{f:?}"
        );
        let f = check_data_dir(&data, uid + 1);
        assert!(
            f.iter()
                .any(|f| f.level == Level::Fail && f.text.contains("sudo -u")),
            "{f:?}"
        );
        std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
        let f = check_data_dir(&data, uid);
        assert!(f.iter().all(|f| f.level != Level::Fail), "{f:?}");
        let f = check_data_dir(&dir.path().join("missing"), uid);
        assert_eq!(f[0].level, Level::Warn);
    }
}
