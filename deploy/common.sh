# Shared by the project's scripts (sourced from the repository's root): root rights, Debian
# packages, and where cargo builds.

as_root() {
    if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# Installs those of the given Debian packages that are not installed yet (one apt-get call).
install_missing() {
    local missing=()
    local p native
    native=$(dpkg --print-architecture)
    for p in "$@"; do
        # A name without an architecture means this machine's own (or "all"): libudev-dev:arm64
        # for the cross build does not stand in for libudev-dev.
        case "$p" in
            *:*) dpkg-query -W -f='${Status}\n' "$p" 2>/dev/null | grep -q "ok installed" ;;
            *) dpkg-query -W -f='${Status} ${Architecture}\n' "$p" 2>/dev/null |
                grep -Eq "ok installed ($native|all)$" ;;
        esac || missing+=("$p")
    done
    if [ ${#missing[@]} -gt 0 ]; then
        echo "Installing: ${missing[*]}"
        as_root apt-get update
        as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
    fi
}

# Where cargo puts what it builds (CARGO_TARGET_DIR, a config's target-dir, or ./target).
cargo_target_dir() {
    cargo metadata --format-version 1 --no-deps |
        sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p'
}

# Puts cargo-deb on PATH: kept with the build cache (pinned, so its warnings and output do not
# change under us), so a second run on the same machine does not build it again.
ensure_cargo_deb() {
    command -v cargo-deb >/dev/null 2>&1 && return
    local root
    root="$(cargo_target_dir)/../cargo-tools"
    mkdir -p "$root"
    root=$(cd "$root" && pwd)
    [ -x "$root/bin/cargo-deb" ] || cargo install --locked --root "$root" cargo-deb --version 3.8.0
    export PATH="$root/bin:$PATH"
}

# The amd64 package from the debug build the tests already made, into directory $1: a release
# build would cost CI another 25 minutes, and the package's layout, unit and scripts are the same
# (dependencies are optimised even in debug builds). cargo-deb warns that it prefers release.
debug_package() {
    ensure_cargo_deb
    cargo build --locked --features gpio,kms
    cargo deb --no-build --profile dev --fast -o "$1/"
}

# Installs qemu-system-PACKAGE's emulator (qemu-system-x86, qemu-system-arm) to match the
# qemu-utils already on the machine: on this project's build machines that is
# bookworm-backports' 10.0, which conflicts with bookworm's own qemu 7.2.
install_qemu() {
    local release=()
    if dpkg-query -W -f='${Version}' qemu-utils 2>/dev/null | grep -q 'bpo12'; then
        if ! grep -rqs 'bookworm-backports' /etc/apt/sources.list /etc/apt/sources.list.d/; then
            echo 'deb http://deb.debian.org/debian bookworm-backports main' |
                as_root tee /etc/apt/sources.list.d/bookworm-backports.list >/dev/null
            as_root apt-get update
        fi
        release=(-t bookworm-backports)
    fi
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends \
        "${release[@]}" "$1" qemu-utils
}
