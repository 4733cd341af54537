/*
 * cc_sack.c - "SACK TCP" (Fall & Floyd 1996): Reno's window rules with
 * loss recovery driven by the SACK scoreboard - RFC 6675's pipe estimate
 * and NextSeg (tcp_sack.c), so several losses in one window are repaired
 * in about one round trip.  Without SACK from the peer it falls back to
 * NewReno.
 */
#include "tcp_cc.h"

const struct tcp_cc_ops sack_cc_ops = {
	.name = "sack",
	.recovery = CC_RECOVERY_SACK,
	.init = cc_reno_init,
	.ack_received = cc_reno_ack_received,
	.cong_signal = cc_reno_cong_signal,
	.post_recovery = cc_reno_post_recovery,
	.after_idle = cc_reno_after_idle,
};
