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

# Debian's newer toolchain (the default `cargo` package is too old for this project), with its
# formatter and linter, where no Rust is installed or Rust is Debian's own.
RUST_PACKAGES=(rustc-web cargo-web)
CHECK_PACKAGES=(rustfmt-web rust-web-clippy)

deps() {
    local wanted=("${PACKAGES[@]}" "$@")
    if ! command -v cargo >/dev/null 2>&1; then
        wanted+=("${RUST_PACKAGES[@]}")
    fi
    install_missing "${wanted[@]}"
}

# For `test`: formatting and lints are part of the tests, so their tools must be there. Debian's
# cargo gets Debian's; a rustup toolchain without them is told how to add them.
check_tools() {
    if [ "$(command -v cargo)" = /usr/bin/cargo ]; then
        install_missing "${CHECK_PACKAGES[@]}"
    fi
    local tool
    for tool in fmt clippy; do
        if ! cargo "$tool" --version >/dev/null 2>&1; then
            echo "dev.sh: \`cargo $tool\` is missing: with rustup, \`rustup component add" \
                "$([ $tool = fmt ] && echo rustfmt || echo clippy)\`" >&2
            exit 1
        fi
    done
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
        check_tools
        cargo fmt --all -- --check
        cargo clippy --locked --all-targets --features "$FEATURES" -- -D warnings
        exec cargo test --locked --features "$FEATURES"
        ;;
    *)
        sed -n '2,6p' "$0" >&2
        exit 2
        ;;
esac
