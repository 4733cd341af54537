#!/bin/sh
# tests/golden/run.sh [--update] - golden-trace regression tests.
#
# Each tests/golden/NAME.yaml (often a link to scenarios/NAME.yaml) is run
# with `segsim run -q -o TMP`, plus the arguments in NAME.args if there is
# one (e.g. `--set duration=3s` to keep a golden small); every file
# under tests/golden/NAME/ must match TMP byte for byte (run.log, which holds
# wall-clock figures, and plots/ are not compared), and TMP must hold no file
# the expected directory lacks.  On a difference the first differing lines
# are printed.  --update (make golden) rewrites the expected directories:
# review that diff like code.
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
	bad=""
	for f in $(cd "$exp" 2>/dev/null && find . -type f | sort); do
		if ! cmp -s "$exp/$f" "$out/$f"; then
			bad="$bad $f"
			echo "# $name: $f differs (expected vs actual):"
			diff "$exp/$f" "$out/$f" 2>&1 | head -8 | sed 's/^/#   /'
		fi
	done
	for f in $(cd "$out" && find . -type f | sort); do
		[ -f "$exp/$f" ] || { bad="$bad $f"; echo "# $name: unexpected file $f"; }
	done
	[ -d "$exp" ] || bad=" (no expected directory: run make golden)"
	if [ -z "$bad" ]; then echo "ok $n - $name"; else echo "not ok $n - $name:$bad"; fi
done
echo "1..$n"
