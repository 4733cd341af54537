#!/bin/sh
# tests/sweep/run.sh - `segsim sweep` end to end (TAP).
#
# tiny.yaml: 2 queue limits x 2 congestion controls x 3 seeds = 12 runs of
# a few milliseconds each.  Checked: the grid (row count, order, columns),
# -j 1 and -j 2 byte-identical, reruns skipping finished runs (by the
# report and by the runs' unchanged summary.json) and redoing those whose
# parameters changed, a failing run reported with its status while the
# others are kept, the confidence intervals against a computation by hand
# (awk, Student's t from the tables), map values passed through --set,
# usage errors, the plot, and - when mpirun is installed - the MPI build
# (MPI_BIN, built by `make test`) under mpirun -np 2 writing the same
# tables as the local run.
set -u
BIN=${BIN:-./segsim}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
MPI_BIN=${MPI_BIN:-build/rel-mpi/segsim}
dir=$(cd "$(dirname "$0")" && pwd)
tiny="$dir/tiny.yaml"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok()   { n=$((n + 1)); echo "ok $n - $1"; }
nok()  { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }
rows() { grep -vc '^#' "$1"; }
# summary.json modification times of every run, one per line
mtimes() { for f in "$1"/runs/*/summary.json; do stat -c '%n %y' "$f"; done; }

# ---- the grid ----------------------------------------------------------------
"$BIN" sweep "$tiny" -o "$tmp/j2" -j 2 >"$tmp/out2" 2>"$tmp/err2"; rc=$?
check "sweep exits 0" '[ $rc -eq 0 ] || { cat "$tmp/err2"; false; }'
check "grid: 2 x 2 points x 3 seeds = 12 rows, 12 run directories" \
	'[ "$(rows "$tmp/j2/sweep.tsv")" -eq 12 ] && [ "$(ls "$tmp/j2/runs" | wc -l)" -eq 12 ]'
check "grid: 4 points in sweep-summary.tsv" '[ "$(rows "$tmp/j2/sweep-summary.tsv")" -eq 4 ]'
check "sweep.tsv header names the columns" \
	'head -1 "$tmp/j2/sweep.tsv" | grep -qx "# run links.r1-r2.queue.limit flows.f1.tcp.cc seed status flows.f1.goodput_bps queues.r1-r2.dropped flows.f1.final_state"'
check "grid order: first param slowest, seed fastest" \
	'[ "$(cut -f1-5 "$tmp/j2/sweep.tsv" | sed -n "2p;4p;5p;13p" | tr "\t\n" ",;")" = "0000,5,reno,1,ok;0002,5,reno,3,ok;0003,5,newreno,1,ok;0011,20,newreno,3,ok;" ]'
check "every run ok, metrics filled" \
	'[ "$(grep -v "^#" "$tmp/j2/sweep.tsv" | awk -F"\t" "\$5 == \"ok\" && \$6 > 0 && \$8 == \"ESTABLISHED\"" | wc -l)" -eq 12 ]'
check "seeds give different results" \
	'[ "$(grep -v "^#" "$tmp/j2/sweep.tsv" | cut -f6 | sort -u | wc -l)" -eq 12 ]'
check "each run directory has summary.json, its marker and log" \
	'for d in "$tmp"/j2/runs/*; do [ -f "$d/summary.json" ] && [ -f "$d/sweep-run.txt" ] && [ -f "$d/sweep.log" ] || exit 1; done'
check "run 0004 was given its parameters and seed" \
	'grep -qx "set flows.f1.tcp.cc=newreno" "$tmp/j2/runs/0004/sweep-run.txt" && grep -q "\"seed\": 2," "$tmp/j2/runs/0004/summary.json"'
check "report on stdout" 'grep -q "^sweep: 12 runs (4 points x 3 seeds): 12 run, 0 already done, 0 failed" "$tmp/out2"'

# ---- determinism -------------------------------------------------------------
"$BIN" sweep "$tiny" -o "$tmp/j1" -j 1 -q 2>"$tmp/err1"
check "-j 1 and -j 2: sweep.tsv byte-identical" 'cmp -s "$tmp/j1/sweep.tsv" "$tmp/j2/sweep.tsv"'
check "-j 1 and -j 2: sweep-summary.tsv byte-identical" \
	'cmp -s "$tmp/j1/sweep-summary.tsv" "$tmp/j2/sweep-summary.tsv"'

# ---- reruns ------------------------------------------------------------------
cp "$tmp/j2/sweep.tsv" "$tmp/first.tsv"
mtimes "$tmp/j2" >"$tmp/m1"
sleep 0.02
"$BIN" sweep "$tiny" -o "$tmp/j2" -j 2 >"$tmp/out3" 2>&1; rc=$?
mtimes "$tmp/j2" >"$tmp/m2"
check "rerun: all 12 runs skipped" '[ $rc -eq 0 ] && grep -q ": 0 run, 12 already done, 0 failed" "$tmp/out3"'
check "rerun: no summary.json rewritten (mtimes unchanged)" 'cmp -s "$tmp/m1" "$tmp/m2"'
check "rerun: sweep.tsv byte-identical" 'cmp -s "$tmp/first.tsv" "$tmp/j2/sweep.tsv"'
rm "$tmp/j2/runs/0005/summary.json"
"$BIN" sweep "$tiny" -o "$tmp/j2" -j 2 >"$tmp/out4" 2>&1
check "rerun: a run without summary.json is run again, alone" \
	'grep -q ": 1 run, 11 already done, 0 failed" "$tmp/out4" && cmp -s "$tmp/first.tsv" "$tmp/j2/sweep.tsv"'
"$BIN" sweep "$tiny" -o "$tmp/j2" -j 2 --set duration=1s >"$tmp/out5" 2>&1
check "rerun with other parameters (--set duration=1s): everything run again" \
	'grep -q ": 12 run, 0 already done, 0 failed" "$tmp/out5" && grep -q "\"duration_s\": 1," "$tmp/j2/runs/0000/summary.json"'

# ---- a failing run -----------------------------------------------------------
sed 's/flows.f1.tcp.cc: \[reno, newreno\]/flows.f1.tcp.cc: [reno, bogus]/' "$tiny" >"$tmp/bad.yaml"
"$BIN" sweep "$tmp/bad.yaml" -o "$tmp/bad" -j 2 >"$tmp/outb" 2>"$tmp/errb"; rc=$?
check "failing runs: exit status 1" '[ $rc -eq 1 ]'
check "failing runs: reported on stderr with parameters, status and the loader's message" \
	'grep -q "run 0003 (links.r1-r2.queue.limit=5, flows.f1.tcp.cc=bogus, seed 1) failed, exit status 2: .*bogus" "$tmp/errb" && [ "$(grep -c "failed, exit status 2" "$tmp/errb")" -eq 6 ]'
check "failing runs: status column, '-' metrics; the others kept" \
	'[ "$(grep -v "^#" "$tmp/bad/sweep.tsv" | awk -F"\t" "\$3 == \"bogus\" && \$5 == \"failed\" && \$6 == \"-\"" | wc -l)" -eq 6 ] && [ "$(grep -v "^#" "$tmp/bad/sweep.tsv" | awk -F"\t" "\$3 == \"reno\" && \$5 == \"ok\"" | wc -l)" -eq 6 ]'
check "failing runs: the ok runs equal those of the full sweep" \
	'[ "$(grep -P "\treno\t" "$tmp/bad/sweep.tsv")" = "$(grep -P "\treno\t" "$tmp/j1/sweep.tsv")" ]'
check "failing runs: summary n = 0 and '-' for their points" \
	'awk -F"\t" "\$2 == \"bogus\" && !(\$3 == 0 && \$4 == \"-\" && \$5 == \"-\") {bad = 1} END {exit bad}" "$tmp/bad/sweep-summary.tsv" && grep -qP "^5\tbogus\t0\t-\t-" "$tmp/bad/sweep-summary.tsv"'
"$BIN" sweep "$tmp/bad.yaml" -o "$tmp/bad" -j 2 >"$tmp/outb2" 2>&1; rc=$?
check "failing runs: a rerun skips the ok runs and retries the failed" \
	'[ $rc -eq 1 ] && grep -q ": 6 run, 6 already done, 6 failed" "$tmp/outb2"'

# ---- confidence intervals by hand ----------------------------------------------
# t(0.975, 2) = 4.302653 (Student's t tables); mean and sample sd by awk.
check "sweep-summary.tsv: mean and 95% CI of goodput agree with a hand computation" '
	grep -v "^#" "$tmp/j1/sweep.tsv" | awk -F"\t" "
		{ k = \$2 \"\t\" \$3; n[k]++; s[k] += \$6; q[k] += \$6 * \$6; order[++m] = k }
		END { for (i = 1; i <= m; i++) { k = order[i]; if (done[k]++) continue
			mean = s[k] / n[k]; sd = sqrt((q[k] - n[k] * mean * mean) / (n[k] - 1))
			printf \"%s\t%d\t%.6g\t%.6g\n\", k, n[k], mean, 4.302653 * sd / sqrt(n[k]) } }
	" >"$tmp/hand"
	grep -v "^#" "$tmp/j1/sweep-summary.tsv" | awk -F"\t" "{printf \"%s\t%s\t%d\t%.6g\t%.6g\n\", \$1, \$2, \$3, \$4, \$5}" >"$tmp/tool"
	[ "$(wc -l <"$tmp/hand")" -eq 4 ] && paste "$tmp/hand" "$tmp/tool" | awk -F"\t" "
		\$1 != \$6 || \$2 != \$7 || \$3 != \$8 { exit 1 }
		{ if (\$4 - \$9 > 1e-6 * \$4 || \$9 - \$4 > 1e-6 * \$4) exit 1
		  if (\$5 - \$10 > 1e-5 * \$5 || \$10 - \$5 > 1e-5 * \$5) exit 1 }"'
cat >"$tmp/seeds.yaml" <<'Y'
nodes: [a, b]
links: [{between: [a, b], bandwidth: 10Mbps}]
flows: [{name: u, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps}}]
duration: 100ms
sweep: {seeds: [1, 2, 3, 4, 5], metrics: [seed, duration_s]}
Y
"$BIN" sweep "$tmp/seeds.yaml" -o "$tmp/seeds" -q 2>/dev/null
# seeds 1..5: mean 3, s = sqrt(2.5), t(0.975, 4) = 2.776445: 1.963243
check "metric 'seed' over seeds 1..5: n 5, mean 3, ci95 1.963243; a constant has ci95 0" \
	'grep -v "^#" "$tmp/seeds/sweep-summary.tsv" | awk -F"\t" "{ exit !(\$1 == 5 && \$2 == 3 && \$3 > 1.9632425 && \$3 < 1.9632435 && \$4 == 5 && \$5 == 0.1 && \$6 == 0) }"'

# ---- values that are maps, --metrics -----------------------------------------------
cat >"$tmp/map.yaml" <<'Y'
nodes: [a, b]
links: [{between: [a, b], bandwidth: 10Mbps}]
flows: [{name: u, udp: {from: a, to: b}, app: {type: cbr, rate: 12Mbps}}]
duration: 200ms
sweep:
  params:
    links.a-b.queue: [{type: droptail, limit: 5}, {type: red, limit: 50, min_th: 3, max_th: 9}]
Y
"$BIN" sweep "$tmp/map.yaml" -o "$tmp/map" -q --metrics queues.a-b.type,queues.a-b.dropped 2>"$tmp/errm"; rc=$?
check "map values pass through --set in flow style; --metrics replaces the list" \
	'[ $rc -eq 0 ] && head -1 "$tmp/map/sweep.tsv" | grep -qx "# run links.a-b.queue seed status queues.a-b.type queues.a-b.dropped" && grep -qP "^0000\t\{type: droptail, limit: 5\}\t1\tok\tdroptail\t" "$tmp/map/sweep.tsv" && grep -qP "^0001\t.*\tok\tred\t" "$tmp/map/sweep.tsv"'
"$BIN" sweep "$tmp/map.yaml" -o "$tmp/map2" -q --metrics queues.a-b.nope 2>"$tmp/errm"; rc=$?
check "a metric found in no summary.json: warned, '-', exit 1" \
	'[ $rc -eq 1 ] && grep -q "metric .queues.a-b.nope. is not a value" "$tmp/errm" && grep -qP "\tok\t-$" "$tmp/map2/sweep.tsv"'

# ---- usage -------------------------------------------------------------------
"$BIN" sweep >/dev/null 2>&1; check "sweep without a file: exit 2" '[ $? -eq 2 ]'
"$BIN" sweep "$tiny" -j 0 >/dev/null 2>&1; check "-j 0: exit 2" '[ $? -eq 2 ]'
"$BIN" sweep "$tiny" --metrics "a b" >/dev/null 2>&1; check "bad --metrics: exit 2" '[ $? -eq 2 ]'
"$BIN" sweep "$tiny" -o "$tmp/x" --set sweep.seeds=0 2>"$tmp/err" >/dev/null; rc=$?
check "bad sweep section: exit 2, error named, nothing run" \
	'[ $rc -eq 2 ] && grep -q "error: seeds 0 is out of range" "$tmp/err" && [ ! -d "$tmp/x" ]'
check "run and check ignore the sweep section" \
	'"$BIN" check "$tiny" >/dev/null && "$BIN" run "$tiny" -q -o "$tmp/plain" && [ ! -d "$tmp/plain/runs" ]'
check "--help shows sweep" '"$BIN" --help | grep -q "segsim sweep FILE.yaml"'

# ---- the plot ----------------------------------------------------------------
if command -v gnuplot >/dev/null 2>&1; then
	check "sweep.png written, with its data table (2 lines x 2 x values)" \
		'head -c 4 "$tmp/j1/sweep.png" | grep -q PNG && [ "$(grep -cP "^[0-9.e+-]+\t" "$tmp/j1/sweep-plot.tsv")" -eq 4 ]'
fi

# ---- MPI ---------------------------------------------------------------------
if ! command -v mpirun >/dev/null 2>&1; then
	n=$((n + 1)); echo "ok $n # SKIP mpirun not installed (make deps MPI=1 installs Open MPI)"
elif [ ! -x "$MPI_BIN" ]; then
	nok "MPI build $MPI_BIN missing (make test builds it when mpicc is installed: apt-get install libopenmpi-dev)"
else
	# Containers often forbid the cross-memory attach of Open MPI's
	# shared-memory transport; copying through the buffer works anywhere.
	export OMPI_MCA_btl_vader_single_copy_mechanism=none
	timeout 300 mpirun --allow-run-as-root --oversubscribe -np 2 "$MPI_BIN" sweep "$tiny" \
		-o "$tmp/mpi" -j 1 >"$tmp/outm" 2>"$tmp/errmpi"; rc=$?
	check "mpirun -np 2: exit 0, both ranks ran" \
		'[ $rc -eq 0 ] && grep -q "12 run, 0 already done, 0 failed; .* on each of 2 processes" "$tmp/outm" || { cat "$tmp/outm" "$tmp/errmpi"; false; }'
	check "mpirun -np 2: sweep.tsv and sweep-summary.tsv identical to the local run" \
		'cmp -s "$tmp/mpi/sweep.tsv" "$tmp/j1/sweep.tsv" && cmp -s "$tmp/mpi/sweep-summary.tsv" "$tmp/j1/sweep-summary.tsv"'
fi
echo "1..$n"
