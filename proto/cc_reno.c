/*
 * cc_reno.c - Reno congestion control (RFC 5681): slow start, congestion
 * avoidance, the RTO reaction, and the window arithmetic of fast recovery.
 *
 * The helpers are exported for algorithms that reuse Reno's rules.
 */
#include <stdint.h>
#include "tcp_cc.h"

static uint32_t half_flight(const struct cc_var *cv)
{
	/* RFC 5681 eq. 4: ssthresh = max(FlightSize / 2, 2 * SMSS).  Our
	 * FlightSize is snd_max - snd_una, which after a long NewReno
	 * recovery without SACK counts much the receiver already holds and
	 * can be several times cwnd: halving it would raise the window.  So
	 * the smaller of the two is halved (Linux halves cwnd, FreeBSD
	 * min(cwnd, snd_wnd)). */
	uint32_t f = cv->flight < cv->cwnd ? cv->flight : cv->cwnd;
	uint32_t h = f / 2;

	return h > 2 * cv->mss ? h : 2 * cv->mss;
}

void cc_reno_init(struct cc_var *cv)
{
	cv->cwnd = cv->init_cwnd;
	cv->ssthresh = UINT32_MAX;      /* RFC 5681 3.1: arbitrarily high */
	cv->bytes_acked = 0;
}

void cc_reno_ack_received(struct cc_var *cv, uint32_t acked)
{
	if (cv->cwnd < cv->ssthresh) {
		/* Slow start (RFC 5681 eq. 2): cwnd += min(N, SMSS); with
		 * ABC (RFC 3465 2.2, L = 2 SMSS) up to two segments. */
		uint32_t limit = cv->abc ? 2 * cv->mss : cv->mss;

		cv->cwnd += acked < limit ? acked : limit;
		return;
	}
	if (cv->abc) {
		/* RFC 3465 2.1: one SMSS per cwnd bytes acknowledged. */
		cv->bytes_acked += acked;
		if (cv->bytes_acked >= cv->cwnd) {
			cv->bytes_acked -= cv->cwnd;
			cv->cwnd += cv->mss;
		}
		return;
	}
	/* Congestion avoidance (RFC 5681 eq. 3): SMSS*SMSS/cwnd per ACK.
	 * The division's remainder is carried to the next ACK: truncating
	 * it (as ns-3 does) grows the window 17% too slowly at 300
	 * segments, and the sawtooth's period with it. */
	uint64_t num = (uint64_t)cv->mss * cv->mss + cv->ca_rem;
	uint32_t w = cv->cwnd;

	cv->cwnd += (uint32_t)(num / w);
	cv->ca_rem = (uint32_t)(num % w);
}

void cc_reno_cong_signal(struct cc_var *cv, enum cc_signal sig)
{
	switch (sig) {
	case CC_NDUPACK:
		/* RFC 5681 3.2 step 2; the caller inflates cwnd (step 3). */
		cv->ssthresh = half_flight(cv);
		break;
	case CC_RTO:
		/* RFC 5681 3.1: eq. 4, and cwnd = LW = 1 SMSS. */
		cv->ssthresh = half_flight(cv);
		cv->cwnd = cv->mss;
		cv->bytes_acked = 0;
		break;
	case CC_ECN:
		/* RFC 3168 6.1.2: as for a loss, without retransmitting. */
		cv->ssthresh = half_flight(cv);
		cv->cwnd = cv->ssthresh;
		break;
	}
}

void cc_reno_post_recovery(struct cc_var *cv)
{
	/* RFC 5681 3.2 step 6: deflate to ssthresh. */
	cv->cwnd = cv->ssthresh;
}

void cc_reno_after_idle(struct cc_var *cv)
{
	/* RFC 5681 4.1: restart window = min(IW, cwnd). */
	if (cv->cwnd > cv->init_cwnd)
		cv->cwnd = cv->init_cwnd;
}

const struct tcp_cc_ops reno_cc_ops = {
	.name = "reno",
	.recovery = CC_RECOVERY_RENO,
	.init = cc_reno_init,
	.ack_received = cc_reno_ack_received,
	.cong_signal = cc_reno_cong_signal,
	.post_recovery = cc_reno_post_recovery,
	.after_idle = cc_reno_after_idle,
};
