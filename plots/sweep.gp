# sweep.gp - one metric of a parameter sweep against one parameter: the
# mean over the seeds with its 95% confidence interval as an error bar, one
# line per combination of the other parameters.
#
# segsim sweep writes the table (sweep.c, write_plot()):
#   datafile  DIR/sweep-plot.tsv, one block per line (blocks separated by
#             two blank lines, so `index i - 1` is line i), one row per
#             value of the x parameter: x position, mean, ci95 half-width
#             (0 with a single run), n, the value as written.  Lines are
#             shifted sideways by 1.5% of the x range (of one category, or
#             of the decades on a log axis) from each other so that their
#             error bars stay apart.
# Variables: datafile, n (lines), title1 .. titleN, nx (x values), xnumeric
# (1: x positions are the values; 0: the values are categories at 0 ..
# nx - 1), xlog (1: positive values growing geometrically, drawn on a log
# axis), xticsdef (a gnuplot tic list: each value at its position; used for
# categories and on a log axis), xlabel, ylabel, name
# (the scenario), nseeds, outfile, fmt, plotdir.

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("outfile")) outfile = 'sweep.' . (exists("fmt") ? fmt : 'png')
load plotdir . '/style.gp'

linetitle(i) = value(sprintf('title%d', i))

set title sprintf('%s: mean and 95%% confidence interval over %d seed%s', name, \
	nseeds, nseeds == 1 ? '' : 's')
set xlabel xlabel
set ylabel ylabel
# Large values (bit rates, bytes) with SI prefixes: 6M, not 6e+06.
stats datafile using 2 nooutput
if (STATS_max >= 1e4 || STATS_min <= -1e4) { set format y '%.1s%c' }
if (xnumeric) {
	if (xlog) {
		set logscale x
		eval('set xtics ' . xticsdef)
	}
	set autoscale xfix
	set offsets graph 0.04, graph 0.04, graph 0.06, graph 0.06
} else {
	eval('set xtics ' . xticsdef)
	set xrange [-0.5 : nx - 0.5]
	set offsets 0, 0, graph 0.06, graph 0.06
}
set bars small

plot for [i = 1:n] datafile index (i - 1) using 1:2:3 with yerrorlines ls i lw 1.5 \
	pt 7 ps 0.8 title linetitle(i)
