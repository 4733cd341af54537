/*
 * app_onoff.c - on/off source: exponentially distributed on and off periods
 * (means `on` and `off`); while on, datagrams of `size` bytes at `rate`.
 * Aggregates of such sources give the bursty, long-range-dependent-looking
 * traffic of classic studies; each flow draws from its own stream.
 */
#include <gsl/gsl_randist.h>
#include "app.h"

struct onoff {
	sim_time_t on_start, on_end;
	uint64_t k;             /* datagrams sent in this on period */
	bool on;
};

static sim_time_t draw(struct app *a, sim_time_t mean)
{
	double x = gsl_ran_exponential(app_rng(a), (double)mean);

	return x < 1.0 ? 1 : (sim_time_t)(x + 0.5);
}

static void onoff_tick(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;
	struct onoff *o = a->priv;
	unsigned __int128 bits_ns;
	sim_time_t next;

	if (!a->running || (a->conf.count && a->next_seq >= a->conf.count))
		return;
	if (!o->on) {
		/* An off period ended: start an on period now. */
		o->on = true;
		o->on_start = s->now;
		o->on_end = s->now + draw(a, a->conf.on_mean);
		o->k = 0;
	}
	app_send(s, a, a->conf.size);
	o->k++;
	bits_ns = (unsigned __int128)o->k * a->conf.size * 8u * (uint64_t)SIM_S;
	next = o->on_start + (sim_time_t)(bits_ns / a->conf.rate_bps);
	if (next >= o->on_end) {
		o->on = false;
		next = o->on_end + draw(a, a->conf.off_mean);
	}
	event_schedule(s, &a->tx_ev, next);
}

static int onoff_init(struct sim *s, struct app *a)
{
	(void)s;
	a->tx_ev.fn = onoff_tick;
	return 0;
}

static void onoff_start(struct sim *s, struct app *a)
{
	onoff_tick(s, &a->tx_ev);
}

const struct app_ops onoff_app_ops = {
	.name = "onoff",
	.priv_size = sizeof(struct onoff),
	.init = onoff_init,
	.start = onoff_start,
};
