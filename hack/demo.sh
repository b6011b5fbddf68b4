#!/bin/sh
# make demo: a vSphere build end to end on the embedded vCenter simulator, then the OVA it made
# verified, deployed back into the simulator and published to a content library.
# Usage: hack/demo.sh IMAGE_BUILDER (the Makefile passes the CLI it built, or IB_BIN).
set -eu
ib=${1:?usage: demo.sh IMAGE_BUILDER}
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
export IB_ROOT="$root"
target=node-ova-vsphere-ubuntu-2404
say() { printf '\n==> demo: %s\n' "$*"; }
demo_start=$(date +%s)

say "tools (Debian packages, installed when missing)"
sh hack/deps-ova.sh

say "the embedded vCenter simulator"
. hack/sim-session.sh
sim_session "$ib"
echo "PACKER_VAR_FILES=$PACKER_VAR_FILES"

say "make build-$target (real packer 1.6.6, simulator profile)"
make --no-print-directory "build-$target" IB_BIN="$ib"

out=$("$ib" plan --json "$target" | sed -n 's/.*"outputDirectory" *: *"\([^"]*\)".*/\1/p' | head -n 1)
ova=$(ls "$out"/*.ova)
say "verify $ova"
"$ib" ova verify "$ova"

say "deploy it back into the simulator (ImportVApp + NFC) and publish it to a content library"
"$ib" vsphere destroy --force demo-node >/dev/null 2>&1 || true
"$ib" vsphere deploy "$ova" demo-node
"$ib" vsphere publish "$ova" --library image-builder-demo --item demo-node
"$ib" vsphere deploy demo-node demo-node-from-library --library image-builder-demo
"$ib" vsphere ls demo-node

say "what was made"
ls -l "$out"
cat <<TEXT

==> demo: what was real and what was simulated
  real:      packer 1.6.6 driving vSphere's API; the orchestrator's vSphere client (session, power,
             template, export streamed into the OVA, ImportVApp + NFC deploy, content library);
             OVF, manifest, tar and checksum; ova verify.
  simulated: vCenter itself (govmomi's simulator on 127.0.0.1); the guest (no installer, no
             ansible: the VM is powered off from outside instead); the disk (a small qemu-img
             streamOptimized stand-in uploaded before export). The OVF annotation says so.
  A real vCenter: PACKER_VAR_FILES=my-vcenter.json make build-$target (see README).
TEXT
printf '\n==> demo: the build, its verification, deploy and publish took %s s\n' "$(( $(date +%s) - demo_start ))"
