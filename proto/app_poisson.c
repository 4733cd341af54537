/*
 * app_poisson.c - Poisson arrivals: exponential gaps with mean
 * E[size]*8/rate, so the mean payload bit rate is `rate`; sizes fixed or
 * exponential (size_dist: exp) with mean `size`.  Feeding one link with this
 * source gives the M/D/1 and M/M/1-like queues of queueing theory.
 */
#include <gsl/gsl_randist.h>
#include "app.h"

#define UDP_MAX_PAYLOAD 65507

static uint32_t draw_size(struct app *a)
{
	double x;

	if (!a->conf.size_exp)
		return a->conf.size;
	x = gsl_ran_exponential(app_rng(a), (double)a->conf.size) + 0.5;
	return x < 1.0 ? 1 : x > UDP_MAX_PAYLOAD ? UDP_MAX_PAYLOAD : (uint32_t)x;
}

static void poisson_tick(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;
	double mean_gap_ns = (double)a->conf.size * 8.0 * 1e9 / (double)a->conf.rate_bps;
	double gap;

	if (!a->running || (a->conf.count && a->next_seq >= a->conf.count))
		return;
	app_send(s, a, draw_size(a));
	gap = gsl_ran_exponential(app_rng(a), mean_gap_ns) + 0.5;
	event_schedule(s, &a->tx_ev, s->now + (sim_time_t)gap);
}

static int poisson_init(struct sim *s, struct app *a)
{
	(void)s;
	a->tx_ev.fn = poisson_tick;
	return 0;
}

static void poisson_start(struct sim *s, struct app *a)
{
	poisson_tick(s, &a->tx_ev);
}

const struct app_ops poisson_app_ops = {
	.name = "poisson",
	.init = poisson_init,
	.start = poisson_start,
};
