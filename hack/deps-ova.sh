#!/bin/sh
# Installs (as root, with apt-get) or checks the tools the OVA builds need.
set -eu
missing=""
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need packer packer
need qemu-img qemu-utils
need ansible-playbook ansible
need xorriso xorriso
# The MAAS ESXi image: packer's qemu builder and rootless FAT writes.
need qemu-system-x86_64 qemu-system-x86
need mcopy mtools
# The qemu family's Debian node (hack/qemu-local.sh) and the boot test: debootstrap, GRUB's BIOS
# images, a flat apt repository, ssh into the guest.
[ -x /usr/sbin/debootstrap ] || missing="$missing debootstrap"
need grub-mkimage grub-pc-bin
need dpkg-scanpackages dpkg-dev
need ssh-keygen openssh-client
need go golang-go
[ -d /usr/share/gocode/src/github.com/vmware/govmomi ] || missing="$missing golang-github-vmware-govmomi-dev"
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        echo "deps-ova: installing$missing"
        apt-get update -qq
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "deps-ova: missing:$missing (install them with your package manager, or run as root on Debian)" >&2
        exit 3
    fi
fi
echo "deps-ova: packer, qemu-img, qemu-system-x86_64, mtools, ansible-playbook, xorriso, debootstrap, grub-mkimage, dpkg-scanpackages, ssh, go and govmomi's source are present"
# Plugins: only packer >= 1.7 has `packer init` (1.6.6 bundles its builders).
packer=${PACKER_BIN:-packer}
version=$("$packer" version 2>/dev/null | sed -n 's/^Packer v\([0-9][0-9]*\)\.\([0-9][0-9]*\).*/\1 \2/p' | head -n 1)
major=${version%% *}
minor=${version##* }
if [ -n "$version" ] && { [ "$major" -gt 1 ] || [ "$minor" -ge 7 ]; }; then
    root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
    echo "deps-ova: packer $major.$minor: packer init packer/ova/config.pkr.hcl"
    "$packer" init "$root/packer/ova/config.pkr.hcl"
else
    echo "deps-ova: packer ${major:-?}.${minor:-?} bundles its builders; no packer init"
fi
