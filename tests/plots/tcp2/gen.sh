#!/bin/sh
# gen.sh - regenerate the two-flow TCP sample output directory from scenario.yaml
# with the segsim built at the repository root.  run.log (wall-clock
# figures) is not kept.  Run from this directory: sh gen.sh
set -e
rm -rf flows queues pcap packets.tsv summary.json
../../../segsim run scenario.yaml -o . -q >/dev/null
rm -f run.log
