# cwnd.gp - one TCP endpoint's congestion window over time (flows/NAME.tsv).
#
# Draws cwnd, ssthresh (while it is a number) and the bytes in flight, in
# KiB, as step lines: each value holds until the trace's next row.  The
# congestion events segsim plot found in the trace (rows where ssthresh
# changes; plot_cwnd_classify() in sim/plot.c) are marked where cwnd was
# when the loss was detected: timeouts red, fast retransmits orange, cuts
# without a retransmission (ECN) purple.  The connection's state changes
# are ticks along the top, labelled in up to three rows.
#
# Variables (set by segsim plot with -e; see docs/plots.md):
#   infile        flows/NAME.tsv (or a reduced copy): time cwnd ssthresh srtt
#                 rttvar rto snd_una snd_nxt rwnd inflight state
#   name          the trace: the flow, NAME.server for the server end
#   evfile        time cwnd_before cwnd ssthresh class (1 timeout, 2 fast
#                 retransmit, 3 reduction); n_timeout, n_fastrx, n_reduction
#   statefile     time state label_row side, one row per state change:
#                 the label's row (0 top .. 2) and side (0 text right of the
#                 tick, 1 left of it, 2 no room: tick only); n_states;
#                 n_states_left, n_states_right (labels on each side).  Over
#                 12 states (an application reconnecting) only ticks, and
#                 the file has no side column
#   has_ssthresh, has_inflight   0 when the column never has a value to draw
#   outfile fmt   output file and format (style.gp)
# By hand: gnuplot -e "infile='out/x/flows/f1.tsv'; name='f1'" plots/cwnd.gp

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("name")) name = 'flow'
if (!exists("outfile")) outfile = 'cwnd-' . name . '.' . (exists("fmt") ? fmt : 'png')
load plotdir . '/style.gp'

if (!exists("n_timeout")) n_timeout = 0
if (!exists("n_fastrx")) n_fastrx = 0
if (!exists("n_reduction")) n_reduction = 0
if (!exists("n_states")) n_states = 0
if (!exists("has_ssthresh")) has_ssthresh = 1
if (!exists("has_inflight")) has_inflight = 1
if (!exists("n_states_left")) n_states_left = 0
if (!exists("n_states_right")) n_states_right = 0

set title sprintf('cwnd — %s', name)
set xlabel 'time (s)'
set ylabel 'window (KiB)'
set xrange [0 : *]
set autoscale xfixmax     # end at the data, not at the next tic
set yrange [0 : *]
# Room at the top for the state labels.
set offsets 0, 0, graph 0.16, 0
set y2range [0 : 1]
unset y2tics

kib(b) = b / 1024.0
# ssthresh is "inf" while unlimited: no line there.
finite(v) = v < 1e300 ? v : NaN

cmd = "plot infile using 1:(kib($2)) with steps ls 40 title 'cwnd'"
if (has_ssthresh) {
	cmd = cmd . ", infile using 1:(kib(finite($3))) with steps ls 41 title 'ssthresh'"
}
if (has_inflight) {
	cmd = cmd . ", infile using 1:(kib($10)) with steps ls 42 title 'in flight'"
}
if (n_timeout > 0) {
	cmd = cmd . ", evfile using 1:($5 == 1 ? kib($2) : NaN) with points ls 43 title sprintf('timeout (%d)', n_timeout)"
}
if (n_fastrx > 0) {
	cmd = cmd . ", evfile using 1:($5 == 2 ? kib($2) : NaN) with points ls 44 title sprintf('fast retransmit (%d)', n_fastrx)"
}
if (n_reduction > 0) {
	cmd = cmd . ", evfile using 1:($5 == 3 ? kib($2) : NaN) with points ls 45 title sprintf('cut, no retransmit (%d)', n_reduction)"
}
# State changes: a tick down from the top to the label's row; labels in
# the left half of the plot start at their tick, in the right half end at
# it.  More than a dozen (an application reconnecting) would be a smear of
# text: then only the ticks.
staterow(r) = 0.965 - 0.035 * r
labelled = n_states <= 12
if (n_states > 0) {
	cmd = cmd . ", statefile using 1:(1):(0):((labelled ? staterow($3) : staterow(0)) - 1) axes x1y2 with vectors nohead ls 46"
}
# (A label plot must have a point: gnuplot 5.4.4 crashes on one without,
# hence the counts of each half.)
if (n_states > 0 && labelled) {
	# On an opaque background: a neighbour's tick passes behind the text.
	set style textbox opaque noborder margins 0.5, 0.3
	statefont = sprintf(',%g', plot_fontsize * 0.75)
	if (n_states_left > 0) {
		cmd = cmd . ", statefile using 1:($4 == 0 ? staterow($3) : NaN):2 axes x1y2 with labels left offset 0.4,0 boxed font statefont tc rgb '#555555'"
	}
	if (n_states_right > 0) {
		cmd = cmd . ", statefile using 1:($4 == 1 ? staterow($3) : NaN):2 axes x1y2 with labels right offset -0.4,0 boxed font statefont tc rgb '#555555'"
	}
}
eval cmd
