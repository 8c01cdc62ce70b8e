#!/usr/bin/env bash
# Builds the disk image of the test VM: Debian bookworm with its own kernel, systemd and udev, an
# ssh server for the test to drive it, and nothing of the kiosk (the test installs the package as
# IT would). Used by deploy/vm-test.sh; the image is kept in the cache and rebuilt only when this
# recipe changes.
#   deploy/vm/image.sh CACHE_DIR     prints the directory holding disk.raw, vmlinuz, initrd.img
set -euo pipefail
cd "$(dirname "$0")/../.."
. deploy/common.sh

CACHE=$1
MIRROR=${VM_MIRROR:-http://deb.debian.org/debian}
# What a Raspberry Pi OS Lite card has that matters here: systemd as PID 1, udev, a console on
# tty1, apt. openssh-server is only for the test's own access.
INCLUDE=systemd,systemd-sysv,udev,dbus,kmod,linux-image-amd64,openssh-server,iproute2,procps,ca-certificates
SIZE=4G
# The recipe's fingerprint: this file. A changed recipe makes a new image.
recipe=$(sha256sum "$0" | cut -c1-12)
out="$CACHE/image-amd64-$recipe"
if [ -s "$out/disk.raw" ] && [ -s "$out/vmlinuz" ] && [ -s "$out/initrd.img" ]; then
    echo "$out"
    exit 0
fi

install_missing debootstrap e2fsprogs openssh-client >&2
rm -rf "$CACHE"/image-amd64-* "$CACHE/root-amd64"
mkdir -p "$CACHE"
root="$CACHE/root-amd64"
started=$SECONDS
echo "vm image: debootstrap bookworm into $root (a few minutes, once)" >&2
debootstrap --variant=minbase --include="$INCLUDE" bookworm "$root" "$MIRROR" >&2

# The test's key: made once and kept beside the image.
[ -f "$CACHE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$CACHE/id_ed25519" >&2
install -d -m 0700 "$root/root/.ssh"
install -m 0600 "$CACHE/id_ed25519.pub" "$root/root/.ssh/authorized_keys"

echo kiosk-vm >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 kiosk-vm\n' >"$root/etc/hosts"
printf '/dev/vda / ext4 defaults,errors=remount-ro 0 1\n' >"$root/etc/fstab"
# qemu's user-mode network: DHCP, and its DNS forwarder.
cat >"$root/etc/systemd/network/10-wired.network" <<'NET'
[Match]
Name=en* eth*

[Network]
DHCP=yes
NET
ln -sf /lib/systemd/system/systemd-networkd.service \
    "$root/etc/systemd/system/multi-user.target.wants/systemd-networkd.service"
rm -f "$root/etc/resolv.conf"
echo 'nameserver 10.0.2.3' >"$root/etc/resolv.conf"
cat >"$root/etc/apt/sources.list" <<APT
deb $MIRROR bookworm main
deb $MIRROR bookworm-updates main
deb http://deb.debian.org/debian-security bookworm-security main
APT
# Apt as IT's: recommends installed. No pager, no questions.
echo 'APT::Get::Assume-Yes "true";' >"$root/etc/apt/apt.conf.d/90test"
# The console on tty1 is what a Pi shows before the kiosk takes the screen; keep it.
ln -sf /lib/systemd/system/getty@.service \
    "$root/etc/systemd/system/getty.target.wants/getty@tty1.service"
chroot "$root" passwd -d root >/dev/null
rm -rf "$root/var/cache/apt/archives/"*.deb "$root/var/lib/apt/lists/"*

mkdir -p "$out.tmp"
cp -L "$root/vmlinuz" "$out.tmp/vmlinuz"
cp -L "$root/initrd.img" "$out.tmp/initrd.img"
chmod 0644 "$out.tmp/vmlinuz" "$out.tmp/initrd.img"
mkfs.ext4 -q -L root -d "$root" "$out.tmp/disk.raw" "$SIZE" >&2
rm -rf "$root"
mv "$out.tmp" "$out"
echo "vm image: built in $((SECONDS - started)) s" >&2
echo "$out"
