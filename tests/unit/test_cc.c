/*
 * test_cc.c - the congestion control algorithms' window arithmetic, driven
 * through their ops tables with a forged `struct cc_var`: fake time, acked
 * bytes and RTT samples in, cwnd and ssthresh out, against values computed
 * here by hand or from the closed-form formulas (RFC 9438 for CUBIC,
 * Brakmo & Peterson 1995 for Vegas).  Then each algorithm end to end over a
 * lossy link through the scenario loader.
 *
 * Every unit test uses an MSS of 1000 bytes, so a window of N segments is
 * N * 1000 bytes, and an RTT of 100 ms unless it says otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "app.h"
#include "build.h"
#include "scenario.h"
#include "tcp.h"
#include "tcp_cc.h"

#define MSS     1000u
#define RTT_S   0.1                     /* seconds */
#define RTT     (100 * SIM_MS)

/* An algorithm with its own state, as a tcb holds it. */
struct fix {
	const struct tcp_cc_ops *ops;
	struct cc_var cv;
	uint64_t priv[8];               /* as struct tcb's cc_priv */
};

static void fix_init(struct fix *f, const char *name, uint32_t iw_segs)
{
	memset(f, 0, sizeof *f);
	f->ops = tcp_cc_find(name);
	assert_non_null(f->ops);
	assert_true(f->ops->priv_size <= sizeof f->priv);
	memset(f->priv, 0xa5, sizeof f->priv);  /* init must not rely on zeroes */
	f->cv.mss = MSS;
	f->cv.init_cwnd = iw_segs * MSS;
	f->cv.priv = f->priv;
	f->cv.srtt = f->cv.last_rtt = f->cv.min_rtt = RTT;
	f->ops->init(&f->cv);
}

/* An ACK of `acked` new bytes at `now` to a sender that had filled cwnd
 * (not application-limited). */
static void ack(struct fix *f, sim_time_t now, uint32_t acked)
{
	f->cv.now = now;
	f->cv.flight = f->cv.cwnd > acked ? f->cv.cwnd - acked : 0;
	f->ops->ack_received(&f->cv, acked);
}

/* A congestion signal with cwnd in flight. */
static void cong(struct fix *f, sim_time_t now, enum cc_signal sig)
{
	f->cv.now = now;
	f->cv.flight = f->cv.cwnd;
	f->ops->cong_signal(&f->cv, sig);
}

static sim_time_t secs(double s)
{
	return (sim_time_t)llround(s * 1e9);
}

/* ---- the registry ---- */

static void test_registry(void **state)
{
	static const char *const names[] = { "reno", "tahoe", "newreno", "sack",
					     "cubic", "vegas", "fixed" };
	(void)state;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		const struct tcp_cc_ops *o = tcp_cc_find(names[i]);

		assert_non_null(o);
		assert_string_equal(o->name, names[i]);
		/* The core keeps the state in the tcb, not in priv_size
		 * bytes of its own. */
		assert_true(o->priv_size <= sizeof(((struct tcb *)0)->cc_priv));
	}
	assert_ptr_equal(tcp_cc_find("cubic"), &cubic_cc_ops);
	assert_ptr_equal(tcp_cc_find("vegas"), &vegas_cc_ops);
	assert_ptr_equal(tcp_cc_find("fixed"), &fixed_cc_ops);
	assert_int_equal(cubic_cc_ops.recovery, CC_RECOVERY_SACK);
	assert_int_equal(vegas_cc_ops.recovery, CC_RECOVERY_NEWRENO);
	assert_int_equal(fixed_cc_ops.recovery, CC_RECOVERY_SACK);
	assert_non_null(vegas_cc_ops.rtt_sample);
	assert_null(tcp_cc_find("westwood"));
}

/* ---- CUBIC (RFC 9438) ---- */

#define CUBIC_C         0.4
#define CUBIC_BETA      0.7
#define CUBIC_ALPHA     (3 * (1 - CUBIC_BETA) / (1 + CUBIC_BETA))

/* RFC 9438 eq. 1 and 2, computed here independently of cc_cubic.c. */
static double cubic_k(double w_max, double cwnd_epoch)
{
	return pow((w_max - cwnd_epoch) / CUBIC_C, 1.0 / 3.0);
}

static double cubic_w(double t, double k, double w_max)
{
	return CUBIC_C * pow(t - k, 3) + w_max;
}

/* The cwnd after one ACK of one segment in the concave or convex region,
 * from cwnd segments at time t in the epoch (RFC 9438 4.2, 4.4, 4.5):
 * cwnd += (target - cwnd) / cwnd, target = W_cubic(t + RTT) clamped to
 * [cwnd, 1.5 cwnd]; in bytes. */
static uint32_t cubic_next(uint32_t cwnd_bytes, double t, double k, double w_max)
{
	double cwnd = (double)cwnd_bytes / MSS;
	double target = fmin(fmax(cubic_w(t + RTT_S, k, w_max), cwnd), 1.5 * cwnd);

	return cwnd_bytes + (uint32_t)floor((target - cwnd) / cwnd * MSS);
}

/* A loss at a window of w segments, all in flight, and the end of fast
 * recovery (cwnd = ssthresh); the first ACK in congestion avoidance, of a
 * single byte, starts the epoch at t0 without moving cwnd. */
static void cubic_loss(struct fix *f, uint32_t w_segs, sim_time_t t0)
{
	f->cv.cwnd = w_segs * MSS;
	cong(f, t0, CC_NDUPACK);
	f->ops->post_recovery(&f->cv);
	ack(f, t0, 1);
}

/* RFC 9438 4.6: beta_cubic = 0.7: ssthresh = max(FlightSize * 0.7, 2
 * SMSS) (figure 5); cwnd = ssthresh at the end of recovery, and at once
 * for ECN, where the floor is 1 SMSS. */
static void test_cubic_decrease(void **state)
{
	struct fix f;
	(void)state;

	fix_init(&f, "cubic", 10);
	assert_int_equal(f.cv.cwnd, 10000);
	assert_int_equal(f.cv.ssthresh, UINT32_MAX);

	f.cv.cwnd = 100000;
	cong(&f, 0, CC_NDUPACK);
	assert_int_equal(f.cv.ssthresh, 70000);
	assert_int_equal(f.cv.cwnd, 100000);    /* the core inflates it */
	f.ops->post_recovery(&f.cv);
	assert_int_equal(f.cv.cwnd, 70000);

	f.cv.cwnd = 100000;
	cong(&f, 0, CC_ECN);
	assert_int_equal(f.cv.ssthresh, 70000);
	assert_int_equal(f.cv.cwnd, 70000);

	/* Small windows: 0.7 * 2000 = 1400 < 2 SMSS. */
	f.cv.cwnd = 2000;
	cong(&f, 0, CC_NDUPACK);
	assert_int_equal(f.cv.ssthresh, 2000);
	f.cv.cwnd = 2000;
	cong(&f, 0, CC_ECN);
	assert_int_equal(f.cv.ssthresh, 2000);
	assert_int_equal(f.cv.cwnd, 1400);

	/* FlightSize, not cwnd, sets ssthresh (figure 5). */
	f.cv.cwnd = 100000;
	f.cv.flight = 40000;
	f.ops->cong_signal(&f.cv, CC_NDUPACK);
	assert_int_equal(f.cv.ssthresh, 28000);
}

/* RFC 9438 eq. 1-2 after a loss at W_max = 100 segments: cwnd_epoch = 70,
 * K = cbrt((100 - 70) / 0.4) = cbrt(75) = 4.2171633 s; one ACK at t into
 * the epoch moves cwnd by (W_cubic(t + RTT) - 70) / 70 segments. */
static void test_cubic_k_and_window(void **state)
{
	static const double ts[] = { 0.5, 1.0, 2.0, 3.0, 4.0, 4.5, 5.0 };
	double k = cubic_k(100, 70);
	(void)state;

	assert_true(fabs(k - 4.2171633) < 1e-6);
	assert_true(fabs(cubic_w(0, k, 100) - 70) < 1e-9);     /* W(0) = cwnd_epoch */
	assert_true(fabs(cubic_w(k, k, 100) - 100) < 1e-12);   /* W(K) = W_max */

	for (size_t i = 0; i < sizeof ts / sizeof ts[0]; i++) {
		struct fix f;
		sim_time_t t0 = 7 * SIM_S, t = secs(ts[i]);

		fix_init(&f, "cubic", 10);
		cubic_loss(&f, 100, t0);
		assert_int_equal(f.cv.ssthresh, 70000);
		assert_int_equal(f.cv.cwnd, 70000);
		ack(&f, t0 + t, MSS);
		assert_int_equal(f.cv.cwnd, cubic_next(70000, sim_sec(t), k, 100));
	}

	/* By hand: t + RTT = K: target = W_max = 100 segments, cwnd +=
	 * 30/70 segment = 428.57 bytes. */
	struct fix f;

	fix_init(&f, "cubic", 10);
	cubic_loss(&f, 100, 0);
	ack(&f, secs(k - RTT_S), MSS);
	assert_int_equal(f.cv.cwnd, 70428);

	/* t + RTT = 2K: W = 0.4 K^3 + 100 = 130, above 1.5 cwnd = 105:
	 * target = 105, cwnd += 35/70 segment. */
	fix_init(&f, "cubic", 10);
	cubic_loss(&f, 100, 0);
	ack(&f, secs(2 * k - RTT_S), MSS);
	assert_int_equal(f.cv.cwnd, 70500);

	/* t = 1 s: W(1.1) = 0.4 (1.1 - K)^3 + 100 = 87.883: cwnd += 17.883 /
	 * 70 segment. */
	fix_init(&f, "cubic", 10);
	cubic_loss(&f, 100, 0);
	ack(&f, 1 * SIM_S, MSS);
	assert_int_equal(f.cv.cwnd, 70255);
}

/* ACK-clocked for 10 s at 100 ms RTT: cwnd rises fast, flattens towards
 * W_max = 100 segments around t = K (concave), then accelerates past it
 * (convex), never below W_cubic(t).  Between about 6 and 8 s the Reno
 * estimate leads (RFC 9438 4.3: W_est passed cwnd_prior = 100 at ~5.7 s,
 * and grows one segment per RTT from there), until the cubic overtakes it
 * again. */
static void test_cubic_concave_then_convex(void **state)
{
	enum { ROUNDS = 100 };
	uint32_t trace[2][ROUNDS + 1];
	double k = cubic_k(100, 70);
	(void)state;

	for (int run = 0; run < 2; run++) {
		struct fix f;
		sim_time_t now = 0;

		fix_init(&f, "cubic", 10);
		cubic_loss(&f, 100, 0);
		trace[run][0] = f.cv.cwnd;
		for (int r = 1; r <= ROUNDS; r++) {
			/* One RTT: an ACK per segment of the window, spread
			 * evenly. */
			uint32_t n = f.cv.cwnd / MSS;

			for (uint32_t i = 0; i < n; i++)
				ack(&f, now + RTT * i / n, MSS);
			now += RTT;
			trace[run][r] = f.cv.cwnd;
		}
	}
	/* Same inputs, same windows. */
	assert_memory_equal(trace[0], trace[1], sizeof trace[0]);

	uint32_t *w = trace[0];
	int plateau = (int)(k / RTT_S);         /* round 42 */

	for (int r = 1; r <= ROUNDS; r++) {
		double t = r * RTT_S;

		/* cwnd aims at W(t + RTT) over each round: at least W(t),
		 * give or take the round's granularity ... */
		assert_true(w[r] + 1500 >= cubic_w(t, k, 100) * MSS);
		/* ... and no more than W(t + RTT) where the cubic leads. */
		if (r < 55 || r > 85)
			assert_true(w[r] <= cubic_w(t + RTT_S, k, 100) * MSS + 1500);
	}
	/* Concave: the growth per round shrinks up to the plateau ... */
	for (int r = 2; r <= plateau; r++)
		assert_true(w[r] - w[r - 1] <= w[r - 1] - w[r - 2] + 2);
	assert_true(w[1] - w[0] > 500 * (w[plateau] - w[plateau - 1]));
	assert_in_range(w[plateau], 99000, 101000);
	/* ... the Reno estimate, one segment per RTT ... */
	for (int r = 62; r <= 80; r++)
		assert_in_range(w[r] - w[r - 1], 980, 1000);
	/* ... convex: the growth per round rises past W_max. */
	for (int r = plateau + 2; r <= ROUNDS; r++)
		assert_true(w[r] - w[r - 1] + 2 >= w[r - 1] - w[r - 2]);
	assert_true(w[ROUNDS] - w[ROUNDS - 1] > 3 * MSS);
	assert_in_range(w[ROUNDS], 176000, 182000);     /* W(10 s) = 177.3 */
}

/* RFC 9438 4.3: with a small window and a short RTT (W_max = 10 segments,
 * RTT 1 ms), W_cubic creeps along for K = cbrt(7.5) = 1.96 s, while the
 * Reno estimate W_est grows alpha_cubic = 0.529 segments per RTT, then 1
 * once it passes cwnd_prior = 10: cwnd follows W_est. */
static void test_cubic_reno_friendly(void **state)
{
	struct fix f;
	sim_time_t rtt = SIM_MS, now = 0;
	double k = cubic_k(10, 7), w_est = 7;
	(void)state;

	assert_true(fabs(CUBIC_ALPHA - 0.9 / 1.7) < 1e-15);
	fix_init(&f, "cubic", 10);
	f.cv.srtt = f.cv.last_rtt = f.cv.min_rtt = rtt;
	cubic_loss(&f, 10, 0);
	assert_int_equal(f.cv.cwnd, 7000);
	w_est += CUBIC_ALPHA * (1.0 / MSS) / 7;         /* the 1-byte ACK */

	for (int r = 0; r < 200; r++) {
		uint32_t n = f.cv.cwnd / MSS;

		for (uint32_t i = 0; i < n; i++) {
			double cwnd = (double)f.cv.cwnd / MSS;

			/* eq. 4: W_est += alpha * segments_acked / cwnd */
			w_est += (w_est >= 10 ? 1.0 : CUBIC_ALPHA) / cwnd;
			ack(&f, now + rtt * i / n, MSS);
			assert_int_equal(f.cv.cwnd, (uint32_t)floor(w_est * MSS));
		}
		now += rtt;
	}
	/* 0.2 s in: W_cubic(0.2) = 7.8 segments; Reno's line is at 7 + 3 +
	 * 194 rounds of a little under one segment. */
	assert_true(cubic_w(0.2, k, 10) < 8);
	assert_in_range(f.cv.cwnd, 195000, 205000);
}

/* RFC 9438 4.7: a loss below the last W_max lowers W_max to cwnd (1 +
 * beta) / 2; one at or above it records cwnd. */
static void test_cubic_fast_convergence(void **state)
{
	struct fix f;
	double k;
	(void)state;

	/* W_max = 100, then a loss at 80: W_max = 80 * 0.85 = 68, cwnd_epoch
	 * = 56, K = cbrt(12 / 0.4) = cbrt(30) = 3.107 s; at t + RTT = K the
	 * target is 68: cwnd += 12/56 segment = 214.29 bytes. */
	fix_init(&f, "cubic", 10);
	cubic_loss(&f, 100, 0);
	cubic_loss(&f, 80, 20 * SIM_S);
	assert_int_equal(f.cv.ssthresh, 56000);
	k = cubic_k(68, 56);
	assert_true(fabs(k - 3.1072325) < 1e-6);
	ack(&f, 20 * SIM_S + secs(k - RTT_S), MSS);
	assert_int_equal(f.cv.cwnd, 56214);
	/* Without fast convergence (W_max = 80, K = cbrt(60)) the curve
	 * would be at 79.79 segments then, and cwnd += 0.4248 segment. */
	assert_int_equal(cubic_next(56000, k - RTT_S, cubic_k(80, 56), 80), 56424);

	/* W_max = 100, then a loss at 110: W_max = 110, cwnd_epoch = 77, K =
	 * cbrt(33 / 0.4) = cbrt(82.5); at t + RTT = K, cwnd += 33/77. */
	fix_init(&f, "cubic", 10);
	cubic_loss(&f, 100, 0);
	cubic_loss(&f, 110, 20 * SIM_S);
	k = cubic_k(110, 77);
	ack(&f, 20 * SIM_S + secs(k - RTT_S), MSS);
	assert_int_equal(f.cv.cwnd, 77428);
}

/* RFC 9438 4.8: a timeout sets ssthresh with beta (70 segments) and cwnd
 * to 1 SMSS; Reno slow start; the first CA stage after it starts from K =
 * 0 and W_max = cwnd_epoch = 70: W(t) = 0.4 t^3 + 70, convex at once. */
static void test_cubic_rto(void **state)
{
	struct fix f;
	(void)state;

	fix_init(&f, "cubic", 10);
	f.cv.cwnd = 100000;
	cong(&f, 0, CC_RTO);
	assert_int_equal(f.cv.cwnd, 1000);
	assert_int_equal(f.cv.ssthresh, 70000);
	ack(&f, SIM_MS, MSS);
	assert_int_equal(f.cv.cwnd, 2000);      /* slow start (RFC 5681) */
	for (int i = 0; i < 68; i++)
		ack(&f, SIM_MS, MSS);
	assert_int_equal(f.cv.cwnd, 70000);
	ack(&f, SIM_S, 1);                      /* the epoch starts */
	assert_int_equal(f.cv.cwnd, 70000);
	/* t + RTT = 2 s: W = 0.4 * 8 + 70 = 73.2: cwnd += 3.2/70 segment.
	 * (With K = cbrt(75) it would have been W(2) = 95.6.) */
	ack(&f, SIM_S + secs(1.9), MSS);
	assert_int_equal(f.cv.cwnd, 70045);
	assert_int_equal(cubic_next(70000, 1.9, 0, 70), 70045);
}

/* RFC 9438 5.8: no growth while the sender is not using its window, and
 * that time does not count in t. */
static void test_cubic_app_limited(void **state)
{
	struct fix f;
	(void)state;

	fix_init(&f, "cubic", 10);
	cubic_loss(&f, 100, 0);
	/* 5 s later, an ACK with nothing else in flight. */
	f.cv.now = 5 * SIM_S;
	f.cv.flight = 0;
	f.ops->ack_received(&f.cv, MSS);
	assert_int_equal(f.cv.cwnd, 70000);
	/* 1 s after that the sender is window-limited again: the curve is
	 * where it was at t = 1 s (70255, test_cubic_k_and_window). */
	ack(&f, 6 * SIM_S, MSS);
	assert_int_equal(f.cv.cwnd, 70255);
}

/* RFC 5681 4.1 restart window after idle; slow start again; a new epoch. */
static void test_cubic_after_idle(void **state)
{
	struct fix f;
	(void)state;

	fix_init(&f, "cubic", 10);
	cubic_loss(&f, 100, 0);
	f.ops->after_idle(&f.cv);
	assert_int_equal(f.cv.cwnd, 10000);
	ack(&f, 30 * SIM_S, MSS);
	assert_int_equal(f.cv.cwnd, 11000);
}

/* ---- Vegas ---- */

/* Vegas in congestion avoidance at cwnd = 20 segments, BaseRTT 100 ms; the
 * first ACK opens a round that ends when snd_una passes 21000. */
static void vegas_setup(struct fix *f)
{
	fix_init(f, "vegas", 10);
	f->cv.cwnd = 20000;
	f->cv.ssthresh = 10000;
	f->cv.snd_una = 1000;
	f->cv.snd_nxt = 21000;
	ack(f, 0, MSS);
	assert_int_equal(f->cv.cwnd, 20000);
}

static void vegas_sample(struct fix *f, sim_time_t rtt)
{
	f->cv.last_rtt = rtt;
	if (rtt < f->cv.min_rtt)
		f->cv.min_rtt = rtt;
	f->ops->rtt_sample(&f->cv);
}

/* An ACK up to una, with nxt sent. */
static void vegas_ack(struct fix *f, uint32_t una, uint32_t nxt)
{
	f->cv.snd_una = una;
	f->cv.snd_nxt = nxt;
	ack(f, 0, MSS);
}

/* Diff = (Expected - Actual) * BaseRTT = cwnd (RTT - BaseRTT) / RTT. */
static double vegas_diff(double cwnd_segs, double rtt_ms)
{
	double expected = cwnd_segs / 100.0, actual = cwnd_segs / rtt_ms;

	return (expected - actual) * 100.0;
}

/* Brakmo & Peterson 3.2, alpha = 2, beta = 4 (Linux): at the round's end,
 * Diff < alpha: +1 segment; Diff > beta: -1; in between: hold. */
static void test_vegas_window(void **state)
{
	static const struct {
		double rtt_ms;
		uint32_t cwnd;
	} cases[] = {
		{ 100, 21000 },         /* Diff 0 < alpha: +1 */
		{ 105, 21000 },         /* Diff 20 * 5/105 = 0.95: +1 */
		{ 110, 21000 },         /* Diff 1.82: +1 */
		{ 115, 20000 },         /* Diff 2.61: hold */
		{ 124, 20000 },         /* Diff 3.87: hold */
		{ 130, 19000 },         /* Diff 4.62 > beta: -1 */
		{ 200, 19000 },         /* Diff 10: still -1, once per RTT */
	};
	(void)state;

	assert_true(fabs(vegas_diff(20, 105) - 0.952381) < 1e-6);
	assert_true(fabs(vegas_diff(20, 115) - 2.608696) < 1e-6);
	assert_true(fabs(vegas_diff(20, 130) - 4.615385) < 1e-6);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		struct fix f;
		double diff = vegas_diff(20, cases[i].rtt_ms);

		/* the table agrees with the rule */
		assert_int_equal(cases[i].cwnd, diff < 2 ? 21000 : diff > 4 ? 19000 : 20000);
		vegas_setup(&f);
		vegas_sample(&f, (sim_time_t)llround(cases[i].rtt_ms * SIM_MS));
		vegas_ack(&f, 21000, 22000);    /* the round's last byte */
		assert_int_equal(f.cv.cwnd, 20000);
		vegas_ack(&f, 22000, 23000);    /* past it: decide */
		assert_int_equal(f.cv.cwnd, cases[i].cwnd);
		assert_int_equal(f.cv.ssthresh, 10000);
	}
}

/* Once per RTT: nothing changes within a round, however good the samples;
 * each round's end decides once; RTT is the round's smallest sample. */
static void test_vegas_once_per_rtt(void **state)
{
	struct fix f;
	(void)state;

	vegas_setup(&f);
	for (uint32_t una = 2000; una <= 21000; una += 1000) {
		vegas_sample(&f, 130 * SIM_MS);
		vegas_sample(&f, 105 * SIM_MS);
		vegas_ack(&f, una, una + 20000);
		assert_int_equal(f.cv.cwnd, 20000);
	}
	/* The round's samples: min 105 ms, Diff 0.95: +1; the next round
	 * ends when snd_una passes 42000 (snd_nxt now). */
	vegas_ack(&f, 22000, 42000);
	assert_int_equal(f.cv.cwnd, 21000);
	for (uint32_t una = 23000; una <= 42000; una += 1000) {
		vegas_sample(&f, 104 * SIM_MS);
		vegas_ack(&f, una, 42000);
		assert_int_equal(f.cv.cwnd, 21000);
	}
	vegas_ack(&f, 43000, 64000);
	assert_int_equal(f.cv.cwnd, 22000);
	/* A round of queueing: Diff = 22 * 40/140 = 6.3 > beta: -1, and
	 * ssthresh follows cwnd down, so that slow start does not resume. */
	f.cv.ssthresh = 22000;
	vegas_sample(&f, 140 * SIM_MS);
	vegas_ack(&f, 64001, 86000);
	assert_int_equal(f.cv.cwnd, 21000);
	assert_int_equal(f.cv.ssthresh, 21000);
	/* A round without a sample: Reno's SMSS^2 / cwnd for that ACK. */
	vegas_ack(&f, 86001, 90000);
	assert_int_equal(f.cv.cwnd, 21000 + 1000000 / 21000);
}

/* Slow start as Reno until a round's Diff exceeds gamma = 1, which sets
 * ssthresh = cwnd: congestion avoidance from there. */
static void test_vegas_slow_start(void **state)
{
	struct fix f;
	(void)state;

	fix_init(&f, "vegas", 4);
	f.cv.snd_una = 1000;
	f.cv.snd_nxt = 5000;
	ack(&f, 0, MSS);                        /* opens the round */
	assert_int_equal(f.cv.cwnd, 5000);
	vegas_ack(&f, 2000, 7000);
	assert_int_equal(f.cv.cwnd, 6000);
	/* Diff = 6 * 1/101 = 0.06 <= gamma: slow start goes on. */
	vegas_sample(&f, 101 * SIM_MS);
	vegas_ack(&f, 5001, 12000);
	assert_int_equal(f.cv.cwnd, 7000);
	assert_int_equal(f.cv.ssthresh, UINT32_MAX);
	vegas_ack(&f, 6000, 13000);
	assert_int_equal(f.cv.cwnd, 8000);
	/* Diff = 8 * 50/150 = 2.67 > gamma: ssthresh = cwnd. */
	vegas_sample(&f, 150 * SIM_MS);
	vegas_ack(&f, 12001, 20000);
	assert_int_equal(f.cv.cwnd, 8000);
	assert_int_equal(f.cv.ssthresh, 8000);
	vegas_ack(&f, 13000, 21000);            /* CA: nothing within a round */
	assert_int_equal(f.cv.cwnd, 8000);
}

/* Losses: Reno's reactions (RFC 5681 3.1, 3.2). */
static void test_vegas_loss(void **state)
{
	struct fix f;
	(void)state;

	vegas_setup(&f);
	cong(&f, 0, CC_NDUPACK);
	assert_int_equal(f.cv.ssthresh, 10000);
	f.ops->post_recovery(&f.cv);
	assert_int_equal(f.cv.cwnd, 10000);
	f.cv.cwnd = 20000;
	cong(&f, 0, CC_RTO);
	assert_int_equal(f.cv.cwnd, 1000);
	assert_int_equal(f.cv.ssthresh, 10000);
}

/* ---- fixed ---- */

static void test_fixed_never_changes(void **state)
{
	struct fix f;
	(void)state;

	fix_init(&f, "fixed", 4);
	assert_int_equal(f.cv.cwnd, 4000);
	assert_int_equal(f.cv.ssthresh, UINT32_MAX);
	for (int i = 0; i < 1000; i++)
		ack(&f, i * SIM_MS, MSS);
	assert_int_equal(f.cv.cwnd, 4000);
	/* Fast retransmit: ssthresh = cwnd, which the core's SACK recovery
	 * takes as cwnd (NewReno's: ssthresh + 3 SMSS, in flight stays 4). */
	cong(&f, 0, CC_NDUPACK);
	assert_int_equal(f.cv.cwnd, 4000);
	assert_int_equal(f.cv.ssthresh, 4000);
	f.cv.cwnd = f.cv.ssthresh + 3 * MSS;
	f.ops->post_recovery(&f.cv);
	assert_int_equal(f.cv.cwnd, 4000);
	assert_int_equal(f.cv.ssthresh, UINT32_MAX);
	cong(&f, 0, CC_RTO);
	assert_int_equal(f.cv.cwnd, 4000);
	assert_int_equal(f.cv.ssthresh, UINT32_MAX);
	cong(&f, 0, CC_ECN);
	assert_int_equal(f.cv.cwnd, 4000);
	for (int i = 0; i < 100; i++)
		ack(&f, i * SIM_MS, 3 * MSS);
	assert_int_equal(f.cv.cwnd, 4000);
	assert_null(f.ops->after_idle);         /* no restart window either */
}

/* ---- end to end ---- */

/* A bulk transfer for 20 s over a 10 Mb/s, 20 ms link losing 1% of the
 * packets each way, with SACK (the algorithms' own recovery) and without
 * (NewReno; timestamps off too, so Vegas gets one sample per RTT): the
 * stream arrives intact, losses were repaired, and the flow ran the
 * algorithm it was given.  A fixed window is still the initial window. */
static void test_end_to_end(void **state)
{
	static const char *const names[] = { "cubic", "vegas", "fixed" };
	static const char *const opts[] = { "", ", sack: false, timestamps: false" };
	(void)state;

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		for (size_t j = 0; j < sizeof opts / sizeof opts[0]; j++) {
			struct scenario sc;
			struct run r;
			struct scn_error err;
			struct tcp_stats st[2];
			char yaml[1024];

			snprintf(yaml, sizeof yaml,
				 "duration: 20s\nseed: 7\nnodes: [a, b]\n"
				 "links: [{between: [a, b], bandwidth: 10Mbps, delay: 20ms, "
				 "loss: 0.01}]\n"
				 "flows: [{name: t, tcp: {from: a, to: b, cc: %s, init_cwnd: 10%s},\n"
				 "         app: {type: bulk}}]\n", names[i], opts[j]);
			if (scn_load_buffer("t.yaml", yaml, strlen(yaml), NULL, 0, &sc, &err) < 0)
				fail_msg("%s: %s", names[i], err.msg);
			assert_string_equal(sc.flows[0].tcp[0].cc, names[i]);
			assert_int_equal(build_run(&r, &sc, NULL), 0);
			sim_run(&r.sim, sc.duration);

			struct app *a = run_app(&r, 0);

			assert_non_null(a->cli);
			assert_ptr_equal(a->cli->cc, tcp_cc_find(names[i]));
			assert_true(a->cli->ccv.cwnd > 0);
			assert_true(a->cli->ccv.cwnd < 10 * 1000 * 1000);
			app_tcp_totals(a, st);
			assert_true(st[APP_CLIENT].retransmits > 0);
			assert_int_equal(app_tcp_integrity(a), UINT64_MAX);
			assert_true(a->tcp_read_bytes[APP_SERVER] > 2000000);
			if (strcmp(names[i], "fixed") == 0 && !a->cli->in_recovery)
				assert_int_equal(a->cli->ccv.cwnd, 10 * a->cli->mss);
			run_free(&r);
			scn_free(&sc);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_cubic_decrease),
		cmocka_unit_test(test_cubic_k_and_window),
		cmocka_unit_test(test_cubic_concave_then_convex),
		cmocka_unit_test(test_cubic_reno_friendly),
		cmocka_unit_test(test_cubic_fast_convergence),
		cmocka_unit_test(test_cubic_rto),
		cmocka_unit_test(test_cubic_app_limited),
		cmocka_unit_test(test_cubic_after_idle),
		cmocka_unit_test(test_vegas_window),
		cmocka_unit_test(test_vegas_once_per_rtt),
		cmocka_unit_test(test_vegas_slow_start),
		cmocka_unit_test(test_vegas_loss),
		cmocka_unit_test(test_fixed_never_changes),
		cmocka_unit_test(test_end_to_end),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
