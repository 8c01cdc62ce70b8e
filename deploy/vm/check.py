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
import shutil
import signal
import socket
import subprocess
import sys
import time

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


class Qmp:
    """QEMU's machine protocol on a unix socket: screendumps, keys, taps, power."""

    def __init__(self, path, timeout=30):
        deadline = time.time() + timeout
        while True:
            try:
                self.sock = socket.socket(socket.AF_UNIX)
                self.sock.connect(path)
                break
            except OSError:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        self.file = self.sock.makefile("rw")
        self.file.readline()  # the greeting
        self.cmd("qmp_capabilities")

    def cmd(self, name, **arguments):
        message = {"execute": name}
        if arguments:
            message["arguments"] = arguments
        self.file.write(json.dumps(message) + "\n")
        self.file.flush()
        while True:
            line = self.file.readline()
            if not line:
                raise RuntimeError(f"qmp: connection closed during {name}")
            reply = json.loads(line)
            if "return" in reply:
                return reply["return"]
            if "error" in reply:
                raise RuntimeError(f"qmp {name}: {reply['error']}")

    def key(self, *qcodes):
        """Presses and releases the keys together (a chord), like a key on the keyboard."""
        self.cmd("send-key", keys=[{"type": "qcode", "data": k} for k in qcodes])

    def type_text(self, text):
        for ch in text:
            self.key("spc" if ch == " " else ch)
            time.sleep(0.05)

    def tap(self, x, y, width, height):
        """A tap of the virtual tablet at pixel (x, y) of a width×height screen."""
        scale = lambda v, size: max(0, min(0x7FFF, round(v * 0x7FFF / max(1, size - 1))))
        move = [
            {"type": "abs", "data": {"axis": "x", "value": scale(x, width)}},
            {"type": "abs", "data": {"axis": "y", "value": scale(y, height)}},
        ]
        self.cmd("input-send-event", events=move)
        time.sleep(0.05)
        for down in (True, False):
            self.cmd(
                "input-send-event",
                events=[{"type": "btn", "data": {"down": down, "button": "left"}}],
            )
            time.sleep(0.08)


def read_ppm(path):
    with open(path, "rb") as f:
        data = f.read()
    m = re.match(rb"P6\s+(\d+)\s+(\d+)\s+(\d+)\s", data)
    if not m:
        raise RuntimeError(f"{path}: not a PPM screendump")
    return int(m.group(1)), int(m.group(2)), data[m.end():]


def similarity(a, b, step=7):
    """The share of sampled pixels that look the same in two pictures of one size."""
    if len(a) != len(b) or not a:
        return 0.0
    same = total = 0
    for i in range(0, len(a) - 2, 3 * step):
        total += 1
        if abs(a[i] - b[i]) + abs(a[i + 1] - b[i + 1]) + abs(a[i + 2] - b[i + 2]) < 40:
            same += 1
    return same / total


def mean_brightness(pixels, step=11):
    sample = pixels[:: 3 * step]
    return sum(sample) / max(1, len(sample))


class Vm:
    def __init__(self, args, work):
        self.args = args
        self.work = work
        self.proc = None
        self.qmp = None
        self.shots = 0
        self.size = (800, 480)
        self.overlay = os.path.join(work, "overlay.qcow2")
        self.port = None

    # --- power

    def boot(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        qmp_path = os.path.join(self.work, "qmp.sock")
        if os.path.exists(qmp_path):
            os.unlink(qmp_path)
        a = self.args
        if a.arch == "arm64":
            machine = ["qemu-system-aarch64", "-M", "virt", "-cpu", "cortex-a72",
                       "-accel", "tcg,thread=multi"]
            console = "ttyAMA0"
            no_vga = []
        else:
            # Mesa's llvmpipe aborts on TCG's default `max` CPU; a real model works.
            machine = ["qemu-system-x86_64", "-M", "pc", "-cpu", "Haswell-noTSX",
                       "-accel", a.accel]
            console = "ttyS0"
            # The only display is the virtio-gpu, as the Pi's only display is its panel.
            no_vga = ["-vga", "none"]
        cmd = machine + no_vga + [
            "-smp", "2", "-m", "2048",
            "-kernel", os.path.join(a.image, "vmlinuz"),
            "-initrd", os.path.join(a.image, "initrd.img"),
            "-append", f"root=/dev/vda rw console={console} net.ifnames=0",
            "-drive", f"file={self.overlay},if=virtio,format=qcow2,cache=writeback",
            "-device", f"virtio-gpu-pci,xres={self.size[0]},yres={self.size[1]}",
            "-device", "virtio-keyboard-pci", "-device", "virtio-tablet-pci",
            "-netdev", f"user,id=n0,hostfwd=tcp:127.0.0.1:{self.port}-:22",
            "-device", "virtio-net-pci,netdev=n0",
            "-qmp", f"unix:{qmp_path},server=on,wait=off",
            "-serial", f"file:{os.path.join(self.work, 'serial.log')}",
            "-display", "none", "-monitor", "none",
        ]
        self.started = time.time()
        self.proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                     stdout=open(os.path.join(self.work, "qemu.log"), "ab"),
                                     stderr=subprocess.STDOUT)
        self.qmp = Qmp(qmp_path)
        return self.wait_ssh()

    def wait_ssh(self, timeout=600):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"qemu exited ({self.proc.returncode}); see {self.work}/qemu.log")
            if self.ssh("true", timeout=15, quiet=True).returncode == 0:
                return time.time() - self.started
            time.sleep(2)
        raise RuntimeError(f"no ssh after {timeout} s; see {self.work}/serial.log")

    def power_cut(self):
        """Pulls the plug: the guest gets no chance to write anything more."""
        self.proc.send_signal(signal.SIGKILL)
        self.proc.wait()
        self.qmp = None

    def shutdown(self):
        if self.proc and self.proc.poll() is None:
            self.ssh("systemctl poweroff", timeout=10, quiet=True)
            try:
                self.proc.wait(timeout=120)
            except subprocess.TimeoutExpired:
                self.power_cut()

    def reboot(self):
        self.shutdown()
        self.boot()

    # --- shell

    def ssh(self, command, timeout=300, quiet=False, input=None):
        key = os.path.join(self.args.cache, "id_ed25519")
        cmd = ["ssh", "-i", key, "-p", str(self.port), "-o", "StrictHostKeyChecking=no",
               "-o", "UserKnownHostsFile=/dev/null", "-o", "LogLevel=ERROR",
               "-o", "ConnectTimeout=10", "-o", "BatchMode=yes", "root@127.0.0.1", command]
        try:
            r = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, input=input)
        except subprocess.TimeoutExpired:
            r = subprocess.CompletedProcess(cmd, 124, "", f"timed out after {timeout} s")
        if r.returncode != 0 and not quiet:
            print(f"      (guest: `{command}` exited {r.returncode}: {r.stderr.strip()[-300:]})")
        return r

    def out(self, command, **kw):
        return self.ssh(command, **kw).stdout.strip()

    def copy_in(self, path, dest):
        key = os.path.join(self.args.cache, "id_ed25519")
        subprocess.run(["scp", "-q", "-i", key, "-P", str(self.port), "-o",
                        "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null",
                        "-o", "LogLevel=ERROR", path, f"root@127.0.0.1:{dest}"], check=True)

    # --- the service

    def main_pid(self):
        return self.out(f"systemctl show -p MainPID --value {UNIT}")

    def restarts(self):
        value = self.out(f"systemctl show -p NRestarts --value {UNIT}")
        return int(value) if value.isdigit() else -1

    def wait_active(self, timeout=120):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.out(f"systemctl is-active {UNIT}", quiet=True) == "active":
                return True
            time.sleep(1)
        return False

    # --- the screen

    def screendump(self, name=None):
        self.shots += 1
        path = os.path.join(self.work, f"{self.shots:02d}-{name or 'screen'}.ppm")
        self.qmp.cmd("screendump", filename=path)
        return path

    def ocr(self, path):
        """The words on a screendump, with their boxes (in screen pixels), lower case. Read
        twice: as it is, and as black on white (light text on a coloured button, such as
        "Beginnen", is lost otherwise). Both at twice the size: tesseract reads the small texts
        of an 800×480 screen far better so."""
        words = []
        for variant, extra in (("plain", []),
                               ("inked", ["-colorspace", "gray", "-threshold", "75%", "-negate"])):
            big = f"{path[:-4]}-{variant}.png"
            subprocess.run(["convert", path, "-resize", "200%"] + extra + [big], check=True)
            r = subprocess.run(["tesseract", big, "-", "-l", "nld+eng", "--psm", "11", "tsv"],
                               capture_output=True, text=True)
            for line in r.stdout.splitlines()[1:]:
                cols = line.split("\t")
                if len(cols) == 12 and cols[11].strip():
                    left, top, w, h = (int(c) // 2 for c in cols[6:10])
                    words.append((cols[11].strip().lower(), left + w // 2, top + h // 2, h))
        return words

    def wait_screen(self, wanted, name, timeout=60, absent=()):
        """Screendumps until every wanted word is on the screen and none of the absent ones (the
        words of the page before); the last words read."""
        deadline = time.time() + timeout
        while True:
            path = self.screendump(name)
            words = self.ocr(path)
            text = text_of(words, None)
            if all(want in text for want in wanted) and not any(a in text for a in absent):
                return True, words, path
            if time.time() > deadline:
                return False, words, path
            time.sleep(1)

    def tap_word(self, words, wanted):
        """Taps the word (a whole word, as on a button) where OCR saw it."""
        for word, x, y, _ in words:
            if word.strip(".,:;!?\"'()") == wanted:
                self.qmp.tap(x, y, *self.size)
                return True
        return False


def text_of(words, limit=300):
    return " ".join(w[0] for w in words)[:limit]


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
    pid = vm.main_pid()
    ticks = lambda: sum(int(x) for x in vm.out(f"cut -d' ' -f14,15 /proc/{pid}/stat").split())
    hz = int(vm.out("getconf CLK_TCK") or 100)
    before, t0 = ticks(), time.time()
    time.sleep(seconds)
    used = (ticks() - before) / hz / (time.time() - t0) * 100
    pss = vm.out(f"awk '/^Pss:/ {{print $2}}' /proc/{pid}/smaps_rollup")
    return used, int(pss or 0)


def countdown_seconds(path):
    """The phase countdown on a screendump: the tallest m:ss, and taller than an eighth of the
    screen (the wall clock is small, and must not stand in for a countdown OCR missed). Its
    digits stand too tall for OCR at full size, so they are read smaller, as digits only, at a
    few sizes (which one works depends on the page's layout)."""
    _, height, _ = read_ppm(path)
    found = []
    for percent in (50, 33, 25):
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
    m, s = max(found)[1].lstrip("+").split(":")
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
        used, pss = cpu_and_memory(vm)
        r.figure("kiosk CPU while the countdown runs (30 s, guest)", f"{used:.1f}% of one core")
        r.figure("kiosk PSS", f"{pss / 1024:.1f} MB")

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
