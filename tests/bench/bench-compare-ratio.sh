#!/bin/sh
# bench-compare-ratio.sh: how many times faster sp_version_compare is than
# microdiff on the same two snapshots (DESIGN.md §10: at least twice). Runs
# bench-compare and bench-compare-microdiff.mjs in turn, PAIRS times (5), so
# that both meet the same load on a shared machine; prints each pair's p50s
# and ratio, then the median ratio. Not part of the suite: it needs Node.js
# and microdiff, installed by hand (see bench-compare-microdiff.mjs).
#
#   MICRODIFF_DIR=/tmp/microdiff-bench tests/bench/bench-compare-ratio.sh [BUILDDIR]
set -eu

builddir=${1:-_build}
pairs=${PAIRS:-5}
here=$(dirname "$0")
dump=$(mktemp -d)
trap 'rm -rf "$dump"' EXIT

# p50 of a row of either bench's output: "name   p50   X ms ...".
p50 () {
  awk -v row="$1" 'index ($0, row) == 1 { for (i = 1; i <= NF; i++) if ($i == "p50") { print $(i + 1); exit } }'
}

SP_BENCH_COMPARE_DUMP=$dump "$builddir/tests/bench/bench-compare" > /dev/null
echo "pair   compare ms   microdiff ms   ratio"
i=1
ratios=
while [ "$i" -le "$pairs" ]; do
  ours=$("$builddir/tests/bench/bench-compare" | p50 "compare, every field a row")
  theirs=$(node "$here/bench-compare-microdiff.mjs" "$dump" | p50 "microdiff ")
  ratio=$(awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "%.2f", a / b }')
  printf '%4d %12s %14s %7s\n' "$i" "$ours" "$theirs" "$ratio"
  ratios="$ratios $ratio"
  i=$((i + 1))
done
echo "$ratios" | tr ' ' '\n' | sed '/^$/d' | sort -n \
  | awk '{ r[NR] = $1 } END { printf "median ratio %.2f (goal: at least 2)\n", r[int ((NR + 1) / 2)] }'
