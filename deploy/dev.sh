#!/usr/bin/env bash
# Set up, run and test intervisie-kiosk on Debian or Raspberry Pi OS.
#   deploy/dev.sh run [ARGS...]   build (release) and run the kiosk
#   deploy/dev.sh test            check formatting and lints, run every test
#   deploy/dev.sh deps            only install what the build needs
# Installs missing Debian packages with apt-get (through sudo when not root).
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/common.sh

# What the build needs from Debian. Rust itself comes from rustup when present, else Debian.
# Fonts are embedded and fontconfig is loaded at run time if present. SQLCipher is compiled in
# and uses the system's OpenSSL libcrypto (libssl-dev to build, libssl3 at run time), so
# Debian's security updates reach the encryption.
# The bare-display backend (feature `kms`, what the appliance uses) reads touch with libinput
# and draws through DRM/GBM.
PACKAGES=(gcc libc6-dev pkg-config ca-certificates libssl-dev
    libudev-dev libinput-dev libxkbcommon-dev libgbm-dev)
# The features every build here has: the Pi's GPIO and its bare display. Both build anywhere
# and report at run time when the hardware is not there.
FEATURES=gpio,kms
# What the window needs at run time on a desktop (X11 or Wayland; OpenGL for FemtoVG).
RUN_PACKAGES=(libxkbcommon-x11-0 libx11-xcb1 libxcursor1 libxi6 libwayland-client0 libgl1 libegl1)

deps() {
    local wanted=("${PACKAGES[@]}" "$@")
    if ! command -v cargo >/dev/null 2>&1; then
        # Debian's newer toolchain; the default `cargo` package is too old for this project.
        wanted+=(rustc-web cargo-web)
    fi
    install_missing "${wanted[@]}"
}

case "${1:-}" in
    deps)
        deps
        ;;
    run)
        shift
        deps "${RUN_PACKAGES[@]}"
        # GPIO support compiles anywhere; off a Raspberry Pi the buttons simply report absent.
        exec cargo run --release --locked --features "$FEATURES" -- "$@"
        ;;
    test)
        deps
        if cargo fmt --version >/dev/null 2>&1; then
            cargo fmt --all -- --check
        else
            echo "note: rustfmt is not installed; formatting not checked"
        fi
        if cargo clippy --version >/dev/null 2>&1; then
            cargo clippy --locked --all-targets --features "$FEATURES" -- -D warnings
        else
            echo "note: clippy is not installed; lints not checked"
        fi
        exec cargo test --locked --features "$FEATURES"
        ;;
    *)
        sed -n '2,6p' "$0" >&2
        exit 2
        ;;
esac
