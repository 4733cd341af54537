/*
 * queue_droptail.c - drop-tail FIFO (Linux pfifo/bfifo in one).
 *
 * An arriving packet is queued if it fits under the physical limit
 * (limit_pkts packets and/or limit_bytes bytes, 0 = unlimited), and dropped
 * otherwise.  No state of its own: the FIFO and the counters are the core's
 * (queue.c).
 */
#include "queue.h"

static enum queue_verdict droptail_verdict(struct queue *q, const struct packet *p,
					   sim_time_t now)
{
	(void)now;
	return queue_fits(q, p) ? QV_ENQUEUE : QV_DROP;
}

const struct queue_ops droptail_queue_ops = {
	.name = "droptail",
	.priv_size = 0,
	.verdict = droptail_verdict,
};
