/*
 * test_red.c - RED (queue_red.c) against hand computation.
 *
 * Randomness comes from a scripted GSL generator: gsl_rng_uniform() returns
 * the next value of a script and the test knows exactly how many draws were
 * made.  So every early drop is deterministic and the marking probability
 * pa can be pinned down from both sides (a draw just below pa drops, just
 * above does not).
 *
 * To put the average where a test wants it, most tests use wq = 1 (avg is
 * then the instantaneous queue seen by the arrival, F&J Fig. 2) and fill the
 * queue first with thresholds set out of reach (count = -1 below min_th),
 * then set the thresholds under test in q->conf: forcing the discipline into
 * a state, as lwIP's tests do with a TCP control block.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <cmocka.h>

#include "queue.h"
#include "packet.h"
#include "sim.h"

#include "script_rng.h"

/* ---- packets and queues ---- */
static struct packet *mkpkt(uint32_t ip_len, uint8_t ecn)
{
	struct packet *p = calloc(1, sizeof *p);

	assert_non_null(p);
	p->ev.slot = -1;
	p->corrupt_word = PKT_CORRUPT_NONE;
	p->proto = IPPROTO_UDP_;
	p->payload_len = ip_len - IP_HDR_LEN - UDP_HDR_LEN;
	p->ecn = ecn;
	return p;
}

static struct queue_conf red_conf(double min_th, double max_th, double max_p, double wq)
{
	struct queue_conf c;

	memset(&c, 0, sizeof c);
	strcpy(c.type, "red");
	c.min_th = min_th;
	c.max_th = max_th;
	c.max_p = max_p;
	c.wq = wq;
	c.mean_pkt_bytes = 1000;
	return c;
}

/* 8 Mbit/s: a 1000-byte typical packet takes s = 1 ms. */
#define LINK_BPS 8000000u

static void free_all(struct sim *s, struct queue *q)
{
	struct packet *p = queue_flush(s, q);

	while (p) {
		struct packet *n = p->next;

		free(p);
		p = n;
	}
}

/* Offer a packet; free it if refused.  Returns the verdict. */
static enum queue_verdict offer(struct sim *s, struct queue *q, uint32_t len, uint8_t ecn)
{
	struct packet *p = mkpkt(len, ecn);
	enum queue_verdict v = queue_enqueue(s, q, p);

	if (v == QV_DROP)
		free(p);
	return v;
}

/* Fill with n packets of len bytes, RED unable to act; then the test's
 * thresholds.  With wq = 1 the next arrival sees avg = n (or n*len). */
static void fill(struct sim *s, struct queue *q, int n, uint32_t len)
{
	double min_th = q->conf.min_th, max_th = q->conf.max_th;

	q->conf.min_th = q->conf.max_th = 1e18;
	for (int i = 0; i < n; i++)
		assert_int_equal(offer(s, q, len, ECN_NOT_ECT), QV_ENQUEUE);
	q->conf.min_th = min_th;
	q->conf.max_th = max_th;
}

/* ---- tests ---- */

/* F&J Fig. 2, nonempty queue: avg <- (1-wq) avg + wq q, q seen before the
 * arrival joins.  wq = 1/4, arrivals at one instant see q = 0,1,2,3:
 *   0 (empty, no idle time: no change)
 *   0.75*0      + 0.25*1 = 0.25
 *   0.75*0.25   + 0.25*2 = 0.6875
 *   0.75*0.6875 + 0.25*3 = 1.265625          (all exact in binary) */
static void test_ewma(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(100, 200, 0.1, 0.25);
	struct queue *q = queue_create(&c, "r", LINK_BPS, NULL);
	const double want[] = {0, 0.25, 0.6875, 1.265625};

	(void)state;
	assert_non_null(q);
	assert_true(q->ops->avg(q) == 0.0);
	for (int i = 0; i < 4; i++) {
		assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_ENQUEUE);
		assert_true(fabs(queue_disc_avg(q) - want[i]) < 1e-15);
	}
	free_all(&s, q);
	queue_destroy(q);
}

/* F&J Fig. 2 and section 11: an arrival to an empty queue, idle since
 * q_time, sets avg <- (1-wq)^m avg with m = (now - q_time)/s and no other
 * sample; s = 1000*8 bit / 8 Mbit/s = 1 ms.  wq = 1/2. */
static void test_idle_decay(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(100, 200, 0.1, 0.5);
	struct queue *q = queue_create(&c, "r", LINK_BPS, NULL);
	struct packet *p;
	double a;

	(void)state;
	/* arrivals see 0,1,2,3 -> avg 0, 0.5, 1.25, 2.125 */
	for (int i = 0; i < 4; i++)
		offer(&s, q, 1000, ECN_NOT_ECT);
	assert_true(fabs(queue_disc_avg(q) - 2.125) < 1e-15);

	/* empties at t = 5 ms (q_time), next arrival at t = 15 ms: m = 10 */
	s.now = 5 * SIM_MS;
	while ((p = queue_dequeue(&s, q)))
		free(p);
	s.now = 15 * SIM_MS;
	offer(&s, q, 1000, ECN_NOT_ECT);
	a = 2.125 * pow(0.5, 10);
	assert_true(fabs(queue_disc_avg(q) - a) < 1e-15);

	/* it leaves at once (q_time = 15 ms); an arrival 2.5 ms later:
	 * m = 2.5, not rounded */
	free(queue_dequeue(&s, q));
	s.now = 17 * SIM_MS + 500 * SIM_US;
	offer(&s, q, 1000, ECN_NOT_ECT);
	a *= pow(0.5, 2.5);
	assert_true(fabs(queue_disc_avg(q) - a) / a < 1e-12);

	/* leaves and comes back at the same instant: m = 0, avg unchanged
	 * (the figure takes no extra q = 0 sample) */
	free(queue_dequeue(&s, q));
	offer(&s, q, 1000, ECN_NOT_ECT);
	assert_true(fabs(queue_disc_avg(q) - a) / a < 1e-12);

	/* nonempty: ordinary EWMA, no decay however long the gap */
	s.now = 10 * SIM_S;
	offer(&s, q, 1000, ECN_NOT_ECT);
	assert_true(fabs(queue_disc_avg(q) - (0.5 * a + 0.5 * 1)) < 1e-12);
	free_all(&s, q);
	queue_destroy(q);
}

/*
 * F&J section 7 / Fig. 2: pa = pb / (1 - count pb).  wq = 1, min_th = 3.5,
 * max_th = 7.5, max_p = 1, queue held at 4: pb = (4 - 3.5)/4 = 1/8 exactly.
 * The first arrival in the band has count 0 (from -1), so
 *   count k:  pa = (1/8) / (1 - k/8) = 1/(8 - k)
 *   k = 0..6: 1/8, 1/7, ..., 1/2  (one draw each)
 *   k = 7:    pa = 1              (drop without a draw)
 * so marks are at most 8 packets apart (F&J: X uniform in 1..1/pb).  After
 * a mark count = 0 and the next arrival has k = 1, pa = 1/7.
 */
static void test_count_spacing(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(3.5, 7.5, 1.0, 1.0);
	const double eps = 1e-9;
	double script[16];
	size_t n = 0;
	struct queue *q;
	gsl_rng *r;

	(void)state;
	for (int k = 0; k <= 6; k++)
		script[n++] = 1.0 / (8 - k) + eps;      /* just misses: enqueue */
	script[n++] = 1.0 / 7 - eps;                    /* k = 1: drop */
	script[n++] = 1.0 / 7 + eps;                    /* k = 1: enqueue */
	script[n++] = 1.0 / 6 - eps;                    /* k = 2: drop */
	r = script_rng(script, n);
	q = queue_create(&c, "r", LINK_BPS, r);
	fill(&s, q, 4, 1000);
	assert_int_equal(draws(r), 0);

	/* hold the queue at 4: each accepted arrival is matched by a departure */
	for (int k = 0; k <= 6; k++) {
		assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_ENQUEUE);
		free(queue_dequeue(&s, q));
		assert_int_equal(draws(r), (size_t)k + 1);
	}
	/* k = 7: pa = 1, dropped with no draw */
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_DROP);
	assert_int_equal(draws(r), 7);
	assert_int_equal(q->dropped_early, 1);
	/* count = 0 -> k = 1: pa = 1/7; a draw just below drops */
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_DROP);
	assert_int_equal(q->dropped_early, 2);
	/* k = 1 again; just above 1/7: enqueue */
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_ENQUEUE);
	free(queue_dequeue(&s, q));
	/* k = 2: pa = 1/6; just below: drop */
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_DROP);
	assert_int_equal(draws(r), n);
	assert_int_equal(q->dropped_early, 3);
	assert_int_equal(q->dropped_forced, 0);
	assert_int_equal(q->dropped, 3);

	/* below min_th resets count to -1: the next arrival in the band has
	 * k = 0 again, pa = 1/8 (checked by a draw just below 1/8) */
	{
		const double s2[] = {1.0 / 8 - eps};
		gsl_rng *r2 = script_rng(s2, 1);

		q->rng = r2;
		free(queue_dequeue(&s, q));            /* queue 3: avg 3 < 3.5 */
		assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_ENQUEUE);
		/* now 4 */
		assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_DROP);
		assert_int_equal(draws(r2), 1);
		gsl_rng_free(r2);
	}
	free_all(&s, q);
	queue_destroy(q);
	gsl_rng_free(r);
}

/* Above max_th without gentle: every arrival is dropped, no draw, counted
 * as forced - and ECT packets too, even with ECN on (RFC 3168 section 5:
 * marking replaces drops for incipient congestion; section 7: drop when
 * congestion is high). */
static void test_forced_above_max(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(2, 4, 0.5, 1.0);
	gsl_rng *r = script_rng(NULL, 0);
	struct queue *q;

	(void)state;
	c.ecn = true;
	q = queue_create(&c, "r", LINK_BPS, r);
	fill(&s, q, 4, 1000);                  /* avg = 4 = max_th */
	for (int i = 0; i < 5; i++)
		assert_int_equal(offer(&s, q, 1000, i & 1 ? ECN_ECT0 : ECN_NOT_ECT), QV_DROP);
	assert_int_equal(q->dropped_forced, 5);
	assert_int_equal(q->dropped_early, 0);
	assert_int_equal(q->marked, 0);
	assert_int_equal(draws(r), 0);
	free_all(&s, q);
	queue_destroy(q);
	gsl_rng_free(r);
}

/*
 * Gentle RED (Floyd 2000): min_th = 2, max_th = 4, max_p = 1/2, wq = 1.
 * Queue 5: pb = 1/2 + (1/2)(5 - 4)/4 = 5/8, a probabilistic (early) drop:
 *   k = 0: pa = 5/8 (draw just below drops)
 *   k = 1: count pb = 5/8 < 1, pa = (5/8)/(3/8) > 1: drop without a draw
 * Queue 8 = 2 max_th: forced.
 */
static void test_gentle(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(2, 4, 0.5, 1.0);
	const double script[] = {0.625 - 1e-9, 0.625 + 1e-9};
	gsl_rng *r = script_rng(script, 2);
	struct queue *q;

	(void)state;
	c.gentle = true;
	q = queue_create(&c, "r", LINK_BPS, r);
	fill(&s, q, 5, 1000);
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_DROP);    /* k=0 */
	assert_int_equal(draws(r), 1);
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_DROP);    /* k=1 */
	assert_int_equal(draws(r), 1);
	assert_int_equal(q->dropped_early, 2);
	assert_int_equal(q->dropped_forced, 0);

	/* count back to -1 (one arrival RED cannot act on), queue 5 again:
	 * k = 0, pa = 5/8, a draw just above it: enqueue */
	free(queue_dequeue(&s, q));
	fill(&s, q, 1, 1000);
	assert_int_equal(q->len_pkts, 5);
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_ENQUEUE);
	assert_int_equal(draws(r), 2);

	/* queue 8 = 2 max_th: forced drop, even for ECT, no draw */
	fill(&s, q, 2, 1000);
	assert_int_equal(q->len_pkts, 8);
	assert_int_equal(offer(&s, q, 1000, ECN_ECT0), QV_DROP);
	assert_int_equal(q->dropped_forced, 1);
	assert_int_equal(draws(r), 2);

	/* the same queue without gentle: 5 >= max_th is already forced */
	q->conf.gentle = false;
	free(queue_dequeue(&s, q));
	free(queue_dequeue(&s, q));
	free(queue_dequeue(&s, q));
	assert_int_equal(q->len_pkts, 5);
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_DROP);
	assert_int_equal(q->dropped_forced, 2);
	assert_int_equal(draws(r), 2);
	free_all(&s, q);
	queue_destroy(q);
	gsl_rng_free(r);
}

/* ECN (RFC 3168 section 5): an early drop becomes a CE mark for ECT(0),
 * ECT(1) and CE packets; Not-ECT packets are dropped.  Each arrival is at
 * k = 0 (queue refilled below min_th in between), pa = pb = 1/8, and every
 * draw (0) is below pa. */
static void test_ecn(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(3.5, 7.5, 1.0, 1.0);
	const double script[] = {0, 0, 0, 0};
	gsl_rng *r = script_rng(script, 4);
	const uint8_t ecn[] = {ECN_ECT0, ECN_ECT1, ECN_CE, ECN_NOT_ECT};
	const enum queue_verdict want[] = {QV_MARK, QV_MARK, QV_MARK, QV_DROP};
	struct queue *q;

	(void)state;
	c.ecn = true;
	q = queue_create(&c, "r", LINK_BPS, r);
	fill(&s, q, 4, 1000);
	for (int i = 0; i < 4; i++) {
		struct packet *p = mkpkt(1000, ecn[i]);
		enum queue_verdict v = queue_enqueue(&s, q, p);

		assert_int_equal(v, want[i]);
		if (v == QV_MARK) {
			assert_int_equal(p->ecn, ECN_CE);
			assert_ptr_equal(q->tail, p);
			free(queue_dequeue(&s, q));
		} else {
			assert_int_equal(p->ecn, ECN_NOT_ECT);
			free(p);
		}
		/* back below min_th so the next arrival has k = 0 */
		free(queue_dequeue(&s, q));
		offer(&s, q, 1000, ECN_NOT_ECT);
	}
	assert_int_equal(q->marked, 3);
	assert_int_equal(q->dropped_early, 1);
	assert_int_equal(q->dropped, 1);
	assert_int_equal(draws(r), 4);
	free_all(&s, q);
	queue_destroy(q);
	gsl_rng_free(r);
}

/* Without ECN configured, an ECT packet is dropped, not marked. */
static void test_ecn_off(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(3.5, 7.5, 1.0, 1.0);
	const double script[] = {0};
	gsl_rng *r = script_rng(script, 1);
	struct queue *q = queue_create(&c, "r", LINK_BPS, r);

	(void)state;
	fill(&s, q, 4, 1000);
	assert_int_equal(offer(&s, q, 1000, ECN_ECT0), QV_DROP);
	assert_int_equal(q->marked, 0);
	assert_int_equal(q->dropped_early, 1);
	free_all(&s, q);
	queue_destroy(q);
	gsl_rng_free(r);
}

/*
 * Byte mode (F&J section 4): avg and thresholds in bytes, pb scaled by
 * size / mean_pkt_bytes.  wq = 1, four 500-byte packets queued: avg = 2000;
 * min_th = 1500, max_th = 3500, max_p = 1/4: pb = (1/4)(500/2000) = 1/16,
 * then times size/1000 (mean 1000): a 2000-byte packet has pa = 1/8, a
 * 500-byte one 1/32.  Each offer is at k = 0 (count reset by refilling).
 */
static void test_byte_mode(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(1500, 3500, 0.25, 1.0);
	const double eps = 1e-9;
	const double script[] = {
		0.125 - eps,            /* 2000 B: drop */
		0.125 + eps,            /* 2000 B: keep */
		1.0 / 32 - eps,         /* 500 B: drop */
		1.0 / 32 + eps,         /* 500 B: keep */
	};
	const uint32_t size[] = {2000, 2000, 500, 500};
	const enum queue_verdict want[] = {QV_DROP, QV_ENQUEUE, QV_DROP, QV_ENQUEUE};
	gsl_rng *r = script_rng(script, 4);
	struct queue *q;

	(void)state;
	c.byte_mode = true;
	q = queue_create(&c, "r", LINK_BPS, r);
	for (int i = 0; i < 4; i++) {
		struct packet *p;

		while ((p = queue_dequeue(&s, q)))
			free(p);
		fill(&s, q, 4, 500);
		/* refill left count at -1: avg below min_th during fill */
		assert_int_equal(offer(&s, q, size[i], ECN_NOT_ECT), want[i]);
		assert_true(fabs(queue_disc_avg(q) - 2000.0) < 1e-9);
	}
	assert_int_equal(draws(r), 4);
	assert_int_equal(q->dropped_early, 2);
	free_all(&s, q);
	queue_destroy(q);
	gsl_rng_free(r);
}

/* The buffer is physical: with limit_pkts = 3 and RED unable to act, the
 * fourth arrival is a forced drop - and the average is still updated by it
 * (F&J Fig. 2 runs on every arrival).  wq = 1/2, arrivals see 0,1,2,3:
 * avg 0, 0.5, 1.25, 2.125. */
static void test_full_buffer(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(100, 200, 0.1, 0.5);
	struct queue *q;

	(void)state;
	c.limit_pkts = 3;
	q = queue_create(&c, "r", LINK_BPS, NULL);
	for (int i = 0; i < 3; i++)
		assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_ENQUEUE);
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_DROP);
	assert_true(fabs(queue_disc_avg(q) - 2.125) < 1e-15);
	assert_int_equal(q->dropped_forced, 1);
	assert_int_equal(q->dropped_early, 0);
	assert_int_equal(q->dropped, 1);
	free_all(&s, q);
	queue_destroy(q);
}

/* ECN on, early decision to mark, but the buffer is full: drop (RFC 3168
 * section 5 allows marking only "when the router's buffer is not yet
 * full"), counted as forced. */
static void test_full_buffer_ecn(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(3.5, 7.5, 1.0, 1.0);
	const double script[] = {0};
	gsl_rng *r = script_rng(script, 1);
	struct queue *q;
	struct packet *p = mkpkt(1000, ECN_ECT0);

	(void)state;
	c.ecn = true;
	c.limit_pkts = 4;
	q = queue_create(&c, "r", LINK_BPS, r);
	fill(&s, q, 4, 1000);
	assert_int_equal(queue_enqueue(&s, q, p), QV_DROP);
	assert_int_equal(p->ecn, ECN_ECT0);
	assert_int_equal(q->marked, 0);
	assert_int_equal(q->dropped_forced, 1);
	assert_int_equal(draws(r), 1);
	free(p);
	free_all(&s, q);
	queue_destroy(q);
	gsl_rng_free(r);
}

/* A full-buffer drop resets count to 0, like a mark (ns-2's RED does the
 * same): wq = 1, min_th = 3.5, max_th = 7.5, max_p = 1, limit 5.
 *   queue 4: pb = 1/8, k = 0, pa = 1/8, draw 0.5: enqueue (queue 5)
 *   queue 5: pb = 3/8, k = 1, pa = 3/5, draw 0.9: no early drop, but the
 *            buffer is full: forced drop, count <- 0
 *   one departure, queue 4: pb = 1/8, k = 1, pa = 1/7 = 0.1429; a draw
 *            of 0.15 keeps it (without the reset k = 2, pa = 1/6: drop) */
static void test_full_buffer_resets_count(void **state)
{
	struct sim s = {0};
	struct queue_conf c = red_conf(3.5, 7.5, 1.0, 1.0);
	const double script[] = {0.5, 0.9, 0.15};
	gsl_rng *r = script_rng(script, 3);
	struct queue *q;

	(void)state;
	c.limit_pkts = 5;
	q = queue_create(&c, "r", LINK_BPS, r);
	fill(&s, q, 4, 1000);
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_ENQUEUE);
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_DROP);
	assert_int_equal(q->dropped_forced, 1);
	assert_int_equal(q->dropped_early, 0);
	free(queue_dequeue(&s, q));
	assert_int_equal(offer(&s, q, 1000, ECN_NOT_ECT), QV_ENQUEUE);
	assert_int_equal(draws(r), 3);
	free_all(&s, q);
	queue_destroy(q);
	gsl_rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ewma),
		cmocka_unit_test(test_idle_decay),
		cmocka_unit_test(test_count_spacing),
		cmocka_unit_test(test_forced_above_max),
		cmocka_unit_test(test_gentle),
		cmocka_unit_test(test_ecn),
		cmocka_unit_test(test_ecn_off),
		cmocka_unit_test(test_byte_mode),
		cmocka_unit_test(test_full_buffer),
		cmocka_unit_test(test_full_buffer_ecn),
		cmocka_unit_test(test_full_buffer_resets_count),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
