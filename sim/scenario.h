/*
 * scenario.h - a scenario file, parsed and validated into plain structs.
 *
 * scenario.c reads YAML with libyaml, applies --set overrides, checks every
 * key, type, unit, range and cross-reference, and fills a `struct scenario`:
 * plain data, no live objects (build.c instantiates them).  Any problem is
 * reported once as "FILE:LINE:COL: error: message" in a `struct scn_error`;
 * nothing is half-loaded.  The complete key reference is docs/scenario.md.
 *
 * Call order: scn_load_file() (or scn_load_buffer()) -> use -> scn_free().
 */
#ifndef SEGSIM_SCENARIO_H
#define SEGSIM_SCENARIO_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "sim.h"
#include "queue.h"
#include "loss.h"
#include "app_conf.h"         /* proto/: plain data, no code */
#include "tcp_conf.h"

struct scn_pos { int line, col; };   /* 1-based, as editors show them */

struct scn_error {
	char msg[512];          /* "FILE:LINE:COL: error: ..." complete */
};

struct scn_node {
	char name[32];
	uint32_t addr;          /* given, or 10.0.0.(index+1) in order */
	sim_time_t proc_delay;  /* default 0 */
	struct scn_pos pos;
};

struct scn_dir {                /* one direction of a link */
	struct queue_conf queue;
	struct fault_conf faults;
};

struct scn_link {
	char name[72];          /* "a-b" unless given */
	int a, b;               /* node indices */
	uint64_t bandwidth_bps;
	sim_time_t delay;
	struct scn_dir dir[2];  /* [0] a->b ("forward"), [1] b->a ("reverse") */
	struct scn_pos pos;
};

enum scn_proto { SCN_UDP = 17, SCN_TCP = 6 };

struct scn_flow {
	char name[32];
	enum scn_proto proto;
	int from, to;           /* node indices */
	uint16_t sport, dport;  /* default 49152 + i, 5000 + i */
	struct app_conf app;
	struct tcp_conf tcp[2]; /* TCP: [0] the `from` (client) end, [1] the
				   `to` (server) end */
	sim_time_t start;       /* default 0 */
	sim_time_t stop;        /* default: the scenario's duration */
	struct scn_pos pos;
};

struct scn_event {
	sim_time_t at;
	int link;               /* link index, or -1 for a node event */
	int node;               /* node index, or -1 for a link event */
	bool crash;             /* node: lose all TCP state (crash and reboot) */
	bool set_up, up;
	bool set_bandwidth;
	uint64_t bandwidth_bps;
	bool set_delay;
	sim_time_t delay;
	struct scn_pos pos;
};

enum scn_plot {
	SCN_PLOT_QUEUE = 1u << 0,
	SCN_PLOT_THROUGHPUT = 1u << 1,
	SCN_PLOT_DELAY = 1u << 2,
	SCN_PLOT_CWND = 1u << 3,
	SCN_PLOT_RTT = 1u << 4,
	SCN_PLOT_SEQ = 1u << 5,
	SCN_PLOT_TCP_THROUGHPUT = 1u << 6,
};

struct scn_trace {
	bool packets;           /* packets.tsv */
	bool *flows;            /* [n_flows]: trace this flow */
	bool *queues;           /* [2 * n_links]: trace direction (link*2 + dir) */
	bool *pcap;             /* [n_nodes]: capture at this node */
	bool tcp_server;        /* also trace the server end of TCP flows
				   (flows/NAME.server.tsv) */
	uint32_t snaplen;       /* pcap snap length, 0 = whole packets */
};

/* The optional sweep: section, read by `segsim sweep` (sweep.c); run and
 * check validate it and otherwise ignore it.  Each value is YAML text that
 * a run receives as --set KEY=VALUE; docs/scenario.md has the keys. */
struct scn_sweep_param {
	char key[128];          /* a --set path: "links.r1-r2.queue.limit" */
	char **values;          /* n_values texts, in file order, all different */
	int n_values;
};

struct scn_sweep {
	bool present;           /* the file has a sweep: section */
	struct scn_sweep_param *params; int n_params;
	uint64_t *seeds; int n_seeds;   /* at least one: default the scenario's
					   seed; `seeds: N` is seed .. seed+N-1 */
	char **metrics; int n_metrics;  /* paths into summary.json; none given:
					   n_metrics 0 (sweep.c picks) */
	bool plot;              /* false after `plot: false` */
	char plot_x[128];       /* a param key; "": the first param */
	char plot_y[128];       /* a metric path; "": the first metric */
};

struct scenario {
	char file[256];         /* as given on the command line */
	char name[64];          /* default: file's base name without .yaml */
	uint64_t seed;          /* default 1 */
	sim_time_t duration;    /* default 10s */

	struct scn_node *nodes; int n_nodes;
	struct scn_link *links; int n_links;
	struct scn_flow *flows; int n_flows;
	struct scn_event *events; int n_events;
	struct scn_trace trace;
	unsigned plots;         /* SCN_PLOT_* chosen for --plot (default all
				   that apply) */
	char plot_format[8];    /* "png" (default), "svg", "pdf" */
	struct scn_sweep sweep;
};

/* A --set KEY=VALUE override: KEY is a dotted path into the document;
 * list items are addressed by index or, for lists of named maps (nodes,
 * links, flows), by name: "flows.f1.app.rate=5Mbps", "links.0.delay=5ms",
 * "seed=7".  VALUE is parsed as YAML (a scalar, or a flow map/list). */
struct scn_set {
	const char *key;
	const char *value;
};

/* 0 on success; -1 with err filled.  `sets` may be NULL. */
int scn_load_file(const char *path, const struct scn_set *sets, int n_sets,
		  struct scenario *out, struct scn_error *err);
int scn_load_buffer(const char *name, const char *buf, size_t len,
		    const struct scn_set *sets, int n_sets,
		    struct scenario *out, struct scn_error *err);
void scn_free(struct scenario *sc);

/* Index of node/link/flow by name, -1 if none. */
int scn_node_index(const struct scenario *sc, const char *name);
int scn_flow_index(const struct scenario *sc, const char *name);

#endif
