/*
 * plot_tcp.c - TCP plots that look across flows, and what the flow traces
 * lack: RTT samples and SACK blocks.
 *
 *   tcp-throughput  bytes acknowledged per bin by every traced TCP end that
 *                   sent data, and their aggregate, from the snd_una column
 *                   of flows/NAME.tsv; Jain's fairness index of their mean
 *                   throughputs in the title (plot_tput_scan()).
 *   cwnd-all        every such end's cwnd in one figure (the cwnd kind's
 *                   all hook, after the per-end plots).
 *   rtt samples     the flow trace has srtt, rttvar and rto but not the
 *                   measurements they are made of.  They are visible in
 *                   packets.tsv: a segment's enqueue at its sender ('+'
 *                   there, the moment TCP handed it to IP) to the arrival
 *                   back at the sender ('r') of the first ACK that covers
 *                   it.  Per ACK that advances, the oldest segment it
 *                   newly covers gives the sample (the one whose timestamp
 *                   a receiver echoes, RFC 7323 section 4.3; Linux times
 *                   the same), none when any segment it covers was sent
 *                   twice (Karn's algorithm, RFC 6298 section 3, as Linux
 *                   applies it to cumulative ACKs).  With delayed ACKs a
 *                   sample includes the receiver's delay, as TCP's own do.
 *                   They are not TCP's own samples: those come from one
 *                   timed segment per RTT, or with timestamps from every
 *                   ACK in whole milliseconds and from retransmissions too.
 *
 *   sack blocks     the seq plot's: the SACK option of the ACKs arriving at
 *                   the sender, from the sender node's pcap (packets.tsv
 *                   has no options), relative to the ISN (plot_seq_sack()).
 *
 * Call order: plot_dir() calls plot_tcp_tput_prepare() for the
 * tcp-throughput kind, plot_cwnd_all() once after the cwnd plots, and the
 * rtt kind's prepare calls plot_rtt_samples() for each end (the first call
 * reads packets.tsv for all of them), the seq kind's plot_seq_sack() for
 * each direction.  plot_overlay() uses plot_tput_scan()
 * and plot_tput_write() on each run.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "plot_int.h"

double plot_jain(const double *x, size_t n)
{
	double s = 0, s2 = 0;

	for (size_t i = 0; i < n; i++) {
		s += x[i];
		s2 += x[i] * x[i];
	}
	return n == 0 || s2 == 0 ? NAN : s * s / ((double)n * s2);
}

/* ---- bytes acknowledged --------------------------------------------------- */

/* One end's trace read for its acknowledged bytes: the increments of
 * snd_una (unwrapped past 4 GiB) between rows of one synchronized
 * connection.  The SYN's byte is not counted (the first synchronized row
 * is the base), a FIN's is. */
struct plot_tput_row_scan {
	const struct plot_tput *t;
	uint64_t *bins;                 /* NULL: second pass */
	bool in_conn;
	uint64_t una;
	uint64_t total;
	int64_t first, last;            /* times of the first and last increment */
	uint64_t max_nxt, max_inflight;
	int64_t t_max;
	/* second pass: bytes acknowledged up to from_ns and up to to_ns */
	uint64_t at_from, at_to;
	/* srtt over the rows that have one, for the bin width */
	double srtt_sum;
	long srtt_rows;
};

static int plot_tput_row(void *arg, const struct plot_flow_row *row)
{
	struct plot_tput_row_scan *s = arg;
	const struct plot_tput *t = s->t;
	uint64_t una;

	if (row->r.snd_nxt > s->max_nxt)
		s->max_nxt = row->r.snd_nxt;
	if (row->inflight > s->max_inflight)
		s->max_inflight = row->inflight;
	if (row->t_ns > s->t_max)
		s->t_max = row->t_ns;
	if (row->srtt_ns > 0) {
		s->srtt_sum += (double)row->srtt_ns;
		s->srtt_rows++;
	}
	if (!t) {
		/* The pre-pass: only the figures above. */
		return 0;
	}
	if (!plot_tcp_synced(row->state)) {
		s->in_conn = false;
		return 0;
	}
	una = plot_seq_rel(s->in_conn ? s->una : 0, (uint32_t)row->r.snd_una, 0);
	if (s->in_conn && una > s->una) {
		uint64_t d = una - s->una;

		if (s->total == 0)
			s->first = row->t_ns;
		s->last = row->t_ns;
		s->total += d;
		if (s->bins && t->nbins) {
			/* Bins are half-open; the run's last instant belongs
			 * to the last one. */
			size_t k = (size_t)(row->t_ns / t->width_ns);

			if (row->t_ns <= t->end_ns) {
				if (k >= t->nbins)
					k = t->nbins - 1;
				s->bins[k] += d;
			}
		}
		if (!s->bins) {
			if (row->t_ns <= t->from_ns)
				s->at_from += d;
			if (row->t_ns <= t->to_ns)
				s->at_to += d;
		}
	}
	s->in_conn = true;
	s->una = una;
	return 0;
}

void plot_tput_free(struct plot_tput *t)
{
	free(t->trace);
	free(t->bytes);
	free(t->total);
	free(t->mean_bps);
	memset(t, 0, sizeof *t);
}

/* The smallest of 1, 2, 5 x 10^k ns at least ns. */
static int64_t plot_round_125(int64_t ns)
{
	static const int64_t mult[] = { 1, 2, 5 };

	for (int64_t p = 1000; p <= INT64_MAX / 10; p *= 10)
		for (int i = 0; i < 3; i++)
			if (mult[i] * p >= ns)
				return mult[i] * p;
	return ns;
}

int64_t plot_tput_width(struct plot_ctx *ctx, int64_t *end_ns)
{
	int64_t dur = plot_run_duration_ns(ctx->dir), t_max = 0, w, srtt_max = 0;
	long rows;
	int64_t t0, t1;

	for (size_t i = 0; i < ctx->n_traces; i++) {
		struct plot_tput_row_scan s = { 0 };

		if (plot_flow_read(ctx->traces[i].path, plot_tput_row, &s, &rows, &t0, &t1) < 0)
			return -1;
		if (t1 > t_max)
			t_max = t1;
		if (!plot_tcp_sent_nothing(s.max_nxt, s.max_inflight) && s.srtt_rows &&
		    s.srtt_sum / (double)s.srtt_rows > (double)srtt_max)
			srtt_max = (int64_t)(s.srtt_sum / (double)s.srtt_rows);
	}
	if (dur <= 0)
		dur = t_max;
	*end_ns = dur;
	if (dur <= 0)
		return 0;
	/* About 200 bins, but at least two round trips each: an ACK-clocked
	 * sender acknowledges in bursts once per RTT, and bins shorter than
	 * that alternate between the burst and nothing. */
	w = plot_bin_width_ns(dur);
	if (w < 2 * srtt_max)
		w = plot_round_125(2 * srtt_max);
	return w;
}

int plot_tput_scan(struct plot_ctx *ctx, struct plot_tput *t)
{
	size_t n = ctx->n_traces;
	uint64_t *bins;
	struct plot_tput_row_scan *sc;
	long rows;
	int64_t t0, t1;

	memset(t, 0, sizeof *t);
	t->jain = NAN;
	if (n == 0)
		return 0;
	/* The bins: preset (an overlay), else from the run (plot_tput_width()). */
	if (ctx->bin_width_ns > 0) {
		t->width_ns = ctx->bin_width_ns;
		t->end_ns = ctx->bin_end_ns;
	} else {
		if ((t->width_ns = plot_tput_width(ctx, &t->end_ns)) < 0)
			return -1;
		if (t->width_ns == 0)
			return 0;
	}
	t->nbins = (size_t)((t->end_ns + t->width_ns - 1) / t->width_ns);
	if (t->nbins == 0)
		t->nbins = 1;

	bins = plot_calloc(n * t->nbins, sizeof *bins);
	sc = plot_calloc(n, sizeof *sc);
	for (size_t i = 0; i < n; i++) {
		sc[i].t = t;
		sc[i].bins = bins + i * t->nbins;
		if (plot_flow_read(ctx->traces[i].path, plot_tput_row, &sc[i], &rows, &t0,
				   &t1) < 0) {
			free(bins);
			free(sc);
			return -1;
		}
	}
	/* The ends that sent data. */
	t->trace = plot_calloc(n, sizeof *t->trace);
	t->total = plot_calloc(n, sizeof *t->total);
	t->mean_bps = plot_calloc(n, sizeof *t->mean_bps);
	t->bytes = plot_calloc(n * t->nbins, sizeof *t->bytes);
	for (size_t i = 0; i < n; i++) {
		if (plot_tcp_sent_nothing(sc[i].max_nxt, sc[i].max_inflight) || sc[i].total == 0)
			continue;
		t->trace[t->n] = i;
		t->total[t->n] = sc[i].total;
		memcpy(t->bytes + t->n * t->nbins, sc[i].bins, t->nbins * sizeof *bins);
		t->n++;
	}
	free(bins);

	/* Jain's index over the interval in which every end was moving data:
	 * from the latest first acknowledgement to the earliest last one
	 * (bytes acknowledged in (from, to]).  Ends that never overlap are
	 * compared over the whole run instead. */
	if (t->n >= 2) {
		int64_t from = 0, to = INT64_MAX;

		for (size_t j = 0; j < t->n; j++) {
			const struct plot_tput_row_scan *s = &sc[t->trace[j]];

			if (s->first > from)
				from = s->first;
			if (s->last < to)
				to = s->last;
		}
		if (to > from) {
			t->from_ns = from;
			t->to_ns = to;
			for (size_t j = 0; j < t->n; j++) {
				struct plot_tput_row_scan s2 = { .t = t };

				if (plot_flow_read(ctx->traces[t->trace[j]].path, plot_tput_row, &s2,
						   &rows, &t0, &t1) < 0) {
					free(sc);
					return -1;
				}
				t->mean_bps[j] = (double)(s2.at_to - s2.at_from) * 8.0 /
						 ((double)(to - from) / PLOT_NS);
			}
		} else {
			t->from_ns = 0;
			t->to_ns = t->end_ns;
			for (size_t j = 0; j < t->n; j++)
				t->mean_bps[j] = (double)t->total[j] * 8.0 /
						 ((double)t->end_ns / PLOT_NS);
		}
		t->jain = plot_jain(t->mean_bps, t->n);
	} else if (t->n == 1) {
		t->from_ns = 0;
		t->to_ns = t->end_ns;
		t->mean_bps[0] = (double)t->total[0] * 8.0 / ((double)t->end_ns / PLOT_NS);
	}
	free(sc);
	return 0;
}

int plot_tput_write(const struct plot_tput *t, const char *path)
{
	FILE *f = fopen(path, "w");
	char ts[32];

	if (!f) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", path, strerror(errno));
		return -1;
	}
	fprintf(f, "# bin_start_s");
	for (size_t j = 0; j < t->n; j++)
		fprintf(f, " end%zu_mbps", j + 1);
	fprintf(f, " aggregate_mbps  (bytes acknowledged per bin)\n");
	/* As in the UDP table: a closing row at the end repeats the last bin
	 * so that 'steps' draws it full width; a last bin cut short by the
	 * end of the run is divided by its real length. */
	for (size_t k = 0; k <= t->nbins; k++) {
		size_t kk = k < t->nbins ? k : t->nbins - 1;
		int64_t b0 = (int64_t)kk * t->width_ns;
		int64_t b1 = b0 + t->width_ns < t->end_ns ? b0 + t->width_ns : t->end_ns;
		uint64_t all = 0;

		plot_fmt_time(ts, sizeof ts, k < t->nbins ? (int64_t)k * t->width_ns : t->end_ns);
		fprintf(f, "%s", ts);
		for (size_t j = 0; j < t->n; j++) {
			uint64_t b = t->bytes[j * t->nbins + kk];

			all += b;
			fprintf(f, "\t%.6f", b1 > b0 ? plot_bin_mbps(b, b1 - b0) : 0.0);
		}
		fprintf(f, "\t%.6f\n", b1 > b0 ? plot_bin_mbps(all, b1 - b0) : 0.0);
	}
	return plot_data_close(f, path);
}

int plot_tcp_tput_prepare(struct plot_job *job)
{
	struct plot_ctx *ctx = job->ctx;
	struct plot_tput t;
	char path[PLOT_PATH], var[32];

	if (plot_tput_scan(ctx, &t) < 0)
		return -1;
	if (t.n == 0) {
		plot_tput_free(&t);
		return 0;       /* no TCP end sent data */
	}
	if (!plot_pathf(path, sizeof path, "%s/tcp-throughput.dat", ctx->datadir) ||
	    plot_tput_write(&t, path) < 0) {
		plot_tput_free(&t);
		return -1;
	}
	plot_var_str(job, "tpfile", path);
	plot_var_str(job, "what", "TCP");
	plot_var_num(job, "binw", (double)t.width_ns / PLOT_NS);
	plot_var_num(job, "n", (double)t.n);
	for (size_t j = 0; j < t.n; j++) {
		snprintf(var, sizeof var, "name%zu", j + 1);
		plot_var_str(job, var, ctx->traces[t.trace[j]].name);
	}
	if (t.n >= 2) {
		plot_var_num(job, "jain", t.jain);
		plot_var_num(job, "jain_from", (double)t.from_ns / PLOT_NS);
		plot_var_num(job, "jain_to", (double)t.to_ns / PLOT_NS);
	}
	plot_tput_free(&t);
	return 1;
}

/* ---- cwnd of every end ---------------------------------------------------- */

/* True if a data file has a row that is not a comment. */
static bool plot_has_rows(const char *path)
{
	FILE *f = fopen(path, "r");
	char line[256];
	bool any = false;

	if (!f)
		return false;
	while (!any && fgets(line, sizeof line, f))
		any = line[0] != '#' && line[0] != '\n';
	fclose(f);
	return any;
}

int plot_cwnd_all(struct plot_job *job)
{
	struct plot_ctx *ctx = job->ctx;
	char var[32], ev[PLOT_PATH];
	size_t n = 0;

	if (!ctx->cwnd_in)
		return 0;
	for (size_t i = 0; i < ctx->n_traces; i++)
		n += ctx->cwnd_in[i] != NULL;
	if (n < 2)
		return 0;       /* one end: its own plot says it all */
	n = 0;
	for (size_t i = 0; i < ctx->n_traces; i++) {
		if (!ctx->cwnd_in[i])
			continue;
		n++;
		snprintf(var, sizeof var, "file%zu", n);
		plot_var_str(job, var, ctx->cwnd_in[i]);
		snprintf(var, sizeof var, "name%zu", n);
		plot_var_str(job, var, ctx->traces[i].name);
		/* The congestion events cwnd.gp marked (its evfile). */
		if (!plot_pathf(ev, sizeof ev, "%s/cwnd-%s-events.dat", ctx->datadir,
				ctx->traces[i].name))
			return -1;
		if (plot_has_rows(ev)) {
			snprintf(var, sizeof var, "evfile%zu", n);
			plot_var_str(job, var, ev);
		}
	}
	plot_var_num(job, "n", (double)n);
	return 1;
}

/* ---- RTT samples from packets.tsv ------------------------------------------ */

/* A segment sent and not yet acknowledged, relative sequence numbers. */
struct plot_rtt_seg {
	uint64_t start, end;
	int64_t t_ns;                   /* enqueued at the sender */
	bool rexmit;                    /* some of its bytes were sent twice */
};

/* One direction of a flow, as its sender sent and got ACKs back. */
struct plot_rtt_dir {
	int trace;                      /* index in ctx->traces; -1 not plotted */
	char *node;                     /* the sender; NULL: no SYN seen */
	uint32_t isn;
	uint64_t high, ack_max;
	struct plot_rtt_seg *q;         /* ring of the segments in flight */
	size_t head, n, cap;
	FILE *out;
};

struct plot_rtt_flow {
	const char *name;               /* the client trace's or server's, minus .server */
	size_t name_len;
	size_t batch;
	struct plot_rtt_dir d[2];
};

struct plot_rtt_map {
	struct plot_rtt_flow *flows;
	size_t n;
	size_t *index;                  /* open addressing: flow + 1, 0 empty */
	size_t cap;
};

static uint64_t plot_hash_n(const char *s, size_t n)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * UINT64_C(1099511628211);
	return h;
}

static struct plot_rtt_flow *plot_rtt_find(struct plot_rtt_map *m, const char *name,
					   size_t len, bool create)
{
	size_t i;

	for (i = plot_hash_n(name, len) & (m->cap - 1); m->index[i]; i = (i + 1) & (m->cap - 1)) {
		struct plot_rtt_flow *fl = &m->flows[m->index[i] - 1];

		if (fl->name_len == len && strncmp(fl->name, name, len) == 0)
			return fl;
	}
	if (!create)
		return NULL;
	struct plot_rtt_flow *fl = &m->flows[m->n];

	memset(fl, 0, sizeof *fl);
	fl->name = name;
	fl->name_len = len;
	fl->d[0].trace = fl->d[1].trace = -1;
	m->index[i] = ++m->n;
	return fl;
}

static void plot_rtt_reset(struct plot_rtt_dir *d, uint32_t isn)
{
	d->isn = isn;
	d->high = d->ack_max = 0;
	d->head = d->n = 0;
}

static void plot_rtt_push(struct plot_rtt_dir *d, uint64_t start, uint64_t end, int64_t t,
			  bool rexmit)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? 2 * d->cap : 64;
		struct plot_rtt_seg *q = plot_calloc(cap, sizeof *q);

		for (size_t i = 0; i < d->n; i++)
			q[i] = d->q[(d->head + i) % d->cap];
		free(d->q);
		d->q = q;
		d->cap = cap;
		d->head = 0;
	}
	d->q[(d->head + d->n) % d->cap] = (struct plot_rtt_seg){ start, end, t, rexmit };
	d->n++;
}

/* A segment [rel, rel + l) enqueued by the sender at t. */
static void plot_rtt_sent(struct plot_rtt_dir *d, uint64_t rel, uint64_t l, int64_t t)
{
	if (rel < d->high) {
		/* Sent before: every segment it overlaps is ambiguous now. */
		for (size_t i = 0; i < d->n; i++) {
			struct plot_rtt_seg *s = &d->q[(d->head + i) % d->cap];

			if (s->end > rel && s->start < rel + l)
				s->rexmit = true;
		}
		if (rel + l > d->high) {
			plot_rtt_push(d, d->high, rel + l, t, true);
			d->high = rel + l;
		}
		return;
	}
	plot_rtt_push(d, rel, rel + l, t, false);
	d->high = rel + l;
}

/* An ACK of everything below rel arrived back at the sender at t: the
 * sample of the oldest segment it newly covers, or -1 when it covers a
 * segment sent twice.  (The ACK that a retransmission filling a hole draws also
 * covers the data received out of order behind the hole, sent long before:
 * as Linux does, such an ACK gives no sample at all.) */
static int64_t plot_rtt_acked(struct plot_rtt_dir *d, uint64_t rel, int64_t t)
{
	int64_t sample = -1;
	bool ambiguous = false;

	while (d->n > 0) {
		struct plot_rtt_seg *s = &d->q[d->head];

		if (s->end > rel) {
			if (s->start < rel) {
				s->start = rel;         /* partly acknowledged */
				ambiguous |= s->rexmit;
			}
			break;
		}
		ambiguous |= s->rexmit;
		if (sample < 0)
			sample = t - s->t_ns;
		d->head = (d->head + 1) % d->cap;
		d->n--;
	}
	d->ack_max = rel;
	return ambiguous ? -1 : sample;
}

static bool plot_rtt_same(const char *a, const char *b)
{
	return a && strcmp(a, b) == 0;
}

static int plot_rtt_row(struct plot_ctx *ctx, struct plot_rtt_map *m, size_t batch, char **f)
{
	const char *flags = f[8], *node = f[2], *flow = f[4];
	char ev = f[1][0];
	bool syn = strchr(flags, 'S'), has_ack = strchr(flags, 'A'), fin = strchr(flags, 'F');
	struct plot_rtt_flow *fl = plot_rtt_find(m, flow, strlen(flow), false);
	unsigned long long seq, ack, len;
	int64_t t;
	int k;

	if (!fl || fl->batch != batch)
		return 0;
	if (plot_pkt_nums(f, &t, &seq, &ack, &len) < 0)
		return -1;
	if (ev == '+') {
		struct plot_rtt_dir *d;

		if (syn) {
			/* The first enqueue of a SYN (SYN-ACK) is at its
			 * sender; another from there with another ISN, or
			 * after the last was acknowledged, is a new
			 * connection (see plot_seq_row()). */
			d = &fl->d[has_ack];
			if (!d->node) {
				d->node = plot_strdup(node);
				plot_rtt_reset(d, (uint32_t)seq);
			} else if (strcmp(d->node, node) == 0 &&
				   ((uint32_t)seq != d->isn || d->ack_max > 0)) {
				plot_rtt_reset(d, (uint32_t)seq);
			}
		}
		for (k = 0; k < 2 && !plot_rtt_same(fl->d[k].node, node); k++)
			;
		if (k == 2)
			return 0;       /* queued by a router */
		d = &fl->d[k];
		if (len + syn + fin == 0)
			return 0;       /* a pure ACK takes no sequence space */
		plot_rtt_sent(d, plot_seq_rel(d->high, (uint32_t)seq, d->isn), len + syn + fin, t);
		return 0;
	}
	/* 'r' with an ACK, arriving at one of the senders. */
	if (!has_ack)
		return 0;
	for (k = 0; k < 2; k++) {
		struct plot_rtt_dir *d = &fl->d[k];
		uint64_t rel;
		int64_t sample;
		char ts[32], ss[32];

		if (!plot_rtt_same(d->node, node))
			continue;
		rel = plot_seq_rel(d->ack_max, (uint32_t)ack, d->isn);
		if (rel <= d->ack_max || rel > d->high)
			return 0;       /* nothing new, or not this connection's */
		sample = plot_rtt_acked(d, rel, t);
		if (sample >= 0 && d->out) {
			plot_fmt_time(ts, sizeof ts, t);
			plot_fmt_time(ss, sizeof ss, sample);
			fprintf(d->out, "%s\t%s\n", ts, ss);
			ctx->rtt_n[d->trace]++;
		}
		return 0;
	}
	return 0;
}

/* Every traced end's samples into .data/rtt-NAME-samples.dat, in passes of
 * PLOT_SEQ_BATCH flows (one open file per end). */
static int plot_rtt_scan(struct plot_ctx *ctx)
{
	struct plot_rtt_map m = { 0 };
	char path[PLOT_PATH], *line = NULL, *f[10];
	size_t cap = 0, nb;
	FILE *in;
	int rc = 0;

	ctx->rtt_done = true;
	ctx->rtt_n = plot_calloc(ctx->n_traces, sizeof *ctx->rtt_n);
	if (!plot_pathf(path, sizeof path, "%s/packets.tsv", ctx->dir))
		return -1;
	if (!(in = fopen(path, "r")))
		return 0;       /* no packet trace: no samples */

	m.flows = plot_calloc(ctx->n_traces, sizeof *m.flows);
	for (m.cap = 16; m.cap < 2 * ctx->n_traces + 2; m.cap *= 2)
		;
	m.index = plot_calloc(m.cap, sizeof *m.index);
	for (size_t i = 0; i < ctx->n_traces; i++) {
		const char *name = ctx->traces[i].name;
		size_t l = strlen(name);
		int k = l > 7 && strcmp(name + l - 7, ".server") == 0;
		struct plot_rtt_flow *fl = plot_rtt_find(&m, name, k ? l - 7 : l, true);

		fl->d[k].trace = (int)i;
	}
	for (size_t i = 0; i < m.n; i++)
		m.flows[i].batch = i / PLOT_SEQ_BATCH;
	nb = (m.n + PLOT_SEQ_BATCH - 1) / PLOT_SEQ_BATCH;

	for (size_t b = 0; b < nb && rc == 0; b++) {
		long lineno = 0;

		for (size_t i = b * PLOT_SEQ_BATCH; i < m.n && i < (b + 1) * PLOT_SEQ_BATCH; i++)
			for (int k = 0; k < 2 && rc == 0; k++) {
				struct plot_rtt_dir *d = &m.flows[i].d[k];
				char p[PLOT_PATH];

				if (d->trace < 0)
					continue;
				if (!plot_pathf(p, sizeof p, "%s/rtt-%s-samples.dat", ctx->datadir,
						ctx->traces[d->trace].name) ||
				    !(d->out = fopen(p, "w"))) {
					fprintf(stderr, "segsim: error: cannot write %s: %s\n", p,
						strerror(errno));
					rc = -1;
					break;
				}
				fprintf(d->out, "# time rtt_s  (ACK arrival at the sender; "
					"from the segment's enqueue there; none for "
					"retransmitted segments, Karn)\n");
			}
		rewind(in);
		while (rc == 0 && getline(&line, &cap, in) > 0) {
			char *p = strchr(line, '\t');

			lineno++;
			if (line[0] == '#' || !p || (p[1] != '+' && p[1] != 'r') || p[2] != '\t')
				continue;
			if (plot_split(line, f, 10) != 9)
				continue;       /* not a TCP row */
			if (plot_rtt_row(ctx, &m, b, f) < 0) {
				fprintf(stderr, "segsim: error: %s:%ld: malformed row\n", path,
					lineno);
				rc = -1;
			}
		}
		for (size_t i = b * PLOT_SEQ_BATCH; i < m.n && i < (b + 1) * PLOT_SEQ_BATCH; i++)
			for (int k = 0; k < 2; k++) {
				struct plot_rtt_dir *d = &m.flows[i].d[k];

				if (d->out && (ferror(d->out) | fclose(d->out)) && rc == 0) {
					fprintf(stderr, "segsim: error: cannot write the RTT "
						"samples of %s\n", ctx->traces[d->trace].name);
					rc = -1;
				}
				d->out = NULL;
			}
	}
	free(line);
	fclose(in);
	for (size_t i = 0; i < m.n; i++)
		for (int k = 0; k < 2; k++) {
			free(m.flows[i].d[k].node);
			free(m.flows[i].d[k].q);
		}
	free(m.flows);
	free(m.index);
	return rc;
}

int plot_rtt_samples(struct plot_job *job)
{
	struct plot_ctx *ctx = job->ctx;
	size_t i = (size_t)(job->trace - ctx->traces);
	char p[PLOT_PATH], tmp[PLOT_PATH];

	if (!ctx->rtt_done && plot_rtt_scan(ctx) < 0)
		return -1;
	if (!plot_pathf(p, sizeof p, "%s/rtt-%s-samples.dat", ctx->datadir, job->trace->name))
		return -1;
	if (ctx->rtt_n[i] == 0) {
		unlink(p);
		return 0;
	}
	if (ctx->rtt_n[i] > PLOT_QUEUE_MAX_ROWS) {
		/* Each slice's first, last, lowest and highest sample. */
		static const int key = 2;
		long rows;
		int64_t t0 = 0, t1 = 0;
		FILE *f = fopen(p, "r");
		char line[128];
		int rc;

		for (rows = 0; f && fgets(line, sizeof line, f);) {
			int64_t t;

			line[strcspn(line, "\t\n")] = '\0';
			if (line[0] == '#' || plot_parse_time_ns(line, &t) < 0)
				continue;
			if (rows++ == 0)
				t0 = t;
			t1 = t;
		}
		if (f)
			fclose(f);
		if (!plot_pathf(tmp, sizeof tmp, "%s.reduced", p))
			return -1;
		rc = t1 > t0 ? plot_reduce(p, tmp, t0, t1, &key, 1, 0) : 0;
		if (rc < 0)
			return -1;
		if (rc == 1 && rename(tmp, p) < 0) {
			fprintf(stderr, "segsim: error: cannot write %s: %s\n", p, strerror(errno));
			return -1;
		}
	}
	plot_var_str(job, "samplefile", p);
	plot_var_num(job, "n_samples", (double)ctx->rtt_n[i]);
	return 0;
}

/* ---- SACK blocks from the sender's pcap ------------------------------------ */

static uint32_t plot_be32(const uint8_t *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

static uint32_t plot_rd32(const uint8_t *b, bool swap)
{
	return swap ? plot_be32(b)
		    : (uint32_t)b[3] << 24 | (uint32_t)b[2] << 16 | (uint32_t)b[1] << 8 | b[0];
}

/* One TCP segment of a capture. */
struct plot_pcap_tcp {
	int64_t t_ns;
	uint32_t src, dst;              /* IPv4 addresses */
	uint16_t sport, dport;
	uint32_t seq, ack;
	uint8_t flags;
	const uint8_t *opt;             /* options, opt_len bytes */
	size_t opt_len;
};

/* The next TCP segment of a LINKTYPE_RAW capture: 1, 0 at the end, -1 on a
 * file that is not one.  buf holds the record. */
static int plot_pcap_next(FILE *f, bool swap, bool nsec, uint8_t *buf, size_t cap,
			  struct plot_pcap_tcp *seg)
{
	uint8_t rec[16];

	while (fread(rec, sizeof rec, 1, f) == 1) {
		uint32_t incl = plot_rd32(rec + 8, swap);
		size_t ihl, thl;

		if (incl > cap || fread(buf, 1, incl, f) != incl)
			return -1;
		if (incl < 20 || buf[0] >> 4 != 4 || buf[9] != 6)
			continue;       /* not IPv4 TCP */
		ihl = (size_t)(buf[0] & 15) * 4;
		if (incl < ihl + 20)
			continue;       /* cut short (snaplen) */
		thl = (size_t)(buf[ihl + 12] >> 4) * 4;
		if (thl < 20 || incl < ihl + thl)
			continue;
		seg->t_ns = (int64_t)plot_rd32(rec, swap) * PLOT_NS +
			    (int64_t)plot_rd32(rec + 4, swap) * (nsec ? 1 : 1000);
		seg->src = plot_be32(buf + 12);
		seg->dst = plot_be32(buf + 16);
		seg->sport = (uint16_t)(buf[ihl] << 8 | buf[ihl + 1]);
		seg->dport = (uint16_t)(buf[ihl + 2] << 8 | buf[ihl + 3]);
		seg->seq = plot_be32(buf + ihl + 4);
		seg->ack = plot_be32(buf + ihl + 8);
		seg->flags = buf[ihl + 13];
		seg->opt = buf + ihl + 20;
		seg->opt_len = thl - 20;
		return 1;
	}
	return 0;
}

int plot_seq_sack(struct plot_job *job, const struct plot_seq_dir *d)
{
	bool server = d->server;
	char pcap[PLOT_PATH], out[PLOT_PATH], base[PLOT_PATH];
	uint8_t hdr[24], *buf;
	struct plot_pcap_tcp seg;
	uint32_t magic;
	bool swap, nsec, found = false, ambiguous = false;
	uint32_t me = 0, peer = 0;
	uint16_t myport = 0, peerport = 0;
	uint64_t ref = 0;
	long n = 0;
	FILE *in, *o;
	int rc;

	if (!d->node || !plot_pathf(pcap, sizeof pcap, "%s/pcap/%s.pcap", job->ctx->dir, d->node))
		return -1;
	if (!(in = fopen(pcap, "rb")))
		return 0;       /* the sender was not captured */
	if (fread(hdr, sizeof hdr, 1, in) != 1) {
		fclose(in);
		return 0;
	}
	magic = plot_rd32(hdr, false);
	swap = magic == 0xd4c3b2a1 || magic == 0x4d3cb2a1;
	nsec = magic == 0xa1b23c4d || magic == 0x4d3cb2a1;
	if ((!swap && magic != 0xa1b2c3d4 && magic != 0xa1b23c4d) ||
	    plot_rd32(hdr + 20, swap) != 101) {
		fclose(in);
		return 0;       /* not a capture segsim wrote */
	}
	buf = plot_calloc(1 << 16, 1);
	/* The connection: the SYN (SYN-ACK for the server's data) this node
	 * sent with the direction's ISN.  Two with different addresses or
	 * ports (flows with the same fixed ISN) leave it unknown. */
	while ((rc = plot_pcap_next(in, swap, nsec, buf, 1 << 16, &seg)) == 1) {
		bool syn = seg.flags & 0x02, ack = seg.flags & 0x10;

		if (!syn || ack != server || seg.seq != d->isn)
			continue;
		if (!found) {
			found = true;
			me = seg.src;
			peer = seg.dst;
			myport = seg.sport;
			peerport = seg.dport;
		} else if (seg.src != me || seg.dst != peer || seg.sport != myport ||
			   seg.dport != peerport) {
			ambiguous = true;
		}
	}
	if (rc < 0 || !found || ambiguous) {
		free(buf);
		fclose(in);
		return 0;
	}
	if (!plot_pathf(base, sizeof base, "seq-%s-sack.dat", job->trace->name) ||
	    !(o = plot_data_open(job, base, out, sizeof out))) {
		free(buf);
		fclose(in);
		return -1;
	}
	fprintf(o, "# time left right  (SACK blocks of the ACKs arriving at the sender, "
		"relative to its ISN; times from the capture, in microseconds)\n");
	fseek(in, (long)sizeof hdr, SEEK_SET);
	while (plot_pcap_next(in, swap, nsec, buf, 1 << 16, &seg) == 1) {
		char ts[32];

		if (seg.src != peer || seg.dst != me || seg.sport != peerport ||
		    seg.dport != myport || !(seg.flags & 0x10))
			continue;
		ref = plot_seq_rel(ref, seg.ack, d->isn);
		for (size_t i = 0; i < seg.opt_len;) {
			uint8_t kind = seg.opt[i], len;

			if (kind == 0)
				break;          /* end of options */
			if (kind == 1) {
				i++;            /* NOP */
				continue;
			}
			if (i + 1 >= seg.opt_len || (len = seg.opt[i + 1]) < 2 ||
			    i + len > seg.opt_len)
				break;
			if (kind == 5) {        /* SACK, RFC 2018 section 3 */
				for (size_t b = i + 2; b + 8 <= i + len; b += 8) {
					uint64_t l = plot_seq_rel(ref, plot_be32(seg.opt + b), d->isn);
					uint64_t r = plot_seq_rel(ref, plot_be32(seg.opt + b + 4),
								  d->isn);

					if (r <= l)
						continue;
					plot_fmt_time(ts, sizeof ts, seg.t_ns);
					fprintf(o, "%s\t%" PRIu64 "\t%" PRIu64 "\n", ts, l, r);
					n++;
				}
			}
			i += len;
		}
	}
	free(buf);
	fclose(in);
	if (plot_data_close(o, out) < 0)
		return -1;
	if (n == 0) {
		unlink(out);
		return 0;
	}
	plot_var_str(job, "sackfile", out);
	plot_var_num(job, "n_sack", (double)n);
	return 0;
}
