#!/usr/bin/env bash
# Cross-builds the Raspberry Pi (arm64) release binary and its Debian package on a Debian 12
# x86_64 machine, and checks the binary under qemu.
#   deploy/build-arm64.sh            install what is missing, build, package, check
#   deploy/build-arm64.sh --no-deb   only the binary
# Output: target/aarch64-unknown-linux-gnu/debian/intervisie-kiosk_<version>-1_arm64.deb
# (under $CARGO_TARGET_DIR when that is set). Needs root or sudo for apt-get. About 25 minutes
# the first time on two cores; minutes after that.
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/common.sh

TARGET=aarch64-unknown-linux-gnu

# Debian's Rust (rustc-web 1.96) has a standard library for arm64; rustup's may not, and cannot
# fetch one offline. Compiler and library are installed in one command so their versions match.
PACKAGES=(rustc-web cargo-web libstd-rust-web-dev:arm64 gcc-aarch64-linux-gnu
    libc6-dev-arm64-cross qemu-user-static pkg-config
    libssl-dev:arm64 libudev-dev:arm64 libinput-dev:arm64 libxkbcommon-dev:arm64 libgbm-dev:arm64)

dpkg --print-foreign-architectures | grep -qx arm64 || as_root dpkg --add-architecture arm64
install_missing "${PACKAGES[@]}"

# Debian's cargo first: it is the one with the arm64 standard library.
export PATH=/usr/bin:$PATH
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export PKG_CONFIG_ALLOW_CROSS=1
export PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
TARGET_DIR=$(cargo_target_dir)

cargo build --release --locked --target "$TARGET" --features gpio,kms
BIN="$TARGET_DIR/$TARGET/release/intervisie-kiosk"

# qemu without -L: with it, a program that starts a thread hangs.
echo "--- checks under qemu"
qemu-aarch64-static "$BIN" --version
qemu-aarch64-static "$BIN" methods list >/dev/null
check_dir=$(mktemp -d)
qemu-aarch64-static "$BIN" --data-dir "$check_dir" status --json
rm -rf "$check_dir"

if [ "${1:-}" = "--no-deb" ]; then
    exit 0
fi
ensure_cargo_deb
cargo deb --no-build --target "$TARGET" --no-strip
ls -l "$TARGET_DIR/$TARGET/debian/"*.deb
