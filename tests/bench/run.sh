#!/bin/sh
# tests/bench/run.sh - `make bench`: the figures the issues ask for.
#
#  1. hold benchmark of the scheduler with 10^3, 10^4, 10^6 pending events
#  2. UDP dumbbell (scenarios/udp-dumbbell.yaml: 16 CBR flows over a
#     100 Mb/s bottleneck, 60 simulated s): wall time, events per second,
#     bottleneck packets and packets forwarded per wall second, peak memory
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
echo "== TCP memory: 10000 idle established connections"
"$B/tests/bench/tcpmem" 10000
