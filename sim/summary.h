/*
 * summary.h - summary.json and the table printed at the end of a run.
 *
 * Only deterministic figures go here (no wall-clock time), so two runs of
 * the same scenario and seed give byte-identical files.  The engine's
 * objects (queues, links, nodes) are read directly; what belongs to the
 * protocols (flows, per-node transport counters) is handed in by the front
 * end as plain records, so this file never sees proto/.
 */
#ifndef SEGSIM_SUMMARY_H
#define SEGSIM_SUMMARY_H

#include <stdio.h>
#include <stdint.h>
#include "sim.h"

/* A named number; integers print exactly, reals with %.9g. */
struct summary_kv {
	const char *key;
	bool is_real;
	uint64_t u;
	double d;
};

#define SUMMARY_MAX_KV 56

struct summary_flow {
	const char *name, *proto, *app, *from, *to;
	uint64_t bytes_sent, bytes_delivered;
	double goodput_bps;
	uint64_t retransmits, timeouts, fast_retransmits;
	const char *final_state;        /* NULL prints null */
	const char *integrity;          /* NULL prints null */
	const char *extra_name;         /* e.g. "udp": an object of extra kvs */
	int n_extra;
	struct summary_kv extra[SUMMARY_MAX_KV];
};

struct summary_node {                   /* transport counters of one node */
	int n;
	struct summary_kv kv[SUMMARY_MAX_KV];
};

struct summary {
	const char *scenario;
	uint64_t seed;
	sim_time_t duration;
	const struct summary_flow *flows;
	int n_flows;
	const struct summary_node *nodes;       /* [s->n_nodes] or NULL */
};

void summary_kv_int(struct summary_kv *kv, int *n, const char *key, uint64_t v);
void summary_kv_real(struct summary_kv *kv, int *n, const char *key, double v);

/* Write summary.json into dir; 0 or -1 (message on stderr). */
int summary_write_json(const struct sim *s, const struct summary *sm, const char *dir);
/* The human-readable table (stdout and run.log). */
void summary_print(FILE *f, const struct sim *s, const struct summary *sm);

#endif
