# overlay.gp - one quantity over time from several runs (output
# directories) in one figure: cwnd, srtt, queue length or throughput of
# the same flow or link in each run (segsim plot DIR1 DIR2 ...).
#
# One step line per series: each value holds until the file's next row,
# as in the single-run plots.  A run keeps its colour in every overlay
# figure (its number in the command line, style.gp's flowcolor()); where a
# run has several flows, their lines differ by dash type.
#
# Variables (set by segsim plot with -e; see docs/plots.md):
#   n                 number of series
#   file1 .. fileN    a trace or table per series (time in column 1)
#   col1 .. colN      its y column
#   label1 .. labelN  key entries: the run's label (its directory), with
#                     the flow's name when a run has several
#   lc1 .. lcN        colour: the run's number, 1-based
#   dt1 .. dtN        dash type, 1 solid
#   ttl, ylab         title and y label, units included
#   yscale            y drawn as the column's value times yscale
#   zero_nan          1: a 0 is no value (srtt before the first sample)
#   outfile fmt       output file and format (style.gp)

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("outfile")) outfile = 'overlay.' . (exists("fmt") ? fmt : 'png')
load plotdir . '/style.gp'
if (!exists("yscale")) yscale = 1
if (!exists("zero_nan")) zero_nan = 0
if (!exists("ylab")) ylab = ''
if (!exists("ttl")) ttl = ''

sfile(i) = value(sprintf('file%d', i))
scol(i) = int(value(sprintf('col%d', i)))
slabel(i) = value(sprintf('label%d', i))
slc(i) = int(value(sprintf('lc%d', i)))
sdt(i) = int(value(sprintf('dt%d', i)))
yv(v) = zero_nan && v == 0 ? NaN : v * yscale

set title ttl
set xlabel 'time (s)'
set ylabel ylab
set xrange [0 : *]
set autoscale xfixmax     # end at the data, not at the next tic
set yrange [0 : *]
set offsets 0, 0, graph 0.05, 0

plot for [i = 1:n] sfile(i) using 1:(yv(column(scol(i)))) with steps lw 1.5 \
	lc rgb flowcolor(slc(i)) dt sdt(i) title slabel(i)
