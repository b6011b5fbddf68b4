#!/bin/sh
# Goal P1: wall time (process start included) and peak memory of `image-builder plan --json`
# for build-node-ova-vsphere-all (goal: <= 12 ms) and for every family's -all at once
# (goal: <= 25 ms). Uses hyperfine when present (apt-get install hyperfine), else a loop.
set -eu
ib=${1:?usage: bench-plan.sh IMAGE_BUILDER}
runs=${BENCH_RUNS:-200}
vsphere="plan build-node-ova-vsphere-all --json"
every="plan --json"
for f in local local-vmx local-base vsphere vsphere-base vsphere-clone; do every="$every build-node-ova-$f-all"; done
# Plans need the vSphere settings to be absent or present: both are measured the same way.
export PACKER_BIN="${PACKER_BIN:-/bin/true}"

"$ib" $vsphere >/dev/null || { echo "bench-plan: $ib $vsphere failed" >&2; exit 1; }
echo "bench-plan: $("$ib" $every | grep -c '"target"') targets in every family; binary $ib"

peak_kib() { # command...
    if [ -x /usr/bin/time ]; then /usr/bin/time -f %M "$@" 2>&1 >/dev/null | tail -n 1; else echo "?"; fi
}
ms_loop() { # runs command... → mean milliseconds
    n=$1; shift
    start=$(date +%s%N)
    i=0
    while [ "$i" -lt "$n" ]; do "$@" >/dev/null; i=$((i + 1)); done
    end=$(date +%s%N)
    echo "scale=2; ($end - $start) / $n / 1000000" | bc
}

for case in vsphere every; do
    eval "args=\$$case"
    goal=12; [ "$case" = every ] && goal=25
    if command -v hyperfine >/dev/null 2>&1; then
        # shellcheck disable=SC2086
        mean=$(hyperfine -N --warmup 10 --runs "$runs" --export-json /dev/stdout "$ib $args" 2>/dev/null |
            awk -F: '/"mean"/ { gsub(/[ ,]/, "", $2); printf "%.2f", $2 * 1000; exit }')
    else
        # shellcheck disable=SC2086
        mean=$(ms_loop "$runs" "$ib" $args)
    fi
    # shellcheck disable=SC2086
    peak=$(peak_kib "$ib" $args)
    ok=$(echo "$mean <= $goal" | bc)
    verdict="meets"; [ "$ok" = 1 ] || verdict="MISSES"
    printf 'bench-plan: %-7s mean %6s ms (goal <= %s ms: %s), peak RSS %s KiB, %s runs\n' "$case" "$mean" "$goal" "$verdict" "$peak" "$runs"
done
