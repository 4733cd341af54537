#!/bin/sh
# tests/plots/run.sh - the plot commands as a user meets them (TAP): overlays
# of several runs and --flows through `segsim plot`, the SACK blocks of the
# seq plot against tcpdump, and `segsim run --live` / `--realtime`.
#
# The plots' computations are tested in tests/unit/test_plot.c on the
# sample directories here (tcp/, tcp2/); this suite runs the binary.
# Needs gnuplot (make deps); tcpdump for the SACK check.
set -u
BIN=${BIN:-./segsim}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
SEGSIM_PLOTS=${SEGSIM_PLOTS:-$(pwd)/plots}
export SEGSIM_PLOTS
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok()   { n=$((n + 1)); echo "ok $n - $1"; }
nok()  { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

# ---- overlays ---------------------------------------------------------------
# The two-flow sample (NewReno) as run "newreno", and the same scenario
# under Reno as run "reno".
mkdir -p "$tmp/newreno" "$tmp/reno"
cp -R tests/plots/tcp2/. "$tmp/newreno/"
"$BIN" run tests/plots/tcp2/scenario.yaml -q -o "$tmp/reno" \
	--set flows.f1.tcp.cc=reno --set flows.f2.tcp.cc=reno >/dev/null 2>&1
"$BIN" plot "$tmp/newreno" "$tmp/reno" --format svg >"$tmp/out" 2>"$tmp/err"
rc=$?
check "plot DIR DIR2: exit 0, nothing on stderr" '[ $rc -eq 0 ] && [ ! -s "$tmp/err" ]'
check "plot DIR DIR2: says what it wrote" \
	'grep -q "^plots: 8 overlays of 2 runs written to $tmp/newreno/plots/" "$tmp/out"'
files="overlay-cwnd-f1 overlay-cwnd-f2 overlay-rtt-f1 overlay-rtt-f2 overlay-seq-f1 \
overlay-seq-f2 overlay-tcp-throughput overlay-queue-r-b"
check "plot DIR DIR2: the overlay files, into the first's plots/" \
	'for f in $files; do [ -s "$tmp/newreno/plots/$f.svg" ] || exit 1; done'
check "plot DIR DIR2: both runs in every legend" \
	'for f in $files; do grep -q ">reno" "$tmp/newreno/plots/$f.svg" && grep -q ">newreno" "$tmp/newreno/plots/$f.svg" || exit 1; done'
check "plot DIR DIR2: Jain's index of each run in the throughput title" \
	'grep -q "fairness index: newreno 0\.[0-9]*, reno 0\.[0-9]*" "$tmp/newreno/plots/overlay-tcp-throughput.svg"'
check "plot DIR DIR2: no plot of the runs themselves" \
	'[ ! -e "$tmp/newreno/plots/cwnd-f1.svg" ] && [ ! -e "$tmp/reno/plots" ]'

"$BIN" plot "$tmp/newreno" "$tmp/reno" -o "$tmp/cmp" --flows f2 >"$tmp/out" 2>&1
rc=$?
check "-o OUTDIR --flows f2: only f2's overlays (and the queue), there" \
	'[ $rc -eq 0 ] && [ -s "$tmp/cmp/overlay-cwnd-f2.png" ] && [ -s "$tmp/cmp/overlay-queue-r-b.png" ] && [ ! -e "$tmp/cmp/overlay-cwnd-f1.png" ] && [ $(ls "$tmp/cmp"/*.png | wc -l) -eq 5 ]'

"$BIN" plot tests/plots/tcp2 -o "$tmp/one" --flows f1,nosuch >"$tmp/out" 2>"$tmp/err"
rc=$?
check "--flows with an unknown flow: a warning, the others plotted" \
	'[ $rc -eq 0 ] && grep -q "no flow .nosuch." "$tmp/err" && [ -s "$tmp/one/cwnd-f1.png" ] && [ ! -e "$tmp/one/cwnd-f2.png" ] && [ ! -e "$tmp/one/cwnd-all.png" ]'
"$BIN" plot tests/plots/tcp2 --flows , >/dev/null 2>&1
check "--flows with an empty name: exit 2" '[ $? -eq 2 ]'
"$BIN" plot "$tmp/newreno" "$tmp/none" >/dev/null 2>&1
check "plot with a missing directory: exit 1" '[ $? -eq 1 ]'

# ---- SACK blocks against tcpdump -------------------------------------------------
if command -v tcpdump >/dev/null 2>&1; then
	# tcpdump prints SACK edges relative to the ISN, as the plot's data.
	tcpdump -r tests/plots/tcp2/pcap/a1.pcap -nn 2>/dev/null |
		grep "10.0.0.4.5000 > 10.0.0.1" | grep -o "{[0-9]*:[0-9]*}" | tr -d '{}' |
		tr ':' '\t' >"$tmp/sack.tcpdump"
	grep -v '^#' "$tmp/one/.data/seq-f1-sack.dat" 2>/dev/null | cut -f2,3 >"$tmp/sack.ours"
	check "SACK blocks of the seq plot = tcpdump's, block for block" \
		'[ -s "$tmp/sack.tcpdump" ] && cmp -s "$tmp/sack.tcpdump" "$tmp/sack.ours"'
fi

# ---- the live view and pacing ---------------------------------------------------
"$BIN" run tests/plots/live.yaml -q -o "$tmp/plain" >/dev/null 2>&1
(unset DISPLAY; TERM=dumb "$BIN" run tests/plots/live.yaml -o "$tmp/live" --live \
	--realtime 2 >"$tmp/frames" 2>"$tmp/err")
rc=$?
frames=$(tr -cd '\f' <"$tmp/frames" | wc -c)
check "--live without a display: exit 0, nothing on stderr" '[ $rc -eq 0 ] && [ ! -s "$tmp/err" ]'
check "--live into a pipe: several dumb frames (got $frames)" '[ "$frames" -ge 3 ]'
check "--live: the frames are plots of cwnd with their progress" \
	'grep -q "segsim live: simulated 1.000 of 1.000 s" "$tmp/frames" && grep -q "cwnd (KiB)" "$tmp/frames" && grep -q "simulated time (s)" "$tmp/frames"'
check "--live: the run's table after the frames" \
	'tail -n 20 "$tmp/frames" | grep -q "^f1 *tcp"'
check "--live --realtime: outputs byte-identical to a plain run" \
	'diff -r -x run.log "$tmp/plain" "$tmp/live" >/dev/null'
(unset DISPLAY; "$BIN" run tests/plots/live.yaml -q -o "$tmp/vars" \
	--live-vars cwnd,ssthresh,srtt >"$tmp/frames2" 2>&1)
check "--live-vars: the variables asked for, windows in KiB, times in ms" \
	'grep -q "cwnd (KiB)" "$tmp/frames2" && grep -q "ssthresh (KiB)" "$tmp/frames2" && grep -q "srtt (ms)" "$tmp/frames2" && grep -q "time (ms)" "$tmp/frames2"'
"$BIN" run tests/plots/live.yaml -q -o "$tmp/x" --live-vars cwnd,bogus >/dev/null 2>"$tmp/err"
check "--live-vars with an unknown variable: exit 2, the choices named" \
	'[ $? -eq 2 ] && grep -q "srtt" "$tmp/err"'
"$BIN" run tests/plots/live.yaml -q -o "$tmp/x" --realtime -1 >/dev/null 2>&1
check "--realtime -1: exit 2" '[ $? -eq 2 ]'

# 1 s simulated at 10x: 0.1 s of wall clock (run.log's wall_s: the run
# alone, not the process start).  Loose bounds: the pacing only sleeps,
# so below 0.09 s it did not pace; 0.6 s leaves room for a slow machine
# or the sanitizers.
"$BIN" run tests/plots/live.yaml -q -o "$tmp/rt" --realtime 10 >/dev/null 2>&1
wall=$(sed -n 's/^wall_s //p' "$tmp/rt/run.log")
check "--realtime 10 on a 1 s scenario takes about 0.1 s (got $wall s)" \
	'awk -v w="$wall" "BEGIN { exit !(w >= 0.09 && w <= 0.6) }"'
check "--realtime 10: outputs byte-identical to a plain run" \
	'diff -r -x run.log "$tmp/plain" "$tmp/rt" >/dev/null'
