# style.gp - the look shared by every segsim plot: terminal, fonts, colours,
# grid, line styles.  Loaded first by each KIND.gp script.
#
# Reads: fmt ('png' default, 'svg', 'pdf'), outfile.  Sets the terminal and
# the output, and defines:
#   flowcolor(i)   colour of flow i (1-based), cycling through 10
#   flowpt(i)      point type of flow i: discs, then squares from flow 11
#   lt 1..20       line types for one line per flow: the ten colours solid,
#                  then dashed for flows 11-20
#   ls 20..29      fixed roles: 20 queue length, 21 RED average, 22 min_th,
#                  23 max_th, 24 limit, 25 drops, 26 ECN marks, 27 aggregate,
#                  30 grid
#   ls 40..46      TCP cwnd: 40 cwnd, 41 ssthresh, 42 in flight, 43 timeout,
#                  44 fast retransmit, 45 cut without retransmit, 46 state tick
#   ls 50..53      TCP rtt: 50 srtt, 51 rttvar, 52 rto, 53 raw sample
#   ls 60..66      TCP seq: 60 new data, 61 retransmission, 62 drop, 63 ECN
#                  mark, 64 ack line, 65 window limit, 66 SACK block
#
# Colours: Okabe & Ito's palette (distinguishable with the common colour
# vision deficiencies) minus its yellow, which vanishes on white, and its
# black, kept for the aggregate; then four of Paul Tol's muted colours, so
# ten flows get ten colours.

if (!exists("fmt")) fmt = 'png'
if (!exists("outfile")) outfile = 'plot.' . fmt

# Text comes from trace file names (flows "u_1", queues "r1-r2"): enhanced
# text mode would turn '_' into a subscript, so it is off everywhere.
if (fmt eq 'png') {
	if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
		plot_fontsize = 11
		set terminal pngcairo size 1000,560 font 'Sans,11' noenhanced linewidth 1.2
	} else {
		plot_fontsize = 11
		set terminal png size 1000,560 font 'Sans,11' noenhanced linewidth 1.2
	}
} else { if (fmt eq 'svg') {
	plot_fontsize = 12
	set terminal svg size 1000,560 font 'Sans,12' noenhanced linewidth 1.2 background '#ffffff'
} else { if (fmt eq 'pdf') {
	if (strstrt(GPVAL_TERMINALS, 'pdfcairo') > 0) {
		plot_fontsize = 9
		set terminal pdfcairo size 7in,3.9in font 'Sans,9' noenhanced linewidth 0.8 pointscale 0.6
	} else {
		print "this gnuplot has no pdfcairo terminal; use png or svg"
		exit status 1
	}
} else {
	print sprintf("unknown format '%s' (png, svg or pdf)", fmt)
	exit status 1
} } }
set output outfile

array plot_palette[10] = [0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, \
	0x882255, 0x999933, 0x332288, 0x44AA99]
flowcolor(i) = plot_palette[(int(i) - 1) % 10 + 1]
flowpt(i) = (int(i) - 1) % 20 < 10 ? 7 : 5
do for [i = 1:20] {
	plot_dt = i <= 10 ? 1 : 2
	set linetype i lc rgb flowcolor(i) lw 1.5 pt flowpt(i) ps 0.5 dt plot_dt
}
set linetype cycle 20

set style line 20 lc rgb '#0072B2' lw 1.5                 # queue length
set style line 21 lc rgb '#D55E00' lw 2                   # RED average
set style line 22 lc rgb '#009E73' lw 1.5 dt (8, 4)       # min_th
set style line 23 lc rgb '#CC79A7' lw 1.5 dt (8, 4)       # max_th
set style line 24 lc rgb '#555555' lw 1.5 dt (3, 3)       # limit
set style line 25 lc rgb '#C00000' pt 9 ps 0.9            # drop (triangle down)
set style line 26 lc rgb '#E69F00' pt 6 ps 0.9            # ECN mark (circle)
set style line 27 lc rgb '#222222' lw 2                   # aggregate

set style line 40 lc rgb '#0072B2' lw 2                   # cwnd
set style line 41 lc rgb '#009E73' lw 1.5 dt (8, 4)       # ssthresh
set style line 42 lc rgb '#A0A0A0' lw 0.8                 # in flight
set style line 43 lc rgb '#D00000' pt 7 ps 1.0            # timeout (disc)
set style line 44 lc rgb '#E69F00' pt 13 ps 1.1           # fast retransmit (diamond)
set style line 45 lc rgb '#882255' pt 5 ps 0.9            # cut, no retransmit (square)
set style line 46 lc rgb '#888888' lw 1                   # state change tick
set style line 50 lc rgb '#0072B2' lw 1.5                 # srtt
set style line 51 lc rgb '#009E73' lw 1.2                 # rttvar
set style line 52 lc rgb '#D55E00' lw 1.5                 # rto
set style line 53 lc rgb '#88A0B8' pt 7 ps 0.35           # raw RTT sample
set style line 60 lc rgb '#0072B2' pt 7 ps 0.35 lw 1      # new data
set style line 61 lc rgb '#D00000' pt 7 ps 0.6 lw 1.5     # retransmission
set style line 62 lc rgb '#000000' pt 2 ps 0.9 lw 1.2     # drop (x)
set style line 63 lc rgb '#E69F00' pt 6 ps 0.9            # ECN mark (circle)
set style line 64 lc rgb '#009E73' lw 1.2                 # ack line
set style line 65 lc rgb '#999933' lw 1.2 dt (6, 3)       # window limit
set style line 66 lc rgb '#AA44CC' lw 2                   # SACK block

set border 3 lc rgb '#444444'
set tics nomirror out scale 0.6
set style line 30 lc rgb '#e4e4e4' lw 1 dt solid                # grid
set grid xtics ytics back ls 30
# Below the plot, so the key never covers data and the title stays on top.
set key outside bottom center horizontal noautotitle reverse Left samplen 2.5 spacing 1.2 width 2 height 1
set title font sprintf(',%g', plot_fontsize * 1.2)
set xlabel offset 0,0.2
set datafile separator whitespace
set datafile commentschars '#'
