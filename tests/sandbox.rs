//! The kiosk under the service's address-family rule, applied here the way systemd applies it
//! (a seccomp filter on socket(): families outside the unit's list get EAFNOSUPPORT): it cannot
//! open an IP socket, and everything it does still works without one.

mod common;

use common::run_with_input;
use std::os::unix::process::CommandExt;
use std::process::{Command, Output, Stdio};

const BIN: &str = env!("CARGO_BIN_EXE_intervisie-kiosk");
const UNIT: &str = include_str!("../deploy/systemd/intervisie-kiosk.service");

/// The families the unit allows, as the kernel numbers them.
fn allowed_families() -> Vec<u32> {
    let line = UNIT
        .lines()
        .find_map(|l| l.strip_prefix("RestrictAddressFamilies="))
        .expect("the unit restricts address families");
    assert!(!line.starts_with('~'), "an allow-list, not a deny-list");
    line.split_whitespace()
        .map(|name| match name {
            "AF_UNIX" => libc::AF_UNIX as u32,
            "AF_NETLINK" => libc::AF_NETLINK as u32,
            "AF_INET" => libc::AF_INET as u32,
            "AF_INET6" => libc::AF_INET6 as u32,
            "AF_PACKET" => libc::AF_PACKET as u32,
            other => panic!("add {other} to this test"),
        })
        .collect()
}

#[cfg(target_arch = "x86_64")]
const AUDIT_ARCH: u32 = 0xC000_003E;
#[cfg(target_arch = "aarch64")]
const AUDIT_ARCH: u32 = 0xC000_00B7;

/// A classic-BPF seccomp program: socket() with a family not in `allowed` fails with
/// EAFNOSUPPORT; every other call (and every other architecture's) passes.
fn socket_filter(allowed: &[u32]) -> Vec<libc::sock_filter> {
    const LOAD: u16 = (libc::BPF_LD | libc::BPF_W | libc::BPF_ABS) as u16;
    const JEQ: u16 = (libc::BPF_JMP | libc::BPF_JEQ | libc::BPF_K) as u16;
    const RET: u16 = (libc::BPF_RET | libc::BPF_K) as u16;
    let op = |code, jt, jf, k| libc::sock_filter { code, jt, jf, k };
    // Offsets into struct seccomp_data: nr at 0, arch at 4, args[0] (low half) at 16.
    let n = allowed.len() as u8;
    let mut program = vec![
        op(LOAD, 0, 0, 4),
        op(JEQ, 0, n + 4, AUDIT_ARCH),
        op(LOAD, 0, 0, 0),
        op(JEQ, 0, n + 2, libc::SYS_socket as u32),
        op(LOAD, 0, 0, 16),
    ];
    for (i, &family) in allowed.iter().enumerate() {
        // Equal: jump over the remaining tests and the refusal to ALLOW.
        program.push(op(JEQ, n - i as u8, 0, family));
    }
    program.push(op(
        RET,
        0,
        0,
        libc::SECCOMP_RET_ERRNO | libc::EAFNOSUPPORT as u32,
    ));
    program.push(op(RET, 0, 0, libc::SECCOMP_RET_ALLOW));
    program
}

/// Applies the unit's address-family rule to `command`'s process, before it runs.
fn confine(command: &mut Command) {
    let program = socket_filter(&allowed_families());
    // SAFETY: between fork and exec only prctl is called, which is async-signal-safe; the
    // program was built before the fork and outlives the call.
    unsafe {
        command.pre_exec(move || {
            let fprog = libc::sock_fprog {
                len: program.len() as u16,
                filter: program.as_ptr() as *mut libc::sock_filter,
            };
            if libc::prctl(libc::PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0
                || libc::prctl(
                    libc::PR_SET_SECCOMP,
                    libc::SECCOMP_MODE_FILTER,
                    &fprog as *const libc::sock_fprog,
                ) != 0
            {
                return Err(std::io::Error::last_os_error());
            }
            Ok(())
        });
    }
}

/// Runs the kiosk with `args` under the unit's address-family rule (or without it).
fn kiosk(sandboxed: bool, args: &[&str], data: &std::path::Path, input: &str) -> Output {
    let mut command = Command::new(BIN);
    command
        .args(["--config", "/dev/null", "--data-dir"])
        .arg(data)
        .args(args)
        .env("TMPDIR", data);
    if sandboxed {
        confine(&mut command);
    }
    run_with_input(&mut command, input)
}

fn network_line(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find(|l| l.contains("network"))
        .expect("doctor reports on the network")
        .to_string()
}

#[test]
fn the_filter_refuses_ip_sockets_the_way_systemd_does() {
    // bash's /dev/tcp makes an AF_INET socket: the refusal is the kernel's, not the kiosk's.
    let refused = Command::new("bash")
        .args(["-c", "exec 3<>/dev/tcp/127.0.0.1/9"])
        .stderr(Stdio::piped())
        .output();
    let Ok(plain) = refused else {
        return; // no bash: the kiosk tests below still run
    };
    assert!(
        !String::from_utf8_lossy(&plain.stderr).contains("not supported"),
        "without the filter the family is supported"
    );
    let mut command = Command::new("bash");
    command.args(["-c", "exec 3<>/dev/tcp/127.0.0.1/9"]);
    confine(&mut command);
    let out = command.stderr(Stdio::piped()).output().unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("Address family not supported"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn under_the_units_rule_the_kiosk_cannot_open_a_tcp_socket() {
    let data = tempfile::tempdir().unwrap();
    let out = kiosk(true, &["doctor"], data.path(), "");
    let line = network_line(&out);
    assert!(
        line.contains("refused here (RestrictAddressFamilies)"),
        "{line}"
    );
    // And outside the sandbox the same check sees an ordinary machine.
    let out = kiosk(false, &["doctor"], data.path(), "");
    assert!(network_line(&out).contains("can be opened"));
}

#[test]
fn under_the_units_rule_a_whole_meeting_is_kept_and_read_back() {
    let data = tempfile::tempdir().unwrap();
    let out = kiosk(
        true,
        &["run", "--headless", "--method", "incident"],
        data.path(),
        "next\nend-meeting\nrate 4\nfinish\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let views = String::from_utf8_lossy(&out.stdout);
    assert!(views.lines().count() >= 4, "{views}");
    let out = kiosk(true, &["status", "--json"], data.path(), "");
    assert!(out.status.success());
    let status: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(status["sessions"], 1, "{status}");
}
