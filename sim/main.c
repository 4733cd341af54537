/*
 * main.c - the segsim command line (contract: DESIGN.md "CLI").
 *
 *   segsim run FILE.yaml [-o DIR] [--seed N] [--set KEY=VALUE]... [--plot] [-q]
 *              [--live] [--live-vars LIST] [--realtime X]
 *   segsim run FILE.yaml ... --expect DIR [--tolerance SPEC] [--columns LIST] [--align D]
 *   segsim check FILE.yaml [--set KEY=VALUE]...
 *   segsim plot DIR [DIR2...] [--format png|svg|pdf] [--flows A,B,...] [-o OUTDIR]
 *   segsim compare EXPECTED_DIR ACTUAL_DIR [--tolerance SPEC] [--columns LIST]
 *                  [--align DURATION] [-q]
 *   segsim sweep FILE.yaml [-j N] [-o DIR] [--set KEY=VALUE]... [--metrics LIST] [-q]
 *   segsim --help | --version
 *
 * Exit status: 0 success, 1 failure while running, 2 bad input or usage.
 */
#include <dirent.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include "build.h"
#include "compare.h"
#include "live.h"
#include "plot.h"
#include "scenario.h"
#include "sweep.h"

#define SEGSIM_VERSION "0.1.0"

static const char usage_main[] =
	"usage: segsim run FILE.yaml [-o DIR] [--seed N] [--set KEY=VALUE]... [--plot] [-q]\n"
	"                  [--live] [--live-vars LIST] [--realtime X]\n"
	"       segsim run FILE.yaml ... --expect DIR [--tolerance SPEC] [--columns LIST]\n"
	"                      [--align DURATION]\n"
	"       segsim check FILE.yaml [--set KEY=VALUE]...\n"
	"       segsim plot DIR [DIR2...] [--format png|svg|pdf] [--flows A,B,...] [-o OUTDIR]\n"
	"       segsim compare EXPECTED_DIR ACTUAL_DIR [--tolerance SPEC] [--columns LIST]\n"
	"                      [--align DURATION] [-q]\n"
	"       segsim sweep FILE.yaml [-j N] [-o DIR] [--set KEY=VALUE]... [--metrics LIST] [-q]\n"
	"       segsim --help | --version\n";

/* Help, one section per command: `segsim --help` prints them all,
 * `segsim CMD --help` its own. */
static const char help_head[] =
	"segsim - a discrete-event network simulator for transport protocols\n\n"
	"Commands:\n";
static const char help_run[] =
	"  run FILE.yaml    run a scenario; writes summary.json and the traces it asks for\n"
	"      -o DIR           output directory (default out/<scenario name>/)\n"
	"      --seed N         override the scenario's seed\n"
	"      --set KEY=VALUE  override any scenario key, e.g. --set links.0.delay=5ms,\n"
	"                       --set flows.u1.app.rate=5Mbps (repeatable)\n"
	"      --plot           render the scenario's plots into DIR/plots/\n"
	"      -q               quiet: no table on stdout, no progress line\n"
	"      --live           show the TCP flows' cwnd while the run goes on (a gnuplot\n"
	"                       window with $DISPLAY, else text frames on stdout)\n"
	"      --live-vars LIST what --live shows, of cwnd,ssthresh,inflight,rwnd,srtt,\n"
	"                       rttvar,rto (implies --live)\n"
	"      --realtime X     pace simulated time at X times the wall clock\n"
	"      --expect DIR     then compare DIR (expected) with the output directory,\n"
	"                       as compare does; exit 1 if they differ.  Takes compare's\n"
	"                       --tolerance, --columns and --align\n";
static const char help_check[] =
	"  check FILE.yaml  parse and validate only (errors as FILE:LINE:COL: error: ...)\n";
static const char help_plot[] =
	"  plot DIR         render plots from an output directory into DIR/plots/\n"
	"  plot DIR DIR2... overlay the runs in one figure per plot, labelled by\n"
	"                   directory, into DIR/plots/overlay-*\n"
	"      --format F       png (default), svg or pdf\n"
	"      --flows A,B      plot only these flows\n"
	"      -o OUTDIR        write the plots to OUTDIR/ instead\n";
static const char help_compare[] =
	"  compare EXPECTED_DIR ACTUAL_DIR\n"
	"                   compare two output directories file by file (run.log and\n"
	"                   plots/ skipped); report the first difference of each file\n"
	"                   (TSV: line, time, column, both values; JSON: key path) and\n"
	"                   the largest deviation per column; exact by default\n"
	"      --tolerance SPEC\n"
	"                       numeric tolerances per column or JSON key, absolute or\n"
	"                       relative: cwnd=5%,srtt=0.001,*=1e-9 (* = any other)\n"
	"      --columns LIST   compare only these TSV columns: time,cwnd,ssthresh\n"
	"      --align DURATION\n"
	"                       times (first column) may differ by this much: 1ms\n"
	"      -q               print the differences only\n"
	"                   exit 0 equal, 1 different, 2 bad input\n";
static const char help_sweep[] =
	"  sweep FILE.yaml  run the scenario over its sweep: section (params x seeds),\n"
	"                   each run a child process; writes DIR/sweep.tsv,\n"
	"                   DIR/sweep-summary.tsv (mean, 95% CI) and DIR/sweep.png\n"
	"      -j N             runs at a time (default: online CPUs)\n"
	"      -o DIR           output directory (default out/<scenario name>-sweep/)\n"
	"      --set KEY=VALUE  override a key in every run (repeatable)\n"
	"      --metrics LIST   comma-separated paths into summary.json,\n"
	"                       e.g. flows.f1.goodput_bps,queues.r1-r2.dropped\n"
	"      -q               quiet: no closing report on stdout\n"
	"      under MPI (make MPI=1): mpirun -np K segsim sweep ... splits the runs\n";
static const char help_tail[] =
	"Exit status: 0 success, 1 failure while running, 2 bad input or usage.\n"
	"The scenario reference is docs/scenario.md; see also README.md.\n";;

static const struct {
	const char *cmd;
	const char *help;
} cmd_help[] = {
	{ "run", help_run }, { "check", help_check }, { "plot", help_plot },
	{ "compare", help_compare }, { "sweep", help_sweep },
};

static int usage_error(const char *msg)
{
	if (msg)
		fprintf(stderr, "segsim: error: %s\n", msg);
	fputs(usage_main, stderr);
	return 2;
}

struct run_opts {
	const char *file;
	const char *outdir;
	bool has_seed;
	uint64_t seed;
	struct scn_set *sets;
	int n_sets;
	bool plot, quiet;
	struct cmp_opts cmp;    /* --expect DIR and compare's options */
	struct live_opts live;
};

static int parse_set(struct run_opts *o, char *arg)
{
	char *eq = strchr(arg, '=');
	struct scn_set *n;

	if (!eq || eq == arg) {
		fprintf(stderr, "segsim: error: --set expects KEY=VALUE, got '%s'\n", arg);
		return -1;
	}
	*eq = '\0';
	n = realloc(o->sets, (size_t)(o->n_sets + 1) * sizeof *n);
	if (!n)
		return -1;
	o->sets = n;
	o->sets[o->n_sets++] = (struct scn_set){ .key = arg, .value = eq + 1 };
	return 0;
}

static int parse_run_args(int argc, char **argv, struct run_opts *o, bool check)
{
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i];
		int r;

		if (!check && strcmp(a, "-o") == 0 && i + 1 < argc) {
			o->outdir = argv[++i];
		} else if (!check && strcmp(a, "--seed") == 0 && i + 1 < argc) {
			char *end;

			errno = 0;
			o->seed = strtoull(argv[++i], &end, 10);
			if (errno || *end || argv[i][0] == '-' || !argv[i][0]) {
				fprintf(stderr, "segsim: error: --seed expects a non-negative integer\n");
				return -1;
			}
			o->has_seed = true;
		} else if (strcmp(a, "--set") == 0 && i + 1 < argc) {
			if (parse_set(o, argv[++i]) < 0)
				return -1;
		} else if (strncmp(a, "--set=", 6) == 0) {
			if (parse_set(o, argv[i] + 6) < 0)
				return -1;
		} else if (!check && strcmp(a, "--plot") == 0) {
			o->plot = true;
		} else if (!check && strcmp(a, "-q") == 0) {
			o->quiet = true;
		} else if (!check && strcmp(a, "--expect") == 0 && i + 1 < argc) {
			o->cmp.expected = argv[++i];
		} else if (!check && (r = cmp_parse_opt(&o->cmp, argc, argv, &i)) != 0) {
			if (r < 0)
				return -1;
		} else if (!check && strcmp(a, "--live") == 0) {
			o->live.show = true;
		} else if (!check && strcmp(a, "--live-vars") == 0 && i + 1 < argc) {
			if (live_parse_vars(argv[++i], &o->live.vars) < 0)
				return -1;
			o->live.show = true;
		} else if (!check && strcmp(a, "--realtime") == 0 && i + 1 < argc) {
			char *end;

			o->live.realtime = strtod(argv[++i], &end);
			if (*end || !(o->live.realtime > 0 && o->live.realtime < 1e9)) {
				fprintf(stderr, "segsim: error: --realtime expects a speed-up "
					"factor > 0, such as 1 or 0.5\n");
				return -1;
			}
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

static double wall_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int mkdir_p(const char *dir)
{
	char buf[4096];

	snprintf(buf, sizeof buf, "%s", dir);
	for (char *p = buf + 1; *p; p++)
		if (*p == '/') {
			*p = '\0';
			if (mkdir(buf, 0777) < 0 && errno != EEXIST)
				return -1;
			*p = '/';
		}
	return mkdir(buf, 0777) < 0 && errno != EEXIST ? -1 : 0;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), k = strlen(suffix);

	return n > k && strcmp(s + n - k, suffix) == 0;
}

/* Remove the outputs an earlier run may have left (only our own files), so
 * the directory reflects this run's trace settings alone. */
static void clean_outputs(const char *dir)
{
	static const char *const files[] = { "summary.json", "packets.tsv", "run.log" };
	static const char *const subdirs[] = { "queues", "udp", "flows", "pcap" };
	char path[8192];

	for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		unlink(path);
	}
	for (size_t i = 0; i < sizeof subdirs / sizeof *subdirs; i++) {
		char sub[4096];
		struct dirent *e;
		DIR *d;

		if (snprintf(sub, sizeof sub, "%s/%s", dir, subdirs[i]) >= (int)sizeof sub ||
		    !(d = opendir(sub)))
			continue;
		while ((e = readdir(d)))
			if ((ends_with(e->d_name, ".tsv") || ends_with(e->d_name, ".pcap")) &&
			    snprintf(path, sizeof path, "%s/%s", sub, e->d_name) < (int)sizeof path)
				unlink(path);
		closedir(d);
	}
}

/* Run in slices of simulated time so a progress line can be drawn (and the
 * live view and the pacing do their part after each). */
static void run_with_progress(struct sim *s, bool show, struct live *lv)
{
	double t0 = wall_now(), last = t0;
	sim_time_t end = s->stop_time;
	bool drawn = false;

	if (!show && !lv) {
		sim_run(s, end);
		return;
	}
	while (s->now < end && s->eq.len > 0) {
		sim_time_t slice = live_slice(lv, end / 1000 > 0 ? end / 1000 : 1);
		sim_time_t until = s->now + slice < end ? s->now + slice : end;
		double w;

		sim_run(s, until);
		live_tick(lv);
		w = wall_now();
		if (!show)
			continue;
		if (w - t0 > 1.0 && w - last > 0.2) {
			fprintf(stderr, "\rsegsim: %5.1f%%  simulated %.3f s  %.1f M events/s  ",
				100.0 * (double)s->now / (double)end, sim_sec(s->now),
				(double)s->events_run / (w - t0) / 1e6);
			last = w;
			drawn = true;
		}
	}
	sim_run(s, end);
	if (drawn)
		fputs("\r\033[K", stderr);
}

static int cmd_run(int argc, char **argv, const char *argv0)
{
	struct run_opts o = { 0 };
	struct scenario sc;
	struct scn_error err;
	struct run r;
	char outdir[4096], path[4200];
	double t0, wall;
	struct rusage ru;
	struct live *lv;
	int rc = 0;

	if (parse_run_args(argc, argv, &o, false) < 0) {
		free(o.sets);
		return usage_error(NULL);
	}
	if (!o.cmp.expected && (o.cmp.n_tol || o.cmp.n_cols || o.cmp.has_align)) {
		free(o.sets);
		return usage_error("--tolerance, --columns and --align go with --expect DIR");
	}
	if (o.cmp.expected && cmp_check_dir("expected", o.cmp.expected) < 0) {
		free(o.sets);
		return 2;
	}
	if (scn_load_file(o.file, o.sets, o.n_sets, &sc, &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		free(o.sets);
		return 2;
	}
	free(o.sets);
	if (o.has_seed)
		sc.seed = o.seed;
	if (o.outdir)
		snprintf(outdir, sizeof outdir, "%s", o.outdir);
	else
		snprintf(outdir, sizeof outdir, "out/%s", sc.name);
	if (mkdir_p(outdir) < 0) {
		fprintf(stderr, "segsim: error: cannot create %s: %s\n", outdir, strerror(errno));
		scn_free(&sc);
		return 1;
	}
	/* the run would overwrite the files it is to be checked against */
	if (o.cmp.expected && cmp_same_dir(o.cmp.expected, outdir)) {
		fprintf(stderr, "segsim: error: --expect %s is the output directory; give -o "
			"another one\n", o.cmp.expected);
		scn_free(&sc);
		return 2;
	}
	clean_outputs(outdir);
	if (build_run(&r, &sc, outdir) < 0) {
		scn_free(&sc);
		return 1;
	}
	snprintf(path, sizeof path, "%s/run.log", outdir);
	r.log = fopen(path, "w");

	t0 = wall_now();
	lv = live_open(&r, &o.live);
	/* (The progress line would write over a live view on the terminal.) */
	run_with_progress(&r.sim, !o.quiet && isatty(2) && !o.live.show, lv);
	live_close(lv);
	wall = wall_now() - t0;

	if (run_finish(&r, o.quiet ? NULL : stdout) < 0)
		rc = 1;
	getrusage(RUSAGE_SELF, &ru);
	if (r.log)
		fprintf(r.log, "\nwall_s %.3f\nevents_per_s %.0f\npeak_rss_kb %ld\npackets_peak %" PRIu64 "\n",
			wall, wall > 0 ? (double)r.sim.events_run / wall : 0.0, ru.ru_maxrss,
			r.sim.pool.peak);
	if (!o.quiet)
		printf("\noutput: %s/  (wall %.2f s, %.1f M events/s)\n", outdir, wall,
		       wall > 0 ? (double)r.sim.events_run / wall / 1e6 : 0.0);
	run_free(&r);
	if (rc == 0 && o.plot) {
		int n = plot_dir(outdir, sc.plots, sc.plot_format, argv0);

		if (n < 0)
			rc = 1;
		else if (!o.quiet)
			printf("plots: %d written to %s/plots/\n", n, outdir);
	}
	if (rc == 0 && o.cmp.expected) {
		o.cmp.actual = outdir;
		o.cmp.quiet = o.quiet;
		rc = cmp_dirs(&o.cmp, stdout);
	}
	scn_free(&sc);
	return rc;
}

static int cmd_check(int argc, char **argv)
{
	struct run_opts o = { 0 };
	struct scenario sc;
	struct scn_error err;
	int rc;

	if (parse_run_args(argc, argv, &o, true) < 0) {
		free(o.sets);
		return usage_error(NULL);
	}
	rc = scn_load_file(o.file, o.sets, o.n_sets, &sc, &err);
	free(o.sets);
	if (rc < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 2;
	}
	printf("%s: ok: %d nodes, %d links, %d flows, %d events, %.3f s\n", o.file,
	       sc.n_nodes, sc.n_links, sc.n_flows, sc.n_events, sim_sec(sc.duration));
	scn_free(&sc);
	return 0;
}

/* "a,b,c" into names (pointing into list, which is cut); -1 on an empty
 * name. */
static int split_flows(char *list, const char **names, size_t *n)
{
	for (char *p = list;; ) {
		char *comma = strchr(p, ',');

		if (comma)
			*comma = '\0';
		if (!*p)
			return -1;
		names[(*n)++] = p;
		if (!comma)
			return 0;
		p = comma + 1;
	}
}

static int cmd_plot(int argc, char **argv, const char *argv0)
{
	const char *fmt = "png", **dirs, **flows = NULL;
	struct plot_opts po = { 0 };
	size_t n_dirs = 0;
	int n, rc = 0;

	if (!(dirs = calloc((size_t)argc + 1, sizeof *dirs)))
		return 1;
	for (int i = 0; i < argc && rc == 0; i++) {
		char *list = NULL;

		if (strcmp(argv[i], "--format") == 0 && i + 1 < argc)
			fmt = argv[++i];
		else if (strncmp(argv[i], "--format=", 9) == 0)
			fmt = argv[i] + 9;
		else if (strcmp(argv[i], "--flows") == 0 && i + 1 < argc)
			list = argv[++i];
		else if (strncmp(argv[i], "--flows=", 8) == 0)
			list = argv[i] + 8;
		else if (strcmp(argv[i], "-o") == 0 && i + 1 < argc)
			po.outdir = argv[++i];
		else if (argv[i][0] == '-')
			rc = usage_error("unknown or incomplete option to plot");
		else
			dirs[n_dirs++] = argv[i];
		if (list) {
			/* At most one name per character: room enough. */
			const char **grown = realloc(flows, (po.n_flows + strlen(list) + 1) *
							    sizeof *flows);

			if (!grown) {
				rc = 1;
				break;
			}
			flows = grown;
			if (split_flows(list, flows, &po.n_flows) < 0) {
				fprintf(stderr, "segsim: error: --flows expects NAME[,NAME...]\n");
				rc = 2;
			}
		}
	}
	if (rc == 0 && n_dirs == 0)
		rc = usage_error("plot needs an output directory");
	if (rc == 0 && strcmp(fmt, "png") && strcmp(fmt, "svg") && strcmp(fmt, "pdf")) {
		fprintf(stderr, "segsim: error: --format must be png, svg or pdf, not '%s'\n", fmt);
		rc = 2;
	}
	if (rc != 0) {
		free(dirs);
		free(flows);
		return rc;
	}
	po.format = fmt;
	po.flows = flows;
	for (size_t f = 0; f < po.n_flows; f++) {
		size_t d = 0;

		while (d < n_dirs && !plot_dir_has_flow(dirs[d], flows[f]))
			d++;
		if (d == n_dirs)
			fprintf(stderr, "segsim: warning: --flows: no flow '%s' in %s\n", flows[f],
				n_dirs > 1 ? "any of the directories" : dirs[0]);
	}
	if (n_dirs == 1) {
		n = plot_dir_opts(dirs[0], PLOT_ALL, &po, argv0);
		if (n >= 0 && po.outdir)
			printf("plots: %d written to %s/\n", n, po.outdir);
		else if (n >= 0)
			printf("plots: %d written to %s/plots/\n", n, dirs[0]);
	} else {
		n = plot_overlay(dirs, n_dirs, PLOT_ALL, &po, argv0);
		if (n >= 0)
			printf("plots: %d overlays of %zu runs written to %s%s/\n", n, n_dirs,
			       po.outdir ? po.outdir : dirs[0], po.outdir ? "" : "/plots");
	}
	free(dirs);
	free(flows);
	return n < 0 ? 1 : 0;
}

int main(int argc, char **argv)
{
	if (argc < 2)
		return usage_error(NULL);
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_main, stdout);
		fputs("\n", stdout);
		fputs(help_head, stdout);
		for (size_t k = 0; k < sizeof cmd_help / sizeof cmd_help[0]; k++) {
			fputs(cmd_help[k].help, stdout);
			fputs("\n", stdout);
		}
		fputs(help_tail, stdout);
		return 0;
	}
	/* segsim CMD --help: that command's section */
	if (argc == 3 && (strcmp(argv[2], "--help") == 0 || strcmp(argv[2], "-h") == 0))
		for (size_t k = 0; k < sizeof cmd_help / sizeof cmd_help[0]; k++)
			if (strcmp(argv[1], cmd_help[k].cmd) == 0) {
				printf("segsim %s - see also `segsim --help` and man segsim\n\n",
				       cmd_help[k].cmd);
				fputs(cmd_help[k].help, stdout);
				fputs("\n", stdout);
				fputs(help_tail, stdout);
				return 0;
			}
	if (strcmp(argv[1], "--version") == 0) {
		printf("segsim %s\n", SEGSIM_VERSION);
		return 0;
	}
	if (strcmp(argv[1], "run") == 0)
		return cmd_run(argc - 2, argv + 2, argv[0]);
	if (strcmp(argv[1], "check") == 0)
		return cmd_check(argc - 2, argv + 2);
	if (strcmp(argv[1], "plot") == 0)
		return cmd_plot(argc - 2, argv + 2, argv[0]);
	if (strcmp(argv[1], "compare") == 0)
		return cmd_compare(argc - 2, argv + 2);
	if (strcmp(argv[1], "sweep") == 0)
		return sweep_main(argc - 2, argv + 2, argv[0]);
	fprintf(stderr, "segsim: error: unknown command '%s'\n", argv[1]);
	return usage_error(NULL);
}
