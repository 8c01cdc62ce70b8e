#!/usr/bin/env bash
# Builds the disk image of the test VM: Debian bookworm with its own kernel, systemd and udev, an
# ssh server for the test to drive it, and nothing of the kiosk (the test installs the package as
# IT would). Used by deploy/vm-test.sh; the image is kept in the cache and rebuilt only when this
# recipe changes.
#   deploy/vm/image.sh CACHE_DIR [amd64|arm64]
# Prints the directory holding disk.raw, vmlinuz and initrd.img.
#
# amd64: debootstrap in a chroot (2-4 minutes). arm64 (the Pi's architecture): debootstrap only
# unpacks, and the second stage runs inside an arm64 VM (deploy/arm64-stage.sh); about 30
# minutes under emulation, once.
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/common.sh
. deploy/arm64-stage.sh

CACHE=$1
ARCH=${2:-amd64}
MIRROR=${VM_MIRROR:-http://deb.debian.org/debian}
# What a Raspberry Pi OS Lite card has that matters here: systemd as PID 1, udev, a console on
# tty1, apt. openssh-server is only for the test's own access.
INCLUDE=systemd,systemd-sysv,udev,dbus,kmod,linux-image-$ARCH,openssh-server,iproute2,procps,ca-certificates,initramfs-tools
SIZE=4G
# The recipe's fingerprint: this file. A changed recipe makes a new image.
recipe=$(sha256sum "$0" | cut -c1-12)
out="$CACHE/image-$ARCH-$recipe"
if [ -s "$out/disk.raw" ] && [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ]; then
    echo "$out"
    exit 0
fi

install_missing debootstrap e2fsprogs openssh-client cpio xz-utils zstd >&2
rm -rf "$CACHE/image-$ARCH-"* "$CACHE/root-$ARCH"
mkdir -p "$CACHE"
root="$CACHE/root-$ARCH"
started=$SECONDS
[ -f "$CACHE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$CACHE/id_ed25519" >&2

# The files every image gets: the test's key, a name, the disk, the network of qemu's user
# mode (DHCP and its DNS forwarder), the mirror, and the console on tty1.
configure() {
    install -d -m 0700 "$root/root/.ssh"
    install -m 0600 "$CACHE/id_ed25519.pub" "$root/root/.ssh/authorized_keys"
    echo kiosk-vm >"$root/etc/hostname"
    printf '127.0.0.1 localhost\n127.0.1.1 kiosk-vm\n' >"$root/etc/hosts"
    printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' >"$root/etc/fstab"
    mkdir -p "$root/etc/systemd/network" "$root/etc/systemd/system/multi-user.target.wants" \
        "$root/etc/systemd/system/getty.target.wants"
    printf '[Match]\nName=en* eth*\n\n[Network]\nDHCP=yes\n' \
        >"$root/etc/systemd/network/10-wired.network"
    ln -sf /lib/systemd/system/systemd-networkd.service \
        "$root/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
    rm -f "$root/etc/resolv.conf"
    echo 'nameserver 10.0.2.3' >"$root/etc/resolv.conf"
    mkdir -p "$root/etc/apt/apt.conf.d"
    cat >"$root/etc/apt/sources.list" <<APT
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
APT
    echo 'APT::Get::Assume-Yes "true";' >"$root/etc/apt/apt.conf.d/90test"
    ln -sf /lib/systemd/system/getty@.service \
        "$root/etc/systemd/system/getty.target.wants/getty@tty1.service"
}

finish() { # finish DISK_RAW KERNEL INITRD
    mkdir -p "$out.tmp"
    mv "$1" "$out.tmp/disk.raw"
    mv "$2" "$out.tmp/vmlinuz"
    mv "$3" "$out.tmp/initrd.img"
    chmod 0644 "$out.tmp/"*
    rm -rf "$root"
    mv "$out.tmp" "$out"
    echo "vm image ($ARCH): built in $((SECONDS - started)) s" >&2
    echo "$out"
}

if [ "$ARCH" = amd64 ]; then
    echo "vm image: debootstrap bookworm into $root (a few minutes, once)" >&2
    debootstrap --variant=minbase --include="$INCLUDE" bookworm "$root" "$MIRROR" >&2
    configure
    chroot "$root" passwd -d root >/dev/null
    rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*
    cp -L "$root/vmlinuz" "$CACHE/vmlinuz.tmp"
    cp -L "$root/initrd.img" "$CACHE/initrd.tmp"
    mkfs.ext4 -q -L root -d "$root" "$CACHE/disk.tmp" "$SIZE" >&2
    finish "$CACHE/disk.tmp" "$CACHE/vmlinuz.tmp" "$CACHE/initrd.tmp"
    exit 0
fi

[ "$ARCH" = arm64 ] || { echo "image.sh: unknown architecture $ARCH" >&2; exit 2; }
echo "vm image: debootstrap --foreign (arm64) into $root" >&2
debootstrap --foreign --arch=arm64 --variant=minbase --include="$INCLUDE,busybox-static" \
    bookworm "$root" "$MIRROR" >&2
configure

mkfs.ext4 -q -L root -d "$root" "$CACHE/disk.tmp" "$SIZE" >&2
work="$CACHE/arm64-first-boot"
arm64_second_stage "$root" "$CACHE/disk.tmp" "$work" "chroot /newroot passwd -d root"
# Debian's own initramfs, made by the second stage, for every later boot.
initrd=$(debugfs -R "ls -p /boot" "$CACHE/disk.tmp" 2>/dev/null | tr '/' '\n' | grep '^initrd.img-' | head -1)
debugfs -R "dump /boot/$initrd $work/initrd.img" "$CACHE/disk.tmp" >/dev/null 2>&1
[ -s "$work/initrd.img" ] || { echo "image.sh: no initramfs in the image" >&2; exit 1; }
finish "$CACHE/disk.tmp" "$work/vmlinuz" "$work/initrd.img"
rm -rf "$work"
