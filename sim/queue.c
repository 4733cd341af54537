/*
 * queue.c - the queue core: FIFO, physical limit, counters, time-average
 * length, queue trace, and the registry of disciplines.
 *
 * Split of work (like Linux's Qdisc core and its Qdisc_ops):
 *   - the discipline's verdict() decides, for each arriving packet, whether
 *     it is enqueued, enqueued with a CE mark, or dropped;
 *   - the core owns everything else: the packet list (linked through
 *     p->next), the lengths, the counters, the integral of the length over
 *     time, waiting times, and the queues/NAME.tsv trace.
 *
 * The physical limit (limit_pkts / limit_bytes, 0 = unlimited) is checked in
 * two places on purpose.  Disciplines call queue_fits() from their verdict,
 * *after* any state update they do on every arrival: RED must update its
 * average on every arrival (Floyd & Jacobson 1993, Fig. 2), including the
 * ones a full buffer refuses, and it counts those refusals as forced drops.
 * The core then checks queue_fits() again after the verdict, as a safety net
 * for disciplines that do not: a packet that does not fit is never queued,
 * whatever the verdict (counted in dropped_forced).
 *
 * Counters: every offered packet is counted once, in `enqueued` (accepted,
 * marked or not) or in `dropped` (refused).  `marked` counts accepted packets
 * that were CE-marked.  Packets thrown away by queue_flush() were counted as
 * enqueued and are not counted again: enqueued = dequeued + len_pkts +
 * flushed.  The caller traces and frees refused and flushed packets.
 *
 * Call order: queue_create() -> { queue_enqueue() | queue_dequeue() |
 * queue_flush() }* -> queue_finish() -> queue_avg_len_pkts() ->
 * queue_destroy().
 */
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include "queue.h"
#include "packet.h"
#include "trace.h"

/* Registry: one line per discipline, found by name. */
const struct queue_ops *const queue_registry[] = {
	&droptail_queue_ops,
	&red_queue_ops,
	NULL,
};

const struct queue_ops *queue_find(const char *name)
{
	/* An empty type means the default discipline, drop-tail. */
	if (!name || !*name)
		return &droptail_queue_ops;
	for (int i = 0; queue_registry[i]; i++)
		if (strcmp(queue_registry[i]->name, name) == 0)
			return queue_registry[i];
	return NULL;
}

struct queue *queue_create(const struct queue_conf *conf, const char *name,
			   uint64_t link_bps, gsl_rng *rng)
{
	const struct queue_ops *ops = queue_find(conf->type);
	struct queue *q;

	/* Like tcp_register_congestion_control(): refuse a table without its
	 * required hook. */
	if (!ops || !ops->verdict)
		return NULL;
	q = calloc(1, sizeof *q);
	if (!q)
		return NULL;
	if (ops->priv_size) {
		q->priv = calloc(1, ops->priv_size);
		if (!q->priv) {
			free(q);
			return NULL;
		}
	}
	q->ops = ops;
	q->conf = *conf;
	snprintf(q->name, sizeof q->name, "%s", name ? name : "");
	q->link_bps = link_bps;
	q->rng = rng;
	/* Runs start at time 0; the length integral starts there too. */
	q->t_start = 0;
	q->last_change = 0;
	if (ops->init)
		ops->init(q);
	return q;
}

/* Packets still queued belong to the run's packet pool, which frees them;
 * the trace file is closed by whoever opened it. */
void queue_destroy(struct queue *q)
{
	if (!q)
		return;
	free(q->priv);
	free(q);
}

bool queue_fits(const struct queue *q, const struct packet *p)
{
	if (q->conf.limit_pkts && q->len_pkts + 1u > q->conf.limit_pkts)
		return false;
	if (q->conf.limit_bytes && q->len_bytes + pkt_ip_len(p) > q->conf.limit_bytes)
		return false;
	return true;
}

double queue_disc_avg(const struct queue *q)
{
	return q->ops->avg ? q->ops->avg(q) : (double)q->len_pkts;
}

/* Close the interval [last_change, now) of the length integral; called
 * before every change of len_pkts. */
static void queue_account(struct queue *q, sim_time_t now)
{
	if (now > q->last_change)
		q->len_integral += (double)q->len_pkts * (double)(now - q->last_change);
	q->last_change = now;
}

/* One row of queues/NAME.tsv: time len_pkts len_bytes avg_pkts. */
static void queue_trace_row(const struct queue *q, sim_time_t now)
{
	char t[32];

	if (!q->trace)
		return;
	trace_fmt_time(t, now);
	fprintf(q->trace, "%s\t%" PRIu32 "\t%" PRIu64 "\t%.6g\n",
		t, q->len_pkts, q->len_bytes, queue_disc_avg(q));
}

enum queue_verdict queue_enqueue(struct sim *s, struct queue *q, struct packet *p)
{
	enum queue_verdict v = q->ops->verdict(q, p, s->now);

	/* Safety net: the buffer is physical, whatever the discipline says. */
	if (v != QV_DROP && !queue_fits(q, p)) {
		q->dropped_forced++;
		v = QV_DROP;
	}
	/* RFC 3168 section 5: CE may only be set on an ECN-capable packet;
	 * a Not-ECT packet the discipline wanted marked is dropped instead. */
	if (v == QV_MARK && p->ecn == ECN_NOT_ECT)
		v = QV_DROP;
	if (v == QV_DROP) {
		q->dropped++;
		return QV_DROP;
	}
	if (v == QV_MARK) {
		p->ecn = ECN_CE;
		q->marked++;
	}

	queue_account(q, s->now);
	p->next = NULL;
	p->t_enq = s->now;
	if (q->tail)
		q->tail->next = p;
	else
		q->head = p;
	q->tail = p;
	q->len_pkts++;
	q->len_bytes += pkt_ip_len(p);
	q->enqueued++;
	queue_trace_row(q, s->now);
	return v;
}

struct packet *queue_dequeue(struct sim *s, struct queue *q)
{
	struct packet *p = q->head;

	if (!p)
		return NULL;
	queue_account(q, s->now);
	q->head = p->next;
	if (!q->head)
		q->tail = NULL;
	p->next = NULL;
	q->len_pkts--;
	q->len_bytes -= pkt_ip_len(p);
	q->dequeued++;
	q->wait_sum_ns += (double)(s->now - p->t_enq);
	queue_trace_row(q, s->now);
	if (!q->head && q->ops->on_empty)
		q->ops->on_empty(q, s->now);
	return p;
}

struct packet *queue_flush(struct sim *s, struct queue *q)
{
	struct packet *list = q->head;

	if (!list)
		return NULL;
	queue_account(q, s->now);
	q->head = q->tail = NULL;
	q->len_pkts = 0;
	q->len_bytes = 0;
	queue_trace_row(q, s->now);
	if (q->ops->on_empty)
		q->ops->on_empty(q, s->now);
	return list;
}

void queue_finish(struct queue *q, sim_time_t now)
{
	queue_account(q, now);
}

/* Time average of len_pkts over [t_start, now], the open interval since the
 * last change included.  At t_start itself: the current length. */
double queue_avg_len_pkts(const struct queue *q, sim_time_t now)
{
	double integral = q->len_integral;

	if (now <= q->t_start)
		return (double)q->len_pkts;
	if (now > q->last_change)
		integral += (double)q->len_pkts * (double)(now - q->last_change);
	return integral / (double)(now - q->t_start);
}
