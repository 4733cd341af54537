/*
 * cc_cubic.c - CUBIC congestion control (RFC 9438).
 *
 * After a congestion event the window follows a cubic function of the time
 * since the congestion avoidance epoch began, centred on W_max, the window
 * before the last reduction: concave up to W_max (fast, then flattening
 * near the point where the last loss happened), then convex beyond it
 * (probing for more).  A Reno estimate W_est runs alongside, and CUBIC never
 * grows slower than it would (the Reno-friendly region, for short RTTs and
 * small windows).
 *
 * Loss recovery is RFC 6675 SACK (NewReno when the peer has no SACK).
 *
 * Call order (tcp_cc.h): init; ack_received for each ACK of new data
 * outside recovery (Reno slow start below ssthresh, the cubic rules above
 * it; the first such ACK in congestion avoidance starts an epoch);
 * cong_signal at a fast retransmit, an ECN-Echo or a timeout (W_max,
 * ssthresh, end of the epoch); post_recovery when fast recovery ends;
 * after_idle before sending after an idle period.
 *
 * Units: the RFC counts windows in segments and time in seconds; the state
 * here does the same, in doubles, and converts to and from cv->cwnd bytes
 * through cv->mss.  Determinism: the arithmetic is IEEE double (SSE2 on
 * x86-64; no FMA contraction in -std=c11 mode) and cbrt() from libm, which
 * is deterministic on one machine; glibc versions could in principle differ
 * in the last bit of cbrt, which would move cwnd by at most a byte, and
 * only when a result lies on an integer boundary.
 */
#include <math.h>
#include <stdint.h>
#include <string.h>
#include "tcp_cc.h"

/* RFC 9438 4.1.1 and 5.1 */
#define CUBIC_C         0.4     /* segments / s^3 */
#define CUBIC_BETA      0.7     /* multiplicative decrease factor */
#define CUBIC_ALPHA     (3.0 * (1.0 - CUBIC_BETA) / (1.0 + CUBIC_BETA))  /* 0.529... */

/* cwnd never grows past this (bytes): keeps the uint32_t arithmetic of the
 * core (ssthresh + dupthresh * mss, cwnd + mss) clear of wrapping. */
#define CUBIC_CWND_MAX  (UINT32_MAX / 2)

struct cubic_priv {
	sim_time_t t_epoch;     /* RFC 9438 4.1.2: start of the current CA stage */
	sim_time_t t_last;      /* the last CA ACK: to leave app-limited time out */
	double w_max;           /* segments; 0: no congestion event yet */
	double k;               /* seconds (RFC 9438 eq. 2) */
	double w_est;           /* segments (RFC 9438 4.3) */
	double cwnd_prior;      /* segments: cwnd when ssthresh was last set */
	double frac;            /* bytes of cubic growth not yet in cwnd (< 1) */
	bool in_epoch;          /* a CA stage has started since the last event */
	bool after_rto;         /* the next CA stage is the first after a timeout */
};

/* RFC 9438 eq. 1: W_cubic(t) = C (t - K)^3 + W_max, in segments. */
static double cubic_w(const struct cubic_priv *c, double t)
{
	double d = t - c->k;

	return CUBIC_C * d * d * d + c->w_max;
}

static void cubic_init(struct cc_var *cv)
{
	memset(cv->priv, 0, sizeof(struct cubic_priv));
	cv->cwnd = cv->init_cwnd;
	cv->ssthresh = UINT32_MAX;      /* RFC 5681 3.1: arbitrarily high */
	cv->bytes_acked = 0;
}

/* The first ACK of a congestion avoidance stage. */
static void cubic_epoch_start(struct cc_var *cv, struct cubic_priv *c)
{
	double cwnd_epoch = (double)cv->cwnd / cv->mss;

	c->t_epoch = c->t_last = cv->now;
	c->frac = 0;
	if (c->cwnd_prior == 0)
		/* RFC 9438 4.10: slow start ended without a loss (an
		 * init_ssthresh): cwnd_prior = cwnd. */
		c->cwnd_prior = cwnd_epoch;
	if (c->after_rto || c->w_max <= cwnd_epoch) {
		/* RFC 9438 4.8, after a timeout: "K is set to 0, and W_max is
		 * set to the congestion window size at the beginning of the
		 * current congestion avoidance stage"; the same when the
		 * epoch starts at or above W_max (4.2: K = 0 then; 4.10: no
		 * W_max yet). */
		c->w_max = cwnd_epoch;
		c->k = 0;
	} else {
		/* RFC 9438 eq. 2: K = cubic_root((W_max - cwnd_epoch) / C) */
		c->k = cbrt((c->w_max - cwnd_epoch) / CUBIC_C);
	}
	/* RFC 9438 4.3 (and 4.8 after a timeout): W_est = cwnd_epoch. */
	c->w_est = cwnd_epoch;
	c->after_rto = false;
	c->in_epoch = true;
}

static void cubic_ack_received(struct cc_var *cv, uint32_t acked)
{
	struct cubic_priv *c = cv->priv;

	if (cv->cwnd < cv->ssthresh) {
		/* RFC 9438 4.10: standard slow start (RFC 5681). */
		cc_reno_ack_received(cv, acked);
		return;
	}
	if (!c->in_epoch)
		cubic_epoch_start(cv, c);

	/* RFC 9438 5.8: no growth while the flow is limited by the
	 * application or the peer's window rather than by cwnd (it could not
	 * have sent another full segment before this ACK), and t must not
	 * include such periods: the epoch moves forward by the time since the
	 * last ACK.  Also what makes cwnd (not FlightSize) a safe measure of
	 * the window W_max records (4.6). */
	if ((uint64_t)cv->flight + acked + cv->mss <= cv->cwnd) {
		c->t_epoch += cv->now - c->t_last;
		c->t_last = cv->now;
		return;
	}
	c->t_last = cv->now;

	double cwnd = (double)cv->cwnd / cv->mss;                /* segments */
	double t = sim_sec(cv->now - c->t_epoch);
	/* RFC 9438 4.2: "RTT is the smoothed round-trip time". */
	double rtt = sim_sec(cv->srtt ? cv->srtt : cv->last_rtt);

	/* RFC 9438 4.2: target = W_cubic(t + RTT), clamped to [cwnd, 1.5
	 * cwnd] so that growth never decreases and stays below slow start. */
	double target = cubic_w(c, t + rtt);

	if (target < cwnd)
		target = cwnd;
	else if (target > 1.5 * cwnd)
		target = 1.5 * cwnd;

	/* RFC 9438 4.3 eq. 4: W_est += alpha_cubic * segments_acked / cwnd;
	 * alpha_cubic = 1 once W_est has reached cwnd_prior. */
	double alpha = c->w_est >= c->cwnd_prior ? 1.0 : CUBIC_ALPHA;

	c->w_est += alpha * ((double)acked / cv->mss) / cwnd;

	double next;

	if (cubic_w(c, t) < c->w_est) {
		/* RFC 9438 4.3: the Reno-friendly region, cwnd = W_est.  We
		 * never lower cwnd here: it can be above W_est when the cubic
		 * curve lifted it earlier (Linux takes the larger, too). */
		double w = c->w_est * cv->mss;

		next = w > cv->cwnd ? floor(w) : cv->cwnd;
		c->frac = 0;
	} else {
		/* RFC 9438 4.4 (concave, cwnd < W_max) and 4.5 (convex):
		 * cwnd += (target - cwnd) / cwnd per ACK of one segment; an
		 * ACK of `acked` bytes is acked/mss such ACKs, and the ratio is
		 * the same in bytes: (target - cwnd) / cwnd * acked bytes.
		 * The fraction of a byte is carried to the next ACK. */
		double inc = (target - cwnd) / cwnd * acked + c->frac;
		double whole = floor(inc);

		c->frac = inc - whole;
		next = cv->cwnd + whole;
	}
	cv->cwnd = next > CUBIC_CWND_MAX ? CUBIC_CWND_MAX : (uint32_t)next;
}

static void cubic_cong_signal(struct cc_var *cv, enum cc_signal sig)
{
	struct cubic_priv *c = cv->priv;
	double cwnd = (double)cv->cwnd / cv->mss;

	/* RFC 9438 4.7, fast convergence: a loss below the last W_max means
	 * the share is shrinking; release more by lowering W_max. */
	if (cwnd < c->w_max)
		c->w_max = cwnd * (1.0 + CUBIC_BETA) / 2.0;
	else
		c->w_max = cwnd;
	/* RFC 9438 4.6 figure 5: ssthresh = flight_size * beta_cubic;
	 * cwnd_prior = cwnd; ssthresh = max(ssthresh, 2) segments. */
	c->cwnd_prior = cwnd;
	/* The smaller of FlightSize and cwnd (see cc_reno.c: our FlightSize
	 * can exceed cwnd after a long recovery without SACK). */
	uint32_t base = cv->flight < cv->cwnd ? cv->flight : cv->cwnd;
	uint32_t reduced = (uint32_t)(base * CUBIC_BETA);

	cv->ssthresh = reduced > 2 * cv->mss ? reduced : 2 * cv->mss;
	switch (sig) {
	case CC_NDUPACK:
		/* RFC 9438 4.6: cwnd = max(ssthresh, 2); the core inflates
		 * it for fast recovery (RFC 5681 3.2) and post_recovery sets
		 * it. */
		break;
	case CC_ECN:
		/* RFC 9438 4.6: cwnd = max(ssthresh, 1) on an ECN-Echo. */
		cv->cwnd = reduced > cv->mss ? reduced : cv->mss;
		break;
	case CC_RTO:
		/* RFC 9438 4.8: cwnd as Reno (RFC 5681 3.1: LW = 1 SMSS); the
		 * next CA stage starts from K = 0. */
		cv->cwnd = cv->mss;
		c->after_rto = true;
		break;
	}
	/* RFC 9438 4.1.2: the next CA stage is a new epoch. */
	c->in_epoch = false;
	cv->bytes_acked = 0;
}

static void cubic_post_recovery(struct cc_var *cv)
{
	/* RFC 9438 4.6: cwnd = ssthresh (as RFC 5681 3.2 step 6). */
	cv->cwnd = cv->ssthresh;
}

static void cubic_after_idle(struct cc_var *cv)
{
	struct cubic_priv *c = cv->priv;

	/* RFC 5681 4.1: restart window = min(IW, cwnd); RFC 9438 5.8: t
	 * must not include the idle period, so a new epoch begins. */
	if (cv->cwnd > cv->init_cwnd)
		cv->cwnd = cv->init_cwnd;
	c->in_epoch = false;
}

const struct tcp_cc_ops cubic_cc_ops = {
	.name = "cubic",
	.priv_size = sizeof(struct cubic_priv),
	/* RFC 9438 changes the window arithmetic, not loss recovery; SACK
	 * (RFC 6675) as in the stacks that run CUBIC, NewReno without it. */
	.recovery = CC_RECOVERY_SACK,
	.init = cubic_init,
	.ack_received = cubic_ack_received,
	.cong_signal = cubic_cong_signal,
	.post_recovery = cubic_post_recovery,
	.after_idle = cubic_after_idle,
};
