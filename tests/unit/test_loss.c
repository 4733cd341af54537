/*
 * test_loss.c - fault models (loss.c).
 *
 * Rates are checked on large samples from a real mt19937 stream against
 * their expectation, with a tolerance of 4 standard deviations of the
 * estimator (a false alarm about once in 16 000 runs for a normal
 * estimator - and with a fixed seed the run is deterministic anyway: the
 * tolerance says how far a correct implementation could land).  Draw
 * counts and orders are checked exactly with a counting generator.
 * Corruption goes through packet.c's real pkt_corrupt().
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "loss.h"
#include "packet.h"
#include "rng.h"
#include "sim.h"

#include "script_rng.h"

/* ---- helpers ---- */
static void pkt_init(struct packet *p)
{
	memset(p, 0, sizeof *p);
	p->ev.slot = -1;
	p->corrupt_word = PKT_CORRUPT_NONE;
	p->proto = IPPROTO_UDP_;
	p->payload_len = 100;
}

static struct fault_conf conf0(void)
{
	struct fault_conf c;

	memset(&c, 0, sizeof c);
	return c;
}

/* |x - mean| <= 4 sigma */
static void assert_within(double x, double mean, double sigma, const char *what)
{
	if (fabs(x - mean) > 4.0 * sigma)
		fail_msg("%s: %.6g, expected %.6g +- %.3g (4 sigma)", what, x, mean, 4.0 * sigma);
}

/* ---- tests ---- */

static void test_active(void **state)
{
	struct fault_conf c = conf0();

	(void)state;
	assert_false(faults_active(&c));
	c.loss = LOSS_BERNOULLI;
	assert_false(faults_active(&c));               /* p = 0 */
	c.p = 0.01;
	assert_true(faults_active(&c));
	c = conf0();
	c.loss = LOSS_GILBERT;
	c.r = 0.5;
	c.loss_bad = 1;
	assert_false(faults_active(&c));               /* never leaves good */
	c.p = 0.01;
	assert_true(faults_active(&c));
	c = conf0();
	c.p = 0.5;                                     /* p without a loss type */
	assert_false(faults_active(&c));
	c.dup_p = 0.1;
	assert_true(faults_active(&c));
	c = conf0();
	c.reorder_p = 0.1;
	assert_true(faults_active(&c));
	c = conf0();
	c.corrupt_p = 0.1;
	assert_true(faults_active(&c));
}

/* Bernoulli p = 0.1 over N = 200 000 packets: the loss count is
 * Binomial(N, p), mean 20 000, sigma = sqrt(N p (1-p)) = 134. */
static void test_bernoulli_rate(void **state)
{
	struct fault_conf c = conf0();
	struct faults f;
	struct packet p;
	gsl_rng *r = rng_stream(1, "test:bernoulli");
	const uint64_t n = 200000;
	sim_time_t extra;

	(void)state;
	c.loss = LOSS_BERNOULLI;
	c.p = 0.1;
	faults_init(&f, &c, r);
	pkt_init(&p);
	for (uint64_t i = 0; i < n; i++) {
		unsigned m = faults_apply(&f, &p, &extra);

		assert_true(m == 0 || m == FAULT_DROP);
	}
	assert_within((double)f.lost, n * 0.1, sqrt(n * 0.1 * 0.9), "bernoulli losses");
	assert_int_equal(f.duplicated + f.reordered + f.corrupted, 0);
	gsl_rng_free(r);
}

/* Bernoulli only: exactly one draw per packet, lost or not. */
static void test_bernoulli_draws(void **state)
{
	const double u[] = {0.05, 0.5, 0.0999, 0.1, 0.9};
	const unsigned want[] = {FAULT_DROP, 0, FAULT_DROP, 0, 0};
	struct fault_conf c = conf0();
	gsl_rng *r = script_rng(u, 5);
	struct faults f;
	struct packet p;
	sim_time_t extra;

	(void)state;
	c.loss = LOSS_BERNOULLI;
	c.p = 0.1;
	faults_init(&f, &c, r);
	pkt_init(&p);
	for (int i = 0; i < 5; i++) {
		assert_int_equal(faults_apply(&f, &p, &extra), want[i]);
		assert_int_equal(draws(r), (size_t)i + 1);
	}
	assert_int_equal(f.lost, 2);
	gsl_rng_free(r);
}

/*
 * Gilbert-Elliott with loss_bad = 1, loss_good = 0 (pure Gilbert): a loss
 * burst is exactly a stay in the bad state, geometric with mean 1/r.
 * p = 0.01, r = 0.1, N = 10^6 packets:
 *   stationary loss rate pi = p/(p+r) = 1/11 = 0.0909.  The losses are a
 *   Markov chain with second eigenvalue lambda = 1-p-r = 0.89, so the
 *   variance of the sample mean is pi(1-pi)/N * (1+lambda)/(1-lambda):
 *   sigma = 0.00119.
 *   bursts: about N p r/(p+r) = 9091, each geometric with variance
 *   (1-r)/r^2 = 90; sigma of the mean length = sqrt(90/bursts) = 0.0995.
 */
static void test_gilbert_bursts(void **state)
{
	struct fault_conf c = conf0();
	struct faults f;
	struct packet p;
	gsl_rng *r = rng_stream(7, "test:gilbert");
	const uint64_t n = 1000000;
	const double gp = 0.01, gr = 0.1, lambda = 1 - gp - gr;
	uint64_t bursts = 0, lost_in_bursts = 0;
	bool prev = false;
	sim_time_t extra;

	(void)state;
	c.loss = LOSS_GILBERT;
	c.p = gp;
	c.r = gr;
	c.loss_bad = 1.0;
	c.loss_good = 0.0;
	faults_init(&f, &c, r);
	pkt_init(&p);
	for (uint64_t i = 0; i < n; i++) {
		bool lost = faults_apply(&f, &p, &extra) == FAULT_DROP;

		/* pure Gilbert: lost exactly when the packet saw the bad state */
		assert_true(lost == f.bad);
		if (lost) {
			lost_in_bursts++;
			if (!prev)
				bursts++;
		}
		prev = lost;
	}
	double pi = gp / (gp + gr);
	double rate = (double)f.lost / (double)n;
	double sig_rate = sqrt(pi * (1 - pi) / (double)n * (1 + lambda) / (1 - lambda));
	assert_within(rate, pi, sig_rate, "gilbert loss rate");

	double mean_burst = (double)lost_in_bursts / (double)bursts;
	double sig_burst = sqrt((1 - gr) / (gr * gr) / (double)bursts);
	assert_within(mean_burst, 1 / gr, sig_burst, "gilbert mean burst");
	gsl_rng_free(r);
}

/*
 * General Gilbert-Elliott: p = 0.05, r = 0.2, loss_good = 0.01,
 * loss_bad = 0.5.  pi_bad = p/(p+r) = 0.2; loss rate
 *   L = loss_bad pi_bad + loss_good (1 - pi_bad) = 0.1 + 0.008 = 0.108.
 * Variance of the sample mean over N packets: the per-packet term L(1-L)
 * plus the state correlation 2 (loss_bad - loss_good)^2 pi(1-pi)
 * lambda/(1-lambda), lambda = 1-p-r = 0.75, all over N.  N = 10^6.
 */
static void test_gilbert_elliott_rate(void **state)
{
	struct fault_conf c = conf0();
	struct faults f;
	struct packet p;
	gsl_rng *r = rng_stream(11, "test:gilbert-elliott");
	const uint64_t n = 1000000;
	const double gp = 0.05, gr = 0.2, lg = 0.01, lb = 0.5, lambda = 1 - gp - gr;
	uint64_t bad = 0;
	sim_time_t extra;

	(void)state;
	c.loss = LOSS_GILBERT;
	c.p = gp;
	c.r = gr;
	c.loss_good = lg;
	c.loss_bad = lb;
	faults_init(&f, &c, r);
	pkt_init(&p);
	for (uint64_t i = 0; i < n; i++) {
		faults_apply(&f, &p, &extra);
		bad += f.bad;
	}
	double pi = gp / (gp + gr);
	double want = lb * pi + lg * (1 - pi);
	double var = want * (1 - want) +
		     2 * (lb - lg) * (lb - lg) * pi * (1 - pi) * lambda / (1 - lambda);
	assert_within((double)f.lost / (double)n, want, sqrt(var / (double)n),
		      "gilbert-elliott loss rate");
	/* time in the bad state: pi with the chain's correlation */
	assert_within((double)bad / (double)n, pi,
		      sqrt(pi * (1 - pi) / (double)n * (1 + lambda) / (1 - lambda)),
		      "gilbert-elliott bad-state share");
	gsl_rng_free(r);
}

/* Gilbert order: the chain moves first, then the packet is lost with the
 * loss probability of the state it now sees; two draws per packet. */
static void test_gilbert_order(void **state)
{
	/* packet 1: move draw 0.05 < p -> bad; loss draw 0.6 >= 0.5 -> kept
	 * packet 2: move draw 0.9 >= r -> stays bad; loss 0.4 < 0.5 -> lost
	 * packet 3: move draw 0.1 < r -> good; loss 0.4 >= 0.01 -> kept  */
	const double u[] = {0.05, 0.6, 0.9, 0.4, 0.1, 0.4};
	struct fault_conf c = conf0();
	gsl_rng *r = script_rng(u, 6);
	struct faults f;
	struct packet p;
	sim_time_t extra;

	(void)state;
	c.loss = LOSS_GILBERT;
	c.p = 0.1;
	c.r = 0.2;
	c.loss_good = 0.01;
	c.loss_bad = 0.5;
	faults_init(&f, &c, r);
	pkt_init(&p);
	assert_int_equal(faults_apply(&f, &p, &extra), 0);
	assert_true(f.bad);
	assert_int_equal(draws(r), 2);
	assert_int_equal(faults_apply(&f, &p, &extra), FAULT_DROP);
	assert_true(f.bad);
	assert_int_equal(faults_apply(&f, &p, &extra), 0);
	assert_false(f.bad);
	assert_int_equal(draws(r), 6);
	gsl_rng_free(r);
}

/* dup 0.05, reorder 0.1 (delay up to 2 ms), corrupt 0.02, no loss, over
 * N = 200 000: each count binomial, 4 sigma.  Delays: uniform on
 * [0, D] integers, mean D/2, sigma of the mean D/sqrt(12 n_reordered). */
static void test_dup_reorder_corrupt_rates(void **state)
{
	struct fault_conf c = conf0();
	struct faults f;
	struct packet p;
	gsl_rng *r = rng_stream(3, "test:faults");
	const uint64_t n = 200000;
	const sim_time_t d = 2 * SIM_MS;
	double delay_sum = 0;
	uint64_t corrupt_seen = 0, delay_seen = 0, dup_seen = 0;
	sim_time_t extra, max_extra = 0;

	(void)state;
	c.dup_p = 0.05;
	c.reorder_p = 0.1;
	c.reorder_delay = d;
	c.corrupt_p = 0.02;
	faults_init(&f, &c, r);
	for (uint64_t i = 0; i < n; i++) {
		unsigned m;

		pkt_init(&p);
		m = faults_apply(&f, &p, &extra);
		assert_false(m & FAULT_DROP);
		dup_seen += !!(m & FAULT_DUP);
		if (m & FAULT_DELAY) {
			delay_seen++;
			assert_true(extra >= 0 && extra <= d);
			delay_sum += (double)extra;
			if (extra > max_extra)
				max_extra = extra;
		} else {
			assert_int_equal(extra, 0);
		}
		if (m & FAULT_CORRUPT) {
			corrupt_seen++;
			assert_int_not_equal(p.corrupt_word, PKT_CORRUPT_NONE);
			assert_int_not_equal(p.corrupt_xor, 0);
		} else {
			assert_int_equal(p.corrupt_word, PKT_CORRUPT_NONE);
		}
	}
	assert_int_equal(f.duplicated, dup_seen);
	assert_int_equal(f.reordered, delay_seen);
	assert_int_equal(f.corrupted, corrupt_seen);
	assert_int_equal(f.lost, 0);
	assert_within((double)f.duplicated, n * 0.05, sqrt(n * 0.05 * 0.95), "duplicated");
	assert_within((double)f.reordered, n * 0.1, sqrt(n * 0.1 * 0.9), "reordered");
	assert_within((double)f.corrupted, n * 0.02, sqrt(n * 0.02 * 0.98), "corrupted");
	assert_within(delay_sum / (double)delay_seen, (double)d / 2,
		      (double)d / sqrt(12.0 * (double)delay_seen), "mean extra delay");
	/* the top of the range is reached (P(max < 0.999 D) = 0.999^20000) */
	assert_true(max_extra > d - d / 1000);
	gsl_rng_free(r);
}

/* Reorder delays beyond 2^32 ns (10 s) stay uniform and in range. */
static void test_reorder_wide_range(void **state)
{
	struct fault_conf c = conf0();
	struct faults f;
	struct packet p;
	gsl_rng *r = rng_stream(5, "test:wide");
	const int n = 20000;
	const sim_time_t d = 10 * SIM_S;
	double sum = 0;
	int above_2_32 = 0;
	sim_time_t extra;

	(void)state;
	c.reorder_p = 1.0;
	c.reorder_delay = d;
	faults_init(&f, &c, r);
	pkt_init(&p);
	for (int i = 0; i < n; i++) {
		assert_int_equal(faults_apply(&f, &p, &extra), FAULT_DELAY);
		assert_true(extra >= 0 && extra <= d);
		sum += (double)extra;
		above_2_32 += extra > (sim_time_t)0xffffffffLL;
	}
	assert_within(sum / n, (double)d / 2, (double)d / sqrt(12.0 * n), "wide mean delay");
	/* P(extra > 2^32) = 1 - 4.29/10 = 0.571: binomial, 4 sigma */
	double q = 1.0 - 4294967295.0 / (double)d;
	assert_within(above_2_32, n * q, sqrt(n * q * (1 - q)), "delays above 2^32 ns");
	gsl_rng_free(r);
}

/* The extra delay is an exact uniform integer on [0, D], both ends
 * included, from one 32-bit draw when D < 2^32 - 1 and from two (high
 * word first) above. */
static void test_delay_exact(void **state)
{
	struct fault_conf c = conf0();
	struct faults f;
	struct packet p;
	sim_time_t extra;

	(void)state;
	c.reorder_p = 1;
	pkt_init(&p);

	/* D = 3: a draw of 0.99999 is the top value 3, 0 is 0 */
	{
		const double u[] = {0.5, 0.99999, 0.5, 0.0};
		gsl_rng *r = script_rng(u, 4);

		c.reorder_delay = 3;
		faults_init(&f, &c, r);
		assert_int_equal(faults_apply(&f, &p, &extra), FAULT_DELAY);
		assert_int_equal(extra, 3);
		assert_int_equal(faults_apply(&f, &p, &extra), FAULT_DELAY);
		assert_int_equal(extra, 0);
		gsl_rng_free(r);
	}
	/* D = 2^40 ns: words hi = 2^31, lo = 2^30 make x = 2^63 + 2^30, and
	 * 2^63 = 2^40 2^23 = -2^23 mod (2^40 + 1), so x mod (D + 1) =
	 * 2^30 - 2^23 = 1065353216. */
	{
		const double u[] = {0.5, 0.5, 0.25};
		gsl_rng *r = script_rng(u, 3);

		c.reorder_delay = (sim_time_t)1 << 40;
		faults_init(&f, &c, r);
		assert_int_equal(faults_apply(&f, &p, &extra), FAULT_DELAY);
		assert_int_equal(extra, 1065353216);
		assert_int_equal(draws(r), 3);
		gsl_rng_free(r);
	}
}

/* A lost packet gets FAULT_DROP only, and no further draws are made for it
 * even when every other fault is certain. */
static void test_lost_gets_nothing_else(void **state)
{
	const double u[] = {0.0, 0.0, 0.0, 0.0, 0.0};
	struct fault_conf c = conf0();
	gsl_rng *r = script_rng(u, 5);
	struct faults f;
	struct packet p;
	sim_time_t extra = 12345;

	(void)state;
	c.loss = LOSS_BERNOULLI;
	c.p = 0.5;
	c.dup_p = 1;
	c.reorder_p = 1;
	c.reorder_delay = SIM_MS;
	c.corrupt_p = 1;
	faults_init(&f, &c, r);
	pkt_init(&p);
	assert_int_equal(faults_apply(&f, &p, &extra), FAULT_DROP);
	assert_int_equal(draws(r), 1);
	assert_int_equal(extra, 0);
	assert_int_equal(p.corrupt_word, PKT_CORRUPT_NONE);
	assert_int_equal(f.lost, 1);
	assert_int_equal(f.duplicated + f.reordered + f.corrupted, 0);
	gsl_rng_free(r);
}

/* Draw order for a surviving packet: loss, dup, reorder (+ amount),
 * corrupt (+ pattern).  Unconfigured faults draw nothing. */
static void test_draw_order(void **state)
{
	/* loss 0.9 >= p: kept; dup 0.1 < 0.2: dup; reorder 0.3 < 0.5: delay,
	 * amount draw; corrupt 0.05 < 0.1: corrupt, pattern draw */
	const double u[] = {0.9, 0.1, 0.3, 0.25, 0.05, 0.5};
	struct fault_conf c = conf0();
	gsl_rng *r = script_rng(u, 6);
	struct faults f;
	struct packet p;
	sim_time_t extra;

	(void)state;
	c.loss = LOSS_BERNOULLI;
	c.p = 0.5;
	c.dup_p = 0.2;
	c.reorder_p = 0.5;
	c.reorder_delay = 1000;
	c.corrupt_p = 0.1;
	faults_init(&f, &c, r);
	pkt_init(&p);
	assert_int_equal(faults_apply(&f, &p, &extra),
			 FAULT_DUP | FAULT_DELAY | FAULT_CORRUPT);
	assert_int_equal(draws(r), 6);
	/* gsl_rng_uniform_int(r, 1001) from a 0.25 draw: 1001 * 0.25 -> 250 */
	assert_int_equal(extra, 250);
	assert_int_not_equal(p.corrupt_word, PKT_CORRUPT_NONE);

	/* only corruption configured: one draw per intact packet */
	{
		const double u2[] = {0.5, 0.7, 0.2};
		gsl_rng *r2 = script_rng(u2, 3);

		c = conf0();
		c.corrupt_p = 0.1;
		faults_init(&f, &c, r2);
		for (int i = 0; i < 3; i++) {
			pkt_init(&p);
			assert_int_equal(faults_apply(&f, &p, &extra), 0);
		}
		assert_int_equal(draws(r2), 3);
		gsl_rng_free(r2);
	}
	gsl_rng_free(r);
}

/* List: exactly the listed packet numbers (1-based, every packet counts)
 * are dropped, and no random number is ever drawn (the script is empty, so
 * any draw fails the test). */
static void test_list_drops(void **state)
{
	const uint64_t drop[] = {1, 14, 26, 28, 29};
	struct fault_conf c = conf0();
	gsl_rng *r = script_rng(NULL, 0);
	struct faults f;
	struct packet p;
	sim_time_t extra = 7;
	size_t k = 0;

	(void)state;
	c.loss = LOSS_LIST;
	memcpy(c.drop_pkts, drop, sizeof drop);
	c.n_drop_pkts = 5;
	assert_true(faults_active(&c));
	faults_init(&f, &c, r);
	for (uint64_t n = 1; n <= 100; n++) {
		unsigned want = 0;

		if (k < 5 && drop[k] == n) {
			want = FAULT_DROP;
			k++;
		}
		pkt_init(&p);
		assert_int_equal(faults_apply(&f, &p, &extra), want);
		assert_int_equal(extra, 0);
	}
	assert_int_equal(f.lost, 5);
	assert_int_equal(f.seen_pkts, 100);
	assert_int_equal(draws(r), 0);
	/* faults_init() restarts the count */
	faults_init(&f, &c, r);
	pkt_init(&p);
	assert_int_equal(faults_apply(&f, &p, &extra), FAULT_DROP);
	gsl_rng_free(r);
}

/* An empty list is no fault; a list with other faults draws only for
 * those, and only for the packets the list keeps. */
static void test_list_with_other_faults(void **state)
{
	const double u[] = {0.5, 0.01, 0.9};
	struct fault_conf c = conf0();
	gsl_rng *r = script_rng(u, 3);
	struct faults f;
	struct packet p;
	sim_time_t extra;

	(void)state;
	c.loss = LOSS_LIST;
	assert_false(faults_active(&c));
	c.drop_pkts[0] = 2;
	c.n_drop_pkts = 1;
	c.dup_p = 0.1;
	faults_init(&f, &c, r);
	pkt_init(&p);
	assert_int_equal(faults_apply(&f, &p, &extra), 0);            /* 1: 0.5 */
	assert_int_equal(draws(r), 1);
	assert_int_equal(faults_apply(&f, &p, &extra), FAULT_DROP);   /* 2 */
	assert_int_equal(draws(r), 1);
	assert_int_equal(faults_apply(&f, &p, &extra), FAULT_DUP);    /* 3: 0.01 */
	assert_int_equal(faults_apply(&f, &p, &extra), 0);            /* 4: 0.9 */
	assert_int_equal(draws(r), 3);
	assert_int_equal(f.lost, 1);
	assert_int_equal(f.duplicated, 1);
	gsl_rng_free(r);
}

/* A full list of FAULT_LIST_MAX numbers, the last one far out. */
static void test_list_full(void **state)
{
	struct fault_conf c = conf0();
	gsl_rng *r = script_rng(NULL, 0);
	struct faults f;
	struct packet p;
	sim_time_t extra;
	uint64_t lost = 0;

	(void)state;
	c.loss = LOSS_LIST;
	for (int i = 0; i < FAULT_LIST_MAX; i++)
		c.drop_pkts[i] = 3 * (uint64_t)i + 2;           /* 2, 5, 8, ... */
	c.n_drop_pkts = FAULT_LIST_MAX;
	faults_init(&f, &c, r);
	pkt_init(&p);
	for (uint64_t n = 1; n <= 3 * FAULT_LIST_MAX + 10; n++) {
		unsigned m = faults_apply(&f, &p, &extra);

		assert_int_equal(m, n % 3 == 2 && n < 3 * FAULT_LIST_MAX ? FAULT_DROP : 0);
		lost += m == FAULT_DROP;
	}
	assert_int_equal(lost, FAULT_LIST_MAX);
	assert_int_equal(f.lost, FAULT_LIST_MAX);
	gsl_rng_free(r);
}

/* Same seed, same faults, packet for packet; another seed differs. */
static void run_trace(uint64_t seed, unsigned *mask, sim_time_t *delay, int n)
{
	struct fault_conf c = conf0();
	struct faults f;
	struct packet p;
	gsl_rng *r = rng_stream(seed, "link:a-b");

	c.loss = LOSS_GILBERT;
	c.p = 0.05;
	c.r = 0.3;
	c.loss_bad = 0.7;
	c.loss_good = 0.001;
	c.dup_p = 0.05;
	c.reorder_p = 0.1;
	c.reorder_delay = 5 * SIM_MS;
	c.corrupt_p = 0.05;
	faults_init(&f, &c, r);
	for (int i = 0; i < n; i++) {
		pkt_init(&p);
		mask[i] = faults_apply(&f, &p, &delay[i]);
		if (mask[i] & FAULT_CORRUPT)
			mask[i] |= (unsigned)p.corrupt_word << 8;
	}
	gsl_rng_free(r);
}

static void test_determinism(void **state)
{
	enum { N = 5000 };
	static unsigned m1[N], m2[N], m3[N];
	static sim_time_t d1[N], d2[N], d3[N];

	(void)state;
	run_trace(42, m1, d1, N);
	run_trace(42, m2, d2, N);
	run_trace(43, m3, d3, N);
	assert_memory_equal(m1, m2, sizeof m1);
	assert_memory_equal(d1, d2, sizeof d1);
	assert_true(memcmp(m1, m3, sizeof m1) != 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_active),
		cmocka_unit_test(test_bernoulli_rate),
		cmocka_unit_test(test_bernoulli_draws),
		cmocka_unit_test(test_gilbert_bursts),
		cmocka_unit_test(test_gilbert_elliott_rate),
		cmocka_unit_test(test_gilbert_order),
		cmocka_unit_test(test_dup_reorder_corrupt_rates),
		cmocka_unit_test(test_reorder_wide_range),
		cmocka_unit_test(test_delay_exact),
		cmocka_unit_test(test_lost_gets_nothing_else),
		cmocka_unit_test(test_draw_order),
		cmocka_unit_test(test_determinism),
		cmocka_unit_test(test_list_drops),
		cmocka_unit_test(test_list_with_other_faults),
		cmocka_unit_test(test_list_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
