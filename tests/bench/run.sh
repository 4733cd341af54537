#!/bin/sh
# tests/bench/run.sh - `make bench`: the figures the issues ask for.
#
#  1. hold benchmark of the scheduler with 10^3, 10^4, 10^6 pending events
#  2. UDP dumbbell (scenarios/udp-dumbbell.yaml: 16 CBR flows over a
#     100 Mb/s bottleneck, 60 simulated s): wall time, events per second,
#     bottleneck packets and packets forwarded per wall second, peak memory
#  3. TCP bulk, one flow (full TCP), data segments per wall second
#  4. the anchors' TCP dumbbell (scenarios/bench-dumbbell.yaml) at N = 1, 16,
#     64: the figures ../shared/anchors prints (goodput, bottleneck packets
#     and drops, wall time, peak RSS, bottleneck packets per wall second);
#     with ns-2 installed (`ns`) and the anchors beside the project, ns-2
#     runs the same right after each, and the ratio is printed.  Then the
#     cost of tracing every flow's cwnd (N = 64).
#  5. memory per idle TCP connection
# BENCH_NS="1 16 64" chooses N; BENCH_REPS=5: segsim's median wall time of
# that many runs (ns-2's of three);
# BENCH_NS3=/path/to/ns3-dumbbell also runs ns-3 beside each (slow).
set -eu
BIN=${BIN:-./segsim}
B=${B:-build/rel}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

echo "== scheduler hold benchmark (10^7 hold operations each)"
for n in 1000 10000 1000000; do "$B/tests/bench/hold" "$n" 10000000; done

echo
echo "== UDP dumbbell: 16 CBR flows, 100 Mb/s bottleneck, 60 simulated s"
"$BIN" run scenarios/udp-dumbbell.yaml -q -o "$tmp/udp"
wall=$(awk '/^wall_s/ {print $2}' "$tmp/udp/run.log")
rss=$(awk '/^peak_rss_kb/ {print $2}' "$tmp/udp/run.log")
eps=$(awk '/^events_per_s/ {print $2}' "$tmp/udp/run.log")
bneck=$(tr -d ' \n' <"$tmp/udp/summary.json" | grep -o '{"name":"r1-r2"[^}]*"tx_packets":[0-9]*' | grep -o '[0-9]*$' | tail -1)
fwd=$(grep -o '"forwarded": [0-9]*' "$tmp/udp/summary.json" | awk '{s += $2} END {print s}')
awk -v w="$wall" -v r="$rss" -v e="$eps" -v b="$bneck" -v f="$fwd" 'BEGIN {
	printf "wall_s=%.3f peak_rss_mb=%.1f events_per_s=%.2fM\n", w, r / 1024, e / 1e6
	printf "bottleneck_pkts=%d bottleneck_pkts_per_wall_s=%.0f\n", b, b / w
	printf "forwarded_pkts=%d forwarded_pkts_per_wall_s=%.0f\n", f, f / w
}'

echo
echo "== TCP bulk: one flow over a 100 Mb/s bottleneck, 60 simulated s (full TCP)"
"$BIN" run scenarios/bench-tcp-bulk.yaml -q -o "$tmp/tcp"
wall=$(awk '/^wall_s/ {print $2}' "$tmp/tcp/run.log")
rss=$(awk '/^peak_rss_kb/ {print $2}' "$tmp/tcp/run.log")
segs=$(grep -o '"segments_sent": [0-9]*' "$tmp/tcp/summary.json" | awk '{print $2}')
gp=$(grep -o '"goodput_bps": [0-9.e+]*' "$tmp/tcp/summary.json" | awk '{print $2}')
awk -v w="$wall" -v r="$rss" -v s="$segs" -v g="$gp" 'BEGIN {
	printf "wall_s=%.3f peak_rss_mb=%.1f goodput_mbps=%.2f\n", w, r / 1024, g / 1e6
	printf "data_segments=%d data_segments_per_wall_s=%.0f\n", s, s / w
}'

echo
echo "== TCP dumbbell (../shared/anchors): N NewReno bulk flows, 100 Mb/s, 60 simulated s"
anchors=$(cd "$(dirname "$0")/../.." && pwd)/../shared/anchors
reps=${BENCH_REPS:-5}
# median of the wall times (and the RSS of that run) of $reps runs: the
# whole process (loading, building, writing the summary), as
# ../shared/anchors times ns-2 and ns-3
dumbbell() {    # dumbbell N [extra --set ...]
	n=$1; shift
	for r in $(seq "$reps"); do
		/usr/bin/env time -f "%e %M" -o "$tmp/seg.time" \
			"$BIN" run scenarios/bench-dumbbell.yaml -q -o "$tmp/db$n" --set vars.n="$n" "$@"
		cat "$tmp/seg.time"
	done | sort -n | awk -v m=$(((reps + 1) / 2)) 'NR == m'
}
for n in ${BENCH_NS:-1 16 64}; do
	set -- $(dumbbell "$n")
	wall=$1 rss=$2
	tr -d ' \n' <"$tmp/db$n/summary.json" >"$tmp/db$n/flat"
	gp=$(grep -o '"goodput_bps":[0-9.e+]*' "$tmp/db$n/flat" | awk -F: '{s += $2} END {printf "%.0f", s}')
	pk=$(grep -o '{"name":"r0-r1","utilization":[^}]*' "$tmp/db$n/flat" | grep -o '"tx_packets":[0-9]*' | cut -d: -f2)
	dr=$(grep -o '{"name":"r0-r1","type":[^}]*' "$tmp/db$n/flat" | grep -o '"dropped":[0-9]*' | cut -d: -f2)
	awk -v n="$n" -v w="$wall" -v r="$rss" -v g="$gp" -v p="$pk" -v d="$dr" 'BEGIN {
		printf "sim=segsim n=%d goodput_mbps=%.3f bneck_pkts=%d bneck_drops=%d wall_s=%.3f peak_rss_mb=%.1f bneck_pkts_per_wall_s=%.0f\n",
			n, g / 1e6, p, d, w, r / 1024, p / w }'
	if command -v ns >/dev/null && [ -f "$anchors/ns2-dumbbell.tcl" ]; then
		# ns-2's median of three too (its line reports its own wall time)
		line=$(for r in 1 2 3; do
			(cd "$anchors" && /usr/bin/env time -f "rss_kb=%M" -o "$tmp/ns2.$r.time" \
				ns ns2-dumbbell.tcl "$n" 60 - 0.001 0 2>/dev/null) | sed "s/\$/ rep=$r/"
		done | awk '{ for (i = 1; i <= NF; i++) if ($i ~ /^wall_s=/) { split($i, w, "="); print w[2], $0 } }' |
			sort -n | sed -n 2p | cut -d' ' -f2-)
		cp "$tmp/ns2.$(echo "$line" | grep -o 'rep=[0-9]' | cut -d= -f2).time" "$tmp/ns2.time" 2>/dev/null || true
		nw=$(echo "$line" | grep -o 'wall_s=[0-9.]*' | cut -d= -f2)
		np=$(echo "$line" | grep -o 'bneck_pkts=[0-9]*' | cut -d= -f2)
		ng=$(echo "$line" | grep -o 'goodput_mbps=[0-9.]*' | cut -d= -f2)
		nd=$(echo "$line" | grep -o 'bneck_drops=[0-9]*' | cut -d= -f2)
		nr=$(grep -o 'rss_kb=[0-9]*' "$tmp/ns2.time" 2>/dev/null | cut -d= -f2)
		[ -n "$nw" ] && awk -v n="$n" -v w="$nw" -v p="$np" -v g="$ng" -v d="$nd" -v r="${nr:-0}" \
			-v sw="$wall" -v sp="$pk" -v sg="$gp" -v sd="$dr" -v sr="$rss" 'BEGIN {
			printf "sim=ns2    n=%d goodput_mbps=%.3f bneck_pkts=%d bneck_drops=%d wall_s=%.3f peak_rss_mb=%.1f bneck_pkts_per_wall_s=%.0f\n",
				n, g, p, d, w, r / 1024, p / w
			printf "  segsim/ns2: speed x%.2f, memory x%.2f, goodput %+.2f%%, drops %+.1f%%\n",
				(sp / sw) / (p / w), sr / (r ? r : 1), 100 * (sg / 1e6 / g - 1), 100 * (sd / (d ? d : 1) - 1) }'
	fi
	# ns-3 takes 15-60 s per run: only when asked, with the anchors'
	# program built (BENCH_NS3=/path/to/ns3-dumbbell, see anchors/README).
	if [ -n "${BENCH_NS3:-}" ] && [ -x "$BENCH_NS3" ]; then
		line=$(/usr/bin/env time -f "rss_kb=%M" -o "$tmp/ns3.time" "$BENCH_NS3" --n="$n" --time=60 --sack=0 2>/dev/null || true)
		nw=$(echo "$line" | grep -o 'wall_s=[0-9.]*' | cut -d= -f2)
		np=$(echo "$line" | grep -o 'bneck_pkts=[0-9]*' | cut -d= -f2)
		ng=$(echo "$line" | grep -o 'goodput_mbps=[0-9.]*' | cut -d= -f2)
		nd=$(echo "$line" | grep -o 'bneck_drops=[0-9]*' | cut -d= -f2)
		nr=$(grep -o 'rss_kb=[0-9]*' "$tmp/ns3.time" 2>/dev/null | cut -d= -f2)
		[ -n "$nw" ] && awk -v n="$n" -v w="$nw" -v p="$np" -v g="$ng" -v d="$nd" -v r="${nr:-0}" \
			-v sw="$wall" -v sp="$pk" -v sr="$rss" 'BEGIN {
			printf "sim=ns3    n=%d goodput_mbps=%.3f bneck_pkts=%d bneck_drops=%d wall_s=%.3f peak_rss_mb=%.1f bneck_pkts_per_wall_s=%.0f\n",
				n, g, p, d, w, r / 1024, p / w
			printf "  segsim/ns3: speed x%.0f, memory x%.2f\n", (sp / sw) / (p / w), sr / (r ? r : 1) }'
	fi
done
if echo " ${BENCH_NS:-1 16 64} " | grep -q " 64 "; then
	base=$(dumbbell 64 | cut -d' ' -f1)
	traced=$(dumbbell 64 --set trace.flows=all | cut -d' ' -f1)
	sz=$(du -sk "$tmp/db64/flows" | cut -f1)
	awk -v b="$base" -v t="$traced" -v s="$sz" 'BEGIN {
		printf "cwnd traces of all 64 flows: wall %.3f s vs %.3f s untraced (x%.2f), %.0f MB of traces\n",
			t, b, t / b, s / 1024 }'
fi

echo
echo "== scale: 1000 concurrent bulk flows (bench-dumbbell, --set vars.n=1000, 60 s)"
"$BIN" run scenarios/bench-dumbbell.yaml -q -o "$tmp/k" --set vars.n=1000
tr -d ' \n' <"$tmp/k/summary.json" >"$tmp/k/flat"
awk -v w="$(awk '/^wall_s/ {print $2}' "$tmp/k/run.log")" \
    -v r="$(awk '/^peak_rss_kb/ {print $2}' "$tmp/k/run.log")" \
    -v g="$(grep -o '"goodput_bps":[0-9.e+]*' "$tmp/k/flat" | awk -F: '{s += $2} END {printf "%.0f", s}')" \
    -v c="$(grep -o '"connections":[0-9]*' "$tmp/k/flat" | awk -F: '$2 > 0 {n++} END {print n + 0}')" 'BEGIN {
	printf "wall_s=%.2f peak_rss_mb=%.1f flows_connected=%d/1000 goodput_mbps=%.2f\n", w, r / 1024, c, g / 1e6 }'

echo
echo "== scale: 100,000 short connections (bench-short-flows: 100 clients x 1000 objects)"
"$BIN" run scenarios/bench-short-flows.yaml -q -o "$tmp/s"
tr -d ' \n' <"$tmp/s/summary.json" >"$tmp/s/flat"
awk -v w="$(awk '/^wall_s/ {print $2}' "$tmp/s/run.log")" \
    -v r="$(awk '/^peak_rss_kb/ {print $2}' "$tmp/s/run.log")" \
    -v c="$(grep -o '"connections":[0-9]*' "$tmp/s/flat" | awk -F: '{s += $2} END {print s}')" \
    -v o="$(grep -o '"objects_completed":[0-9]*' "$tmp/s/flat" | awk -F: '{s += $2} END {print s}')" 'BEGIN {
	printf "wall_s=%.2f peak_rss_mb=%.1f connections=%d objects_completed=%d connections_per_wall_s=%.0f\n",
		w, r / 1024, c, o, c / w }'

echo
echo "== TCP memory: 10000 idle established connections"
"$B/tests/bench/tcpmem" 10000
