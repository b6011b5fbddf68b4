#!/bin/sh
# Gives a vSphere VM the cloudinit/ test data, without govc: hack/image-govc-cloudinit.sh VM
# A thin wrapper over `image-builder vsphere cloudinit` (revert to or create snapshot `new`,
# set guestinfo.userdata/metadata, snapshot `cloudinit`).
set -eu
vm=${1:?usage: hack/image-govc-cloudinit.sh VM}
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
ib=${IB_BIN:-$root/.build/release/image-builder}
keys=$(sh "$root/hack/cloudinit-key.sh")
if ! "$ib" vsphere --help >/dev/null 2>&1; then
    echo "image-govc-cloudinit: this image-builder has no vsphere commands yet" >&2
    exit 3
fi
exec "$ib" vsphere cloudinit "$vm" --user-data "$keys/user-data" --meta-data "$keys/meta-data"
