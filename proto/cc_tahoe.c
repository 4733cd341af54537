/*
 * cc_tahoe.c - Tahoe (4.3BSD-Tahoe; Jacobson 1988; Fall & Floyd 1996):
 * slow start, congestion avoidance and fast retransmit, but no fast
 * recovery: after three duplicate ACKs the window falls to one segment and
 * the sender goes back to the first unacknowledged byte, slow-starting.
 */
#include "tcp_cc.h"

const struct tcp_cc_ops tahoe_cc_ops = {
	.name = "tahoe",
	.recovery = CC_RECOVERY_TAHOE,
	.init = cc_reno_init,
	.ack_received = cc_reno_ack_received,
	.cong_signal = cc_reno_cong_signal,
	.after_idle = cc_reno_after_idle,
};
