#!/bin/sh
# docs/img/render.sh - redraw the README's tutorial images (800x500 png)
# with segsim's own plot scripts; only the canvas size differs from
# `segsim plot`'s 1000x560.  Run from the repository root after `make`:
#     sh docs/img/render.sh
set -eu
cd "$(dirname "$0")/../.."
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cp -r plots "$tmp/plots"
sed -i 's/size 1000,560/size 800,500/' "$tmp/plots/style.gp"
export SEGSIM_PLOTS="$tmp/plots"

./segsim run scenarios/default.yaml -q -o "$tmp/default" --plot
./segsim run scenarios/default.yaml -q -o "$tmp/droptail" --plot \
	--set 'links.r1-r2.queue={type: droptail, limit: 100}'
./segsim run scenarios/tcp-seed004-gbn.yaml -q -o "$tmp/gbn" --plot

cp "$tmp/default/plots/cwnd-tcp1.png" docs/img/default-cwnd-tcp1.png
cp "$tmp/default/plots/queue-r1-r2.png" docs/img/default-queue-red.png
cp "$tmp/droptail/plots/queue-r1-r2.png" docs/img/default-queue-droptail.png
cp "$tmp/gbn/plots/seq-http.server.png" docs/img/seed004-gbn-seq.png
ls -l docs/img/*.png
