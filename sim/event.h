/*
 * event.h - the discrete-event scheduler.
 *
 * A 4-ary min-heap of (time, insertion sequence) keys.  Equal times fire in
 * the order they were scheduled, so a run is exactly repeatable.  Events are
 * embedded in their owners (a packet in flight, a link's transmitter, a TCP
 * retransmission timer), which makes scheduling allocation-free and lets a
 * timer be cancelled or re-armed in O(log n) through the heap slot it keeps.
 * One-shot events for code that has no owner object come from a free-list
 * pool (event_at()).
 *
 * Call order: event_init() once per embedded event; then any number of
 * event_schedule() / event_cancel(); sim_run() pops and fires events.
 */
#ifndef SEGSIM_EVENT_H
#define SEGSIM_EVENT_H

#include <stdint.h>
#include <stdbool.h>

struct sim;
struct event;

typedef int64_t sim_time_t;
typedef void (*event_fn)(struct sim *s, struct event *ev);

struct event {
	sim_time_t time;        /* when it fires, valid while pending */
	uint64_t seq;           /* insertion order, breaks ties in time */
	event_fn fn;
	void *obj;              /* the owner, for the callback */
	uint64_t arg;           /* free for the owner's use */
	int32_t slot;           /* heap index; < 0 when not pending */
	uint32_t pooled;        /* 1: from the pool, returned after firing */
	struct event *next_free;
};

/* 16 bytes: four siblings fill one 64-byte cache line (event.c aligns
 * them so).  The sequence lives in the event, read only on equal times. */
struct heap_ent {
	sim_time_t time;
	struct event *ev;
};

struct event_queue {
	struct heap_ent *heap;
	void *mem;              /* the allocation heap points into */
	uint32_t len, cap;
	uint64_t next_seq;
};

struct event_pool {
	struct event *free;
	void **chunks;          /* every block ever allocated, freed at the end */
	uint32_t n_chunks;
};

void event_queue_init(struct event_queue *q);
void event_queue_free(struct event_queue *q);
void event_pool_free(struct event_pool *p);

void event_init(struct event *ev, event_fn fn, void *obj);
static inline bool event_pending(const struct event *ev) { return ev->slot >= 0; }

/* Arm ev to fire at t (>= now).  An already pending event is moved: this is
 * the O(log n) re-arm TCP does on nearly every ACK. */
void event_schedule(struct sim *s, struct event *ev, sim_time_t t);
/* Disarm; harmless when not pending. */
void event_cancel(struct sim *s, struct event *ev);
/* One-shot event from the pool: fn(s, ev) with ev->obj = obj, ev->arg = arg. */
struct event *event_at(struct sim *s, sim_time_t t, event_fn fn, void *obj, uint64_t arg);

/* Fire events in order until none is left or the next is later than `until`;
 * s->now ends at `until` when events remain past it.  Returns events fired. */
uint64_t sim_run(struct sim *s, sim_time_t until);
/* Pop and fire the next event if it is due by `until`; false when none. */
bool sim_step(struct sim *s, sim_time_t until);

#endif
