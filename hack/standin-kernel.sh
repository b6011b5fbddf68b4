#!/bin/sh
# Unpacks Debian's current amd64 kernel (linux-image-amd64's dependency) into
# .build-tools/standin-kernel without installing it: `apt-get download` and `dpkg-deb -x` need no
# root and run no package hooks. The ESXi stand-in ISO (hack/esxi-standin.sh) boots it.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
dest="$root/.build-tools/standin-kernel"
[ -d "$dest/boot" ] && exit 0
package=$(apt-cache depends linux-image-amd64 2>/dev/null | awk '/Depends: linux-image-[0-9]/ { print $2; exit }')
[ -n "$package" ] || { echo "standin-kernel: no linux-image package known to apt (run apt-get update)" >&2; exit 1; }
tmp=$(mktemp -d)
chmod 0755 "$tmp"
trap 'rm -rf "$tmp"' EXIT INT TERM
(cd "$tmp" && apt-get download -q "$package" >/dev/null)
mkdir -p "$tmp/x"
dpkg-deb -x "$tmp"/*.deb "$tmp/x"
mkdir -p "$dest.tmp"
mv "$tmp/x/boot" "$tmp/x/lib" "$dest.tmp/"
mv "$dest.tmp" "$dest"
echo "standin-kernel: $package in $dest"
