# overlay-seq.gp - the time-sequence graphs of one TCP flow direction from
# several runs (output directories) in one figure.
#
# Per run, in the run's colour (its number in the command line): the top of
# every new data segment as a dot, every retransmission as a cross, the
# ACKs arriving back at the sender as a thin dashed step line.  The data
# are segsim plot's seq data of each run (see seq.gp): sequence numbers
# relative to the run's ISN, so the runs start together at 0.
#
# Variables (set by segsim plot with -e; see docs/plots.md):
#   n                       number of runs drawn
#   segfile1 .. segfileN    time type rel_seq len flags (type 0 new, 1
#                           retransmission, 2 drop, 3 ECN mark)
#   ackfile1 .. ackfileN    time rel_ack
#   label1 .. labelN        the runs' labels; lc1 .. lcN their colours
#   nrex1 .. nrexN          retransmissions per run
#   name                    the flow (NAME, or NAME.server)
#   ydiv, yunit             bytes per y unit and its name
#   outfile fmt

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("name")) name = 'flow'
if (!exists("outfile")) outfile = 'overlay-seq-' . name . '.' . (exists("fmt") ? fmt : 'png')
load plotdir . '/style.gp'
if (!exists("ydiv")) ydiv = 1024
if (!exists("yunit")) yunit = 'KiB'

segfile(i) = value(sprintf('segfile%d', i))
ackfile(i) = value(sprintf('ackfile%d', i))
rlabel(i) = value(sprintf('label%d', i))
rlc(i) = int(value(sprintf('lc%d', i)))
nrex(i) = int(value(sprintf('nrex%d', i)))
y(v) = v / ydiv
only(t, want, v) = t == want ? v : NaN

is_server = strlen(name) > 7 && name[strlen(name) - 6:] eq '.server'
set title sprintf("Time-sequence graph — %s (%s), by run\ndots: data sent; crosses: retransmissions; dashed: ACKs received", \
	name, is_server ? "the server's data" : "the client's data")
set xlabel 'time (s)'
set ylabel sprintf('sequence number - ISN (%s)', yunit)
set xrange [0 : *]
set autoscale xfixmax
set yrange [0 : *]
set offsets 0, 0, graph 0.04, 0
set format y '%g'

cmd = "plot for [i = 1:n] ackfile(i) using 1:(y($2)) with steps lw 1 dt (4, 3) lc rgb flowcolor(rlc(i)) notitle"
cmd = cmd . ", for [i = 1:n] segfile(i) using 1:(only($2, 0, y($3 + $4))) with points pt 7 ps 0.3 lc rgb flowcolor(rlc(i)) title rlabel(i)"
do for [i = 1:n] {
	if (nrex(i) > 0) {
		cmd = cmd . sprintf(", segfile(%d) using 1:(only($2, 1, y($3 + $4))) with points pt 2 ps 0.8 lw 1.5 lc rgb flowcolor(rlc(%d)) title sprintf('%%s retransmissions (%%d)', rlabel(%d), nrex(%d))", i, i, i, i)
	}
}
eval cmd
