#!/usr/bin/env python3
"""The SD-card image's acceptance test, in an arm64 VM: the card as IT gets it from
deploy/image.sh, with the two files IT puts on its boot partition (the room's settings, and a
public key for ssh), booted with the kernel and initramfs on that partition. Checks what IT and
the group would see: the settings taken and their plain copy gone, no login, the kiosk ready on
the bare display with the room's name, a tap, a key, a power cut and the offer to resume.

Started by `deploy/vm-test.sh --card IMAGE`."""

import argparse
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

from check import HOME, OPENING, RESUME, SETUP, Report, countdown_seconds, journal
from machine import Vm, text_of

UNIT = "intervisie-kiosk"
CARD_FILE = "/boot/firmware/intervisie-kiosk.toml"
ROOM = "Zaal Noord"
PIN = "8642"
BOOT_OFFSET = "4M"  # deploy/image.sh: the boot partition starts at 4 MiB.


def mtools(image, *args):
    return subprocess.run([args[0], "-i", f"{image}@@{BOOT_OFFSET}", *args[1:]],
                          check=True, capture_output=True, text=True).stdout


def prepare_card(a, work):
    """A copy of the card with IT's two files on its boot partition; the kernel and initramfs
    read off it, as the Pi's firmware would."""
    card = os.path.join(work, "card.img")
    subprocess.run(["cp", "--sparse=always", a.card, card], check=True)
    settings = os.path.join(work, "intervisie-kiosk.toml")
    with open(settings, "w") as f:
        f.write(f'room_name = "{ROOM}"\npin = "{PIN}"\nlanguage = "nl"\n\n[buttons]\nnext_pin = 5\npause_pin = 6\n')
    mtools(card, "mcopy", settings, "::intervisie-kiosk.toml")
    mtools(card, "mcopy", os.path.join(a.cache, "id_ed25519.pub"), "::intervisie-kiosk-ssh.pub")
    names = mtools(card, "mdir", "-b", "::").split()
    kernel = sorted(n for n in names if "vmlinuz-" in n)[-1].lstrip(":/")
    initrd = sorted(n for n in names if "initrd.img-" in n)[-1].lstrip(":/")
    for name in (kernel, initrd):
        mtools(card, "mcopy", "-o", f"::{name}", os.path.join(work, name))
    cmdline = mtools(card, "mtype", "::cmdline.txt")
    return card, os.path.join(work, kernel), os.path.join(work, initrd), cmdline


def run_checks(vm, r, a, cmdline):
    print("--- the card as IT made it")
    r.check("the card's cmdline.txt finds the root by its label", "root=LABEL=rootfs" in cmdline,
            cmdline)
    r.check("the card's cmdline.txt keeps boot messages off the panel",
            # The serial port (ttyS1) is meant; a virtual terminal (tty0, tty1) is the panel.
            re.search(r"console=tty[0-9]", cmdline) is None and "quiet" in cmdline, cmdline)

    print("--- first boot")
    boot_s = vm.boot(timeout=1200)
    r.figure("first boot to ssh (ssh from the key on the card)", f"{boot_s:.0f} s")
    r.check("ssh opens with the key put on the card, which is then removed",
            vm.out("test -e /boot/firmware/intervisie-kiosk-ssh.pub && echo there || echo gone")
            == "gone")
    r.check("the card's plain settings are erased after the first boot",
            vm.out(f"test -e {CARD_FILE} && echo there || echo gone") == "gone")
    r.check("no error file: the settings were taken",
            vm.out("ls /boot/firmware/intervisie-kiosk-error.txt 2>/dev/null") == "")
    config = vm.out("cat /etc/intervisie-kiosk/config.toml")
    r.check("the room's name is in the config, the PIN is not",
            ROOM in config and PIN not in config, config[:300])
    status = vm.out(f"{UNIT} status --json", quiet=True)
    try:
        pin_set = json.loads(status).get("pin_set")
    except ValueError:
        pin_set = None
    r.check("the PIN is set (kept as a hash)", pin_set is True, status[:300])
    taken = vm.out(f"journalctl -b -u {UNIT}-card -o cat --no-pager")
    r.check("the boot unit says what it took", f'room "{ROOM}"' in taken, taken[-300:])
    r.check("root has no password (locked)", vm.out("passwd -S root").split()[1:2] == ["L"])
    r.check("this card has its own machine id and ssh host keys",
            len(vm.out("cat /etc/machine-id")) == 32 and
            vm.out("ls /etc/ssh/ssh_host_ed25519_key.pub 2>/dev/null") != "")
    r.check("no login on tty1", vm.out("systemctl is-active getty@tty1", quiet=True) != "active")
    r.check("the service is active (it said ready)", vm.wait_active(timeout=300))
    said = vm.out(f"systemctl show -p StatusText --value {UNIT}")
    r.check("ready says how the screen draws", "showing the screen" in said, said)
    ready_us = vm.out(f"systemctl show -p ActiveEnterTimestampMonotonic --value {UNIT}")
    if ready_us.isdigit():
        r.figure("kernel start to ready", f"{int(ready_us) / 1e6:.1f} s")
    ok, words, _ = vm.wait_screen(HOME + ["noord"], "home", timeout=180)
    r.check("the bare display shows the home page with the room's name", ok, text_of(words))

    print("--- a meeting, by touch and keys")
    vm.tap_word(words, "beginnen")
    ok, words, _ = vm.wait_screen(SETUP, "setup", timeout=60, absent=["tik om"])
    r.check("a tap on the home page opens the set-up", ok, text_of(words))
    vm.tap_word(words, "beginnen")
    ok, words, _ = vm.wait_screen(OPENING, "opening", timeout=60, absent=SETUP)
    r.check("a tap on Beginnen starts the meeting", ok, text_of(words))
    before, t0 = countdown_seconds(vm.screendump("opening")), time.time()
    vm.qmp.key("ret")
    time.sleep(4)
    after = countdown_seconds(vm.screendump("next-phase"))
    went_on = None if before is None else before - (time.time() - t0)
    r.check("a key moves to the next phase", after is not None and went_on is not None
            and abs(after - went_on) > 15, f"countdown {before} then {after}")
    time.sleep(6)  # past the kiosk's 5 s save of a counting clock

    print("--- power cut")
    vm.power_cut()
    vm.boot(timeout=1200)
    r.check("the service is active after the power cut", vm.wait_active(timeout=300))
    ok, words, _ = vm.wait_screen(RESUME, "resume-after-cut", timeout=180)
    r.check("after the power cut the screen offers to resume", ok, text_of(words))
    vm.qmp.key("ret")
    ok, words, _ = vm.wait_screen(["einde"], "resumed", timeout=60, absent=RESUME)
    r.check("the next key resumes the meeting", ok, text_of(words))
    r.check("the plain settings did not come back", vm.out(f"ls {CARD_FILE} 2>/dev/null") == "")
    errors = journal(vm, priority="err")
    r.check("the journal has no errors from the kiosk", errors == "", errors[-400:])


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--card", required=True, help="the .img deploy/image.sh made")
    p.add_argument("--cache", required=True, help="where the ssh key is")
    p.add_argument("--work", required=True, help="where screendumps and logs go")
    a = p.parse_args()
    a.arch, a.accel = "arm64", "tcg"
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    shutil.rmtree(a.work, ignore_errors=True)
    os.makedirs(a.work)
    card, kernel, initrd, cmdline = prepare_card(a, a.work)
    r = Report()
    vm = Vm(a, a.work, kernel=kernel, initrd=initrd, root="LABEL=rootfs")
    subprocess.run(["qemu-img", "create", "-q", "-f", "qcow2", "-F", "raw", "-b", card,
                    vm.overlay], check=True)
    try:
        run_checks(vm, r, a, cmdline)
    finally:
        if vm.proc and vm.proc.poll() is None:
            vm.power_cut()
    print()
    for what, value in r.figures:
        print(f"FIGURE {what}: {value}")
    print(f"screendumps and logs: {a.work}")
    for f in glob.glob(os.path.join(a.work, "*.img")):
        os.unlink(f)
    if r.failures:
        print(f"card-test: {r.failures} check(s) failed")
        return 1
    print("card-test: all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
