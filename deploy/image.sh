#!/usr/bin/env bash
# Builds the SD-card image for a Raspberry Pi 4: Debian bookworm arm64 with Debian's kernel and
# the Pi's boot firmware (raspi-firmware), the kiosk's package installed, no desktop, no login,
# ssh off, and the settings IT puts on the boot partition taken at the first boot
# (intervisie-kiosk-card.service). IT writes the .img.xz to a card with Raspberry Pi Imager or
# dd, puts intervisie-kiosk.toml on the card's boot partition, and boots it in the room.
#
#   deploy/image.sh [--deb FILE] [--out DIR] [--no-xz]
# --deb: the arm64 package (default: the one deploy/build-arm64.sh made; it is built when
# there is none). Output: DIR/intervisie-kiosk-<version>-pi4-arm64.img and .img.xz (DIR
# defaults to the build cache's intervisie-kiosk-image). About an hour on two cores (58 minutes
# measured, beside a Rust build), most of it the arm64 VM that finishes the root filesystem
# (deploy/arm64-stage.sh). The card: 3 GiB, 759 MiB as .xz.
#
# No loop mounts and no binfmt_misc: debootstrap unpacks, an arm64 VM configures, mkfs.ext4 -d
# and mtools make the two filesystems from directories, and sfdisk and dd lay them on the card.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/common.sh
. deploy/arm64-stage.sh

DEB=
OUT=
XZ=1
while [ $# -gt 0 ]; do
    case "$1" in
        --deb) DEB=$(realpath "$2"); shift 2 ;;
        --out) OUT=$2; shift 2 ;;
        --no-xz) XZ=; shift ;;
        *) echo "image.sh: unknown option $1 (--deb FILE, --out DIR, --no-xz)" >&2; exit 2 ;;
    esac
done
MIRROR=${IMAGE_MIRROR:-http://deb.debian.org/debian}
# The partitions: the firmware's FAT boot partition (as on Raspberry Pi OS: "bootfs", 512 MiB,
# from 4 MiB) and the root ("rootfs"). The root holds the system with room for a year of
# journals and updates; the kiosk's own data is small.
BOOT_START_MIB=4
BOOT_MIB=512
ROOT_MIB=2560

started=$SECONDS
command -v qemu-system-aarch64 >/dev/null 2>&1 || install_qemu qemu-system-arm
install_missing debootstrap mtools dosfstools fdisk e2fsprogs cpio xz-utils \
    zstd ipxe-qemu
target_dir=$(cargo_target_dir)
if [ -z "$DEB" ]; then
    DEB=$(ls "$target_dir"/aarch64-unknown-linux-gnu/debian/*_arm64.deb 2>/dev/null | tail -1 || true)
    if [ -z "$DEB" ]; then
        deploy/build-arm64.sh
        DEB=$(ls "$target_dir"/aarch64-unknown-linux-gnu/debian/*_arm64.deb | tail -1)
    fi
fi
[ "$(dpkg-deb -f "$DEB" Architecture)" = arm64 ] || { echo "image.sh: $DEB is not an arm64 package" >&2; exit 2; }
version=$(dpkg-deb -f "$DEB" Version)
OUT=${OUT:-"$(dirname "$target_dir")/intervisie-kiosk-image"}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
work="$OUT/work"
root="$work/root"
rm -rf "$work"
mkdir -p "$work"
echo "image: $(basename "$DEB") into $OUT"

# What the package needs (its Depends, without versions or alternatives: every one of them is in
# bookworm), so that dpkg -i in the VM needs no network.
deps=$(dpkg-deb -f "$DEB" Depends Recommends | sed 's/^[A-Za-z]*: //' | tr ',' '\n' |
    sed 's/[|(].*//; s/ //g' | grep -v '^$' | sort -u | paste -sd, -)
# The system: what a Raspberry Pi OS Lite card has that the kiosk uses, the Pi's firmware and
# Debian's kernel, the network for the clock, ssh (off until IT asks for it), and busybox for the
# build VM's initramfs.
INCLUDE=systemd,systemd-sysv,udev,dbus,kmod,linux-image-arm64,raspi-firmware,initramfs-tools
INCLUDE+=,systemd-timesyncd,iproute2,openssh-server,e2fsprogs,dosfstools,busybox-static,$deps

echo "--- debootstrap (arm64, unpack only)"
debootstrap --foreign --arch=arm64 --variant=minbase --components=main,non-free-firmware \
    --include="$INCLUDE" bookworm "$root" "$MIRROR" >"$work/debootstrap.log" 2>&1 || {
    tail -20 "$work/debootstrap.log" >&2
    exit 1
}

# The files of the appliance, in place before the VM runs.
install -m 0644 "$DEB" "$root/root/intervisie-kiosk.deb"
install -m 0755 deploy/image/setup.sh "$root/root/setup.sh"
install -m 0644 deploy/image/intervisie-kiosk-ssh.service "$root/etc/systemd/system/"
echo intervisie-kiosk >"$root/etc/hostname"
printf '127.0.0.1 localhost\n127.0.1.1 intervisie-kiosk\n' >"$root/etc/hosts"
cat >"$root/etc/fstab" <<FSTAB
LABEL=rootfs  /              ext4  defaults,noatime,errors=remount-ro  0 1
# The firmware's partition, also where IT puts intervisie-kiosk.toml: root's only.
LABEL=bootfs  /boot/firmware vfat  defaults,noatime,umask=0077          0 2
FSTAB
mkdir -p "$root/etc/systemd/network" "$root/boot/firmware"
printf '[Match]\nName=eth* en*\n\n[Network]\nDHCP=yes\n' >"$root/etc/systemd/network/10-wired.network"
cat >"$root/etc/apt/sources.list" <<APT
deb $MIRROR bookworm main non-free-firmware
deb $MIRROR bookworm-updates main non-free-firmware
deb http://deb.debian.org/debian-security bookworm-security main non-free-firmware
APT

echo "--- the arm64 VM: second stage and setup"
mkfs.ext4 -q -L rootfs -d "$root" "$work/root.ext4" "${ROOT_MIB}M"
# The boot partition's files leave the VM as a tar stream on a second, raw disk: no FAT driver
# is needed in the build VM's initramfs.
truncate -s "${BOOT_MIB}M" "$work/boot.tar"
steps='for d in dev proc sys; do mount -o bind /$d /newroot/$d; done
    chroot /newroot /bin/sh /root/setup.sh && rm /newroot/root/setup.sh &&
    tar -C /newroot/boot/firmware -cf /dev/vdb . && rm -rf /newroot/boot/firmware/* ||
    echo "stage: FAILED"
    for d in sys proc dev; do umount /newroot/$d; done'
arm64_second_stage "$root" "$work/root.ext4" "$work/vm" "$steps" "$work/boot.tar"
grep -q "setup: ok" "$work/vm/serial.log" || { echo "image.sh: setup failed; see $work/vm/serial.log" >&2; exit 1; }
rm -rf "$root"

echo "--- the boot partition"
mkdir -p "$work/boot"
tar -C "$work/boot" -xf "$work/boot.tar"
ls "$work/boot"/vmlinuz-* "$work/boot"/initrd.img-* "$work/boot"/start4.elf \
    "$work/boot"/bcm2711-rpi-4-b.dtb "$work/boot"/config.txt "$work/boot"/cmdline.txt >/dev/null
install -m 0644 deploy/image/intervisie-kiosk-example.toml "$work/boot/"
install -m 0644 deploy/image/LEES-MIJ-READ-ME.txt "$work/boot/"
rm -f "$work/boot.fat"
mkfs.vfat -F 32 -n bootfs -C "$work/boot.fat" $((BOOT_MIB * 1024)) >/dev/null
mcopy -s -i "$work/boot.fat" "$work/boot"/* ::/

echo "--- the card"
name="intervisie-kiosk-$version-pi4-arm64.img"
img="$OUT/$name"
rm -f "$img" "$img.xz"
total_mib=$((BOOT_START_MIB + BOOT_MIB + ROOT_MIB))
truncate -s "${total_mib}M" "$img"
sfdisk -q "$img" <<PARTS
label: dos
start=$((BOOT_START_MIB * 2048)), size=$((BOOT_MIB * 2048)), type=c, bootable
start=$(((BOOT_START_MIB + BOOT_MIB) * 2048)), size=$((ROOT_MIB * 2048)), type=83
PARTS
dd if="$work/boot.fat" of="$img" bs=1M seek=$BOOT_START_MIB conv=notrunc,sparse status=none
dd if="$work/root.ext4" of="$img" bs=1M seek=$((BOOT_START_MIB + BOOT_MIB)) conv=notrunc,sparse status=none
rm -rf "$work"
if [ -n "$XZ" ]; then
    xz -T0 -3 -k "$img"
fi
echo "image: $img ($total_mib MiB$( [ -n "$XZ" ] && echo ", $(($(stat -c %s "$img.xz") / 1048576)) MiB as .xz")) in $((SECONDS - started)) s"
