/*
 * live.h - the live view of a running simulation (segsim run --live) and
 * real-time pacing (--realtime X).
 *
 * The live view draws TCP variables (cwnd by default; --live-vars chooses
 * among cwnd, ssthresh, inflight, rwnd, srtt, rttvar, rto) of every TCP
 * flow's client end against simulated time, while the run goes on: in a
 * gnuplot window when $DISPLAY is set and gnuplot has qt, wxt or x11, else
 * as text frames of gnuplot's dumb terminal on standard output (redrawn in
 * place on a terminal, one after another into a pipe, each starting with a
 * form feed).  Frames are drawn at most ten times per second of wall-clock
 * time.  --realtime X sleeps between slices of the run so that simulated
 * time advances X times as fast as the wall clock (with or without the
 * view).  Neither touches the simulation: the outputs are byte-identical to
 * a run without them.
 *
 * Front end (like main.c and build.c): reads the flows' control blocks
 * through build.h's run_tcp_vars().
 *
 * Call order: live_parse_vars() while parsing options -> live_open() after
 * build_run() -> per slice of the run: live_slice() (how long a slice),
 * sim_run(), live_tick() -> live_close() after the run.  Every function
 * accepts a NULL live (nothing asked for) and then does nothing.
 */
#ifndef SEGSIM_LIVE_H
#define SEGSIM_LIVE_H

#include <stdbool.h>
#include "sim.h"

struct run;
struct live;

struct live_opts {
	bool show;                      /* --live: draw the view */
	unsigned vars;                  /* LIVE_VAR_* bits; 0: cwnd */
	double realtime;                /* --realtime X; 0: as fast as possible */
};

enum {
	LIVE_VAR_CWND = 1u << 0,
	LIVE_VAR_SSTHRESH = 1u << 1,
	LIVE_VAR_INFLIGHT = 1u << 2,
	LIVE_VAR_RWND = 1u << 3,
	LIVE_VAR_SRTT = 1u << 4,
	LIVE_VAR_RTTVAR = 1u << 5,
	LIVE_VAR_RTO = 1u << 6,
};

/* "cwnd,ssthresh,srtt" into LIVE_VAR_* bits; -1 with a message naming the
 * variables there are when a name is unknown or the list empty. */
int live_parse_vars(const char *list, unsigned *vars);

/* Start the view (gnuplot) and the pacing for run r.  NULL when neither is
 * asked for.  A view that cannot be shown (gnuplot missing, no TCP flow)
 * is a warning on stderr: the run goes on, paced if asked. */
struct live *live_open(struct run *r, const struct live_opts *o);

/* The simulated time to run before the next live_tick(), from the caller's
 * choice: shorter under --realtime so that the pacing stays smooth. */
sim_time_t live_slice(const struct live *lv, sim_time_t slice);

/* After a slice: sample the variables, draw a frame when one is due, sleep
 * to keep to --realtime. */
void live_tick(struct live *lv);

/* After the run: the last frame (the view of the whole run), the pacing
 * to the run's end, gnuplot closed (a window stays open). */
void live_close(struct live *lv);

#endif
