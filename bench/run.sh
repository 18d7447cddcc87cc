#!/usr/bin/env bash
# Whole-process benchmark: throughput (MB/s) and peak memory of rinse beside `cat` and
# `iconv -f utf-8 -t utf-8` on the same input, in the same run (machines here are noisy, so
# only ratios measured together mean much).
#
#   bench/run.sh [SIZE_MB]          # default 200; inputs are generated under bench/out/
#
# Inputs:
#   damaged.txt   the seed document (fixtures/seed/input.txt) repeated: ASCII punctuation in
#                 Chinese text, a trailing boilerplate block per copy, no final newline
#   clean.txt     its expected output (fixtures/seed/expected-no-glyphs.txt) repeated
#   longline.txt  the clean text with every newline removed: one line of SIZE_MB
set -euo pipefail
cd "$(dirname "$0")/.."
size_mb=${1:-200}
out=bench/out
mkdir -p "$out"

cargo build --release --quiet
rinse=target/release/rinse

make_input() { # SOURCE TARGET
    local source=$1 target=$2
    if [[ ! -f $target || $(stat -c %s "$target") -lt $((size_mb * 1000000)) ]]; then
        python3 - "$source" "$target" "$size_mb" <<'PY'
import sys
source, target, size_mb = sys.argv[1], sys.argv[2], int(sys.argv[3])
block = open(source, "rb").read()
if not block.endswith(b"\n"):
    block += b"\n"
with open(target, "wb") as f:
    written = 0
    while written < size_mb * 1_000_000:
        f.write(block)
        written += len(block)
PY
    fi
}
make_input fixtures/seed/input.txt "$out/damaged.txt"
make_input fixtures/seed/expected-no-glyphs.txt "$out/clean.txt"
if [[ ! -f $out/longline.txt ]]; then tr -d '\n' < "$out/clean.txt" > "$out/longline.txt"; fi

measure() { # NAME INPUT COMMAND...
    local name=$1 input=$2; shift 2
    local bytes; bytes=$(stat -c %s "$input")
    local log; log=$(mktemp)
    /usr/bin/time -v "$@" < "$input" > /dev/null 2> "$log"
    local seconds rss
    seconds=$(awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, t, ":"); s = 0; for (i = 1; i <= n; i++) s = s * 60 + t[i]; print s}' "$log")
    rss=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$log")
    awk -v name="$name" -v input="$(basename "$input")" -v b="$bytes" -v s="$seconds" -v r="$rss" \
        'BEGIN { printf "%-28s %-14s %9.1f MB/s %8.1f MiB peak\n", name, input, b / 1e6 / (s > 0 ? s : 0.001), r / 1024 }'
    rm -f "$log"
}

echo "input size: ${size_mb} MB each; $(nproc) cores"
for input in clean damaged longline; do
    file=$out/$input.txt
    measure "cat" "$file" cat
    measure "iconv -f utf-8 -t utf-8" "$file" iconv -f utf-8 -t utf-8
    measure "rinse" "$file" "$rinse"
done
