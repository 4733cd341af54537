/*
 * link.c - full-duplex point-to-point links.
 *
 * One direction's life of a packet:
 *   link_send()   offered to the queue ('+', or 'd' if the discipline drops)
 *   start_next()  head of the queue starts transmission ('-'), L/R long; the
 *                 faults decide its fate on the wire, and it joins the wire
 *                 (propagate) to arrive L/R + delay later
 *   pipe_arrive() the last bit reaches the far node ('r') -> node_input()
 * Store and forward: a packet is handed to the next node only once it has
 * arrived whole, so each hop adds queueing + L/R + propagation delay.
 *
 * Events: the end of a transmission needs one only when a packet waits to
 * go next (tx_done); a line whose queue is empty just records until when
 * it is busy, and the next packet offered sees whether it still is.
 * Arrivals in order share one event per direction (the wire FIFO).  An
 * uncongested hop costs one event per packet, a busy one two.  Events at
 * the same nanosecond run in the order they were scheduled, so a packet
 * offered exactly when a transmission ends may be queued before the next
 * one leaves (and find a full drop-tail queue full): deterministic, and
 * as likely as a tie of two 1 ns clocks.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include "link.h"
#include "node.h"
#include "trace.h"

static void tx_done(struct sim *s, struct event *ev);
static void pipe_arrive(struct sim *s, struct event *ev);
static void propagate(struct sim *s, struct link_dir *d, struct packet *p,
		      sim_time_t depart, sim_time_t extra);

sim_time_t link_tx_time(uint64_t bandwidth_bps, uint32_t bytes)
{
	/* Rounded up so a packet never leaves earlier than the line allows;
	 * bytes * 8e9 stays far below 2^64 for any IP datagram. */
	uint64_t bits_ns = (uint64_t)bytes * 8u * (uint64_t)SIM_S;

	return (sim_time_t)((bits_ns + bandwidth_bps - 1) / bandwidth_bps);
}

static void dir_init(struct link *l, struct link_dir *d, int index,
		     struct node *from, struct node *to)
{
	d->link = l;
	d->from = from;
	d->to = to;
	d->index = index;
	snprintf(d->name, sizeof d->name, "%s-%s", from->name, to->name);
	event_init(&d->tx_done, tx_done, d);
	event_init(&d->pipe_ev, pipe_arrive, d);
}

struct link *link_create(struct sim *s, struct node *a, struct node *b,
			 uint64_t bandwidth_bps, sim_time_t delay)
{
	struct link *l = calloc(1, sizeof *l);

	if (!l)
		return NULL;
	l->id = s->n_links;
	l->bandwidth_bps = bandwidth_bps;
	l->delay = delay;
	l->up = true;
	snprintf(l->name, sizeof l->name, "%s-%s", a->name, b->name);
	dir_init(l, &l->dir[0], 0, a, b);
	dir_init(l, &l->dir[1], 1, b, a);
	return l;
}

void link_destroy(struct link *l)
{
	if (!l)
		return;
	for (int i = 0; i < 2; i++)
		if (l->dir[i].q)
			queue_destroy(l->dir[i].q);
	free(l);
}

/* Arm tx_done for the end of the transmission in progress if a packet
 * waits for it and nothing armed it yet. */
static void need_tx_done(struct sim *s, struct link_dir *d)
{
	if (!event_pending(&d->tx_done) && d->q->len_pkts > 0)
		event_schedule(s, &d->tx_done, d->busy_until);
}

/* A packet the faults dropped on the wire: traced at the sender when its
 * last bit leaves. */
static void lost_on_wire(struct sim *s, struct event *ev)
{
	struct link_dir *d = (struct link_dir *)(uintptr_t)ev->arg;
	struct packet *p = ev->obj;

	trace_pkt(s, 'd', d->from, d, p);
	pkt_free(s, p);
}

static void start_next(struct sim *s, struct link_dir *d)
{
	struct packet *p = queue_dequeue(s, d->q);
	sim_time_t tx, extra = 0;
	unsigned fate = 0;

	if (!p)
		return;
	trace_pkt(s, '-', d->from, d, p);
	tx = link_tx_time(d->link->bandwidth_bps, pkt_ip_len(p));
	d->busy_until = s->now + tx;
	d->busy_ns += tx;
	d->tx_pkts++;
	d->tx_bytes += pkt_ip_len(p);

	/* Its fate on the wire is drawn now; each direction draws in packet
	 * order either way, so the outcomes are those of drawing at the
	 * end of the transmission. */
	if (d->has_faults)
		fate = faults_apply(&d->faults, p, &extra);
	if (fate & FAULT_DROP) {
		event_init(&p->ev, lost_on_wire, p);
		p->ev.arg = (uint64_t)(uintptr_t)d;
		event_schedule(s, &p->ev, d->busy_until);
	} else {
		if (fate & FAULT_DUP) {
			struct packet *c = pkt_clone(s, p);

			/* Two copies travel; only the one hit by corruption
			 * (the original) is damaged. */
			c->dup = 1;
			c->corrupt_word = PKT_CORRUPT_NONE;
			c->corrupt_xor = 0;
			propagate(s, d, c, d->busy_until, 0);
		}
		propagate(s, d, p, d->busy_until, (fate & FAULT_DELAY) ? extra : 0);
	}
	need_tx_done(s, d);
}

void link_send(struct sim *s, struct link_dir *d, struct packet *p)
{
	/* Every arrival goes through the discipline, even onto an idle line:
	 * RED must see each arrival to keep its average right. */
	enum queue_verdict v = queue_enqueue(s, d->q, p);

	if (v == QV_DROP) {
		trace_pkt(s, 'd', d->from, d, p);
		pkt_free(s, p);
		return;
	}
	if (v == QV_MARK)
		trace_pkt(s, 'm', d->from, d, p);
	trace_pkt(s, '+', d->from, d, p);
	if (!d->link->up)
		return;
	if (s->now >= d->busy_until && !event_pending(&d->tx_done))
		start_next(s, d);
	else
		need_tx_done(s, d);
}

static void deliver(struct sim *s, struct link_dir *d, struct packet *p)
{
	if (p->link_gen != d->gen) {
		/* The link went down while this packet was on the wire. */
		d->lost_down++;
		trace_pkt(s, 'd', d->to, d, p);
		pkt_free(s, p);
		return;
	}
	trace_pkt(s, 'r', d->to, d, p);
	node_input(s, d->to, p);
}

/* A packet that could not join the FIFO (see propagate) arrives alone. */
static void arrive(struct sim *s, struct event *ev)
{
	deliver(s, (struct link_dir *)(uintptr_t)ev->arg, ev->obj);
}

static void pipe_arrive(struct sim *s, struct event *ev)
{
	struct link_dir *d = ev->obj;
	struct packet *p = d->pipe_head;

	d->pipe_head = p->next;
	if (!d->pipe_head)
		d->pipe_tail = NULL;
	else
		event_schedule(s, &d->pipe_ev, d->pipe_head->t_arrive);
	p->next = NULL;
	deliver(s, d, p);
}

/*
 * On the wire for the link's delay (+ a reordering fault's extra delay).
 * Packets that arrive in the order they left - all of them, unless a fault
 * delays one or the delay was lowered meanwhile - wait in the link's FIFO
 * under one event, so the scheduler holds one event per busy link instead
 * of one per packet in flight (a 100 Mb/s, 10 ms link has ~85 packets on
 * the wire, a 10 Gb/s one thousands).  The others get their own event.
 */
static void propagate(struct sim *s, struct link_dir *d, struct packet *p,
		      sim_time_t depart, sim_time_t extra)
{
	sim_time_t at = depart + d->link->delay + extra;

	p->link_gen = d->gen;
	p->t_arrive = at;
	if (extra == 0 && (!d->pipe_tail || d->pipe_tail->t_arrive <= at)) {
		p->next = NULL;
		if (d->pipe_tail) {
			d->pipe_tail->next = p;
		} else {
			d->pipe_head = p;
			event_schedule(s, &d->pipe_ev, at);
		}
		d->pipe_tail = p;
		return;
	}
	event_init(&p->ev, arrive, p);
	p->ev.arg = (uint64_t)(uintptr_t)d;
	event_schedule(s, &p->ev, at);
}

/* The transmission in progress ended and a packet is waiting. */
static void tx_done(struct sim *s, struct event *ev)
{
	struct link_dir *d = ev->obj;

	if (d->link->up)
		start_next(s, d);
}

void link_set_up(struct sim *s, struct link *l, bool up)
{
	if (l->up == up)
		return;
	l->up = up;
	for (int i = 0; i < 2; i++) {
		struct link_dir *d = &l->dir[i];

		if (up) {
			if (s->now >= d->busy_until)
				start_next(s, d);
			else
				need_tx_done(s, d);
			continue;
		}
		/* Down: whatever is on the wire is gone - the packets
		 * propagating and the one being sent (it is on the wire
		 * already) find a new generation when they would have
		 * arrived.  The queue keeps its packets. */
		d->gen++;
		event_cancel(s, &d->tx_done);
		if (d->busy_until > s->now) {
			d->busy_ns -= d->busy_until - s->now;
			d->busy_until = s->now;
		}
	}
}

void link_set_bandwidth(struct sim *s, struct link *l, uint64_t bps)
{
	(void)s;
	l->bandwidth_bps = bps;         /* from the next transmission on */
}

void link_set_delay(struct sim *s, struct link *l, sim_time_t delay)
{
	(void)s;
	l->delay = delay;               /* for packets leaving from now on */
}

double link_utilization(const struct link_dir *d, sim_time_t now)
{
	sim_time_t busy = d->busy_ns;

	/* busy_ns counts a transmission whole from its start */
	if (d->busy_until > now)
		busy -= d->busy_until - now;
	return now > 0 ? (double)busy / (double)now : 0.0;
}
