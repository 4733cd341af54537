# delay.gp - one-way delay of every received UDP datagram over time, one
# colour per flow, with each flow's mean per time bin drawn over its points.
#
# Variables (set by segsim plot; see docs/plots.md):
#   n, file1 .. fileN, name1 .. nameN   udp/NAME.tsv traces: time seq delay_s len
#   every       plot every k-th datagram (segsim thins very long traces so a
#               plot stays quick to draw and an svg stays small)
#   meanfile    columns: bin centre (s), mean delay of flow 1 .. n (s), '?'
#               where a flow received nothing in the bin
#   binw        bin width of meanfile (s)
#   outfile fmt

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("outfile")) outfile = 'delay.' . (exists("fmt") ? fmt : 'png')
if (!exists("every")) every = 1
load plotdir . '/style.gp'

flowfile(i) = value(sprintf('file%d', i))
flowname(i) = value(sprintf('name%d', i))
binlabel = binw >= 1 ? sprintf('%g s', binw) : binw >= 1e-3 ? sprintf('%g ms', binw * 1e3) \
	: sprintf('%g us', binw * 1e6)

# The lines are explained in the title: a key entry that long would leave
# room for only two columns of flow names.
set title sprintf('UDP one-way delay per datagram%s; lines: mean per %s', \
	every > 1 ? sprintf(' (every %d shown)', every) : '', binlabel)
set xlabel 'time (s)'
set ylabel 'one-way delay (ms)'
set xrange [0 : *]
set autoscale xfixmax     # end at the data, not at the next tic
set yrange [0 : *]
set offsets 0, 0, graph 0.05, 0
set datafile missing '?'

# Points are half transparent so dense clouds of several flows stay
# readable; each flow's mean is a line in the same colour, opaque.
plot for [i = 1:n] flowfile(i) every every using 1:($3 * 1e3) with points pt flowpt(i) ps 0.5 \
		lc rgb (flowcolor(i) + 0x60000000) title flowname(i), \
	for [i = 1:n] meanfile using 1:(column(i + 1) * 1e3) with lines lw 1.5 lc rgb flowcolor(i)
