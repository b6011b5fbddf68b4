#!/bin/sh
# After the suite (make test): no secret a test handed to a program — nor its base64 — appears in
# anything the suite captured (arguments, output, errors). Usage: hack/scan-captures.sh DIR
set -eu
dir=${1:?usage: scan-captures.sh DIR}
[ -f "$dir/secrets.txt" ] || { echo "scan-captures: no secrets registered (nothing to scan)"; exit 0; }
captures=$(ls "$dir"/captures-*.txt 2>/dev/null || true)
[ -n "$captures" ] || { echo "scan-captures: no captures"; exit 0; }
hits=0
bytes=$(cat $captures | wc -c)
for secret in $(sort -u "$dir/secrets.txt"); do
    [ ${#secret} -ge 6 ] || continue
    encoded=$(printf '%s' "$secret" | base64 -w0)
    for form in "$secret" "$encoded"; do
        # shellcheck disable=SC2086
        if grep -qF -- "$form" $captures; then
            echo "scan-captures: a secret (${#secret} characters) appears in the suite's captures" >&2
            hits=$((hits + 1))
        fi
    done
done
count=$(sort -u "$dir/secrets.txt" | awk 'length($0) >= 6' | wc -l)
echo "scan-captures: $count secrets, $bytes bytes of captured arguments and output: $hits hits"
[ "$hits" -eq 0 ]
