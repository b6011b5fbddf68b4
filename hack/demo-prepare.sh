#!/bin/sh
# make demo on a machine without a built CLI: the three slow preparations run side by side —
# the Debian tools (apt) and then the simulator's Go build in the background, the CLI's debug
# build in the foreground (the demo needs no release speed; a debug build compiles much faster,
# and one without debug info faster still)
# — and the time of each is printed. Usage: hack/demo-prepare.sh (from the Makefile).
set -eu
root=$(CDPATH= cd -- "$(dirname -- "$0")/.." && pwd)
cd "$root"
mkdir -p output/logs output/sim
now() { date +%s; }
start=$(now)
(
    t0=$(now)
    sh hack/deps-ova.sh > output/logs/demo-deps.log 2>&1
    t1=$(now)
    # What `image-builder sim start` would build, built now while Swift compiles.
    GOPATH=/usr/share/gocode GO111MODULE=off GOFLAGS=-mod=mod GOCACHE="$root/output/sim/gocache" HOME="$root/output/sim" \
        go build -o output/sim/vcsim.partial ./hack/vcsim > output/logs/demo-vcsim.log 2>&1
    mv output/sim/vcsim.partial output/sim/vcsim
    t2=$(now)
    echo "$((t1 - t0)) $((t2 - t1))" > output/logs/demo-background.times
) &
background=$!
t0=$(now)
sh hack/build-deps.sh
# Its own scratch folder (.build/demo), without debug info or an index: a fifth faster from
# scratch (measured 248 s against 310 s here), and `make test`'s build keeps its own flags.
swift build --product image-builder --scratch-path "$root/.build/demo" --disable-index-store -Xswiftc -gnone \
    > output/logs/demo-swift-build.log 2>&1 || {
    tail -n 30 output/logs/demo-swift-build.log >&2
    kill "$background" 2>/dev/null || true
    exit 1
}
swift_s=$(( $(now) - t0 ))
if ! wait "$background"; then
    echo "demo: the tools or the simulator did not build; see output/logs/demo-deps.log and output/logs/demo-vcsim.log" >&2
    exit 1
fi
read -r deps_s vcsim_s < output/logs/demo-background.times
printf '==> demo: prepared in %s s: debug build of the CLI %s s, beside it the Debian tools %s s and the simulator %s s\n' \
    "$(( $(now) - start ))" "$swift_s" "$deps_s" "$vcsim_s"
