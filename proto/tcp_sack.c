/*
 * tcp_sack.c - the sender's SACK scoreboard and RFC 6675's loss recovery
 * primitives: IsLost, the pipe estimate and NextSeg.
 *
 * The scoreboard is a sorted array of disjoint SACKed ranges above snd_una,
 * merged as blocks arrive (RFC 2018 4: the receiver reports what it holds;
 * RFC 6675 4: "SetPipe", "Update").  HighRxt (t->high_rxt) is the highest
 * sequence number retransmitted during this recovery.
 *
 * Call order: tcp_sack_update() on every ACK carrying SACK blocks ->
 * tcp_sack_pipe() / tcp_sack_next_seg() while in recovery ->
 * tcp_sack_clear() when the connection leaves it or after an RTO.
 */
#include <string.h>
#include "tcp_internal.h"

void tcp_sack_clear(struct tcb *t)
{
	t->sb.n = 0;
}

/* Drop what snd_una has passed. */
static void trim(struct tcb *t)
{
	struct tcp_scoreboard *b = &t->sb;
	uint32_t k = 0;

	for (uint32_t i = 0; i < b->n; i++) {
		if (SEQ_LEQ(b->r[i].end, t->snd_una))
			continue;
		b->r[k] = b->r[i];
		if (SEQ_LT(b->r[k].start, t->snd_una))
			b->r[k].start = t->snd_una;
		k++;
	}
	b->n = k;
}

void tcp_sack_update(struct tcb *t, const struct tcp_opts *o)
{
	for (uint32_t i = 0; i < o->nsack; i++) {
		uint32_t s = o->sack[i].start, e = o->sack[i].end;

		/* RFC 2018 / 6675: only blocks inside (snd_una, snd_max]
		 * are believed (a D-SACK or a forged block is ignored). */
		if (!SEQ_LT(s, e) || SEQ_LEQ(e, t->snd_una) || SEQ_GT(e, t->snd_max))
			continue;
		if (SEQ_LT(s, t->snd_una))
			s = t->snd_una;
		/* full: the block is forgotten (conservative: less is
		 * believed SACKed, so more is retransmitted) */
		tcp_ranges_insert(t->sb.r, &t->sb.n, TCP_SB_MAX, s, e);
	}
	trim(t);
}

bool tcp_sack_is_sacked(const struct tcb *t, uint32_t seq)
{
	for (uint32_t i = 0; i < t->sb.n; i++)
		if (SEQ_IN(seq, t->sb.r[i].start, t->sb.r[i].end))
			return true;
	return false;
}

/* SACKed bytes above seq. */
static uint32_t sacked_above(const struct tcb *t, uint32_t seq)
{
	uint32_t sum = 0;

	for (uint32_t i = 0; i < t->sb.n; i++) {
		const struct sack_block *r = &t->sb.r[i];

		if (SEQ_LEQ(r->end, seq))
			continue;
		sum += r->end - (SEQ_GT(r->start, seq) ? r->start : seq);
	}
	return sum;
}

/* RFC 6675 4 IsLost(SeqNum): DupThresh discontiguous SACKed sequences
 * above it, or more than (DupThresh - 1) * SMSS bytes SACKed above it. */
bool tcp_sack_is_lost(const struct tcb *t, uint32_t seq)
{
	uint32_t blocks = 0;

	for (uint32_t i = 0; i < t->sb.n; i++)
		if (SEQ_GT(t->sb.r[i].start, seq))
			blocks++;
	return blocks >= t->conf->dupthresh ||
	       sacked_above(t, seq) > (t->conf->dupthresh - 1) * t->mss;
}

/*
 * RFC 6675 4 SetPipe: octets between snd_una and snd_max that are in the
 * network - not SACKed and not lost, plus those retransmitted - judged a
 * segment at a time, at s_k = snd_una + k * SMSS (the last one short).
 *
 * Counted, not walked: the output loop asks for pipe before every segment
 * it sends, and a walk costs a scoreboard scan per segment of the window
 * (it was 99% of a CUBIC run with 200-segment windows).  IsLost only
 * grows as the sequence number falls (more is SACKed above it), so the
 * lost segments are exactly those below the first one that is not
 * (binary search); segments below HighRxt were retransmitted; and how
 * many grid points a SACKed range covers is arithmetic.  The result is the
 * walk's to the octet (tests/unit/test_tcp_recovery.c compares them).
 */

/* Grid points k in [a, b) that no SACKed range covers. */
static uint32_t grid_unsacked(const struct tcb *t, uint32_t seg, uint32_t a, uint32_t b)
{
	uint32_t n = b > a ? b - a : 0;

	if (!n)
		return 0;
	for (uint32_t i = 0; i < t->sb.n; i++) {
		const struct sack_block *r = &t->sb.r[i];
		uint64_t rs, re, k0, k1;

		if (SEQ_LEQ(r->end, t->snd_una))
			continue;
		rs = SEQ_GT(r->start, t->snd_una) ? r->start - t->snd_una : 0;
		re = r->end - t->snd_una;
		k0 = (rs + seg - 1) / seg;      /* first k with k * seg >= rs */
		k1 = (re + seg - 1) / seg;      /* first k with k * seg >= re */
		if (k0 < a)
			k0 = a;
		if (k1 > b)
			k1 = b;
		if (k1 > k0)
			n -= (uint32_t)(k1 - k0);
	}
	return n;
}

uint32_t tcp_sack_pipe(const struct tcb *t)
{
	uint32_t seg = t->mss, w = t->snd_max - t->snd_una;
	uint32_t n, short_by, lo, hi, k_high = 0;
	uint64_t pipe;

	if (!w || SEQ_LT(t->snd_max, t->snd_una))
		return 0;
	n = (uint32_t)(((uint64_t)w + seg - 1) / seg);
	short_by = (uint32_t)((uint64_t)n * seg - w);   /* the last segment's */
	/* the first segment that is not lost */
	lo = 0;
	hi = n;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;

		if (tcp_sack_is_lost(t, t->snd_una + mid * seg))
			lo = mid + 1;
		else
			hi = mid;
	}
	if (SEQ_GT(t->high_rxt, t->snd_una)) {
		uint64_t h = (uint64_t)(t->high_rxt - t->snd_una);

		k_high = (uint32_t)((h + seg - 1) / seg);
		if (k_high > n)
			k_high = n;
	}
	pipe = (uint64_t)seg * (grid_unsacked(t, seg, lo, n) + grid_unsacked(t, seg, 0, k_high));
	if (short_by && !tcp_sack_is_sacked(t, t->snd_una + (n - 1) * seg))
		pipe -= (uint64_t)short_by * ((lo < n) + (k_high == n));
	return (uint32_t)pipe;
}

/* RFC 6675 4 NextSeg: the next segment to send in recovery.  Returns
 * false when nothing may go; *seq and *len otherwise. */
bool tcp_sack_next_seg(const struct tcb *t, uint32_t *seq, uint32_t *len, uint32_t seg)
{
	uint32_t s = SEQ_GT(t->high_rxt, t->snd_una) ? t->high_rxt : t->snd_una;

	/* (1) the lowest unSACKed sequence above HighRxt that is lost */
	for (; SEQ_LT(s, t->snd_max); ) {
		uint32_t l = t->snd_max - s < seg ? t->snd_max - s : seg;
		uint32_t next = s + l;

		for (uint32_t i = 0; i < t->sb.n; i++)
			if (SEQ_GT(t->sb.r[i].start, s) && SEQ_LT(t->sb.r[i].start, next))
				next = t->sb.r[i].start;
		l = next - s;
		if (!tcp_sack_is_sacked(t, s)) {
			if (tcp_sack_is_lost(t, s)) {
				*seq = s;
				*len = l;
				return true;
			}
			break;          /* not lost yet: try new data */
		}
		/* skip to the end of the SACKed block */
		for (uint32_t i = 0; i < t->sb.n; i++)
			if (SEQ_IN(s, t->sb.r[i].start, t->sb.r[i].end)) {
				next = t->sb.r[i].end;
				break;
			}
		s = next;
	}
	/* (2) new data, if the window and the buffer allow: the caller sends
	 * it through the normal path (snd_nxt == snd_max). */
	return false;
}
