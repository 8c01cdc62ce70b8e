#!/usr/bin/env bash
# Builds the amd64 Debian package from the debug build and checks it on this machine: installs
# it, looks at what it put where, runs the kiosk as the service's user, reinstalls over an edited
# config, then purges it and checks that nothing is left. Needs root, and changes the machine it
# runs on (use CI, a VM or a throw-away container). Without systemd running, the service is
# enabled but not started; what the service does on a real Pi is in deploy/README.md.
#   deploy/package-test.sh           build, install, check, purge
set -euo pipefail
cd "$(dirname "$0")/.."
. deploy/common.sh

if [ "$(id -u)" -ne 0 ]; then
    echo "package-test: needs root (it installs and purges the package)" >&2
    exit 2
fi
if dpkg-query -W -f='${Status}' intervisie-kiosk 2>/dev/null | grep -q "ok installed"; then
    echo "package-test: intervisie-kiosk is installed here; this test would purge it" >&2
    exit 2
fi

UNIT=/usr/lib/systemd/system/intervisie-kiosk.service
STATE=/var/lib/intervisie-kiosk
USER_NAME=intervisie-kiosk
failures=0
check() { # check DESCRIPTION COMMAND...
    local what=$1
    shift
    if "$@" >/dev/null 2>&1; then
        echo "ok    $what"
    else
        echo "FAIL  $what"
        failures=$((failures + 1))
    fi
}
absent() { ! test -e "$1" && ! test -L "$1"; }

echo "--- tools"
# dpkg-dev: dpkg-shlibdeps finds the package's library dependencies.
install_missing dpkg-dev systemd

echo "--- build"
out=$(mktemp -d)
debug_package "$out"
deb=$(ls "$out"/*.deb)
ls -l "$deb"

echo "--- install"
DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "$deb"
check "package installed" dpkg-query -W intervisie-kiosk
for f in /usr/bin/intervisie-kiosk "$UNIT" /usr/lib/sysusers.d/intervisie-kiosk.conf \
    /usr/lib/udev/rules.d/60-intervisie-kiosk-backlight.rules /etc/intervisie-kiosk/config.toml \
    /usr/share/doc/intervisie-kiosk/IT-GUIDE.md /usr/share/doc/intervisie-kiosk/wiring.md; do
    check "file $f" test -s "$f"
done
check "binary runs" /usr/bin/intervisie-kiosk --version
check "config is a conffile" grep -qx /etc/intervisie-kiosk/config.toml \
    /var/lib/dpkg/info/intervisie-kiosk.conffiles
check "user $USER_NAME exists" getent passwd "$USER_NAME"
check "user is a system user without a login" \
    bash -c "getent passwd $USER_NAME | awk -F: '\$3 < 1000 && \$7 ~ /nologin\$/' | grep -q ."
for g in video render input gpio; do
    check "group $g exists" getent group "$g"
    # The service gets the groups from its unit; membership is what IT's `sudo -u` checks get.
    check "user is in group $g" bash -c "id -nG $USER_NAME | tr ' ' '\n' | grep -qx $g"
done
check "service enabled" test -L /etc/systemd/system/multi-user.target.wants/intervisie-kiosk.service
check "the card's settings unit enabled" test -L /etc/systemd/system/multi-user.target.wants/intervisie-kiosk-card.service
check "the card's settings unit verifies" systemd-analyze verify /usr/lib/systemd/system/intervisie-kiosk-card.service
echo "systemd-analyze verify:"
if systemd-analyze verify "$UNIT"; then
    echo "ok    unit verifies"
else
    echo "FAIL  unit verifies"
    failures=$((failures + 1))
fi
# The gate: the exposure level is 1.0 (on a scale to 10) and must not get worse.
check "security exposure at most 1.0" \
    systemd-analyze security --offline=yes --threshold=10 "$UNIT"
systemd-analyze security --offline=yes "$UNIT" | tail -1

echo "--- as the service's user"
# What systemd does at start (StateDirectory=, StateDirectoryMode=0700).
install -d -o "$USER_NAME" -g "$USER_NAME" -m 0700 "$STATE"
as_kiosk() { runuser -u "$USER_NAME" -- env -u HOME TMPDIR="$STATE" /usr/bin/intervisie-kiosk "$@"; }
check "status as $USER_NAME" as_kiosk status --json
printf 'next\nend-meeting\nrate 4\nfinish\n' | as_kiosk run --headless --method incident >/dev/null
sessions=$(as_kiosk status --json | sed -n 's/.*"sessions":\([0-9]*\).*/\1/p')
check "a meeting was kept ($sessions session)" test "$sessions" = 1
check "kept files belong to $USER_NAME, mode 600" \
    bash -c "[ -z \"\$(find $STATE -type f \\( ! -user $USER_NAME -o -perm /077 \\))\" ]"
as_kiosk doctor || true

echo "--- reinstall over an edited config"
sed -i 's/^#room_name = .*/room_name = "Kamer 3"/' /etc/intervisie-kiosk/config.toml
DEBIAN_FRONTEND=noninteractive dpkg -i --force-confold "$deb" >/dev/null
check "edited config kept" grep -qx 'room_name = "Kamer 3"' /etc/intervisie-kiosk/config.toml
check "sessions kept over the upgrade" test -s "$STATE/sessions.key"

echo "--- purge"
files=$(dpkg -L intervisie-kiosk | grep -v -e '^/usr$' -e '^/usr/share$' -e '^/etc$' \
    -e '^/usr/bin$' -e '^/usr/lib$' -e '^/usr/share/doc$' -e '^/usr/lib/systemd$' \
    -e '^/usr/lib/systemd/system$' -e '^/usr/lib/sysusers.d$' -e '^/usr/lib/udev$' \
    -e '^/usr/lib/udev/rules.d$')
DEBIAN_FRONTEND=noninteractive apt-get purge -y intervisie-kiosk
check "package gone" bash -c "! dpkg-query -W -f='\${Status}' intervisie-kiosk 2>/dev/null | grep -q installed"
left=()
for f in $files "$STATE" /etc/intervisie-kiosk \
    /etc/systemd/system/multi-user.target.wants/intervisie-kiosk.service \
    /etc/systemd/system/multi-user.target.wants/intervisie-kiosk-card.service; do
    absent "$f" || left+=("$f")
done
check "no files left (${left[*]:-none})" test ${#left[@]} -eq 0
check "user removed" bash -c "! getent passwd $USER_NAME"
rm -rf "$out"

if [ "$failures" -gt 0 ]; then
    echo "package-test: $failures check(s) failed"
    exit 1
fi
echo "package-test: all checks passed"
