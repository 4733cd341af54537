# rtt.gp - one TCP endpoint's round-trip time estimate and retransmission
# timeout over time (flows/NAME.tsv).
#
# Draws srtt, rttvar and rto in milliseconds as step lines (each value holds
# until the trace's next row), and the raw RTT samples seen in packets.tsv
# as dots (the flow trace has only the estimates made of them).  srtt and rttvar start at the first RTT
# sample; rto from the first row, so the initial RTO and the backoff of
# retransmitted SYNs show.  When the RTO is far above the RTT (RFC 6298's
# 1 s floor over a 50 ms path) it gets a panel of its own above the RTT's,
# both on linear scales over the same time axis, so neither is squashed.
#
# Variables (set by segsim plot with -e; see docs/plots.md):
#   infile        flows/NAME.tsv (or a reduced copy): time cwnd ssthresh srtt
#                 rttvar rto snd_una snd_nxt rwnd inflight state
#   name          the trace: the flow, NAME.server for the server end
#   has_srtt      0 when no RTT sample was ever taken
#   samplefile    (optional) time rtt_s: a segment's enqueue at the sender to
#                 the ACK that first covered it, per ACK, none for segments
#                 sent twice (Karn); n_samples how many
#   outfile fmt   output file and format (style.gp)
# By hand: gnuplot -e "infile='out/x/flows/f1.tsv'; name='f1'" plots/rtt.gp

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("name")) name = 'flow'
if (!exists("outfile")) outfile = 'rtt-' . name . '.' . (exists("fmt") ? fmt : 'png')
load plotdir . '/style.gp'

if (!exists("has_srtt")) has_srtt = 1
has_samples = exists("samplefile") && exists("n_samples") ? n_samples > 0 : 0

ms(s) = s * 1e3
sample(s) = s > 0 ? s * 1e3 : NaN       # srtt/rttvar before the first sample

stats infile using 1:(ms($6)) nooutput
t_end = STATS_max_x
rto_max = STATS_max_y
rtt_max = 0
if (has_srtt) {
	stats infile using (sample($4)) nooutput
	rtt_max = STATS_max
}
if (has_samples) {
	stats samplefile using (ms($2)) nooutput
	rtt_max = STATS_max > rtt_max ? STATS_max : rtt_max
}
split = (has_srtt || has_samples) && rto_max > 4 * rtt_max

title = sprintf('RTT estimate and RTO — %s', name)
set xrange [0 : t_end > 0 ? t_end : 1]
set yrange [0 : *]
set offsets 0, 0, graph 0.05, 0

# The samples first, underneath the estimate drawn from them.
rtt_cmd = "plot "
if (has_samples) {
	rtt_cmd = rtt_cmd . "samplefile using 1:(ms($2)) with points ls 53 title sprintf('RTT sample, from packets.tsv (%d)', n_samples), "
}
rtt_cmd = rtt_cmd . "infile using 1:(sample($4)) with steps ls 50 title 'srtt'" \
	. ", infile using 1:(sample($4) == sample($4) ? ms($5) : NaN) with steps ls 51 title 'rttvar'"

if (!split) {
	set title title
	set xlabel 'time (s)'
	set ylabel 'ms'
	cmd = "plot infile using 1:(ms($6)) with steps ls 52 title 'rto'"
	if (has_srtt || has_samples) { cmd = cmd . ", " . rtt_cmd[6:] }
	eval cmd
} else {
	# Two panels on one time axis: the RTO above (a third of the height),
	# srtt and rttvar below; one key for both, under the lower panel.
	set multiplot title title font sprintf(',%g', plot_fontsize * 1.2)
	set lmargin at screen 0.09
	set rmargin at screen 0.97
	set tmargin at screen 0.90
	set bmargin at screen 0.67
	set format x ''
	set ylabel 'rto (ms)'
	unset key
	plot infile using 1:(ms($6)) with steps ls 52
	set tmargin at screen 0.63
	set bmargin at screen 0.20
	set format x '%g'
	set xlabel 'time (s)'
	set ylabel has_samples ? 'RTT (ms)' : 'srtt, rttvar (ms)'
	set key
	eval rtt_cmd . ", NaN with steps ls 52 title 'rto (upper panel)'"
	unset multiplot
}
