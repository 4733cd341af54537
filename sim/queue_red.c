/*
 * queue_red.c - Random Early Detection.
 *
 * S. Floyd and V. Jacobson, "Random Early Detection Gateways for Congestion
 * Avoidance", IEEE/ACM Transactions on Networking 1(4), August 1993 -
 * "F&J" below.  The arrival-time algorithm is the paper's Fig. 2 ("Detailed
 * algorithm for RED gateways"), rule for rule:
 *
 *   for each packet arrival
 *     if the queue is nonempty  avg <- (1 - wq) avg + wq q
 *     else                      m <- f(time - q_time); avg <- (1 - wq)^m avg
 *     if min_th <= avg < max_th
 *       count++; pb <- max_p (avg - min_th)/(max_th - min_th)
 *       pa <- pb / (1 - count pb)
 *       with probability pa: mark the packet, count <- 0
 *     else if max_th <= avg: mark the packet, count <- 0
 *     else count <- -1
 *   when the queue becomes empty: q_time <- time
 *
 * ("mark" in F&J means drop, or set a congestion bit; here it is a drop, or
 * a CE mark when ECN is on and the packet is ECN-capable.)
 *
 * Extensions, each cited where it is applied: byte mode (F&J section 4),
 * the "gentle" variant (Floyd 2000), ECN (RFC 3168 sections 5 and 7), and
 * the physical buffer limit (a full buffer drops, counted as a forced drop,
 * count <- 0, as ns-2's RED does).
 *
 * Randomness: one gsl_rng_uniform() from q->rng per arrival whose pa is
 * strictly between 0 and 1, none otherwise.
 */
#include <math.h>
#include "queue.h"
#include "packet.h"

/* Typical packet when the scenario gives none: ns-2's RED default
 * (mean_pktsize_ = 500 bytes). */
#define RED_DEFAULT_PKT_BYTES 500u

struct red_priv {
	double avg;             /* average queue, packets (bytes in byte mode) */
	int64_t count;          /* packets since the last mark; -1 below min_th */
	sim_time_t q_time;      /* start of the current idle period */
	double s_ns;            /* transmission time of a typical packet, or 0 */
	double mean_bytes;      /* typical packet size for byte mode */
};

static void red_init(struct queue *q)
{
	struct red_priv *r = q->priv;
	uint32_t mean = q->conf.mean_pkt_bytes ? q->conf.mean_pkt_bytes
					       : RED_DEFAULT_PKT_BYTES;

	/* F&J Fig. 2, "Initialization: avg <- 0, count <- -1".  The queue is
	 * idle from time 0. */
	r->avg = 0.0;
	r->count = -1;
	r->q_time = 0;
	r->mean_bytes = mean;
	/* F&J section 11: m = (time - q_time)/s, where s is the transmission
	 * time of a typical packet.  Without a link rate, no idle decay. */
	r->s_ns = q->link_bps ? (double)mean * 8.0 * 1e9 / (double)q->link_bps : 0.0;
}

/* F&J Fig. 2, average queue size at an arrival. */
static void red_update_avg(struct queue *q, struct red_priv *r, sim_time_t now)
{
	double wq = q->conf.wq;

	if (q->len_pkts > 0) {
		/* F&J section 6 / Fig. 2: EWMA of the instantaneous queue q
		 * seen by the arriving packet (before it is added). */
		double cur = q->conf.byte_mode ? (double)q->len_bytes : (double)q->len_pkts;

		r->avg = (1.0 - wq) * r->avg + wq * cur;
	} else if (r->s_ns > 0.0 && now > r->q_time) {
		/* F&J Fig. 2 and section 11: after an idle period the average
		 * decays as if m = (time - q_time)/s empty-queue samples had
		 * been taken: avg <- (1 - wq)^m avg.  m is not rounded (the
		 * paper only asks for f linear in time).  Exactly the figure:
		 * no further q = 0 sample for this arrival (ns-2 takes one,
		 * i.e. uses m + 1). */
		double m = (double)(now - r->q_time) / r->s_ns;

		r->avg *= pow(1.0 - wq, m);
	}
}

/* pa from pb and count: F&J section 7 / Fig. 2, pa = pb / (1 - count pb),
 * so that the number of packets between marks is uniform instead of
 * geometric; count pb >= 1 means "mark now" (pa = 1).  As in Fig. 2, count
 * is incremented before pa is computed, so the first packet after a mark
 * has count 1: at a fixed pb the gap is uniform on 1..1/pb - 1 and the
 * mark rate 2 pb per packet (section 7's text counts from 0 and gets
 * 1..1/pb, 2 pb/(1 + pb)).  tests/validate/test_red_validate.c checks it. */
static double red_pa(double pb, int64_t count)
{
	double cpb = (double)count * pb;

	if (pb >= 1.0 || cpb >= 1.0)
		return 1.0;
	if (pb <= 0.0)
		return 0.0;
	return pb / (1.0 - cpb);
}

static enum queue_verdict red_verdict(struct queue *q, const struct packet *p,
				      sim_time_t now)
{
	struct red_priv *r = q->priv;
	const struct queue_conf *c = &q->conf;
	double min_th = c->min_th, max_th = c->max_th;
	double pb, pa;
	bool ect = p->ecn != ECN_NOT_ECT;  /* ECT(0), ECT(1) or CE: RFC 3168 s.5 */

	red_update_avg(q, r, now);

	if (r->avg < min_th) {
		/* F&J Fig. 2: below min_th, no marking; count <- -1. */
		r->count = -1;
		goto fit;
	}
	if (r->avg >= max_th && !(c->gentle && r->avg < 2.0 * max_th)) {
		/* F&J Fig. 2: "else if max_th <= avg: mark the arriving
		 * packet, count <- 0" - every packet.  With gentle, only from
		 * 2 max_th on (Floyd 2000).  This is persistent, not
		 * incipient, congestion, so it is a drop even for ECT
		 * packets: RFC 3168 section 5 lets a router mark instead of
		 * drop "to inform end nodes of incipient congestion", and
		 * section 7 has routers drop rather than mark when congestion
		 * is high, so that non-compliant end nodes cannot keep the
		 * queue full.  ns-2's RED (forced drops) and Linux's RED with
		 * harddrop drop here too. */
		r->count = 0;
		q->dropped_forced++;
		return QV_DROP;
	}

	/* F&J Fig. 2: min_th <= avg < max_th (or the gentle region). */
	r->count++;
	if (r->avg < max_th)
		pb = c->max_p * (r->avg - min_th) / (max_th - min_th);
	else
		/* S. Floyd, "Recommendation on using the gentle_ variant of
		 * RED", March 2000: between max_th and 2 max_th, pb rises
		 * linearly from max_p to 1. */
		pb = c->max_p + (1.0 - c->max_p) * (r->avg - max_th) / max_th;
	if (c->byte_mode)
		/* F&J section 4: in byte mode a packet's chance of being
		 * marked is proportional to its size, pb <- pb size/M; M is
		 * the configured typical size here (ns-2's mean_pktsize). */
		pb = pb * (double)pkt_ip_len(p) / r->mean_bytes;
	pa = red_pa(pb, r->count);
	if (pa >= 1.0 || (pa > 0.0 && gsl_rng_uniform(q->rng) < pa)) {
		r->count = 0;
		/* RFC 3168 section 5: "When the router's buffer is not yet
		 * full and the router is prepared to drop a packet to inform
		 * end nodes of incipient congestion", it may set CE in an ECT
		 * packet instead.  With a full buffer it drops (forced). */
		if (c->ecn && ect) {
			if (queue_fits(q, p))
				return QV_MARK;
			q->dropped_forced++;
			return QV_DROP;
		}
		q->dropped_early++;
		return QV_DROP;
	}

fit:
	/* The buffer is physical: no room, drop (a forced drop; ns-2 also
	 * resets count here). */
	if (!queue_fits(q, p)) {
		r->count = 0;
		q->dropped_forced++;
		return QV_DROP;
	}
	return QV_ENQUEUE;
}

/* F&J Fig. 2: "when queue becomes empty: q_time <- time". */
static void red_on_empty(struct queue *q, sim_time_t now)
{
	struct red_priv *r = q->priv;

	r->q_time = now;
}

static double red_avg(const struct queue *q)
{
	const struct red_priv *r = q->priv;

	return r->avg;
}

const struct queue_ops red_queue_ops = {
	.name = "red",
	.random = true,
	.priv_size = sizeof(struct red_priv),
	.init = red_init,
	.verdict = red_verdict,
	.on_empty = red_on_empty,
	.avg = red_avg,
};
