#!/bin/sh
# Tools the content tests need besides deps-ova: Debian's cloud-init and debootstrap, and
# a virtual environment kept off PATH (so Debian's ansible stays the one packer runs) with
# pinned pykickstart (ksvalidator), jsonschema, ansible-lint and pexpect; and Keystone + Glance.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
venv="$root/.build-tools/venv"
# Tools the integration tests drive: curl, python3, flock and pkill (util-linux, procps), make,
# openssl, rsvg-convert (librsvg2-bin: the run timeline is rendered by a real SVG renderer), ssh
# and ssh-keygen (openssh-client: the boot test logs in to the guest), grub-mkimage (grub-pc-bin:
# the base disk boots on its own), dpkg-scanpackages (dpkg-dev: the qemu build's loopback apt repository).
missing=""
for tool in curl:curl python3:python3 flock:util-linux pkill:procps make:make openssl:openssl rsvg-convert:librsvg2-bin ssh:openssh-client ssh-keygen:openssh-client grub-mkimage:grub-pc-bin dpkg-scanpackages:dpkg-dev; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || missing="$missing ${tool##*:}"
done
if [ -n "$missing" ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        # shellcheck disable=SC2086
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    else
        echo "test-deps: missing:$missing" >&2
    fi
fi
# Debian's cloud-init (cloud-init schema) and debootstrap (roles run in a Debian root).
if ! command -v cloud-init >/dev/null 2>&1 || [ ! -x /usr/sbin/debootstrap ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq cloud-init debootstrap >/dev/null
    else
        echo "test-deps: cloud-init or debootstrap missing (apt-get install cloud-init debootstrap)" >&2
    fi
fi
if [ ! -x "$venv/bin/ksvalidator" ] || [ ! -x "$venv/bin/ansible-lint" ] || ! "$venv/bin/python" -c "import pexpect" 2>/dev/null; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check \
        pykickstart==3.78 jsonschema==4.26.0 ansible-lint==25.12.2 pexpect==4.9.0
fi
# A real Keystone and Glance for the publish tests (Tests/Fixtures/openstack_cloud.py), in a
# virtual environment of their own: their pins would fight ansible-lint's.
osvenv="$root/.build-tools/openstack-venv"
if [ ! -x "$osvenv/bin/gunicorn" ] || ! "$osvenv/bin/python" -c "import glance, keystone" 2>/dev/null; then
    python3 -m venv "$osvenv"
    "$osvenv/bin/pip" install -q --disable-pip-version-check glance==33.0.0 keystone==30.0.0 gunicorn==27.0.1
fi
# MAAS: Debian's python3-oauthlib checks the test server's OAuth headers; python-libmaas is the
# second, independent client.
if [ ! -d /usr/lib/python3/dist-packages/oauthlib ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-oauthlib >/dev/null
    else
        echo "test-deps: python3-oauthlib missing (apt-get install python3-oauthlib)" >&2
    fi
fi
maasvenv="$root/.build-tools/maas-venv"
if ! "$maasvenv/bin/python" -c "import maas.client" 2>/dev/null; then
    python3 -m venv "$maasvenv"
    "$maasvenv/bin/pip" install -q --disable-pip-version-check python-libmaas==0.6.8
fi
# OpenNebula: pyone (OpenNebula's Python client, the 6.x line of the vCenter driver) is the
# independent client the publish is checked against.
onevenv="$root/.build-tools/one-venv"
if ! "$onevenv/bin/python" -c "import pyone" 2>/dev/null; then
    python3 -m venv "$onevenv"
    "$onevenv/bin/pip" install -q --disable-pip-version-check pyone==6.10.5
fi
# The ESXi installer's stand-in (hack/esxi-standin.sh): isolinux, a static busybox, sfdisk, and Debian's
# kernel unpacked (not installed) into .build-tools/standin-kernel.
if [ ! -f /usr/lib/ISOLINUX/isolinux.bin ] || [ ! -f /usr/lib/syslinux/modules/bios/ldlinux.c32 ] \
    || ! dpkg -s busybox-static >/dev/null 2>&1 || ! command -v sfdisk >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -qq isolinux syslinux-common busybox-static fdisk >/dev/null
    else
        echo "test-deps: isolinux, syslinux-common, busybox-static or fdisk missing" >&2
    fi
fi
sh "$root/hack/standin-kernel.sh"
echo "test-deps: ready ($venv, $osvenv, $maasvenv, $onevenv)"
