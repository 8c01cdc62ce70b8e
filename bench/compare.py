#!/usr/bin/env python3
"""The kiosk against a browser kiosk on the same X screen, measured the same way, run by run.

Every figure is taken from outside both programs: the screen is read back from the X server
(XGetImage on the root window), keys are sent with the XTEST extension (what xdotool uses), and
CPU and memory come from /proc for the whole process tree. Runs alternate between the
contestants so that whatever else the machine does hits both. Standard library only (ctypes for
libX11 and libXtst).

    bench/compare.py --kiosk BIN --page bench/page/index.html [--runs N] [--smoke] [--json FILE]
"""

import argparse
import ctypes
import ctypes.util
import json
import os
import random
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time

# --- X11 through ctypes -------------------------------------------------------------------


class XImage(ctypes.Structure):
    pass


DESTROY = ctypes.CFUNCTYPE(ctypes.c_int, ctypes.POINTER(XImage))
XImage._fields_ = [
    ("width", ctypes.c_int),
    ("height", ctypes.c_int),
    ("xoffset", ctypes.c_int),
    ("format", ctypes.c_int),
    ("data", ctypes.c_void_p),
    ("byte_order", ctypes.c_int),
    ("bitmap_unit", ctypes.c_int),
    ("bitmap_bit_order", ctypes.c_int),
    ("bitmap_pad", ctypes.c_int),
    ("depth", ctypes.c_int),
    ("bytes_per_line", ctypes.c_int),
    ("bits_per_pixel", ctypes.c_int),
    ("red_mask", ctypes.c_ulong),
    ("green_mask", ctypes.c_ulong),
    ("blue_mask", ctypes.c_ulong),
    ("obdata", ctypes.c_void_p),
    ("create_image", ctypes.c_void_p),
    ("destroy_image", DESTROY),
]


class Screen:
    """One X display: read back a rectangle, send a key."""

    def __init__(self, display):
        self.x11 = ctypes.CDLL(ctypes.util.find_library("X11") or "libX11.so.6")
        self.xtst = ctypes.CDLL(ctypes.util.find_library("Xtst") or "libXtst.so.6")
        # The two drift measurements run in threads, each with its own connection.
        self.x11.XInitThreads()
        self.x11.XOpenDisplay.restype = ctypes.c_void_p
        self.x11.XOpenDisplay.argtypes = [ctypes.c_char_p]
        self.x11.XDefaultRootWindow.restype = ctypes.c_ulong
        self.x11.XDefaultRootWindow.argtypes = [ctypes.c_void_p]
        self.x11.XGetImage.restype = ctypes.POINTER(XImage)
        self.x11.XGetImage.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                                       ctypes.c_int, ctypes.c_uint, ctypes.c_uint,
                                       ctypes.c_ulong, ctypes.c_int]
        self.x11.XStringToKeysym.restype = ctypes.c_ulong
        self.x11.XStringToKeysym.argtypes = [ctypes.c_char_p]
        self.x11.XKeysymToKeycode.restype = ctypes.c_ubyte
        self.x11.XKeysymToKeycode.argtypes = [ctypes.c_void_p, ctypes.c_ulong]
        self.x11.XFlush.argtypes = [ctypes.c_void_p]
        self.x11.XSync.argtypes = [ctypes.c_void_p, ctypes.c_int]
        self.x11.XQueryPointer.argtypes = [ctypes.c_void_p, ctypes.c_ulong] + \
            [ctypes.c_void_p] * 7
        self.x11.XSetInputFocus.argtypes = [ctypes.c_void_p, ctypes.c_ulong, ctypes.c_int,
                                            ctypes.c_ulong]
        self.xtst.XTestFakeKeyEvent.argtypes = [ctypes.c_void_p, ctypes.c_uint, ctypes.c_int,
                                                ctypes.c_ulong]
        self.xtst.XTestFakeMotionEvent.argtypes = [ctypes.c_void_p, ctypes.c_int, ctypes.c_int,
                                                   ctypes.c_int, ctypes.c_ulong]
        self.dpy = self.x11.XOpenDisplay(display.encode())
        if not self.dpy:
            sys.exit(f"cannot open X display {display}")
        self.root = self.x11.XDefaultRootWindow(self.dpy)

    def grab(self, box):
        """The pixels of box = (x, y, w, h) as bytes (32-bit BGRX)."""
        x, y, w, h = box
        image = self.x11.XGetImage(self.dpy, self.root, x, y, w, h, 0xFFFFFFFF, 2)  # ZPixmap
        if not image:
            return b""
        data = ctypes.string_at(image.contents.data, image.contents.bytes_per_line * h)
        image.contents.destroy_image(image)
        return data

    def key(self, name):
        code = self.x11.XKeysymToKeycode(self.dpy, self.x11.XStringToKeysym(name.encode()))
        self.xtst.XTestFakeKeyEvent(self.dpy, code, 1, 0)
        self.xtst.XTestFakeKeyEvent(self.dpy, code, 0, 0)
        self.x11.XFlush(self.dpy)

    def point_at(self, x, y):
        """Pointer over (x, y) and the keyboard focus on the window there, as a click would."""
        self.xtst.XTestFakeMotionEvent(self.dpy, -1, x, y, 0)
        self.x11.XSync(self.dpy, 0)
        root, child = ctypes.c_ulong(), ctypes.c_ulong()
        ints = [ctypes.c_int() for _ in range(4)]
        mask = ctypes.c_uint()
        self.x11.XQueryPointer(self.dpy, self.root, ctypes.byref(root), ctypes.byref(child),
                               *[ctypes.byref(i) for i in ints], ctypes.byref(mask))
        if child.value:
            self.x11.XSetInputFocus(self.dpy, child.value, 2, 0)  # RevertToParent, CurrentTime
        self.x11.XSync(self.dpy, 0)


def bright_share(pixels):
    """Share of pixels that are light text on the dark screen (green channel above 180)."""
    if not pixels:
        return 0.0
    greens = pixels[1::4]
    return sum(1 for g in greens if g > 180) / len(greens)


# --- processes --------------------------------------------------------------------------

CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def tree(root):
    """The process `root` and all its descendants."""
    children = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(entry))
        except (OSError, IndexError):
            pass
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def cpu_seconds(pids):
    total = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += int(fields[11]) + int(fields[12])  # utime, stime
        except (OSError, IndexError):
            pass
    return total / CLOCK_TICKS


def switches(pids):
    """How often each thread of the tree was switched in, by thread id: each sleep that ends is
    one wake-up (a voluntary switch), plus the times a thread was put back after being
    preempted."""
    counts = {}
    for pid in pids:
        try:
            threads = os.listdir(f"/proc/{pid}/task")
        except OSError:
            continue
        for tid in threads:
            try:
                with open(f"/proc/{pid}/task/{tid}/status") as f:
                    for line in f:
                        if line.startswith(("voluntary_ctxt_switches:",
                                            "nonvoluntary_ctxt_switches:")):
                            counts[tid] = counts.get(tid, 0) + int(line.split()[1])
            except OSError:
                pass
    return counts


def wakeups_between(before, after):
    """Wake-ups between two `switches` snapshots; a thread born in between counts whole, one
    that ended in between is not seen (the kiosk's threads live as long as it does)."""
    return sum(n - before.get(tid, 0) for tid, n in after.items())


def memory_mb(pids):
    """(PSS, RSS) of the tree in MB; PSS shares shared pages fairly, RSS counts them per process."""
    pss = rss = 0
    for pid in pids:
        try:
            with open(f"/proc/{pid}/smaps_rollup") as f:
                for line in f:
                    if line.startswith("Pss:"):
                        pss += int(line.split()[1])
                    elif line.startswith("Rss:"):
                        rss += int(line.split()[1])
        except OSError:
            pass
    return pss / 1024, rss / 1024


# --- the contestants --------------------------------------------------------------------

WIDTH, HEIGHT = 800, 480
# Where both screens draw the countdown's digits, and the pause button whose label changes.
COUNTDOWN_BOX = (420, 110, 340, 130)
PAUSE_BUTTON = {"kiosk": (215, 400, 140, 50), "browser": (225, 400, 150, 50)}


# Chromium refuses to run as root with its sandbox on (CI runs as root).
ROOT_FLAGS = ["--no-sandbox"] if os.geteuid() == 0 else []


def kiosk_command(args, data_dir):
    return [args.kiosk, "--config", "/dev/null", "--data-dir", data_dir, "--renderer",
            "software", "--window-size", f"{WIDTH}x{HEIGHT}", "run", "--method", "incident"]


def browser_command(args, profile):
    return [args.chromium, "--kiosk", f"--window-size={WIDTH},{HEIGHT}", "--window-position=0,0",
            f"--user-data-dir={profile}", "--no-first-run", "--no-default-browser-check",
            "--disable-features=Translate", "--disable-gpu", "--password-store=basic",
            "--noerrdialogs", "--disable-session-crashed-bubble",
            # What a kiosk set-up needs: without them Chromium slows the timers of a window it
            # believes hidden (Xvfb has no window manager to say otherwise) to once a minute.
            "--disable-background-timer-throttling", "--disable-backgrounding-occluded-windows",
            "--disable-renderer-backgrounding"] + \
        ROOT_FLAGS + \
        ["file://" + os.path.abspath(args.page)]


def launch(name, args, display, scratch):
    env = dict(os.environ, DISPLAY=display)
    if name == "kiosk":
        command = kiosk_command(args, tempfile.mkdtemp(dir=scratch))
    else:
        command = browser_command(args, tempfile.mkdtemp(dir=scratch))
    started = time.monotonic()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL, start_new_session=True)
    return process, started


def stop(process):
    try:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        try:
            os.killpg(process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        process.wait()


def wait_for_countdown(screen, started, timeout=60.0):
    """Milliseconds from launch until the countdown's digits are on the screen."""
    while time.monotonic() - started < timeout:
        share = bright_share(screen.grab(COUNTDOWN_BOX))
        if 0.03 < share < 0.6:
            return (time.monotonic() - started) * 1000
        time.sleep(0.002)
    return None


def next_change(screen, box, since_pixels, timeout):
    """Seconds (monotonic) at which `box` first differs from `since_pixels`, or None."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        now = time.monotonic()
        if screen.grab(box) != since_pixels:
            return now
    return None


def key_to_frame(screen, name, presses):
    """Milliseconds from a key press (space: pause, resume) to the pause button redrawn."""
    box = PAUSE_BUTTON[name]
    screen.point_at(WIDTH // 2, HEIGHT // 2)
    times = []
    for _ in range(presses):
        before = screen.grab(box)
        sent = time.monotonic()
        screen.key("space")
        changed = next_change(screen, box, before, timeout=2.0)
        if changed is not None:
            times.append((changed - sent) * 1000)
        time.sleep(random.uniform(0.3, 0.7))
    return times


def tick_edge(screen, timeout=1.5):
    """The moment the countdown's digits next change."""
    before = screen.grab(COUNTDOWN_BOX)
    return next_change(screen, COUNTDOWN_BOX, before, timeout)


def tick_phase(screen, ticks=5):
    """When (monotonic seconds) the countdown's second turns over, from `ticks` turns in a row:
    the median keeps one late frame from moving the estimate."""
    edges = []
    for _ in range(ticks):
        edge = tick_edge(screen)
        if edge is None:
            return None
        edges.append(edge)
    first = edges[0]
    return first + statistics.median(e - first - i for i, e in enumerate(edges))


def drift_ms(screen, seconds):
    """How far the countdown's second ticks move against the machine's clock over `seconds`."""
    start = tick_phase(screen)
    if start is None:
        return None
    time.sleep(max(0.0, seconds - 5.5))
    end = tick_phase(screen)
    if end is None:
        return None
    elapsed_ms = (end - start) * 1000
    return elapsed_ms - round(elapsed_ms / 1000) * 1000


# --- one run ----------------------------------------------------------------------------


def one_run(name, args, screen, display, scratch):
    process, started = launch(name, args, display, scratch)
    result = {"contestant": name}
    try:
        result["first_frame_ms"] = wait_for_countdown(screen, started)
        time.sleep(args.settle)
        pids = tree(process.pid)
        cpu_before, wall_before = cpu_seconds(pids), time.monotonic()
        wakes_before = switches(pids)
        time.sleep(args.cpu_seconds)
        pids = tree(process.pid)
        cpu = cpu_seconds(pids) - cpu_before
        wall = time.monotonic() - wall_before
        result["cpu_percent"] = 100 * cpu / wall
        result["wakeups_per_s"] = wakeups_between(wakes_before, switches(pids)) / wall
        result["pss_mb"], result["rss_mb"] = memory_mb(pids)
        result["processes"] = len(pids)
        result["key_ms"] = key_to_frame(screen, name, args.presses)
    finally:
        stop(process)
    return result


def drift_run(name, args, screen, display, scratch):
    process, started = launch(name, args, display, scratch)
    try:
        if wait_for_countdown(screen, started) is None:
            return None
        # Ten more minutes, so that the countdown does not run out (and start to pulse) during
        # the measurement; then past the start-up of both, which share the machine here.
        screen.point_at(WIDTH // 2, HEIGHT // 2)
        for _ in range(10):
            screen.key("plus")
            time.sleep(0.05)
        time.sleep(5.0)
        return drift_ms(screen, args.drift_seconds)
    finally:
        stop(process)


def simulated_drift(args):
    """Drift over two hours of simulated time: the kiosk's engine, the page in virtual time."""
    out = {}
    two_hours = 2 * 3600 * 1000
    # Two hours in the first phase, then a pause (which changes nothing shown at that moment).
    script = "0 start\n7200 pause\n"
    kiosk = subprocess.run([args.kiosk, "--config", "/dev/null", "simulate", "--method",
                            "incident", "--no-rebudget", "-"], input=script, text=True,
                           capture_output=True)
    out["kiosk"] = parse_simulated_kiosk(kiosk.stdout, two_hours)
    with tempfile.TemporaryDirectory() as profile:
        page = "file://" + os.path.abspath(args.page) + f"?simulate={two_hours}"
        browser = subprocess.run(
            [args.chromium, "--headless", "--disable-gpu", f"--user-data-dir={profile}",
             f"--virtual-time-budget={two_hours + 1000}", "--dump-dom", page]
            + ROOT_FLAGS,
            capture_output=True, text=True, timeout=300)
    out["browser"] = parse_simulated_browser(browser.stdout)
    return out


def parse_simulated_kiosk(stdout, elapsed_ms):
    """What the countdown shows after `elapsed_ms` against its budget minus that: 0 is exact."""
    lines = [json.loads(line) for line in stdout.splitlines() if line.startswith("{")]
    if len(lines) < 2:
        return None
    last = lines[-1]
    return round(last["remaining_s"] * 1000 - (last["budget_s"] * 1000 - elapsed_ms))


def parse_simulated_browser(dom):
    start = dom.find("remaining=")
    if start < 0:
        return None
    fields = dict(part.split("=") for part in dom[start:dom.find("<", start)].split())
    return int(fields["remaining"]) - int(fields["expected"])


def sizes(args):
    """What must be on the machine: the kiosk's binary (everything is inside it), and the
    browser's installed packages."""
    mb = lambda n: n / 1_000_000
    out = {"kiosk": mb(os.path.getsize(args.kiosk)), "browser": None,
           "kiosk_arm64": mb(os.path.getsize(args.arm64)) if args.arm64 else None}
    query = subprocess.run(["dpkg-query", "-W", "-f=${Installed-Size}\\n", "chromium",
                            "chromium-common"], capture_output=True, text=True)
    if query.returncode == 0:
        out["browser"] = mb(sum(int(kb) * 1024 for kb in query.stdout.split()))
    return out


# --- report -----------------------------------------------------------------------------


def summary(runs, key):
    values = [r[key] for r in runs if r.get(key) is not None]
    return statistics.median(values) if values else None


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kiosk", required=True)
    parser.add_argument("--chromium", default=shutil.which("chromium") or "chromium")
    parser.add_argument("--page", default=os.path.join(os.path.dirname(__file__), "page",
                                                       "index.html"))
    parser.add_argument("--display", default=os.environ.get("DISPLAY", ":99"))
    parser.add_argument("--second-display",
                        help="another X display, so both drift measurements run at once")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--cpu-seconds", type=float, default=60)
    parser.add_argument("--presses", type=int, default=20)
    parser.add_argument("--drift-seconds", type=float, default=600)
    parser.add_argument("--settle", type=float, default=3)
    parser.add_argument("--smoke", action="store_true",
                        help="one short run of everything, to see that it works")
    parser.add_argument("--json", help="also write every measurement here")
    parser.add_argument("--store-ms", default="",
                        help="the store bench's median and worst write, in ms: MEDIAN,WORST")
    parser.add_argument("--arm64", help="the arm64 build of the kiosk, for its size")
    args = parser.parse_args()
    if args.smoke:
        args.runs, args.cpu_seconds, args.presses, args.drift_seconds = 1, 5, 4, 12
        args.settle = 1

    screen = Screen(args.display)
    results = {"kiosk": [], "browser": []}
    with tempfile.TemporaryDirectory() as scratch:
        for run in range(args.runs):
            order = ["kiosk", "browser"] if run % 2 == 0 else ["browser", "kiosk"]
            for name in order:
                r = one_run(name, args, screen, args.display, scratch)
                print(f"run {run + 1} {name}: " + json.dumps(
                    {k: (round(v, 2) if isinstance(v, float) else v)
                     for k, v in r.items() if k != "key_ms"}), file=sys.stderr)
                results[name].append(r)
        # Both at once, each on its own display when there is a second: ten minutes, not twenty.
        drift = {}
        displays = {"kiosk": args.display, "browser": args.second_display or args.display}

        def measure(name):
            own = screen if displays[name] == args.display else Screen(displays[name])
            drift[name] = drift_run(name, args, own, displays[name], scratch)
            print(f"drift over {args.drift_seconds:.0f} s, {name}: {drift[name]}",
                  file=sys.stderr)

        if args.second_display:
            threads = [threading.Thread(target=measure, args=(n,)) for n in displays]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        else:
            for name in displays:
                measure(name)
    simulated = simulated_drift(args)
    report = {"runs": results, "drift_ms": drift, "simulated_drift_ms": simulated,
              "drift_seconds": args.drift_seconds, "cpu_seconds": args.cpu_seconds,
              "store_ms": [float(v) for v in args.store_ms.split(",")] if args.store_ms else None,
              "sizes_mb": sizes(args)}
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=1)
    print_table(report)


def fmt(value, unit="", digits=1):
    if value is None:
        return "n/a"
    return f"{value:.{digits}f}{unit}"


def ratio(kiosk, browser):
    if kiosk is None or browser is None or kiosk <= 0 or browser <= 0:
        return "n/a"
    if browser >= kiosk:
        r = browser / kiosk
        return f"1/{r:.0f}" if r >= 10 else f"1/{r:.1f}"
    return f"{kiosk / browser:.1f}x"


def print_table(report):
    k, b = report["runs"]["kiosk"], report["runs"]["browser"]
    keys_k = [t for r in k for t in r["key_ms"]]
    keys_b = [t for r in b for t in r["key_ms"]]
    rows = [
        ("start to countdown on screen (median)", summary(k, "first_frame_ms"),
         summary(b, "first_frame_ms"), " ms", 0),
        (f"CPU over {report['cpu_seconds']:.0f} s of countdown (% of one core)",
         summary(k, "cpu_percent"), summary(b, "cpu_percent"), "%", 2),
        ("wake-ups a second over that countdown (all threads)", summary(k, "wakeups_per_s"),
         summary(b, "wakeups_per_s"), "", 1),
        ("memory, PSS of the process tree", summary(k, "pss_mb"), summary(b, "pss_mb"), " MB", 1),
        ("memory, RSS summed over the tree", summary(k, "rss_mb"), summary(b, "rss_mb"), " MB", 1),
        ("processes", summary(k, "processes"), summary(b, "processes"), "", 0),
        ("key to changed frame, median", statistics.median(keys_k) if keys_k else None,
         statistics.median(keys_b) if keys_b else None, " ms", 1),
        ("key to changed frame, worst", max(keys_k) if keys_k else None,
         max(keys_b) if keys_b else None, " ms", 1),
        (f"drift over {report['drift_seconds']:.0f} s of real time",
         report["drift_ms"]["kiosk"], report["drift_ms"]["browser"], " ms", 1),
        ("drift over 2 h of simulated time", report["simulated_drift_ms"]["kiosk"],
         report["simulated_drift_ms"]["browser"], " ms", 0),
    ]
    store = report["store_ms"] or [None, None]
    size = report["sizes_mb"]
    rows += [
        ("store write per event, median (synchronous=FULL)", store[0], None, " ms", 2),
        ("store write per event, worst", store[1], None, " ms", 2),
        ("on disk: binary / installed packages (x86_64)", size["kiosk"], size["browser"], " MB", 0),
        ("on disk: binary (arm64, for the Pi)", size["kiosk_arm64"], None, " MB", 0),
    ]
    print("| | kiosk | browser (Chromium kiosk) | kiosk : browser |")
    print("|---|---|---|---|")
    for label, kv, bv, unit, digits in rows:
        # A ratio of drifts says nothing: both should be zero.
        shown = "" if "drift" in label else ratio(kv, bv)
        print(f"| {label} | {fmt(kv, unit, digits)} | {fmt(bv, unit, digits)} | {shown} |")


if __name__ == "__main__":
    main()
