/*
 * cc_newreno.c - NewReno (RFC 6582): Reno's window arithmetic; its loss
 * recovery stays in fast recovery through partial ACKs, retransmitting one
 * lost segment per round trip, instead of leaving at the first new ACK (the
 * mechanics are in tcp_input.c, chosen by .recovery).
 */
#include "tcp_cc.h"

const struct tcp_cc_ops newreno_cc_ops = {
	.name = "newreno",
	.recovery = CC_RECOVERY_NEWRENO,
	.init = cc_reno_init,
	.ack_received = cc_reno_ack_received,
	.cong_signal = cc_reno_cong_signal,
	.post_recovery = cc_reno_post_recovery,    /* RFC 6582 3.2 step 3 (2) */
	.after_idle = cc_reno_after_idle,
};
