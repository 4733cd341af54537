/*
 * sweep.c - `segsim sweep`: run a scenario over a grid of parameter values
 * and seeds, and tabulate chosen numbers of each run's summary.json.
 *
 * sweep_main() in order:
 *   sweep_par_init()            one process, or this MPI rank (sweep_mpi.c)
 *   parse_args(), scn_load_file()   the scenario with --set applied; its
 *                               sweep: section (scenario_sweep.c) gives the
 *                               params, seeds, metrics and plot
 *   run_share()                 this rank's runs (grid index % size == rank),
 *                               at most -j at a time, each a child process
 *                               `segsim run FILE -q -o DIR/runs/NNNN --seed S
 *                               --set KEY=VALUE...` (/proc/self/exe), so a
 *                               run that crashes takes only itself down; a
 *                               run whose marker (DIR/runs/NNNN/sweep-run.txt)
 *                               and summary.json are there already is skipped
 *   row_text()                  one TSV row per run, metrics read from its
 *                               summary.json by the rank that ran it
 *   sweep_par_gather()          rank 0 receives every rank's rows
 *   rank 0: write_tables()      DIR/sweep.tsv (rows in grid order) and
 *                               DIR/sweep-summary.tsv (mean, 95% CI per point)
 *           write_plot()        DIR/sweep-plot.tsv and, with plots/sweep.gp,
 *                               DIR/sweep.png
 * Nothing in the tables depends on -j, the number of ranks or what was
 * skipped, so they are byte-identical between all of those.
 */
#include "sweep.h"
#include "plot.h"
#include "scenario.h"
#include "scenario_tree.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>

extern char **environ;

#define SWEEP_JOBS_MAX  1024
#define SWEEP_PATH      4096            /* DIR */
#define SWEEP_RUN_PATH  (SWEEP_PATH + 32)       /* DIR/runs/NNNN */
#define SWEEP_FILE_PATH (SWEEP_PATH + 64)       /* a file in DIR/runs/NNNN */
#define SWEEP_MARKER    "sweep-run.txt"
#define SWEEP_LOG       "sweep.log"
#define SWEEP_POLL_NS   2000000         /* child poll interval: 2 ms */

static const char sweep_usage[] =
	"usage: segsim sweep FILE.yaml [-j N] [-o DIR] [--set KEY=VALUE]... "
	"[--metrics LIST] [-q]\n";

struct sweep_opts {
	const char *file;
	const char *outdir;     /* default out/<name>-sweep */
	const char *metrics;    /* comma-separated, replaces sweep.metrics */
	struct scn_set *sets;   /* applied to every run */
	int n_sets;
	int jobs;               /* 0: online CPUs / processes on this machine */
	bool quiet;
};

struct sweep {
	struct sweep_opts o;
	struct sweep_par par;
	struct scenario sc;
	const struct scn_sweep *sw;     /* &sc.sweep */
	const char *argv0;
	char dir[SWEEP_PATH];
	char exe[SWEEP_PATH];           /* what each run executes */
	char **metrics;                 /* the chosen metric paths */
	int n_metrics;
	int *n_values;                  /* per param */
	long n_points, n_runs;
	uint64_t file_hash;             /* FNV-1a of the scenario file */
	char *ok;                       /* per run: 1 when it succeeded here */
	long counts[4];                 /* ran, skipped, failed, metrics missing */
};

enum { C_RAN, C_SKIPPED, C_FAILED, C_MISSING };

/* ---- small helpers ------------------------------------------------------ */

struct buf {
	char *s;
	size_t len, cap;
};

static void oom(void)
{
	fputs("segsim: error: out of memory\n", stderr);
	exit(1);
}

static void buf_addf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(b->s ? b->s + b->len : NULL, b->s ? b->cap - b->len : 0, fmt, ap);
		va_end(ap);
		if (n < 0)
			oom();
		if (b->s && b->len + (size_t)n < b->cap) {
			b->len += (size_t)n;
			return;
		}
		b->cap = (b->len + (size_t)n + 1) * 2;
		if (!(b->s = realloc(b->s, b->cap)))
			oom();
	}
}

static void buf_add(struct buf *b, const char *data, size_t n)
{
	if (b->len + n + 1 > b->cap) {
		b->cap = (b->len + n + 1) * 2;
		if (!(b->s = realloc(b->s, b->cap)))
			oom();
	}
	memcpy(b->s + b->len, data, n);
	b->len += n;
	b->s[b->len] = '\0';
}

/* A field for a TSV row: tabs and line breaks become spaces, empty "-". */
static void buf_field(struct buf *b, const char *s)
{
	if (!s || !*s) {
		buf_addf(b, "-");
		return;
	}
	for (; *s; s++)
		buf_addf(b, "%c", *s == '\t' || *s == '\n' || *s == '\r' ? ' ' : *s);
}

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int mkdir_p(const char *dir)
{
	char b[SWEEP_RUN_PATH];

	if (snprintf(b, sizeof b, "%s", dir) >= (int)sizeof b)
		return errno = ENAMETOOLONG, -1;
	for (char *p = b + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(b, 0777) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(b, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

/* The whole file, NUL-terminated, or NULL. */
static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = { 0 };
	char chunk[8192];
	size_t n;

	if (!f)
		return NULL;
	buf_add(&b, "", 0);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_add(&b, chunk, n);
	if (ferror(f) || memchr(b.s, '\0', b.len)) {
		fclose(f);
		free(b.s);
		return NULL;
	}
	fclose(f);
	if (len)
		*len = b.len;
	return b.s;
}

/* Write text to path through a temporary file, so a reader never sees half. */
static int write_file(const char *path, const char *text, size_t len)
{
	char tmp[SWEEP_FILE_PATH + 8];
	FILE *f;

	snprintf(tmp, sizeof tmp, "%s.part", path);
	if (!(f = fopen(tmp, "wb")) || fwrite(text, 1, len, f) != len) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", tmp, strerror(errno));
		if (f)
			fclose(f);
		return -1;
	}
	if (fclose(f) != 0 || rename(tmp, path) < 0) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	return 0;
}

static uint64_t fnv1a(const char *s, size_t n)
{
	uint64_t h = 14695981039346656037ULL;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 1099511628211ULL;
	return h;
}

/* ---- grid, metrics, statistics (pure, unit-tested) ---------------------- */

void sweep_grid_point(long run, const int *n_values, int n_params, int n_seeds,
		      int *value_ix, int *seed_ix)
{
	*seed_ix = (int)(run % n_seeds);
	run /= n_seeds;
	for (int k = n_params - 1; k >= 0; k--) {
		value_ix[k] = (int)(run % n_values[k]);
		run /= n_values[k];
	}
}

/* The node at parts[i..] under y; a list item by index or by its "name"
 * (the longest dotted run of parts that names one, as --set does). */
static const struct scn_y *json_walk(const struct scn_y *y, char **parts, int n)
{
	char want[256];

	for (int i = 0; i < n && y; i++) {
		const struct scn_y *next = NULL;

		if (y->kind == SCN_Y_MAP) {
			for (int j = n - 1; j >= i && !next; j--)
				if ((next = scn_map_get(y, scn_join(parts, i, j, want, sizeof want))))
					i = j;
		} else if (y->kind == SCN_Y_SEQ) {
			if (scn_all_digits(parts[i]) && strlen(parts[i]) < 10) {
				long ix = strtol(parts[i], NULL, 10);

				next = ix < y->n ? y->item[ix] : NULL;
			}
			for (int j = n - 1; j >= i && !next; j--) {
				scn_join(parts, i, j, want, sizeof want);
				for (int k = 0; k < y->n && !next; k++) {
					const struct scn_y *nm = y->item[k]->kind == SCN_Y_MAP ?
						scn_map_get(y->item[k], "name") : NULL;

					if (nm && nm->kind == SCN_Y_SCALAR && !strcmp(nm->str, want)) {
						next = y->item[k];
						i = j;
					}
				}
			}
		}
		y = next;
	}
	return y;
}

int sweep_json_values(const char *json, size_t len, const char *const *paths, int n,
		      char **values)
{
	struct scn_error err;
	struct scn_ctx c = { .file = "summary.json", .err = &err, .cur_set = -1,
			     .alias_budget = 1000 };
	struct scn_y *root = NULL;
	int found = 0;

	for (int i = 0; i < n; i++)
		values[i] = NULL;
	if (scn_tree_parse(&c, json, len, -1, &root) < 0 || !root)
		return -1;
	for (int i = 0; i < n; i++) {
		char *copy = strdup(paths[i]), *parts[64];
		const struct scn_y *y;
		int np = 0;

		if (!copy)
			oom();
		for (char *p = copy; np < 64; ) {
			char *dot = strchr(p, '.');

			parts[np++] = p;
			if (!dot)
				break;
			*dot = '\0';
			p = dot + 1;
		}
		y = json_walk(root, parts, np);
		if (y && y->kind == SCN_Y_SCALAR) {
			if (!(values[i] = strdup(y->str)))
				oom();
			found++;
		}
		free(copy);
	}
	scn_tree_free(root);
	return found;
}

void sweep_stats(const double *x, size_t n, double *mean, double *ci95)
{
	*mean = n ? gsl_stats_mean(x, 1, n) : NAN;
	if (n < 2) {
		*ci95 = NAN;
		return;
	}
	*ci95 = gsl_cdf_tdist_Pinv(0.975, (double)(n - 1)) * gsl_stats_sd(x, 1, n) /
		sqrt((double)n);
}

/* ---- single-process versions of the sweep_par_* functions --------------- */

#ifndef SEGSIM_MPI
int sweep_par_init(struct sweep_par *p)
{
	*p = (struct sweep_par){ .rank = 0, .size = 1, .local_size = 1 };
	return 0;
}

void sweep_par_finish(const struct sweep_par *p)
{
	(void)p;
}

int sweep_par_gather(const struct sweep_par *p, const char *mine, size_t len,
		     char **all, size_t *lens)
{
	(void)p;
	if (!(*all = malloc(len + 1)))
		oom();
	memcpy(*all, mine, len);
	(*all)[len] = '\0';
	lens[0] = len;
	return 0;
}

void sweep_par_sum(const struct sweep_par *p, long *v, int n)
{
	(void)p, (void)v, (void)n;
}

int sweep_par_bcast(const struct sweep_par *p, int v)
{
	(void)p;
	return v;
}
#endif

/* ---- options ------------------------------------------------------------ */

static int add_set(struct sweep_opts *o, char *arg)
{
	char *eq = strchr(arg, '=');
	struct scn_set *n;

	if (!eq || eq == arg) {
		fprintf(stderr, "segsim: error: --set expects KEY=VALUE, got '%s'\n", arg);
		return -1;
	}
	*eq = '\0';
	if (!(n = realloc(o->sets, (size_t)(o->n_sets + 1) * sizeof *n)))
		oom();
	o->sets = n;
	o->sets[o->n_sets++] = (struct scn_set){ .key = arg, .value = eq + 1 };
	return 0;
}

static int parse_jobs(struct sweep_opts *o, const char *s)
{
	char *end;
	long j;

	errno = 0;
	j = strtol(s, &end, 10);
	if (errno || *end || !isdigit((unsigned char)*s) || j < 1 || j > SWEEP_JOBS_MAX) {
		fprintf(stderr, "segsim: error: -j expects a number of runs at a time, "
			"1 to %d, got '%s'\n", SWEEP_JOBS_MAX, s);
		return -1;
	}
	o->jobs = (int)j;
	return 0;
}

static int parse_args(int argc, char **argv, struct sweep_opts *o)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];

		if (strcmp(a, "-j") == 0 && i + 1 < argc) {
			if (parse_jobs(o, argv[++i]) < 0)
				return -1;
		} else if (strncmp(a, "-j", 2) == 0 && a[2]) {
			if (parse_jobs(o, a + 2) < 0)
				return -1;
		} else if (strcmp(a, "-o") == 0 && i + 1 < argc) {
			o->outdir = argv[++i];
		} else if (strcmp(a, "--set") == 0 && i + 1 < argc) {
			if (add_set(o, argv[++i]) < 0)
				return -1;
		} else if (strncmp(a, "--set=", 6) == 0) {
			if (add_set(o, argv[i] + 6) < 0)
				return -1;
		} else if (strcmp(a, "--metrics") == 0 && i + 1 < argc) {
			o->metrics = argv[++i];
		} else if (strncmp(a, "--metrics=", 10) == 0) {
			o->metrics = a + 10;
		} else if (strcmp(a, "-q") == 0) {
			o->quiet = true;
		} else if (a[0] == '-' && a[1]) {
			fprintf(stderr, "segsim: error: unknown or incomplete option '%s'\n", a);
			return -1;
		} else if (!o->file) {
			o->file = a;
		} else {
			fprintf(stderr, "segsim: error: unexpected argument '%s'\n", a);
			return -1;
		}
	}
	if (!o->file) {
		fprintf(stderr, "segsim: error: missing scenario FILE.yaml\n");
		return -1;
	}
	return 0;
}

static bool path_ok(const char *s)
{
	size_t n = strlen(s);

	if (n == 0 || n >= 128 || s[0] == '.' || s[n - 1] == '.' || strstr(s, ".."))
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return false;
	return true;
}

static void add_metric(struct sweep *s, const char *m)
{
	if (!(s->metrics = realloc(s->metrics, (size_t)(s->n_metrics + 1) * sizeof *s->metrics)) ||
	    !(s->metrics[s->n_metrics] = strdup(m)))
		oom();
	s->n_metrics++;
}

/* --metrics, else sweep.metrics, else every flow's goodput. */
static int choose_metrics(struct sweep *s)
{
	if (s->o.metrics) {
		char *copy = strdup(s->o.metrics), *save = NULL;

		if (!copy)
			oom();
		for (char *m = strtok_r(copy, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
			if (!path_ok(m)) {
				fprintf(stderr, "segsim: error: --metrics: '%s' is not a path "
					"into summary.json like flows.f1.goodput_bps\n", m);
				free(copy);
				return -1;
			}
			add_metric(s, m);
		}
		free(copy);
		if (s->n_metrics == 0) {
			fprintf(stderr, "segsim: error: --metrics needs a comma-separated "
				"list of paths into summary.json\n");
			return -1;
		}
	} else if (s->sw->n_metrics) {
		for (int i = 0; i < s->sw->n_metrics; i++)
			add_metric(s, s->sw->metrics[i]);
	} else {
		char m[128];

		for (int i = 0; i < s->sc.n_flows; i++) {
			snprintf(m, sizeof m, "flows.%s.goodput_bps", s->sc.flows[i].name);
			add_metric(s, m);
		}
		if (s->n_metrics == 0)
			add_metric(s, "events");
	}
	return 0;
}

/* ---- one run ------------------------------------------------------------- */

static void run_dir(const struct sweep *s, long run, char *b, size_t len)
{
	snprintf(b, len, "%s/runs/%04ld", s->dir, run);
}

static uint64_t run_seed(const struct sweep *s, long run, int *ix)
{
	int seed_ix;

	sweep_grid_point(run, s->n_values, s->sw->n_params, s->sw->n_seeds, ix, &seed_ix);
	return s->sw->seeds[seed_ix];
}

/* What makes a run: the scenario's contents, the seed and the --sets, in
 * the order the run applies them.  Recorded in the marker file. */
static char *run_marker(const struct sweep *s, long run)
{
	struct buf b = { 0 };
	int ix[64];
	uint64_t seed = run_seed(s, run, ix);

	buf_addf(&b, "segsim sweep run\nscenario_fnv1a64 %016llx\nseed %llu\n",
		 (unsigned long long)s->file_hash, (unsigned long long)seed);
	for (int i = 0; i < s->o.n_sets; i++)
		buf_addf(&b, "set %s=%s\n", s->o.sets[i].key, s->o.sets[i].value);
	for (int k = 0; k < s->sw->n_params; k++)
		buf_addf(&b, "set %s=%s\n", s->sw->params[k].key,
			 s->sw->params[k].values[ix[k]]);
	return b.s;
}

static bool run_is_done(const struct sweep *s, long run, const char *marker)
{
	char d[SWEEP_RUN_PATH], p[SWEEP_FILE_PATH];
	struct stat st;
	char *old;
	bool same;

	run_dir(s, run, d, sizeof d);
	snprintf(p, sizeof p, "%s/summary.json", d);
	if (stat(p, &st) < 0 || !S_ISREG(st.st_mode))
		return false;
	snprintf(p, sizeof p, "%s/" SWEEP_MARKER, d);
	if (!(old = read_file(p, NULL)))
		return false;
	same = strcmp(old, marker) == 0;
	free(old);
	return same;
}

/* Start `segsim run` for one grid point, output to its log.  0 or -1. */
static int run_spawn(const struct sweep *s, long run, pid_t *pid)
{
	char d[SWEEP_RUN_PATH], log[SWEEP_FILE_PATH], seed[24];
	struct buf sets = { 0 };
	char **argv;
	int ix[64], n = 0, rc;
	posix_spawn_file_actions_t fa;

	run_dir(s, run, d, sizeof d);
	if (mkdir_p(d) < 0) {
		fprintf(stderr, "segsim: error: cannot create %s: %s\n", d, strerror(errno));
		return -1;
	}
	/* Nothing of an earlier run may pass for this one's result. */
	snprintf(log, sizeof log, "%s/" SWEEP_MARKER, d);
	unlink(log);
	snprintf(log, sizeof log, "%s/summary.json", d);
	unlink(log);
	snprintf(log, sizeof log, "%s/" SWEEP_LOG, d);
	snprintf(seed, sizeof seed, "%llu", (unsigned long long)run_seed(s, run, ix));

	if (!(argv = calloc((size_t)(10 + 2 * (s->o.n_sets + s->sw->n_params)), sizeof *argv)))
		oom();
	argv[n++] = (char *)s->exe;
	argv[n++] = "run";
	argv[n++] = (char *)s->o.file;
	argv[n++] = "-q";
	argv[n++] = "-o";
	argv[n++] = d;
	argv[n++] = "--seed";
	argv[n++] = seed;
	/* KEY=VALUE strings, NUL-separated in one buffer: the pointers are
	 * taken once it has stopped moving. */
	for (int i = 0; i < s->o.n_sets; i++)
		buf_addf(&sets, "%s=%s%c", s->o.sets[i].key, s->o.sets[i].value, '\0');
	for (int k = 0; k < s->sw->n_params; k++)
		buf_addf(&sets, "%s=%s%c", s->sw->params[k].key,
			 s->sw->params[k].values[ix[k]], '\0');
	for (size_t off = 0; off < sets.len; off += strlen(sets.s + off) + 1) {
		argv[n++] = "--set";
		argv[n++] = sets.s + off;
	}
	argv[n] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, log, O_WRONLY | O_CREAT | O_TRUNC, 0666);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	rc = posix_spawn(pid, s->exe, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	free(argv);
	free(sets.s);
	if (rc != 0) {
		fprintf(stderr, "segsim: error: cannot run %s: %s\n", s->exe, strerror(rc));
		return -1;
	}
	return 0;
}

/* "flows.f1.tcp.cc=reno, seed 3" for messages. */
static void run_describe(const struct sweep *s, long run, char *b, size_t len)
{
	int ix[64], o = 0;
	uint64_t seed = run_seed(s, run, ix);

	b[0] = '\0';
	for (int k = 0; k < s->sw->n_params && o >= 0 && (size_t)o < len; k++)
		o += snprintf(b + o, len - (size_t)o, "%s=%s, ", s->sw->params[k].key,
			      s->sw->params[k].values[ix[k]]);
	if (o >= 0 && (size_t)o < len)
		snprintf(b + o, len - (size_t)o, "seed %llu", (unsigned long long)seed);
}

/* A child has ended: record the result, or say why it failed. */
static void run_ended(struct sweep *s, long run, int status)
{
	char d[SWEEP_RUN_PATH], p[SWEEP_FILE_PATH], what[512], why[64], first[300] = "";
	struct stat st;
	char *marker;
	FILE *f;

	run_dir(s, run, d, sizeof d);
	snprintf(p, sizeof p, "%s/summary.json", d);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 0 && stat(p, &st) == 0) {
		marker = run_marker(s, run);
		snprintf(p, sizeof p, "%s/" SWEEP_MARKER, d);
		if (write_file(p, marker, strlen(marker)) == 0)
			s->ok[run] = 1;
		free(marker);
		if (s->ok[run])
			return;
	}
	s->counts[C_FAILED]++;
	if (WIFEXITED(status))
		snprintf(why, sizeof why, "exit status %d", WEXITSTATUS(status));
	else if (WIFSIGNALED(status))
		snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(status));
	else
		snprintf(why, sizeof why, "status %d", status);
	snprintf(p, sizeof p, "%s/" SWEEP_LOG, d);
	if ((f = fopen(p, "r"))) {
		if (fgets(first, sizeof first, f))
			first[strcspn(first, "\n")] = '\0';
		fclose(f);
	}
	run_describe(s, run, what, sizeof what);
	fprintf(stderr, "segsim: sweep: run %04ld (%s) failed, %s%s%s; log: %s\n", run,
		what, why, first[0] ? ": " : "", first, p);
}

/* This rank's runs, at most -j at a time.  Children are polled by pid (not
 * waitpid(-1)): an MPI library may have children of its own. */
static void run_share(struct sweep *s, int jobs)
{
	struct { pid_t pid; long run; } *slot = calloc((size_t)jobs, sizeof *slot);
	long next = s->par.rank, done = 0, mine = 0;
	int active = 0;
	bool tty = !s->o.quiet && s->par.size == 1 && isatty(2);
	double t0 = wall_now(), last = 0;

	if (!slot)
		oom();
	for (long r = s->par.rank; r < s->n_runs; r += s->par.size)
		mine++;
	while (next < s->n_runs || active > 0) {
		bool ended = false;

		while (active < jobs && next < s->n_runs) {
			long run = next;
			char *marker = run_marker(s, run);
			bool skip = run_is_done(s, run, marker);

			free(marker);
			next += s->par.size;
			if (skip) {
				s->ok[run] = 1;
				s->counts[C_SKIPPED]++;
				done++;
				continue;
			}
			s->counts[C_RAN]++;
			if (run_spawn(s, run, &slot[active].pid) < 0) {
				s->counts[C_FAILED]++;
				done++;
				continue;
			}
			slot[active++].run = run;
		}
		for (int i = 0; i < active; i++) {
			int status;
			pid_t w = waitpid(slot[i].pid, &status, WNOHANG);

			if (w == 0 || (w < 0 && errno == EINTR))
				continue;
			if (w < 0) {    /* cannot happen for our own child */
				fprintf(stderr, "segsim: error: waitpid: %s\n", strerror(errno));
				status = 255 << 8;
			}
			run_ended(s, slot[i].run, status);
			slot[i--] = slot[--active];
			done++;
			ended = true;
		}
		if (tty && wall_now() - last > 0.2) {
			last = wall_now();
			fprintf(stderr, "\rsegsim: sweep: %ld/%ld runs, %ld failed, %.1f s  ",
				done, mine, s->counts[C_FAILED], last - t0);
		}
		if (!ended && active > 0)
			nanosleep(&(struct timespec){ 0, SWEEP_POLL_NS }, NULL);
	}
	if (tty)
		fputs("\r\033[K", stderr);
	free(slot);
}

/* ---- rows and tables ------------------------------------------------------ */

/* One line of sweep.tsv for a run of this rank. */
static void row_text(struct sweep *s, long run, struct buf *b, bool *warned)
{
	char d[SWEEP_RUN_PATH], p[SWEEP_FILE_PATH] = "";
	char **vals = calloc((size_t)s->n_metrics, sizeof *vals);
	int ix[64];
	uint64_t seed = run_seed(s, run, ix);

	if (!vals)
		oom();
	run_dir(s, run, d, sizeof d);
	if (s->ok[run]) {
		size_t len;
		char *json;

		snprintf(p, sizeof p, "%s/summary.json", d);
		if (!(json = read_file(p, &len)) ||
		    sweep_json_values(json, len, (const char *const *)s->metrics,
				      s->n_metrics, vals) < 0) {
			fprintf(stderr, "segsim: sweep: run %04ld: cannot read %s\n", run, p);
			s->ok[run] = 0;
			s->counts[C_FAILED]++;
		}
		free(json);
	}
	buf_addf(b, "%04ld", run);
	for (int k = 0; k < s->sw->n_params; k++) {
		buf_addf(b, "\t");
		buf_field(b, s->sw->params[k].values[ix[k]]);
	}
	buf_addf(b, "\t%llu\t%s", (unsigned long long)seed, s->ok[run] ? "ok" : "failed");
	for (int m = 0; m < s->n_metrics; m++) {
		if (s->ok[run] && !vals[m]) {
			s->counts[C_MISSING]++;
			if (!warned[m])
				fprintf(stderr, "segsim: sweep: metric '%s' is not a value "
					"in %s (first seen missing in run %04ld)\n",
					s->metrics[m], p, run);
			warned[m] = true;
		}
		buf_addf(b, "\t");
		buf_field(b, vals[m]);
		free(vals[m]);
	}
	buf_addf(b, "\n");
	free(vals);
}

/* A JSON number as a double; false for anything else. */
static bool number(const char *s, double *v)
{
	char *end;

	if (!*s || s[strspn(s, "0123456789+-.eE")])
		return false;
	errno = 0;
	*v = strtod(s, &end);
	return !*end && !errno && isfinite(*v);
}

/* The table of results on rank 0: rows[run] point into the gathered text. */
struct results {
	char **rows;            /* n_runs lines, NUL-terminated (no newline) */
	double *val;            /* [run * n_metrics + m]; NaN: failed, missing
				   or not a number */
};

static int results_parse(const struct sweep *s, char *all, const size_t *lens,
			 struct results *r)
{
	int size = s->par.size;
	char **start = calloc((size_t)size, sizeof *start);
	size_t off = 0;

	r->rows = calloc((size_t)s->n_runs, sizeof *r->rows);
	r->val = calloc((size_t)(s->n_runs * s->n_metrics) + 1, sizeof *r->val);
	if (!start || !r->rows || !r->val)
		oom();
	for (int k = 0; k < size; k++) {
		start[k] = all + off;
		off += lens[k];
	}
	/* Rank k's text holds its runs k, k + size, ... in order. */
	for (long run = 0; run < s->n_runs; run++) {
		int k = (int)(run % size);
		char *nl = start[k] && *start[k] ? strchr(start[k], '\n') : NULL;
		char *f;
		int col = 0;

		if (!nl) {
			fprintf(stderr, "segsim: error: sweep: no result row for run %04ld\n", run);
			free(start);
			return -1;
		}
		*nl = '\0';
		r->rows[run] = start[k];
		start[k] = nl + 1;
		/* metric columns follow run, the params, seed and status */
		f = r->rows[run];
		for (int m = 0; m < s->n_metrics; m++)
			r->val[run * s->n_metrics + m] = NAN;
		while (f) {
			char *tab = strchr(f, '\t');
			int m = col - (s->sw->n_params + 3);
			double v;

			if (m >= 0 && m < s->n_metrics) {
				char save = tab ? *tab : '\0';

				if (tab)
					*tab = '\0';
				if (number(f, &v))
					r->val[run * s->n_metrics + m] = v;
				if (tab)
					*tab = save;
			}
			f = tab ? tab + 1 : NULL;
			col++;
		}
	}
	free(start);
	return 0;
}

static void fmt_num(struct buf *b, double v)
{
	if (isnan(v))
		buf_addf(b, "-");
	else
		buf_addf(b, "%.10g", v);
}

/* Mean and CI of metric m over the seeds of point p (NaN values left out). */
static size_t point_stats(const struct sweep *s, const struct results *r, long p, int m,
			  double *mean, double *ci95)
{
	double *x = malloc((size_t)s->sw->n_seeds * sizeof *x);
	size_t n = 0;

	if (!x)
		oom();
	for (int i = 0; i < s->sw->n_seeds; i++) {
		double v = r->val[(p * s->sw->n_seeds + i) * s->n_metrics + m];

		if (!isnan(v))
			x[n++] = v;
	}
	sweep_stats(x, n, mean, ci95);
	free(x);
	return n;
}

static int write_tables(const struct sweep *s, const struct results *r)
{
	struct buf b = { 0 };
	char path[SWEEP_FILE_PATH];
	int rc;

	buf_addf(&b, "# run");
	for (int k = 0; k < s->sw->n_params; k++)
		buf_addf(&b, " %s", s->sw->params[k].key);
	buf_addf(&b, " seed status");
	for (int m = 0; m < s->n_metrics; m++)
		buf_addf(&b, " %s", s->metrics[m]);
	buf_addf(&b, "\n");
	for (long run = 0; run < s->n_runs; run++)
		buf_addf(&b, "%s\n", r->rows[run]);
	snprintf(path, sizeof path, "%s/sweep.tsv", s->dir);
	rc = write_file(path, b.s, b.len);

	b.len = 0;
	buf_addf(&b, "#");
	for (int k = 0; k < s->sw->n_params; k++)
		buf_addf(&b, " %s", s->sw->params[k].key);
	for (int m = 0; m < s->n_metrics; m++)
		buf_addf(&b, " %s.n %s.mean %s.ci95", s->metrics[m], s->metrics[m],
			 s->metrics[m]);
	buf_addf(&b, "\n");
	for (long p = 0; p < s->n_points; p++) {
		int ix[64], seed_ix;

		sweep_grid_point(p * s->sw->n_seeds, s->n_values, s->sw->n_params,
				 s->sw->n_seeds, ix, &seed_ix);
		for (int k = 0; k < s->sw->n_params; k++) {
			buf_addf(&b, "%s", k ? "\t" : "");
			buf_field(&b, s->sw->params[k].values[ix[k]]);
		}
		for (int m = 0; m < s->n_metrics; m++) {
			double mean, ci;
			size_t n = point_stats(s, r, p, m, &mean, &ci);

			buf_addf(&b, "%s%zu\t", m || s->sw->n_params ? "\t" : "", n);
			fmt_num(&b, mean);
			buf_addf(&b, "\t");
			fmt_num(&b, ci);
		}
		buf_addf(&b, "\n");
	}
	snprintf(path, sizeof path, "%s/sweep-summary.tsv", s->dir);
	if (write_file(path, b.s, b.len) < 0)
		rc = -1;
	free(b.s);
	return rc;
}

/* ---- the plot ----------------------------------------------------------- */

/* A gnuplot single-quoted string: ' doubled, control characters dropped. */
static void gp_str(struct buf *b, const char *name, const char *v)
{
	buf_addf(b, "%s='", name);
	for (; *v; v++) {
		if (*v == '\'')
			buf_addf(b, "''");
		else if ((unsigned char)*v >= 0x20)
			buf_addf(b, "%c", *v);
	}
	buf_addf(b, "'; ");
}

static int find(char *const *list, int n, const char *s)
{
	for (int i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return i;
	return -1;
}

/* Run gnuplot on sweep.gp; the image is written under a temporary name
 * and renamed when gnuplot succeeded. */
static int gnuplot(const struct sweep *s, const char *vars, const char *out)
{
	char scripts[SWEEP_PATH], script[SWEEP_PATH + 16], tmp[SWEEP_FILE_PATH + 8];
	char *argv[] = { "gnuplot", "-e", (char *)vars, script, NULL };
	posix_spawn_file_actions_t fa;
	struct buf v = { 0 };
	struct stat st;
	pid_t pid;
	int rc, status;

	if (!plot_script_dir(s->argv0, scripts, sizeof scripts)) {
		fprintf(stderr, "segsim: error: plot scripts (style.gp, sweep.gp) not "
			"found; set SEGSIM_PLOTS to the directory holding them\n");
		return -1;
	}
	snprintf(script, sizeof script, "%s/sweep.gp", scripts);
	snprintf(tmp, sizeof tmp, "%s.part", out);
	buf_addf(&v, "%s", vars);
	gp_str(&v, "plotdir", scripts);
	gp_str(&v, "outfile", tmp);
	argv[2] = v.s;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, 2, 1);
	rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (rc != 0) {
		fprintf(stderr, "segsim: error: cannot run gnuplot: %s%s\n", strerror(rc),
			rc == ENOENT ? " (install it with: apt-get install gnuplot-nox)" : "");
		free(v.s);
		return -1;
	}
	free(v.s);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return -1;
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0 || stat(tmp, &st) < 0 ||
	    st.st_size == 0) {
		fprintf(stderr, "segsim: error: gnuplot failed on %s\n", script);
		unlink(tmp);
		return -1;
	}
	if (rename(tmp, out) < 0) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", out, strerror(errno));
		return -1;
	}
	return 1;
}

/* DIR/sweep-plot.tsv: one block per line (a combination of the params other
 * than x, in grid order), one row per x value: position, mean, ci95, n,
 * label.  Then gnuplot draws DIR/sweep.FMT.  1 plot written, 0 nothing to
 * plot, -1 error. */
static int write_plot(const struct sweep *s, const struct results *r)
{
	const struct scn_sweep *sw = s->sw;
	const struct scn_sweep_param *xp;
	struct buf data = { 0 }, vars = { 0 }, title = { 0 };
	char path[SWEEP_FILE_PATH], out[SWEEP_FILE_PATH], name[32];
	int px = 0, my = 0, nx, n_lines, points, rc;
	bool numeric = true, xlog;
	double xmin = INFINITY, xmax = -INFINITY, v, prev = 0;

	if (!sw->plot || sw->n_params == 0 || s->n_metrics == 0)
		return 0;
	if (sw->plot_x[0])
		for (int k = 0; k < sw->n_params; k++)
			if (!strcmp(sw->params[k].key, sw->plot_x))
				px = k;
	if (sw->plot_y[0] && (my = find(s->metrics, s->n_metrics, sw->plot_y)) < 0) {
		fprintf(stderr, "segsim: sweep: plot y '%s' is not among the metrics; "
			"plotting %s\n", sw->plot_y, s->metrics[0]);
		my = 0;
	}
	xp = &sw->params[px];
	nx = xp->n_values;
	n_lines = (int)(s->n_points / nx);
	for (int i = 0; i < nx; i++) {
		if (!number(xp->values[i], &v))
			numeric = false;
		else
			xmin = fmin(xmin, v), xmax = fmax(xmax, v);
	}
	/* A logarithmic x axis for positive values that grow geometrically
	 * (each at least 1.4 times the one before: 5, 10, 20, 40), spanning a
	 * factor of 8 or more; a linear one otherwise. */
	xlog = numeric && xmin > 0 && xmax / xmin >= 8;
	for (int i = 0; i < nx && xlog; i++) {
		number(xp->values[i], &v);
		xlog = i == 0 || v >= 1.4 * prev;
		prev = v;
	}
	buf_addf(&data, "# x mean ci95 n label\n");
	points = 0;
	for (int line = 0; line < n_lines; line++) {
		int ix[64], rest = line;
		/* Lines side by side, 1.5% of the x range (or of one category)
		 * apart, so their error bars do not hide each other. */
		double frac = (line - (n_lines - 1) / 2.0) * 0.015;
		double width = numeric && xmax > xmin ? xmax - xmin : 1;

		for (int k = sw->n_params - 1; k >= 0; k--) {
			if (k == px)
				continue;
			ix[k] = rest % s->n_values[k];
			rest /= s->n_values[k];
		}
		title.len = 0;
		buf_addf(&title, "%s", "");
		for (int k = 0; k < sw->n_params; k++)
			if (k != px)
				buf_addf(&title, "%s%s=%s", title.len ? ", " : "",
					 sw->params[k].key, sw->params[k].values[ix[k]]);
		snprintf(name, sizeof name, "title%d", line + 1);
		gp_str(&vars, name, title.len ? title.s : s->metrics[my]);
		if (line)
			buf_addf(&data, "\n\n");
		for (int i = 0; i < nx; i++) {
			long p = 0;
			double mean, ci;
			size_t n;

			ix[px] = i;
			for (int k = 0; k < sw->n_params; k++)
				p = p * s->n_values[k] + ix[k];
			n = point_stats(s, r, p, my, &mean, &ci);
			if (n == 0)
				continue;
			if (!numeric)
				v = i + frac;
			else if (number(xp->values[i], &v) && xlog)
				v *= pow(xmax / xmin, frac);
			else
				v += frac * width;
			buf_addf(&data, "%.10g\t%.10g\t%.10g\t%zu\t", v, mean,
				 n > 1 ? ci : 0.0, n);
			points++;
			buf_field(&data, xp->values[i]);
			buf_addf(&data, "\n");
		}
	}
	snprintf(path, sizeof path, "%s/sweep-plot.tsv", s->dir);
	if (write_file(path, data.s, data.len) < 0) {
		rc = -1;
		goto out;
	}
	if (points == 0) {
		fprintf(stderr, "segsim: sweep: no plot: %s has no numeric value in any "
			"run\n", s->metrics[my]);
		rc = 0;
		goto out;
	}
	gp_str(&vars, "datafile", path);
	buf_addf(&vars, "n=%d; nx=%d; xnumeric=%d; xlog=%d; nseeds=%d; ", n_lines, nx,
		 numeric, xlog, sw->n_seeds);
	gp_str(&vars, "xlabel", xp->key);
	gp_str(&vars, "ylabel", s->metrics[my]);
	gp_str(&vars, "name", s->sc.name);
	gp_str(&vars, "fmt", s->sc.plot_format);
	title.len = 0;
	buf_addf(&title, "(");
	for (int i = 0; i < nx; i++) {
		buf_addf(&title, "%s\"", i ? ", " : "");
		for (const char *c = xp->values[i]; *c; c++)
			buf_addf(&title, "%c", *c == '"' || *c == '\\' ? '\'' : *c);
		buf_addf(&title, "\" %s", numeric ? xp->values[i] : "");
		if (!numeric)
			buf_addf(&title, "%d", i);
	}
	buf_addf(&title, ")");
	gp_str(&vars, "xticsdef", title.s);
	snprintf(out, sizeof out, "%s/sweep.%s", s->dir, s->sc.plot_format);
	rc = gnuplot(s, vars.s, out);
out:
	free(data.s);
	free(vars.s);
	free(title.s);
	return rc;
}

/* ---- the command -------------------------------------------------------- */

static int online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (int)n : 1;
}

/* Everything before the runs: options, scenario, grid.  0, or 2 for bad
 * input, 1 for a failure of the machine. */
static int sweep_prepare(struct sweep *s, int argc, char **argv)
{
	struct scn_error err;
	bool say = s->par.rank == 0;
	ssize_t n;
	size_t len;
	char *text;

	if (parse_args(argc, argv, &s->o) < 0) {
		if (say)
			fputs(sweep_usage, stderr);
		return 2;
	}
	if (scn_load_file(s->o.file, s->o.sets, s->o.n_sets, &s->sc, &err) < 0) {
		if (say)
			fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	s->sw = &s->sc.sweep;
	if (choose_metrics(s) < 0)
		return 2;
	if (!(text = read_file(s->o.file, &len)))
		return 1;
	s->file_hash = fnv1a(text, len);
	free(text);

	if (!(s->n_values = calloc((size_t)s->sw->n_params + 1, sizeof *s->n_values)))
		oom();
	s->n_points = 1;
	for (int k = 0; k < s->sw->n_params; k++)
		s->n_points *= (s->n_values[k] = s->sw->params[k].n_values);
	s->n_runs = s->n_points * s->sw->n_seeds;
	if (!(s->ok = calloc((size_t)s->n_runs, 1)))
		oom();

	if (s->o.outdir)
		snprintf(s->dir, sizeof s->dir, "%s", s->o.outdir);
	else
		snprintf(s->dir, sizeof s->dir, "out/%s-sweep", s->sc.name);
	n = readlink("/proc/self/exe", s->exe, sizeof s->exe - 1);
	if (n > 0)
		s->exe[n] = '\0';
	else
		snprintf(s->exe, sizeof s->exe, "%s", s->argv0);
	return 0;
}

int sweep_main(int argc, char **argv, const char *argv0)
{
	struct sweep s = { .argv0 = argv0 };
	struct results res = { 0 };
	struct buf rows = { 0 };
	char runs[SWEEP_PATH + 8], *all = NULL;
	size_t *lens = NULL;
	bool *warned = NULL;
	double t0 = wall_now();
	int rc, jobs, plotted = 0;

	if (sweep_par_init(&s.par) < 0) {
		fputs("segsim: error: sweep: cannot start MPI\n", stderr);
		return 1;
	}
	rc = sweep_prepare(&s, argc, argv);
	if (s.par.size > 1) {   /* all ranks go on, or none */
		long bad = rc != 0;

		sweep_par_sum(&s.par, &bad, 1);
		if (bad && rc == 0 && s.par.rank == 0)
			fprintf(stderr, "segsim: error: sweep: %ld of %d processes could not "
				"start (is %s on every machine?)\n", bad, s.par.size, s.o.file);
		rc = sweep_par_bcast(&s.par, bad ? (rc ? rc : 2) : 0);
	}
	if (rc != 0)
		goto out;
	snprintf(runs, sizeof runs, "%s/runs", s.dir);
	if (mkdir_p(runs) < 0) {
		fprintf(stderr, "segsim: error: cannot create %s: %s\n", runs, strerror(errno));
		rc = 1;         /* the runs of this rank will fail below */
	}
	jobs = s.o.jobs ? s.o.jobs : online_cpus() / (s.par.local_size > 0 ? s.par.local_size : 1);
	run_share(&s, jobs < 1 ? 1 : jobs);

	if (!(warned = calloc((size_t)s.n_metrics, sizeof *warned)))
		oom();
	buf_addf(&rows, "%s", "");
	for (long run = s.par.rank; run < s.n_runs; run += s.par.size)
		row_text(&s, run, &rows, warned);
	if (!(lens = calloc((size_t)s.par.size, sizeof *lens)))
		oom();
	if (sweep_par_gather(&s.par, rows.s, rows.len, &all, lens) < 0)
		rc = 1;
	sweep_par_sum(&s.par, s.counts, 4);
	if (s.par.rank == 0 && rc == 0) {
		if (results_parse(&s, all, lens, &res) < 0 || write_tables(&s, &res) < 0)
			rc = 1;
		else if ((plotted = write_plot(&s, &res)) < 0)
			rc = 1;
		if (rc == 0 && (s.counts[C_FAILED] || s.counts[C_MISSING]))
			rc = 1;
		if (!s.o.quiet) {
			printf("sweep: %ld runs (%ld point%s x %d seed%s): %ld run, %ld "
			       "already done, %ld failed; %.2f s with -j %d", s.n_runs,
			       s.n_points, s.n_points == 1 ? "" : "s", s.sw->n_seeds,
			       s.sw->n_seeds == 1 ? "" : "s", s.counts[C_RAN], s.counts[C_SKIPPED],
			       s.counts[C_FAILED], wall_now() - t0, jobs);
			if (s.par.size > 1)
				printf(" on each of %d processes", s.par.size);
			printf("\nresults: %s/sweep.tsv, %s/sweep-summary.tsv", s.dir, s.dir);
			if (plotted > 0)
				printf(", %s/sweep.%s", s.dir, s.sc.plot_format);
			printf("\n");
		}
	}
	rc = sweep_par_bcast(&s.par, rc);
out:
	sweep_par_finish(&s.par);
	free(res.rows);
	free(res.val);
	free(rows.s);
	free(all);
	free(lens);
	free(warned);
	for (int i = 0; i < s.n_metrics; i++)
		free(s.metrics[i]);
	free(s.metrics);
	free(s.n_values);
	free(s.ok);
	free(s.o.sets);
	scn_free(&s.sc);
	return rc;
}
