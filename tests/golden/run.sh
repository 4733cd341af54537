#!/bin/sh
# tests/golden/run.sh [--update] - golden-trace regression tests.
#
# Each tests/golden/NAME.yaml (often a link to scenarios/NAME.yaml) is run
# with `segsim run -q -o TMP`, plus the arguments in NAME.args if there is
# one (e.g. `--set duration=3s` to keep a golden small); every file
# under tests/golden/NAME/ must match TMP byte for byte (run.log, which holds
# wall-clock figures, and plots/ are not compared), and TMP must hold no file
# the expected directory lacks.  The comparison is `segsim compare` (exact);
# on a difference its report - the first divergence of each file: line,
# time, column and both values - is printed as TAP comments.  --update
# (make golden) rewrites the expected directories: review that diff like code.
set -u
BIN=${BIN:-./segsim}
update=0
[ "${1:-}" = --update ] && update=1
cd "$(dirname "$0")/../.." || exit 1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
for y in tests/golden/*.yaml; do
	[ -f "$y" ] || continue
	name=$(basename "$y" .yaml)
	exp=tests/golden/$name
	out=$tmp/$name
	n=$((n + 1))
	args=""
	[ -f "tests/golden/$name.args" ] && args=$(cat "tests/golden/$name.args")
	# shellcheck disable=SC2086
	if ! "$BIN" run "$y" -q -o "$out" $args >"$tmp/$name.stdout" 2>&1; then
		echo "not ok $n - $name: segsim run failed"
		sed 's/^/#   /' "$tmp/$name.stdout" | head -10
		continue
	fi
	rm -f "$out/run.log"
	if [ $update = 1 ]; then
		rm -rf "$exp"
		cp -r "$out" "$exp"
		echo "ok $n - $name (updated)"
		continue
	fi
	if [ ! -d "$exp" ]; then
		echo "not ok $n - $name: no expected directory (run make golden)"
		continue
	fi
	# segsim compare (exact): every file on either side must match byte for
	# byte; it prints one line per differing file with its first divergence
	# and names the files missing or unexpected.
	"$BIN" compare "$exp" "$out" -q >"$tmp/$name.cmp" 2>&1
	rc=$?
	if [ $rc -eq 0 ]; then
		echo "ok $n - $name"
		continue
	fi
	sed "s|^|# $name: |" "$tmp/$name.cmp" | head -20
	if [ $rc -eq 1 ]; then
		bad=$(sed 's/:.*//' "$tmp/$name.cmp" | sort -u | tr '\n' ' ')
		echo "not ok $n - $name: ${bad% }"
	else
		echo "not ok $n - $name: segsim compare failed (status $rc)"
	fi
done
echo "1..$n"
