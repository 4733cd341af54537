/*
 * tcp_reass.c - the out-of-order queue and the SACK blocks we report.
 *
 * Data is virtual, so the queue keeps only sequence ranges: a sorted array
 * of disjoint [start, end) blocks above rcv_nxt, merged on insert.  When
 * rcv_nxt reaches the first block, tcp_reass_pull() delivers it.
 *
 * SACK blocks (RFC 2018 4): the first block reported is the one holding the
 * most recently received segment, followed by the most recently reported
 * others; blocks at or below rcv_nxt are dropped.
 */
#include <string.h>
#include "tcp_internal.h"

bool tcp_ranges_insert(struct sack_block *r, uint32_t *n, uint32_t cap,
		       uint32_t start, uint32_t end)
{
	uint32_t i = 0, j;

	/* Skip blocks entirely before the new one. */
	while (i < *n && SEQ_LT(r[i].end, start))
		i++;
	/* Merge every block that overlaps or touches [start, end). */
	j = i;
	while (j < *n && SEQ_LEQ(r[j].start, end)) {
		if (SEQ_LT(r[j].start, start))
			start = r[j].start;
		if (SEQ_GT(r[j].end, end))
			end = r[j].end;
		j++;
	}
	if (j == i && *n == cap)
		return false;           /* no room for a new block */
	/* Replace blocks i..j-1 by the merged one. */
	memmove(&r[i + 1], &r[j], (*n - j) * sizeof r[0]);
	*n = *n - (j - i) + 1;
	r[i].start = start;
	r[i].end = end;
	return true;
}

bool tcp_reass_insert(struct tcb *t, uint32_t seq, uint32_t len)
{
	return tcp_ranges_insert(t->reass.r, &t->reass.n, TCP_REASS_MAX, seq, seq + len);
}

uint32_t tcp_reass_pull(struct tcb *t)
{
	struct tcp_reass *q = &t->reass;
	uint32_t got = 0;

	while (q->n > 0 && SEQ_LEQ(q->r[0].start, t->rcv_nxt)) {
		if (SEQ_GT(q->r[0].end, t->rcv_nxt)) {
			uint32_t d = q->r[0].end - t->rcv_nxt;

			tcp_advance_rcv_nxt(t, d);
			got += d;
		}
		memmove(&q->r[0], &q->r[1], (q->n - 1) * sizeof q->r[0]);
		q->n--;
	}
	return got;
}

uint32_t tcp_reass_bytes(const struct tcb *t)
{
	uint32_t sum = 0;

	for (uint32_t i = 0; i < t->reass.n; i++)
		sum += t->reass.r[i].end - t->reass.r[i].start;
	return sum;
}

void tcp_sack_note(struct tcb *t, uint32_t start, uint32_t end)
{
	struct tcp_reass *q = &t->reass;
	struct sack_block b = { start, end };

	/* The block to report is the whole queued range holding the segment. */
	for (uint32_t i = 0; i < q->n; i++)
		if (SEQ_LEQ(q->r[i].start, start) && SEQ_GEQ(q->r[i].end, end)) {
			b = q->r[i];
			break;
		}
	/* Most recent first; drop older reports it covers. */
	struct sack_block keep[TCP_MAX_SACK];
	uint32_t n = 0;

	keep[n++] = b;
	for (uint32_t i = 0; i < q->nsack && n < TCP_MAX_SACK; i++) {
		const struct sack_block *o = &q->sack[i];

		if (SEQ_GEQ(o->start, b.start) && SEQ_LEQ(o->end, b.end))
			continue;
		keep[n++] = *o;
	}
	memcpy(q->sack, keep, n * sizeof keep[0]);
	q->nsack = n;
}

void tcp_sack_trim(struct tcb *t)
{
	struct tcp_reass *q = &t->reass;
	uint32_t n = 0;

	for (uint32_t i = 0; i < q->nsack; i++)
		if (SEQ_GT(q->sack[i].end, t->rcv_nxt))
			q->sack[n++] = q->sack[i];
	q->nsack = n;
}
