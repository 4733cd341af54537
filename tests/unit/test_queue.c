/*
 * test_queue.c - the queue core (queue.c) and drop-tail (queue_droptail.c).
 *
 * Packets are forged with calloc (UDP, a chosen IP length); the simulation
 * context only needs `now`.  Each test drives the queue through a schedule
 * of enqueues and dequeues at chosen times and compares with values
 * computed by hand in the comments.
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

/* A UDP packet whose IP length is ip_len bytes (>= 28). */
static struct packet *mkpkt(uint64_t uid, uint32_t ip_len)
{
	struct packet *p = calloc(1, sizeof *p);

	assert_non_null(p);
	p->ev.slot = -1;
	p->corrupt_word = PKT_CORRUPT_NONE;
	p->proto = IPPROTO_UDP_;
	p->uid = uid;
	p->payload_len = ip_len - IP_HDR_LEN - UDP_HDR_LEN;
	assert_int_equal(pkt_ip_len(p), ip_len);
	return p;
}

static struct queue *mkq(const char *type, uint32_t limit_pkts, uint64_t limit_bytes)
{
	struct queue_conf c;
	struct queue *q;

	memset(&c, 0, sizeof c);
	snprintf(c.type, sizeof c.type, "%s", type);
	c.limit_pkts = limit_pkts;
	c.limit_bytes = limit_bytes;
	q = queue_create(&c, "a-b", 8000000, NULL);
	assert_non_null(q);
	return q;
}

static void free_list(struct packet *p)
{
	while (p) {
		struct packet *n = p->next;

		free(p);
		p = n;
	}
}

static void test_registry(void **state)
{
	struct queue_conf c;

	(void)state;
	assert_ptr_equal(queue_find("droptail"), &droptail_queue_ops);
	assert_ptr_equal(queue_find("red"), &red_queue_ops);
	assert_ptr_equal(queue_find(""), &droptail_queue_ops);
	assert_null(queue_find("fq_codel"));
	assert_null(queue_find("Droptail"));
	/* NULL-terminated, names unique, every table has its verdict hook */
	int n = 0;
	for (; queue_registry[n]; n++) {
		assert_non_null(queue_registry[n]->verdict);
		for (int j = 0; j < n; j++)
			assert_string_not_equal(queue_registry[j]->name,
						queue_registry[n]->name);
	}
	assert_int_equal(n, 2);

	memset(&c, 0, sizeof c);
	strcpy(c.type, "nosuch");
	assert_null(queue_create(&c, "x", 1000, NULL));
}

static void test_fifo_order(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 0, 0);
	struct packet *p;

	(void)state;
	for (uint64_t i = 1; i <= 5; i++)
		assert_int_equal(queue_enqueue(&s, q, mkpkt(i, 100 + (uint32_t)i)), QV_ENQUEUE);
	assert_int_equal(q->len_pkts, 5);
	assert_int_equal(q->len_bytes, 101 + 102 + 103 + 104 + 105);
	/* no time has passed: the average is the current length */
	assert_true(queue_avg_len_pkts(q, 0) == 5.0);
	for (uint64_t i = 1; i <= 5; i++) {
		p = queue_dequeue(&s, q);
		assert_non_null(p);
		assert_int_equal(p->uid, i);
		assert_null(p->next);
		free(p);
	}
	assert_null(queue_dequeue(&s, q));
	assert_null(q->head);
	assert_null(q->tail);
	assert_int_equal(q->len_pkts, 0);
	assert_int_equal(q->len_bytes, 0);
	assert_int_equal(q->enqueued, 5);
	assert_int_equal(q->dequeued, 5);
	assert_int_equal(q->dropped, 0);
	queue_destroy(q);
}

static void test_droptail_pkt_limit(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 2, 0);
	struct packet *p3 = mkpkt(3, 100);

	(void)state;
	assert_int_equal(queue_enqueue(&s, q, mkpkt(1, 100)), QV_ENQUEUE);
	assert_int_equal(queue_enqueue(&s, q, mkpkt(2, 100)), QV_ENQUEUE);
	/* third packet: 2 + 1 > 2; drop-tail's own verdict refuses it (the
	 * core's safety net, which counts dropped_forced, is not needed) */
	assert_int_equal(q->ops->verdict(q, p3, s.now), QV_DROP);
	assert_int_equal(queue_enqueue(&s, q, p3), QV_DROP);
	assert_int_equal(q->dropped_forced, 0);
	assert_int_equal(q->len_pkts, 2);
	assert_int_equal(q->dropped, 1);
	assert_int_equal(q->enqueued, 2);
	/* a refused packet is not linked into the queue */
	assert_ptr_not_equal(q->tail, p3);
	free(queue_dequeue(&s, q));
	assert_int_equal(queue_enqueue(&s, q, p3), QV_ENQUEUE);
	assert_int_equal(q->len_pkts, 2);
	free_list(queue_flush(&s, q));
	queue_destroy(q);
}

static void test_droptail_byte_limit(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 0, 250);
	struct packet *big = mkpkt(2, 128);

	(void)state;
	assert_int_equal(queue_enqueue(&s, q, mkpkt(1, 128)), QV_ENQUEUE);
	/* 128 + 128 = 256 > 250 */
	assert_int_equal(queue_enqueue(&s, q, big), QV_DROP);
	/* 128 + 122 = 250: exactly at the limit fits */
	assert_int_equal(queue_enqueue(&s, q, mkpkt(3, 122)), QV_ENQUEUE);
	assert_int_equal(q->len_bytes, 250);
	/* 250 + 28 > 250: even the smallest packet is refused */
	struct packet *tiny = mkpkt(4, 28);
	assert_int_equal(queue_enqueue(&s, q, tiny), QV_DROP);
	assert_int_equal(q->dropped, 2);
	assert_int_equal(q->enqueued, 2);
	free(big);
	free(tiny);
	free_list(queue_flush(&s, q));
	queue_destroy(q);
}

/*
 * Schedule (ns):   t=0 A in, t=10 B in, t=30 A out, t=60 B out.
 * Length:          1 on [0,10), 2 on [10,30), 1 on [30,60), 0 after.
 * Integral:        10 + 40 + 30 = 80 pkt*ns.
 *   avg at t=20  = (10 + 2*10) / 20 = 1.5   (open interval included)
 *   avg at t=100 = 80 / 100       = 0.8
 * Waits: A 30, B 50: sum 80 = the integral (Little's law, both gone).
 */
static void test_integral_and_wait(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 0, 0);
	struct packet *a = mkpkt(1, 100), *b = mkpkt(2, 100), *p;

	(void)state;
	s.now = 0;
	queue_enqueue(&s, q, a);
	assert_int_equal(a->t_enq, 0);
	s.now = 10;
	queue_enqueue(&s, q, b);
	assert_int_equal(b->t_enq, 10);
	assert_true(fabs(queue_avg_len_pkts(q, 20) - 1.5) < 1e-12);
	s.now = 30;
	p = queue_dequeue(&s, q);
	assert_ptr_equal(p, a);
	free(p);
	s.now = 60;
	p = queue_dequeue(&s, q);
	assert_ptr_equal(p, b);
	free(p);
	assert_true(fabs(queue_avg_len_pkts(q, 100) - 0.8) < 1e-12);
	assert_true(fabs(q->wait_sum_ns - 80.0) < 1e-9);
	queue_finish(q, 100);
	assert_true(fabs(q->len_integral - 80.0) < 1e-9);
	assert_int_equal(q->last_change, 100);
	assert_true(fabs(queue_avg_len_pkts(q, 100) - 0.8) < 1e-12);
	/* at t_start: the instantaneous length (0) */
	assert_true(queue_avg_len_pkts(q, 0) == 0.0);
	queue_destroy(q);
}

/* A queue left non-empty: the open interval counts up to `now`.
 * 3 packets from t=1000 to t=4000 -> 9000 / 4000 = 2.25 */
static void test_integral_open_interval(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 0, 0);

	(void)state;
	s.now = 1000;
	for (int i = 0; i < 3; i++)
		queue_enqueue(&s, q, mkpkt((uint64_t)i, 60));
	assert_true(fabs(queue_avg_len_pkts(q, 4000) - 2.25) < 1e-12);
	queue_finish(q, 4000);
	assert_true(fabs(q->len_integral - 9000.0) < 1e-9);
	s.now = 4000;
	free_list(queue_flush(&s, q));
	queue_destroy(q);
}

static void test_flush(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 0, 0);
	struct packet *list, *p;
	uint64_t want = 1;

	(void)state;
	assert_null(queue_flush(&s, q));
	for (uint64_t i = 1; i <= 3; i++)
		queue_enqueue(&s, q, mkpkt(i, 200));
	s.now = 50;
	list = queue_flush(&s, q);
	for (p = list; p; p = p->next)
		assert_int_equal(p->uid, want++);
	assert_int_equal(want, 4);
	assert_int_equal(q->len_pkts, 0);
	assert_int_equal(q->len_bytes, 0);
	assert_null(q->head);
	assert_null(q->tail);
	assert_int_equal(q->enqueued, 3);
	assert_int_equal(q->dropped, 0);
	/* 3 packets for 50 ns, then empty: 150 / 100 */
	assert_true(fabs(queue_avg_len_pkts(q, 100) - 1.5) < 1e-12);
	free_list(list);
	/* usable again */
	assert_int_equal(queue_enqueue(&s, q, mkpkt(9, 100)), QV_ENQUEUE);
	p = queue_dequeue(&s, q);
	assert_int_equal(p->uid, 9);
	free(p);
	queue_destroy(q);
}

static char *slurp(FILE *f)
{
	long n;
	char *buf;

	fflush(f);
	n = ftell(f);
	assert_true(n >= 0);
	buf = calloc(1, (size_t)n + 1);
	assert_non_null(buf);
	rewind(f);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	return buf;
}

/* queues/NAME.tsv rows: time len_pkts len_bytes avg_pkts, one per change;
 * drops (no change) write nothing. */
static void test_trace_rows(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 2, 0);
	struct packet *x = mkpkt(3, 40);
	char *got;
	static const char want[] =
		"0.000001500\t1\t100\t1\n"
		"0.000002000\t2\t140\t2\n"
		"1.000000000\t1\t40\t1\n"
		"2.500000000\t0\t0\t0\n"
		"3.000000000\t1\t28\t1\n"
		"3.000000000\t0\t0\t0\n";

	(void)state;
	q->trace = tmpfile();
	assert_non_null(q->trace);
	s.now = 1500;
	queue_enqueue(&s, q, mkpkt(1, 100));
	s.now = 2000;
	queue_enqueue(&s, q, mkpkt(2, 40));
	assert_int_equal(queue_enqueue(&s, q, x), QV_DROP);     /* no row */
	free(x);
	s.now = SIM_S;
	free(queue_dequeue(&s, q));
	s.now = 2 * SIM_S + 500 * SIM_MS;
	free(queue_dequeue(&s, q));
	assert_null(queue_dequeue(&s, q));                      /* no row */
	s.now = 3 * SIM_S;
	queue_enqueue(&s, q, mkpkt(4, 28));
	free_list(queue_flush(&s, q));
	got = slurp(q->trace);
	assert_string_equal(got, want);
	free(got);
	fclose(q->trace);
	queue_destroy(q);
}

/* The avg column shows the discipline's average (RED, wq = 0.5):
 * arrivals see q = 0, 1: avg 0 then 0.5*0 + 0.5*1 = 0.5. */
static void test_trace_red_avg(void **state)
{
	struct sim s = {0};
	struct queue_conf c;
	struct queue *q;
	char *got;

	(void)state;
	memset(&c, 0, sizeof c);
	strcpy(c.type, "red");
	c.min_th = 100;
	c.max_th = 200;
	c.max_p = 0.1;
	c.wq = 0.5;
	q = queue_create(&c, "r", 8000000, NULL);
	assert_non_null(q);
	q->trace = tmpfile();
	queue_enqueue(&s, q, mkpkt(1, 100));
	queue_enqueue(&s, q, mkpkt(2, 100));
	got = slurp(q->trace);
	assert_string_equal(got, "0.000000000\t1\t100\t0\n0.000000000\t2\t200\t0.5\n");
	free(got);
	fclose(q->trace);
	q->trace = NULL;
	free_list(queue_flush(&s, q));
	queue_destroy(q);
}

/* A discipline that ignores the limit, and one that marks everything: the
 * core still enforces the buffer, and never sets CE on a Not-ECT packet. */
static enum queue_verdict always_enqueue(struct queue *q, const struct packet *p,
					 sim_time_t now)
{
	(void)q; (void)p; (void)now;
	return QV_ENQUEUE;
}

static enum queue_verdict always_mark(struct queue *q, const struct packet *p,
				      sim_time_t now)
{
	(void)q; (void)p; (void)now;
	return QV_MARK;
}

static const struct queue_ops careless_ops = {
	.name = "careless", .verdict = always_enqueue,
};
static const struct queue_ops marker_ops = {
	.name = "marker", .verdict = always_mark,
};

static void test_core_safety_net(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 1, 0);
	struct packet *p2 = mkpkt(2, 60);

	(void)state;
	q->ops = &careless_ops;
	assert_int_equal(queue_enqueue(&s, q, mkpkt(1, 60)), QV_ENQUEUE);
	assert_int_equal(queue_enqueue(&s, q, p2), QV_DROP);
	assert_int_equal(q->dropped, 1);
	assert_int_equal(q->dropped_forced, 1);
	assert_int_equal(q->len_pkts, 1);
	free(p2);
	free_list(queue_flush(&s, q));
	queue_destroy(q);
}

static void test_core_mark(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 0, 0);
	struct packet *ect = mkpkt(1, 60), *not_ect = mkpkt(2, 60);

	(void)state;
	q->ops = &marker_ops;
	ect->ecn = ECN_ECT0;
	not_ect->ecn = ECN_NOT_ECT;
	assert_int_equal(queue_enqueue(&s, q, ect), QV_MARK);
	assert_int_equal(ect->ecn, ECN_CE);
	assert_int_equal(q->marked, 1);
	assert_int_equal(q->enqueued, 1);
	assert_int_equal(queue_enqueue(&s, q, not_ect), QV_DROP);
	assert_int_equal(not_ect->ecn, ECN_NOT_ECT);
	assert_int_equal(q->marked, 1);
	assert_int_equal(q->dropped, 1);
	free(not_ect);
	free_list(queue_flush(&s, q));
	queue_destroy(q);
}

/* on_empty fires exactly when the queue becomes empty, by dequeue or by
 * flush, with the time (RED's q_time, F&J Fig. 2). */
static int empty_calls;
static sim_time_t empty_at;

static void record_empty(struct queue *q, sim_time_t now)
{
	(void)q;
	empty_calls++;
	empty_at = now;
}

static const struct queue_ops recorder_ops = {
	.name = "recorder", .verdict = always_enqueue, .on_empty = record_empty,
};

static void test_on_empty(void **state)
{
	struct sim s = {0};
	struct queue *q = mkq("droptail", 0, 0);

	(void)state;
	q->ops = &recorder_ops;
	empty_calls = 0;
	queue_enqueue(&s, q, mkpkt(1, 60));
	queue_enqueue(&s, q, mkpkt(2, 60));
	s.now = 3;
	free(queue_dequeue(&s, q));
	assert_int_equal(empty_calls, 0);
	s.now = 5;
	free(queue_dequeue(&s, q));
	assert_int_equal(empty_calls, 1);
	assert_int_equal(empty_at, 5);
	assert_null(queue_dequeue(&s, q));
	assert_int_equal(empty_calls, 1);
	queue_enqueue(&s, q, mkpkt(3, 60));
	s.now = 9;
	free_list(queue_flush(&s, q));
	assert_int_equal(empty_calls, 2);
	assert_int_equal(empty_at, 9);
	assert_null(queue_flush(&s, q));
	assert_int_equal(empty_calls, 2);
	queue_destroy(q);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_registry),
		cmocka_unit_test(test_fifo_order),
		cmocka_unit_test(test_droptail_pkt_limit),
		cmocka_unit_test(test_droptail_byte_limit),
		cmocka_unit_test(test_integral_and_wait),
		cmocka_unit_test(test_integral_open_interval),
		cmocka_unit_test(test_flush),
		cmocka_unit_test(test_trace_rows),
		cmocka_unit_test(test_trace_red_avg),
		cmocka_unit_test(test_core_safety_net),
		cmocka_unit_test(test_core_mark),
		cmocka_unit_test(test_on_empty),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
