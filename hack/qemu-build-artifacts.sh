#!/bin/sh
# What a qemu build of the Debian 12 node fetches, made on the host so that the guest needs no
# network beyond loopback forwards (issue 20). The folder is served on 127.0.0.1 and reaches the
# guest through qemu's guestfwd as http://10.0.2.100/:
#   debian/       a flat apt repository (Packages, the .debs): the packages the roles install and
#                 everything they depend on, resolved and downloaded by debootstrap from
#                 Debian's archive (the one host this machine reaches)
#   containerd/   containerd-<version>-linux-amd64.tar.gz, repacked from Debian's containerd
#                 package in the layout of containerd's release tarball (bin/…)
#   runc/         runc.amd64, Debian's runc
#   kubernetes/   <semver>/bin/linux/amd64/{kubeadm,kubelet,kubectl}: STAND-INS (scripts that
#                 say so), as kubernetes_source_type=http fetches them; no Kubernetes binary is
#                 reachable from here
#   VERSIONS      the containerd and runc versions, for the build's var file
# Cached by content (this script's digest). debootstrap needs root.
#
# Usage: hack/qemu-build-artifacts.sh CACHE_DIR [KUBERNETES_SEMVER]  -> prints the folder
set -eu
cache=${1:?usage: qemu-build-artifacts.sh CACHE_DIR [KUBERNETES_SEMVER]}
semver=${2:-v1.36.1}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
# What ansible/roles install on Debian (ansible's apt module: python3-apt; setup: its list;
# providers: open-vm-tools, cloud-init),
# and containerd and runc themselves.
packages=python3-apt,apt-transport-https,ca-certificates,curl,gnupg,conntrack,socat,ebtables,ethtool,open-vm-tools,cloud-init,containerd,runc
digest=$( (cat "$0"; echo "$mirror $semver $packages") | sha256sum | cut -c1-16)
out="$cache/qemu-artifacts-$digest"
if [ -f "$out/VERSIONS" ]; then
    echo "$out"
    exit 0
fi
[ "$(id -u)" = 0 ] || { echo "qemu-build-artifacts: debootstrap needs root" >&2; exit 3; }
for tool in debootstrap dpkg-scanpackages dpkg-deb; do
    command -v "$tool" >/dev/null 2>&1 || [ -x "/usr/sbin/$tool" ] || { echo "qemu-build-artifacts: $tool missing" >&2; exit 3; }
done
work="$out.partial"
rm -rf "$work"
mkdir -p "$work/debian" "$work/containerd" "$work/runc" "$work/kubernetes/$semver/bin/linux/amd64"
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
/usr/sbin/debootstrap --download-only --variant=minbase --include="$packages" bookworm "$work/root" "$mirror" > "$work/debootstrap.log" 2>&1 || {
    tail -n 20 "$work/debootstrap.log" >&2
    exit 1
}
mv "$work/root/var/cache/apt/archives"/*.deb "$work/debian/"
rm -rf "$work/root"
(cd "$work/debian" && dpkg-scanpackages --multiversion . /dev/null 2>/dev/null > Packages)
unpack="$work/unpack"
for name in containerd runc; do
    deb=$(ls "$work/debian/${name}_"*.deb | head -n 1)
    mkdir -p "$unpack/$name"
    dpkg-deb -x "$deb" "$unpack/$name"
    dpkg-deb -f "$deb" Version | sed 's/[~+-].*//' > "$unpack/$name.version"
done
containerd_version=$(cat "$unpack/containerd.version")
runc_version=$(cat "$unpack/runc.version")
mkdir -p "$unpack/tar/bin"
for binary in containerd containerd-shim-runc-v2 ctr; do
    cp "$unpack/containerd/usr/bin/$binary" "$unpack/tar/bin/"
done
tar -C "$unpack/tar" --owner=0 --group=0 -czf "$work/containerd/containerd-$containerd_version-linux-amd64.tar.gz" bin
cp "$unpack/runc/usr/sbin/runc" "$work/runc/runc.amd64"
for binary in kubeadm kubelet kubectl; do
    printf '#!/bin/sh\necho "%s %s: an image-builder test stand-in, not Kubernetes"\n' "$binary" "$semver" \
        > "$work/kubernetes/$semver/bin/linux/amd64/$binary"
done
rm -rf "$unpack"
printf 'containerd_version=%s\nrunc_version=%s\n' "$containerd_version" "$runc_version" > "$work/VERSIONS"
mv "$work" "$out"
trap - EXIT
echo "$out"
