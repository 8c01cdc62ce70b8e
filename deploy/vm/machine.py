"""The VM under test, driven from outside: qemu started with a QMP socket, screendumps read back
as pixels and as words (tesseract), taps and keys through the virtual tablet and keyboard, and
commands over ssh. deploy/vm/check.py runs the checks with it."""

import json
import os
import re
import signal
import socket
import subprocess
import time

UNIT = "intervisie-kiosk"


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
    def __init__(self, args, work, kernel=None, initrd=None, root="/dev/vda"):
        """The kernel and initramfs are the image directory's unless given (a card image
        brings its own, on its boot partition); `root` is the kernel's root= (a card's root is
        its second partition, found by label)."""
        self.args = args
        self.kernel = kernel or os.path.join(args.image, "vmlinuz")
        self.initrd = initrd or os.path.join(args.image, "initrd.img")
        self.root = root
        self.work = work
        self.proc = None
        self.qmp = None
        self.shots = 0
        self.size = (800, 480)
        self.overlay = os.path.join(work, "overlay.qcow2")
        self.port = None
        # One ssh connection kept open and shared by every command (OpenSSH's ControlMaster):
        # a new connection costs over a second of the emulated guest's time, which a timed
        # command would count. Only for a VM that is never cut off (a dead master would hang).
        self.shared_connection = None

    # --- power

    def boot(self, timeout=600):
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
            "-kernel", self.kernel,
            "-initrd", self.initrd,
            "-append", f"root={self.root} rw console={console} net.ifnames=0",
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
        return self.wait_ssh(timeout)

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
               "-o", "ConnectTimeout=10", "-o", "BatchMode=yes"]
        if self.shared_connection:
            cmd += ["-o", "ControlMaster=auto", "-o", f"ControlPath={self.shared_connection}",
                    "-o", "ControlPersist=600"]
        cmd += ["root@127.0.0.1", command]
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
