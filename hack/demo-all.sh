#!/bin/sh
# make demo-all: every OS of the catalog (Windows too) built in parallel on the embedded simulator
# (make -j4 build-node-ova-vsphere-all), then the base -> linked clone flow for one OS in
# separate make calls. Usage: hack/demo-all.sh IMAGE_BUILDER
set -eu
ib=${1:?usage: demo-all.sh IMAGE_BUILDER}
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
export IB_ROOT="$root"
sh hack/deps-ova.sh
. hack/sim-session.sh
sim_session "$ib"
# The Windows builds need an administrator password; on the simulator the guest is left out, so
# a random one serves unless the user gave theirs.
if [ -z "${WINDOWS_ADMIN_PASSWORD:-}" ]; then
    WINDOWS_ADMIN_PASSWORD="Demo-$(od -An -N8 -tx1 /dev/urandom | tr -d ' \n')-W1n"
    export WINDOWS_ADMIN_PASSWORD
fi
printf '\n==> demo-all: make -j4 build-node-ova-vsphere-all\n'
# The OVAs are the product: each build VM is destroyed after its export (destroy=true), so the
# clone below can take the VM name the ubuntu-2404 build used.
make --no-print-directory -j4 build-node-ova-vsphere-all IB_BIN="$ib" PACKER_FLAGS="-var destroy=true"
printf '\n==> demo-all: base, then a linked clone of it, in separate make calls\n'
make --no-print-directory build-node-ova-vsphere-base-ubuntu-2404 IB_BIN="$ib"
make --no-print-directory build-node-ova-vsphere-clone-ubuntu-2404 IB_BIN="$ib"
"$ib" vsphere ls
