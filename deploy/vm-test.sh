#!/usr/bin/env bash
# The appliance's acceptance test: the real package under a real systemd on a bare display, in
# a virtual machine. Builds the amd64 package, builds (once) a Debian bookworm image with its own
# kernel, systemd and udev, boots it under qemu with a virtio-gpu display (800x480, the official
# 7-inch panel's size), a virtio keyboard and a virtio tablet, installs the package with apt as
# IT would, and checks: ready under systemd, the home page on the display, a meeting run by taps
# and keys, the input devices held, doctor, the watchdog, a power cut and resume, the sandbox,
# the renderers, an upgrade and a purge. One ok/FAIL line per check, then the figures measured.
#   deploy/vm-test.sh                  build the package and test it (about 15 minutes warm)
#   deploy/vm-test.sh --deb FILE       test that package (e.g. a release build)
#   deploy/vm-test.sh --arch arm64     the Pi's package (from deploy/build-arm64.sh, or --deb) in
#                                      an arm64 VM: install, ready, the home page, a tap, a key,
#                                      a power cut and resume (slower: see the README)
#   deploy/vm-test.sh --compare        no checks: the kiosk on the bare display against Chromium
#                                      under cage in the same VM, measured the same way, run by
#                                      run (deploy/vm/compare.py; about 40 minutes, Chromium's
#                                      download included); prints the README's table
#   deploy/vm-test.sh --card IMG       the SD-card image from deploy/image.sh, booted in an arm64
#                                      VM with IT's settings and an ssh key on its boot partition
#                                      (deploy/vm/card_check.py; about 25 minutes)
# Needs root (debootstrap) and the network (Debian's mirror, for the image and for apt in the
# VM). The image, the tools and the screendumps are kept outside the clone, beside the build
# cache ($VM_CACHE to choose); the screendumps of the last run are in $VM_CACHE/run-amd64.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/common.sh

if [ "$(id -u)" -ne 0 ]; then
    echo "vm-test: needs root (debootstrap builds the VM's image)" >&2
    exit 2
fi
DEB=
ARCH=amd64
COMPARE=
CARD=
while [ $# -gt 0 ]; do
    case "$1" in
        --deb) DEB=$(realpath "$2"); shift 2 ;;
        --arch) ARCH=$2; shift 2 ;;
        --compare) COMPARE=1; shift ;;
        --card) CARD=$(realpath "$2"); ARCH=arm64; shift 2 ;;
        *) sed -n '9,20p' "$0" >&2; exit 2 ;;
    esac
done
case "$ARCH" in
    amd64) QEMU=qemu-system-x86_64 QEMU_PACKAGE=qemu-system-x86 ;;
    arm64) QEMU=qemu-system-aarch64 QEMU_PACKAGE=qemu-system-arm ;;
    *) echo "vm-test: --arch amd64 or arm64" >&2; exit 2 ;;
esac
started=$SECONDS

echo "--- tools"
command -v "$QEMU" >/dev/null 2>&1 || install_qemu "$QEMU_PACKAGE"
install_missing qemu-utils debootstrap e2fsprogs openssh-client python3 imagemagick \
    tesseract-ocr tesseract-ocr-nld tesseract-ocr-eng dpkg-dev

CACHE=${VM_CACHE:-}
if [ -z "$CACHE" ]; then
    CACHE="$(dirname "$(cargo_target_dir)")/intervisie-kiosk-vm"
fi
mkdir -p "$CACHE"
CACHE=$(cd "$CACHE" && pwd)

if [ -n "$CARD" ]; then
    install_missing mtools
    echo "--- the card $(basename "$CARD")"
    [ -f "$CACHE/id_ed25519" ] || ssh-keygen -q -t ed25519 -N '' -f "$CACHE/id_ed25519"
    status=0
    python3 deploy/vm/card_check.py --card "$CARD" --cache "$CACHE" --work "$CACHE/card-arm64" ||
        status=$?
    echo "vm-test --card took $((SECONDS - started)) s"
    exit "$status"
fi

echo "--- package"
pkgdir="$CACHE/packages-$ARCH"
rm -rf "$pkgdir"
mkdir -p "$pkgdir"
if [ -z "$DEB" ] && [ "$ARCH" = arm64 ]; then
    DEB=$(ls "$(cargo_target_dir)"/aarch64-unknown-linux-gnu/debian/*_arm64.deb 2>/dev/null | tail -1)
    [ -n "$DEB" ] || { echo "vm-test: no arm64 package; run deploy/build-arm64.sh first, or give --deb" >&2; exit 2; }
fi
if [ -z "$DEB" ]; then
    debug_package "$pkgdir"
    DEB=$(ls "$pkgdir"/*.deb)
fi
# "A newer build": the same package with a higher revision, for the upgrade check.
newer="$pkgdir/newer"
rm -rf "$newer"
dpkg-deb -R "$DEB" "$newer"
version=$(sed -n 's/^Version: //p' "$newer/DEBIAN/control")
sed -i "s/^Version: .*/Version: $version+vmtest1/" "$newer/DEBIAN/control"
dpkg-deb -b --root-owner-group "$newer" "$pkgdir/newer.deb" >/dev/null
rm -rf "$newer"
ls -l "$DEB"

echo "--- image"
IMAGE=$(deploy/vm/image.sh "$CACHE" "$ARCH")
echo "$IMAGE (prepared in $((SECONDS - started)) s so far)"

if [ -n "$COMPARE" ]; then
    echo "--- the kiosk against Chromium, in one VM"
    status=0
    python3 deploy/vm/compare.py --image "$IMAGE" --cache "$CACHE" --deb "$DEB" \
        --page bench/page/index.html --work "$CACHE/compare-$ARCH" --arch "$ARCH" \
        --json "$CACHE/compare-$ARCH.json" || status=$?
    echo "Host: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1);" \
        "$($QEMU --version | head -1); kiosk package $(basename "$DEB")"
    echo "vm-test --compare took $((SECONDS - started)) s"
    exit "$status"
fi

echo "--- checks"
status=0
quick=()
[ "$ARCH" = arm64 ] && quick=(--quick)
python3 deploy/vm/check.py --image "$IMAGE" --cache "$CACHE" --deb "$DEB" \
    --deb-newer "$pkgdir/newer.deb" --unit deploy/systemd/intervisie-kiosk.service \
    --work "$CACHE/run-$ARCH" --arch "$ARCH" "${quick[@]}" || status=$?
echo "vm-test took $((SECONDS - started)) s"
exit "$status"
