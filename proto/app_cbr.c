/*
 * app_cbr.c - constant bit rate: a datagram of `size` bytes every
 * size*8/rate seconds, from the flow's start to its stop (or `count`).
 *
 * Send times are computed from the datagram number, not by adding a rounded
 * interval each time, so the rate is exact over any run length.
 */
#include "app.h"

struct cbr {
	sim_time_t t0;
};

/* Time of datagram k after t0 at rate bps with size bytes each. */
static sim_time_t cbr_offset(uint64_t k, uint32_t size, uint64_t bps)
{
	unsigned __int128 bits_ns = (unsigned __int128)k * size * 8u * (uint64_t)SIM_S;

	return (sim_time_t)(bits_ns / bps);
}

static void cbr_tick(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;
	struct cbr *c = a->priv;

	if (!a->running || (a->conf.count && a->next_seq >= a->conf.count))
		return;
	app_send(s, a, a->conf.size);
	event_schedule(s, &a->tx_ev,
		       c->t0 + cbr_offset(a->next_seq, a->conf.size, a->conf.rate_bps));
}

static int cbr_init(struct sim *s, struct app *a)
{
	(void)s;
	a->tx_ev.fn = cbr_tick;
	return 0;
}

static void cbr_start(struct sim *s, struct app *a)
{
	struct cbr *c = a->priv;

	c->t0 = s->now;
	cbr_tick(s, &a->tx_ev);
}

const struct app_ops cbr_app_ops = {
	.name = "cbr",
	.priv_size = sizeof(struct cbr),
	.init = cbr_init,
	.start = cbr_start,
};
