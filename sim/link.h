/*
 * link.h - full-duplex point-to-point links.
 *
 * A link joins two nodes; each direction has its own queue, transmitter and
 * fault model.  Per hop, a packet's delay is queueing + L/R (store and
 * forward: it is sent whole before the next hop may forward it) +
 * propagation, as in the end-to-end formula of the course notes.
 *
 * Link events: when a link goes down, the packet being transmitted and every
 * packet still propagating on it are lost (counted as drops, traced 'd' when
 * each would have arrived);
 * packets waiting in the queue stay there, and new arrivals are queued under
 * the discipline's usual rules; transmission resumes when the link comes back
 * up.  A bandwidth change applies from the next packet to start
 * transmission; a delay change applies to packets that start transmission
 * after it (packets already on the wire keep their arrival time).
 *
 * Call order: link_create() -> link_send() (from node_output) ->
 * tx_done event -> arrival event -> node_input() on the far side.
 */
#ifndef SEGSIM_LINK_H
#define SEGSIM_LINK_H

#include <stdint.h>
#include <stdbool.h>
#include "sim.h"
#include "loss.h"
#include "queue.h"

struct link;

struct link_dir {
	struct link *link;
	struct node *from, *to;
	char name[72];                  /* "from-to" */
	int index;                      /* 0: a->b, 1: b->a */

	struct queue *q;
	struct faults faults;
	bool has_faults;

	sim_time_t busy_until;          /* the current transmission ends */
	struct event tx_done;           /* armed only when a packet waits */
	/* Propagating packets in arrival order, one event for the head: the
	 * delay is the same for all, so the wire is a FIFO (link.c). */
	struct packet *pipe_head, *pipe_tail;
	struct event pipe_ev;
	uint32_t gen;                   /* bumped when the link goes down */

	/* counters */
	uint64_t tx_pkts, tx_bytes;
	uint64_t lost_down;             /* lost because the link went down */
	sim_time_t busy_ns;             /* time spent transmitting */
};

struct link {
	int id;
	char name[72];
	uint64_t bandwidth_bps;
	sim_time_t delay;
	bool up;
	struct link_dir dir[2];
};

struct link *link_create(struct sim *s, struct node *a, struct node *b,
			 uint64_t bandwidth_bps, sim_time_t delay);
void link_destroy(struct link *l);

/* L/R for a packet of `bytes` bytes, rounded up to whole nanoseconds. */
sim_time_t link_tx_time(uint64_t bandwidth_bps, uint32_t bytes);

/* Offer p to direction d: queued, or started at once if the line is idle. */
void link_send(struct sim *s, struct link_dir *d, struct packet *p);

void link_set_up(struct sim *s, struct link *l, bool up);
void link_set_bandwidth(struct sim *s, struct link *l, uint64_t bps);
void link_set_delay(struct sim *s, struct link *l, sim_time_t delay);

/* Fraction of [0, now] direction d spent transmitting. */
double link_utilization(const struct link_dir *d, sim_time_t now);

#endif
