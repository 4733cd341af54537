#!/bin/sh
# tests/bad/run.sh - every tests/bad/*.yaml must be refused with the right
# error at the right place.
#
# Each file's first line says what is expected:
#   # expect: LINE:COL: error: SUBSTRING
# and `$BIN check FILE` must exit with status 2 and print, on stderr,
# "FILE:LINE:COL: error:" followed by a message containing SUBSTRING.
# Output is TAP: a plan line "1..N", then "ok NAME" or "not ok NAME: got ...".
# Exit status: 0 when every case passed, 1 otherwise.
#
# Usage: BIN=./segsim sh tests/bad/run.sh
set -u

BIN=${BIN:-./segsim}
dir=$(dirname "$0")
tmp=${TMPDIR:-/tmp}/segsim-bad.$$
trap 'rm -f "$tmp"' EXIT INT TERM

n=0
for f in "$dir"/*.yaml; do
	[ -f "$f" ] && n=$((n + 1))
done
echo "1..$n"

failed=0
for f in "$dir"/*.yaml; do
	[ -f "$f" ] || continue
	name=$(basename "$f" .yaml)
	expect=$(head -n 1 "$f" | sed -n 's/^# expect: //p')
	if [ -z "$expect" ]; then
		echo "not ok $name: first line is not '# expect: LINE:COL: error: SUBSTRING'"
		failed=$((failed + 1))
		continue
	fi
	pos=${expect%%: error: *}               # LINE:COL
	sub=${expect#*: error: }                # the message substring
	"$BIN" check "$f" >/dev/null 2>"$tmp"
	status=$?
	got=$(head -n 1 "$tmp")
	if [ "$status" -ne 2 ]; then
		echo "not ok $name: got exit status $status, want 2 (stderr: $got)"
		failed=$((failed + 1))
	elif ! grep -qF -- "$f:$pos: error:" "$tmp"; then
		echo "not ok $name: got '$got', want '$f:$pos: error: ...'"
		failed=$((failed + 1))
	elif ! grep -qF -- "$sub" "$tmp"; then
		echo "not ok $name: got '$got', want a message containing '$sub'"
		failed=$((failed + 1))
	else
		echo "ok $name"
	fi
done
[ "$failed" -eq 0 ]
