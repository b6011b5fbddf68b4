#!/bin/sh
# Goals P2 and P2b: packaging a 1 GiB streamOptimized VMDK (made once from random data with
# qemu-img) into OVF + .mf + .ova + .ova.sha256, against `cp` of the VMDK and the reference's
# passes (sha256sum of the disk, tar, sha256sum of the OVA). `sync` before every timed run;
# the median of BENCH_RUNS runs (default 3). Also: our peak memory, and the streaming path
# (the disk piped in, written once into the OVA) against "write the VMDK, then package it".
set -eu
ib=${1:?usage: bench-ova.sh IMAGE_BUILDER}
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
dir=${BENCH_OVA_DIR:-$root/output/.bench-ova}
runs=${BENCH_RUNS:-3}
mkdir -p "$dir"
cd "$dir"
export IB_ROOT="$root"

if [ ! -f disk.vmdk ]; then
    echo "bench-ova: making a 1 GiB streamOptimized VMDK from random data (once; about half a minute)"
    head -c 1G /dev/urandom > disk.raw
    qemu-img convert -f raw -O vmdk -o subformat=streamOptimized disk.raw disk.vmdk.partial
    rm -f disk.raw
    mv disk.vmdk.partial disk.vmdk
fi
size=$(stat -c %s disk.vmdk)
cat > packer-manifest.json <<'EOF'
{"builds": [{"name": "vsphere", "builder_type": "vsphere-iso", "files": [{"name": "disk.vmdk", "size": 1}],
  "artifact_id": "ubuntu-2404-kube-v1.36.1", "custom_data": {
  "build_date": "2026-11-21T09:21:28Z", "build_name": "ubuntu-2404", "build_timestamp": "1795252888",
  "containerd_version": "2.3.2", "distro_arch": "amd64", "distro_name": "ubuntu", "distro_version": "24.04",
  "guest_os_type": "ubuntu-64", "ib_version": "bench", "kubernetes_cni_semver": "v1.2.0", "kubernetes_semver": "v1.36.1",
  "kubernetes_source_type": "pkg", "kubernetes_typed_version": "kube-v1.36.1", "os_name": "Ubuntu 24.04",
  "cpu": "4", "cpu_cores": "1", "memory": "8192", "firmware": "bios", "disk_controller_type": "pvscsi",
  "network_card": "vmxnet3", "vmx_version": "15", "disk_size": "20480", "vsphere_guest_os_type": "ubuntu64Guest"}}]}
EOF
ova=ubuntu-2404-kube-v1.36.1.ova

seconds() { # command... → wall seconds of one run, after sync
    sync
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1
    end=$(date +%s%N)
    echo "scale=3; ($end - $start) / 1000000000" | bc
}
median() { # runs command... → median seconds
    n=$1; shift
    i=0; : > times.txt
    while [ "$i" -lt "$n" ]; do seconds "$@" >> times.txt; i=$((i + 1)); done
    sort -n times.txt | awk '{ a[NR] = $1 } END { print a[int((NR + 1) / 2)] }'
}
reference() { # the reference's passes over the same files
    sha256sum disk.vmdk > /dev/null
    tar cf ref.ova ubuntu-2404-kube-v1.36.1.ovf ubuntu-2404-kube-v1.36.1.mf disk.vmdk
    sha256sum ref.ova > /dev/null
}
streamed() { "$ib" ova package . --vmdk - < disk.vmdk; }
written_then_packaged() { cat disk.vmdk > written.vmdk && "$ib" ova package . --vmdk written.vmdk; }

"$ib" ova package . --vmdk disk.vmdk >/dev/null 2>&1 || { echo "bench-ova: $ib ova package failed" >&2; exit 1; }
ours=$(median "$runs" "$ib" ova package . --vmdk disk.vmdk)
at_end=$(median "$runs" "$ib" ova package . --vmdk disk.vmdk --manifest end)
copy=$(median "$runs" cp disk.vmdk copy.vmdk)
ref=$(median "$runs" reference)
stream=$(median "$runs" streamed)
twostep=$(median "$runs" written_then_packaged)
peak="?"; peak_end="?"
if [ -x /usr/bin/time ]; then
    peak=$(/usr/bin/time -f %M "$ib" ova package . --vmdk disk.vmdk 2>&1 >/dev/null | tail -n 1)
    peak_end=$(/usr/bin/time -f %M "$ib" ova package . --vmdk disk.vmdk --manifest end 2>&1 >/dev/null | tail -n 1)
fi
ova_size=$(stat -c %s "$ova")
rm -f copy.vmdk ref.ova written.vmdk times.txt

echo "bench-ova: VMDK $size bytes, OVA $ova_size bytes, median of $runs runs, sync before each"
printf '  %-44s %8s s\n' "image-builder ova package" "$ours" "... --manifest end (one pass)" "$at_end" "cp of the VMDK" "$copy" \
    "reference passes (sha256sum, tar, sha256sum)" "$ref" \
    "streaming (disk piped in, written once)" "$stream" "write the VMDK, then package it" "$twostep"
speedup=$(echo "scale=2; $ref / $ours" | bc)
vs_cp=$(echo "scale=2; $ours / $copy" | bc)
echo "  speed-up over the reference's passes: ${speedup}x (goal P2: >= 1.6)"
end_vs_cp=$(echo "scale=2; $at_end / $copy" | bc)
echo "  against cp: ${vs_cp}x (goal P2: <= 2.5); with the manifest at the end: ${end_vs_cp}x (goal P7: <= 1.1)"
echo "  peak memory: ${peak} KiB, ${peak_end} KiB with the manifest at the end (goal: <= 65536)"
echo "  streaming writes $ova_size bytes (the OVA only); write-then-package writes $((size + ova_size)) (goal P2b: each byte once)"
