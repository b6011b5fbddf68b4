#!/bin/sh
# Fails when a Swift file under the given folders has more than LIMIT lines.
set -eu
limit=$1
shift
over=$(find "$@" -name '*.swift' -exec wc -l {} + | awk -v limit="$limit" '$2 != "total" && $1 > limit { print "  " $2 ": " $1 " lines" }')
if [ -n "$over" ]; then
    echo "check-file-sizes: over $limit lines (split by concern, Type+Concern.swift):" >&2
    echo "$over" >&2
    exit 1
fi
echo "check-file-sizes: every Swift file has at most $limit lines"
