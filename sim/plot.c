/*
 * plot.c - render an output directory's traces as gnuplot plots.
 *
 * Every plot kind is one row of plot_kinds[] and one script plots/KIND.gp:
 * the row names the trace subdirectory the kind reads, whether it makes one
 * plot per trace file (queue-r1-r2.png) or one for all of them
 * (throughput.png), and an optional prepare hook that writes computed data
 * under DIR/plots/.data/ and adds gnuplot variables.  Adding a kind (cwnd
 * from flows/) is one row here plus one .gp file.
 *
 * Call order inside plot_dir():
 *   for each kind asked for: plot_list_traces() -> for each plot:
 *     plot_start() (once: find gnuplot and the scripts, make plots/.data/)
 *     -> kind->prepare() -> plot_run() (gnuplot as a child process, its
 *     output renamed into place only on success).
 *
 * gnuplot is started with posix_spawn() and an argument vector, never a
 * shell, so trace file names need quoting only inside gnuplot's own string
 * syntax ('...' with '' for a quote), which plot_var_str() does.
 *
 * Long runs stay quick to plot: throughput and mean delay are binned here
 * (about 200 bins), delay points are thinned to PLOT_MAX_POINTS, a long
 * queue trace is reduced to each time slice's extremes and drop marks to
 * one per slice.  packets.tsv and the udp traces are streamed, never held.
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

#ifndef PLOT_PREFIX
#define PLOT_PREFIX "/usr/local"
#endif

#define PLOT_PATH 4096
#define PLOT_NS INT64_C(1000000000)
#define PLOT_BINS 200          /* throughput bins aimed at */
/* Datagrams drawn in the delay plot (all flows) before thinning: beyond
 * this a png looks the same, and an svg grows by ~120 bytes per point. */
#define PLOT_MAX_POINTS 30000
/* A queue trace longer than this is reduced before plotting to the first,
 * lowest, highest and last row of each of PLOT_QUEUE_COLS time slices: the
 * same picture at the size segsim draws (a slice is under half a pixel of
 * the png), in a fraction of the time (gnuplot needs seconds for a 1M-row
 * trace) and of the svg/pdf size. */
#define PLOT_QUEUE_MAX_ROWS 20000
#define PLOT_QUEUE_COLS 2000
/* gnuplot's stderr kept for the error message. */
#define PLOT_ERR_MAX 16384

extern char **environ;

/* A growable string. */
struct plot_str {
	char *s;
	size_t len, cap;
};

/* One trace file of a kind: udp/u1.tsv is name "u1". */
struct plot_trace {
	char *name;
	char *path;
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
	bool started;                   /* plot_start() succeeded */
	char gnuplot[PLOT_PATH];
	char scripts[PLOT_PATH];
	char datadir[PLOT_PATH];        /* DIR/plots/.data */

	/* The kind being drawn: its traces, sorted by name. */
	struct plot_trace *traces;
	size_t n_traces;
	/* Queue kind: drops and marks per trace, [2 * n_traces]. */
	bool qev_done;
	long *qev_n;

	struct plot_udp udp;
};

struct plot_kind;

/* One gnuplot run. */
struct plot_job {
	struct plot_ctx *ctx;
	const struct plot_kind *kind;
	const struct plot_trace *trace; /* per-trace kinds; NULL otherwise */
	struct plot_str vars;           /* "-e" statements */
	char what[PLOT_PATH];           /* for messages: "queues/r1-r2.tsv" */
};

struct plot_kind {
	unsigned bit;                   /* PLOT_* */
	const char *name;               /* script NAME.gp, output NAME[-TRACE].fmt */
	const char *subdir;             /* traces read: DIR/subdir/ *.tsv */
	bool per_trace;                 /* one plot per trace file, else one for all */
	/* (optional) Write data files, add variables.  Returns 1 to plot, 0 to
	 * skip this plot silently, -1 after printing an error. */
	int (*prepare)(struct plot_job *job);
};

static int plot_queue_prepare(struct plot_job *job);
static int plot_throughput_prepare(struct plot_job *job);
static int plot_delay_prepare(struct plot_job *job);

static const struct plot_kind plot_kinds[] = {
	{ .bit = PLOT_QUEUE, .name = "queue", .subdir = "queues", .per_trace = true,
	  .prepare = plot_queue_prepare },
	{ .bit = PLOT_THROUGHPUT, .name = "throughput", .subdir = "udp",
	  .prepare = plot_throughput_prepare },
	{ .bit = PLOT_DELAY, .name = "delay", .subdir = "udp",
	  .prepare = plot_delay_prepare },
};

/* ---- small helpers ------------------------------------------------------ */

static void plot_oom(void)
{
	fprintf(stderr, "segsim: error: out of memory\n");
	exit(1);
}

static void *plot_calloc(size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (!p)
		plot_oom();
	return p;
}

static char *plot_strdup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		plot_oom();
	return p;
}

static void plot_str_addf(struct plot_str *b, const char *fmt, ...)
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
static bool plot_pathf(char *buf, size_t len, const char *fmt, ...)
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
static void plot_var_str(struct plot_job *job, const char *name, const char *val)
{
	plot_str_addf(&job->vars, "%s='", name);
	for (const char *p = val; *p; p++)
		plot_str_addf(&job->vars, *p == '\'' ? "''" : "%c", *p);
	plot_str_addf(&job->vars, "'; ");
}

static void plot_var_num(struct plot_job *job, const char *name, double val)
{
	plot_str_addf(&job->vars, "%s=%.17g; ", name, val);
}

/* True if s would survive a trip through a gnuplot command line. */
static bool plot_printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

static bool plot_is_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISREG(st.st_mode);
}

static bool plot_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Names compare with digit runs as numbers, so u2 comes before u10 and
 * colours follow the order a reader expects. */
static int plot_natcmp(const char *a, const char *b)
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

static int plot_trace_cmp(const void *a, const void *b)
{
	const struct plot_trace *x = a, *y = b;
	int c = plot_natcmp(x->name, y->name);

	return c ? c : strcmp(x->name, y->name);
}

/* Split a trace row in place on tabs and spaces; returns the field count. */
static int plot_split(char *line, char **f, int max)
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
static int plot_column(const char *header, const char *col)
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

static void plot_fmt_time(char *buf, size_t len, int64_t ns)
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

/* The *.tsv files in DIR/subdir, sorted by name, into ctx->traces. */
static int plot_list_traces(struct plot_ctx *ctx, const char *subdir)
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
		ctx->n_traces++;
	}
	closedir(d);
	if (ctx->n_traces)
		qsort(ctx->traces, ctx->n_traces, sizeof *ctx->traces, plot_trace_cmp);
	return 0;
}

static void plot_free_traces(struct plot_ctx *ctx)
{
	for (size_t i = 0; i < ctx->n_traces; i++) {
		free(ctx->traces[i].name);
		free(ctx->traces[i].path);
	}
	free(ctx->traces);
	ctx->traces = NULL;
	ctx->n_traces = 0;
	free(ctx->qev_n);
	ctx->qev_n = NULL;
	ctx->qev_done = false;
}

/* Everything a first plot needs: gnuplot, the scripts, plots/.data/.
 * Done only once there is something to plot, so a run without traces needs
 * neither gnuplot nor the scripts. */
static int plot_start(struct plot_ctx *ctx)
{
	char p[PLOT_PATH];

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
	if (!plot_pathf(p, sizeof p, "%s/plots", ctx->dir) ||
	    !plot_pathf(ctx->datadir, sizeof ctx->datadir, "%s/plots/.data", ctx->dir))
		return -1;
	if ((mkdir(p, 0777) < 0 && errno != EEXIST) ||
	    (mkdir(ctx->datadir, 0777) < 0 && errno != EEXIST)) {
		fprintf(stderr, "segsim: error: cannot create %s: %s\n", ctx->datadir,
			strerror(errno));
		return -1;
	}
	ctx->started = true;
	return 0;
}

/* ---- running gnuplot ---------------------------------------------------- */

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
static int plot_run(struct plot_job *job, const char *out_base)
{
	struct plot_ctx *ctx = job->ctx;
	char script[PLOT_PATH], out[PLOT_PATH], tmp[PLOT_PATH];
	char *argv[5];
	posix_spawn_file_actions_t fa;
	struct plot_str err = { 0 };
	int pipefd[2], status, rc;
	pid_t pid;
	struct stat st;

	if (!plot_pathf(script, sizeof script, "%s/%s.gp", ctx->scripts, job->kind->name) ||
	    !plot_pathf(out, sizeof out, "%s/plots/%s.%s", ctx->dir, out_base, ctx->fmt) ||
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
				"(exit status %d):\n", job->kind->name, job->what,
				WEXITSTATUS(status));
		else
			fprintf(stderr, "segsim: error: gnuplot killed by signal %d on %s.gp "
				"for %s\n", WTERMSIG(status), job->kind->name, job->what);
		plot_print_indented(err.s ? err.s : "(no output)");
		free(err.s);
		unlink(tmp);
		return -1;
	}
	/* Success, but gnuplot had something to say (an empty trace, a
	 * degenerate range): pass it on rather than hide it. */
	if (err.len) {
		fprintf(stderr, "segsim: warning: gnuplot on %s.gp for %s:\n",
			job->kind->name, job->what);
		plot_print_indented(err.s);
	}
	free(err.s);
	if (stat(tmp, &st) < 0 || st.st_size == 0) {
		fprintf(stderr, "segsim: error: gnuplot wrote no plot for %s.gp (%s)\n",
			job->kind->name, job->what);
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

static void plot_udp_free(struct plot_udp *u)
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
static int64_t plot_run_duration_ns(const char *dir)
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
static int64_t plot_bin_end(const struct plot_udp *u, size_t k)
{
	int64_t e = ((int64_t)k + 1) * u->width_ns;

	return e < u->end_ns ? e : u->end_ns;
}

static int plot_udp_scan(struct plot_ctx *ctx)
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
		if (dur >= s.t_max) {
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

static FILE *plot_data_open(struct plot_job *job, const char *base, char *path, size_t len)
{
	FILE *f;

	if (!plot_pathf(path, len, "%s/%s", job->ctx->datadir, base))
		return NULL;
	if (!(f = fopen(path, "w")))
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", path, strerror(errno));
	return f;
}

static int plot_data_close(FILE *f, const char *path)
{
	if (ferror(f) | fclose(f)) {
		fprintf(stderr, "segsim: error: cannot write %s\n", path);
		return -1;
	}
	return 0;
}

static int plot_throughput_prepare(struct plot_job *job)
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

/* ---- the driver --------------------------------------------------------- */

/* One plot: prepare, then run.  Returns 1 written, 0 skipped, -1 error. */
static int plot_one(struct plot_ctx *ctx, const struct plot_kind *k,
		    const struct plot_trace *t)
{
	struct plot_job job = { .ctx = ctx, .kind = k, .trace = t };
	char base[PLOT_PATH];
	int rc;

	if (plot_start(ctx) < 0)
		return -1;
	if (t) {
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
	struct plot_ctx ctx = { .dir = dir, .fmt = format ? format : "png", .argv0 = argv0 };
	int written = 0;

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
		if (plot_list_traces(&ctx, k->subdir) < 0) {
			plot_udp_free(&ctx.udp);
			return -1;
		}
		/* The udp bins are cached for the kinds that share them;
		 * another subdirectory means other traces. */
		if (ctx.udp.done && strcmp(k->subdir, "udp") != 0)
			plot_udp_free(&ctx.udp);
		if (k->per_trace) {
			for (size_t j = 0; j < ctx.n_traces && rc >= 0; j++)
				if ((rc = plot_one(&ctx, k, &ctx.traces[j])) > 0)
					written++;
		} else if (ctx.n_traces) {
			if ((rc = plot_one(&ctx, k, NULL)) > 0)
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
