/*
 * cc_fixed.c - a constant congestion window, for teaching sliding windows:
 * cwnd is the flow's initial window (init_cwnd) from the first segment to
 * the last, whatever is acknowledged or lost.
 *
 * Loss recovery still happens - the core retransmits on duplicate ACKs and
 * at a timeout (tcp_input.c, tcp_timer.c) - but the window never grows or
 * shrinks: a timeout resends from snd_una within the same window (Go-Back-N
 * with a fixed window), and no slow start follows.
 *
 * Loss recovery is RFC 6675 SACK: the core sets cwnd = ssthresh at a fast
 * retransmit and lets the pipe estimate decide what goes out, so a fast
 * retransmit sets ssthresh = cwnd and the window stays exactly where it
 * was; post_recovery puts ssthresh back to unlimited.  Without SACK from
 * the peer the core falls back to NewReno, which inflates cwnd by the
 * segments that left the network and deflates it on partial ACKs (RFC 5681
 * 3.2 steps 3-5, RFC 6582) - in flight stays about the window - and
 * post_recovery puts cwnd back.  (ssthresh = UINT32_MAX there would make
 * the core's ssthresh + dupthresh * SMSS wrap around.)
 *
 * Call order (tcp_cc.h): init; ack_received, cong_signal, post_recovery.
 */
#include <stdint.h>
#include "tcp_cc.h"

static void fixed_init(struct cc_var *cv)
{
	cv->cwnd = cv->init_cwnd;
	cv->ssthresh = UINT32_MAX;      /* never slow start, never reduce */
	cv->bytes_acked = 0;
}

static void fixed_ack_received(struct cc_var *cv, uint32_t acked)
{
	(void)acked;
	/* The window does not grow; pin it in case anything moved it. */
	cv->cwnd = cv->init_cwnd;
}

static void fixed_cong_signal(struct cc_var *cv, enum cc_signal sig)
{
	/* The window does not shrink: neither a timeout nor an ECN-Echo
	 * changes cwnd.  For a fast retransmit see the file comment. */
	if (sig == CC_NDUPACK)
		cv->ssthresh = cv->cwnd;
}

static void fixed_post_recovery(struct cc_var *cv)
{
	cv->cwnd = cv->init_cwnd;
	cv->ssthresh = UINT32_MAX;
}

const struct tcp_cc_ops fixed_cc_ops = {
	.name = "fixed",
	.recovery = CC_RECOVERY_SACK,
	.init = fixed_init,
	.ack_received = fixed_ack_received,
	.cong_signal = fixed_cong_signal,
	.post_recovery = fixed_post_recovery,
};
