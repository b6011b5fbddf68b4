#!/bin/sh
# Installs (as root, with apt-get) or checks the tools the OVA builds need.
set -eu
missing=""
need() { command -v "$1" >/dev/null 2>&1 || missing="$missing $2"; }
need packer packer
need qemu-img qemu-utils
need ansible-playbook ansible
need xorriso xorriso
if [ -z "$missing" ]; then
    echo "deps-ova: packer, qemu-img, ansible-playbook and xorriso are present"
    exit 0
fi
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "deps-ova: installing$missing"
    apt-get update -qq
    # shellcheck disable=SC2086
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    exit 0
fi
echo "deps-ova: missing:$missing (install them with your package manager, or run as root on Debian)" >&2
exit 3
