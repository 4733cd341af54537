/*
 * plot_int.h - what the plot files share (not part of the plot API).
 *
 * plot.c is the driver (plot_dir(): one gnuplot run per plot, each kind a
 * row of its plot_kinds[] and a script plots/KIND.gp) and the kinds of one
 * output directory; plot_tcp.c the TCP kinds that look across flows (acked
 * throughput with Jain's index, every flow's cwnd) and the RTT samples seen
 * on the wire; plot_overlay.c the comparison of several output directories
 * (plot_overlay()), which runs the per-directory pieces once per run with a
 * context of its own.  They share the context, the job and the helpers
 * declared here.
 */
#ifndef SEGSIM_PLOT_INT_H
#define SEGSIM_PLOT_INT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include "plot.h"

#define PLOT_PATH 4096
#define PLOT_NS INT64_C(1000000000)
/* A queue trace longer than this is reduced before plotting to the first,
 * lowest, highest and last row of each of PLOT_QUEUE_COLS time slices: the
 * same picture at the size segsim draws (a slice is under half a pixel of
 * the png), in a fraction of the time (gnuplot needs seconds for a 1M-row
 * trace) and of the svg/pdf size.  The TCP traces likewise (plot_reduce()). */
#define PLOT_QUEUE_MAX_ROWS 20000
#define PLOT_QUEUE_COLS 2000
/* Links whose direction of travel a flow remembers. */
#define PLOT_SEQ_LINKS 32
/* Arrivals at routers remembered to follow a segment to its next link. */
#define PLOT_SEQ_RING 32
/* Flows scanned per pass over packets.tsv (seq, rtt samples): a few open
 * files each. */
#define PLOT_SEQ_BATCH 64

/* A growable string. */
struct plot_str {
	char *s;
	size_t len, cap;
};

/* One trace file of a kind: udp/u1.tsv is name "u1". */
struct plot_trace {
	char *name;
	char *path;
	void *data;                     /* a list hook's own, not freed here */
};

/* One direction of a TCP connection in packets.tsv, as its sender saw it. */
struct plot_seq_dir {
	char *node;                     /* the sender's node; NULL: no SYN seen */
	bool server;                    /* the server's data (sent with a SYN-ACK) */
	uint32_t isn;
	uint64_t high;                  /* highest relative seq + len sent (snd_max) */
	uint64_t ack_max;               /* highest relative ack received */
	bool gap;                       /* a new connection: break the ack line */
	FILE *seg, *ack;                /* open during the scan */
	char *seg_path, *ack_path;
	long n_new, n_rexmit, n_drop, n_mark, n_ack;
	uint64_t payload;               /* payload bytes sent, retransmissions too */
	int64_t t0, t1, a0, a1;         /* time spans of seg and ack rows */
};

/* A TCP flow in packets.tsv: [0] the client's data, [1] the server's. */
struct plot_seq_flow {
	char *name;
	size_t batch;                   /* scanned in pass `batch` */
	struct plot_seq_dir d[2];
	/* Links seen carrying one direction: a sender's dequeues, deliveries
	 * to an end, and onwards hop by hop (a router's arrival on a known
	 * link and its enqueue of the same segment at once on the next).
	 * Tells the drops apart where the numbers cannot (equal ISNs). */
	char *link[PLOT_SEQ_LINKS];
	int link_dir[PLOT_SEQ_LINKS];
	int n_links;
	struct plot_seq_hop {
		uint64_t node, flags;   /* hashes */
		uint32_t seq, ack, len;
		int dir;
	} ring[PLOT_SEQ_RING];
	int ring_next;
};

struct plot_seq {
	struct plot_seq_flow *flows;
	size_t n, cap;
	size_t *index;                  /* open addressing: flow + 1, 0 empty */
	size_t index_cap;
};

/* The per-flow throughput and delay bins, shared by the throughput and
 * delay kinds and computed once per plot_dir(). */
struct plot_udp {
	bool done;
	size_t n;                       /* flows (traces) */
	int64_t width_ns;
	int64_t end_ns;                 /* right edge of the last bin */
	size_t nbins;
	uint64_t *bytes;                /* [n * nbins] */
	double *delay_sum;              /* [n * nbins], seconds */
	uint64_t *count;                /* [n * nbins] */
	size_t *rows;                   /* [n] datagrams per flow */
};

struct plot_ctx {
	const char *dir;
	const char *fmt;
	const char *argv0;
	const struct plot_opts *opts;   /* never NULL */
	bool started;                   /* plot_start() succeeded */
	char gnuplot[PLOT_PATH];
	char scripts[PLOT_PATH];
	/* Where the plots go (DIR/plots, or opts->outdir) and their data
	 * (OUTDIR/.data): set by plot_start() unless preset (an overlay's
	 * runs each have a data directory of their own). */
	char outdir[PLOT_PATH];
	char datadir[PLOT_PATH];
	/* Throughput bins preset by an overlay, so that every run is binned
	 * alike; 0: from this run's duration. */
	int64_t bin_width_ns, bin_end_ns;

	/* The kind being drawn: its traces, sorted by name. */
	struct plot_trace *traces;
	size_t n_traces;
	/* Queue kind: drops and marks per trace, [2 * n_traces]. */
	bool qev_done;
	long *qev_n;
	/* Seq kind: the TCP flows of packets.tsv. */
	struct plot_seq seq;
	/* Cwnd kind: per trace, the file its plot was drawn from (a reduced
	 * copy for a long trace); NULL: no plot (the end sent nothing). */
	char **cwnd_in;
	/* Rtt kind: per trace, the RTT samples found in packets.tsv. */
	bool rtt_done;
	long *rtt_n;

	struct plot_udp udp;
};

struct plot_kind;

/* One gnuplot run. */
struct plot_job {
	struct plot_ctx *ctx;
	const struct plot_kind *kind;   /* NULL for an overlay */
	const char *script;             /* plots/SCRIPT.gp; NULL: the kind's */
	const struct plot_trace *trace; /* per-trace kinds; NULL otherwise */
	struct plot_str vars;           /* "-e" statements */
	char what[PLOT_PATH];           /* for messages: "queues/r1-r2.tsv" */
};

struct plot_kind {
	unsigned bit;                   /* PLOT_* */
	const char *name;               /* output NAME[-TRACE].fmt */
	const char *script;             /* plots/SCRIPT.gp; NULL: NAME.gp */
	const char *subdir;             /* traces read: DIR/subdir/ *.tsv */
	bool per_trace;                 /* one plot per trace file, else one for all */
	/* (optional) Fill ctx->traces instead of listing DIR/subdir; for
	 * messages, subdir then names the file read.  Returns 0 or -1. */
	int (*list)(struct plot_ctx *ctx);
	/* (optional) Write data files, add variables.  Returns 1 to plot, 0 to
	 * skip this plot silently, -1 after printing an error. */
	int (*prepare)(struct plot_job *job);
	/* (optional) After the per-trace plots, one more of all of them:
	 * NAME-all.fmt drawn by plots/NAME-all.gp; same returns as prepare. */
	int (*all)(struct plot_job *job);
};

/* ---- flow traces ---------------------------------------------------------- */

/* flows/NAME.tsv columns (contract, DESIGN.md), in this order. */
enum {
	FC_TIME, FC_CWND, FC_SSTHRESH, FC_SRTT, FC_RTTVAR, FC_RTO, FC_SND_UNA,
	FC_SND_NXT, FC_RWND, FC_INFLIGHT, FC_STATE, FC_N
};

/* One parsed row of a flow trace. */
struct plot_flow_row {
	const char *time;               /* the text, for copying exactly */
	int64_t t_ns;
	struct plot_tcp_row r;
	int64_t srtt_ns, rttvar_ns;
	uint64_t rwnd, inflight;
	const char *state;
};

typedef int (*plot_flow_fn)(void *arg, const struct plot_flow_row *row);

/* ---- helpers (plot.c) ------------------------------------------------------ */

void plot_oom(void);
void *plot_calloc(size_t n, size_t size);
char *plot_strdup(const char *s);
void plot_str_addf(struct plot_str *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* snprintf for paths: false (with a message) when the result does not fit. */
bool plot_pathf(char *buf, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* A gnuplot variable: a string (quoted) or a number. */
void plot_var_str(struct plot_job *job, const char *name, const char *val);
void plot_var_num(struct plot_job *job, const char *name, double val);
bool plot_printable(const char *s);
bool plot_is_file(const char *path);
bool plot_is_dir(const char *path);
/* Names with digit runs compared as numbers (u2 before u10). */
int plot_natcmp(const char *a, const char *b);
int plot_trace_cmp(const void *a, const void *b);
int plot_split(char *line, char **f, int max);
int plot_column(const char *header, const char *col);
void plot_fmt_time(char *buf, size_t len, int64_t ns);
/* The flow a trace belongs to passes --flows (NAME and NAME.server both
 * belong to NAME). */
bool plot_flow_wanted(const struct plot_ctx *ctx, const char *trace_name);
/* DIR/subdir/ *.tsv (those --flows lets through) into ctx->traces. */
int plot_list_traces(struct plot_ctx *ctx, const char *subdir);
void plot_free_traces(struct plot_ctx *ctx);
/* gnuplot, the scripts, the output and data directories (once). */
int plot_start(struct plot_ctx *ctx);
/* Run the job's script; the plot becomes OUTDIR/out_base.FMT.  1 or -1. */
int plot_run(struct plot_job *job, const char *out_base);
FILE *plot_data_open(struct plot_job *job, const char *base, char *path, size_t len);
int plot_data_close(FILE *f, const char *path);
/* summary.json's duration_s, or -1. */
int64_t plot_run_duration_ns(const char *dir);
int plot_udp_scan(struct plot_ctx *ctx);
void plot_udp_free(struct plot_udp *u);
int64_t plot_bin_end(const struct plot_udp *u, size_t k);
int plot_reduce(const char *in_path, const char *out_path, int64_t t0, int64_t t1,
		const int *keys, int nkeys, int gcol);
int plot_flow_read(const char *path, plot_flow_fn fn, void *arg, long *rows,
		   int64_t *t0, int64_t *t1);
bool plot_tcp_sent_nothing(uint64_t max_nxt, uint64_t max_inflight);
bool plot_tcp_synced(const char *state);
int plot_seq_list(struct plot_ctx *ctx);
void plot_seq_free(struct plot_seq *q);
uint64_t plot_hash(const char *s);
void plot_span(int64_t *t0, int64_t *t1, long count, int64_t t);

/* UDP throughput kind: bins ctx->traces (udp/) and writes
 * DATADIR/throughput.dat (bin start, each flow in Mb/s, aggregate). */
int plot_throughput_prepare(struct plot_job *job);

/* ---- plot_tcp.c -------------------------------------------------------- */

/* tcp-throughput kind: prepare hook (one plot for every traced end). */
int plot_tcp_tput_prepare(struct plot_job *job);
/* cwnd-all: the cwnd kind's all hook. */
int plot_cwnd_all(struct plot_job *job);
/* Rtt kind: the samples of job->trace's end found in packets.tsv, as the
 * variables samplefile and n_samples when there are any.  0 or -1. */
int plot_rtt_samples(struct plot_job *job);

/* Seq kind: the SACK blocks of the ACKs that arrived at the sender of
 * direction d, from pcap/NODE.pcap when the sender was captured, as the
 * variables sackfile and n_sack.  0 or -1. */
int plot_seq_sack(struct plot_job *job, const struct plot_seq_dir *d);

/* Bytes acknowledged by each traced end, per bin of ctx's width, and the
 * mean rates Jain's index is taken over (plot_tcp.c). */
struct plot_tput {
	size_t n;                       /* ends that sent data */
	size_t *trace;                  /* [n]: their index in ctx->traces */
	int64_t width_ns, end_ns;
	size_t nbins;
	uint64_t *bytes;                /* [n * nbins] */
	uint64_t *total;                /* [n] */
	double *mean_bps;               /* [n]: over [from_ns, to_ns] */
	int64_t from_ns, to_ns;
	double jain;                    /* NaN with fewer than two ends */
};
/* The bin width for ctx->traces (flows/): the run's duration / 200 as for
 * UDP, but at least two of the largest mean srtt of the ends that sent
 * data; *end_ns the run's duration (or the last row).  0 when there is
 * nothing, -1 on error. */
int64_t plot_tput_width(struct plot_ctx *ctx, int64_t *end_ns);
/* Fills t for ctx->traces (flows/), binned at ctx->bin_width_ns when set,
 * else plot_tput_width()'s.  0 or -1. */
int plot_tput_scan(struct plot_ctx *ctx, struct plot_tput *t);
void plot_tput_free(struct plot_tput *t);
/* Write t's table (bin start, each end in Mb/s, aggregate).  0 or -1. */
int plot_tput_write(const struct plot_tput *t, const char *path);

/* A flow trace's extent (plot_flow_read callback). */
struct plot_flow_scan {
	bool any_srtt;
	uint64_t max_nxt, max_inflight;
};
int plot_flow_scan_row(void *arg, const struct plot_flow_row *row);

#endif
