/*
 * event.c - the scheduler: a 4-ary min-heap keyed by (time, sequence).
 *
 * Why 4-ary: half the depth of a binary heap, and the four children of a
 * slot are adjacent in memory: with 16-byte entries and the array offset so
 * that children 4i+1..4i+4 start on a 64-byte boundary, a sift-down step
 * reads exactly one cache line.  Times live in the heap array itself; the
 * event is dereferenced to compare sequence numbers on equal times and to
 * update its slot when it moves, which keeps cancel and re-arm O(log n).
 *
 * The sequence number is taken when an event is (re)scheduled, so events at
 * the same time fire in the order they were scheduled: deterministic FIFO
 * tie-breaking, independent of heap layout.
 */
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include "sim.h"

#define HEAP_ARITY 4
#define POOL_CHUNK 1024

static void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n);

	if (!q) {
		fprintf(stderr, "segsim: out of memory\n");
		exit(1);
	}
	return q;
}

void event_queue_init(struct event_queue *q)
{
	memset(q, 0, sizeof *q);
}

void event_queue_free(struct event_queue *q)
{
	free(q->mem);
	memset(q, 0, sizeof *q);
}

void event_init(struct event *ev, event_fn fn, void *obj)
{
	ev->time = 0;
	ev->seq = 0;
	ev->fn = fn;
	ev->obj = obj;
	ev->arg = 0;
	ev->slot = -1;
	ev->pooled = 0;
	ev->next_free = NULL;
}

static inline bool key_less(const struct heap_ent *a, const struct heap_ent *b)
{
	return a->time < b->time || (a->time == b->time && a->ev->seq < b->ev->seq);
}

/* Grow to cap entries, keeping heap[1] on a cache-line boundary so every
 * group of four siblings shares one line. */
static void heap_grow(struct event_queue *q, uint32_t cap)
{
	void *mem = aligned_alloc(64, (size_t)(cap + 4) * sizeof(struct heap_ent));
	struct heap_ent *h;

	if (!mem) {
		fprintf(stderr, "segsim: out of memory\n");
		exit(1);
	}
	h = (struct heap_ent *)((char *)mem + 64 - sizeof(struct heap_ent));
	if (q->len)
		memcpy(h, q->heap, q->len * sizeof *h);
	free(q->mem);
	q->mem = mem;
	q->heap = h;
	q->cap = cap;
}

static inline void place(struct heap_ent *h, uint32_t i, struct heap_ent e)
{
	h[i] = e;
	e.ev->slot = (int32_t)i;
}

static void sift_up(struct heap_ent *h, uint32_t i, struct heap_ent e)
{
	while (i > 0) {
		uint32_t parent = (i - 1) / HEAP_ARITY;

		if (!key_less(&e, &h[parent]))
			break;
		place(h, i, h[parent]);
		i = parent;
	}
	place(h, i, e);
}

static void sift_down(struct heap_ent *h, uint32_t len, uint32_t i, struct heap_ent e)
{
	for (;;) {
		uint32_t first = i * HEAP_ARITY + 1, best, end;

		if (first >= len)
			break;
		best = first;
		end = first + HEAP_ARITY < len ? first + HEAP_ARITY : len;
		for (uint32_t c = first + 1; c < end; c++)
			if (key_less(&h[c], &h[best]))
				best = c;
		if (!key_less(&h[best], &e))
			break;
		place(h, i, h[best]);
		i = best;
	}
	place(h, i, e);
}

/* Remove the entry at slot i, keeping the heap property. */
static void heap_remove(struct event_queue *q, uint32_t i)
{
	struct heap_ent last = q->heap[--q->len];

	q->heap[i].ev->slot = -1;
	if (i == q->len)
		return;
	if (i > 0 && key_less(&last, &q->heap[(i - 1) / HEAP_ARITY]))
		sift_up(q->heap, i, last);
	else
		sift_down(q->heap, q->len, i, last);
}

void event_schedule(struct sim *s, struct event *ev, sim_time_t t)
{
	struct event_queue *q = &s->eq;
	struct heap_ent e = { .time = t, .ev = ev };

	if (t < s->now) {
		/* A caller bug: time cannot run backwards.  Stop here, where
		 * it is found, rather than fire events out of order. */
		fprintf(stderr, "segsim: internal: event scheduled in the past\n");
		abort();
	}
	ev->time = t;
	ev->seq = q->next_seq++;
	if (ev->slot >= 0) {
		/* Re-arm: same slot, new key; move whichever way it must go. */
		uint32_t i = (uint32_t)ev->slot;

		if (i > 0 && key_less(&e, &q->heap[(i - 1) / HEAP_ARITY]))
			sift_up(q->heap, i, e);
		else
			sift_down(q->heap, q->len, i, e);
		return;
	}
	if (q->len == q->cap)
		heap_grow(q, q->cap ? q->cap * 2 : 256);
	sift_up(q->heap, q->len++, e);
}

void event_cancel(struct sim *s, struct event *ev)
{
	if (ev->slot >= 0)
		heap_remove(&s->eq, (uint32_t)ev->slot);
}

struct event *event_at(struct sim *s, sim_time_t t, event_fn fn, void *obj, uint64_t arg)
{
	struct event_pool *p = &s->evpool;
	struct event *ev;

	if (!p->free) {
		struct event *chunk = xrealloc(NULL, POOL_CHUNK * sizeof *chunk);

		p->chunks = xrealloc(p->chunks, (p->n_chunks + 1) * sizeof *p->chunks);
		p->chunks[p->n_chunks++] = chunk;
		for (int i = POOL_CHUNK - 1; i >= 0; i--) {
			chunk[i].next_free = p->free;
			p->free = &chunk[i];
		}
	}
	ev = p->free;
	p->free = ev->next_free;
	event_init(ev, fn, obj);
	ev->arg = arg;
	ev->pooled = 1;
	event_schedule(s, ev, t);
	return ev;
}

void event_pool_free(struct event_pool *p)
{
	for (uint32_t i = 0; i < p->n_chunks; i++)
		free(p->chunks[i]);
	free(p->chunks);
	memset(p, 0, sizeof *p);
}

bool sim_step(struct sim *s, sim_time_t until)
{
	struct event_queue *q = &s->eq;
	struct event *ev;
	bool pooled;

	if (q->len == 0 || q->heap[0].time > until)
		return false;
	/* Off the heap before it fires: the callback may re-arm the event, or
	 * free the object it is embedded in (a packet that has arrived), so
	 * nothing of ev is touched after the call but a pooled event. */
	ev = q->heap[0].ev;
	pooled = ev->pooled;
	s->now = q->heap[0].time;
	heap_remove(q, 0);
	s->events_run++;
	ev->fn(s, ev);
	if (pooled && ev->slot < 0) {
		/* back to the pool unless its callback re-armed it */
		ev->next_free = s->evpool.free;
		s->evpool.free = ev;
	}
	return true;
}

uint64_t sim_run(struct sim *s, sim_time_t until)
{
	uint64_t before = s->events_run;

	while (sim_step(s, until))
		;
	if (s->eq.len > 0 && s->now < until)
		s->now = until;
	return s->events_run - before;
}
