#!/bin/sh
# tests/cli/run.sh - the command line as a user meets it (TAP).
#
# Exit codes and messages of the CLI contract, determinism (same seed ->
# byte-identical outputs, different seed -> different), --set and --seed,
# the output directory layout, pcap files checked by tshark and tcpdump,
# and --plot writing real images.
set -u
BIN=${BIN:-./segsim}
BIN=$(cd "$(dirname "$BIN")" && pwd)/$(basename "$BIN")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
n=0
ok()   { n=$((n + 1)); echo "ok $n - $1"; }
nok()  { n=$((n + 1)); echo "not ok $n - $1"; }
check() { if eval "$2"; then ok "$1"; else nok "$1"; fi; }

# ---- contract: help, version, usage errors -------------------------------
check "--help exits 0 and shows run" '"$BIN" --help 2>&1 | grep -q "segsim run FILE.yaml"'
check "--version" '"$BIN" --version | grep -q "^segsim [0-9]"'
for c in run check plot compare sweep; do
	check "$c --help: exit 0, its own section only" \
		'"$BIN" $c --help >"$tmp/h" 2>&1 && grep -q "^  $c " "$tmp/h" && [ $(grep -o "^  [a-z][a-z]* [A-Z]" "$tmp/h" | cut -d" " -f3 | sort -u | wc -l) -eq 1 ]'
done
"$BIN" >/dev/null 2>&1; check "no arguments: exit 2" '[ $? -eq 2 ]'
"$BIN" frobnicate >/dev/null 2>&1; check "unknown command: exit 2" '[ $? -eq 2 ]'
"$BIN" run >/dev/null 2>&1; check "run without file: exit 2" '[ $? -eq 2 ]'
"$BIN" run scenarios/default.yaml --bogus >/dev/null 2>&1; check "unknown option: exit 2" '[ $? -eq 2 ]'
"$BIN" run "$tmp/none.yaml" 2>"$tmp/err" >/dev/null; rc=$?
check "missing file: exit 2 with the file named" '[ $rc -eq 2 ] && grep -q "none.yaml" "$tmp/err"'
"$BIN" run scenarios/default.yaml --seed x >/dev/null 2>&1; check "bad --seed: exit 2" '[ $? -eq 2 ]'
"$BIN" plot "$tmp" --format gif >/dev/null 2>&1; check "plot bad format: exit 2" '[ $? -eq 2 ]'

# ---- every shipped scenario validates -------------------------------------
for f in scenarios/*.yaml; do
	check "check $f" '"$BIN" check "$f" >/dev/null'
done

# ---- determinism -----------------------------------------------------------
cat >"$tmp/det.yaml" <<'Y'
name: det
duration: 3s
nodes: [a, r, b]
links:
  - {between: [a, r], bandwidth: 100Mbps, delay: 1ms}
  - {between: [r, b], bandwidth: 5Mbps, delay: 10ms, queue: {type: red, limit: 50, min_th: 5, max_th: 15},
     loss: 0.01, duplicate: 0.01, reorder: {p: 0.02, delay: 3ms}, corrupt: 0.01}
flows:
  - {name: p, udp: {from: a, to: b}, app: {type: poisson, rate: 4Mbps, size: 800B, size_dist: exp}}
  - {name: o, udp: {from: a, to: b}, app: {type: onoff, rate: 3Mbps, size: 500B, on: 300ms, off: 200ms}}
trace: {packets: true, flows: all, queues: all, pcap: [b]}
Y
"$BIN" run "$tmp/det.yaml" -q -o "$tmp/d1" && "$BIN" run "$tmp/det.yaml" -q -o "$tmp/d2" &&
	"$BIN" run "$tmp/det.yaml" -q -o "$tmp/d3" --seed 2
rm -f "$tmp"/d?/run.log
check "same seed: byte-identical outputs" 'diff -r "$tmp/d1" "$tmp/d2" >/dev/null'
check "different seed: different outputs" '! cmp -s "$tmp/d1/packets.tsv" "$tmp/d3/packets.tsv"'
check "output layout" '[ -f "$tmp/d1/summary.json" ] && [ -f "$tmp/d1/packets.tsv" ] && [ -f "$tmp/d1/udp/p.tsv" ] && [ -f "$tmp/d1/queues/r-b.tsv" ] && [ -f "$tmp/d1/pcap/b.pcap" ]'
check "trace headers" 'head -1 "$tmp/d1/packets.tsv" | grep -q "^# time event node link flow seq ack len flags$" && head -1 "$tmp/d1/queues/r-b.tsv" | grep -q "^# time len_pkts len_bytes avg_pkts$"'
check "summary has the contract keys" 'for k in scenario seed duration_s events flows name proto bytes_sent bytes_delivered goodput_bps retransmits timeouts fast_retransmits final_state integrity queues enqueued dropped marked avg_len_pkts links utilization; do grep -q "\"$k\"" "$tmp/d1/summary.json" || exit 1; done'
check "seed recorded in summary" 'grep -q "\"seed\": 2," "$tmp/d3/summary.json"'

# ---- corruption is caught by the receiver and by tshark --------------------
bad_rx=$(grep -o '"udp_bad_checksum": [0-9]*' "$tmp/d1/summary.json" | awk '{s += $2} END {print s + 0}')
check "corrupted datagrams discarded and counted ($bad_rx)" '[ "$bad_rx" -gt 0 ]'
if command -v tshark >/dev/null 2>&1 && [ -f tests/pcap/check.sh ]; then
	check "pcap: tshark and tcpdump find exactly the corrupted datagrams bad" \
		'sh tests/pcap/check.sh "$tmp/d1/pcap/b.pcap" "$bad_rx" >"$tmp/pc" 2>&1 || { cat "$tmp/pc"; false; }'
fi

# ---- TCP captures: tshark agrees with the summary ---------------------------
"$BIN" run scenarios/tcp-lossy-integrity.yaml -q -o "$tmp/tl" --set 'trace.pcap=[snd,rcv]' --set duration=10s
rtx=$(grep -o '"retransmits": [0-9]*' "$tmp/tl/summary.json" | awk '{print $2}')
bad=$(grep -o '"tcp_bad_checksum": [0-9]*' "$tmp/tl/summary.json" | awk '{s += $2} END {print s + 0}')
check "tcp integrity ok through loss, reordering, duplication, corruption" 'grep -q "\"integrity\": \"ok\"" "$tmp/tl/summary.json"'
if command -v tshark >/dev/null 2>&1 && [ -f tests/pcap/check.sh ]; then
	ts=$(tshark -r "$tmp/tl/pcap/snd.pcap" -d tcp.port==1-65535,data \
		-Y 'tcp.analysis.retransmission || tcp.analysis.fast_retransmission' 2>/dev/null | wc -l)
	check "tshark counts the summary's $rtx retransmissions (got $ts)" '[ "$ts" -eq "$rtx" ] && [ "$rtx" -gt 0 ]'
	check "tcp pcap at the sender: well-formed, checksums good" 'sh tests/pcap/check.sh "$tmp/tl/pcap/snd.pcap" 0 >"$tmp/pc" 2>&1 || { cat "$tmp/pc"; false; }'
	check "tcp pcap at the receiver: exactly the $bad corrupted segments bad" 'sh tests/pcap/check.sh "$tmp/tl/pcap/rcv.pcap" "$bad" >"$tmp/pc" 2>&1 || { cat "$tmp/pc"; false; }'
fi
"$BIN" run scenarios/tcp-handshake-close.yaml -q -o "$tmp/hc"
if command -v tcpdump >/dev/null 2>&1; then
	tcpdump -r "$tmp/hc/pcap/bsdi.pcap" -nn 2>/dev/null | awk '{print $6, $7}' | tr -d ',' >"$tmp/hc.flags"
	check "handshake and close read like seed 002 fig. 18.1 (S, S., P., F., ., F., .)" \
		'[ "$(cat "$tmp/hc.flags" | awk "{print \$2}" | tr "\n" " ")" = "[S] [S.] [P.] [F.] [.] [F.] [.] " ]'
fi

# ---- --set, -o, default output dir -----------------------------------------
"$BIN" run "$tmp/det.yaml" -q -o "$tmp/s1" --set duration=1s --set flows.p.app.rate=1Mbps
check "--set changes duration" 'grep -q "\"duration_s\": 1," "$tmp/s1/summary.json"'
"$BIN" run "$tmp/det.yaml" -q --set nope=1 2>"$tmp/err" >/dev/null; rc=$?
check "--set unknown key: exit 2 with a message" '[ $rc -eq 2 ] && grep -q "error" "$tmp/err"'
(cd "$tmp" && "$BIN" run det.yaml -q --set duration=100ms >/dev/null 2>&1)
check "default output dir out/<name>/" '[ -f "$tmp/out/det/summary.json" ]'
"$BIN" run "$tmp/det.yaml" -o "$tmp/t1" --set duration=100ms >"$tmp/stdout" 2>&1
check "table on stdout" 'grep -q "goodput" "$tmp/stdout"'
check "run.log written" 'grep -q "wall_s" "$tmp/t1/run.log"'

# ---- plots -----------------------------------------------------------------
if command -v gnuplot >/dev/null 2>&1; then
	"$BIN" run scenarios/default.yaml -q -o "$tmp/p" --set duration=8s --plot >"$tmp/pl" 2>&1
	check "--plot writes PNGs" 'for f in queue-r1-r2 throughput delay; do head -c 4 "$tmp/p/plots/$f.png" | grep -q PNG || exit 1; done'
	"$BIN" plot "$tmp/p" --format svg >/dev/null 2>&1
	check "segsim plot --format svg" 'grep -q "<svg" "$tmp/p/plots/throughput.svg"'
fi
echo "1..$n"
