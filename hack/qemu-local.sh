#!/bin/sh
# The Debian 12 node under the qemu family from Debian's archive alone (issue 20), what
# `make build-node-ova-qemu-debian-12` and `boot-test-node-ova-qemu-debian-12` start from (unless
# QEMU_LOCAL=no): the base disk (hack/debian-base-disk.sh) and the files the build serves its
# guest on loopback (hack/qemu-build-artifacts.sh), both made once and cached by content under
# .build-tools, and a var file naming them, which make puts first in PACKER_VAR_FILES (a user's
# files win). The guest folder holds links to the cached apt repository, containerd and runc, and
# the Kubernetes binaries: KUBERNETES_DIR's kubeadm, kubelet and kubectl when given, else the
# cache's stand-ins (named as such in the OVF annotation: kubernetes_stand_in).
# Making the caches needs root (debootstrap); reusing them does not.
#
# Usage: hack/qemu-local.sh VAR_FILE
set -eu
out=${1:?usage: qemu-local.sh VAR_FILE}
root=$(cd "$(dirname "$0")/.." && pwd)
semver=${KUBERNETES_SEMVER:-$(sed -n 's/.*"kubernetes_semver": *"\([^"]*\)".*/\1/p' "$root/packer/config/kubernetes.json")}
disk=$(sh "$root/hack/debian-base-disk.sh" "$root/.build-tools/base-disk")
artifacts=$(sh "$root/hack/qemu-build-artifacts.sh" "$root/.build-tools/qemu-artifacts" "$semver")
folder=$(dirname "$out")/guest-files
rm -rf "$folder"
mkdir -p "$folder/kubernetes/$semver/bin/linux"
for name in debian containerd runc; do ln -s "$artifacts/$name" "$folder/$name"; done
if [ -n "${KUBERNETES_DIR:-}" ]; then
    mkdir -p "$folder/kubernetes/$semver/bin/linux/amd64"
    for binary in kubeadm kubelet kubectl; do
        [ -f "$KUBERNETES_DIR/$binary" ] || { echo "qemu-local: KUBERNETES_DIR $KUBERNETES_DIR has no $binary" >&2; exit 2; }
        ln -s "$(cd "$KUBERNETES_DIR" && pwd)/$binary" "$folder/kubernetes/$semver/bin/linux/amd64/$binary"
    done
    stand_in=false
else
    ln -s "$artifacts/kubernetes/$semver/bin/linux/amd64" "$folder/kubernetes/$semver/bin/linux/amd64"
    stand_in=true
fi
containerd=$(sed -n 's/^containerd_version=//p' "$artifacts/VERSIONS")
runc=$(sed -n 's/^runc_version=//p' "$artifacts/VERSIONS")
# cpu, memory and disk fit a build host (2048 MiB, 2 CPUs, a 4 GiB disk that cloud-init grows on
# deployment); no zero-filling of free space (enable_disk_packing) under software emulation.
cat > "$out.partial" <<JSON
{
  "base_image_url": "file://$disk/disk.raw",
  "base_image_checksum": "none",
  "qemu_guest_files": "$folder",
  "containerd_version": "$containerd",
  "runc_version": "$runc",
  "kubernetes_semver": "$semver",
  "kubernetes_stand_in": "$stand_in",
  "cpu": "2",
  "memory": "2048",
  "disk_size": "4096",
  "enable_disk_packing": "false"
}
JSON
mv "$out.partial" "$out"
echo "qemu-local: $out (base disk $disk; guest files $folder)" >&2
