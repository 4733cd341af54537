/*
 * build.h - turning a parsed scenario into a running simulation.
 *
 * Front end: the only place (with main.c and scenario.c) that sees both the
 * engine and the protocols.  build_run() instantiates nodes, links, queues,
 * fault models, IP stacks, flows and applications, opens the trace files the
 * scenario asks for and schedules the scenario's link events; run_finish()
 * writes summary.json and closes everything.
 *
 * Call order: build_run() -> sim_run() (main.c) -> run_finish() -> run_free().
 */
#ifndef SEGSIM_BUILD_H
#define SEGSIM_BUILD_H

#include <stdio.h>
#include "sim.h"
#include "scenario.h"
#include "trace.h"

struct app;

struct run {
	struct sim sim;
	const struct scenario *sc;
	const char *outdir;             /* NULL: write nothing (tests) */
	struct app **apps;              /* [n_flows] */
	const char **flow_names;
	struct trace trace;
	FILE **flow_traces;             /* [n_flows] */
	FILE **server_traces;           /* [n_flows]: TCP server ends */
	FILE *log;                      /* run.log, or NULL */
};

/* 0, or -1 with a message on stderr (nothing is left allocated). */
int build_run(struct run *r, const struct scenario *sc, const char *outdir);
/* Close traces, write summary.json (if outdir) and print the table to out
 * (and run.log). */
int run_finish(struct run *r, FILE *out);
void run_free(struct run *r);

/* The flow's application (for tests and validation). */
static inline struct app *run_app(const struct run *r, int flow) { return r->apps[flow]; }

/* A TCP end's congestion and timer variables right now (the live view,
 * sim/live.c): bytes and nanoseconds, ssthresh UINT32_MAX while unlimited,
 * srtt 0 before the first RTT sample. */
struct run_tcp_vars {
	uint32_t cwnd, ssthresh, inflight, rwnd;
	sim_time_t srtt, rttvar, rto;
};
/* True if the flow is TCP. */
bool run_flow_is_tcp(const struct run *r, int flow);
/* The client end of the flow's current connection into v; false when the
 * flow is not TCP or has no open connection at the moment. */
bool run_tcp_vars(const struct run *r, int flow, struct run_tcp_vars *v);

#endif
