#!/bin/sh
# tests/run.sh - run every test suite and print one closing line
# "N passed, N failed".  Called by `make test` with BIN (the segsim binary)
# and B (the build directory holding the test binaries).
#
# Each suite speaks TAP ("ok ..." / "not ok ..."); cmocka suites are asked
# for TAP through CMOCKA_MESSAGE_OUTPUT.  A suite that crashes or exits
# non-zero without reporting a failure counts as one failure.
set -u
BIN=${BIN:-./segsim}
B=${B:-build/rel}
export BIN B
export CMOCKA_MESSAGE_OUTPUT=TAP
export SEGSIM_PLOTS="$(pwd)/plots"
pass=0
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

suite() {       # suite NAME COMMAND...
	name=$1; shift
	"$@" >"$log" 2>&1
	rc=$?
	p=$(grep -c '^ok ' "$log")
	f=$(grep -c '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		f=1
		echo "not ok $name exited with status $rc" >>"$log"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	if [ "$f" -gt 0 ]; then
		echo "FAIL $name: $p passed, $f failed"
		grep -v '^ok ' "$log" | head -40 | sed 's/^/    /'
	else
		echo "ok   $name: $p passed"
	fi
}

for t in "$B"/tests/unit/test_* "$B"/tests/validate/test_*; do
	[ -x "$t" ] || continue
	suite "$(basename "$t")" "$t"
done
[ -f tests/bad/run.sh ] && suite bad-scenarios sh tests/bad/run.sh
[ -f tests/cli/run.sh ] && suite cli sh tests/cli/run.sh
[ -f tests/cli/compare.sh ] && suite cli-compare sh tests/cli/compare.sh
[ -f tests/sweep/run.sh ] && suite sweep sh tests/sweep/run.sh
[ -f tests/plots/run.sh ] && suite plots sh tests/plots/run.sh
[ -f tests/golden/run.sh ] && suite golden sh tests/golden/run.sh
if [ -f tests/fuzz/run.sh ] && [ "${SEGSIM_NO_FUZZ:-0}" != 1 ]; then
	secs=${SEGSIM_FUZZ_SECONDS:-20}
	suite fuzz-scenario sh -c "sh tests/fuzz/run.sh $secs && echo 'ok - loader fuzzed $secs s, no crash'"
fi

echo
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
