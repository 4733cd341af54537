/*
 * sim.h - the one simulation context and simulated time.
 *
 * Everything a run owns hangs off one `struct sim`, passed explicitly to every
 * function that needs it; there are no other globals.  Simulated time is an
 * integer count of nanoseconds (`sim_time_t`): no floating-point time exists in
 * the engine, so runs are exactly repeatable on any machine.
 */
#ifndef SEGSIM_SIM_H
#define SEGSIM_SIM_H

#include <stdint.h>
#include <stddef.h>
#include <stdbool.h>

typedef int64_t sim_time_t;

#define SIM_NS  ((sim_time_t)1)
#define SIM_US  ((sim_time_t)1000)
#define SIM_MS  ((sim_time_t)1000000)
#define SIM_S   ((sim_time_t)1000000000)
#define SIM_TIME_MAX INT64_MAX

/* Seconds as a double, for output only (traces, summary): never fed back. */
static inline double sim_sec(sim_time_t t) { return (double)t / 1e9; }

struct event;
struct packet;
struct node;
struct link;
struct queue;
struct trace;

#include "event.h"
#include "packet.h"

struct sim {
	sim_time_t now;
	uint64_t seed;
	sim_time_t stop_time;           /* run ends after events at this time */

	struct event_queue eq;          /* pending events */
	struct event_pool evpool;       /* one-shot events (event_at) */
	struct pkt_pool pool;           /* every packet in the run */

	struct node **nodes;
	int n_nodes;
	struct link **links;
	int n_links;
	struct addr_map *addrs;         /* IPv4 address -> node (route.c) */

	/* Flow names by flow index, for traces; packets carry the index. */
	const char *const *flow_names;
	int n_flows;

	struct trace *trace;            /* NULL: nothing traced */
	uint64_t events_run;
	uint64_t next_pkt_uid;
};

#endif
