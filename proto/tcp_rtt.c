/*
 * tcp_rtt.c - round-trip time estimators and the retransmission timeout
 * (tcp_rtt.h): RFC 6298, Jacobson & Karels 1988 as 4.3BSD-Reno does it, and
 * RFC 793's original EWMA.  Each is an ops table in tcp_rtt_registry[],
 * found by name with tcp_rtt_find().
 *
 * Call order, per connection: the caller sets r->conf and calls init() once;
 * sample() for every valid measurement (Karn's rule is the caller's); when
 * the retransmission timer is armed, timeout(shift) with shift = the number
 * of consecutive expirations so far (0 for a fresh timer).  r->rto is the
 * base RTO, never backed off: backoff is a pure function of (r, shift), so
 * the caller's shift counter is the only backoff state.
 *
 * Arithmetic.  Times are int64 nanoseconds and stay integers:
 *   - The gains are applied in difference form, SRTT += (R - SRTT) / 8 and
 *     RTTVAR += (|SRTT - R| - RTTVAR) / 4, which is RFC 6298's formula
 *     exactly and cannot overflow for non-negative times.  Each quotient is
 *     rounded to the nearest ns, halves away from zero, so a rise and a fall
 *     of the same size move the estimate by the same amount.  R / 2 is
 *     rounded the same way (1 ns gives RTTVAR 1 ns, not 0).  The price of
 *     keeping plain ns rather than BSD's scaled fixed point: under a steady
 *     R, SRTT may stop up to 3 ns away from R (an error of 3 ns moves it
 *     0.375 ns, rounded to 0) and RTTVAR a few ns above 0.
 *   - Sums and products (SRTT + 4 RTTVAR, RTO << shift) saturate at
 *     SIM_TIME_MAX before the clamp to rto_max, so no input overflows.
 *   - rfc793's alpha and beta are doubles (RFC 793 gives them as decimals);
 *     the product is rounded to the nearest ns and stored as an integer, so
 *     the state stays integral and runs stay repeatable.
 *   - Clamping to [rto_min, rto_max] applies rto_min first, then rto_max, so
 *     with a misconfigured rto_min > rto_max the maximum wins.
 * A measurement R < 1 ns (a zero-delay path can measure 0) is taken as 1 ns,
 * as Linux's tcp_rtt_estimator() takes 0 as 1 us: it is still a sample.
 */
#include <string.h>
#include "tcp_rtt.h"

/* ---- integer helpers ---- */

/* x / d rounded to nearest, halves away from zero; d > 0.  Done on the
 * quotient and remainder so that no x overflows. */
static sim_time_t div_round(sim_time_t x, sim_time_t d)
{
	sim_time_t q = x / d, rem = x % d;      /* C11: q truncated, rem has x's sign */

	if (rem >= 0 ? 2 * rem >= d : -2 * rem >= d)
		q += x < 0 ? -1 : 1;
	return q;
}

static sim_time_t sat_add(sim_time_t a, sim_time_t b)
{
	/* a, b >= 0 here */
	return a > SIM_TIME_MAX - b ? SIM_TIME_MAX : a + b;
}

static sim_time_t sat_shl(sim_time_t a, int shift)
{
	if (a <= 0 || shift <= 0)
		return a;
	if (shift >= 63 || a > (SIM_TIME_MAX >> shift))
		return SIM_TIME_MAX;
	return a << shift;
}

static sim_time_t clamp_rto(const struct tcp_rtt_conf *c, sim_time_t rto)
{
	if (rto < c->rto_min)
		rto = c->rto_min;
	if (rto > c->rto_max)
		rto = c->rto_max;
	return rto;
}

static sim_time_t min_time(sim_time_t a, sim_time_t b)
{
	return a < b ? a : b;
}

/* Bookkeeping common to every estimator; returns R made valid. */
static sim_time_t note_sample(struct tcp_rtt *r, sim_time_t R)
{
	if (R < 1)
		R = 1;
	r->samples++;
	r->last_sample = R;
	return R;
}

static void reset(struct tcp_rtt *r)
{
	const struct tcp_rtt_conf *c = r->conf;

	memset(r, 0, sizeof *r);
	r->conf = c;
	r->rto = c->rto_initial;
}

/*
 * The SRTT/RTTVAR filter shared by rfc6298 and jacobson88 (RFC 6298 2.2,
 * 2.3; Jacobson 1988 appendix A with gains 1/8 and 1/4).
 */
static void srtt_rttvar_update(struct tcp_rtt *r, sim_time_t R)
{
	if (!r->has_sample) {
		/* RFC 6298 2.2: SRTT <- R, RTTVAR <- R/2 */
		r->srtt = R;
		r->rttvar = div_round(R, 2);
		r->has_sample = true;
		return;
	}
	/* RFC 6298 2.3: RTTVAR first, with the SRTT from before this sample;
	 * then SRTT.  BSD computes delta = R - SRTT once and uses it for both,
	 * which is the same order. */
	sim_time_t err = R - r->srtt;
	sim_time_t abs_err = err < 0 ? -err : err;

	r->rttvar += div_round(abs_err - r->rttvar, 4);        /* beta 1/4 */
	r->srtt += div_round(err, 8);                           /* alpha 1/8 */
}

/* ---- rfc6298 ---- */

static void rfc6298_init(struct tcp_rtt *r)
{
	/* RFC 6298 2.1: RTO <- 1 s until a measurement (rto_initial) */
	reset(r);
}

/* RTO <- SRTT + max(G, K RTTVAR), K = 4 (RFC 6298 2.2, 2.3), then RFC 6298
 * 2.4 (raise to the minimum) and 2.5 (an upper bound of at least 60 s). */
static sim_time_t rfc6298_base(const struct tcp_rtt *r)
{
	const struct tcp_rtt_conf *c = r->conf;
	sim_time_t var = sat_shl(r->rttvar, 2);

	return clamp_rto(c, sat_add(r->srtt, var > c->granularity ? var : c->granularity));
}

static void rfc6298_sample(struct tcp_rtt *r, sim_time_t R)
{
	R = note_sample(r, R);
	srtt_rttvar_update(r, R);
	r->rto = rfc6298_base(r);
}

/* RFC 6298 5.5: RTO <- RTO * 2 on each expiry, bounded by 2.5's maximum. */
static sim_time_t rfc6298_timeout(const struct tcp_rtt *r, int shift)
{
	return min_time(r->conf->rto_max, sat_shl(r->rto, shift));
}

static const struct tcp_rtt_ops rfc6298_rtt_ops = {
	.name = "rfc6298",
	.init = rfc6298_init,
	.sample = rfc6298_sample,
	.timeout = rfc6298_timeout,
};

/* ---- jacobson88 ----
 *
 * Jacobson & Karels, "Congestion Avoidance and Control" (SIGCOMM 1988),
 * appendix A, as 4.3BSD-Reno's tcp_input.c / tcp_timer.c run it:
 *   - tcp_newtcpcb(): t_srtt = 0 ("no estimate"), t_rttvar = TCPTV_SRTTDFLT
 *     (3 s) in RTTVAR units, first t_rxtcur = 6 s = rto_initial, so RTTVAR
 *     starts at rto_initial / 2;
 *   - tcp_xmit_timer(): first sample SRTT = R, RTTVAR = R/2; later the
 *     gains 1/8 and 1/4; t_rxtcur = TCP_REXMTVAL = SRTT + 4 RTTVAR, ranged
 *     to [t_rttmin, TCPTV_REXMTMAX] - no clock-granularity term G;
 *   - tcp_timers() on expiry: TCP_REXMTVAL * tcp_backoff[t_rxtshift],
 *     ranged again.  The backed-off timer is recomputed from SRTT and RTTVAR,
 *     not from the first timer: with no sample the SYN goes after 6 s, then
 *     (0 + 4 * 3) * 2 = 24 s, then 48 s, then 96 s cut to 64 s (TCP/IP
 *     Illustrated vol. 1 figure 18.6 / seed 002).
 * tcp_backoff[] is { 1, 2, 4, 8, 16, 32, 64, 64, ... }: the multiplier
 * stops at 64, so a large rto_max is reached only if 64 x the base gets
 * there.
 */
#define JACOBSON88_MAX_BACKOFF_SHIFT 6  /* tcp_backoff[] tops out at 64 */

static void jacobson88_init(struct tcp_rtt *r)
{
	reset(r);
	r->rttvar = r->conf->rto_initial / 2;
}

/* TCP_REXMTVAL(tp) */
static sim_time_t jacobson88_rexmtval(const struct tcp_rtt *r)
{
	return sat_add(r->srtt, sat_shl(r->rttvar, 2));
}

static void jacobson88_sample(struct tcp_rtt *r, sim_time_t R)
{
	R = note_sample(r, R);
	srtt_rttvar_update(r, R);
	r->rto = clamp_rto(r->conf, jacobson88_rexmtval(r));
}

static sim_time_t jacobson88_timeout(const struct tcp_rtt *r, int shift)
{
	if (shift <= 0)
		return r->rto;  /* t_rxtcur: rto_initial before any sample */
	if (shift > JACOBSON88_MAX_BACKOFF_SHIFT)
		shift = JACOBSON88_MAX_BACKOFF_SHIFT;
	return clamp_rto(r->conf, sat_shl(jacobson88_rexmtval(r), shift));
}

static const struct tcp_rtt_ops jacobson88_rtt_ops = {
	.name = "jacobson88",
	.init = jacobson88_init,
	.sample = jacobson88_sample,
	.timeout = jacobson88_timeout,
};

/* ---- rfc793 ---- */

/* A non-negative double of nanoseconds to the nearest ns, saturating; NaN
 * (only from a NaN alpha or beta) is 0, which the clamp then raises. */
static sim_time_t ns_round(double x)
{
	if (!(x > 0))
		return 0;
	if (x >= 9223372036854775807.0)
		return SIM_TIME_MAX;
	return (sim_time_t)(x + 0.5);
}

static void rfc793_init(struct tcp_rtt *r)
{
	reset(r);
}

static void rfc793_sample(struct tcp_rtt *r, sim_time_t R)
{
	const struct tcp_rtt_conf *c = r->conf;

	R = note_sample(r, R);
	/* RFC 793 3.7 gives no starting SRTT; the first sample is the best
	 * estimate there is (as RFC 6298 2.2 does later). */
	if (!r->has_sample) {
		r->srtt = R;
		r->has_sample = true;
	} else {
		/* SRTT = ( ALPHA * SRTT ) + ((1-ALPHA) * RTT) */
		r->srtt = ns_round(c->alpha * (double)r->srtt +
				   (1.0 - c->alpha) * (double)R);
	}
	/* RTO = min[UBOUND, max[LBOUND, (BETA * SRTT)]] */
	r->rto = clamp_rto(c, ns_round(c->beta * (double)r->srtt));
}

/* RFC 793 has no backoff; RFC 1122 4.2.3.1 requires exponential backoff,
 * done here as in RFC 6298 5.5. */
static sim_time_t rfc793_timeout(const struct tcp_rtt *r, int shift)
{
	return min_time(r->conf->rto_max, sat_shl(r->rto, shift));
}

static const struct tcp_rtt_ops rfc793_rtt_ops = {
	.name = "rfc793",
	.init = rfc793_init,
	.sample = rfc793_sample,
	.timeout = rfc793_timeout,
};

/* ---- registry ---- */

const struct tcp_rtt_ops *const tcp_rtt_registry[] = {
	&rfc6298_rtt_ops,
	&jacobson88_rtt_ops,
	&rfc793_rtt_ops,
	NULL,
};

const struct tcp_rtt_ops *tcp_rtt_find(const char *name)
{
	if (!name)
		return NULL;
	for (int i = 0; tcp_rtt_registry[i]; i++)
		if (strcmp(tcp_rtt_registry[i]->name, name) == 0)
			return tcp_rtt_registry[i];
	return NULL;
}
