/*
 * hold.c - the classic "hold" benchmark of an event set (Vaucher & Duval
 * 1975; Jones 1986): keep n events pending; repeatedly remove the earliest
 * and insert one at now + an exponential increment.  Reports hold
 * operations (= events executed) per wall-clock second.
 *
 *   hold N [OPS]     default OPS = 10^7
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <gsl/gsl_randist.h>
#include "sim.h"
#include "rng.h"

static double *incr;            /* precomputed increments: measure the queue */
static uint64_t incr_i, incr_n;

static void hold_fire(struct sim *s, struct event *ev)
{
	double d = incr[incr_i++ & (incr_n - 1)];

	event_schedule(s, ev, s->now + 1 + (sim_time_t)d);
}

int main(int argc, char **argv)
{
	uint64_t n = argc > 1 ? strtoull(argv[1], NULL, 10) : 10000;
	uint64_t ops = argc > 2 ? strtoull(argv[2], NULL, 10) : 10000000;
	struct sim s;
	struct event *ev = calloc(n, sizeof *ev);
	gsl_rng *r = rng_stream(1, "hold");
	struct timespec t0, t1;
	double wall;

	memset(&s, 0, sizeof s);
	event_queue_init(&s.eq);
	incr_n = 1u << 20;
	incr = malloc(incr_n * sizeof *incr);
	for (uint64_t i = 0; i < incr_n; i++)
		incr[i] = gsl_ran_exponential(r, 1e6);
	for (uint64_t i = 0; i < n; i++) {
		event_init(&ev[i], hold_fire, NULL);
		event_schedule(&s, &ev[i], (sim_time_t)incr[i & (incr_n - 1)]);
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	for (uint64_t i = 0; i < ops; i++)
		sim_step(&s, SIM_TIME_MAX);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	wall = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	printf("hold n=%-8llu ops=%llu wall_s=%.3f events_per_s=%.1fM ns_per_event=%.1f\n",
	       (unsigned long long)n, (unsigned long long)ops, wall, (double)ops / wall / 1e6,
	       wall / (double)ops * 1e9);
	event_queue_free(&s.eq);
	gsl_rng_free(r);
	free(incr);
	free(ev);
	return 0;
}
