#!/bin/sh
# Prints the target matrix exactly as `image-builder list` does, without building the CLI:
# from images/*.json (the OS catalog, file-name order) and the family list in the awk below.
# Usage: hack/list-targets.sh [--names]   (--names: target names only, one per line)
# The OS files keep one key per line, so `os_display_name` and `ib_families` are read by line.
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
names_only=0
[ "${1:-}" = "--names" ] && names_only=1
cd "$root/images"
# shellcheck disable=SC2046
# Ordered by OS name (byte order), so "ubuntu-2204" comes before "ubuntu-2204-efi".
files=$(ls -- *.json 2>/dev/null | sed 's/\.json$//' | LC_ALL=C sort | sed 's/$/.json/')
[ -n "$files" ] || { echo "hack/list-targets.sh: images/ holds no OS files" >&2; exit 2; }
# shellcheck disable=SC2086
exec awk -v names_only="$names_only" '
function value(line) { sub(/^[^:]*:[ \t]*"/, "", line); sub(/"[ \t]*,?[ \t]*$/, "", line); return line }
FNR == 1 { os = FILENAME; sub(/\.json$/, "", os); order[++n] = os; display[os] = ""; allowed[os] = "" }
/^[ \t]*"os_display_name"[ \t]*:/ { display[os] = value($0) }
/^[ \t]*"ib_families"[ \t]*:/ { allowed[os] = " " value($0) " " }
function emit(t, d,   p) {
    if (names_only) { print t; return }
    p = 48 - length(t); if (p < 1) p = 1
    printf "%s%*s%s\n", t, p, "", d
}
END {
    split("local local-vmx local-base vsphere vsphere-base vsphere-clone qemu", families, " ")
    s["local"] = "OVA built with a local VMware hypervisor"
    s["local-vmx"] = "OVA built from the local-base VM'"'"'s .vmx"
    s["local-base"] = "base VM built with a local VMware hypervisor"
    s["vsphere"] = "OVA and template built on vSphere"
    s["vsphere-base"] = "base VM with a snapshot on vSphere"
    s["vsphere-clone"] = "OVA and template from a linked clone of the vsphere-base VM"
    s["qemu"] = "OVA built with qemu on this host (KVM or software emulation), from the ISO or a base disk"
    split("build validate clean", verbs, " ")
    for (v = 1; v <= 3; v++) for (f = 1; f <= 7; f++) {
        verb = verbs[v]; family = families[f]
        text = verb == "build" ? s[family] : verb == "validate" ? "validate the " family " packer config" : "remove the " family " output and work dirs"
        for (i = 1; i <= n; i++) {
            os = order[i]
            if (allowed[os] != "" && index(allowed[os], " " family " ") == 0) continue
            emit(verb "-node-ova-" family "-" os, display[os] ": " text)
        }
        emit(verb "-node-ova-" family "-all", "every OS: " text)
    }
}' $files
