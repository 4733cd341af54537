# seq.gp - time-sequence graph of one direction of a TCP connection, in the
# style of Stevens and tcptrace, from packets.tsv.
#
# segsim plot reads packets.tsv once for all TCP flows and writes, per
# direction that carried data, the sender's segments and the ACKs it got
# back, with sequence numbers made relative to that direction's ISN (mod
# 2^32, then unwrapped, so transfers past 4 GiB keep counting):
#   segfile  time type rel_seq len flags: type 0 new data and 1 a
#            retransmission (dequeued at the sender: a seq below the highest
#            sent so far), 2 dropped and 3 ECN-marked anywhere on the path;
#            len counts a SYN or FIN as one
#   ackfile  time rel_ack: ACKs arriving back at the sender (a blank line
#            between connections of the flow)
#   winfile  time snd_una+rwnd from flows/NAME.tsv, the receiver's window
#            limit, when the flow was traced (optional)
#   sackfile time left right: the SACK blocks (RFC 2018) of the ACKs arriving
#            at the sender, from its pcap when it was captured (optional;
#            packets.tsv has no options); n_sack how many
# Each segment is drawn as a vertical bar from rel_seq to rel_seq + len
# with a dot at its top, so a zoomed-in svg shows the segment's extent.
#
# The y axis ends at ymax: the data's top, or the window's up to twice
# that; win_offscale 1 when the whole window line is above it (only its
# name in the key then).
#
# Variables: segfile, ackfile, winfile and win_offscale (optional), name
# (the flow, or NAME.server for the server's data), n_new, n_rexmit,
# n_drop, n_mark, n_ack, ydiv and yunit (bytes per unit on the y axis:
# 'bytes', 'KiB', 'MiB'), ymax (bytes), outfile, fmt.  See docs/plots.md
# for how segsim derives the files from packets.tsv.

if (!exists("plotdir")) {
	plot_slash = 0
	do for [i = 1:strlen(ARG0)] { if (ARG0[i:i] eq '/') { plot_slash = i } }
	plotdir = plot_slash > 1 ? ARG0[1:plot_slash - 1] : (plot_slash == 1 ? '/' : '.')
}
if (!exists("name")) name = 'flow'
if (!exists("outfile")) outfile = 'seq-' . name . '.' . (exists("fmt") ? fmt : 'png')
load plotdir . '/style.gp'

if (!exists("ydiv")) ydiv = 1024
if (!exists("yunit")) yunit = 'KiB'
if (!exists("n_new")) n_new = 1
if (!exists("n_rexmit")) n_rexmit = 0
if (!exists("n_drop")) n_drop = 0
if (!exists("n_mark")) n_mark = 0
if (!exists("n_ack")) n_ack = 1
has_win = exists("winfile")
has_sack = exists("sackfile") && exists("n_sack") ? n_sack > 0 : 0
if (!exists("win_offscale")) win_offscale = 0

is_server = strlen(name) > 7 && name[strlen(name) - 6:] eq '.server'
set title sprintf('Time-sequence graph — %s (%s)', name, \
	is_server ? "the server's data" : "the client's data")
set xlabel 'time (s)'
set ylabel sprintf('sequence number - ISN (%s)', yunit)
set autoscale xfix
if (exists("ymax") && ymax > 0) {
	set yrange [0 : ymax / ydiv]
} else {
	set yrange [0 : *]
}
set offsets 0, 0, graph 0.04, 0
set format y '%g'

y(v) = v / ydiv
only(t, want, v) = t == want ? v : NaN

cmd = "plot segfile using 1:(only($2, 0, y($3))):(0):(y($4)) with vectors nohead ls 60 notitle"
cmd = cmd . ", segfile using 1:(only($2, 0, y($3 + $4))) with points ls 60 title sprintf('data (%d)', n_new)"
if (n_ack > 0) {
	cmd = cmd . ", ackfile using 1:(y($2)) with steps ls 64 title 'ACK received'"
}
if (has_win && win_offscale) {
	# The whole window line is above the data's range: only its name.
	cmd = cmd . ", NaN with steps ls 65 title 'window limit (ack + rwnd; off scale)'"
} else { if (has_win) {
	cmd = cmd . ", winfile using 1:(y($2)) with steps ls 65 title 'window limit (ack + rwnd)'"
} }
if (has_sack) {
	# Each block as a bar over the bytes it reports received, at the time
	# its ACK arrived (tcptrace draws them the same way).
	cmd = cmd . ", sackfile using 1:(y($2)):(0):(y($3 - $2)) with vectors nohead ls 66 title sprintf('SACK block (%d)', n_sack)"
}
if (n_rexmit > 0) {
	cmd = cmd . ", segfile using 1:(only($2, 1, y($3))):(0):(y($4)) with vectors nohead ls 61 notitle"
	cmd = cmd . ", segfile using 1:(only($2, 1, y($3 + $4))) with points ls 61 title sprintf('retransmission (%d)', n_rexmit)"
}
if (n_drop > 0) {
	cmd = cmd . ", segfile using 1:(only($2, 2, y($3 + $4))) with points ls 62 title sprintf('dropped (%d)', n_drop)"
}
if (n_mark > 0) {
	cmd = cmd . ", segfile using 1:(only($2, 3, y($3 + $4))) with points ls 63 title sprintf('ECN-marked (%d)', n_mark)"
}
eval cmd
