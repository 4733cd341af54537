/*
 * test_tcp_rtt.c - RTT estimators and retransmission timeouts (tcp_rtt.c).
 *
 * Every expected value below was worked out by hand from the RFC formulas
 * (the working is in the comments), to the nanosecond: the filters are
 * integer arithmetic with documented rounding, so nothing is compared with
 * a tolerance.  The sample sequence 100, 120, 80 ms then a jump to 500 ms is
 * shared by rfc6298 and jacobson88, which use the same filter and differ in
 * G, the initial state and the backoff.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "sim.h"
#include "tcp_rtt.h"

#define MS SIM_MS
#define S  SIM_S

static struct tcp_rtt_conf conf(sim_time_t initial, sim_time_t min,
				sim_time_t max, sim_time_t g)
{
	struct tcp_rtt_conf c = {
		.rto_initial = initial, .rto_min = min, .rto_max = max,
		.granularity = g, .alpha = 0.875, .beta = 2.0,
	};
	return c;
}

static const struct tcp_rtt_ops *ops(const char *name)
{
	const struct tcp_rtt_ops *o = tcp_rtt_find(name);

	assert_non_null(o);
	return o;
}

static void start(struct tcp_rtt *r, const struct tcp_rtt_ops *o,
		  const struct tcp_rtt_conf *c)
{
	memset(r, 0xa5, sizeof *r);     /* init must set everything */
	r->conf = c;
	o->init(r);
	assert_ptr_equal(r->conf, c);
}

#define assert_state(r, s, v, rt) do { \
	assert_int_equal((r)->srtt, (s)); \
	assert_int_equal((r)->rttvar, (v)); \
	assert_int_equal((r)->rto, (rt)); \
} while (0)

/* ---- registry ---- */

static void test_registry(void **state)
{
	(void)state;
	static const char *const names[] = { "rfc6298", "jacobson88", "rfc793" };
	int n = 0;

	for (int i = 0; tcp_rtt_registry[i]; i++, n++) {
		const struct tcp_rtt_ops *o = tcp_rtt_registry[i];

		/* every hook is required */
		assert_non_null(o->name);
		assert_non_null(o->init);
		assert_non_null(o->sample);
		assert_non_null(o->timeout);
		/* the name fits tcp_rtt_conf.name */
		assert_true(strlen(o->name) < sizeof ((struct tcp_rtt_conf *)0)->name);
		assert_ptr_equal(tcp_rtt_find(o->name), o);
		for (int j = 0; j < i; j++)
			assert_string_not_equal(tcp_rtt_registry[j]->name, o->name);
	}
	assert_int_equal(n, 3);
	for (int i = 0; i < 3; i++)
		assert_string_equal(ops(names[i])->name, names[i]);
	assert_null(tcp_rtt_find("reno"));
	assert_null(tcp_rtt_find(""));
	assert_null(tcp_rtt_find("RFC6298"));
	assert_null(tcp_rtt_find("rfc6298 "));
	assert_null(tcp_rtt_find(NULL));
}

/* ---- rfc6298 ---- */

static void test_rfc6298_sequence(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(1 * S, 100 * MS, 60 * S, 1 * MS);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("rfc6298");

	start(&r, o, &c);
	/* 2.1: RTO 1 s before any measurement */
	assert_false(r.has_sample);
	assert_int_equal(r.samples, 0);
	assert_state(&r, 0, 0, 1 * S);
	assert_int_equal(o->timeout(&r, 0), 1 * S);
	assert_int_equal(o->timeout(&r, 1), 2 * S);

	/* 2.2: SRTT = 100, RTTVAR = 50, RTO = 100 + max(1, 200) = 300 ms */
	o->sample(&r, 100 * MS);
	assert_true(r.has_sample);
	assert_state(&r, 100 * MS, 50 * MS, 300 * MS);

	/* 2.3: RTTVAR = 3/4 50 + 1/4 |100 - 120| = 42.5;
	 *      SRTT = 7/8 100 + 1/8 120 = 102.5; RTO = 102.5 + 170 */
	o->sample(&r, 120 * MS);
	assert_state(&r, 102500000, 42500000, 272500000);

	/* RTTVAR = 3/4 42.5 + 1/4 22.5 = 37.5;
	 * SRTT = 102.5 - 22.5/8 = 99.6875; RTO = 99.6875 + 150 */
	o->sample(&r, 80 * MS);
	assert_state(&r, 99687500, 37500000, 249687500);

	/* the jump: |SRTT - R| = 400.3125 ms
	 * RTTVAR = 37.5 + (400.3125 - 37.5)/4 = 128.203125 ms (exact)
	 * SRTT = 99.6875 + 400.3125/8 = 149.7265625 ms: the half ns rounds
	 *        away from zero, up here -> 149 726 563 ns
	 * RTO = 149 726 563 + 4 * 128 203 125 = 662 539 063 ns */
	o->sample(&r, 500 * MS);
	assert_state(&r, 149726563, 128203125, 662539063);
	assert_int_equal(r.samples, 4);
	assert_int_equal(r.last_sample, 500 * MS);
}

/* Ties round away from zero in both directions, so a rise and a fall of the
 * same size move SRTT by the same amount. */
static void test_rfc6298_rounding(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(1 * S, 0, 60 * S, 0);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("rfc6298");

	start(&r, o, &c);
	o->sample(&r, 100 * MS);
	/* R - SRTT = +4 ns: +0.5 -> +1; RTTVAR 50 ms + (4 - 50 ms)/4 =
	 * 50 000 000 - 12 499 999 = 37 500 001 (exact) */
	o->sample(&r, 100 * MS + 4);
	assert_int_equal(r.srtt, 100 * MS + 1);
	assert_int_equal(r.rttvar, 37500001);

	start(&r, o, &c);
	o->sample(&r, 100 * MS);
	o->sample(&r, 100 * MS - 4);    /* -0.5 -> -1 */
	assert_int_equal(r.srtt, 100 * MS - 1);
	assert_int_equal(r.rttvar, 37500001);

	/* R/2 for the first RTTVAR: 3 ns -> 1.5 -> 2 */
	start(&r, o, &c);
	o->sample(&r, 3);
	assert_int_equal(r.srtt, 3);
	assert_int_equal(r.rttvar, 2);
	assert_int_equal(r.rto, 3 + 8);
}

/* With a steady RTT the variance decays until G is the larger term:
 * RTO = SRTT + max(G, 4 RTTVAR) -> SRTT + G. */
static void test_rfc6298_granularity(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(1 * S, 0, 60 * S, 1 * MS);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("rfc6298");

	start(&r, o, &c);
	for (int i = 0; i < 100; i++)
		o->sample(&r, 10 * MS);
	assert_int_equal(r.srtt, 10 * MS);
	/* RTTVAR shrinks by 1/4 a sample; rounding leaves it at 1 ns
	 * (1 + round(-1/4) = 1) */
	assert_int_equal(r.rttvar, 1);
	assert_int_equal(r.rto, 11 * MS);
	/* G = 0: RTO = SRTT + 4 ns */
	c.granularity = 0;
	o->sample(&r, 10 * MS);
	assert_int_equal(r.rto, 10 * MS + 4);
}

/* 2.4: raised to rto_min; 2.5: cut to rto_max. */
static void test_rfc6298_clamp(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(1 * S, 1 * S, 60 * S, 1 * MS);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("rfc6298");

	start(&r, o, &c);
	o->sample(&r, 100 * MS);                /* 300 ms -> 1 s */
	assert_state(&r, 100 * MS, 50 * MS, 1 * S);
	assert_int_equal(o->timeout(&r, 1), 2 * S);
	start(&r, o, &c);
	o->sample(&r, 30 * S);                  /* 30 + 60 = 90 s -> 60 s */
	assert_state(&r, 30 * S, 15 * S, 60 * S);
	assert_int_equal(o->timeout(&r, 0), 60 * S);
	assert_int_equal(o->timeout(&r, 5), 60 * S);
	/* rto_min > rto_max (a bad configuration): the maximum wins */
	c.rto_min = 90 * S;
	o->sample(&r, 30 * S);
	assert_int_equal(r.rto, 60 * S);
}

/* 5.5: doubling per expiry, saturating at rto_max for any shift. */
static void test_rfc6298_backoff(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(1 * S, 1 * S, 60 * S, 1 * MS);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("rfc6298");
	static const sim_time_t want[] = {
		1 * S, 2 * S, 4 * S, 8 * S, 16 * S, 32 * S, 60 * S, 60 * S,
	};

	start(&r, o, &c);
	o->sample(&r, 100 * MS);
	for (int s = 0; s < 8; s++)
		assert_int_equal(o->timeout(&r, s), want[s]);
	for (int s = 8; s <= 64; s++)
		assert_int_equal(o->timeout(&r, s), 60 * S);
	assert_int_equal(o->timeout(&r, 1000), 60 * S);
	assert_int_equal(o->timeout(&r, -1), 1 * S);    /* as 0 */
	/* no rto_max to hide behind: 2^30 s overflows int64 ns at some
	 * shift, and must saturate there instead */
	c.rto_max = SIM_TIME_MAX;
	assert_int_equal(o->timeout(&r, 33), (1 * S) << 33);   /* 8.6e18 */
	assert_int_equal(o->timeout(&r, 34), SIM_TIME_MAX);
	for (int s = 34; s <= 64; s++)
		assert_int_equal(o->timeout(&r, s), SIM_TIME_MAX);
	/* the timer's base is untouched by asking */
	assert_int_equal(r.rto, 1 * S);
}

/* ---- jacobson88 ---- */

/* 4.3BSD-Reno with no sample: t_rxtcur 6 s, then TCP_REXMTVAL (0 + 4 * 3 s)
 * times tcp_backoff[] = 2, 4, 8: 24 s, 48 s, 96 s cut to TCPTV_REXMTMAX
 * 64 s (TCP/IP Illustrated vol. 1 fig. 18.6: SYN at 0, 6, 30, 78 s). */
static void test_jacobson88_bsd_syn(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(6 * S, 1 * S, 64 * S, 500 * MS);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("jacobson88");
	static const sim_time_t want[] = { 6 * S, 24 * S, 48 * S, 64 * S, 64 * S };

	start(&r, o, &c);
	assert_false(r.has_sample);
	assert_state(&r, 0, 3 * S, 6 * S);
	for (int s = 0; s < 5; s++)
		assert_int_equal(o->timeout(&r, s), want[s]);
	for (int s = 5; s <= 64; s++)
		assert_int_equal(o->timeout(&r, s), 64 * S);
	assert_int_equal(o->timeout(&r, 1000), 64 * S);
	assert_int_equal(o->timeout(&r, -3), 6 * S);
}

/* The same filter as RFC 6298, without G. */
static void test_jacobson88_sequence(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(6 * S, 10 * MS, 64 * S, 500 * MS);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("jacobson88");

	start(&r, o, &c);
	/* first sample replaces the 3 s RTTVAR: SRTT 100, RTTVAR 50,
	 * RTO 300 ms ("first retransmit at 3*rtt"); G = 500 ms plays no
	 * part */
	o->sample(&r, 100 * MS);
	assert_true(r.has_sample);
	assert_state(&r, 100 * MS, 50 * MS, 300 * MS);
	o->sample(&r, 120 * MS);
	assert_state(&r, 102500000, 42500000, 272500000);
	o->sample(&r, 80 * MS);
	assert_state(&r, 99687500, 37500000, 249687500);
	o->sample(&r, 500 * MS);
	assert_state(&r, 149726563, 128203125, 662539063);
	assert_int_equal(r.samples, 4);
	assert_int_equal(r.last_sample, 500 * MS);

	/* falling to a steady 10 ms: SRTT stops 3 ns above it (a 3 ns error
	 * is 0.375 ns a step, rounded away), RTTVAR at 4 ns (4 + round(-1/4)
	 * = 4); RTO = SRTT + 4 RTTVAR with no G to hide the 16 ns */
	for (int i = 0; i < 200; i++)
		o->sample(&r, 10 * MS);
	assert_state(&r, 10 * MS + 3, 4, 10 * MS + 3 + 16);
	/* from a fresh start the steady state is exact: RTTVAR 1 ns */
	start(&r, o, &c);
	for (int i = 0; i < 200; i++)
		o->sample(&r, 10 * MS);
	assert_state(&r, 10 * MS, 1, 10 * MS + 4);
}

/* After a sample, backoff multiplies TCP_REXMTVAL (unclamped) by
 * tcp_backoff[shift] = 1, 2, 4, ..., 64, 64, ... and clamps the product. */
static void test_jacobson88_backoff(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(6 * S, 10 * MS, 64 * S, 0);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("jacobson88");

	start(&r, o, &c);
	o->sample(&r, 100 * MS);                /* REXMTVAL 300 ms */
	assert_int_equal(o->timeout(&r, 0), 300 * MS);
	assert_int_equal(o->timeout(&r, 1), 600 * MS);
	assert_int_equal(o->timeout(&r, 5), 9600 * MS);
	/* tcp_backoff[] stops at 64: 300 ms * 64 = 19.2 s, below rto_max */
	for (int s = 6; s <= 64; s++)
		assert_int_equal(o->timeout(&r, s), 19200 * MS);
	assert_int_equal(o->timeout(&r, 100000), 19200 * MS);

	/* the minimum applies to the backed-off value too, and since the
	 * product is taken from the unclamped REXMTVAL, the first two
	 * timeouts can be equal (BSD: TCPT_RANGESET(rexmt * backoff)) */
	c.rto_min = 1 * S;
	start(&r, o, &c);
	o->sample(&r, 100 * MS);
	assert_int_equal(r.rto, 1 * S);
	assert_int_equal(o->timeout(&r, 0), 1 * S);
	assert_int_equal(o->timeout(&r, 1), 1 * S);
	assert_int_equal(o->timeout(&r, 2), 1200 * MS);
}

static void test_jacobson88_clamp(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(6 * S, 1 * S, 64 * S, 0);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("jacobson88");

	start(&r, o, &c);
	o->sample(&r, 1 * MS);                  /* 3 ms -> t_rttmin 1 s */
	assert_state(&r, 1 * MS, 500000, 1 * S);
	o->sample(&r, 40 * S);
	/* |err| = 39.999 s; RTTVAR = 0.5 ms + (39.999 s - 0.5 ms)/4 =
	 * 10.000125 s; SRTT = 1 ms + 39.999/8 s = 5.000875 s;
	 * RTO = 5.000875 + 40.0005 = 45.001375 s, inside the bounds */
	assert_state(&r, 5000875000, 10000125000, 45001375000);
	/* |err| = 34.999125 s; RTTVAR = 10.000125 + 24.999/4 = 16.249875;
	 * SRTT = 5.000875 + 4.374890625 = 9.375765625;
	 * RTO = 74.375265625 s -> TCPTV_REXMTMAX 64 s */
	o->sample(&r, 40 * S);
	assert_state(&r, 9375765625, 16249875000, 64 * S);
}

/* ---- rfc793 ---- */

/* RFC 793 3.7 with ALPHA 0.9, BETA 2. */
static void test_rfc793_sequence(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(3 * S, 1 * MS, 60 * S, 1 * MS);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("rfc793");

	c.alpha = 0.9;
	c.beta = 2.0;
	start(&r, o, &c);
	assert_false(r.has_sample);
	assert_state(&r, 0, 0, 3 * S);
	assert_int_equal(o->timeout(&r, 0), 3 * S);
	assert_int_equal(o->timeout(&r, 2), 12 * S);

	o->sample(&r, 100 * MS);                /* SRTT = R; RTO 200 ms */
	assert_state(&r, 100 * MS, 0, 200 * MS);
	o->sample(&r, 120 * MS);                /* .9 100 + .1 120 = 102 */
	assert_state(&r, 102 * MS, 0, 204 * MS);
	o->sample(&r, 80 * MS);                 /* 91.8 + 8 = 99.8 */
	assert_state(&r, 99800000, 0, 199600000);
	o->sample(&r, 500 * MS);                /* 89.82 + 50 = 139.82 */
	assert_state(&r, 139820000, 0, 279640000);
	assert_int_equal(r.samples, 4);
	assert_int_equal(r.last_sample, 500 * MS);

	/* backoff doubles, saturates at rto_max */
	assert_int_equal(o->timeout(&r, 1), 559280000);
	assert_int_equal(o->timeout(&r, 7), 279640000LL << 7);
	for (int s = 8; s <= 64; s++)
		assert_int_equal(o->timeout(&r, s), 60 * S);
}

/* The defaults (0.875, 2.0) and the bounds: LBOUND = rto_min, UBOUND =
 * rto_max. */
static void test_rfc793_bounds(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(1 * S, 1 * S, 60 * S, 1 * MS);
	struct tcp_rtt r;
	const struct tcp_rtt_ops *o = ops("rfc793");

	start(&r, o, &c);
	o->sample(&r, 100 * MS);                /* 200 ms -> LBOUND 1 s */
	assert_state(&r, 100 * MS, 0, 1 * S);
	o->sample(&r, 200 * MS);                /* 87.5 + 25 = 112.5 ms */
	assert_state(&r, 112500000, 0, 1 * S);
	o->sample(&r, 40 * S);                  /* 98.4375 ms + 5 s */
	assert_state(&r, 5098437500, 0, 10196875000);
	start(&r, o, &c);
	o->sample(&r, 40 * S);                  /* 80 s -> UBOUND 60 s */
	assert_state(&r, 40 * S, 0, 60 * S);
}

/* ---- all estimators ---- */

/* Bookkeeping, R <= 0 (taken as 1 ns), absurdly large R (no overflow: the
 * sanitizer build would trap on one), and init starting afresh. */
static void test_all_edges(void **state)
{
	(void)state;
	struct tcp_rtt_conf c = conf(1 * S, 1 * MS, 60 * S, 0);

	for (int i = 0; tcp_rtt_registry[i]; i++) {
		const struct tcp_rtt_ops *o = tcp_rtt_registry[i];
		struct tcp_rtt r;

		start(&r, o, &c);
		assert_false(r.has_sample);
		assert_int_equal(r.samples, 0);
		assert_int_equal(r.last_sample, 0);
		assert_int_equal(r.srtt, 0);
		assert_int_equal(r.rto, 1 * S);

		o->sample(&r, 0);
		assert_true(r.has_sample);
		assert_int_equal(r.samples, 1);
		assert_int_equal(r.last_sample, 1);
		assert_int_equal(r.srtt, 1);
		assert_int_equal(r.rto, 1 * MS);        /* raised to rto_min */
		o->sample(&r, -5 * S);
		assert_int_equal(r.samples, 2);
		assert_int_equal(r.last_sample, 1);
		assert_int_equal(r.srtt, 1);

		o->sample(&r, SIM_TIME_MAX);
		assert_int_equal(r.samples, 3);
		assert_true(r.srtt > 0);
		assert_true(r.rttvar >= 0);
		assert_int_equal(r.rto, 60 * S);
		o->sample(&r, SIM_TIME_MAX);
		o->sample(&r, 1);
		assert_true(r.srtt > 0);
		assert_true(r.rto >= 1 * MS && r.rto <= 60 * S);
		start(&r, o, &c);
		o->sample(&r, SIM_TIME_MAX);
		assert_int_equal(r.srtt, SIM_TIME_MAX);
		assert_int_equal(r.rto, 60 * S);
		for (int s = 0; s <= 64; s++)
			assert_int_equal(o->timeout(&r, s), 60 * S);
		/* no upper bound: the backoff saturates instead of wrapping */
		c.rto_max = SIM_TIME_MAX;
		for (int s = 1; s <= 64; s++)
			assert_true(o->timeout(&r, s) >= o->timeout(&r, s - 1));
		assert_int_equal(o->timeout(&r, 64), SIM_TIME_MAX);
		assert_int_equal(o->timeout(&r, 1000), SIM_TIME_MAX);
		c.rto_max = 60 * S;

		/* init forgets everything */
		o->init(&r);
		assert_false(r.has_sample);
		assert_int_equal(r.samples, 0);
		assert_int_equal(r.srtt, 0);
		assert_int_equal(r.rto, 1 * S);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_rfc6298_sequence),
		cmocka_unit_test(test_rfc6298_rounding),
		cmocka_unit_test(test_rfc6298_granularity),
		cmocka_unit_test(test_rfc6298_clamp),
		cmocka_unit_test(test_rfc6298_backoff),
		cmocka_unit_test(test_jacobson88_bsd_syn),
		cmocka_unit_test(test_jacobson88_sequence),
		cmocka_unit_test(test_jacobson88_backoff),
		cmocka_unit_test(test_jacobson88_clamp),
		cmocka_unit_test(test_rfc793_sequence),
		cmocka_unit_test(test_rfc793_bounds),
		cmocka_unit_test(test_all_edges),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
