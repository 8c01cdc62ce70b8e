#!/usr/bin/env python3
"""The kiosk on the bare display against a browser kiosk, in one VM, measured the same way, run
by run: the Pi's real path (Slint's linuxkms backend on DRM) beside Chromium in its kiosk mode
under cage (a Wayland kiosk compositor, what a browser appliance on a Pi would use), both on the
virtio-gpu display with nothing else drawing. Every figure is taken from outside both:

- start to countdown: from `systemctl start` (sent over an ssh connection already open, as a
  new one costs the emulated guest over a second) until the countdown's digits are on the QMP
  screendump;
- CPU over the countdown: the unit's cgroup (`cpu.stat`, so every process of the tree counts),
  in the guest;
- PSS: summed over the cgroup's processes;
- key to changed frame: a space (pause) sent on the virtual keyboard through QMP; the guest
  kernel's function tracer times it from the key reaching evdev to the next frame handed to the
  virtio-gpu plane, and a QMP screendump confirms that the pause button changed. The key is sent
  just after a frame, so that the second's redraw does not land in between. The screendump
  polling's own figure is kept beside it: a screendump takes tens of milliseconds under TCG.

Runs alternate between the two, so whatever the emulated machine does hits both.
Started by `deploy/vm-test.sh --compare`."""

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import time

from machine import Vm, read_ppm

UNIT = "intervisie-kiosk"
BROWSER = "browser-kiosk"
WIDTH, HEIGHT = 800, 480
# As bench/compare.py: where both screens draw the digits, and the pause button whose label
# changes with a space.
COUNTDOWN_BOX = (420, 110, 340, 130)
PAUSE_BUTTON = {"kiosk": (215, 400, 140, 50), "browser": (225, 400, 150, 50)}
PAGE = "/opt/bench/index.html"
KIOSK_DROP_IN = f"/run/systemd/system/{UNIT}.service.d/bench.conf"


def box_pixels(path, box):
    width, _, pixels = read_ppm(path)
    x, y, w, h = box
    rows = [pixels[((y + r) * width + x) * 3:((y + r) * width + x + w) * 3] for r in range(h)]
    return b"".join(rows)


def bright_share(pixels):
    """Share of pixels that are light text on the dark screen (green above 180)."""
    greens = pixels[1::3]
    return sum(1 for g in greens if g > 180) / max(1, len(greens))


def unit_of(name):
    return UNIT if name == "kiosk" else BROWSER


def cgroup(name):
    return f"/sys/fs/cgroup/system.slice/{unit_of(name)}.service"


def cpu_usec(vm, name):
    out = vm.out(f"awk '/^usage_usec/ {{print $2}}' {cgroup(name)}/cpu.stat", quiet=True)
    return int(out) if out.isdigit() else None


def switches(vm, name):
    """Context switches of every thread in the unit's cgroup (voluntary: a sleep that ended,
    one wake-up each; involuntary: put back after being preempted), by thread id."""
    out = vm.out(f"for p in $(cat {cgroup(name)}/cgroup.procs); do for t in /proc/$p/task/*; do "
                 "echo ${t##*/} $(awk '/ctxt_switches:/ {s += $2} END {print s}' $t/status "
                 "2>/dev/null); done; done", quiet=True)
    counts = {}
    for line in out.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[1].isdigit():
            counts[fields[0]] = int(fields[1])
    return counts


def pss_mb(vm, name):
    out = vm.out(f"for p in $(cat {cgroup(name)}/cgroup.procs); do "
                 f"awk '/^Pss:/ {{print $2}}' /proc/$p/smaps_rollup 2>/dev/null; done"
                 " | awk '{s += $1} END {print s + 0}'", quiet=True)
    procs = vm.out(f"wc -l < {cgroup(name)}/cgroup.procs", quiet=True)
    return (int(out) / 1024 if out.isdigit() else None), (int(procs) if procs.isdigit() else 0)


def clear_state(vm, name):
    """A clean state each time, before the clock runs: no interrupted meeting to offer, so the
    meeting starts at once. The browser's profile is a runtime directory, gone at each stop."""
    if name == "kiosk":
        vm.ssh(f"rm -rf /var/lib/{UNIT}/*")


def start(vm, name):
    vm.ssh(f"systemctl start --no-block {unit_of(name)}")


def stop(vm, name):
    vm.ssh(f"systemctl stop {unit_of(name)}", quiet=True)


def wait_countdown(vm, shot, started, timeout):
    while time.time() - started < timeout:
        vm.qmp.cmd("screendump", filename=shot)
        if 0.03 < bright_share(box_pixels(shot, COUNTDOWN_BOX)) < 0.6:
            return (time.time() - started) * 1000
        time.sleep(0.02)
    return None


# The kernel's function tracer sees, from outside both contestants, a key reaching the input
# layer (evdev) and a frame handed to the display (the virtio-gpu plane's update, what every page
# flip or damaged-buffer commit ends in). The time between them is the key-to-frame figure; the
# screendumps only confirm that the frame changed the pause button.
TRACE = "/sys/kernel/tracing"
KEY_IN = "evdev_events"
FRAME_OUT = "virtio_gpu_primary_plane_update"


def arm_tracer(vm):
    """Sets the tracer on the two functions; False (and why) where the guest kernel cannot."""
    r = vm.ssh(f"mountpoint -q {TRACE} || mount -t tracefs nodev {TRACE}; "
               f"echo 0 > {TRACE}/tracing_on && echo function > {TRACE}/current_tracer && "
               f"echo '{KEY_IN} {FRAME_OUT}' > {TRACE}/set_ftrace_filter && "
               f"echo > {TRACE}/trace && echo 1 > {TRACE}/tracing_on 2>&1", quiet=True)
    if r.returncode != 0:
        print(f"      no kernel function tracer ({r.stdout.strip()[-200:]}); key to frame from "
              "screendumps only", flush=True)
        return False
    return True


TRACE_LINE = re.compile(r"\s(\d+\.\d+):\s+(\w+)\s+<-")


def parse_trace(text):
    """The (seconds, function) pairs of the trace buffer's lines, such as
    `  cage-512 [001] ..... 1234.567890: virtio_gpu_primary_plane_update <-...`."""
    return [(float(m.group(1)), m.group(2)) for m in map(TRACE_LINE.search, text.splitlines())
            if m]


def wait_quiet_frame(vm):
    """Waits (up to 1.2 s) for a frame, so that the key comes just after the second's redraw and
    no tick lands between the key and its frame; a paused screen draws nothing, and then the
    key goes after the timeout."""
    vm.ssh(f"echo > {TRACE}/trace; for i in $(seq 60); do "
           f"grep -q {FRAME_OUT} {TRACE}/trace && break; sleep 0.02; done; echo > {TRACE}/trace",
           quiet=True)


def key_to_frame(vm, name, shot, presses, traced):
    """Milliseconds from a space on the virtual keyboard to the pause button changed: from the
    kernel's trace (key into evdev to the next frame out) where the tracer works, and from
    screendumps (bounded by how long one takes); and how long one screendump took."""
    box = PAUSE_BUTTON[name]
    traced_ms, dumped_ms, dumps = [], [], []
    for _ in range(presses):
        vm.qmp.cmd("screendump", filename=shot)
        before = box_pixels(shot, box)
        if traced:
            wait_quiet_frame(vm)
        sent = time.time()
        vm.qmp.key("spc")
        changed = False
        while time.time() - sent < 5:
            t = time.time()
            vm.qmp.cmd("screendump", filename=shot)
            dumps.append(time.time() - t)
            if box_pixels(shot, box) != before:
                dumped_ms.append((time.time() - sent) * 1000)
                changed = True
                break
        if traced and changed:
            events = parse_trace(vm.out(f"cat {TRACE}/trace", quiet=True))
            keys = [ts for ts, fn in events if fn == KEY_IN]
            frames = [ts for ts, fn in events if fn == FRAME_OUT and keys and ts > keys[0]]
            if frames:
                traced_ms.append((frames[0] - keys[0]) * 1000)
        time.sleep(0.7)
    screendump_ms = sorted(dumps)[len(dumps) // 2] * 1000 if dumps else None
    return traced_ms, dumped_ms, screendump_ms


def one_run(vm, name, a, shot):
    result = {"contestant": name}
    clear_state(vm, name)
    t0 = time.time()
    start(vm, name)
    try:
        result["start_ms"] = wait_countdown(vm, shot, t0, a.start_timeout)
        if result["start_ms"] is None:
            vm.qmp.cmd("screendump", filename=os.path.join(vm.work, f"{name}-no-countdown.ppm"))
            return result
        time.sleep(a.settle)
        before, t = cpu_usec(vm, name), time.time()
        switched = switches(vm, name)
        time.sleep(a.cpu_seconds)
        after, wall = cpu_usec(vm, name), time.time() - t
        if before is not None and after is not None:
            result["cpu_percent"] = (after - before) / 1e6 / wall * 100
        # A thread born in the window counts whole; the kiosk's live as long as it does.
        result["wakeups_per_s"] = sum(n - switched.get(tid, 0)
                                      for tid, n in switches(vm, name).items()) / wall
        result["pss_mb"], result["processes"] = pss_mb(vm, name)
        result["key_ms"], result["key_dump_ms"], result["screendump_ms"] = key_to_frame(
            vm, name, shot, a.presses, a.traced)
        vm.qmp.cmd("screendump", filename=os.path.join(vm.work, f"{name}-run.ppm"))
    finally:
        stop(vm, name)
    return result


def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None


def prepare(vm, a):
    vm.copy_in(a.deb, "/root/kiosk.deb")
    vm.copy_in(a.page, "/root/index.html")
    t0 = time.time()
    vm.ssh("apt-get update -q 2>&1", timeout=900)
    # seatd hands cage the display and input as root; the kiosk needs no seat at all.
    inst = vm.ssh("DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "
                  "/root/kiosk.deb cage xwayland chromium seatd fonts-dejavu-core 2>&1", timeout=3600)
    if inst.returncode != 0:
        raise RuntimeError(f"apt-get install failed: {inst.stdout[-800:]}")
    print(f"      installed the kiosk, cage and Chromium in {time.time() - t0:.0f} s", flush=True)
    vm.ssh(f"install -D -m 0644 /root/index.html {PAGE}")
    drop_in = (f"[Service]\nExecStart=\nExecStart=/usr/bin/{UNIT} --backend linuxkms "
               "--renderer software run --method incident\nRestart=no\n")
    vm.ssh(f"systemctl stop {UNIT}; mkdir -p {os.path.dirname(KIOSK_DROP_IN)} && "
           f"cat > {KIOSK_DROP_IN}", input=drop_in)
    # The same flags as the X11 bench (bench/compare.py), with Wayland under cage. cage refuses
    # to run as root, so as a user of its own, given the seat by seatd (group video); without
    # Chromium's sandbox, as there. cage needs Xwayland to start at all.
    vm.ssh("id bench >/dev/null 2>&1 || useradd -r -m -G video,render,input bench")
    flags = ("--ozone-platform=wayland --kiosk --no-first-run --no-default-browser-check "
             "--disable-features=Translate --disable-gpu --password-store=basic --noerrdialogs "
             "--disable-session-crashed-bubble --disable-background-timer-throttling "
             "--disable-backgrounding-occluded-windows --disable-renderer-backgrounding "
             "--no-sandbox --user-data-dir=/run/bench/profile")
    unit = ("[Unit]\nDescription=Chromium kiosk under cage (bench)\n"
            "After=seatd.service\nRequires=seatd.service\n[Service]\nUser=bench\n"
            "RuntimeDirectory=bench\nRuntimeDirectoryMode=0700\n"
            "Environment=LIBSEAT_BACKEND=seatd WLR_RENDERER=pixman XDG_RUNTIME_DIR=/run/bench\n"
            f"ExecStart=/usr/bin/cage -d -- /usr/bin/chromium {flags} file://{PAGE}\n")
    vm.ssh(f"cat > /run/systemd/system/{BROWSER}.service && systemctl daemon-reload"
           " && systemctl enable --now seatd", input=unit)
    return vm.out("chromium --version", quiet=True), vm.out("dpkg-query -W -f='${Version}' cage",
                                                            quiet=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--image", required=True)
    p.add_argument("--cache", required=True)
    p.add_argument("--deb", required=True)
    p.add_argument("--page", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--arch", default="amd64")
    p.add_argument("--accel", default="tcg")
    p.add_argument("--runs", type=int, default=2)
    p.add_argument("--cpu-seconds", type=float, default=60)
    p.add_argument("--settle", type=float, default=5)
    p.add_argument("--presses", type=int, default=10)
    p.add_argument("--start-timeout", type=float, default=300)
    p.add_argument("--json")
    a = p.parse_args()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    os.makedirs(a.work, exist_ok=True)
    for f in os.listdir(a.work):
        os.unlink(os.path.join(a.work, f))
    vm = Vm(a, a.work)
    vm.shared_connection = os.path.join(a.work, "ssh.sock")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b",
                    os.path.abspath(os.path.join(a.image, "disk.raw")), vm.overlay], check=True)
    runs = []
    try:
        vm.boot()
        chromium, cage = prepare(vm, a)
        a.traced = arm_tracer(vm)
        shot = os.path.join(a.work, "poll.ppm")
        for i in range(a.runs):
            order = ("kiosk", "browser") if i % 2 == 0 else ("browser", "kiosk")
            for name in order:
                r = one_run(vm, name, a, shot)
                print(f"      run {i + 1} {name}: {json.dumps(r)}", flush=True)
                runs.append(r)
    finally:
        if vm.proc and vm.proc.poll() is None:
            vm.power_cut()
    report = {"runs": runs, "chromium": chromium, "cage": cage}
    if a.json:
        with open(a.json, "w") as f:
            json.dump(report, f, indent=2)
    print_table(runs, a, chromium, cage)
    failed = [r["contestant"] for r in runs if r.get("start_ms") is None]
    if failed:
        print(f"vm-compare: no countdown on the screen for {', '.join(failed)} "
              f"(screendumps in {a.work})")
        return 1
    return 0


def print_table(runs, a, chromium, cage):
    def of(name, key):
        values = []
        for r in runs:
            if r["contestant"] == name:
                v = r.get(key)
                values.extend(v if isinstance(v, list) else [v])
        return median(values)

    rows = [("start to countdown on screen", "start_ms", "ms"),
            (f"CPU over {a.cpu_seconds:.0f} s of countdown (% of one core)", "cpu_percent", "%"),
            ("wake-ups a second over that countdown (all threads)", "wakeups_per_s", ""),
            ("PSS of the process tree", "pss_mb", "MB"),
            ("processes", "processes", ""),
            ("space to changed frame (kernel trace: evdev to the plane's update)", "key_ms",
             "ms"),
            ("space to changed frame (QMP screendumps)", "key_dump_ms", "ms"),
            ("one screendump (the resolution of the above)", "screendump_ms", "ms")]
    print()
    print(f"In one qemu VM (TCG, 2 vCPUs, 2 GiB, virtio-gpu 800x480), {a.runs} runs each, "
          f"medians; {chromium}, cage {cage}")
    print("| | kiosk (linuxkms, software renderer) | Chromium under cage | kiosk / Chromium |")
    print("|---|---|---|---|")
    for label, key, unit in rows:
        k, b = of("kiosk", key), of("browser", key)
        ratio = f"1/{b / k:.0f}" if k and b and b > k else (f"{k / b:.2f}" if k and b else "–")
        fmt = lambda v: "–" if v is None else f"{v:.1f} {unit}".strip()
        print(f"| {label} | {fmt(k)} | {fmt(b)} | {ratio} |")


if __name__ == "__main__":
    sys.exit(main())
