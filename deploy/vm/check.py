#!/usr/bin/env python3
"""The appliance's acceptance test, run against a real VM: boots the image deploy/vm/image.sh
made under qemu (a real systemd as PID 1, a virtio-gpu display, a virtio keyboard and tablet),
installs the package as IT would, and checks what IT and the group would see: one `ok`/`FAIL`
line per check, then the figures measured. The screen is read from QMP screendumps by OCR
(tesseract), never by eye; input comes from the virtual keyboard and tablet through QMP.

Started by deploy/vm-test.sh, which builds the package and the image and installs the tools."""

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time

from machine import Vm, read_ppm, similarity, text_of

UNIT = "intervisie-kiosk"
STATE = "/var/lib/intervisie-kiosk"
CONFIG = "/etc/intervisie-kiosk/config.toml"
# The case question typed on the kiosk's keyboard: a word found nowhere else, so that finding it
# in the journal or on the disk can only mean the question leaked.
CASE_WORD = "qwzrtvx"
# The room name set in the config: plain text on the disk, the scan's proof that it can find one.
ROOM_WORD = "Kamer Zuidvleugel"

# What the screen says on each page (Dutch, the default language), as OCR reads it.
HOME = ["tik", "beginnen"]
SETUP = ["nieuwe bijeenkomst", "deelnemers"]
OPENING = ["welkom"]
CASE_QUESTION = ["vraag", "overslaan"]
# A running phase: the expected end in the header.
RUNNING = ["einde"]
# Paused, the phase says PAUZE and its button says Verder (running, that button says Pauze).
PAUSED = ["pauze", "verder"]
RESUME = ["onderbroken"]
CONSOLE = ["login"]


class Report:
    def __init__(self):
        self.failures = 0
        self.figures = []

    def check(self, what, passed, detail=""):
        if passed:
            print(f"ok    {what}", flush=True)
        else:
            self.failures += 1
            print(f"FAIL  {what}" + (f": {detail}" if detail else ""), flush=True)
        return passed

    def figure(self, what, value):
        print(f"      {what}: {value}", flush=True)
        self.figures.append((what, value))


def first_frame_ms(vm, reference, timeout=60):
    """Restarts the service and polls the screen until it shows the reference picture again."""
    _, _, ref = read_ppm(reference)
    vm.ssh(f"systemctl stop {UNIT}")
    t0 = time.time()
    vm.ssh(f"systemctl start --no-block {UNIT}")
    path = os.path.join(vm.work, "poll.ppm")
    while time.time() - t0 < timeout:
        vm.qmp.cmd("screendump", filename=path)
        _, _, pixels = read_ppm(path)
        if similarity(pixels, ref) > 0.97:
            return round((time.time() - t0) * 1000)
        time.sleep(0.05)
    return None


def set_config(vm, key, value):
    """Sets (or adds) one top-level option of the kiosk's config, as IT would with an editor."""
    line = f"{key} = {value}"
    vm.ssh(f"grep -q '^#\\?{key} =' {CONFIG} && sed -i 's|^#\\?{key} = .*|{line}|' {CONFIG}"
           f" || sed -i '1i {line}' {CONFIG}")


def journal(vm, priority=None, boots=("0",)):
    out = []
    for b in boots:
        flags = f"-p {priority}" if priority else ""
        out.append(vm.out(f"journalctl -b {b} -u {UNIT} -o cat --no-pager {flags}", quiet=True))
    return "\n".join(o for o in out if o)


def cpu_and_memory(vm, seconds=30):
    """CPU (% of one core), PSS (kB) and minor page faults a second of the kiosk, over a window.
    (Its comm has no spaces, so /proc/PID/stat splits plainly: field 10 is minflt, 14 and 15
    user and system ticks, all summed over the process's threads.)"""
    pid = vm.main_pid()
    stat = lambda: [int(x) for x in vm.out(f"cut -d' ' -f10,14,15 /proc/{pid}/stat").split()]
    hz = int(vm.out("getconf CLK_TCK") or 100)
    (faults, *ticks), t0 = stat(), time.time()
    time.sleep(seconds)
    (faults_after, *ticks_after), wall = stat(), time.time() - t0
    used = (sum(ticks_after) - sum(ticks)) / hz / wall * 100
    pss = vm.out(f"awk '/^Pss:/ {{print $2}}' /proc/{pid}/smaps_rollup")
    return used, int(pss or 0), (faults_after - faults) / wall


def countdown_seconds(path):
    """The phase countdown on a screendump: the tallest m:ss, and taller than an eighth of the
    screen (the wall clock is small, and must not stand in for a countdown OCR missed). Its
    digits stand too tall for OCR at full size, so they are read smaller, as digits only, at a
    few sizes (which one works depends on the page's layout). The sizes vote: one of them once
    read Inter's 1 as a 7 (with a taller box), the others read it right."""
    _, height, _ = read_ppm(path)
    found = []
    for percent in (50, 40, 33, 25, 20):
        small = f"{path[:-4]}-digits{percent}.png"
        subprocess.run(["convert", path, "-resize", f"{percent}%", small], check=True)
        r = subprocess.run(["tesseract", small, "-", "--psm", "11", "-c",
                            "tessedit_char_whitelist=0123456789:+", "tsv"],
                           capture_output=True, text=True)
        for line in r.stdout.splitlines()[1:]:
            cols = line.split("\t")
            if len(cols) != 12 or not re.fullmatch(r"\+?\d{1,3}:\d\d", cols[11].strip()):
                continue
            tall = int(cols[9]) * 100 / percent
            if tall > 0.12 * height:
                found.append((tall, cols[11].strip()))
    if not found:
        return None
    # The tallest reading of each size, then the reading most sizes agree on (the tallest
    # of those when they tie).
    votes = {}
    for tall, text in found:
        count, highest = votes.get(text, (0, 0))
        votes[text] = (count + 1, max(highest, tall))
    best = max(votes.items(), key=lambda item: item[1])[0]
    m, s = best.lstrip("+").split(":")
    return int(m) * 60 + int(s)


def countdown_runs(vm, name):
    """Whether the countdown on the screen goes down over a few seconds."""
    seen = []
    for _ in range(3):
        path = vm.screendump(name)
        value = countdown_seconds(path)
        if value is not None:
            seen.append(value)
        if len(seen) >= 2 and seen[-1] < seen[0]:
            break
        time.sleep(3)
    return (len(seen) >= 2 and seen[-1] < seen[0],
            [(f"countdown read as {seen}", 0, 0, 0)] + vm.ocr(path))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image", required=True, help="directory with disk.raw, vmlinuz, initrd.img")
    p.add_argument("--cache", required=True, help="where the ssh key is")
    p.add_argument("--deb", required=True, help="the package to test")
    p.add_argument("--deb-newer", required=True, help="the same package with a higher version")
    p.add_argument("--unit", required=True, help="the unit file as it is in the repository")
    p.add_argument("--work", required=True, help="where screendumps and logs go")
    p.add_argument("--arch", default="amd64")
    p.add_argument("--accel", default="tcg")
    p.add_argument("--quick", action="store_true", help="install, ready, home page, a key, a power cut")
    a = p.parse_args()
    # Cut off (CI's time limit), the VM is still powered off on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.makedirs(a.work, exist_ok=True)
    for f in os.listdir(a.work):
        os.unlink(os.path.join(a.work, f))
    r = Report()
    vm = Vm(a, a.work)
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                    os.path.abspath(os.path.join(a.image, "disk.raw")), vm.overlay], check=True)
    try:
        run_checks(vm, r, a)
    finally:
        if vm.proc and vm.proc.poll() is None:
            vm.power_cut()
    print()
    for what, value in r.figures:
        print(f"FIGURE {what}: {value}")
    print(f"screendumps and logs: {a.work}")
    if r.failures:
        print(f"vm-test: {r.failures} check(s) failed")
        return 1
    print("vm-test: all checks passed")
    return 0


def run_checks(vm, r, a):
    print("--- boot and install")
    boot_s = vm.boot()
    r.figure("first boot to ssh", f"{boot_s:.0f} s")
    for deb, name in ((a.deb, "old.deb"), (a.deb_newer, "new.deb")):
        vm.copy_in(deb, f"/root/{name}")
    t0 = time.time()
    vm.ssh("apt-get update -q 2>&1", timeout=600)
    inst = vm.ssh("DEBIAN_FRONTEND=noninteractive apt-get install -y /root/old.deb 2>&1", timeout=900)
    r.check("apt install ./package (dependencies from the mirror)", inst.returncode == 0,
            inst.stdout[-500:])
    r.figure("apt update and install", f"{time.time() - t0:.0f} s")
    shipped = open(a.unit).read()
    installed = vm.out(f"cat /usr/lib/systemd/system/{UNIT}.service")
    r.check("the installed unit is the repository's, unmodified", installed == shipped.strip())
    r.check("the service is active after install (Type=notify: it said ready)", vm.wait_active())
    groups = vm.out(f"id -nG {UNIT}").split()
    r.check("the service's user is in video, render, input and gpio",
            {"video", "render", "input", "gpio"} <= set(groups), " ".join(groups))

    print("--- at boot")
    vm.reboot()
    r.check("the service is active after a boot", vm.wait_active())
    ready_us = vm.out(f"systemctl show -p ActiveEnterTimestampMonotonic --value {UNIT}")
    if ready_us.isdigit():
        r.figure("kernel start to ready", f"{int(ready_us) / 1e6:.1f} s")
    ok, words, home_shot = vm.wait_screen(HOME, "home")
    r.check("the bare display shows the home page", ok, text_of(words))
    r.check("the kiosk was not restarted", vm.restarts() == 0, f"NRestarts={vm.restarts()}")
    pid = vm.main_pid()
    held = vm.out(f"ls -l /proc/{pid}/fd | grep -c ' /dev/input/event'", quiet=True)
    r.check("the kiosk holds its input devices open", held.isdigit() and int(held) > 0,
            f"{held or 0} input device(s) open; journal: {journal(vm)[-400:]}")
    if not a.quick:
        doctor = vm.ssh(f"{UNIT} doctor 2>&1")
        print("\n".join("      | " + l for l in doctor.stdout.splitlines()))
        r.check("doctor, as the service runs it, says nothing to fix",
                doctor.returncode == 0 and "FIX" not in doctor.stdout)
        r.check("doctor ran inside the service's sandbox",
                "sandbox" in doctor.stdout and "refused here" in doctor.stdout)

    if not a.quick:
        print("--- renderers")
        for renderer in ("software", "femtovg", "auto"):
            set_config(vm, "renderer", f'"{renderer}"')
            ms = first_frame_ms(vm, home_shot)
            r.figure(f"start to first frame, renderer {renderer}", f"{ms} ms" if ms else "none")
            ok, words, _ = vm.wait_screen(HOME, f"home-{renderer}")
            time.sleep(10)
            # A manual start counts restarts from nothing again.
            r.check(f"renderer = {renderer}: the home page, and no restart",
                    ok and vm.restarts() == 0 and vm.out(f"systemctl is-active {UNIT}") == "active",
                    f"NRestarts {vm.restarts()}; {text_of(words)}")
        chosen = vm.out(f"journalctl -b -u {UNIT} -o cat | grep 'screen:' | tail -1")
        r.figure("auto chose", chosen)
        # OpenGL itself, drawn by Mesa (llvmpipe here): it needs memory that is written and then
        # run, which the shipped unit forbids. Allowed for this check only, in a drop-in.
        vm.ssh(f"mkdir -p /run/systemd/system/{UNIT}.service.d && printf '[Service]\\n"
               f"MemoryDenyWriteExecute=no\\n' > /run/systemd/system/{UNIT}.service.d/gl.conf"
               " && systemctl daemon-reload")
        set_config(vm, "renderer", '"femtovg"')
        vm.ssh(f"systemctl restart {UNIT}")
        ok, words, _ = vm.wait_screen(HOME, "home-opengl")
        time.sleep(10)
        gl = vm.out(f"journalctl -b -u {UNIT} -o cat | grep 'OpenGL renderer:' | tail -1")
        r.check("FemtoVG draws the home page through Mesa's OpenGL (W^X allowed), no restart",
                ok and "llvmpipe" in gl and "FemtoVG" in gl and vm.restarts() == 0,
                f"{gl!r}; NRestarts {vm.restarts()}; {text_of(words)}")
        vm.ssh(f"rm -rf /run/systemd/system/{UNIT}.service.d && systemctl daemon-reload")
        set_config(vm, "renderer", '"auto"')
        vm.ssh(f"systemctl restart {UNIT}")
        vm.wait_screen(HOME, "home-again")

    print("--- a meeting, by touch and keys")
    ok, words, _ = vm.wait_screen(HOME, "home")
    vm.tap_word(words, "beginnen")
    # "beginnen" is on the set-up page too (its button, "beginnende groepen").
    ok, words, _ = vm.wait_screen(SETUP, "setup", timeout=30, absent=["tik om"])
    r.check("a tap on the home page opens the set-up", ok, text_of(words))
    if not vm.tap_word(words, "beginnen"):
        print("      (no Beginnen button read on the screen)")
    # The set-up's schedule names the opening's phases too: the page must have changed.
    ok, words, _ = vm.wait_screen(OPENING, "opening", timeout=30, absent=SETUP)
    r.check("a tap on Beginnen starts the meeting", ok, text_of(words))
    if a.quick:
        # The next phase starts with its own full time: the countdown jumps, rather than going
        # on from where it was.
        before, t0 = countdown_seconds(vm.screendump("opening")), time.time()
        vm.qmp.key("ret")
        time.sleep(3)
        after = countdown_seconds(vm.screendump("next-phase"))
        went_on = None if before is None else before - (time.time() - t0)
        r.check("a key moves to the next phase", after is not None and went_on is not None
                and abs(after - went_on) > 15, f"countdown {before} then {after}")
    else:
        # Through the opening with the next key, to the case question.
        asked = lambda words: all(w in text_of(words, None) for w in CASE_QUESTION)
        for _ in range(6):
            vm.qmp.key("ret")
            time.sleep(1.5)
            words = vm.ocr(vm.screendump("opening-next"))
            if asked(words):
                break
        r.check("the next key reaches the case question", asked(words), text_of(words))
        vm.qmp.type_text(f"hoe zeg ik nee {CASE_WORD}")
        vm.qmp.key("ret")
        ok, words, _ = vm.wait_screen(RUNNING + [CASE_WORD], "running", timeout=30,
                                      absent=CASE_QUESTION)
        r.check("the typed case question is on the running page", ok, text_of(words))
        if not vm.tap_word(words, "pauze"):
            print("      (no Pauze button read on the screen)")
        ok, words, _ = vm.wait_screen(PAUSED, "paused", timeout=30)
        r.check("a tap on Pauze pauses the phase", ok, text_of(words))
        vm.qmp.key("spc")
        time.sleep(1)
        runs, words = countdown_runs(vm, "running-again")
        r.check("the pause key resumes it: the countdown runs", runs, text_of(words))
        used, pss, faults = cpu_and_memory(vm)
        r.figure("kiosk CPU while the countdown runs (30 s, guest)", f"{used:.1f}% of one core")
        r.figure("kiosk PSS", f"{pss / 1024:.1f} MB")
        # Slint's own dumb-buffer display mapped the frame buffer anew for every frame, and
        # each second's frame faulted all of it in again (375 faults a second at 800x480); the
        # vendored one (vendor/README.md) maps it once.
        r.check("a running countdown does not fault its frame buffer in each second",
                faults < 50, f"{faults:.0f} minor page faults a second")

        print("--- watchdog")
        before = vm.restarts()
        vm.ssh(f"kill -STOP {vm.main_pid()}")
        t0 = time.time()
        while time.time() - t0 < 120 and vm.restarts() == before:
            time.sleep(2)
        took = time.time() - t0
        r.check("a frozen kiosk is restarted by the watchdog", vm.restarts() == before + 1,
                f"NRestarts {before} -> {vm.restarts()}")
        r.figure("freeze to restart", f"{took:.0f} s")
        vm.wait_active()
        ok, words, _ = vm.wait_screen(RESUME, "resume-after-watchdog", timeout=60)
        r.check("after the restart the screen offers to resume", ok, text_of(words))
        vm.qmp.key("ret")
        time.sleep(2)
        vm.qmp.key("spc")
        time.sleep(1)
        runs, words = countdown_runs(vm, "resumed")
        r.check("the next key resumes the meeting, the pause key runs its clock", runs,
                text_of(words))

    print("--- power cut")
    time.sleep(6)
    on_screen = countdown_seconds(vm.screendump("before-cut"))
    vm.power_cut()
    t_cut = time.time()
    vm.boot()
    r.figure("boot after the power cut to ssh", f"{time.time() - t_cut:.0f} s")
    r.check("the service is active after the power cut", vm.wait_active())
    ok, words, _ = vm.wait_screen(RESUME, "resume-after-cut", timeout=90)
    r.check("after the power cut the screen offers to resume", ok, text_of(words))
    status = vm.out(f"runuser -u {UNIT} -- {UNIT} --data-dir {STATE} status --json", quiet=True)
    try:
        kept = json.loads(status)["running"]["remaining_s"]
    except (ValueError, KeyError, TypeError):
        kept = None
    if on_screen is not None and kept is not None:
        lost = kept - on_screen
        # Up to 1 s over: the screen shows whole seconds. Under: the emulated screen can lag
        # behind the kiosk's clock by a few seconds (seen: 3 s on arm64 with a second VM
        # beside it); more would mean the time the power was off counted as meeting time.
        r.check("at most 5 s lost in the power cut, and the time off not counted",
                -5 <= lost <= 5 + 1, f"{on_screen} s on screen at the cut, {kept} s kept")
        r.figure("time kept minus time shown at the power cut",
                 f"{lost} s (over 0: lost; under 0: the screen lagged; ±1 s: whole seconds)")
    else:
        r.check("at most 5 s lost in the power cut", False,
                f"countdown on screen {on_screen}, kept {kept} ({status[:200]})")
    if a.quick:
        return

    print("--- sandbox and files")
    security = vm.out(f"systemd-analyze security {UNIT} 2>&1 | tail -1")
    m = re.search(r"exposure level for \S+: (\d+\.\d+)", security)
    r.check("the live unit's exposure level is at most 1.0", m and float(m.group(1)) <= 1.0, security)
    r.check("the state directory is mode 700", vm.out(f"stat -c %a {STATE}") == "700")
    loose = vm.out(f"find {STATE} -type f ! -perm 600")
    r.check("every kept file is mode 600", loose == "", loose)
    seccomp = vm.out(f"grep ^Seccomp: /proc/{vm.main_pid()}/status")
    r.check("the kiosk runs under a syscall filter", seccomp.endswith("2"), seccomp)
    # Less the watchdog's own report of the freeze this test caused.
    errors = "\n".join(l for l in journal(vm, "err", boots=("-2", "-1", "0")).splitlines()
                       if "Watchdog timeout" not in l)
    r.check("the journal has no errors from the kiosk", errors == "", errors[-500:])
    everything = vm.out(f"journalctl -o cat --no-pager | grep -c -i {CASE_WORD}", quiet=True)
    r.check("the journal holds no case text", everything == "0", f"{everything} lines")
    noise = vm.out(f"journalctl -b -u {UNIT} -o cat | grep -c MESA", quiet=True)
    r.check("no Mesa noise in the journal", noise == "0", f"{noise} lines")

    print("--- upgrade")
    sessions = vm.out(f"runuser -u {UNIT} -- {UNIT} --data-dir {STATE} status --json")
    set_config(vm, "room_name", f'"{ROOM_WORD}"')
    up = vm.ssh("DEBIAN_FRONTEND=noninteractive apt-get install -y /root/new.deb 2>&1")
    r.check("a newer package installs over the old", up.returncode == 0, up.stdout[-500:])
    r.check("the edited config is kept", f'room_name = "{ROOM_WORD}"' in vm.out(f"cat {CONFIG}"))
    after = vm.out(f"runuser -u {UNIT} -- {UNIT} --data-dir {STATE} status --json")
    same = lambda s: {k: v for k, v in json.loads(s).items() if k in ("sessions", "running")}
    r.check("the meetings are kept over the upgrade", same(sessions) == same(after), after)
    r.check("the service runs the new version", vm.wait_active())
    vm.ssh("sync")
    # The disk as a thief would read it: the room name (plain config) must be found, the case
    # question (only ever in the encrypted database) must not.
    raw = open(vm.overlay, "rb").read()
    r.check("a raw scan of the disk finds the plain config (the scan works)",
            ROOM_WORD.encode() in raw)
    r.check("a raw scan of the disk finds no case text", CASE_WORD.encode() not in raw)
    del raw

    print("--- purge")
    files = vm.out("dpkg -L intervisie-kiosk").split()
    pr = vm.ssh("DEBIAN_FRONTEND=noninteractive apt-get purge -y intervisie-kiosk 2>&1")
    r.check("purge", pr.returncode == 0, pr.stdout[-500:])
    dirs = {"/", "/.", "/usr", "/etc", "/usr/bin", "/usr/lib", "/usr/share", "/usr/share/doc",
            "/usr/lib/systemd", "/usr/lib/systemd/system", "/usr/lib/sysusers.d", "/usr/lib/udev",
            "/usr/lib/udev/rules.d", "/lib", "/lib/systemd", "/lib/systemd/system"}
    left = [f for f in files + [STATE, "/etc/intervisie-kiosk"] if f not in dirs and
            vm.ssh(f"test -e {f} -o -L {f}", quiet=True).returncode == 0]
    r.check("purge leaves no file", not left, " ".join(left))
    r.check("purge leaves no user", vm.ssh(f"getent passwd {UNIT}", quiet=True).returncode != 0)
    ok, words, _ = vm.wait_screen(CONSOLE, "console", timeout=60)
    r.check("purge gives the console on tty1 back", ok, text_of(words))
    vm.shutdown()


if __name__ == "__main__":
    sys.exit(main())
