/*
 * queue.h - queue disciplines behind an ops table.
 *
 * The core (queue.c) owns the FIFO of packets, the counters, the time-average
 * of the length and the queue trace.  A discipline only decides, for each
 * arriving packet, whether it is enqueued, enqueued with an ECN CE mark, or
 * dropped - like Linux's Qdisc_ops with a priv_size for the discipline's
 * private state.  Adding a discipline = one file + one line in queue.c's
 * registry.
 *
 * Call order: queue_create() -> queue_enqueue()/queue_dequeue() ... ->
 * queue_destroy().
 */
#ifndef SEGSIM_QUEUE_H
#define SEGSIM_QUEUE_H

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <gsl/gsl_rng.h>
#include "sim.h"

/* Configuration, filled by the scenario loader; plain data. */
struct queue_conf {
	char type[16];          /* "droptail", "red" */
	uint32_t limit_pkts;    /* 0: no packet limit */
	uint64_t limit_bytes;   /* 0: no byte limit */
	/* RED (Floyd & Jacobson 1993); thresholds in packets, or bytes in
	 * byte mode */
	double min_th, max_th;
	double max_p;
	double wq;
	bool gentle;            /* drop prob rises max_p..1 over max_th..2max_th */
	bool ecn;               /* mark ECT packets instead of dropping */
	bool byte_mode;         /* avg and thresholds in bytes; pb scaled by size */
	uint32_t mean_pkt_bytes;/* typical packet, for idle decay (and byte mode) */
};

enum queue_verdict { QV_ENQUEUE, QV_MARK, QV_DROP };

struct queue;

struct queue_ops {
	const char *name;
	size_t priv_size;
	bool random;            /* draws from q->rng (else it gets none) */
	/* (optional) set up priv from q->conf */
	void (*init)(struct queue *q);
	/* (required) decide the fate of p arriving at time now */
	enum queue_verdict (*verdict)(struct queue *q, const struct packet *p, sim_time_t now);
	/* (optional) the queue became empty at time now (RED idle period) */
	void (*on_empty)(struct queue *q, sim_time_t now);
	/* (optional) the average queue length the discipline keeps, in packets
	 * (or bytes in byte mode), for traces and plots */
	double (*avg)(const struct queue *q);
};

struct queue {
	const struct queue_ops *ops;
	struct queue_conf conf;
	char name[64];
	uint64_t link_bps;      /* the link it feeds (RED idle decay) */
	gsl_rng *rng;           /* this queue's own stream */

	struct packet *head, *tail;
	uint32_t len_pkts;
	uint64_t len_bytes;

	/* counters */
	uint64_t enqueued, dequeued, dropped, marked;
	uint64_t dropped_early, dropped_forced;   /* RED: random vs forced */
	/* time-weighted length: integral of len_pkts dt, in pkt*ns */
	double len_integral;
	sim_time_t last_change;
	sim_time_t t_start;
	/* waiting time of dequeued packets (enqueue to start of service) */
	double wait_sum_ns;

	FILE *trace;            /* queues/NAME.tsv, or NULL */
	void *priv;             /* ops->priv_size bytes */
};

const struct queue_ops *queue_find(const char *name);
/* Names of all disciplines, NULL-terminated (for errors and docs). */
extern const struct queue_ops *const queue_registry[];

struct queue *queue_create(const struct queue_conf *conf, const char *name,
			   uint64_t link_bps, gsl_rng *rng);
void queue_destroy(struct queue *q);

/* Offer p at time s->now.  Returns QV_DROP if it was dropped; the caller
 * then still owns p (to trace and free it).  A marked packet (QV_MARK) has
 * its ECN set to CE, is counted in `marked` and is queued.  The physical
 * limit is enforced by the core even if a discipline says QV_ENQUEUE. */
enum queue_verdict queue_enqueue(struct sim *s, struct queue *q, struct packet *p);
/* Next packet to send, or NULL. */
struct packet *queue_dequeue(struct sim *s, struct queue *q);
/* Throw away everything queued (returns the packets as a list). */
struct packet *queue_flush(struct sim *s, struct queue *q);
/* Close the length integral at time now (before reading averages). */
void queue_finish(struct queue *q, sim_time_t now);
double queue_avg_len_pkts(const struct queue *q, sim_time_t now);
double queue_disc_avg(const struct queue *q);
/* Would p fit under the physical limit (limit_pkts, limit_bytes; 0 means
 * unlimited)?  For disciplines' verdicts. */
bool queue_fits(const struct queue *q, const struct packet *p);

extern const struct queue_ops droptail_queue_ops;
extern const struct queue_ops red_queue_ops;

#endif
