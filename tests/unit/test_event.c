/*
 * test_event.c - the scheduler: order, ties, cancel, re-arm, pool, run-until.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "sim.h"

#define MAXLOG 4096
static int fired[MAXLOG];
static sim_time_t fired_at[MAXLOG];
static int n_fired;

static void record(struct sim *s, struct event *ev)
{
	fired_at[n_fired] = s->now;
	fired[n_fired++] = (int)ev->arg;
}

static void sim_setup(struct sim *s)
{
	memset(s, 0, sizeof *s);
	event_queue_init(&s->eq);
	n_fired = 0;
}

static void sim_teardown(struct sim *s)
{
	event_queue_free(&s->eq);
	event_pool_free(&s->evpool);
}

static void test_order_and_ties(void **state)
{
	struct sim s;
	(void)state;
	sim_setup(&s);
	/* Insert out of order, with ties at t=5 inserted as 2, 3, 4. */
	event_at(&s, 9, record, NULL, 0);
	event_at(&s, 5, record, NULL, 2);
	event_at(&s, 1, record, NULL, 1);
	event_at(&s, 5, record, NULL, 3);
	event_at(&s, 5, record, NULL, 4);
	assert_int_equal(sim_run(&s, 100), 5);
	int want[] = { 1, 2, 3, 4, 0 };
	for (int i = 0; i < 5; i++)
		assert_int_equal(fired[i], want[i]);
	assert_int_equal(fired_at[4], 9);
	sim_teardown(&s);
}

static void test_cancel_and_rearm(void **state)
{
	struct sim s;
	struct event a, b, c;
	(void)state;
	sim_setup(&s);
	event_init(&a, record, NULL); a.arg = 1;
	event_init(&b, record, NULL); b.arg = 2;
	event_init(&c, record, NULL); c.arg = 3;
	event_schedule(&s, &a, 10);
	event_schedule(&s, &b, 20);
	event_schedule(&s, &c, 30);
	assert_true(event_pending(&b));
	event_cancel(&s, &b);
	assert_false(event_pending(&b));
	event_cancel(&s, &b);                   /* harmless twice */
	event_schedule(&s, &c, 5);              /* re-arm earlier */
	event_schedule(&s, &a, 40);             /* re-arm later */
	sim_run(&s, 100);
	assert_int_equal(n_fired, 2);
	assert_int_equal(fired[0], 3);
	assert_int_equal(fired_at[0], 5);
	assert_int_equal(fired[1], 1);
	assert_int_equal(fired_at[1], 40);
	sim_teardown(&s);
}

/* Re-arming to the same time as another event puts it after that event:
 * a re-arm counts as a new insertion for tie-breaking. */
static void test_rearm_tie_is_fifo(void **state)
{
	struct sim s;
	struct event a, b;
	(void)state;
	sim_setup(&s);
	event_init(&a, record, NULL); a.arg = 1;
	event_init(&b, record, NULL); b.arg = 2;
	event_schedule(&s, &a, 10);
	event_schedule(&s, &b, 10);
	event_schedule(&s, &a, 10);
	sim_run(&s, 100);
	assert_int_equal(fired[0], 2);
	assert_int_equal(fired[1], 1);
	sim_teardown(&s);
}

static void test_run_until(void **state)
{
	struct sim s;
	(void)state;
	sim_setup(&s);
	event_at(&s, 10, record, NULL, 1);
	event_at(&s, 20, record, NULL, 2);
	event_at(&s, 30, record, NULL, 3);
	assert_int_equal(sim_run(&s, 20), 2);  /* events at `until` fire */
	assert_int_equal(s.now, 20);
	assert_int_equal(sim_run(&s, 25), 0);
	assert_int_equal(s.now, 25);
	assert_int_equal(sim_run(&s, SIM_TIME_MAX), 1);
	assert_int_equal(s.now, 30);            /* nothing left: time stays */
	sim_teardown(&s);
}

/* Against a sorted reference: 20000 random events with many cancels. */
static int cmp_key(const void *x, const void *y)
{
	const int64_t *a = x, *b = y;
	if (a[0] != b[0])
		return a[0] < b[0] ? -1 : 1;
	return a[1] < b[1] ? -1 : a[1] > b[1];
}

static void test_random_against_sort(void **state)
{
	enum { N = 3000 };
	static struct event ev[N];
	static int64_t ref[N][2];
	struct sim s;
	int nref = 0;
	uint64_t x = 88172645463325252ULL;
	(void)state;
	sim_setup(&s);
	for (int i = 0; i < N; i++) {
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		event_init(&ev[i], record, NULL);
		ev[i].arg = (uint64_t)i;
		event_schedule(&s, &ev[i], (sim_time_t)(x % 500));
	}
	for (int i = 0; i < N; i += 3)
		event_cancel(&s, &ev[i]);
	for (int i = 1; i < N; i += 7) {           /* re-arm some */
		x ^= x << 13; x ^= x >> 7; x ^= x << 17;
		event_schedule(&s, &ev[i], (sim_time_t)(x % 500));
	}
	/* Reference order: by time, then by last (re)schedule order, which we
	 * reconstruct as: first-round order i, re-armed ones after all. */
	for (int i = 0; i < N; i++) {
		if (i % 3 == 0 && !event_pending(&ev[i]))
			continue;
		ref[nref][0] = ev[i].time;
		ref[nref][1] = (i % 7 == 1) ? N + i : i;
		nref++;
	}
	qsort(ref, (size_t)nref, sizeof ref[0], cmp_key);
	assert_int_equal(sim_run(&s, 1000), (uint64_t)nref);
	assert_true(nref <= MAXLOG);
	for (int k = 0; k < nref; k++)
		assert_int_equal(fired[k], ref[k][1] >= N ? ref[k][1] - N : ref[k][1]);
	sim_teardown(&s);
}

static void rearm_self(struct sim *s, struct event *ev)
{
	record(s, ev);
	if (ev->arg < 5) {
		ev->arg++;
		event_schedule(s, ev, s->now + 1);  /* pooled, re-armed: kept */
	}
}

static void test_pool_reuse(void **state)
{
	struct sim s;
	(void)state;
	sim_setup(&s);
	for (int round = 0; round < 50; round++) {
		for (int i = 0; i < 1000; i++)
			event_at(&s, s.now + i, record, NULL, 0);
		n_fired = 0;
		sim_run(&s, SIM_TIME_MAX);
	}
	/* 1000 outstanding at most: one chunk of the pool suffices. */
	assert_int_equal(s.evpool.n_chunks, 1);
	n_fired = 0;
	event_at(&s, s.now, rearm_self, NULL, 0);
	sim_run(&s, SIM_TIME_MAX);
	assert_int_equal(n_fired, 6);
	sim_teardown(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_and_ties),
		cmocka_unit_test(test_cancel_and_rearm),
		cmocka_unit_test(test_rearm_tie_is_fifo),
		cmocka_unit_test(test_run_until),
		cmocka_unit_test(test_random_against_sort),
		cmocka_unit_test(test_pool_reuse),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
