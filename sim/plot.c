/*
 * plot.c - render an output directory's traces as gnuplot plots.
 *
 * Every plot kind is one row of plot_kinds[] and one script plots/KIND.gp:
 * the row names the trace subdirectory the kind reads, whether it makes one
 * plot per trace file (queue-r1-r2.png) or one for all of them
 * (throughput.png), and an optional prepare hook that writes computed data
 * under DIR/plots/.data/ and adds gnuplot variables.  Adding a kind is one
 * row here plus one .gp file.  A kind whose plots are not one per file
 * (seq: one per direction of each TCP connection in packets.tsv) has a
 * list hook that makes the list instead; a per-trace kind with an all hook
 * (cwnd) draws one more plot of all its traces after them (cwnd-all).  The
 * kinds that look across TCP flows, the RTT samples and the SACK blocks are
 * in plot_tcp.c, the overlay of several runs in plot_overlay.c; they share
 * this file's helpers through plot_int.h.  --flows (plot_flow_wanted())
 * filters the traces of flows/ and udp/ and the flows of packets.tsv.
 *
 * Call order inside plot_dir_opts() (plot_dir() with the defaults):
 *   for each kind asked for: plot_list_traces() (or kind->list()) -> for each plot:
 *     plot_start() (once: find gnuplot and the scripts, make plots/.data/)
 *     -> kind->prepare() -> plot_run() (gnuplot as a child process, its
 *     output renamed into place only on success) -> kind->all().
 *
 * gnuplot is started with posix_spawn() and an argument vector, never a
 * shell, so trace file names need quoting only inside gnuplot's own string
 * syntax ('...' with '' for a quote), which plot_var_str() does.
 *
 * Long runs stay quick to plot: throughput and mean delay are binned here
 * (about 200 bins), delay points are thinned to PLOT_MAX_POINTS, a long
 * queue trace is reduced to each time slice's extremes and drop marks to
 * one per slice, and so are long TCP traces (plot_reduce()).  packets.tsv,
 * the udp and the flow traces are streamed, never held.
 */
#include <ctype.h>
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <inttypes.h>
#include <math.h>
#include <spawn.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include "plot.h"
#include "plot_int.h"

#ifndef PLOT_PREFIX
#define PLOT_PREFIX "/usr/local"
#endif

#define PLOT_BINS 200          /* throughput bins aimed at */
/* Datagrams drawn in the delay plot (all flows) before thinning: beyond
 * this a png looks the same, and an svg grows by ~120 bytes per point. */
#define PLOT_MAX_POINTS 30000
/* gnuplot's stderr kept for the error message. */
#define PLOT_ERR_MAX 16384
/* How far a dropped segment may lie below what its sender has had
 * acknowledged (a spurious retransmission) or above what it has dequeued
 * (dropped at its own queue before leaving): 16 MiB.  Against a random ISN
 * the other direction's numbers fall in such a range once in 128. */
#define PLOT_SEQ_SLACK (UINT64_C(1) << 24)

extern char **environ;

static int plot_queue_prepare(struct plot_job *job);
static int plot_delay_prepare(struct plot_job *job);
static int plot_cwnd_prepare(struct plot_job *job);
static int plot_rtt_prepare(struct plot_job *job);
static int plot_seq_prepare(struct plot_job *job);

static const struct plot_kind plot_kinds[] = {
	{ .bit = PLOT_QUEUE, .name = "queue", .subdir = "queues", .per_trace = true,
	  .prepare = plot_queue_prepare },
	{ .bit = PLOT_THROUGHPUT, .name = "throughput", .subdir = "udp",
	  .prepare = plot_throughput_prepare },
	{ .bit = PLOT_DELAY, .name = "delay", .subdir = "udp",
	  .prepare = plot_delay_prepare },
	{ .bit = PLOT_CWND, .name = "cwnd", .subdir = "flows", .per_trace = true,
	  .prepare = plot_cwnd_prepare, .all = plot_cwnd_all },
	{ .bit = PLOT_RTT, .name = "rtt", .subdir = "flows", .per_trace = true,
	  .prepare = plot_rtt_prepare },
	{ .bit = PLOT_SEQ, .name = "seq", .subdir = "packets.tsv", .per_trace = true,
	  .list = plot_seq_list, .prepare = plot_seq_prepare },
	{ .bit = PLOT_TCP_THROUGHPUT, .name = "tcp-throughput", .script = "throughput",
	  .subdir = "flows", .prepare = plot_tcp_tput_prepare },
};

/* ---- small helpers ------------------------------------------------------ */

void plot_oom(void)
{
	fprintf(stderr, "segsim: error: out of memory\n");
	exit(1);
}

void *plot_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		plot_oom();
	return p;
}

char *plot_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		plot_oom();
	return p;
}

void plot_str_addf(struct plot_str *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if (b->len + (size_t)n + 1 > b->cap) {
		size_t cap = b->cap ? b->cap : 256;

		while (cap < b->len + (size_t)n + 1)
			cap *= 2;
		b->s = realloc(b->s, cap);
		if (!b->s)
			plot_oom();
		b->cap = cap;
	}
	va_start(ap, fmt);
	vsnprintf(b->s + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

/* snprintf for paths: false (with a message) when the result does not fit,
 * so a long name is an error rather than a silently different file. */
bool plot_pathf(char *buf, size_t len, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= len) {
		fprintf(stderr, "segsim: error: path too long: %s...\n", buf);
		return false;
	}
	return true;
}

/* name='value' for gnuplot: inside single quotes nothing is special except
 * the quote itself, written twice. */
void plot_var_str(struct plot_job *job, const char *name, const char *val)
{
	plot_str_addf(&job->vars, "%s='", name);
	for (const char *p = val; *p; p++)
		plot_str_addf(&job->vars, *p == '\'' ? "''" : "%c", *p);
	plot_str_addf(&job->vars, "'; ");
}

void plot_var_num(struct plot_job *job, const char *name, double val)
{
	plot_str_addf(&job->vars, "%s=%.17g; ", name, val);
}

/* True if s would survive a trip through a gnuplot command line. */
bool plot_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

bool plot_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

bool plot_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Names compare with digit runs as numbers, so u2 comes before u10 and
 * colours follow the order a reader expects. */
int plot_natcmp(const char *a, const char *b)
{
	while (*a && *b) {
		if (isdigit((unsigned char)*a) && isdigit((unsigned char)*b)) {
			size_t la, lb;
			int c;

			while (*a == '0' && isdigit((unsigned char)a[1]))
				a++;
			while (*b == '0' && isdigit((unsigned char)b[1]))
				b++;
			for (la = 0; isdigit((unsigned char)a[la]); la++)
				;
			for (lb = 0; isdigit((unsigned char)b[lb]); lb++)
				;
			if (la != lb)
				return la < lb ? -1 : 1;
			if ((c = strncmp(a, b, la)) != 0)
				return c;
			a += la;
			b += lb;
		} else if (*a != *b) {
			return (unsigned char)*a < (unsigned char)*b ? -1 : 1;
		} else {
			a++;
			b++;
		}
	}
	return *a ? 1 : *b ? -1 : 0;
}

int plot_trace_cmp(const void *a, const void *b)
{
	const struct plot_trace *x = a, *y = b;
	int c = plot_natcmp(x->name, y->name);

	return c ? c : strcmp(x->name, y->name);
}

/* Split a trace row in place on tabs and spaces; returns the field count. */
int plot_split(char *line, char **f, int max)
{
	int n = 0;
	char *p = line;

	while (*p && n < max) {
		while (*p == '\t' || *p == ' ' || *p == '\n' || *p == '\r')
			p++;
		if (!*p)
			break;
		f[n++] = p;
		while (*p && *p != '\t' && *p != ' ' && *p != '\n' && *p != '\r')
			p++;
		if (*p)
			*p++ = '\0';
	}
	return n;
}

/* 1-based column of `col` in a header "# time seq delay_s len", 0 if absent. */
int plot_column(const char *header, const char *col)
{
	char buf[1024], *f[32];
	int n;

	if (header[0] != '#')
		return 0;
	snprintf(buf, sizeof buf, "%s", header + 1);
	n = plot_split(buf, f, 32);
	for (int i = 0; i < n; i++)
		if (strcmp(f[i], col) == 0)
			return i + 1;
	return 0;
}

int plot_parse_time_ns(const char *s, int64_t *ns)
{
	int64_t sec = 0, frac = 0;
	int digits = 0;
	const char *p = s;

	if (!isdigit((unsigned char)*p))
		return -1;
	for (; isdigit((unsigned char)*p); p++) {
		if (sec > (INT64_MAX / PLOT_NS - 9) / 10)
			return -1;
		sec = sec * 10 + (*p - '0');
	}
	if (*p == '.') {
		for (p++; isdigit((unsigned char)*p); p++) {
			if (digits == 9)
				return -1;
			frac = frac * 10 + (*p - '0');
			digits++;
		}
	}
	if (*p)
		return -1;
	for (; digits < 9; digits++)
		frac *= 10;
	*ns = sec * PLOT_NS + frac;
	return 0;
}

void plot_fmt_time(char *buf, size_t len, int64_t ns)
{
	snprintf(buf, len, "%" PRId64 ".%09" PRId64, ns / PLOT_NS, ns % PLOT_NS);
}

/* ---- binning ------------------------------------------------------------ */

int64_t plot_bin_width_ns(int64_t duration_ns)
{
	/* Nearest on a log scale: a step of the 1-2-5 series is at most 2.5x,
	 * so the number of bins stays within 200 / 1.6 .. 200 * 1.6. */
	double raw = (double)duration_ns / PLOT_BINS;
	int64_t best = 1000;

	for (int64_t p = 1000; p <= INT64_MAX / 100; p *= 10) {
		static const int64_t mult[] = { 1, 2, 5, 10 };

		for (int i = 0; i < 4; i++)
			if (fabs(log(raw / (double)(mult[i] * p))) <
			    fabs(log(raw / (double)best)))
				best = mult[i] * p;
		if ((double)p > raw)
			break;
	}
	return best;
}

void plot_bin_add(uint64_t *bytes, size_t nbins, int64_t width_ns,
		  const int64_t *time_ns, const uint32_t *len_bytes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		/* Integer division: a datagram received exactly on an edge
		 * belongs to the bin starting there, with no float rounding
		 * moving it either way. */
		if (time_ns[i] < 0)
			continue;
		uint64_t k = (uint64_t)(time_ns[i] / width_ns);

		if (k < nbins)
			bytes[k] += len_bytes[i];
	}
}

double plot_bin_mbps(uint64_t bytes, int64_t width_ns)
{
	return (double)bytes * 8.0 * 1e3 / (double)width_ns;
}

/* ---- finding things ----------------------------------------------------- */

/* dir part of path into buf ("." when there is none). */
static void plot_dirname(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, len, ".");
	else if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

/* Look for an executable named `name` along $PATH; full path into buf. */
static bool plot_which(const char *name, char *buf, size_t len)
{
	const char *path = getenv("PATH");

	if (!path)
		path = "/usr/local/bin:/usr/bin:/bin";
	while (*path) {
		size_t n = strcspn(path, ":");

		if (n > 0) {
			int w = snprintf(buf, len, "%.*s/%s", (int)n, path, name);

			if (w > 0 && (size_t)w < len && plot_is_file(buf) &&
			    access(buf, X_OK) == 0)
				return true;
		}
		path += n;
		if (*path == ':')
			path++;
	}
	return false;
}

static bool plot_has_scripts(const char *dir)
{
	char p[PLOT_PATH];

	int n = snprintf(p, sizeof p, "%s/style.gp", dir);

	return n > 0 && (size_t)n < sizeof p && plot_is_file(p);
}

const char *plot_script_dir(const char *argv0, char *buf, size_t len)
{
	const char *env = getenv("SEGSIM_PLOTS");
	char exe[PLOT_PATH], exedir[PLOT_PATH];
	ssize_t n;

	/* An explicit setting is final: quietly using other scripts than the
	 * ones asked for would be worse than failing. */
	if (env && *env) {
		if (!plot_has_scripts(env))
			return NULL;
		snprintf(buf, len, "%s", env);
		return buf;
	}

	/* The executable: argv0 when it has a slash, else its place on $PATH,
	 * else what the kernel says. */
	exe[0] = '\0';
	if (argv0 && strchr(argv0, '/'))
		snprintf(exe, sizeof exe, "%s", argv0);
	else if (argv0 && *argv0 && plot_which(argv0, exe, sizeof exe))
		;
	else if ((n = readlink("/proc/self/exe", exe, sizeof exe - 1)) > 0)
		exe[n] = '\0';
	else
		exe[0] = '\0';

	if (exe[0]) {
		/* Both the path as invoked (a build tree) and the file a
		 * symlink points to (/usr/bin/segsim -> /opt/segsim/bin/segsim). */
		char link[PLOT_PATH], real[PLOT_PATH];
		const char *cand[2] = { exe, NULL };

		if ((n = readlink(exe, link, sizeof link - 1)) > 0) {
			int w;

			link[n] = '\0';
			plot_dirname(exe, exedir, sizeof exedir);
			w = link[0] == '/' ? snprintf(real, sizeof real, "%s", link)
					   : snprintf(real, sizeof real, "%s/%s", exedir, link);
			if (w > 0 && (size_t)w < sizeof real)
				cand[1] = real;
		}

		for (int i = 0; i < 2; i++) {
			if (!cand[i])
				continue;
			plot_dirname(cand[i], exedir, sizeof exedir);
			snprintf(buf, len, "%s/plots", exedir);
			if (plot_has_scripts(buf))
				return buf;
			snprintf(buf, len, "%s/../share/segsim/plots", exedir);
			if (plot_has_scripts(buf))
				return buf;
		}
	}
	snprintf(buf, len, "%s/share/segsim/plots", PLOT_PREFIX);
	return plot_has_scripts(buf) ? buf : NULL;
}

bool plot_flow_wanted(const struct plot_ctx *ctx, const char *trace_name)
{
	const struct plot_opts *o = ctx->opts;
	size_t l = strlen(trace_name);

	if (!o || o->n_flows == 0)
		return true;
	/* NAME, NAME.tsv, NAME.server, NAME.server.tsv */
	if (l > 4 && strcmp(trace_name + l - 4, ".tsv") == 0)
		l -= 4;
	if (l > 7 && strncmp(trace_name + l - 7, ".server", 7) == 0)
		l -= 7;
	for (size_t i = 0; i < o->n_flows; i++)
		if (strlen(o->flows[i]) == l && strncmp(o->flows[i], trace_name, l) == 0)
			return true;
	return false;
}

bool plot_dir_has_flow(const char *dir, const char *name)
{
	static const char *const where[] = { "flows/%s.tsv", "flows/%s.server.tsv",
					     "udp/%s.tsv" };
	char p[PLOT_PATH], rel[PLOT_PATH], pat[PLOT_PATH], *buf;
	FILE *f;
	long len;
	bool found = false;

	for (size_t i = 0; i < sizeof where / sizeof where[0]; i++) {
		snprintf(rel, sizeof rel, where[i], name);
		if (snprintf(p, sizeof p, "%s/%s", dir, rel) < (int)sizeof p && plot_is_file(p))
			return true;
	}
	/* Not traced: summary.json lists every flow by name. */
	if (snprintf(p, sizeof p, "%s/summary.json", dir) >= (int)sizeof p ||
	    !(f = fopen(p, "r")))
		return false;
	if (fseek(f, 0, SEEK_END) == 0 && (len = ftell(f)) > 0 && fseek(f, 0, SEEK_SET) == 0) {
		buf = plot_calloc((size_t)len + 1, 1);
		if (fread(buf, 1, (size_t)len, f) == (size_t)len) {
			snprintf(pat, sizeof pat, "\"name\": \"%s\"", name);
			found = strstr(buf, pat) != NULL;
		}
		free(buf);
	}
	fclose(f);
	return found;
}

/* The *.tsv files in DIR/subdir, sorted by name, into ctx->traces; of
 * flows/ and udp/ only the flows --flows asks for. */
int plot_list_traces(struct plot_ctx *ctx, const char *subdir)
{
	char path[PLOT_PATH];
	DIR *d;
	struct dirent *e;
	size_t cap = 0;

	ctx->traces = NULL;
	ctx->n_traces = 0;
	if (!plot_pathf(path, sizeof path, "%s/%s", ctx->dir, subdir))
		return -1;
	if (!(d = opendir(path)))
		return 0;       /* no traces of this kind: nothing to plot */
	while ((e = readdir(d))) {
		size_t l = strlen(e->d_name);
		char file[PLOT_PATH];

		if (e->d_name[0] == '.' || l <= 4 || strcmp(e->d_name + l - 4, ".tsv") != 0)
			continue;
		if (!plot_pathf(file, sizeof file, "%s/%s", path, e->d_name)) {
			closedir(d);
			return -1;
		}
		if (!plot_is_file(file))
			continue;
		if ((!strcmp(subdir, "flows") || !strcmp(subdir, "udp")) &&
		    !plot_flow_wanted(ctx, file + strlen(path) + 1))
			continue;
		if (!plot_printable(file)) {
			fprintf(stderr, "segsim: warning: not plotting %s/%s: control "
				"characters in its name\n", subdir, e->d_name);
			continue;
		}
		if (ctx->n_traces == cap) {
			cap = cap ? 2 * cap : 16;
			ctx->traces = realloc(ctx->traces, cap * sizeof *ctx->traces);
			if (!ctx->traces)
				plot_oom();
		}
		ctx->traces[ctx->n_traces].name = plot_strdup(e->d_name);
		ctx->traces[ctx->n_traces].name[l - 4] = '\0';
		ctx->traces[ctx->n_traces].path = plot_strdup(file);
		ctx->traces[ctx->n_traces].data = NULL;
		ctx->n_traces++;
	}
	closedir(d);
	if (ctx->n_traces)
		qsort(ctx->traces, ctx->n_traces, sizeof *ctx->traces, plot_trace_cmp);
	return 0;
}

void plot_free_traces(struct plot_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_traces; i++) {
		free(ctx->traces[i].name);
		free(ctx->traces[i].path);
		if (ctx->cwnd_in)
			free(ctx->cwnd_in[i]);
	}
	free(ctx->cwnd_in);
	ctx->cwnd_in = NULL;
	free(ctx->traces);
	ctx->traces = NULL;
	ctx->n_traces = 0;
	free(ctx->qev_n);
	ctx->qev_n = NULL;
	ctx->qev_done = false;
	plot_seq_free(&ctx->seq);
	free(ctx->rtt_n);
	ctx->rtt_n = NULL;
	ctx->rtt_done = false;
}

/* mkdir -p */
static int plot_mkdirs(const char *dir)
{
	char p[PLOT_PATH];

	snprintf(p, sizeof p, "%s", dir);
	for (char *c = p + 1; *c; c++) {
		if (*c != '/')
			continue;
		*c = '\0';
		if (mkdir(p, 0777) < 0 && errno != EEXIST)
			return -1;
		*c = '/';
	}
	return mkdir(p, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

/* Everything a first plot needs: gnuplot, the scripts, the output and data
 * directories (DIR/plots/ and DIR/plots/.data/ unless preset).  Done only
 * once there is something to plot, so a run without traces needs neither
 * gnuplot nor the scripts. */
int plot_start(struct plot_ctx *ctx)
{
	if (ctx->started)
		return 0;
	if (!plot_which("gnuplot", ctx->gnuplot, sizeof ctx->gnuplot)) {
		fprintf(stderr, "segsim: error: gnuplot not found; install it with: "
			"apt-get install gnuplot-nox\n");
		return -1;
	}
	if (!plot_script_dir(ctx->argv0, ctx->scripts, sizeof ctx->scripts)) {
		const char *env = getenv("SEGSIM_PLOTS");

		if (env && *env)
			fprintf(stderr, "segsim: error: no plot scripts in SEGSIM_PLOTS=%s "
				"(style.gp missing)\n", env);
		else
			fprintf(stderr, "segsim: error: plot scripts not found next to the "
				"program (plots/), in ../share/segsim/plots or in %s/share/"
				"segsim/plots; set SEGSIM_PLOTS to the directory holding "
				"style.gp\n", PLOT_PREFIX);
		return -1;
	}
	if (!ctx->outdir[0]) {
		if (ctx->opts && ctx->opts->outdir ?
		    !plot_pathf(ctx->outdir, sizeof ctx->outdir, "%s", ctx->opts->outdir) :
		    !plot_pathf(ctx->outdir, sizeof ctx->outdir, "%s/plots", ctx->dir))
			return -1;
	}
	if (!ctx->datadir[0] &&
	    !plot_pathf(ctx->datadir, sizeof ctx->datadir, "%s/.data", ctx->outdir))
		return -1;
	if (plot_mkdirs(ctx->outdir) < 0 || plot_mkdirs(ctx->datadir) < 0) {
		fprintf(stderr, "segsim: error: cannot create %s: %s\n", ctx->datadir,
			strerror(errno));
		return -1;
	}
	ctx->started = true;
	return 0;
}

/* ---- running gnuplot ---------------------------------------------------- */

/* The script a job runs: plots/NAME.gp. */
static const char *plot_job_script(const struct plot_job *job)
{
	if (job->script)
		return job->script;
	return job->kind->script ? job->kind->script : job->kind->name;
}

/* Print gnuplot's output indented under our own message line. */
static void plot_print_indented(const char *text)
{
	while (*text) {
		size_t n = strcspn(text, "\n");

		if (n > 0)
			fprintf(stderr, "  %.*s\n", (int)n, text);
		text += n;
		if (*text)
			text++;
	}
}

/* Run gnuplot on the job's script; the plot is written to a temporary name
 * and renamed to DIR/plots/OUT only when gnuplot succeeded, so a failed run
 * never leaves a truncated image that looks like a result.  Returns 1 when
 * a plot was written, -1 on error. */
int plot_run(struct plot_job *job, const char *out_base)
{
	struct plot_ctx *ctx = job->ctx;
	char script[PLOT_PATH], out[PLOT_PATH], tmp[PLOT_PATH];
	char *argv[5];
	posix_spawn_file_actions_t fa;
	struct plot_str err = { 0 };
	int pipefd[2], status, rc;
	pid_t pid;
	struct stat st;
	const char *name = plot_job_script(job);

	if (!plot_pathf(script, sizeof script, "%s/%s.gp", ctx->scripts, name) ||
	    !plot_pathf(out, sizeof out, "%s/%s.%s", ctx->outdir, out_base, ctx->fmt) ||
	    !plot_pathf(tmp, sizeof tmp, "%s/%s.%s.part", ctx->datadir, out_base, ctx->fmt))
		return -1;
	if (!plot_is_file(script)) {
		fprintf(stderr, "segsim: error: plot script %s not found\n", script);
		return -1;
	}
	plot_var_str(job, "plotdir", ctx->scripts);
	plot_var_str(job, "fmt", ctx->fmt);
	plot_var_str(job, "outfile", tmp);

	argv[0] = ctx->gnuplot;
	argv[1] = "-e";
	argv[2] = job->vars.s;
	argv[3] = script;
	argv[4] = NULL;

	if (pipe(pipefd) < 0) {
		fprintf(stderr, "segsim: error: pipe: %s\n", strerror(errno));
		return -1;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pipefd[1], 2);
	posix_spawn_file_actions_addclose(&fa, pipefd[0]);
	posix_spawn_file_actions_addclose(&fa, pipefd[1]);
	rc = posix_spawn(&pid, ctx->gnuplot, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(pipefd[1]);
	if (rc != 0) {
		close(pipefd[0]);
		fprintf(stderr, "segsim: error: cannot run %s: %s\n", ctx->gnuplot, strerror(rc));
		return -1;
	}
	for (;;) {
		char buf[4096];
		ssize_t n = read(pipefd[0], buf, sizeof buf);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		if (err.len < PLOT_ERR_MAX)
			plot_str_addf(&err, "%.*s", (int)n, buf);
	}
	close(pipefd[0]);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "segsim: error: waitpid: %s\n", strerror(errno));
			free(err.s);
			return -1;
		}

	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		if (WIFEXITED(status))
			fprintf(stderr, "segsim: error: gnuplot failed on %s.gp for %s "
				"(exit status %d):\n", name, job->what,
				WEXITSTATUS(status));
		else
			fprintf(stderr, "segsim: error: gnuplot killed by signal %d on %s.gp "
				"for %s\n", WTERMSIG(status), name, job->what);
		plot_print_indented(err.s ? err.s : "(no output)");
		free(err.s);
		unlink(tmp);
		return -1;
	}
	/* Success, but gnuplot had something to say (an empty trace, a
	 * degenerate range): pass it on rather than hide it. */
	if (err.len) {
		fprintf(stderr, "segsim: warning: gnuplot on %s.gp for %s:\n",
			name, job->what);
		plot_print_indented(err.s);
	}
	free(err.s);
	if (stat(tmp, &st) < 0 || st.st_size == 0) {
		fprintf(stderr, "segsim: error: gnuplot wrote no plot for %s.gp (%s)\n",
			name, job->what);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, out) < 0) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", out, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 1;
}

/* ---- queue -------------------------------------------------------------- */

/* Parameters from "# queue NAME key=value ..." as q_key variables: numbers
 * as numbers, anything else as a string. */
static void plot_queue_params(struct plot_job *job, char *line)
{
	char *f[64];
	int n = plot_split(line, f, 64);

	for (int i = 3; i < n; i++) {
		char *eq = strchr(f[i], '='), *end, var[96];
		bool ok = eq && eq != f[i];
		double v;

		for (char *p = f[i]; ok && p < eq; p++)
			ok = islower((unsigned char)*p) || *p == '_' ||
			     (p > f[i] && isdigit((unsigned char)*p));
		if (!ok || eq - f[i] > 64)
			continue;
		*eq = '\0';
		snprintf(var, sizeof var, "q_%s", f[i]);
		v = strtod(eq + 1, &end);
		if (eq[1] && !*end && isfinite(v))
			plot_var_num(job, var, v);
		else
			plot_var_str(job, var, eq + 1);
	}
}

/* .data/drops-NAME.tsv or .data/marks-NAME.tsv for queue i. */
static bool plot_queue_event_path(const struct plot_ctx *ctx, size_t i, bool mark,
				  char *buf, size_t len)
{
	return plot_pathf(buf, len, "%s/%s-%s.tsv", ctx->datadir, mark ? "marks" : "drops",
			  ctx->traces[i].name);
}

/* One pass over packets.tsv for all the queues being plotted: the times of
 * each queue's drops ('d' rows whose link is the queue's name) and ECN marks
 * ('m') go to its drops-/marks- file.  packets.tsv can be hundreds of
 * megabytes, so it is read once, not once per queue, and only 'd'/'m' rows
 * are split. */
static int plot_queue_scan(struct plot_ctx *ctx)
{
	size_t nq = ctx->n_traces;
	char path[PLOT_PATH], *line = NULL, *f[5];
	size_t cap = 0;
	FILE *in, **out;
	int rc = 0;

	ctx->qev_done = true;
	ctx->qev_n = plot_calloc(2 * nq, sizeof *ctx->qev_n);
	if (!plot_pathf(path, sizeof path, "%s/packets.tsv", ctx->dir))
		return -1;
	if (!(in = fopen(path, "r")))
		return 0;       /* no packet trace: the plots have no drop marks */
	out = plot_calloc(2 * nq, sizeof *out);
	while (rc == 0 && getline(&line, &cap, in) > 0) {
		char *p = strchr(line, '\t');
		size_t i, j;

		/* Cheap test on the event column before splitting the row. */
		if (line[0] == '#' || !p || (p[1] != 'd' && p[1] != 'm') || p[2] != '\t')
			continue;
		if (plot_split(line, f, 5) < 4)
			continue;
		for (i = 0; i < nq && strcmp(f[3], ctx->traces[i].name) != 0; i++)
			;
		if (i == nq)
			continue;       /* a link not plotted, or '-' */
		j = 2 * i + (f[1][0] == 'm');
		if (!out[j]) {
			char ep[PLOT_PATH];

			if (!plot_queue_event_path(ctx, i, j & 1, ep, sizeof ep)) {
				rc = -1;
			} else if (!(out[j] = fopen(ep, "w"))) {
				fprintf(stderr, "segsim: error: cannot write %s: %s\n", ep,
					strerror(errno));
				rc = -1;
			}
			if (rc < 0)
				break;
		}
		fprintf(out[j], "%s\n", f[0]);
		ctx->qev_n[j]++;
	}
	free(line);
	fclose(in);
	for (size_t j = 0; j < 2 * nq; j++)
		if (out[j] && (ferror(out[j]) | fclose(out[j])) && rc == 0) {
			fprintf(stderr, "segsim: error: cannot write the drop marks of %s\n",
				ctx->traces[j / 2].name);
			rc = -1;
		}
	free(out);
	return rc;
}

/* Thin a file of event times (one per line, increasing) to at most one per
 * PLOT_QUEUE_COLS-th of its span: the marks sit on one row along the top
 * of the plot, so more of them only overlap, and 30000 drops would be 30000
 * svg elements.  The key still shows the full count. */
static int plot_thin_times(const char *path)
{
	char tmp[PLOT_PATH], *line = NULL;
	size_t cap = 0;
	int64_t t, t0 = -1, t1 = -1;
	long last = -1;
	FILE *in, *out;
	int rc = 0;

	if (!(in = fopen(path, "r")))
		return -1;
	while (getline(&line, &cap, in) > 0) {
		line[strcspn(line, "\n")] = '\0';
		if (plot_parse_time_ns(line, &t) == 0) {
			if (t0 < 0)
				t0 = t;
			t1 = t;
		}
	}
	if (t1 <= t0 || !plot_pathf(tmp, sizeof tmp, "%s.thin", path) ||
	    !(out = fopen(tmp, "w"))) {
		free(line);
		fclose(in);
		return 0;       /* keep it as it is */
	}
	rewind(in);
	while (getline(&line, &cap, in) > 0) {
		long sl;

		line[strcspn(line, "\n")] = '\0';
		if (plot_parse_time_ns(line, &t) < 0)
			continue;
		sl = (long)((double)(t - t0) / (double)(t1 - t0 + 1) * PLOT_QUEUE_COLS);
		if (sl != last)
			fprintf(out, "%s\n", line);
		last = sl;
	}
	free(line);
	fclose(in);
	if ((ferror(out) | fclose(out)) || rename(tmp, path) < 0) {
		fprintf(stderr, "segsim: error: cannot write %s\n", path);
		unlink(tmp);
		rc = -1;
	}
	return rc;
}

/* This queue's drop and mark files as variables, when it has any. */
static int plot_queue_events(struct plot_job *job)
{
	struct plot_ctx *ctx = job->ctx;
	size_t i = (size_t)(job->trace - ctx->traces);
	char p[PLOT_PATH];

	if (!ctx->qev_done && plot_queue_scan(ctx) < 0)
		return -1;
	if (ctx->qev_n[2 * i]) {
		if (!plot_queue_event_path(ctx, i, false, p, sizeof p) ||
		    (ctx->qev_n[2 * i] > PLOT_QUEUE_COLS && plot_thin_times(p) < 0))
			return -1;
		plot_var_str(job, "dropfile", p);
		plot_var_num(job, "ndrops", (double)ctx->qev_n[2 * i]);
	}
	if (ctx->qev_n[2 * i + 1]) {
		if (!plot_queue_event_path(ctx, i, true, p, sizeof p) ||
		    (ctx->qev_n[2 * i + 1] > PLOT_QUEUE_COLS && plot_thin_times(p) < 0))
			return -1;
		plot_var_str(job, "markfile", p);
		plot_var_num(job, "nmarks", (double)ctx->qev_n[2 * i + 1]);
	}
	return 0;
}

/* One kept row of a slice: its position in the trace and its text. */
struct plot_qrow {
	long idx;
	unsigned long len_pkts;
	char text[128];
};

static void plot_qrow_set(struct plot_qrow *r, long idx, unsigned long len, const char *text)
{
	r->idx = idx;
	r->len_pkts = len;
	snprintf(r->text, sizeof r->text, "%s", text);
}

/* Write the kept rows of one slice in trace order, each once. */
static void plot_qrow_flush(FILE *out, struct plot_qrow *k, long *last_written)
{
	struct plot_qrow *ord[4] = { &k[0], &k[1], &k[2], &k[3] };

	for (int i = 1; i < 4; i++)     /* insertion sort of four */
		for (int j = i; j > 0 && ord[j]->idx < ord[j - 1]->idx; j--) {
			struct plot_qrow *t = ord[j];

			ord[j] = ord[j - 1];
			ord[j - 1] = t;
		}
	for (int i = 0; i < 4; i++)
		if (ord[i]->idx > *last_written) {
			fputs(ord[i]->text, out);
			*last_written = ord[i]->idx;
		}
}

/* The reduced copy of a long queue trace (see PLOT_QUEUE_MAX_ROWS) into
 * .data/queue-NAME.tsv; path gets its name.  Returns 1 when written, 0 when
 * the trace is kept as it is (a row too long to keep), -1 on error. */
static int plot_queue_reduce(struct plot_job *job, int64_t t0, int64_t t1,
			     char *path, size_t len)
{
	FILE *in, *out;
	char *line = NULL, *f[4], tmp[128];
	size_t cap = 0;
	ssize_t n;
	struct plot_qrow k[4];          /* first, lowest, highest, last */
	long idx = 0, last_written = -1, slice = -1;
	int rc = 1;

	if (!plot_pathf(path, len, "%s/queue-%s.tsv", job->ctx->datadir, job->trace->name))
		return -1;
	if (!(in = fopen(job->trace->path, "r")))
		return -1;
	if (!(out = fopen(path, "w"))) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", path, strerror(errno));
		fclose(in);
		return -1;
	}
	while ((n = getline(&line, &cap, in)) > 0) {
		int64_t t;
		unsigned long q;
		long sl;

		if (line[0] == '#') {
			fputs(line, out);
			continue;
		}
		if ((size_t)n >= sizeof tmp) {
			rc = 0;
			break;
		}
		memcpy(tmp, line, (size_t)n + 1);
		if (plot_split(tmp, f, 4) < 2 || plot_parse_time_ns(f[0], &t) < 0) {
			fprintf(stderr, "segsim: error: %s:%ld: malformed row\n",
				job->trace->path, idx + 1);
			rc = -1;
			break;
		}
		q = strtoul(f[1], NULL, 10);
		sl = (long)((double)(t - t0) / (double)(t1 - t0 + 1) * PLOT_QUEUE_COLS);
		if (sl != slice) {
			if (slice >= 0)
				plot_qrow_flush(out, k, &last_written);
			slice = sl;
			for (int i = 0; i < 4; i++)
				plot_qrow_set(&k[i], idx, q, line);
		} else {
			if (q < k[1].len_pkts)
				plot_qrow_set(&k[1], idx, q, line);
			if (q > k[2].len_pkts)
				plot_qrow_set(&k[2], idx, q, line);
			plot_qrow_set(&k[3], idx, q, line);
		}
		idx++;
	}
	if (rc == 1 && slice >= 0)
		plot_qrow_flush(out, k, &last_written);
	free(line);
	fclose(in);
	if ((ferror(out) | fclose(out)) && rc == 1) {
		fprintf(stderr, "segsim: error: cannot write %s\n", path);
		rc = -1;
	}
	return rc;
}

static int plot_queue_prepare(struct plot_job *job)
{
	FILE *in = fopen(job->trace->path, "r");
	char *line = NULL, path[PLOT_PATH];
	const char *infile = job->trace->path;
	size_t cap = 0;
	long rows = 0;
	bool header_ok = false;
	int64_t t0 = 0, t1 = 0;

	if (!in) {
		fprintf(stderr, "segsim: error: cannot read %s: %s\n", job->trace->path,
			strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, in) > 0) {
		if (line[0] != '#') {
			/* The time span, for slicing a long trace. */
			char *tab = strchr(line, '\t');
			int64_t t;

			if (tab) {
				*tab = '\0';
				if (plot_parse_time_ns(line, &t) == 0) {
					if (rows == 0)
						t0 = t;
					t1 = t;
				}
			}
			rows++;
			continue;
		}
		if (!header_ok)
			header_ok = plot_column(line, "time") == 1 &&
				    plot_column(line, "len_pkts") == 2 &&
				    plot_column(line, "avg_pkts") == 4;
		else if (strncmp(line, "# queue ", 8) == 0)
			plot_queue_params(job, line);
	}
	free(line);
	fclose(in);
	if (!header_ok) {
		fprintf(stderr, "segsim: error: %s: expected the header "
			"\"# time len_pkts len_bytes avg_pkts\"\n", job->trace->path);
		return -1;
	}
	if (rows == 0)
		return 0;       /* the queue never changed: nothing to draw */
	if (rows > PLOT_QUEUE_MAX_ROWS && t1 > t0) {
		int rc = plot_queue_reduce(job, t0, t1, path, sizeof path);

		if (rc < 0)
			return -1;
		if (rc == 1)
			infile = path;
	}
	plot_var_str(job, "infile", infile);
	plot_var_str(job, "name", job->trace->name);
	return plot_queue_events(job) < 0 ? -1 : 1;
}

/* ---- UDP throughput and delay ------------------------------------------- */

struct plot_udp_cols {
	int time, len, delay;
};

/* Calls fn for every row of a udp/NAME.tsv trace. */
static int plot_udp_read(const struct plot_trace *t,
			 void (*fn)(void *arg, int64_t t_ns, uint32_t len, double delay_s),
			 void *arg)
{
	FILE *in = fopen(t->path, "r");
	struct plot_udp_cols c = { 0, 0, 0 };
	char *line = NULL, *f[16];
	size_t cap = 0;
	long lineno = 0;
	int rc = 0;

	if (!in) {
		fprintf(stderr, "segsim: error: cannot read %s: %s\n", t->path, strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, in) > 0) {
		int64_t ns;
		char *end;
		unsigned long len;
		double d;
		int n;

		lineno++;
		if (line[0] == '#') {
			if (lineno == 1) {
				c.time = plot_column(line, "time");
				c.len = plot_column(line, "len");
				c.delay = plot_column(line, "delay_s");
			}
			continue;
		}
		if (!c.time || !c.len || !c.delay) {
			fprintf(stderr, "segsim: error: %s: expected a header naming the "
				"columns time, delay_s and len\n", t->path);
			rc = -1;
			break;
		}
		n = plot_split(line, f, 16);
		if (n == 0)
			continue;
		if (n < c.time || n < c.len || n < c.delay ||
		    plot_parse_time_ns(f[c.time - 1], &ns) < 0 ||
		    (len = strtoul(f[c.len - 1], &end, 10), *end) || len > UINT32_MAX ||
		    (d = strtod(f[c.delay - 1], &end), *end)) {
			fprintf(stderr, "segsim: error: %s:%ld: malformed row\n", t->path, lineno);
			rc = -1;
			break;
		}
		fn(arg, ns, (uint32_t)len, d);
	}
	free(line);
	fclose(in);
	return rc;
}

struct plot_udp_scan {
	struct plot_udp *u;
	size_t flow;
	int64_t t_max;
};

static void plot_udp_max(void *arg, int64_t t_ns, uint32_t len, double delay_s)
{
	struct plot_udp_scan *s = arg;

	(void)len;
	(void)delay_s;
	if (t_ns > s->t_max)
		s->t_max = t_ns;
	s->u->rows[s->flow]++;
}

static void plot_udp_bin(void *arg, int64_t t_ns, uint32_t len, double delay_s)
{
	struct plot_udp_scan *s = arg;
	struct plot_udp *u = s->u;
	size_t k, i;

	/* Bins are half-open; a datagram received at the very end of the run
	 * still belongs to the last one. */
	if (t_ns == u->end_ns && t_ns > 0)
		t_ns--;
	if ((k = (size_t)(t_ns / u->width_ns)) >= u->nbins)
		return;
	i = s->flow * u->nbins + k;
	plot_bin_add(u->bytes + s->flow * u->nbins, u->nbins, u->width_ns, &t_ns, &len, 1);
	u->delay_sum[i] += delay_s;
	u->count[i]++;
}

void plot_udp_free(struct plot_udp *u)
{
	free(u->bytes);
	free(u->delay_sum);
	free(u->count);
	free(u->rows);
	memset(u, 0, sizeof *u);
}

/* Two passes over the udp traces: the last receive time fixes the bin
 * width, then every datagram is binned.  Streaming twice rather than
 * holding the rows keeps memory at the size of the bins. */
/* The run's simulated duration from summary.json ("duration_s"), or -1.
 * The bins end there, so a last bin cut short by the end of the run is
 * divided by its real length rather than showing a false dip. */
int64_t plot_run_duration_ns(const char *dir)
{
	char path[PLOT_PATH], buf[4096], *p, *end;
	FILE *f;
	size_t n;
	double d;
	int w = snprintf(path, sizeof path, "%s/summary.json", dir);

	if (w < 0 || (size_t)w >= sizeof path || !(f = fopen(path, "r")))
		return -1;
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	if (!(p = strstr(buf, "\"duration_s\"")))
		return -1;
	p += strlen("\"duration_s\"");
	while (*p == ' ' || *p == '\t' || *p == '\n' || *p == ':')
		p++;
	d = strtod(p, &end);
	if (end == p || !isfinite(d) || d <= 0 || d > 1e9)
		return -1;
	return (int64_t)llround(d * 1e9);
}

/* Right edge of bin k: the last bin ends at end_ns, possibly short. */
int64_t plot_bin_end(const struct plot_udp *u, size_t k)
{
	int64_t e = ((int64_t)k + 1) * u->width_ns;

	return e < u->end_ns ? e : u->end_ns;
}

int plot_udp_scan(struct plot_ctx *ctx)
{
	struct plot_udp *u = &ctx->udp;
	struct plot_udp_scan s = { .u = u, .t_max = -1 };
	int64_t dur;

	if (u->done)
		return 0;
	u->n = ctx->n_traces;
	u->rows = plot_calloc(u->n, sizeof *u->rows);
	for (s.flow = 0; s.flow < u->n; s.flow++)
		if (plot_udp_read(&ctx->traces[s.flow], plot_udp_max, &s) < 0)
			return -1;
	if (s.t_max >= 0) {
		dur = plot_run_duration_ns(ctx->dir);
		if (ctx->bin_width_ns > 0) {
			/* An overlay's bins, common to its runs. */
			u->width_ns = ctx->bin_width_ns;
			u->end_ns = ctx->bin_end_ns;
			u->nbins = (size_t)((u->end_ns + u->width_ns - 1) / u->width_ns);
		} else if (dur >= s.t_max) {
			u->end_ns = dur;
			u->width_ns = plot_bin_width_ns(dur);
			u->nbins = (size_t)((dur + u->width_ns - 1) / u->width_ns);
		} else {
			/* Without the run's duration the data end at the last
			 * datagram, and a bin cut there would be measured over
			 * an interval that an arrival defines (two datagrams in
			 * 13 ms read as 1.2 Mb/s for a 0.8 Mb/s flow).  Only
			 * whole bins are drawn. */
			u->width_ns = plot_bin_width_ns(s.t_max);
			u->nbins = (size_t)(s.t_max / u->width_ns);
			u->end_ns = (int64_t)u->nbins * u->width_ns;
		}
		if (u->nbins == 0) {    /* every datagram at time 0 */
			u->nbins = 1;
			u->end_ns = u->width_ns;
		}
		u->bytes = plot_calloc(u->n * u->nbins, sizeof *u->bytes);
		u->delay_sum = plot_calloc(u->n * u->nbins, sizeof *u->delay_sum);
		u->count = plot_calloc(u->n * u->nbins, sizeof *u->count);
		for (s.flow = 0; s.flow < u->n; s.flow++)
			if (plot_udp_read(&ctx->traces[s.flow], plot_udp_bin, &s) < 0)
				return -1;
	}
	u->done = true;
	return 0;
}

FILE *plot_data_open(struct plot_job *job, const char *base, char *path, size_t len)
{
	FILE *f;

	if (!plot_pathf(path, len, "%s/%s", job->ctx->datadir, base))
		return NULL;
	if (!(f = fopen(path, "w")))
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

int plot_data_close(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "segsim: error: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

int plot_throughput_prepare(struct plot_job *job)
{
	struct plot_ctx *ctx = job->ctx;
	struct plot_udp *u = &ctx->udp;
	char path[PLOT_PATH], t[32], var[32];
	FILE *f;

	if (plot_udp_scan(ctx) < 0)
		return -1;
	if (u->nbins == 0)
		return 0;       /* no datagram received by anyone */
	if (!(f = plot_data_open(job, "throughput.dat", path, sizeof path)))
		return -1;
	fprintf(f, "# bin_start_s");
	for (size_t i = 0; i < u->n; i++)
		fprintf(f, " %s_mbps", ctx->traces[i].name);
	fprintf(f, " aggregate_mbps\n");
	/* The extra last row, at the right edge of the last bin, repeats its
	 * values so 'steps' draws the last bin full width. */
	for (size_t k = 0; k <= u->nbins; k++) {
		size_t kk = k < u->nbins ? k : u->nbins - 1;
		int64_t w = plot_bin_end(u, kk) - (int64_t)kk * u->width_ns;
		uint64_t all = 0;

		plot_fmt_time(t, sizeof t, k < u->nbins ? (int64_t)k * u->width_ns : u->end_ns);
		fprintf(f, "%s", t);
		for (size_t i = 0; i < u->n; i++) {
			uint64_t b = u->bytes[i * u->nbins + kk];

			all += b;
			fprintf(f, "\t%.6f", plot_bin_mbps(b, w));
		}
		fprintf(f, "\t%.6f\n", plot_bin_mbps(all, w));
	}
	if (plot_data_close(f, path) < 0)
		return -1;
	plot_var_str(job, "tpfile", path);
	plot_var_num(job, "binw", (double)u->width_ns / PLOT_NS);
	plot_var_num(job, "n", (double)u->n);
	for (size_t i = 0; i < u->n; i++) {
		snprintf(var, sizeof var, "name%zu", i + 1);
		plot_var_str(job, var, ctx->traces[i].name);
	}
	return 1;
}

static int plot_delay_prepare(struct plot_job *job)
{
	struct plot_ctx *ctx = job->ctx;
	struct plot_udp *u = &ctx->udp;
	char path[PLOT_PATH], t[32], var[32];
	size_t n = 0, *flow, rows = 0;
	FILE *f;

	if (plot_udp_scan(ctx) < 0)
		return -1;
	/* Flows that received nothing have no points; leaving them out keeps
	 * gnuplot from warning about an empty file. */
	flow = plot_calloc(u->n, sizeof *flow);
	for (size_t i = 0; i < u->n; i++)
		if (u->rows[i]) {
			flow[n++] = i;
			rows += u->rows[i];
		}
	if (n == 0) {
		free(flow);
		return 0;
	}
	if (!(f = plot_data_open(job, "delay-mean.dat", path, sizeof path))) {
		free(flow);
		return -1;
	}
	fprintf(f, "# bin_centre_s");
	for (size_t j = 0; j < n; j++)
		fprintf(f, " %s_mean_delay_s", ctx->traces[flow[j]].name);
	fprintf(f, "\n");
	for (size_t k = 0; k < u->nbins; k++) {
		plot_fmt_time(t, sizeof t, ((int64_t)k * u->width_ns + plot_bin_end(u, k)) / 2);
		fprintf(f, "%s", t);
		for (size_t j = 0; j < n; j++) {
			size_t i = flow[j] * u->nbins + k;

			if (u->count[i])
				fprintf(f, "\t%.9f", u->delay_sum[i] / (double)u->count[i]);
			else
				fprintf(f, "\t?");
		}
		fprintf(f, "\n");
	}
	if (plot_data_close(f, path) < 0) {
		free(flow);
		return -1;
	}
	plot_var_str(job, "meanfile", path);
	plot_var_num(job, "binw", (double)u->width_ns / PLOT_NS);
	plot_var_num(job, "every", (double)((rows + PLOT_MAX_POINTS - 1) / PLOT_MAX_POINTS));
	plot_var_num(job, "n", (double)n);
	for (size_t j = 0; j < n; j++) {
		snprintf(var, sizeof var, "file%zu", j + 1);
		plot_var_str(job, var, ctx->traces[flow[j]].path);
		snprintf(var, sizeof var, "name%zu", j + 1);
		plot_var_str(job, var, ctx->traces[flow[j]].name);
	}
	free(flow);
	return 1;
}

/* ---- reducing long traces ---------------------------------------------- */

#define PLOT_RED_GROUPS 4
#define PLOT_RED_KEYS 3
#define PLOT_RED_SLOTS (2 + 2 * PLOT_RED_KEYS)
#define PLOT_RED_ROW 256

/* A row kept for its slice: first, last, or extreme of a key column. */
struct plot_red_row {
	long idx;
	double v;
	char text[PLOT_RED_ROW];
};

static void plot_red_set(struct plot_red_row *r, long idx, double v, const char *text)
{
	r->idx = idx;
	r->v = v;
	snprintf(r->text, sizeof r->text, "%s", text);
}

static int plot_red_cmp(const void *a, const void *b)
{
	const struct plot_red_row *x = *(const struct plot_red_row *const *)a;
	const struct plot_red_row *y = *(const struct plot_red_row *const *)b;

	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Write the kept rows of a slice in trace order, each once. */
static void plot_red_flush(FILE *out, struct plot_red_row *slot, bool *used,
			   long *last_written)
{
	struct plot_red_row *ord[PLOT_RED_GROUPS * PLOT_RED_SLOTS];
	size_t n = 0;

	for (int g = 0; g < PLOT_RED_GROUPS; g++) {
		if (!used[g])
			continue;
		for (int i = 0; i < PLOT_RED_SLOTS; i++)
			ord[n++] = &slot[g * PLOT_RED_SLOTS + i];
		used[g] = false;
	}
	qsort(ord, n, sizeof *ord, plot_red_cmp);
	for (size_t i = 0; i < n; i++)
		if (ord[i]->idx > *last_written) {
			fputs(ord[i]->text, out);
			*last_written = ord[i]->idx;
		}
}

/* The same picture from fewer rows: the time span [t0, t1] is cut into
 * PLOT_QUEUE_COLS slices (under half a pixel each), and of every slice only
 * the first and the last row and the rows holding the lowest and the
 * highest value of each key column (1-based, up to PLOT_RED_KEYS) are
 * kept, separately for each value 0..3 of the group column gcol (0: no
 * groups), in their original order.  Comment lines are copied; a blank line
 * (a break in a line plot) closes the slice and is copied too.  Returns 1
 * when out_path was written, 0 when a row is too long to keep (plot the
 * original), -1 on error. */
int plot_reduce(const char *in_path, const char *out_path, int64_t t0, int64_t t1,
		       const int *keys, int nkeys, int gcol)
{
	struct plot_red_row *slot = plot_calloc(PLOT_RED_GROUPS * PLOT_RED_SLOTS, sizeof *slot);
	bool used[PLOT_RED_GROUPS] = { false };
	char *line = NULL, tmp[PLOT_RED_ROW], *f[16];
	size_t cap = 0;
	ssize_t n;
	long idx = 0, last_written = -1, slice = -1;
	int rc = 1;
	FILE *in, *out;

	if (!(in = fopen(in_path, "r"))) {
		fprintf(stderr, "segsim: error: cannot read %s: %s\n", in_path, strerror(errno));
		free(slot);
		return -1;
	}
	if (!(out = fopen(out_path, "w"))) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", out_path, strerror(errno));
		fclose(in);
		free(slot);
		return -1;
	}
	while ((n = getline(&line, &cap, in)) > 0) {
		int64_t t;
		long sl;
		int nf, g = 0;
		struct plot_red_row *s;

		if (line[0] == '#' || line[strspn(line, " \t\r\n")] == '\0') {
			if (line[0] != '#') {
				plot_red_flush(out, slot, used, &last_written);
				slice = -1;
			}
			fputs(line, out);
			continue;
		}
		if ((size_t)n >= sizeof tmp) {
			rc = 0;
			break;
		}
		memcpy(tmp, line, (size_t)n + 1);
		nf = plot_split(tmp, f, 16);
		if (nf < 1 || plot_parse_time_ns(f[0], &t) < 0) {
			fprintf(stderr, "segsim: error: %s:%ld: malformed row\n", in_path, idx + 1);
			rc = -1;
			break;
		}
		if (gcol > 0 && gcol <= nf) {
			g = atoi(f[gcol - 1]);
			if (g < 0 || g >= PLOT_RED_GROUPS)
				g = 0;
		}
		sl = (long)((double)(t - t0) / (double)(t1 - t0 + 1) * PLOT_QUEUE_COLS);
		if (sl != slice) {
			plot_red_flush(out, slot, used, &last_written);
			slice = sl;
		}
		s = &slot[g * PLOT_RED_SLOTS];
		for (int k = 0; k < nkeys; k++) {
			double v = keys[k] <= nf ? strtod(f[keys[k] - 1], NULL) : NAN;

			if (!used[g]) {
				plot_red_set(&s[2 + 2 * k], idx, v, line);
				plot_red_set(&s[3 + 2 * k], idx, v, line);
			} else if (!isnan(v)) {
				if (isnan(s[2 + 2 * k].v) || v < s[2 + 2 * k].v)
					plot_red_set(&s[2 + 2 * k], idx, v, line);
				if (isnan(s[3 + 2 * k].v) || v > s[3 + 2 * k].v)
					plot_red_set(&s[3 + 2 * k], idx, v, line);
			}
		}
		for (int k = nkeys; k < PLOT_RED_KEYS; k++) {   /* unused: copies of first */
			if (!used[g]) {
				plot_red_set(&s[2 + 2 * k], idx, 0, line);
				plot_red_set(&s[3 + 2 * k], idx, 0, line);
			}
		}
		if (!used[g])
			plot_red_set(&s[0], idx, 0, line);
		plot_red_set(&s[1], idx, 0, line);
		used[g] = true;
		idx++;
	}
	if (rc == 1)
		plot_red_flush(out, slot, used, &last_written);
	free(line);
	free(slot);
	fclose(in);
	if ((ferror(out) | fclose(out)) && rc == 1) {
		fprintf(stderr, "segsim: error: cannot write %s\n", out_path);
		rc = -1;
	}
	if (rc != 1)
		unlink(out_path);
	return rc;
}

/* ---- TCP flow traces: cwnd and rtt -------------------------------------- */

static const char *const plot_flow_cols[FC_N] = {
	"time", "cwnd", "ssthresh", "srtt", "rttvar", "rto", "snd_una", "snd_nxt",
	"rwnd", "inflight", "state",
};

static bool plot_parse_u64(const char *s, uint64_t *v)
{
	char *end;

	if (!isdigit((unsigned char)*s))
		return false;
	errno = 0;
	*v = strtoull(s, &end, 10);
	return !*end && errno == 0;
}

/* Calls fn (when not NULL) for every row of a flows/NAME.tsv trace; counts
 * the rows and their time span.  Columns after the contract's eleven are
 * ignored.  Returns 0, or -1 with a message (a header other than the
 * contract's, a malformed row, or fn's -1). */
int plot_flow_read(const char *path, plot_flow_fn fn, void *arg, long *rows,
			  int64_t *t0, int64_t *t1)
{
	FILE *in = fopen(path, "r");
	char *line = NULL, *f[FC_N + 1];
	size_t cap = 0;
	long lineno = 0;
	bool header = false;
	int rc = 0;

	*rows = 0;
	*t0 = *t1 = 0;
	if (!in) {
		fprintf(stderr, "segsim: error: cannot read %s: %s\n", path, strerror(errno));
		return -1;
	}
	while (rc == 0 && getline(&line, &cap, in) > 0) {
		struct plot_flow_row row;
		uint64_t v;
		int n;

		lineno++;
		if (line[0] == '#') {
			if (lineno == 1) {
				header = true;
				for (int i = 0; i < FC_N; i++)
					if (plot_column(line, plot_flow_cols[i]) != i + 1)
						header = false;
			}
			continue;
		}
		if (!header) {
			fprintf(stderr, "segsim: error: %s: expected the header \"# time cwnd "
				"ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight "
				"state\"\n", path);
			rc = -1;
			break;
		}
		if ((n = plot_split(line, f, FC_N + 1)) == 0)
			continue;
		memset(&row, 0, sizeof row);
		row.time = f[FC_TIME];
		row.state = n > FC_STATE ? f[FC_STATE] : "";
		if (n < FC_N || plot_parse_time_ns(f[FC_TIME], &row.t_ns) < 0 ||
		    !plot_parse_u64(f[FC_CWND], &row.r.cwnd) ||
		    !(strcmp(f[FC_SSTHRESH], "inf") == 0 ? (row.r.ssthresh = PLOT_TCP_INF, true)
		      : plot_parse_u64(f[FC_SSTHRESH], &row.r.ssthresh)) ||
		    plot_parse_time_ns(f[FC_SRTT], &row.srtt_ns) < 0 ||
		    plot_parse_time_ns(f[FC_RTTVAR], &row.rttvar_ns) < 0 ||
		    plot_parse_time_ns(f[FC_RTO], &row.r.rto_ns) < 0 ||
		    !plot_parse_u64(f[FC_SND_UNA], &row.r.snd_una) ||
		    !plot_parse_u64(f[FC_SND_NXT], &row.r.snd_nxt) ||
		    !plot_parse_u64(f[FC_RWND], &row.rwnd) ||
		    !plot_parse_u64(f[FC_INFLIGHT], &v)) {
			fprintf(stderr, "segsim: error: %s:%ld: malformed row\n", path, lineno);
			rc = -1;
			break;
		}
		row.inflight = v;
		if (n > FC_N) {
			static const char *const cs[] = { "", "open", "disorder", "cwr",
							  "recovery", "loss" };

			for (int k = 1; k < 6; k++)
				if (strcmp(f[FC_N], cs[k]) == 0)
					row.r.cstate = k;
		}
		if (*rows == 0)
			*t0 = row.t_ns;
		*t1 = row.t_ns;
		(*rows)++;
		if (fn)
			rc = fn(arg, &row);
	}
	free(line);
	fclose(in);
	return rc;
}

enum plot_cong plot_cwnd_classify(const struct plot_tcp_row *prev,
				  const struct plot_tcp_row *cur)
{
	if (!prev)
		return PLOT_CONG_NONE;
	if (cur->cstate && prev->cstate) {
		/* The trace says what happened: entering recovery is a fast
		 * retransmit, entering loss a timeout (or Tahoe's fast
		 * retransmit, told apart by the RTO: a timeout backs it off,
		 * RFC 6298 5.5; both go back to snd_una, so snd_nxt cannot
		 * tell them apart), entering cwr an ECN cut; a second timeout
		 * in loss backs the timer off again. */
		bool backoff = cur->rto_ns > prev->rto_ns;

		if (cur->cstate == PLOT_CS_RECOVERY && prev->cstate != PLOT_CS_RECOVERY)
			return PLOT_CONG_FAST_RETRANSMIT;
		if (cur->cstate == PLOT_CS_LOSS && prev->cstate != PLOT_CS_LOSS)
			return backoff ? PLOT_CONG_TIMEOUT : PLOT_CONG_FAST_RETRANSMIT;
		if (cur->cstate == PLOT_CS_LOSS && cur->rto_ns > prev->rto_ns &&
		    cur->snd_nxt <= prev->snd_nxt && cur->cwnd <= prev->cwnd)
			return PLOT_CONG_TIMEOUT;
		if (cur->cstate == PLOT_CS_CWR && prev->cstate != PLOT_CS_CWR)
			return PLOT_CONG_REDUCTION;
		return PLOT_CONG_NONE;
	}
	if (cur->ssthresh == PLOT_TCP_INF)
		return PLOT_CONG_NONE;
	if (cur->ssthresh != prev->ssthresh) {
		if (cur->cwnd > cur->ssthresh)
			return PLOT_CONG_FAST_RETRANSMIT;       /* inflated */
		if (cur->cwnd < cur->ssthresh)
			/* Restarting slow start from the loss window: an RTO
			 * backs off the timer and pulls snd_nxt back (go-back-N);
			 * Tahoe's fast retransmit does neither. */
			return cur->rto_ns > prev->rto_ns || cur->snd_nxt < prev->snd_nxt
			       ? PLOT_CONG_TIMEOUT : PLOT_CONG_FAST_RETRANSMIT;
		/* cwnd == ssthresh: cut without inflation, or only the
		 * threshold set (leaving slow start). */
		return cur->cwnd < prev->cwnd ? PLOT_CONG_REDUCTION : PLOT_CONG_NONE;
	}
	/* Another timeout of the same segment: flight, and so ssthresh, are
	 * unchanged; the timer backs off again. */
	if (cur->snd_una == prev->snd_una && cur->cwnd <= prev->cwnd &&
	    cur->cwnd < cur->ssthresh && cur->rto_ns > prev->rto_ns &&
	    cur->snd_nxt <= prev->snd_nxt)
		return PLOT_CONG_TIMEOUT;
	return PLOT_CONG_NONE;
}

/* The reduced copy of a long flow trace, keeping the extremes of the given
 * columns; *infile points at it when made.  0 or -1. */
static int plot_flow_reduce(struct plot_job *job, long rows, int64_t t0, int64_t t1,
			    const int *keys, int nkeys, char *path, size_t len,
			    const char **infile)
{
	int rc;

	if (rows <= PLOT_QUEUE_MAX_ROWS || t1 <= t0)
		return 0;
	if (!plot_pathf(path, len, "%s/%s-%s.tsv", job->ctx->datadir, job->kind->name,
			job->trace->name))
		return -1;
	rc = plot_reduce(job->trace->path, path, t0, t1, keys, nkeys, 0);
	if (rc == 1)
		*infile = path;
	return rc < 0 ? -1 : 0;
}

/* State labels drawn at most (more are only ticks: see cwnd.gp). */
#define PLOT_STATE_TIMES 12

struct plot_state_label {
	int64_t t_ns;
	char time[32], state[32];
	int row;                        /* 0 top .. PLOT_STATE_ROWS - 1; -1 none */
	double from, to;                /* extent, fraction of the x axis */
};

/* Rows of state labels along the top of the cwnd plot. */
#define PLOT_STATE_ROWS 3
/* A label's width per character as a fraction of the x axis: the labels
 * are 0.75 of the font, about 0.55 em a character, on a plot area some 80
 * em wide in every format (png 1000 px at 11 pt, svg 12 pt, pdf 7 in at
 * 9 pt); with a character of margin. */
#define PLOT_STATE_CHAR 0.0075

/* Give each label the first row where it overlaps no earlier label; when
 * every row is taken (states a moment apart: FIN-WAIT-2, TIME-WAIT and a
 * new connection's SYN-RECEIVED), none: the state gets only its tick.
 * Labels in the left half of the plot (which starts at 0 and ends at t_end)
 * extend right of their time, in the right half left of it. */
static void plot_state_rows(struct plot_state_label *l, long n, int64_t t_end)
{
	double span = t_end > 0 ? (double)t_end : 1;

	for (long i = 0; i < n; i++) {
		double x = (double)l[i].t_ns / span;
		double w = ((double)strlen(l[i].state) + 1) * PLOT_STATE_CHAR;
		double end[PLOT_STATE_ROWS];
		int best = -1;

		l[i].from = l[i].t_ns >= t_end / 2 ? x - w : x;
		l[i].to = l[i].from + w;
		for (int r = 0; r < PLOT_STATE_ROWS; r++)
			end[r] = -1;
		for (long j = 0; j < i; j++)
			if (l[j].row >= 0 && l[j].to > end[l[j].row])
				end[l[j].row] = l[j].to;
		for (int r = 0; r < PLOT_STATE_ROWS && best < 0; r++)
			if (end[r] < l[i].from)
				best = r;
		l[i].row = best;
	}
}

struct plot_cwnd_scan {
	FILE *ev, *st;
	bool have_prev;
	struct plot_tcp_row prev;
	char state[32];
	long n[4], n_states;
	struct plot_state_label label[PLOT_STATE_TIMES];
	bool any_ssthresh, any_inflight;
	uint64_t max_nxt, max_inflight;
};

/* An end that sent no data: only its SYN and FIN took sequence space
 * (snd_nxt at most 2, at most 1 in flight), so its window never moved and
 * its timer never ran on data.  No cwnd or rtt plot for it. */
bool plot_tcp_sent_nothing(uint64_t max_nxt, uint64_t max_inflight)
{
	return max_nxt <= 2 && max_inflight <= 1;
}

static int plot_cwnd_row(void *arg, const struct plot_flow_row *row)
{
	struct plot_cwnd_scan *s = arg;
	enum plot_cong c = plot_cwnd_classify(s->have_prev ? &s->prev : NULL, &row->r);

	if (c != PLOT_CONG_NONE) {
		fprintf(s->ev, "%s\t%" PRIu64 "\t%" PRIu64 "\t%" PRIu64 "\t%d\n", row->time,
			s->prev.cwnd, row->r.cwnd, row->r.ssthresh, (int)c);
		s->n[c]++;
	}
	if (!s->have_prev || strcmp(row->state, s->state) != 0) {
		/* Labels in three staggered rows, so that states a moment
		 * apart (FIN-WAIT-1, TIME-WAIT) do not print over each other;
		 * the side is decided once the trace's end is known. */
		fprintf(s->st, "%s\t%s\t%ld\n", row->time, row->state, s->n_states % 3);
		snprintf(s->state, sizeof s->state, "%s", row->state);
		if (s->n_states < PLOT_STATE_TIMES) {
			struct plot_state_label *l = &s->label[s->n_states];

			l->t_ns = row->t_ns;
			snprintf(l->time, sizeof l->time, "%s", row->time);
			snprintf(l->state, sizeof l->state, "%s", row->state);
		}
		s->n_states++;
	}
	if (row->r.ssthresh != PLOT_TCP_INF)
		s->any_ssthresh = true;
	if (row->inflight > 0)
		s->any_inflight = true;
	if (row->r.snd_nxt > s->max_nxt)
		s->max_nxt = row->r.snd_nxt;
	if (row->inflight > s->max_inflight)
		s->max_inflight = row->inflight;
	s->prev = row->r;
	s->have_prev = true;
	return 0;
}

static int plot_cwnd_prepare(struct plot_job *job)
{
	static const int keys[] = { FC_CWND + 1, FC_SSTHRESH + 1, FC_INFLIGHT + 1 };
	struct plot_cwnd_scan s = { 0 };
	char evpath[PLOT_PATH], stpath[PLOT_PATH], base[PLOT_PATH], red[PLOT_PATH];
	const char *infile = job->trace->path;
	long rows;
	int64_t t0, t1;
	int rc;

	if (!plot_pathf(base, sizeof base, "cwnd-%s-events.dat", job->trace->name) ||
	    !(s.ev = plot_data_open(job, base, evpath, sizeof evpath)))
		return -1;
	if (!plot_pathf(base, sizeof base, "cwnd-%s-states.dat", job->trace->name) ||
	    !(s.st = plot_data_open(job, base, stpath, sizeof stpath))) {
		fclose(s.ev);
		return -1;
	}
	fprintf(s.ev, "# time cwnd_before cwnd ssthresh class "
		"(1 timeout, 2 fast retransmit, 3 reduction)\n");
	fprintf(s.st, "# time state label_row\n");
	rc = plot_flow_read(job->trace->path, plot_cwnd_row, &s, &rows, &t0, &t1);
	if ((plot_data_close(s.ev, evpath) | plot_data_close(s.st, stpath)) < 0 || rc < 0)
		return -1;
	if (rows == 0 || plot_tcp_sent_nothing(s.max_nxt, s.max_inflight))
		return 0;
	if (plot_flow_reduce(job, rows, t0, t1, keys, 3, red, sizeof red, &infile) < 0)
		return -1;
	/* For cwnd-all, drawn after the last of these. */
	if (!job->ctx->cwnd_in)
		job->ctx->cwnd_in = plot_calloc(job->ctx->n_traces, sizeof *job->ctx->cwnd_in);
	job->ctx->cwnd_in[job->trace - job->ctx->traces] = plot_strdup(infile);
	plot_var_str(job, "infile", infile);
	plot_var_str(job, "name", job->trace->name);
	plot_var_str(job, "evfile", evpath);
	plot_var_num(job, "n_timeout", (double)s.n[PLOT_CONG_TIMEOUT]);
	plot_var_num(job, "n_fastrx", (double)s.n[PLOT_CONG_FAST_RETRANSMIT]);
	plot_var_num(job, "n_reduction", (double)s.n[PLOT_CONG_REDUCTION]);
	if (s.n_states <= PLOT_STATE_TIMES) {
		/* Few enough to label: rewritten with the side of each
		 * label, decided here where the end of the trace is known.
		 * Labels in the left half of the plot start at their state
		 * change, in the right half end there.  The counts keep
		 * gnuplot from a label plot with no point (gnuplot 5.4.4
		 * crashes on one). */
		long left = 0, right = 0;

		if (!(s.st = fopen(stpath, "w"))) {
			fprintf(stderr, "segsim: error: cannot write %s: %s\n", stpath,
				strerror(errno));
			return -1;
		}
		fprintf(s.st, "# time state label_row side (0 left, 1 right, 2 no room: "
			"tick only)\n");
		plot_state_rows(s.label, s.n_states, t1);
		for (long i = 0; i < s.n_states; i++) {
			const struct plot_state_label *l = &s.label[i];
			int side = l->row < 0 ? 2 : l->t_ns >= t1 / 2;

			fprintf(s.st, "%s\t%s\t%d\t%d\n", l->time, l->state,
				l->row < 0 ? 0 : l->row, side);
			left += side == 0;
			right += side == 1;
		}
		if (plot_data_close(s.st, stpath) < 0)
			return -1;
		plot_var_num(job, "n_states_left", (double)left);
		plot_var_num(job, "n_states_right", (double)right);
	}
	plot_var_str(job, "statefile", stpath);
	plot_var_num(job, "n_states", (double)s.n_states);
	plot_var_num(job, "has_ssthresh", s.any_ssthresh);
	plot_var_num(job, "has_inflight", s.any_inflight);
	return 1;
}

/* A flow trace's extent: highest snd_nxt and flight, whether SRTT was
 * ever measured (plot_flow_read callback; the overlays use it too). */
int plot_flow_scan_row(void *arg, const struct plot_flow_row *row)
{
	struct plot_flow_scan *s = arg;

	if (row->r.snd_nxt > s->max_nxt)
		s->max_nxt = row->r.snd_nxt;
	if (row->inflight > s->max_inflight)
		s->max_inflight = row->inflight;
	if (row->srtt_ns > 0)
		s->any_srtt = true;
	return 0;
}

static int plot_rtt_prepare(struct plot_job *job)
{
	static const int keys[] = { FC_SRTT + 1, FC_RTTVAR + 1, FC_RTO + 1 };
	struct plot_flow_scan s = { 0 };
	char red[PLOT_PATH];
	const char *infile = job->trace->path;
	long rows;
	int64_t t0, t1;

	if (plot_flow_read(job->trace->path, plot_flow_scan_row, &s, &rows, &t0, &t1) < 0)
		return -1;
	if (rows == 0 || plot_tcp_sent_nothing(s.max_nxt, s.max_inflight))
		return 0;
	if (plot_flow_reduce(job, rows, t0, t1, keys, 3, red, sizeof red, &infile) < 0)
		return -1;
	plot_var_str(job, "infile", infile);
	plot_var_str(job, "name", job->trace->name);
	plot_var_num(job, "has_srtt", s.any_srtt);
	return plot_rtt_samples(job) < 0 ? -1 : 1;
}

/* ---- TCP time-sequence graph --------------------------------------------- */

/* Flows scanned per pass over packets.tsv: four open files each. */
#define PLOT_SEQ_BATCH 64

enum { SEQ_NEW = 0, SEQ_REXMIT = 1, SEQ_DROP = 2, SEQ_MARK = 3 };

uint64_t plot_seq_rel(uint64_t ref, uint32_t seq, uint32_t isn)
{
	uint32_t rel = seq - isn;                       /* mod 2^32 */
	int64_t d = (int64_t)(int32_t)(rel - (uint32_t)ref);

	if (d < 0 && (uint64_t)-d > ref)
		return rel;
	return (uint64_t)((int64_t)ref + d);
}

void plot_seq_free(struct plot_seq *q)
{
	for (size_t i = 0; i < q->n; i++) {
		struct plot_seq_flow *fl = &q->flows[i];

		free(fl->name);
		for (int j = 0; j < fl->n_links; j++)
			free(fl->link[j]);
		for (int k = 0; k < 2; k++) {
			if (fl->d[k].seg)
				fclose(fl->d[k].seg);
			if (fl->d[k].ack)
				fclose(fl->d[k].ack);
			free(fl->d[k].node);
			free(fl->d[k].seg_path);
			free(fl->d[k].ack_path);
		}
	}
	free(q->flows);
	free(q->index);
	memset(q, 0, sizeof *q);
}

uint64_t plot_hash(const char *s)
{
	uint64_t h = UINT64_C(14695981039346656037);

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * UINT64_C(1099511628211);
	return h;
}

/* The flow called name, made when create is set; NULL if absent. */
static struct plot_seq_flow *plot_seq_find(struct plot_seq *q, const char *name, bool create)
{
	size_t i;

	if (q->index_cap) {
		for (i = plot_hash(name) & (q->index_cap - 1); q->index[i];
		     i = (i + 1) & (q->index_cap - 1))
			if (strcmp(q->flows[q->index[i] - 1].name, name) == 0)
				return &q->flows[q->index[i] - 1];
	}
	if (!create)
		return NULL;
	if (2 * (q->n + 1) > q->index_cap) {
		size_t cap = q->index_cap ? 2 * q->index_cap : 64;

		free(q->index);
		q->index = plot_calloc(cap, sizeof *q->index);
		q->index_cap = cap;
		for (size_t j = 0; j < q->n; j++) {
			for (i = plot_hash(q->flows[j].name) & (cap - 1); q->index[i];
			     i = (i + 1) & (cap - 1))
				;
			q->index[i] = j + 1;
		}
	}
	if (q->n == q->cap) {
		q->cap = q->cap ? 2 * q->cap : 16;
		q->flows = realloc(q->flows, q->cap * sizeof *q->flows);
		if (!q->flows)
			plot_oom();
	}
	memset(&q->flows[q->n], 0, sizeof q->flows[q->n]);
	q->flows[q->n].name = plot_strdup(name);
	q->flows[q->n].batch = q->n / PLOT_SEQ_BATCH;
	for (i = plot_hash(name) & (q->index_cap - 1); q->index[i];
	     i = (i + 1) & (q->index_cap - 1))
		;
	q->index[i] = ++q->n;
	return &q->flows[q->n - 1];
}

/* Open direction k's data files: .data/seq-NAME[.server].dat and -ack.dat. */
static int plot_seq_open(struct plot_ctx *ctx, struct plot_seq_flow *fl, int k)
{
	struct plot_seq_dir *d = &fl->d[k];
	char p[PLOT_PATH];
	const char *sfx = k ? ".server" : "";

	if (d->seg)
		return 0;
	d->server = k == 1;
	/* The first TCP flow found: time for gnuplot, the scripts, .data/. */
	if (plot_start(ctx) < 0)
		return -1;
	if (!plot_pathf(p, sizeof p, "%s/seq-%s%s.dat", ctx->datadir, fl->name, sfx))
		return -1;
	d->seg_path = plot_strdup(p);
	if (!plot_pathf(p, sizeof p, "%s/seq-%s%s-ack.dat", ctx->datadir, fl->name, sfx))
		return -1;
	d->ack_path = plot_strdup(p);
	if (!(d->seg = fopen(d->seg_path, "w")) || !(d->ack = fopen(d->ack_path, "w"))) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n",
			d->seg ? d->ack_path : d->seg_path, strerror(errno));
		return -1;
	}
	fprintf(d->seg, "# time type rel_seq len flags  (type 0 new data, 1 retransmission, "
		"2 drop, 3 ECN mark; rel_seq relative to the ISN of %s's %s; len counts "
		"SYN and FIN)\n", fl->name, k ? "server" : "client");
	fprintf(d->ack, "# time rel_ack  (acks arriving at the %s)\n", k ? "server" : "client");
	return 0;
}

/* Which direction a dropped or marked segment belongs to: 0 client, 1
 * server, -1 unknown.  Its seq must lie below what that side has sent and
 * its ack (if any) within what the other side has sent: with random ISNs the
 * two sequence spaces are far apart. */
static int plot_seq_link_dir(const struct plot_seq_flow *fl, const char *link)
{
	for (int i = 0; i < fl->n_links; i++)
		if (strcmp(fl->link[i], link) == 0)
			return fl->link_dir[i];
	return -1;
}

static void plot_seq_link_learn(struct plot_seq_flow *fl, const char *link, int k)
{
	if (fl->n_links < PLOT_SEQ_LINKS && plot_seq_link_dir(fl, link) < 0) {
		fl->link[fl->n_links] = plot_strdup(link);
		fl->link_dir[fl->n_links++] = k;
	}
}

/* Which direction a dropped or marked segment belongs to: 0 client, 1
 * server, -1 unknown.  A SYN tells; so does a link seen carrying one
 * direction only.  Else the numbers: its seq must lie near what that side
 * has sent (from PLOT_SEQ_SLACK below its acked point to as much above its
 * highest dequeued) and its ack within what the other side has sent; with
 * random ISNs the two sequence spaces are far apart.  Both fitting (equal
 * fixed ISNs on a link not seen) is left out. */
static int plot_seq_which(const struct plot_seq_flow *fl, const char *link, uint32_t seq,
			  uint32_t ack, bool syn, bool has_ack)
{
	int found = -1;

	if (syn)
		return fl->d[has_ack].node ? has_ack : -1;
	if ((found = plot_seq_link_dir(fl, link)) >= 0)
		return fl->d[found].node ? found : -1;
	for (int k = 0; k < 2; k++) {
		const struct plot_seq_dir *d = &fl->d[k], *o = &fl->d[1 - k];
		uint64_t rel;

		if (!d->node)
			continue;
		rel = plot_seq_rel(d->high, seq, d->isn);
		if (rel + PLOT_SEQ_SLACK < d->ack_max || rel > d->high + PLOT_SEQ_SLACK)
			continue;
		if (has_ack && o->node && plot_seq_rel(o->high, ack, o->isn) > o->high)
			continue;
		if (found >= 0)
			return -1;      /* both fit: leave it out */
		found = k;
	}
	return found;
}

void plot_span(int64_t *t0, int64_t *t1, long count, int64_t t)
{
	if (count == 0)
		*t0 = t;
	*t1 = t;
}

/* The numbers of a TCP row of packets.tsv: time (f[0]), seq, ack and
 * payload length (f[5..7]), each checked. */
int plot_pkt_nums(char **f, int64_t *t, unsigned long long *seq,
		  unsigned long long *ack, unsigned long long *len)
{
	unsigned long long *v[3] = { seq, ack, len };
	char *end;

	for (int k = 0; k < 3; k++) {
		*v[k] = strtoull(f[5 + k], &end, 10);
		if (*end || *v[k] > UINT32_MAX)
			return -1;
	}
	return plot_parse_time_ns(f[0], t);
}

/* One row of packets.tsv for the flows of pass `batch`. */
static int plot_seq_row(struct plot_ctx *ctx, size_t batch, char **f)
{
	struct plot_seq *q = &ctx->seq;
	const char *flags = f[8], *node = f[2];
	char ev = f[1][0];
	bool syn = strchr(flags, 'S'), has_ack = strchr(flags, 'A'), fin = strchr(flags, 'F');
	unsigned long long seq, ack, len;
	struct plot_seq_flow *fl;
	struct plot_seq_dir *d;
	int64_t t;
	uint64_t rel, l;
	int k;

	fl = plot_seq_find(q, f[4], ev == '-' && syn && !has_ack && plot_flow_wanted(ctx, f[4]));
	if (!fl || fl->batch != batch)
		return 0;
	if (plot_pkt_nums(f, &t, &seq, &ack, &len) < 0)
		return -1;
	l = len + syn + fin;            /* sequence space the segment takes */

	if ((ev == 'r' || ev == '+') &&
	    !(fl->d[0].node && strcmp(fl->d[0].node, node) == 0) &&
	    !(fl->d[1].node && strcmp(fl->d[1].node, node) == 0)) {
		/* At a router: follow the segment from the link it came in on
		 * to the one it is queued for. */
		uint64_t hn = plot_hash(node), hf = plot_hash(flags);

		if (ev == 'r') {
			int dir = plot_seq_link_dir(fl, f[3]);

			if (dir >= 0) {
				fl->ring[fl->ring_next] = (struct plot_seq_hop){
					hn, hf, (uint32_t)seq, (uint32_t)ack, (uint32_t)len, dir };
				fl->ring_next = (fl->ring_next + 1) % PLOT_SEQ_RING;
			}
		} else if (plot_seq_link_dir(fl, f[3]) < 0) {
			for (int i = 0; i < PLOT_SEQ_RING; i++) {
				const struct plot_seq_hop *h = &fl->ring[i];

				if (h->node == hn && h->flags == hf && h->seq == seq &&
				    h->ack == ack && h->len == len) {
					plot_seq_link_learn(fl, f[3], h->dir);
					break;
				}
			}
		}
		return 0;
	}
	if (ev == '+')
		return 0;

	if (ev == '-' && syn) {
		/* The first dequeue of a SYN (SYN-ACK) is at its sender:
		 * it sets the node and the ISN.  Another from there is a new
		 * connection when its ISN differs or the last SYN was acked
		 * (a fixed ISN repeats); otherwise a retransmission. */
		d = &fl->d[has_ack];
		if (!d->node) {
			d->node = plot_strdup(node);
			d->isn = (uint32_t)seq;
			if (plot_seq_open(ctx, fl, has_ack) < 0)
				return -2;
		} else if (strcmp(d->node, node) == 0 &&
			   ((uint32_t)seq != d->isn || d->ack_max > 0)) {
			d->isn = (uint32_t)seq;
			d->high = d->ack_max = 0;
			d->gap = true;
		}
	}
	if (ev == '-' || ev == 'r') {
		for (k = 0; k < 2; k++)
			if (fl->d[k].node && strcmp(fl->d[k].node, node) == 0)
				break;
		if (k == 2)
			return 0;       /* forwarded by a router */
		d = &fl->d[k];
		/* Sent by k on this link, or delivered to k over it. */
		plot_seq_link_learn(fl, f[3], ev == '-' ? k : 1 - k);
		if (ev == 'r') {
			/* An ACK arriving back at this sender. */
			if (!has_ack)
				return 0;
			rel = plot_seq_rel(d->high, (uint32_t)ack, d->isn);
			if (rel > d->high)
				return 0;       /* not for this connection */
			if (d->gap)
				fputc('\n', d->ack);
			d->gap = false;
			plot_span(&d->a0, &d->a1, d->n_ack, t);
			fprintf(d->ack, "%s\t%" PRIu64 "\n", f[0], rel);
			d->n_ack++;
			if (rel > d->ack_max)
				d->ack_max = rel;
			return 0;
		}
		if (l == 0)
			return 0;       /* a pure ACK */
		rel = plot_seq_rel(d->high, (uint32_t)seq, d->isn);
		plot_span(&d->t0, &d->t1, d->n_new + d->n_rexmit + d->n_drop + d->n_mark, t);
		if (rel < d->high) {
			fprintf(d->seg, "%s\t%d\t%" PRIu64 "\t%" PRIu64 "\t%s\n", f[0], SEQ_REXMIT,
				rel, l, flags);
			d->n_rexmit++;
		} else {
			fprintf(d->seg, "%s\t%d\t%" PRIu64 "\t%" PRIu64 "\t%s\n", f[0], SEQ_NEW,
				rel, l, flags);
			d->n_new++;
		}
		d->payload += len;
		if (rel + l > d->high)
			d->high = rel + l;
		return 0;
	}
	/* 'd' or 'm': a drop or an ECN mark somewhere on the path. */
	if (l == 0 ||
	    (k = plot_seq_which(fl, f[3], (uint32_t)seq, (uint32_t)ack, syn, has_ack)) < 0)
		return 0;
	d = &fl->d[k];
	rel = plot_seq_rel(d->high, (uint32_t)seq, d->isn);
	plot_span(&d->t0, &d->t1, d->n_new + d->n_rexmit + d->n_drop + d->n_mark, t);
	fprintf(d->seg, "%s\t%d\t%" PRIu64 "\t%" PRIu64 "\t%s\n", f[0],
		ev == 'd' ? SEQ_DROP : SEQ_MARK, rel, l, flags);
	if (ev == 'd')
		d->n_drop++;
	else
		d->n_mark++;
	/* (A segment dropped by its sender's own queue never reached the
	 * wire: d->high stays, and its next sending shows as new data, as a
	 * capture on the sender's link would see it.) */
	return 0;
}

/* One pass over packets.tsv for the flows of pass `batch`; pass 0 also
 * finds the flows (their first SYN). */
static int plot_seq_pass(struct plot_ctx *ctx, FILE *in, const char *path, size_t batch)
{
	char *line = NULL, *f[10];
	size_t cap = 0;
	long lineno = 0;
	int rc = 0;

	rewind(in);
	while (rc == 0 && getline(&line, &cap, in) > 0) {
		char *p = strchr(line, '\t');

		lineno++;
		if (line[0] == '#' || !p || !strchr("+-rdm", p[1]) || !p[1] || p[2] != '\t')
			continue;
		if (plot_split(line, f, 10) != 9)
			continue;       /* not a transport row with flags */
		rc = plot_seq_row(ctx, batch, f);
		if (rc == -1) {
			fprintf(stderr, "segsim: error: %s:%ld: malformed row\n", path, lineno);
			break;
		}
	}
	free(line);
	/* Close this batch's files: the next pass opens its own. */
	for (size_t i = 0; i < ctx->seq.n; i++) {
		struct plot_seq_flow *fl = &ctx->seq.flows[i];

		if (fl->batch != batch)
			continue;
		for (int k = 0; k < 2; k++) {
			struct plot_seq_dir *d = &fl->d[k];

			if (d->seg && (ferror(d->seg) | fclose(d->seg)) && rc == 0) {
				fprintf(stderr, "segsim: error: cannot write %s\n", d->seg_path);
				rc = -1;
			}
			if (d->ack && (ferror(d->ack) | fclose(d->ack)) && rc == 0) {
				fprintf(stderr, "segsim: error: cannot write %s\n", d->ack_path);
				rc = -1;
			}
			d->seg = d->ack = NULL;
		}
	}
	return rc < 0 ? -1 : 0;
}

/* Replace a long data file by its reduced copy (see plot_reduce()). */
static int plot_seq_reduce(const char *path, long rows, int64_t t0, int64_t t1,
			   int key, int gcol)
{
	char tmp[PLOT_PATH];
	int rc;

	if (rows <= PLOT_QUEUE_MAX_ROWS || t1 <= t0)
		return 0;
	if (!plot_pathf(tmp, sizeof tmp, "%s.reduced", path))
		return -1;
	rc = plot_reduce(path, tmp, t0, t1, &key, 1, gcol);
	if (rc == 1 && rename(tmp, path) < 0) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return rc < 0 ? -1 : 0;
}

/* The seq kind's plots: one per direction of each TCP flow in packets.tsv
 * that carried payload, named NAME (the client's data) and NAME.server. */
int plot_seq_list(struct plot_ctx *ctx)
{
	char path[PLOT_PATH];
	size_t cap = 0;
	FILE *in;

	ctx->traces = NULL;
	ctx->n_traces = 0;
	if (!plot_pathf(path, sizeof path, "%s/packets.tsv", ctx->dir))
		return -1;
	if (!(in = fopen(path, "r")))
		return 0;       /* no packet trace: no seq plots */
	for (size_t b = 0; b == 0 || b * PLOT_SEQ_BATCH < ctx->seq.n; b++)
		if (plot_seq_pass(ctx, in, path, b) < 0) {
			fclose(in);
			return -1;
		}
	fclose(in);
	for (size_t i = 0; i < ctx->seq.n; i++) {
		struct plot_seq_flow *fl = &ctx->seq.flows[i];

		for (int k = 0; k < 2; k++) {
			struct plot_seq_dir *d = &fl->d[k];
			struct plot_trace *t;

			if (!d->seg_path)
				continue;
			if (d->payload == 0) {
				/* Nothing to draw: leave no stray data. */
				unlink(d->seg_path);
				unlink(d->ack_path);
				continue;
			}
			if (plot_seq_reduce(d->seg_path, d->n_new + d->n_rexmit + d->n_drop +
					    d->n_mark, d->t0, d->t1, 3, 2) < 0 ||
			    plot_seq_reduce(d->ack_path, d->n_ack, d->a0, d->a1, 2, 0) < 0)
				return -1;
			if (ctx->n_traces == cap) {
				cap = cap ? 2 * cap : 16;
				ctx->traces = realloc(ctx->traces, cap * sizeof *ctx->traces);
				if (!ctx->traces)
					plot_oom();
			}
			t = &ctx->traces[ctx->n_traces++];
			if (!plot_pathf(path, sizeof path, "%s%s", fl->name, k ? ".server" : "")) {
				ctx->n_traces--;
				return -1;
			}
			t->name = plot_strdup(path);
			t->path = plot_strdup(d->seg_path);
			t->data = d;
		}
	}
	if (ctx->n_traces)
		qsort(ctx->traces, ctx->n_traces, sizeof *ctx->traces, plot_trace_cmp);
	return 0;
}

/* Synchronized states: the window the peer offers means something. */
bool plot_tcp_synced(const char *state)
{
	static const char *const s[] = { "ESTABLISHED", "FIN-WAIT-1", "FIN-WAIT-2",
		"CLOSE-WAIT", "CLOSING", "LAST-ACK", "TIME-WAIT" };

	for (size_t i = 0; i < sizeof s / sizeof s[0]; i++)
		if (strcmp(state, s[i]) == 0)
			return true;
	return false;
}

struct plot_win_scan {
	FILE *out;
	bool in_conn;
	uint64_t una;                   /* unwrapped snd_una */
	uint64_t min, max;
	long rows;
	int64_t t0, t1;
};

static int plot_win_row(void *arg, const struct plot_flow_row *row)
{
	struct plot_win_scan *s = arg;
	uint64_t lim;

	if (!plot_tcp_synced(row->state)) {
		if (s->in_conn)
			fputc('\n', s->out);
		s->in_conn = false;
		s->una = 0;
		return 0;
	}
	s->in_conn = true;
	s->una = plot_seq_rel(s->una, (uint32_t)row->r.snd_una, 0);
	lim = s->una + row->rwnd;
	if (lim > s->max)
		s->max = lim;
	if (s->rows == 0 || lim < s->min)
		s->min = lim;
	plot_span(&s->t0, &s->t1, s->rows, row->t_ns);
	s->rows++;
	fprintf(s->out, "%s\t%" PRIu64 "\n", row->time, lim);
	return 0;
}

static int plot_seq_prepare(struct plot_job *job)
{
	const struct plot_seq_dir *d = job->trace->data;
	char flow[PLOT_PATH], base[PLOT_PATH], win[PLOT_PATH];
	struct plot_win_scan w = { 0 };
	uint64_t ymax = d->high > d->ack_max ? d->high : d->ack_max;
	long rows;
	int64_t t0, t1;
	double div;
	const char *unit;

	/* The window limit from the sender's own trace, when traced. */
	if (!plot_pathf(flow, sizeof flow, "%s/flows/%s.tsv", job->ctx->dir, job->trace->name))
		return -1;
	if (plot_is_file(flow)) {
		if (!plot_pathf(base, sizeof base, "seq-%s-win.dat", job->trace->name) ||
		    !(w.out = plot_data_open(job, base, win, sizeof win)))
			return -1;
		fprintf(w.out, "# time snd_una+rwnd  (relative to the ISN)\n");
		if (plot_flow_read(flow, plot_win_row, &w, &rows, &t0, &t1) < 0) {
			fclose(w.out);
			return -1;
		}
		if (plot_data_close(w.out, win) < 0 ||
		    plot_seq_reduce(win, w.rows, w.t0, w.t1, 2, 0) < 0)
			return -1;
		if (w.rows) {
			plot_var_str(job, "winfile", win);
			/* The window is not drawn beyond twice the data: a
			 * 1 MiB window over a 40 KiB transfer would squash it.
			 * Entirely above that, it is only named in the key. */
			if (w.max > ymax) {
				uint64_t top = w.max < 2 * ymax ? w.max : 2 * ymax;

				plot_var_num(job, "win_offscale", w.min > top);
				ymax = top;
			}
		}
	}
	if (ymax >= 10u << 20) {
		div = 1 << 20;
		unit = "MiB";
	} else if (ymax >= 10u << 10) {
		div = 1 << 10;
		unit = "KiB";
	} else {
		div = 1;
		unit = "bytes";
	}
	plot_var_str(job, "segfile", d->seg_path);
	plot_var_str(job, "ackfile", d->ack_path);
	plot_var_str(job, "name", job->trace->name);
	plot_var_num(job, "n_new", (double)d->n_new);
	plot_var_num(job, "n_rexmit", (double)d->n_rexmit);
	plot_var_num(job, "n_drop", (double)d->n_drop);
	plot_var_num(job, "n_mark", (double)d->n_mark);
	plot_var_num(job, "n_ack", (double)d->n_ack);
	plot_var_num(job, "ydiv", div);
	plot_var_str(job, "yunit", unit);
	plot_var_num(job, "ymax", (double)ymax);
	return plot_seq_sack(job, d) < 0 ? -1 : 1;
}

/* ---- the driver --------------------------------------------------------- */

/* One plot: prepare, then run.  all: the kind's plot of all its traces
 * (its all hook).  Returns 1 written, 0 skipped, -1 error. */
static int plot_one(struct plot_ctx *ctx, const struct plot_kind *k,
		    const struct plot_trace *t, bool all)
{
	struct plot_job job = { .ctx = ctx, .kind = k, .trace = t };
	char base[PLOT_PATH], script[64];
	int rc;

	if (plot_start(ctx) < 0)
		return -1;
	if (all) {
		snprintf(script, sizeof script, "%s-all", k->name);
		job.script = script;
		if (!plot_pathf(job.what, sizeof job.what, "%s/", k->subdir) ||
		    !plot_pathf(base, sizeof base, "%s", script))
			return -1;
		rc = k->all(&job);
		if (rc == 1)
			rc = plot_run(&job, base);
		free(job.vars.s);
		return rc;
	}
	if (t && k->list) {
		if (!plot_pathf(job.what, sizeof job.what, "%s (%s)", k->subdir, t->name) ||
		    !plot_pathf(base, sizeof base, "%s-%s", k->name, t->name))
			return -1;
	} else if (t) {
		if (!plot_pathf(job.what, sizeof job.what, "%s/%s.tsv", k->subdir, t->name) ||
		    !plot_pathf(base, sizeof base, "%s-%s", k->name, t->name))
			return -1;
	} else {
		if (!plot_pathf(job.what, sizeof job.what, "%s/", k->subdir) ||
		    !plot_pathf(base, sizeof base, "%s", k->name))
			return -1;
	}
	rc = k->prepare ? k->prepare(&job) : 1;
	if (rc == 1 && !k->prepare && t) {
		/* Kinds without a hook get the plain trace. */
		plot_var_str(&job, "infile", t->path);
		plot_var_str(&job, "name", t->name);
	}
	if (rc == 1)
		rc = plot_run(&job, base);
	free(job.vars.s);
	return rc;
}

int plot_dir(const char *dir, unsigned kinds, const char *format, const char *argv0)
{
	struct plot_opts o = { .format = format };

	return plot_dir_opts(dir, kinds, &o, argv0);
}

int plot_dir_opts(const char *dir, unsigned kinds, const struct plot_opts *opts,
		  const char *argv0)
{
	static const struct plot_opts defaults = { 0 };
	struct plot_ctx ctx = { .dir = dir, .argv0 = argv0, .opts = opts ? opts : &defaults };
	int written = 0;

	ctx.fmt = ctx.opts->format ? ctx.opts->format : "png";
	if (ctx.opts->outdir && !plot_printable(ctx.opts->outdir)) {
		fprintf(stderr, "segsim: error: cannot plot into %s: control characters "
			"in its name\n", ctx.opts->outdir);
		return -1;
	}

	if (strcmp(ctx.fmt, "png") && strcmp(ctx.fmt, "svg") && strcmp(ctx.fmt, "pdf")) {
		fprintf(stderr, "segsim: error: unknown plot format '%s' (png, svg or pdf)\n",
			ctx.fmt);
		return -1;
	}
	if (!plot_is_dir(dir)) {
		fprintf(stderr, "segsim: error: %s is not a directory\n", dir);
		return -1;
	}
	if (!plot_printable(dir)) {
		fprintf(stderr, "segsim: error: cannot plot into %s: control characters "
			"in its name\n", dir);
		return -1;
	}
	for (size_t i = 0; i < sizeof plot_kinds / sizeof plot_kinds[0]; i++) {
		const struct plot_kind *k = &plot_kinds[i];
		int rc = 0;

		if (!(kinds & k->bit))
			continue;
		if ((k->list ? k->list(&ctx) : plot_list_traces(&ctx, k->subdir)) < 0) {
			plot_free_traces(&ctx);
			plot_udp_free(&ctx.udp);
			return -1;
		}
		/* The udp bins are cached for the kinds that share them;
		 * another subdirectory means other traces. */
		if (ctx.udp.done && strcmp(k->subdir, "udp") != 0)
			plot_udp_free(&ctx.udp);
		if (k->per_trace) {
			for (size_t j = 0; j < ctx.n_traces && rc >= 0; j++)
				if ((rc = plot_one(&ctx, k, &ctx.traces[j], false)) > 0)
					written++;
			if (rc >= 0 && k->all && ctx.n_traces > 1 &&
			    (rc = plot_one(&ctx, k, NULL, true)) > 0)
				written++;
		} else if (ctx.n_traces) {
			if ((rc = plot_one(&ctx, k, NULL, false)) > 0)
				written++;
		}
		plot_free_traces(&ctx);
		if (rc < 0) {
			plot_udp_free(&ctx.udp);
			return -1;
		}
	}
	plot_udp_free(&ctx.udp);
	return written;
}
