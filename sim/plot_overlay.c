/*
 * plot_overlay.c - several output directories (runs) in one figure per
 * plot, to compare them: the same scenario under reno, newreno and sack,
 * say, each run in its own colour and labelled by its directory.
 *
 * Each run gets a context of its own (struct plot_ctx, as plot_dir() uses)
 * whose data directory is OUT/.data/overlay/runK/, and the per-directory
 * pieces of plot.c and plot_tcp.c prepare its data there: the flow and
 * queue traces (reduced copies when long), the throughput tables (every
 * run binned alike), the time-sequence data from packets.tsv.  Then one
 * gnuplot run per overlay plot draws the runs' files together:
 * plots/overlay.gp for lines over time (cwnd, srtt, queue length,
 * throughput), plots/overlay-seq.gp for the time-sequence graphs.
 *
 * Call order: plot_overlay() -> plot_run_labels() -> per kind asked for:
 * plot_ov_traces() (cwnd, rtt, queue) or plot_ov_tput() / plot_ov_udp()
 * or plot_ov_seq() -> plot_ov_run() per figure.
 */
#define _XOPEN_SOURCE 700       /* realpath() */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include "plot_int.h"

/* More lines than this in the throughput overlays: one aggregate per run. */
#define PLOT_OV_MAX_LINES 12

/* ---- labels --------------------------------------------------------------- */

/* The last d components of path, into buf. */
static void plot_ov_tail(const char *path, int d, char *buf, size_t len)
{
	size_t n = strlen(path);
	const char *p;

	while (n > 1 && path[n - 1] == '/')
		n--;
	p = path + n;
	while (p > path && d > 0) {
		p--;
		if (*p == '/' && --d == 0) {
			p++;
			break;
		}
	}
	snprintf(buf, len, "%.*s", (int)(path + n - p), p);
}

void plot_run_labels(const char *const *dirs, size_t n, char **labels)
{
	char **full = plot_calloc(n, sizeof *full);
	int *depth = plot_calloc(n, sizeof *depth);
	char a[PLOT_PATH], b[PLOT_PATH];
	bool changed = true;

	/* As given, but "." or "out/.." by its real name. */
	for (size_t i = 0; i < n; i++) {
		char *r = NULL;

		plot_ov_tail(dirs[i], 1, a, sizeof a);
		if (!strcmp(a, ".") || !strcmp(a, "..") || !a[0])
			r = realpath(dirs[i], NULL);
		full[i] = r ? r : plot_strdup(dirs[i]);
		depth[i] = 1;
	}
	/* Every run whose label another shares gets one more component, all
	 * at once, until the labels differ or are whole paths. */
	while (changed) {
		bool *dup = plot_calloc(n, sizeof *dup);

		changed = false;
		for (size_t i = 0; i < n; i++)
			for (size_t j = i + 1; j < n; j++) {
				plot_ov_tail(full[i], depth[i], a, sizeof a);
				plot_ov_tail(full[j], depth[j], b, sizeof b);
				if (strcmp(a, b) == 0)
					dup[i] = dup[j] = true;
			}
		for (size_t i = 0; i < n; i++) {
			plot_ov_tail(full[i], depth[i], a, sizeof a);
			if (dup[i] && strcmp(a, full[i]) != 0) {
				depth[i]++;
				changed = true;
			}
		}
		free(dup);
	}
	for (size_t i = 0; i < n; i++) {
		plot_ov_tail(full[i], depth[i], a, sizeof a);
		labels[i] = plot_strdup(a);
		free(full[i]);
	}
	free(full);
	free(depth);
}

/* ---- the overlay and its runs ---------------------------------------------- */

struct plot_ov {
	struct plot_ctx master;         /* gnuplot, scripts, OUT and OUT/.data/overlay */
	struct plot_ctx *run;           /* [n]: each run's context */
	char **label;                   /* [n] */
	size_t n;
	int written;
};

/* One line of an overlay.gp figure. */
struct plot_ov_series {
	char file[PLOT_PATH];
	int col;                        /* the y column */
	char label[512];
	int lc, dt;                     /* colour (the run's number) and dash type */
};

/* Draw series with overlay.gp into OUT/base.FMT.  -1 on error, else 0. */
static int plot_ov_run(struct plot_ov *ov, const char *base, const struct plot_ov_series *s,
		       size_t n, const char *title, const char *ylab, double yscale,
		       bool zero_nan)
{
	struct plot_job job = { .ctx = &ov->master, .script = "overlay" };
	char var[32];
	int rc;

	if (n == 0)
		return 0;
	if (plot_start(&ov->master) < 0 || !plot_pathf(job.what, sizeof job.what, "%s", base))
		return -1;
	plot_var_num(&job, "n", (double)n);
	for (size_t i = 0; i < n; i++) {
		snprintf(var, sizeof var, "file%zu", i + 1);
		plot_var_str(&job, var, s[i].file);
		snprintf(var, sizeof var, "col%zu", i + 1);
		plot_var_num(&job, var, s[i].col);
		snprintf(var, sizeof var, "label%zu", i + 1);
		plot_var_str(&job, var, s[i].label);
		snprintf(var, sizeof var, "lc%zu", i + 1);
		plot_var_num(&job, var, s[i].lc);
		snprintf(var, sizeof var, "dt%zu", i + 1);
		plot_var_num(&job, var, s[i].dt);
	}
	plot_var_str(&job, "ttl", title);
	plot_var_str(&job, "ylab", ylab);
	plot_var_num(&job, "yscale", yscale);
	plot_var_num(&job, "zero_nan", zero_nan);
	rc = plot_run(&job, base);
	free(job.vars.s);
	if (rc > 0)
		ov->written++;
	return rc < 0 ? -1 : 0;
}

/* Add a name to a sorted set of names (natural order). */
static void plot_ov_name_add(char ***names, size_t *n, const char *name)
{
	size_t i;

	for (i = 0; i < *n; i++) {
		int c = plot_natcmp((*names)[i], name);

		if (c == 0 && strcmp((*names)[i], name) == 0)
			return;
		if (c > 0 || (c == 0 && strcmp((*names)[i], name) > 0))
			break;
	}
	*names = realloc(*names, (*n + 1) * sizeof **names);
	if (!*names)
		plot_oom();
	memmove(*names + i + 1, *names + i, (*n - i) * sizeof **names);
	(*names)[i] = plot_strdup(name);
	(*n)++;
}

static void plot_ov_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

static const struct plot_trace *plot_ov_find(const struct plot_ctx *c, const char *name)
{
	for (size_t i = 0; i < c->n_traces; i++)
		if (strcmp(c->traces[i].name, name) == 0)
			return &c->traces[i];
	return NULL;
}

/* ---- cwnd, srtt, queue length: one figure per trace name ------------------- */

/* Rows and time span of a queue trace. */
static int plot_ov_span(const char *path, long *rows, int64_t *t0, int64_t *t1)
{
	FILE *f = fopen(path, "r");
	char *line = NULL;
	size_t cap = 0;

	*rows = 0;
	*t0 = *t1 = 0;
	if (!f) {
		fprintf(stderr, "segsim: error: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, f) > 0) {
		int64_t t;

		if (line[0] == '#')
			continue;
		line[strcspn(line, "\t \n")] = '\0';
		if (plot_parse_time_ns(line, &t) < 0)
			continue;
		if ((*rows)++ == 0)
			*t0 = t;
		*t1 = t;
	}
	free(line);
	fclose(f);
	return 0;
}

enum plot_ov_kind { OV_CWND, OV_RTT, OV_QUEUE };

/* One run's file for trace t of kind k into s->file, the trace or a
 * reduced copy; 0 when it has nothing to draw, 1 when it has, -1. */
static int plot_ov_trace_file(struct plot_ctx *c, enum plot_ov_kind k,
			      const struct plot_trace *t, struct plot_ov_series *s)
{
	static const int cwnd_keys[] = { FC_CWND + 1 }, rtt_keys[] = { FC_SRTT + 1 },
			 queue_keys[] = { 2 };
	static const char *const kname[] = { "cwnd", "rtt", "queue" };
	const int *keys = k == OV_CWND ? cwnd_keys : k == OV_RTT ? rtt_keys : queue_keys;
	struct plot_flow_scan sc = { 0 };
	long rows;
	int64_t t0, t1;
	int rc;

	if (k == OV_QUEUE) {
		if (plot_ov_span(t->path, &rows, &t0, &t1) < 0)
			return -1;
	} else {
		if (plot_flow_read(t->path, plot_flow_scan_row, &sc, &rows, &t0, &t1) < 0)
			return -1;
		if (plot_tcp_sent_nothing(sc.max_nxt, sc.max_inflight) ||
		    (k == OV_RTT && !sc.any_srtt))
			return 0;
	}
	if (rows == 0)
		return 0;
	snprintf(s->file, sizeof s->file, "%s", t->path);
	if (rows <= PLOT_QUEUE_MAX_ROWS || t1 <= t0)
		return 1;
	if (plot_start(c) < 0)
		return -1;
	if (!plot_pathf(s->file, sizeof s->file, "%s/%s-%s.tsv", c->datadir, kname[k], t->name))
		return -1;
	rc = plot_reduce(t->path, s->file, t0, t1, keys, 1, 0);
	if (rc < 0)
		return -1;
	if (rc == 0)
		snprintf(s->file, sizeof s->file, "%s", t->path);
	return 1;
}

static int plot_ov_traces(struct plot_ov *ov, enum plot_ov_kind k)
{
	static const char *const subdir[] = { "flows", "flows", "queues" };
	char **names = NULL, base[PLOT_PATH], title[PLOT_PATH];
	size_t n_names = 0;
	struct plot_ov_series *s = plot_calloc(ov->n, sizeof *s);
	int rc = 0;

	for (size_t r = 0; r < ov->n && rc == 0; r++) {
		rc = plot_list_traces(&ov->run[r], subdir[k]);
		for (size_t i = 0; i < ov->run[r].n_traces; i++)
			plot_ov_name_add(&names, &n_names, ov->run[r].traces[i].name);
	}
	for (size_t j = 0; j < n_names && rc == 0; j++) {
		size_t ns = 0;

		for (size_t r = 0; r < ov->n && rc == 0; r++) {
			const struct plot_trace *t = plot_ov_find(&ov->run[r], names[j]);
			int got;

			if (!t)
				continue;
			if ((got = plot_ov_trace_file(&ov->run[r], k, t, &s[ns])) < 0) {
				rc = -1;
				break;
			}
			if (got == 0)
				continue;
			s[ns].col = k == OV_CWND ? FC_CWND + 1 : k == OV_RTT ? FC_SRTT + 1 : 2;
			snprintf(s[ns].label, sizeof s[ns].label, "%s", ov->label[r]);
			s[ns].lc = (int)r + 1;
			s[ns].dt = 1;
			ns++;
		}
		if (rc < 0 || ns == 0)
			continue;
		if (k == OV_CWND) {
			snprintf(base, sizeof base, "overlay-cwnd-%s", names[j]);
			snprintf(title, sizeof title, "cwnd — %s, by run", names[j]);
			rc = plot_ov_run(ov, base, s, ns, title, "cwnd (KiB)", 1 / 1024.0, false);
		} else if (k == OV_RTT) {
			snprintf(base, sizeof base, "overlay-rtt-%s", names[j]);
			snprintf(title, sizeof title, "Smoothed RTT (srtt) — %s, by run", names[j]);
			rc = plot_ov_run(ov, base, s, ns, title, "srtt (ms)", 1e3, true);
		} else {
			snprintf(base, sizeof base, "overlay-queue-%s", names[j]);
			snprintf(title, sizeof title, "Queue %s, by run", names[j]);
			rc = plot_ov_run(ov, base, s, ns, title, "queue length (packets)", 1, false);
		}
	}
	for (size_t r = 0; r < ov->n; r++)
		plot_free_traces(&ov->run[r]);
	plot_ov_names_free(names, n_names);
	free(s);
	return rc;
}

/* ---- throughput ----------------------------------------------------------- */

/* The bin width: the longest run's, so that every run is binned alike.
 * Runs without summary.json keep their own. */
static void plot_ov_bins(struct plot_ov *ov)
{
	int64_t longest = 0;

	for (size_t r = 0; r < ov->n; r++) {
		int64_t d = plot_run_duration_ns(ov->run[r].dir);

		if (d > longest)
			longest = d;
	}
	if (longest <= 0)
		return;
	for (size_t r = 0; r < ov->n; r++) {
		int64_t d = plot_run_duration_ns(ov->run[r].dir);

		if (d > 0) {
			ov->run[r].bin_width_ns = plot_bin_width_ns(longest);
			ov->run[r].bin_end_ns = d;
		}
	}
}

static void plot_ov_binlabel(int64_t w, char *buf, size_t len)
{
	if (w >= PLOT_NS)
		snprintf(buf, len, "%g s", (double)w / PLOT_NS);
	else if (w >= 1000000)
		snprintf(buf, len, "%g ms", (double)w / 1e6);
	else
		snprintf(buf, len, "%g us", (double)w / 1e3);
}

/* Index of a name in the set (the dash type of a flow in every run). */
static int plot_ov_name_idx(char **names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return (int)i;
	return 0;
}

/* Build and draw the series of a throughput overlay: per run `ncol[r]`
 * ends in file[r] (columns 2..ncol+1, the aggregate after them) named
 * name[r][j]. */
/* Free the per-run data files and column names of a throughput overlay. */
static void plot_ov_tput_free(size_t n, char **file, size_t *ncol, char ***name)
{
	for (size_t r = 0; r < n; r++) {
		for (size_t j = 0; j < ncol[r]; j++)
			free(name[r][j]);
		free(name[r]);
		free(file[r]);
	}
	free(file);
	free(name);
	free(ncol);
}

static int plot_ov_tput_draw(struct plot_ov *ov, const char *base, char **file, size_t *ncol,
			     char ***name, const char *title)
{
	struct plot_ov_series *s;
	char **all = NULL;
	size_t n_all = 0, lines = 0, ns = 0;
	bool single = true;
	int rc;

	for (size_t r = 0; r < ov->n; r++) {
		lines += ncol[r];
		if (ncol[r] > 1)
			single = false;
		for (size_t j = 0; j < ncol[r]; j++)
			plot_ov_name_add(&all, &n_all, name[r][j]);
	}
	if (lines == 0) {
		plot_ov_names_free(all, n_all);
		return 0;
	}
	s = plot_calloc(lines + ov->n, sizeof *s);
	for (size_t r = 0; r < ov->n; r++) {
		if (ncol[r] == 0)
			continue;
		if (lines > PLOT_OV_MAX_LINES) {
			/* Too many lines to tell apart: each run's aggregate. */
			snprintf(s[ns].file, sizeof s[ns].file, "%s", file[r]);
			s[ns].col = (int)ncol[r] + 2;
			snprintf(s[ns].label, sizeof s[ns].label, "%s (aggregate of %zu)",
				 ov->label[r], ncol[r]);
			s[ns].lc = (int)r + 1;
			s[ns].dt = 1;
			ns++;
			continue;
		}
		for (size_t j = 0; j < ncol[r]; j++) {
			snprintf(s[ns].file, sizeof s[ns].file, "%s", file[r]);
			s[ns].col = (int)j + 2;
			/* One flow per run and the same everywhere: the run
			 * says it all. */
			if (single && n_all == 1)
				snprintf(s[ns].label, sizeof s[ns].label, "%s", ov->label[r]);
			else
				snprintf(s[ns].label, sizeof s[ns].label, "%s: %s", ov->label[r],
					 name[r][j]);
			s[ns].lc = (int)r + 1;
			s[ns].dt = plot_ov_name_idx(all, n_all, name[r][j]) % 5 + 1;
			ns++;
		}
	}
	rc = plot_ov_run(ov, base, s, ns, title, "throughput (Mb/s)", 1, false);
	free(s);
	plot_ov_names_free(all, n_all);
	return rc;
}

/* TCP: bytes acknowledged, Jain's index of each run in the title. */
static int plot_ov_tput(struct plot_ov *ov)
{
	char **file = plot_calloc(ov->n, sizeof *file), ***name = plot_calloc(ov->n, sizeof *name);
	size_t *ncol = plot_calloc(ov->n, sizeof *ncol);
	struct plot_str title = { 0 };
	int64_t *end = plot_calloc(ov->n, sizeof *end), width = 0;
	char bl[32] = "", p[PLOT_PATH];
	bool any_jain = false;
	int rc = 0;

	/* One bin width for all: the widest any run would choose (at least
	 * two round trips of its slowest flow, see plot_tput_width()). */
	for (size_t r = 0; r < ov->n && rc == 0; r++) {
		struct plot_ctx *c = &ov->run[r];
		int64_t w;

		if ((rc = plot_list_traces(c, "flows")) < 0)
			break;
		if ((w = plot_tput_width(c, &end[r])) < 0)
			rc = -1;
		else if (w > width)
			width = w;
		plot_free_traces(c);
	}
	for (size_t r = 0; r < ov->n && rc == 0; r++) {
		struct plot_ctx *c = &ov->run[r];
		int64_t udp_w = c->bin_width_ns, udp_end = c->bin_end_ns;
		struct plot_tput t;

		if ((rc = plot_list_traces(c, "flows")) < 0)
			break;
		c->bin_width_ns = width;
		c->bin_end_ns = end[r];
		if (c->n_traces && end[r] > 0)
			rc = plot_tput_scan(c, &t);
		else
			memset(&t, 0, sizeof t);
		c->bin_width_ns = udp_w;
		c->bin_end_ns = udp_end;
		if (rc < 0) {
			plot_free_traces(c);
			break;
		}
		if (t.n > 0) {
			if ((rc = plot_start(c)) < 0 ||
			    !plot_pathf(p, sizeof p, "%s/tcp-throughput.dat", c->datadir) ||
			    (rc = plot_tput_write(&t, p)) < 0) {
				rc = -1;
			} else {
				file[r] = plot_strdup(p);
				ncol[r] = t.n;
				name[r] = plot_calloc(t.n, sizeof *name[r]);
				for (size_t j = 0; j < t.n; j++)
					name[r][j] = plot_strdup(c->traces[t.trace[j]].name);
				if (!bl[0])
					plot_ov_binlabel(t.width_ns, bl, sizeof bl);
				if (t.n >= 2) {
					plot_str_addf(&title, "%s%s %.4f", any_jain ? ", " : "",
						      ov->label[r], t.jain);
					any_jain = true;
				}
			}
		}
		plot_tput_free(&t);
		plot_free_traces(c);
	}
	if (rc == 0) {
		char ttl[PLOT_PATH];

		snprintf(ttl, sizeof ttl, "TCP throughput: bytes acknowledged per %s bin, by run%s%s",
			 bl, any_jain ? "\nJain's fairness index: " : "", any_jain ? title.s : "");
		rc = plot_ov_tput_draw(ov, "overlay-tcp-throughput", file, ncol, name, ttl);
	}
	plot_ov_tput_free(ov->n, file, ncol, name);
	free(end);
	free(title.s);
	return rc;
}

/* UDP: bytes received. */
static int plot_ov_udp(struct plot_ov *ov)
{
	char **file = plot_calloc(ov->n, sizeof *file), ***name = plot_calloc(ov->n, sizeof *name);
	size_t *ncol = plot_calloc(ov->n, sizeof *ncol);
	char bl[32] = "", ttl[256];
	int rc = 0;

	for (size_t r = 0; r < ov->n && rc == 0; r++) {
		struct plot_ctx *c = &ov->run[r];
		struct plot_job job = { .ctx = c };
		int got;

		if ((rc = plot_list_traces(c, "udp")) < 0)
			break;
		if (c->n_traces && (rc = plot_start(c)) == 0 &&
		    (got = plot_throughput_prepare(&job)) != 0) {
			if (got < 0) {
				rc = -1;
			} else {
				char p[PLOT_PATH];

				if (!plot_pathf(p, sizeof p, "%s/throughput.dat", c->datadir))
					rc = -1;
				else
					file[r] = plot_strdup(p);
				ncol[r] = c->udp.n;
				name[r] = plot_calloc(c->udp.n, sizeof *name[r]);
				for (size_t j = 0; j < c->udp.n; j++)
					name[r][j] = plot_strdup(c->traces[j].name);
				if (!bl[0])
					plot_ov_binlabel(c->udp.width_ns, bl, sizeof bl);
			}
		}
		free(job.vars.s);
		plot_udp_free(&c->udp);
		plot_free_traces(c);
	}
	if (rc == 0) {
		snprintf(ttl, sizeof ttl, "UDP throughput at the receivers (%s bins), by run", bl);
		rc = plot_ov_tput_draw(ov, "overlay-throughput", file, ncol, name, ttl);
	}
	plot_ov_tput_free(ov->n, file, ncol, name);
	return rc;
}

/* ---- time-sequence graphs ---------------------------------------------------- */

/* One run's data of one direction, kept after its scan's state is freed. */
struct plot_ov_seq {
	char *name, *seg, *ack;
	long n_new, n_rexmit;
	uint64_t top;
};

static int plot_ov_seq(struct plot_ov *ov)
{
	struct plot_ov_seq **sq = plot_calloc(ov->n, sizeof *sq);
	size_t *nsq = plot_calloc(ov->n, sizeof *nsq);
	char **names = NULL, var[32], base[PLOT_PATH];
	size_t n_names = 0;
	int rc = 0;

	for (size_t r = 0; r < ov->n && rc == 0; r++) {
		struct plot_ctx *c = &ov->run[r];

		if ((rc = plot_seq_list(c)) < 0)
			break;
		sq[r] = plot_calloc(c->n_traces, sizeof *sq[r]);
		for (size_t i = 0; i < c->n_traces; i++) {
			const struct plot_seq_dir *d = c->traces[i].data;
			struct plot_ov_seq *o = &sq[r][nsq[r]++];

			o->name = plot_strdup(c->traces[i].name);
			o->seg = plot_strdup(d->seg_path);
			o->ack = plot_strdup(d->ack_path);
			o->n_new = d->n_new;
			o->n_rexmit = d->n_rexmit;
			o->top = d->high > d->ack_max ? d->high : d->ack_max;
			plot_ov_name_add(&names, &n_names, o->name);
		}
		plot_free_traces(c);
	}
	for (size_t j = 0; j < n_names && rc == 0; j++) {
		struct plot_job job = { .ctx = &ov->master, .script = "overlay-seq" };
		uint64_t top = 0;
		size_t n = 0;

		for (size_t r = 0; r < ov->n; r++)
			for (size_t i = 0; i < nsq[r]; i++) {
				const struct plot_ov_seq *o = &sq[r][i];

				if (strcmp(o->name, names[j]) != 0)
					continue;
				n++;
				snprintf(var, sizeof var, "segfile%zu", n);
				plot_var_str(&job, var, o->seg);
				snprintf(var, sizeof var, "ackfile%zu", n);
				plot_var_str(&job, var, o->ack);
				snprintf(var, sizeof var, "label%zu", n);
				plot_var_str(&job, var, ov->label[r]);
				snprintf(var, sizeof var, "lc%zu", n);
				plot_var_num(&job, var, (double)r + 1);
				snprintf(var, sizeof var, "nrex%zu", n);
				plot_var_num(&job, var, (double)o->n_rexmit);
				if (o->top > top)
					top = o->top;
			}
		plot_var_num(&job, "n", (double)n);
		plot_var_str(&job, "name", names[j]);
		if (top >= 10u << 20) {
			plot_var_num(&job, "ydiv", 1 << 20);
			plot_var_str(&job, "yunit", "MiB");
		} else if (top >= 10u << 10) {
			plot_var_num(&job, "ydiv", 1 << 10);
			plot_var_str(&job, "yunit", "KiB");
		} else {
			plot_var_num(&job, "ydiv", 1);
			plot_var_str(&job, "yunit", "bytes");
		}
		snprintf(base, sizeof base, "overlay-seq-%s", names[j]);
		snprintf(job.what, sizeof job.what, "%s", base);
		rc = plot_start(&ov->master) < 0 ? -1 : plot_run(&job, base);
		if (rc > 0) {
			ov->written++;
			rc = 0;
		}
		free(job.vars.s);
	}
	for (size_t r = 0; r < ov->n; r++) {
		for (size_t i = 0; i < nsq[r]; i++) {
			free(sq[r][i].name);
			free(sq[r][i].seg);
			free(sq[r][i].ack);
		}
		free(sq[r]);
	}
	free(sq);
	free(nsq);
	plot_ov_names_free(names, n_names);
	return rc;
}

/* ---- the driver ------------------------------------------------------------ */

int plot_overlay(const char *const *dirs, size_t n_dirs, unsigned kinds,
		 const struct plot_opts *opts, const char *argv0)
{
	static const struct plot_opts defaults = { 0 };
	struct plot_ov ov = { .n = n_dirs };
	const char *fmt;
	int rc = 0;

	if (!opts)
		opts = &defaults;
	fmt = opts->format ? opts->format : "png";
	if (strcmp(fmt, "png") && strcmp(fmt, "svg") && strcmp(fmt, "pdf")) {
		fprintf(stderr, "segsim: error: unknown plot format '%s' (png, svg or pdf)\n", fmt);
		return -1;
	}
	if (n_dirs == 0)
		return 0;
	for (size_t r = 0; r < n_dirs; r++) {
		if (!plot_is_dir(dirs[r])) {
			fprintf(stderr, "segsim: error: %s is not a directory\n", dirs[r]);
			return -1;
		}
		if (!plot_printable(dirs[r])) {
			fprintf(stderr, "segsim: error: cannot plot %s: control characters in "
				"its name\n", dirs[r]);
			return -1;
		}
	}
	if (opts->outdir && !plot_printable(opts->outdir)) {
		fprintf(stderr, "segsim: error: cannot plot into %s: control characters in "
			"its name\n", opts->outdir);
		return -1;
	}

	ov.master = (struct plot_ctx){ .dir = dirs[0], .fmt = fmt, .argv0 = argv0, .opts = opts };
	if ((opts->outdir ?
	     !plot_pathf(ov.master.outdir, sizeof ov.master.outdir, "%s", opts->outdir) :
	     !plot_pathf(ov.master.outdir, sizeof ov.master.outdir, "%s/plots", dirs[0])) ||
	    !plot_pathf(ov.master.datadir, sizeof ov.master.datadir, "%s/.data/overlay",
			ov.master.outdir))
		return -1;
	ov.label = plot_calloc(n_dirs, sizeof *ov.label);
	plot_run_labels(dirs, n_dirs, ov.label);
	ov.run = plot_calloc(n_dirs, sizeof *ov.run);
	for (size_t r = 0; r < n_dirs && rc == 0; r++) {
		struct plot_ctx *c = &ov.run[r];

		*c = (struct plot_ctx){ .dir = dirs[r], .fmt = fmt, .argv0 = argv0, .opts = opts };
		snprintf(c->outdir, sizeof c->outdir, "%s", ov.master.outdir);
		if (!plot_pathf(c->datadir, sizeof c->datadir, "%s/run%zu", ov.master.datadir,
				r + 1))
			rc = -1;
	}
	plot_ov_bins(&ov);

	/* gnuplot and the scripts are needed only once something is drawn
	 * (plot_ov_run() and plot_ov_seq() start the master context then). */
	if (rc == 0 && (kinds & PLOT_CWND))
		rc = plot_ov_traces(&ov, OV_CWND);
	if (rc == 0 && (kinds & PLOT_RTT))
		rc = plot_ov_traces(&ov, OV_RTT);
	if (rc == 0 && (kinds & PLOT_SEQ))
		rc = plot_ov_seq(&ov);
	if (rc == 0 && (kinds & PLOT_TCP_THROUGHPUT))
		rc = plot_ov_tput(&ov);
	if (rc == 0 && (kinds & PLOT_THROUGHPUT))
		rc = plot_ov_udp(&ov);
	if (rc == 0 && (kinds & PLOT_QUEUE))
		rc = plot_ov_traces(&ov, OV_QUEUE);

	for (size_t r = 0; r < n_dirs; r++) {
		plot_free_traces(&ov.run[r]);
		plot_udp_free(&ov.run[r].udp);
		free(ov.label[r]);
	}
	free(ov.run);
	free(ov.label);
	return rc < 0 ? -1 : ov.written;
}
