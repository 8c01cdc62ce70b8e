# Sourced by deploy/vm/image.sh and deploy/image.sh: finishes an arm64 root filesystem that
# `debootstrap --foreign` unpacked, inside an arm64 VM. This machine cannot run arm64 programs in
# a chroot (no binfmt_misc), so the VM boots Debian's own arm64 kernel with a small initramfs of
# ours (busybox and the modules that reach a virtio disk), which runs debootstrap's second stage
# and then the caller's own steps, and powers off. About 30 minutes under emulation.
#
#   arm64_second_stage ROOT DISK WORK STEPS [EXTRA_DISK]
# ROOT: the unpacked tree (debootstrap --foreign --include=...,busybox-static); DISK: an ext4
# image made from it (mkfs.ext4 -d), the VM's /dev/vda; WORK: a scratch directory; STEPS: shell
# lines the initramfs runs after the second stage, with the root mounted at /newroot (and
# EXTRA_DISK, if given, as /dev/vdb). A step that fails must print "stage: FAILED".

arm64_second_stage() {
    local root=$1 disk=$2 work=$3 steps=$4 extra=${5:-}
    command -v qemu-system-aarch64 >/dev/null || {
        echo "arm64 stage: qemu-system-aarch64 is missing (package qemu-system-arm)" >&2
        return 2
    }
    rm -rf "$work"
    mkdir -p "$work/kernel" "$work/busybox" "$work/initramfs"/{bin,dev,proc,sys,newroot,modules}
    dpkg-deb -x "$(ls "$root"/var/cache/apt/archives/linux-image-6*-arm64_*.deb | head -1)" "$work/kernel"
    dpkg-deb -x "$(ls "$root"/var/cache/apt/archives/busybox-static_*.deb)" "$work/busybox"
    local kernel
    kernel=$(ls "$work"/kernel/boot/vmlinuz-* | head -1)
    cp "$kernel" "$work/vmlinuz"
    cp "$work/busybox/bin/busybox" "$work/initramfs/bin/busybox"
    local tool
    for tool in sh mount umount insmod switch_root sync poweroff sleep cat chroot tar rm; do
        ln -s busybox "$work/initramfs/bin/$tool"
    done
    # What reaches an ext4 disk on virtio: Debian's arm64 kernel has these as modules.
    local modules="crc32c_generic crc16 mbcache jbd2 ext4 virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk"
    local m f
    for m in $modules; do
        f=$(find "$work/kernel/lib/modules" -name "$m.ko*" | head -1)
        [ -n "$f" ] || { echo "arm64 stage: module $m not in the kernel package" >&2; return 1; }
        case "$f" in
            *.xz) xz -dc "$f" >"$work/initramfs/modules/$m.ko" ;;
            *.zst) zstd -qdc "$f" >"$work/initramfs/modules/$m.ko" ;;
            *) cp "$f" "$work/initramfs/modules/$m.ko" ;;
        esac
    done
    cat >"$work/initramfs/init" <<INIT
#!/bin/sh
mount -t proc proc /proc; mount -t sysfs sys /sys; mount -t devtmpfs dev /dev
for m in $modules; do insmod /modules/\$m.ko; done
sleep 2
mount -t ext4 /dev/vda /newroot
echo "second stage: start"
if chroot /newroot /debootstrap/debootstrap --second-stage; then
    echo "second stage: ok"
    $steps
else
    echo "second stage: FAILED"
fi
rm -rf /newroot/var/cache/apt/archives/*.deb /newroot/var/lib/apt/lists/*
sync; umount /newroot; sync
echo "stage: done"
poweroff -f
INIT
    chmod +x "$work/initramfs/init"
    (cd "$work/initramfs" && find . | cpio -o -H newc --quiet | gzip -1) >"$work/initrd.gz"

    local drives=(-drive "file=$disk,if=virtio,format=raw")
    [ -n "$extra" ] && drives+=(-drive "file=$extra,if=virtio,format=raw")
    echo "arm64 stage: the second stage, inside an arm64 VM (about 30 minutes)" >&2
    timeout 5400 qemu-system-aarch64 -M virt -cpu cortex-a72 -smp 2 -m 2048 -accel tcg,thread=multi \
        -kernel "$kernel" -initrd "$work/initrd.gz" -append "console=ttyAMA0 rdinit=/init" \
        "${drives[@]}" -netdev user,id=n0 \
        -device virtio-net-pci,netdev=n0 -display none -serial "file:$work/serial.log" -no-reboot
    if ! grep -q "second stage: ok" "$work/serial.log" || grep -q "stage: FAILED" "$work/serial.log" ||
        ! grep -q "stage: done" "$work/serial.log"; then
        echo "arm64 stage: failed; see $work/serial.log" >&2
        return 1
    fi
}
