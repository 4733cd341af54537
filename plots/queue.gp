# queue.gp - one queue's length over time (queues/NAME.tsv).
#
# Draws the instantaneous length in packets as a step line; for RED also the
# EWMA average and the min_th / max_th thresholds; the packet limit as a
# dashed line; drops (and ECN marks) on this queue as points along the top.
#
# Variables (set by segsim plot with -e; see docs/plots.md):
#   infile       queues/NAME.tsv: time len_pkts len_bytes avg_pkts
#   name         the queue (link direction), e.g. r1-r2
#   outfile fmt  output file and format (style.gp)
#   q_type       discipline from the trace's parameter line, '' if none
#   q_limit_pkts, q_min_th, q_max_th   numbers from that line, when present
#   dropfile, ndrops   times of this queue's drops (packets.tsv 'd'), optional
#   markfile, nmarks   times of its ECN marks (packets.tsv 'm'), optional
# By hand: gnuplot -e "infile='out/x/queues/r1-r2.tsv'; name='r1-r2'" plots/queue.gp

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("name")) name = 'queue'
if (!exists("outfile")) outfile = 'queue-' . name . '.' . (exists("fmt") ? fmt : 'png')
load plotdir . '/style.gp'

if (!exists("q_type")) q_type = ''
is_red = (q_type eq 'red') && exists("q_min_th") && exists("q_max_th")
has_limit = exists("q_limit_pkts") ? q_limit_pkts > 0 : 0
has_drops = exists("dropfile") && exists("ndrops") ? ndrops > 0 : 0
has_marks = exists("markfile") && exists("nmarks") ? nmarks > 0 : 0

stats infile using 2 nooutput
len_max = STATS_max

# The y range must show the data and the thresholds; the limit only when it
# is within reach (a limit of 1000 under a queue that never passes 20 would
# flatten the curve into the axis), otherwise its value goes in the key.
top = len_max
if (is_red) { top = q_max_th > top ? q_max_th : top }
limit_shown = has_limit ? q_limit_pkts <= 3 * (top > 1 ? top : 1) : 0
if (limit_shown) { top = q_limit_pkts > top ? q_limit_pkts : top }
top = top < 1 ? 1 : top
# Headroom above the data for the row of drop marks (drawn on y2 at 0.95).
set yrange [0 : top / 0.88]
set xrange [0 : *]
set autoscale xfixmax     # end at the data, not at the next tic
set y2range [0 : 1]
unset y2tics

set title (q_type eq '' ? sprintf('Queue %s', name) : sprintf('Queue %s (%s)', name, q_type))
set xlabel 'time (s)'
set ylabel 'queue length (packets)'

limit_title = has_limit ? (limit_shown ? sprintf('limit %g', q_limit_pkts) \
	: sprintf('limit %g (off scale)', q_limit_pkts)) : ''

# Assembled piece by piece because a plot element cannot be made
# conditional inside one plot command; the pieces name variables rather than
# splice in their values, so file names need no quoting here.
cmd = "plot infile using 1:2 with steps ls 20 title 'length'"
if (is_red) {
	cmd = cmd . ", infile using 1:4 with lines ls 21 title 'average (EWMA)'"
	cmd = cmd . ", q_min_th with lines ls 22 title sprintf('min_th %g', q_min_th)"
	cmd = cmd . ", q_max_th with lines ls 23 title sprintf('max_th %g', q_max_th)"
}
if (limit_shown) {
	cmd = cmd . ", q_limit_pkts with lines ls 24 title limit_title"
} else { if (has_limit) {
	# Only the key entry: a line at NaN draws nothing.
	cmd = cmd . ", NaN with lines ls 24 title limit_title"
} }
if (has_drops) {
	cmd = cmd . ", dropfile using 1:(0.95) axes x1y2 with points ls 25 title sprintf('drops (%d)', ndrops)"
}
if (has_marks) {
	cmd = cmd . ", markfile using 1:(0.90) axes x1y2 with points ls 26 title sprintf('ECN marks (%d)', nmarks)"
}
eval cmd
