#!/bin/sh
# After the suite: under CI=true a skipped test (or suite) fails the run; elsewhere it is listed.
set -eu
log=${1:?usage: check-skips.sh SWIFT_TEST_LOG}
skipped=$(grep -E '(Test|Suite) .* skipped' "$log" || true)
if [ -z "$skipped" ]; then
    echo "check-skips: no test was skipped"
    exit 0
fi
count=$(printf '%s\n' "$skipped" | wc -l)
printf '%s\n' "$skipped" >&2
if [ "${CI:-}" = true ]; then
    echo "check-skips: $count skipped under CI=true: a skipped test is a failure here" >&2
    exit 1
fi
echo "check-skips: $count skipped (make deps-ova test-deps installs what they need)" >&2
