#!/bin/sh
# After the suite (make test): no secret a test handed to a program — nor its base64 — appears in
# anything the suite captured (arguments, output, errors), nor in any file under the output/ of
# the repository copies the tests built in. Stores of secrets by design are left out: the
# simulator's own var file (output/sim/) and a base's stored SSH password (ssh-secret, 0600).
# Usage: hack/scan-captures.sh DIR
set -eu
dir=${1:?usage: scan-captures.sh DIR}
[ -f "$dir/secrets.txt" ] || { echo "scan-captures: no secrets registered (nothing to scan)"; exit 0; }
captures=$(ls "$dir"/captures-*.txt 2>/dev/null || true)
[ -n "$captures" ] || { echo "scan-captures: no captures"; exit 0; }
patterns="$dir/patterns.txt"
: > "$patterns"
for secret in $(sort -u "$dir/secrets.txt"); do
    [ ${#secret} -ge 6 ] || continue
    printf '%s\n' "$secret" >> "$patterns"
    printf '%s' "$secret" | base64 -w0 >> "$patterns"
    echo >> "$patterns"
done
hits=0
bytes=$(cat $captures | wc -c)
# shellcheck disable=SC2086
if grep -qF -f "$patterns" $captures; then
    echo "scan-captures: a secret appears in the suite's captures" >&2
    hits=$((hits + 1))
fi
files=0
if [ -f "$dir/roots.txt" ]; then
    for root in $(sort -u "$dir/roots.txt"); do
        [ -d "$root/output" ] || continue
        files=$((files + $(find "$root/output" -type f | wc -l)))
        found=$(grep -rlF -f "$patterns" --exclude=ssh-secret --exclude-dir=sim "$root/output" 2>/dev/null || true)
        if [ -n "$found" ]; then
            echo "scan-captures: a secret is on disk: $found" >&2
            hits=$((hits + 1))
        fi
    done
fi
count=$(sort -u "$dir/secrets.txt" | awk 'length($0) >= 6' | wc -l)
echo "scan-captures: $count secrets, $bytes bytes of captured arguments and output, $files files under output/: $hits hits"
[ "$hits" -eq 0 ]
