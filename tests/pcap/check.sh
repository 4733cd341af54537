#!/bin/sh
# check.sh FILE.pcap [EXPECTED_BAD] - do real tools accept a segsim capture?
#
# tshark dissects FILE with IPv4, UDP and TCP checksum verification turned
# on (all three are off by default) and counts the packets it flags:
# malformed (_ws.malformed), with a bad checksum (*.checksum.status == 0,
# "Bad"; 1 is "Good", 2 "Unverified" - see `tshark -G values`), or with any
# other error-level expert item (a damaged TCP data offset below 5 stops
# dissection before the checksum: "Bogus TCP header length").  tcpdump -vv
# reads FILE too (-q for UDP: no payload decoding, for the same reason); it
# must exit 0, and its complaints ("bad cksum" for
# IPv4, "bad udp cksum", "(incorrect -> ...)" for TCP, "bad hdr length")
# are counted, one per packet.  Both counts must equal EXPECTED_BAD
# (default 0): a capture of a run with corruption faults has exactly that
# many damaged packets, each damaged in one transport-segment word.
#
# Prints one TAP line ("ok - ..." or "not ok - ..."), diagnostics as "#"
# lines, and exits 0 or 1.  Without tshark or tcpdump: "ok ... # SKIP".
set -u

file=${1:?usage: check.sh FILE.pcap [EXPECTED_BAD]}
expected=${2:-0}
name="pcap $(basename "$file") with $expected bad"

for tool in tshark tcpdump; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		echo "ok - $name # SKIP $tool not installed"
		exit 0
	fi
done
if [ ! -r "$file" ]; then
	echo "not ok - $name"
	echo "# cannot read $file"
	exit 1
fi

tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# -n: no name resolution; -o: verify checksums, which tshark skips by
# default because NICs offload them; -d: payloads are opaque data.  segsim's
# payload bytes are pseudo-random, and tshark's port-based and heuristic
# application dissectors (RTCP, TAPA, ...) call many of them malformed:
# only IP and the transport layer are under test here.
prefs="-n -o ip.check_checksum:TRUE -o udp.check_checksum:TRUE -o tcp.check_checksum:TRUE
	-d udp.port==1-65535,data -d tcp.port==1-65535,data"
flagged='_ws.malformed || _ws.expert.severity == error || ip.checksum.status == 0
	|| udp.checksum.status == 0 || tcp.checksum.status == 0'
complaint='bad cksum|bad udp cksum|incorrect ->|bad hdr length'

fail=0
# shellcheck disable=SC2086
if ! tshark -r "$file" $prefs -T fields -e frame.number >"$tmp/all" 2>"$tmp/err1"; then
	echo "# tshark failed to read $file:"
	sed 's/^/#   /' "$tmp/err1"
	fail=1
fi
# shellcheck disable=SC2086
if ! tshark -r "$file" $prefs -Y "$flagged" >"$tmp/bad" 2>"$tmp/err2"; then
	echo "# tshark failed on the filter:"
	sed 's/^/#   /' "$tmp/err2"
	fail=1
fi
total=$(wc -l <"$tmp/all" | tr -d ' ')
ts_bad=$(wc -l <"$tmp/bad" | tr -d ' ')
if [ "$total" -eq 0 ]; then
	echo "# tshark found no packets"
	fail=1
fi

# UDP with -q (no payload decoding; it still verifies UDP checksums);
# everything else without it, since -q also skips TCP checksums.
if ! { tcpdump -r "$file" -nn -vv -q udp && tcpdump -r "$file" -nn -vv 'not udp'; } \
	>"$tmp/td" 2>"$tmp/err3"; then
	echo "# tcpdump failed:"
	sed 's/^/#   /' "$tmp/err3"
	fail=1
fi
td_bad=$(grep -c -E "$complaint" "$tmp/td")
td_trunc=$(grep -c -F '[|' "$tmp/td")  # tcpdump's "[|tcp]": cut short
if [ "$td_trunc" -ne 0 ]; then
	echo "# tcpdump found $td_trunc truncated or undecodable packets"
	grep -F '[|' "$tmp/td" | head -5 | sed 's/^/#   /'
fi

echo "# tshark: $total packets, $ts_bad flagged; tcpdump: $td_bad flagged"
if [ "$ts_bad" -ne "$expected" ]; then
	echo "# tshark flagged $ts_bad packets, expected $expected:"
	head -10 "$tmp/bad" | sed 's/^/#   /'
	fail=1
fi
if [ "$td_bad" -ne "$expected" ]; then
	echo "# tcpdump reported $td_bad bad checksums, expected $expected:"
	grep -E "$complaint" "$tmp/td" | head -10 | sed 's/^/#   /'
	fail=1
fi

if [ "$fail" -eq 0 ]; then
	echo "ok - $name"
else
	echo "not ok - $name"
fi
exit "$fail"
