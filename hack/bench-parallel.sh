#!/bin/sh
# Goal P3: 8 builds with -j8 take at most 1.15 × the time of one, and the orchestrator's own
# CPU stays at or under 2 % of the wall time. Real packer, with the test template (null builders
# whose one step sleeps BENCH_SLEEP seconds) in a scratch copy of the repo.
set -eu
ib=${1:?usage: bench-parallel.sh IMAGE_BUILDER}
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
sleep_s=${BENCH_SLEEP:-10}
scratch=$(mktemp -d "${TMPDIR:-/tmp}/ib-bench.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
cp -r "$root/images" "$root/packer" "$root/hack" "$scratch/"
cp "$root/Tests/Fixtures/test-template.json" "$scratch/packer/ova/packer-node.json"
: > "$scratch/rhel.iso"
printf '{"test_sleep": "%s", "test_events": "%s/events", "iso_url": "file://%s/rhel.iso"}\n' "$sleep_s" "$scratch" "$scratch" > "$scratch/bench.json"
export IB_ROOT="$scratch" PACKER_VAR_FILES="$scratch/bench.json"
command -v packer >/dev/null 2>&1 || { echo "bench-parallel: packer not found (make deps-ova)" >&2; exit 3; }

now() { date +%s.%N; }
t0=$(now); "$ib" build build-node-ova-local-base-ubuntu-2404 --report "$scratch/one.json" >/dev/null 2>&1; t1=$(now)
one=$(echo "$t1 - $t0" | bc)
t0=$(now); "$ib" build build-node-ova-local-base-all -j 8 --report "$scratch/eight.json" >/dev/null 2>&1; t1=$(now)
eight=$(echo "$t1 - $t0" | bc)
builds=$(grep -c '"target"' "$scratch/eight.json")
ok=$(grep -c '"result" : "succeeded"' "$scratch/eight.json" || true)
cpu=$(sed -n 's/.*"orchestratorCPUSeconds" : \([0-9.e-]*\).*/\1/p' "$scratch/eight.json")
ratio=$(echo "scale=3; $eight / $one" | bc)
share=$(echo "scale=2; 100 * $cpu / $eight" | bc)
v1=meets; [ "$(echo "$ratio <= 1.15" | bc)" = 1 ] || v1=MISSES
v2=meets; [ "$(echo "$share <= 2" | bc)" = 1 ] || v2=MISSES
printf 'bench-parallel: one build %.2f s; %s builds with -j8 %.2f s (%s succeeded)\n' "$one" "$builds" "$eight" "$ok"
printf 'bench-parallel: wall ratio %s (goal <= 1.15: %s); orchestrator CPU %.3f s = %s %% of wall (goal <= 2 %%: %s)\n' \
    "$ratio" "$v1" "$cpu" "$share" "$v2"
