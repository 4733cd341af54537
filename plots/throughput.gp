# throughput.gp - throughput over time of every UDP flow (received) or every
# TCP end (bytes acknowledged), plus the aggregate.
#
# segsim plot bins the traces itself (exact integer-nanosecond bin edges,
# see plot_bin_add() in sim/plot.c) and writes one table:
#   tpfile   columns: bin start (s), flow 1 .. flow n (Mb/s), aggregate (Mb/s);
#            a last row at the end of the run (summary.json's duration_s, else
#            the last datagram or trace row) closes the steps.  A last bin cut
#            short by the end of the run is divided by its real length.
# Variables: tpfile, n, name1 .. nameN, binw (bin width, s), outfile, fmt;
#   what      'UDP' (default: udp/NAME.tsv, bytes received) or 'TCP'
#             (flows/NAME.tsv, bytes acknowledged: the growth of snd_una)
#   jain, jain_from, jain_to   (TCP, two ends or more) Jain's fairness index
#             of the ends' mean throughputs over [jain_from, jain_to] (s)

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("outfile")) outfile = 'throughput.' . (exists("fmt") ? fmt : 'png')
load plotdir . '/style.gp'

flowname(i) = value(sprintf('name%d', i))
if (!exists("what")) what = 'UDP'
binlabel = binw >= 1 ? sprintf('%g s', binw) : binw >= 1e-3 ? sprintf('%g ms', binw * 1e3) \
	: sprintf('%g us', binw * 1e6)

if (what eq 'TCP') {
	ttl = sprintf('TCP throughput: bytes acknowledged per %s bin', binlabel)
	if (exists("jain")) {
		ttl = ttl . sprintf("\nJain's fairness index %.4f (mean throughputs over %.2f–%.2f s)", \
			jain, jain_from, jain_to)
	}
} else {
	ttl = sprintf('UDP throughput at the receivers (%s bins)', binlabel)
}
set title ttl
set xlabel 'time (s)'
set ylabel 'throughput (Mb/s)'
set xrange [0 : *]
set autoscale xfixmax     # end at the data, not at the next tic
set yrange [0 : *]
set offsets 0, 0, graph 0.05, 0

# Each bin's value is held over the bin: 'steps' draws y(i) from x(i) to
# x(i+1), which is why the table starts every row at its bin's left edge.
if (n > 1) {
	# The aggregate first, underneath: while one flow is alone the two
	# coincide and the flow's colour stays visible.
	plot tpfile using 1:(column(n + 2)) with steps ls 27 title 'aggregate', \
		for [i = 1:n] tpfile using 1:(column(i + 1)) with steps ls i title flowname(i)
} else {
	plot tpfile using 1:2 with steps ls 1 title flowname(1)
}
