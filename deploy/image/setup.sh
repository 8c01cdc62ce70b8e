#!/bin/sh
# Runs inside the arm64 build VM, chrooted into the new root filesystem, after debootstrap's
# second stage (deploy/image.sh): installs the kiosk's package and makes the system an
# appliance. Prints "stage: FAILED" on the first error, which fails the build.
set -eu
trap 'echo "stage: FAILED (setup.sh, line $LINENO)"' EXIT
export DEBIAN_FRONTEND=noninteractive PATH=/usr/sbin:/usr/bin:/sbin:/bin

# The package, as IT would install it; everything it depends on is already there.
dpkg -i /root/intervisie-kiosk.deb
rm /root/intervisie-kiosk.deb

# The firmware's boot files, kernel and initramfs on the boot partition, written by Debian's
# raspi-firmware hooks. The root is found by its label, so the same card boots on a Pi 4 (where
# it is /dev/mmcblk0p2) and from USB. Boot messages go to the serial port and stay off the
# panel, which belongs to the kiosk.
cat >/etc/default/raspi-firmware <<CONF
ROOTPART="LABEL=rootfs"
CONSOLES="ttyS1,115200"
# No cma= on the command line: the hook would add one for a board it does not see as a Pi 4
# (the build VM), and on a Pi 4 that can stop it booting; its device tree reserves the memory.
CMA=0
CONF
echo "quiet loglevel=3 vt.global_cursor_default=0" >/etc/default/raspi-extra-cmdline
echo "disable_splash=1" >/etc/default/raspi-firmware-custom
update-initramfs -u -k all

# An appliance: no login anywhere (root locked, no other account), no first-boot questions on
# the console, no ssh unless IT puts a key on the card (intervisie-kiosk-ssh.service).
passwd -l root
# Nothing but the kiosk on the panel, even while it restarts: no login prompt on tty1 and no
# other consoles to switch to.
systemctl mask getty@tty1.service
mkdir -p /etc/systemd/logind.conf.d
printf '[Login]\nNAutoVTs=0\nReserveVT=0\n' >/etc/systemd/logind.conf.d/intervisie-kiosk.conf
ln -sf /dev/null /etc/systemd/system/systemd-firstboot.service
systemctl disable ssh.service ssh.socket 2>/dev/null || true
rm -f /etc/ssh/ssh_host_*
printf 'PasswordAuthentication no\nKbdInteractiveAuthentication no\nPermitRootLogin prohibit-password\n' \
    >/etc/ssh/sshd_config.d/intervisie-kiosk.conf
systemctl enable intervisie-kiosk-ssh.service

# The network, for the clock (the Pi has no battery clock; timesyncd also keeps the last time
# across power cuts) and for ssh when IT asks for it. The kiosk itself may not use it
# (IPAddressDeny=any in its unit).
systemctl enable systemd-networkd.service systemd-timesyncd.service
ln -sf /usr/share/zoneinfo/Europe/Amsterdam /etc/localtime
echo Europe/Amsterdam >/etc/timezone
echo LANG=C.UTF-8 >/etc/locale.conf

# Each card its own identity: a new machine-id at its first boot.
: >/etc/machine-id
rm -f /var/lib/dbus/machine-id
apt-get clean
rm -rf /var/lib/apt/lists/* /var/log/*.log /var/log/apt/* /root/.bash_history
trap - EXIT
echo "setup: ok"
