#!/bin/sh
# make demo-real: the Debian 12 node built for real on this host with the qemu family (packer's
# qemu builder booting the Debian base disk, the roles over SSH, everything the guest fetches
# served on loopback), its OVA boot-tested under qemu, then imported into the embedded vCenter
# simulator, as into any vCenter. Each stage's time is printed at the end (README: demo-real).
# Usage: hack/demo-real.sh IMAGE_BUILDER (the Makefile passes the CLI it built, or IB_BIN).
set -eu
ib=${1:?usage: demo-real.sh IMAGE_BUILDER}
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
export IB_ROOT="$root"
target=node-ova-qemu-debian-12
say() { printf '\n==> demo-real: %s\n' "$*"; }
now() { date +%s; }
start=$(now)

say "tools (Debian packages, installed when missing)"
sh hack/deps-ova.sh

say "the base disk and the guest's files (made once from Debian's archive, then cached)"
t=$(now)
make --no-print-directory qemu-local-debian-12 IB_BIN="$ib"
prepared=$(( $(now) - t ))

say "make build-$target (packer's qemu builder; the roles over SSH)"
t=$(now)
# What an earlier demo left (packer refuses an existing output folder).
make --no-print-directory "clean-$target" IB_BIN="$ib" >/dev/null
make --no-print-directory "build-$target" IB_BIN="$ib"
built=$(( $(now) - t ))

say "make boot-test-$target (a fresh guest from the OVA's disk, checked over SSH)"
t=$(now)
make --no-print-directory "boot-test-$target" IB_BIN="$ib"
booted=$(( $(now) - t ))

out=$(PACKER_VAR_FILES="output/qemu-local/debian-12.json" "$ib" plan --json "build-$target" \
    | sed -n 's/.*"outputDirectory" *: *"\([^"]*\)".*/\1/p' | head -n 1)
ova=$(ls "$out"/*.ova)
say "import $ova into the embedded vCenter simulator (ImportVApp + NFC)"
t=$(now)
. hack/sim-session.sh
sim_session "$ib"
"$ib" ova verify "$ova"
"$ib" vsphere deploy "$ova" demo-real-node
"$ib" vsphere ls demo-real-node
imported=$(( $(now) - t ))

cat <<TEXT

==> demo-real: what was real
  real:      Debian 12 from Debian's archive (debootstrap); packer 1.6.6's qemu builder; the
             ansible roles, sysprep included, on the booted guest; the OVA; a second boot from it
             checked over SSH (cloud-init, machine-id, containerd, no build user); the import.
  stand-ins: the Kubernetes binaries unless KUBERNETES_DIR named real ones (the OVF annotation
             says which); vCenter is the simulator.
TEXT
printf '\n==> demo-real: base disk and files %s s, build %s s, boot test %s s, import %s s; %s s in all\n' \
    "$prepared" "$built" "$booted" "$imported" "$(( $(now) - start ))"
