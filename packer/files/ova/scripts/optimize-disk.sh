#!/bin/sh
# Zero-fills the free space of / and /boot so the exported disk compresses well, then removes
# the fill files. Skipped unless ENABLE_DISK_PACKING is true.
set -eu
case "${ENABLE_DISK_PACKING:-true}" in *true*) ;; *) echo "optimize-disk: skipped"; exit 0 ;; esac
for mount in / /boot; do
    [ -d "$mount" ] || continue
    fill="$mount/.image-builder-zero"
    dd if=/dev/zero of="$fill" bs=1M 2>/dev/null || true
    sync
    rm -f "$fill"
done
sync
echo "optimize-disk: free space zeroed"
