#!/bin/sh
# tests/fuzz/run.sh [SECONDS] - fuzz the scenario loader with libFuzzer.
#
# Builds tests/fuzz/fuzz_scenario.c with clang (-fsanitize=fuzzer,address,
# undefined) from the loader's own sources, seeds a corpus from
# scenarios/*.yaml, tests/bad/*.yaml and tests/fuzz/corpus/, and runs for
# SECONDS (default 20).  Exit status is non-zero on a crash, a sanitizer
# report or a leak; the crashing input is left in build/fuzz/.
# Run from anywhere: paths are relative to the repository root.
set -eu

secs=${1:-20}
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/build/fuzz"
mkdir -p "$out/corpus"

CC=${FUZZ_CC:-clang}
if ! command -v "$CC" >/dev/null 2>&1; then
	echo "fuzz: $CC not found (make deps installs clang)" >&2
	exit 2
fi

# shellcheck disable=SC2046
$CC -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L \
	-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined \
	-I"$root/sim" -I"$root/proto" \
	"$root/tests/fuzz/fuzz_scenario.c" \
	"$root/sim/scenario.c" "$root/sim/scenario_tree.c" "$root/sim/units.c" \
	$(pkg-config --cflags --libs yaml-0.1) -lm \
	-o "$out/fuzz_scenario"

# Seeds are copied, so the fuzzer's new inputs never land in the tree.
for f in "$root"/scenarios/*.yaml "$root"/tests/bad/*.yaml \
	 "$root"/tests/fuzz/corpus/*; do
	if [ -f "$f" ]; then cp "$f" "$out/corpus/"; fi
done

# A dictionary of schema words and YAML punctuation helps the fuzzer reach
# deep checks quickly instead of rediscovering every key by chance.
dict="$out/scenario.dict"
cat > "$dict" <<'DICT'
"name"
"seed"
"duration"
"nodes"
"links"
"flows"
"events"
"trace"
"plots"
"addr"
"proc_delay"
"between"
"bandwidth"
"delay"
"queue"
"loss"
"duplicate"
"reorder"
"corrupt"
"forward"
"reverse"
"type"
"limit"
"min_th"
"max_th"
"max_p"
"wq"
"gentle"
"ecn"
"mode"
"mean_pktsize"
"droptail"
"red"
"packets"
"bytes"
"bernoulli"
"gilbert"
"none"
"p"
"r"
"loss_bad"
"loss_good"
"udp"
"tcp"
"app"
"start"
"stop"
"from"
"to"
"sport"
"dport"
"cbr"
"onoff"
"poisson"
"udp-reqresp"
"rate"
"size"
"size_dist"
"count"
"on"
"off"
"response"
"interval"
"timeout"
"retries"
"fixed"
"exp"
"at"
"link"
"set"
"up"
"pcap"
"snaplen"
"all"
"true"
"false"
"kinds"
"format"
"png"
"svg"
"throughput"
"10Mbps"
"20ms"
"1500B"
"64KiB"
"0.01"
"1%"
"10.0.0.1"
"<<"
"&a"
"*a"
"{"
"}"
"["
"]"
":"
","
"-"
"---"
"!!str"
"x-"
"="
"links.0."
"flows.f1.app."
"\x0a  "
"\x0a- "
DICT
dictarg="-dict=$dict"

cd "$out"
# shellcheck disable=SC2086
./fuzz_scenario -max_total_time="$secs" -max_len=8192 -timeout=10 \
	-rss_limit_mb=2048 -print_final_stats=1 $dictarg \
	-artifact_prefix="$out/" corpus
