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

TARGET=aarch64-unknown-linux-gnu
as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Debian's Rust (rustc-web 1.96) has a standard library for arm64; rustup's may not, and cannot
# fetch one offline. Compiler and library are installed in one command so their versions match.
PACKAGES=(rustc-web cargo-web libstd-rust-web-dev:arm64 gcc-aarch64-linux-gnu
    libc6-dev-arm64-cross qemu-user-static pkg-config
    libssl-dev:arm64 libudev-dev:arm64 libinput-dev:arm64 libxkbcommon-dev:arm64 libgbm-dev:arm64)

missing=()
for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
    echo "Installing: ${missing[*]}"
    dpkg --print-foreign-architectures | grep -qx arm64 || as_root dpkg --add-architecture arm64
    as_root apt-get update
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
fi

# Debian's cargo first: it is the one with the arm64 standard library.
export PATH=/usr/bin:$PATH
export CARGO_TARGET_AARCH64_UNKNOWN_LINUX_GNU_LINKER=aarch64-linux-gnu-gcc
export CC_aarch64_unknown_linux_gnu=aarch64-linux-gnu-gcc
export PKG_CONFIG_ALLOW_CROSS=1
export PKG_CONFIG_LIBDIR=/usr/lib/aarch64-linux-gnu/pkgconfig:/usr/share/pkgconfig
# Where cargo puts what it builds (CARGO_TARGET_DIR, a config's target-dir, or ./target).
TARGET_DIR=$(cargo metadata --format-version 1 --no-deps |
    sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')

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
if ! command -v cargo-deb >/dev/null 2>&1; then
    cargo install --locked cargo-deb
fi
cargo deb --no-build --target "$TARGET" --no-strip
ls -l "$TARGET_DIR/$TARGET/debian/"*.deb
