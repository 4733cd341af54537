/*
 * live.c - the live view and real-time pacing (see live.h).
 *
 * The view samples the chosen variables of every TCP flow's client end
 * after each slice of the run (live_tick()), keeps at most LIVE_MAX_ROWS
 * rows (halving the resolution when full, so memory stays bounded on long
 * runs), and at most every LIVE_FRAME_S of wall-clock time sends gnuplot
 * the whole table as a datablock and a plot command.  gnuplot runs as a
 * child with its standard input a pipe from here, standard output ours
 * (where the dumb terminal's frames go) and standard error /dev/null (an
 * early frame has only undefined values, which gnuplot would warn about).
 * Window variables (cwnd, ssthresh, inflight, rwnd) are drawn in KiB on
 * the left axis, times (srtt, rttvar, rto) in ms on the right one (or the
 * left, when they are alone).
 *
 * Pacing: after each slice, sleep until the wall clock has caught up with
 * start + simulated time / X.  Nothing here feeds back into the run.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "build.h"
#include "live.h"

/* Rows kept; a frame carries all of them. */
#define LIVE_MAX_ROWS 2048
/* Flows drawn at most (dumb has few plot characters, a window few colours). */
#define LIVE_MAX_FLOWS 8
/* Wall-clock seconds between frames: ten per second at most. */
#define LIVE_FRAME_S 0.1
/* Wall-clock seconds per slice under --realtime. */
#define LIVE_PACE_S 0.01

extern char **environ;

/* The first colours of plots/style.gp's palette (Okabe & Ito), per flow. */
static const unsigned live_colour[LIVE_MAX_FLOWS] = {
	0x0072B2, 0xD55E00, 0x009E73, 0xCC79A7, 0xE69F00, 0x56B4E9, 0x882255, 0x999933,
};

static const struct live_var {
	const char *name;
	bool is_time;                   /* ms on the time axis, else KiB */
} live_vars[] = {
	{ "cwnd", false }, { "ssthresh", false }, { "inflight", false }, { "rwnd", false },
	{ "srtt", true }, { "rttvar", true }, { "rto", true },
};
#define LIVE_N_VARS (int)(sizeof live_vars / sizeof live_vars[0])

struct live {
	struct run *r;
	struct sim *s;
	double realtime;
	double w0;                      /* wall clock at the start */

	/* The view; gp NULL: none. */
	FILE *gp;
	pid_t pid;
	bool clear;                     /* redraw in place (dumb, on a terminal) */
	void (*old_pipe)(int);
	bool pipe_ignored;              /* SIGPIPE ignored while gnuplot runs */
	int var[LIVE_N_VARS], nv;       /* the variables drawn, by index */
	bool any_time, any_win;
	int flow[LIVE_MAX_FLOWS], nf;   /* the flows drawn, by index */
	double *rows;                   /* [LIVE_MAX_ROWS][1 + nf * nv] */
	size_t n_rows;
	unsigned long stride, ticks;    /* a row every stride-th tick */
	double last_frame;
	bool dirty;                     /* rows since the last frame */
};

static double live_wall(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int live_parse_vars(const char *list, unsigned *vars)
{
	const char *p = list;

	*vars = 0;
	while (*p) {
		size_t n = strcspn(p, ",");
		int k;

		for (k = 0; k < LIVE_N_VARS; k++)
			if (strlen(live_vars[k].name) == n && strncmp(p, live_vars[k].name, n) == 0)
				break;
		if (k == LIVE_N_VARS) {
			fprintf(stderr, "segsim: error: --live-vars: unknown variable '%.*s' "
				"(cwnd, ssthresh, inflight, rwnd, srtt, rttvar, rto)\n", (int)n, p);
			return -1;
		}
		*vars |= 1u << k;
		p += n;
		if (*p == ',')
			p++;
	}
	if (*vars == 0) {
		fprintf(stderr, "segsim: error: --live-vars expects a list such as "
			"cwnd,ssthresh,srtt\n");
		return -1;
	}
	return 0;
}

/* gnuplot with its standard input a pipe from us; NULL if it cannot run. */
static FILE *live_spawn(pid_t *pid)
{
	char *argv[] = { "gnuplot", NULL };
	posix_spawn_file_actions_t fa;
	int fd[2], rc;
	FILE *f;

	if (pipe(fd) < 0)
		return NULL;
	fflush(stdout);
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, fd[0], 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addclose(&fa, fd[0]);
	posix_spawn_file_actions_addclose(&fa, fd[1]);
	rc = posix_spawnp(pid, "gnuplot", &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	close(fd[0]);
	if (rc != 0 || !(f = fdopen(fd[1], "w"))) {
		close(fd[1]);
		if (rc == 0)
			waitpid(*pid, NULL, 0);
		return NULL;
	}
	return f;
}

/* The terminal: a window when there is a display and gnuplot has one,
 * else dumb text the size of our terminal (80x25 into a pipe). */
static void live_term(struct live *lv)
{
	struct winsize ws;
	int cols = 80, lines = 25;
	const char *d = getenv("DISPLAY");

	if (isatty(1) && ioctl(1, TIOCGWINSZ, &ws) == 0 && ws.ws_col >= 40 && ws.ws_row >= 12) {
		cols = ws.ws_col;
		lines = ws.ws_row - 1;
		lv->clear = true;
	}
	fprintf(lv->gp, "live_dumb = 'set term dumb mono size %d,%d'\n", cols, lines);
	if (d && *d) {
		fputs("live_t = ' ' . GPVAL_TERMINALS . ' '\n"
		      "if (strstrt(live_t, ' qt ') > 0) { set term qt noraise persist "
		      "title 'segsim live' } else { if (strstrt(live_t, ' wxt ') > 0) { set "
		      "term wxt noraise persist title 'segsim live' } else { if (strstrt("
		      "live_t, ' x11 ') > 0) { set term x11 noraise persist title 'segsim "
		      "live' } else { eval live_dumb } } }\n", lv->gp);
	} else {
		fputs("eval live_dumb\n", lv->gp);
	}
	/* print writes to standard output (the screen clearing of dumb). */
	fputs("set print '-'\n", lv->gp);
}

static void live_setup(struct live *lv)
{
	double end = sim_sec(lv->s->stop_time);

	fprintf(lv->gp, "set xlabel 'simulated time (s)'\n"
		"set xrange [0:%.9f]\n"
		"set yrange [0:*]\n"
		"set grid\n"
		/* Text frames have no room to spare: the key inside, over the
		 * lines (opaque), which would write through it. */
		"if (GPVAL_TERM eq 'dumb') { set key top left opaque noautotitle } "
		"else { set key below noautotitle }\n", end > 0 ? end : 1.0);
	if (lv->any_win && lv->any_time) {
		fputs("set ylabel 'window (KiB)'\nset y2label 'time (ms)'\n"
		      "set ytics nomirror\nset y2tics\nset y2range [0:*]\n", lv->gp);
	} else {
		fprintf(lv->gp, "set ylabel '%s'\n", lv->any_win ? "window (KiB)" : "time (ms)");
	}
}

struct live *live_open(struct run *r, const struct live_opts *o)
{
	struct live *lv;
	int n_tcp = 0;

	if (!o->show && o->realtime <= 0)
		return NULL;
	if (!(lv = calloc(1, sizeof *lv)))
		return NULL;
	lv->r = r;
	lv->s = &r->sim;
	lv->realtime = o->realtime;
	lv->w0 = live_wall();
	lv->last_frame = -1e9;
	lv->stride = 1;
	if (!o->show)
		return lv;

	for (int k = 0; k < LIVE_N_VARS; k++)
		if ((o->vars ? o->vars : LIVE_VAR_CWND) & (1u << k)) {
			lv->var[lv->nv++] = k;
			if (live_vars[k].is_time)
				lv->any_time = true;
			else
				lv->any_win = true;
		}
	for (int i = 0; i < r->sim.n_flows; i++)
		if (run_flow_is_tcp(r, i) && n_tcp++ < LIVE_MAX_FLOWS)
			lv->flow[lv->nf++] = i;
	if (n_tcp == 0) {
		fprintf(stderr, "segsim: warning: --live: no TCP flow to show\n");
		return lv;
	}
	if (n_tcp > LIVE_MAX_FLOWS)
		fprintf(stderr, "segsim: warning: --live: showing the first %d of %d TCP flows\n",
			LIVE_MAX_FLOWS, n_tcp);
	if (!(lv->gp = live_spawn(&lv->pid))) {
		fprintf(stderr, "segsim: warning: --live: cannot run gnuplot (apt-get install "
			"gnuplot-nox); running without the live view\n");
		return lv;
	}
	/* A gnuplot gone (its window closed) must not kill the run. */
	lv->old_pipe = signal(SIGPIPE, SIG_IGN);
	lv->pipe_ignored = true;
	lv->rows = calloc(LIVE_MAX_ROWS, (size_t)(1 + lv->nf * lv->nv) * sizeof *lv->rows);
	if (!lv->rows) {
		fclose(lv->gp);
		lv->gp = NULL;
		waitpid(lv->pid, NULL, 0);
		return lv;
	}
	live_term(lv);
	live_setup(lv);
	return lv;
}

sim_time_t live_slice(const struct live *lv, sim_time_t slice)
{
	if (lv && lv->realtime > 0) {
		double cap = lv->realtime * LIVE_PACE_S * (double)SIM_S;

		if (cap < (double)slice)
			slice = cap >= 1 ? (sim_time_t)cap : 1;
	}
	return slice;
}

/* One variable as drawn: KiB or ms, NaN where there is no value. */
static double live_value(const struct run_tcp_vars *v, int k)
{
	switch (k) {
	case 0: return v->cwnd / 1024.0;
	case 1: return v->ssthresh == UINT32_MAX ? NAN : v->ssthresh / 1024.0;
	case 2: return v->inflight / 1024.0;
	case 3: return v->rwnd / 1024.0;
	case 4: return v->srtt > 0 ? (double)v->srtt / 1e6 : NAN;
	case 5: return v->srtt > 0 ? (double)v->rttvar / 1e6 : NAN;
	default: return (double)v->rto / 1e6;
	}
}

static void live_sample(struct live *lv)
{
	size_t w = 1 + (size_t)(lv->nf * lv->nv);
	double *row;

	if (lv->ticks++ % lv->stride != 0)
		return;
	if (lv->n_rows == LIVE_MAX_ROWS) {
		/* Full: keep every other row, sample half as often. */
		for (size_t i = 0; i < LIVE_MAX_ROWS / 2; i++)
			memcpy(lv->rows + i * w, lv->rows + 2 * i * w, w * sizeof *lv->rows);
		lv->n_rows = LIVE_MAX_ROWS / 2;
		lv->stride *= 2;
	}
	row = lv->rows + lv->n_rows * w;
	row[0] = sim_sec(lv->s->now);
	for (int f = 0; f < lv->nf; f++) {
		struct run_tcp_vars v;
		bool ok = run_tcp_vars(lv->r, lv->flow[f], &v);

		for (int j = 0; j < lv->nv; j++)
			row[1 + f * lv->nv + j] = ok ? live_value(&v, lv->var[j]) : NAN;
	}
	lv->n_rows++;
	lv->dirty = true;
}

/* gnuplot string: the flow names are the scenario's (letters, digits,
 * '-', '_', '.'), but a quote would end it. */
static void live_put_name(FILE *f, const char *s)
{
	for (; *s; s++) {
		if (*s == '\'')
			fputc('\'', f);
		fputc(*s, f);
	}
}

static void live_frame(struct live *lv)
{
	size_t w = 1 + (size_t)(lv->nf * lv->nv);
	FILE *f = lv->gp;
	int col = 2;

	fputs("$live << EOD\n", f);
	for (size_t i = 0; i < lv->n_rows; i++) {
		const double *row = lv->rows + i * w;

		fprintf(f, "%.9f", row[0]);
		for (size_t j = 1; j < w; j++)
			if (isnan(row[j]))
				fputs(" NaN", f);
			else
				fprintf(f, " %.3f", row[j]);
		fputc('\n', f);
	}
	fputs("EOD\n", f);
	fprintf(f, "set title 'segsim live: simulated %.3f of %.3f s'\n", sim_sec(lv->s->now),
		sim_sec(lv->s->stop_time));
	if (lv->clear)
		fputs("if (GPVAL_TERM eq 'dumb') { print \"\\033[H\\033[2J\" }\n", f);
	fputs("plot ", f);
	for (int fl = 0; fl < lv->nf; fl++)
		for (int j = 0; j < lv->nv; j++, col++) {
			const struct live_var *v = &live_vars[lv->var[j]];

			fprintf(f, "%s$live using 1:%d with steps lw 1.5 lc rgb '#%06x' dt %d%s "
				"title '", col > 2 ? ", " : "", col, live_colour[fl], j + 1,
				v->is_time && lv->any_win ? " axes x1y2" : "");
			if (lv->nf > 1 || lv->nv > 1) {
				live_put_name(f, lv->r->sim.flow_names[lv->flow[fl]]);
				fputc(' ', f);
			}
			fprintf(f, "%s (%s)'", v->name, v->is_time ? "ms" : "KiB");
		}
	fputc('\n', f);
	if (fflush(f) != 0) {
		/* gnuplot is gone: stop drawing, keep running. */
		fclose(f);
		lv->gp = NULL;
		waitpid(lv->pid, NULL, 0);
	}
	lv->dirty = false;
}

static void live_pace(struct live *lv, sim_time_t now)
{
	double target, w;

	if (lv->realtime <= 0)
		return;
	target = lv->w0 + sim_sec(now) / lv->realtime;
	w = live_wall();
	if (target > w) {
		struct timespec ts;
		double d = target - w;

		ts.tv_sec = (time_t)d;
		ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
		while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
			;
	}
}

void live_tick(struct live *lv)
{
	if (!lv)
		return;
	if (lv->gp) {
		double w;

		live_sample(lv);
		w = live_wall();
		if (w - lv->last_frame >= LIVE_FRAME_S) {
			live_frame(lv);
			lv->last_frame = w;
		}
	}
	live_pace(lv, lv->s->now);
}

void live_close(struct live *lv)
{
	if (!lv)
		return;
	/* Simulated time runs to the end even when nothing was left to do. */
	live_pace(lv, lv->s->stop_time);
	if (lv->gp) {
		if (lv->dirty || lv->n_rows)
			live_frame(lv);
		if (lv->gp) {
			fputs("exit\n", lv->gp);
			fclose(lv->gp);
			while (waitpid(lv->pid, NULL, 0) < 0 && errno == EINTR)
				;
		}
	}
	if (lv->pipe_ignored)
		signal(SIGPIPE, lv->old_pipe);
	free(lv->rows);
	free(lv);
}
