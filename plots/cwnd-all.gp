# cwnd-all.gp - the congestion window of every TCP end that sent data, in
# one figure (flows/NAME.tsv of each), to compare flows sharing a path.
#
# One step line per end in its flow colour (style.gp), in KiB.  Where the
# end's own cwnd plot marked congestion events (timeouts, fast
# retransmits, ECN cuts; plot_cwnd_classify() in sim/plot.c), a small disc
# of the same colour marks cwnd when the loss was detected.
#
# Variables (set by segsim plot with -e; see docs/plots.md):
#   n                     number of ends
#   file1 .. fileN        their traces (or reduced copies): time cwnd ...
#   name1 .. nameN        the ends: NAME, NAME.server for a server end
#   evfile1 .. evfileN    (optional) their congestion events: time
#                         cwnd_before cwnd ssthresh class
#   outfile fmt           output file and format (style.gp)

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("outfile")) outfile = 'cwnd-all.' . (exists("fmt") ? fmt : 'png')
load plotdir . '/style.gp'

flowfile(i) = value(sprintf('file%d', i))
flowname(i) = value(sprintf('name%d', i))
hasev(i) = exists(sprintf('evfile%d', i))
evfile(i) = value(sprintf('evfile%d', i))

set title sprintf('cwnd of every TCP flow (%d)', n)
set xlabel 'time (s)'
set ylabel 'cwnd (KiB)'
set xrange [0 : *]
set autoscale xfixmax     # end at the data, not at the next tic
set yrange [0 : *]
set offsets 0, 0, graph 0.05, 0

kib(b) = b / 1024.0

any_ev = 0
do for [i = 1:n] { if (hasev(i)) { any_ev = 1 } }
cmd = "plot for [i = 1:n] flowfile(i) using 1:(kib($2)) with steps ls i title flowname(i)"
do for [i = 1:n] {
	if (hasev(i)) {
		cmd = cmd . sprintf(", evfile(%d) using 1:(kib($2)) with points pt 7 ps 0.7 lc rgb flowcolor(%d) notitle", i, i)
	}
}
if (any_ev) {
	cmd = cmd . ", NaN with points pt 7 ps 0.7 lc rgb '#555555' title 'congestion event'"
}
eval cmd
