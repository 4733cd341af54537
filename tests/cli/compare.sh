#!/bin/sh
# tests/cli/compare.sh - `segsim compare` and `segsim run --expect` (TAP).
#
# One run of tcp-handshake-close is the expected directory; copies of it,
# each with one deliberate change (a cwnd value, a row's time, a missing or
# extra file, a JSON value, a pcap byte, a final newline), must be told
# apart or accepted exactly as the options say.  The changed values are
# read from the trace rather than written here, so the tests do not depend
# on the simulator's current numbers.
set -u
BIN=${BIN:-./segsim}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok()   { n=$((n + 1)); echo "ok $n - $1"; }
nok()  { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; sed 's/^/#   /' "$tmp/out" 2>/dev/null | head -5; fi; }
# cmp_run EXPECTED ACTUAL [options]: compare, stdout+stderr in $tmp/out, status in $rc
cmp_run() { "$BIN" compare "$@" >"$tmp/out" 2>&1; rc=$?; }
# copy NAME: a fresh copy of the expected directory
copy() { rm -rf "$tmp/$1"; cp -r "$tmp/exp" "$tmp/$1"; }

scn=scenarios/tcp-handshake-close.yaml
tr=flows/discard.tsv
"$BIN" run $scn -q -o "$tmp/exp" || { echo "not ok 1 - segsim run failed"; exit 1; }
"$BIN" run $scn -q -o "$tmp/same"
# The fourth data row (line 5) of the client trace: its time and cwnd.
t5=$(awk -F'\t' 'NR == 5 {print $1}' "$tmp/exp/$tr")
c5=$(awk -F'\t' 'NR == 5 {print $2}' "$tmp/exp/$tr")
check "trace has a header naming time and cwnd, and a fifth line" \
	'head -1 "$tmp/exp/$tr" | grep -q "^# time cwnd " && [ -n "$t5" ] && [ "$c5" -gt 0 ]'

# ---- equal -----------------------------------------------------------------
cmp_run "$tmp/exp" "$tmp/same"
check "identical runs: exit 0" '[ $rc -eq 0 ] && grep -q "^compare: 5 files, 0 differ$" "$tmp/out"'
check "run.log (wall-clock figures) is not compared" '! cmp -s "$tmp/exp/run.log" "$tmp/same/run.log"'
mkdir -p "$tmp/same/plots" && echo junk >"$tmp/same/plots/cwnd-discard.png"
cmp_run "$tmp/exp" "$tmp/same"
check "plots/ is not compared" '[ $rc -eq 0 ]'

# ---- a changed cwnd --------------------------------------------------------
copy cw
c5x=$((c5 * 107 / 100))        # +7%
awk -F'\t' -v OFS='\t' -v c="$c5x" 'NR == 5 {$2 = c} {print}' "$tmp/exp/$tr" >"$tmp/cw/$tr"
cmp_run "$tmp/exp" "$tmp/cw"
check "changed cwnd: exit 1" '[ $rc -eq 1 ] && grep -q "^compare: 5 files, 1 differ$" "$tmp/out"'
check "report names file, line, time, column and both values" \
	'grep -q "^$tr:5: time $t5: cwnd: expected $c5, actual $c5x " "$tmp/out"'
check "deviation table: cwnd's largest deviation" \
	'grep -q "^  $tr cwnd: $((c5x - c5)) at line 5, " "$tmp/out"'
cmp_run "$tmp/exp" "$tmp/cw" --tolerance cwnd=10%
check "same change within --tolerance cwnd=10%: exit 0" '[ $rc -eq 0 ]'
cmp_run "$tmp/exp" "$tmp/cw" --tolerance cwnd=5%
check "beyond --tolerance cwnd=5%: exit 1, the rule named" \
	'[ $rc -eq 1 ] && grep -q "beyond --tolerance cwnd=5%" "$tmp/out"'
cmp_run "$tmp/exp" "$tmp/cw" --tolerance "cwnd=$((c5x - c5))"
check "absolute tolerance equal to the difference: exit 0" '[ $rc -eq 0 ]'
cmp_run "$tmp/exp" "$tmp/cw" --tolerance "cwnd=$((c5x - c5 - 1)),*=1e-9"
check "absolute tolerance one below: exit 1" '[ $rc -eq 1 ]'
cmp_run "$tmp/exp" "$tmp/cw" --tolerance "srtt=50%"
check "a rule for another column does not cover cwnd" '[ $rc -eq 1 ]'
cmp_run "$tmp/exp" "$tmp/cw" --columns time,ssthresh,state
check "--columns without cwnd: exit 0" '[ $rc -eq 0 ]'
cmp_run "$tmp/exp" "$tmp/cw" --columns time,cwnd
check "--columns with cwnd: exit 1" '[ $rc -eq 1 ] && grep -q ": cwnd: expected $c5" "$tmp/out"'
copy cw2
awk -F'\t' -v OFS='\t' 'NR == 5 || NR == 6 {$2 = $2 + 1000} {print}' "$tmp/exp/$tr" >"$tmp/cw2/$tr"
cmp_run "$tmp/exp" "$tmp/cw2"
check "two changed rows: the first reported, the second counted" \
	'[ $rc -eq 1 ] && grep -q "^$tr:5: .*\[1 more difference in this file\]$" "$tmp/out"'
copy rows
sed '$d' "$tmp/exp/$tr" >"$tmp/rows/$tr"
cmp_run "$tmp/exp" "$tmp/rows" --tolerance "*=100%" --align 1s
check "a missing row differs whatever the tolerances" \
	'[ $rc -eq 1 ] && grep -q "^$tr:[0-9]*: expected has 1 more line" "$tmp/out"'
cmp_run "$tmp/exp" "$tmp/cw" -q
check "-q: only the difference" '[ $rc -eq 1 ] && [ "$(wc -l <"$tmp/out")" -eq 1 ] && grep -q "^$tr:5:" "$tmp/out"'

# ---- a shifted row and --align ------------------------------------------------
copy al
t5x=$(awk -v t="$t5" 'BEGIN {printf "%.9f", t + 0.0004}')     # 400 us later
awk -F'\t' -v OFS='\t' -v t="$t5x" 'NR == 5 {$1 = t} {print}' "$tmp/exp/$tr" >"$tmp/al/$tr"
cmp_run "$tmp/exp" "$tmp/al"
check "shifted row, no --align: exit 1 naming the time column" \
	'[ $rc -eq 1 ] && grep -q "^$tr:5: time: expected $t5, actual $t5x" "$tmp/out"'
cmp_run "$tmp/exp" "$tmp/al" --align 1ms
check "--align 1ms accepts a row 400 us off" '[ $rc -eq 0 ]'
cmp_run "$tmp/exp" "$tmp/al" --align 400us
check "--align 400us accepts it (window inclusive)" '[ $rc -eq 0 ]'
cmp_run "$tmp/exp" "$tmp/al" --align 100us
check "--align 100us rejects it" '[ $rc -eq 1 ] && grep -q "beyond --align 100us" "$tmp/out"'

# ---- files missing or unexpected ----------------------------------------------
copy mi
rm "$tmp/mi/pcap/bsdi.pcap"
cmp_run "$tmp/exp" "$tmp/mi"
check "missing file: exit 1, named" '[ $rc -eq 1 ] && grep -q "^pcap/bsdi.pcap: missing in actual" "$tmp/out"'
copy ex
echo extra >"$tmp/ex/flows/other.tsv"
cmp_run "$tmp/exp" "$tmp/ex"
check "unexpected file: exit 1, named" \
	'[ $rc -eq 1 ] && grep -q "^flows/other.tsv: not in expected" "$tmp/out"'

# ---- JSON, binary, bytes outside the values -------------------------------------
copy js
ev=$(grep -o '"events": [0-9]*' "$tmp/exp/summary.json" | awk '{print $2}')
sed "s/\"events\": $ev,/\"events\": $((ev + 1)),/" "$tmp/exp/summary.json" >"$tmp/js/summary.json"
cmp_run "$tmp/exp" "$tmp/js"
check "summary.json: key path and both values" \
	'[ $rc -eq 1 ] && grep -q "^summary.json:[0-9]*: events: expected $ev, actual $((ev + 1))" "$tmp/out"'
copy js2
sed 's/"lost": 0, "duplicated"/"lost": 7, "duplicated"/' "$tmp/exp/summary.json" >"$tmp/js2/summary.json"
cmp_run "$tmp/exp" "$tmp/js2"
check "summary.json: a key inside an array of objects" \
	'[ $rc -eq 1 ] && grep -q "^summary.json:[0-9]*: links\[0\].lost: expected 0, actual 7" "$tmp/out"'
copy pc
printf 'Z' | dd of="$tmp/pc/pcap/bsdi.pcap" bs=1 seek=40 conv=notrunc 2>/dev/null
cmp_run "$tmp/exp" "$tmp/pc"
check "pcap: byte offset" '[ $rc -eq 1 ] && grep -q "^pcap/bsdi.pcap: differs at byte 40 " "$tmp/out"'
copy nl
head -c -1 "$tmp/exp/packets.tsv" >"$tmp/nl/packets.tsv"
cmp_run "$tmp/exp" "$tmp/nl"
check "exact by default: a missing final newline differs" '[ $rc -eq 1 ] && grep -q "^packets.tsv:" "$tmp/out"'

# ---- bad input -----------------------------------------------------------------
cmp_run "$tmp/exp" "$tmp/cw" --tolerance cwnd=lots
check "bad tolerance value: exit 2 with message" \
	'[ $rc -eq 2 ] && grep -q "^segsim: error: --tolerance: .*cwnd=lots" "$tmp/out"'
cmp_run "$tmp/exp" "$tmp/cw" --tolerance cwnd
check "tolerance without =: exit 2" '[ $rc -eq 2 ] && grep -q "^segsim: error: --tolerance" "$tmp/out"'
cmp_run "$tmp/exp" "$tmp/cw" --tolerance cwnd=-1
check "negative tolerance: exit 2" '[ $rc -eq 2 ]'
cmp_run "$tmp/exp" "$tmp/cw" --align 1parsec
check "bad --align: exit 2" '[ $rc -eq 2 ] && grep -q "^segsim: error: --align" "$tmp/out"'
cmp_run "$tmp/exp" "$tmp/nowhere"
check "missing directory: exit 2 with message" \
	'[ $rc -eq 2 ] && grep -q "^segsim: error: .*nowhere" "$tmp/out"'
cmp_run "$tmp/exp"
check "one directory only: exit 2" '[ $rc -eq 2 ]'
cmp_run "$tmp/exp" "$tmp/same" --columns time,cwdn
check "a --columns name that matches nothing is warned about" \
	'[ $rc -eq 0 ] && grep -q "warning: --columns: no column named .cwdn." "$tmp/out"'

# ---- the golden runner prints compare's report ---------------------------------
g=$tmp/tree/tests/golden
mkdir -p "$g" && cp tests/golden/run.sh "$g/" && cp $scn "$g/hc.yaml"
BIN="$BIN" sh "$g/run.sh" --update >/dev/null 2>&1
BIN="$BIN" sh "$g/run.sh" >"$tmp/out" 2>&1
check "golden runner: ok on its own update" 'grep -q "^ok 1 - hc$" "$tmp/out"'
awk -F'\t' -v OFS='\t' -v c="$c5x" 'NR == 5 {$2 = c} {print}' "$tmp/exp/$tr" >"$g/hc/$tr"
rm "$g/hc/pcap/bsdi.pcap"
BIN="$BIN" sh "$g/run.sh" >"$tmp/out" 2>&1
check "golden runner: not ok, naming the files; first divergence as a TAP comment" \
	'grep -q "^not ok 1 - hc: $tr pcap/bsdi.pcap$" "$tmp/out" &&
	 grep -q "^# hc: $tr:5: time $t5: cwnd: expected $c5x, actual $c5 " "$tmp/out" &&
	 grep -q "^# hc: pcap/bsdi.pcap: not in expected" "$tmp/out"'

# ---- run --expect --------------------------------------------------------------
"$BIN" run $scn -q -o "$tmp/r1" --expect "$tmp/exp" >"$tmp/out" 2>&1; rc=$?
check "run --expect on a fresh golden: exit 0" '[ $rc -eq 0 ]'
"$BIN" run $scn -o "$tmp/r1" --expect "$tmp/exp" >"$tmp/out" 2>&1; rc=$?
check "run --expect without -q: table, then the compare line" \
	'[ $rc -eq 0 ] && grep -q goodput "$tmp/out" && grep -q "^compare: 5 files, 0 differ$" "$tmp/out"'
"$BIN" run $scn -q -o "$tmp/r2" --expect "$tmp/cw" >"$tmp/out" 2>&1; rc=$?
check "run --expect on a perturbed golden: exit 1, the difference reported" \
	'[ $rc -eq 1 ] && grep -q "^$tr:5: time $t5: cwnd: expected $c5x, actual $c5 " "$tmp/out"'
"$BIN" run $scn -q -o "$tmp/r2" --expect "$tmp/cw" --tolerance cwnd=10% >"$tmp/out" 2>&1; rc=$?
check "run --expect --tolerance: exit 0" '[ $rc -eq 0 ]'
"$BIN" run $scn -q -o "$tmp/r2" --expect "$tmp/cw" --tolerance cwnd=x >"$tmp/out" 2>&1; rc=$?
check "run --expect with a bad tolerance: exit 2" '[ $rc -eq 2 ] && grep -q "segsim: error: --tolerance" "$tmp/out"'
"$BIN" run $scn -q -o "$tmp/r3" --expect "$tmp/nowhere" >"$tmp/out" 2>&1; rc=$?
check "run --expect a missing directory: exit 2 before running" '[ $rc -eq 2 ] && [ ! -d "$tmp/r3" ]'
"$BIN" run $scn -q -o "$tmp/same" --expect "$tmp/same" >"$tmp/out" 2>&1; rc=$?
check "run --expect DIR -o DIR is refused (it would overwrite the golden)" \
	'[ $rc -eq 2 ] && grep -q "is the output directory" "$tmp/out"'
"$BIN" run $scn -q -o "$tmp/r4" --tolerance cwnd=1% >"$tmp/out" 2>&1; rc=$?
check "compare options without --expect: exit 2" '[ $rc -eq 2 ]'
echo "1..$n"
