/*
 * app.h - applications that drive flows, behind an ops table.
 *
 * One `struct app` serves one flow, both ends of it: for UDP the sender on
 * the flow's `from` node and the receiving socket (the sink, or the server
 * of udp-reqresp) on its `to` node.  The core (app.c) owns what every flow
 * shares: the start/stop events, the per-flow statistics, the receive side
 * bookkeeping (delay, loss, jitter, reordering, duplicates) and the
 * udp/NAME.tsv trace.  A variant supplies how it generates traffic.
 * Adding an application = one file + one line in app.c's registry.
 *
 * Call order: app_create() -> ops->init -> [start event] ops->start ->
 * ... traffic ... -> [stop event] ops->stop -> app_report() -> app_destroy().
 */
#ifndef SEGSIM_APP_H
#define SEGSIM_APP_H

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <gsl/gsl_rng.h>
#include "sim.h"
#include "udp.h"
#include "app_conf.h"
#include "tcp.h"

/* What the summary reports per flow. */
struct flow_stats {
	uint64_t pkts_sent, bytes_sent;         /* payload bytes */
	uint64_t pkts_recv, bytes_recv;         /* unique datagrams delivered */
	uint64_t duplicates;                    /* received more than once */
	uint64_t reordered;                     /* arrived after a later one */
	double delay_sum_s, delay_max_s;
	double jitter_s;                        /* RFC 3550 section 6.4.1 */
	sim_time_t first_rx, last_rx;
	/* udp-reqresp */
	uint64_t queries, answers, retries, failures;
	double rtt_sum_s;
};

struct app;

struct app_ops {
	const char *name;
	size_t priv_size;
	/* (required) bind sockets, read the configuration; 0 or -1 */
	int (*init)(struct sim *s, struct app *a);
	/* (required) begin at the flow's start time */
	void (*start)(struct sim *s, struct app *a);
	/* (optional) stop generating at the flow's stop time */
	void (*stop)(struct sim *s, struct app *a);
	/* (optional) a datagram arrived at the `to` end (after the core's
	 * bookkeeping); a server answers here */
	void (*on_server_recv)(struct sim *s, struct app *a, const struct packet *p);
	/* (optional) a datagram arrived back at the `from` end */
	void (*on_client_recv)(struct sim *s, struct app *a, const struct packet *p);

	/* TCP applications (app_tcp.c runs the connections and calls these;
	 * `end` is APP_CLIENT or APP_SERVER) */
	bool tcp;
	/* (optional) a connection reached ESTABLISHED at one end */
	void (*tcp_open)(struct sim *s, struct app *a, struct tcb *t, int end);
	/* (optional) the application at `end` read `bytes` */
	void (*tcp_data)(struct sim *s, struct app *a, struct tcb *t, int end, uint32_t bytes);
	/* (optional) send-buffer space freed */
	void (*tcp_writable)(struct sim *s, struct app *a, struct tcb *t, int end);
	/* (optional) the peer closed its side (after all its data was read) */
	void (*tcp_peer_closed)(struct sim *s, struct app *a, struct tcb *t, int end);
	/* (optional) a connection is gone at one end */
	void (*tcp_closed)(struct sim *s, struct app *a, struct tcb *t, int end, int reason);
};

enum { APP_CLIENT = 0, APP_SERVER = 1 };

struct app {
	const struct app_ops *ops;
	struct app_conf conf;
	uint16_t flow;                  /* flow index */
	const char *name;
	struct node *src, *dst;
	uint16_t sport, dport;
	sim_time_t start, stop;
	bool running;
	gsl_rng *rng;                   /* this flow's own stream: app_rng() */
	uint64_t rng_seed;

	struct udp_sock client;         /* on src */
	struct udp_sock server;         /* on dst */
	uint64_t tx_off;                /* payload stream offset sent so far */
	uint32_t next_seq;              /* next datagram number */
	struct event start_ev, stop_ev, tx_ev;

	/* receive-side state (core) */
	uint32_t max_seq_seen;
	bool any_rx;
	sim_time_t last_transit;        /* for jitter */
	uint8_t *seen;                  /* bitmap of delivered seq numbers */
	uint32_t seen_cap;              /* bits */

	struct flow_stats st;
	FILE *trace;                    /* udp/NAME.tsv or NULL */
	void *priv;

	/* TCP (app_tcp.c) */
	const struct tcp_conf *tcp_conf[2];     /* client and server ends */
	FILE *tcp_trace[2];                     /* flows/NAME.tsv, .server.tsv */
	struct tcb *listener;                   /* ours, or a shared one */
	struct app *share_next;                 /* the next flow on a listener
						   this app opened (app_tcp.c) */
	struct tcb *cli, *srv;                  /* the current connection */
	struct event rd_ev[2];                  /* paced reading, per end */
	sim_time_t rd_next[2];                  /* earliest next paced read */
	struct tcp_stats tcp_done[2];           /* of connections now closed */
	uint64_t tcp_read_bytes[2];             /* read by the application */
	uint64_t tcp_written[2];                /* written by the application */
	uint64_t integrity_bad;                 /* first bad offset, or MAX */
	uint64_t connections, conn_failed;
	int cli_state;                          /* the client end's last state */
	int close_reason;                       /* of the last client close */
	uint64_t urgent_seen;
	sim_time_t last_read;                   /* when data was last read */
	struct tcb **live;                      /* every open connection */
	uint32_t n_live, cap_live;
};

extern const struct app_ops *const app_registry[];
const struct app_ops *app_find(const char *name);

/* Build a flow's application; schedules its start and stop. NULL on error
 * (message on stderr). */
/* The flow's random stream ("flow:NAME"), made on first use: most
 * applications never draw, and an mt19937 state is 5 KB. */
gsl_rng *app_rng(struct app *a);
struct app *app_create(struct sim *s, const struct app_conf *conf, uint16_t flow,
		       const char *name, struct node *src, struct node *dst,
		       uint16_t sport, uint16_t dport, sim_time_t start, sim_time_t stop,
		       FILE *trace);
/* TCP flows: the two ends' settings and traces, before app_create's init
 * runs (app_create_tcp() does both). */
struct app *app_create_tcp(struct sim *s, const struct app_conf *conf, uint16_t flow,
			   const char *name, struct node *src, struct node *dst,
			   uint16_t sport, uint16_t dport, sim_time_t start, sim_time_t stop,
			   const struct tcp_conf tcp[2], FILE *trace_cli, FILE *trace_srv);

/* app_tcp.c: the TCP plumbing every TCP application shares. */
int app_tcp_init(struct sim *s, struct app *a);          /* listen at `to` */
struct tcb *app_tcp_connect(struct sim *s, struct app *a, bool ephemeral);
/* The server end opens actively too (simultaneous open). */
struct tcb *app_tcp_connect_back(struct sim *s, struct app *a);
/* Write up to `bytes` at `end`; returns what the buffer took. */
uint32_t app_tcp_write(struct sim *s, struct app *a, struct tcb *t, int end,
		       uint32_t bytes, bool push);
/* Per-flow TCP totals (closed connections plus the live ones). */
void app_tcp_totals(const struct app *a, struct tcp_stats out[2]);
/* First stream offset where delivered data differed, or UINT64_MAX. */
uint64_t app_tcp_integrity(const struct app *a);
void app_tcp_destroy(struct app *a);
void app_destroy(struct app *a);

/* Send one datagram of len bytes from src to dst (client side) or back
 * (server side); numbering and stream offsets are the core's. */
void app_send(struct sim *s, struct app *a, uint32_t len);
void app_send_reply(struct sim *s, struct app *a, uint32_t len, uint32_t seq);

/* Goodput of the flow over [start, now]: delivered payload bits per
 * second of the flow's active time. */
double app_goodput_bps(const struct app *a, sim_time_t now);

extern const struct app_ops cbr_app_ops;
extern const struct app_ops onoff_app_ops;
extern const struct app_ops poisson_app_ops;
extern const struct app_ops udp_reqresp_app_ops;
extern const struct app_ops bulk_app_ops;
extern const struct app_ops reqresp_app_ops;
extern const struct app_ops interactive_app_ops;

#endif
