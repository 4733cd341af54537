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

#endif
