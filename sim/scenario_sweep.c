/*
 * scenario_sweep.c - the scenario's optional `sweep:` section.
 *
 *   sweep:
 *     params:                          # --set path -> list of values
 *       links.r1-r2.queue.limit: [10, 25, 50]
 *       flows.f1.tcp.cc: [reno, newreno]
 *     seeds: 5                         # or a list: [1, 7, 9]
 *     metrics: [flows.f1.goodput_bps, queues.r1-r2.dropped]
 *     plot: {x: links.r1-r2.queue.limit, y: flows.f1.goodput_bps}
 *
 * load_top() (scenario.c) calls scn_sweep_load() once the seed is known;
 * `segsim run` and `check` only need the shape checked, `segsim sweep`
 * (sweep.c) reads the result from sc->sweep.  Each value is kept as YAML
 * text - a scalar as written, a list or map re-written in flow style - so
 * that a run given `--set KEY=TEXT` reads exactly the value of the file.
 * Whether KEY exists and TEXT is valid there is left to each run: a value
 * the loader refuses makes that run fail, not the sweep (sweep.c).
 */
#include "scenario.h"
#include "scenario_tree.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define SWEEP_MAX_PARAMS  16
#define SWEEP_MAX_VALUES  1000          /* per param */
#define SWEEP_MAX_SEEDS   10000
#define SWEEP_MAX_RUNS    100000        /* params x seeds */
#define SWEEP_MAX_METRICS 64
#define SWEEP_MAX_TEXT    1000          /* a value as YAML text */
#define SWEEP_PATH_LEN    128           /* sizeof scn_sweep_param.key etc. */

static const char *const sweep_keys[] = { "params", "seeds", "metrics", "plot", NULL };
static const char *const plot_keys[] = { "x", "y", NULL };

/* ------------------------------------------------------------ value text */

struct text {
	char buf[SWEEP_MAX_TEXT + 1];
	size_t len;
	bool full;
};

static void text_add(struct text *t, const char *s, size_t n)
{
	if (t->full || t->len + n > SWEEP_MAX_TEXT) {
		t->full = true;
		return;
	}
	memcpy(t->buf + t->len, s, n);
	t->len += n;
	t->buf[t->len] = '\0';
}

/* A scalar that must be quoted inside a flow list or map: not plain in the
 * file, empty, or holding flow punctuation or surrounding blanks. */
static bool needs_quotes(const struct scn_y *y)
{
	size_t n = strlen(y->str);

	return !y->plain || n == 0 || strpbrk(y->str, ",[]{}#:'\"\t\n") ||
	       isspace((unsigned char)y->str[0]) || isspace((unsigned char)y->str[n - 1]);
}

static void text_scalar(struct text *t, const struct scn_y *y, bool top)
{
	const char *s;

	if (top && y->plain) {          /* read back as the same plain scalar */
		text_add(t, y->str, strlen(y->str));
		return;
	}
	if (!needs_quotes(y)) {
		text_add(t, y->str, strlen(y->str));
		return;
	}
	text_add(t, "'", 1);            /* single quotes: only ' is escaped */
	for (s = y->str; *s; s++) {
		if (*s == '\'')
			text_add(t, "''", 2);
		else
			text_add(t, s, 1);
	}
	text_add(t, "'", 1);
}

/* y in YAML flow style, read back by the --set parser as the same value. */
static void text_node(struct text *t, const struct scn_y *y, bool top)
{
	int i;

	if (y->kind == SCN_Y_SCALAR) {
		text_scalar(t, y, top);
	} else if (y->kind == SCN_Y_SEQ) {
		text_add(t, "[", 1);
		for (i = 0; i < y->n; i++) {
			if (i)
				text_add(t, ", ", 2);
			text_node(t, y->item[i], false);
		}
		text_add(t, "]", 1);
	} else {
		text_add(t, "{", 1);
		for (i = 0; i < y->n; i++) {
			if (i)
				text_add(t, ", ", 2);
			text_node(t, y->item[2 * i], false);
			text_add(t, ": ", 2);
			text_node(t, y->item[2 * i + 1], false);
		}
		text_add(t, "}", 1);
	}
}

/* ------------------------------------------------------------ checks */

/* An unknown key, with the nearest valid one when there is one. */
static int check_keys(struct scn_ctx *c, const struct scn_y *map, const char *what,
		      const char *const *keys, int n_keys, const char *valid)
{
	char q[200];
	int i;

	for (i = 0; i < map->n; i++) {
		const struct scn_y *k = map->item[2 * i];
		const char *near;
		int j;

		for (j = 0; j < n_keys; j++)
			if (strcmp(k->str, keys[j]) == 0)
				break;
		if (j < n_keys)
			continue;
		near = scn_nearest(k->str, keys, n_keys);
		if (near)
			return scn_fail(c, k, "unknown key '%s' %s (did you mean '%s'?)",
					scn_quote(k->str, q, sizeof(q)), what, near);
		return scn_fail(c, k, "unknown key '%s' %s (valid keys: %s)",
				scn_quote(k->str, q, sizeof(q)), what, valid);
	}
	return 0;
}

static int want_kind(struct scn_ctx *c, const struct scn_y *y, enum scn_ykind kind,
		     const char *what, const char *example)
{
	const char *name = kind == SCN_Y_MAP ? "map" : kind == SCN_Y_SEQ ? "list" : "value";
	char d[240];

	if (y->kind == kind && !(kind == SCN_Y_SCALAR && scn_y_null(y)))
		return 0;
	if (scn_y_null(y))
		return scn_fail(c, y, "'%s' has no value (expected a %s like %s)", what,
				name, example);
	return scn_fail(c, y, "%s: expected a %s like %s, got %s", what, name, example,
			scn_y_describe(y, d, sizeof(d)));
}

/* A dotted path of name characters: a --set key or a summary.json path. */
static int check_path(struct scn_ctx *c, const struct scn_y *y, const char *what,
		      char *out)
{
	char q[200];
	const char *s;

	if (want_kind(c, y, SCN_Y_SCALAR, what, "flows.f1.goodput_bps") < 0)
		return -1;
	if (!y->str[0])
		return scn_fail(c, y, "%s is empty", what);
	if (strlen(y->str) >= SWEEP_PATH_LEN)
		return scn_fail(c, y, "%s '%s' is too long (at most %d characters)", what,
				scn_quote(y->str, q, sizeof(q)), SWEEP_PATH_LEN - 1);
	for (s = y->str; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("_.-", *s))
			return scn_fail(c, y, "%s '%s' has a character that is not "
					"allowed: '%s' (paths look like "
					"links.r1-r2.queue.limit)", what,
					scn_quote(y->str, q, sizeof(q)),
					scn_quote((char[]){ *s, 0 }, q + 100, 100));
	if (y->str[0] == '.' || s[-1] == '.' || strstr(y->str, ".."))
		return scn_fail(c, y, "%s '%s' has an empty part (paths look like "
				"links.r1-r2.queue.limit)", what,
				scn_quote(y->str, q, sizeof(q)));
	memcpy(out, y->str, strlen(y->str) + 1);
	return 0;
}

/* A whole number (decimal digits) into *v. */
static int get_whole(struct scn_ctx *c, const struct scn_y *y, const char *what,
		     uint64_t lo, uint64_t hi, uint64_t *v)
{
	char q[200], *end;
	unsigned long long x;

	if (want_kind(c, y, SCN_Y_SCALAR, what, "5") < 0)
		return -1;
	errno = 0;
	x = strtoull(y->str, &end, 10);
	if (!isdigit((unsigned char)y->str[0]) || *end || errno)
		return scn_fail(c, y, "%s: expected a whole number, got '%s'", what,
				scn_quote(y->str, q, sizeof(q)));
	if (x < lo || x > hi)
		return scn_fail(c, y, "%s %llu is out of range (%llu to %llu)", what, x,
				(unsigned long long)lo, (unsigned long long)hi);
	*v = x;
	return 0;
}

/* ------------------------------------------------------------ sections */

static int load_param(struct scn_ctx *c, const struct scn_y *k, const struct scn_y *v,
		      struct scn_sweep_param *p)
{
	char q[200];
	int i, j;

	if (check_path(c, k, "sweep parameter", p->key) < 0)
		return -1;
	if (strcmp(p->key, "seed") == 0)
		return scn_fail(c, k, "seed is not a sweep parameter: give "
				"sweep.seeds (a count or a list) instead");
	if (strcmp(p->key, "sweep") == 0 || strncmp(p->key, "sweep.", 6) == 0)
		return scn_fail(c, k, "a sweep parameter cannot change the sweep "
				"section itself");
	if (want_kind(c, v, SCN_Y_SEQ, p->key, "[10, 25, 50]") < 0)
		return -1;
	if (v->n == 0)
		return scn_fail(c, v, "%s: the list of values is empty", p->key);
	if (v->n > SWEEP_MAX_VALUES)
		return scn_fail(c, v->item[SWEEP_MAX_VALUES], "%s: more than %d values",
				p->key, SWEEP_MAX_VALUES);
	if (!(p->values = calloc((size_t)v->n, sizeof(*p->values))))
		return scn_fail(c, v, "out of memory");
	for (i = 0; i < v->n; i++) {
		const struct scn_y *it = v->item[i];
		struct text t = { .len = 0 };

		if (scn_y_null(it))
			return scn_fail(c, it, "%s: a value is empty (write it, or "
					"quote it: '')", p->key);
		text_node(&t, it, true);
		if (t.full)
			return scn_fail(c, it, "%s: the value is longer than %d "
					"characters", p->key, SWEEP_MAX_TEXT);
		for (j = 0; j < i; j++)
			if (strcmp(p->values[j], t.buf) == 0)
				return scn_fail(c, it, "%s: value '%s' is listed "
						"twice", p->key,
						scn_quote(t.buf, q, sizeof(q)));
		if (!(p->values[i] = strdup(t.buf)))
			return scn_fail(c, it, "out of memory");
		p->n_values++;
	}
	return 0;
}

static int load_params(struct scn_ctx *c, const struct scn_y *y, struct scn_sweep *sw,
		       uint64_t *points)
{
	int i;

	*points = 1;
	if (want_kind(c, y, SCN_Y_MAP, "params", "{flows.f1.tcp.cc: [reno, newreno]}") < 0)
		return -1;
	if (y->n > SWEEP_MAX_PARAMS)
		return scn_fail(c, y->item[2 * SWEEP_MAX_PARAMS], "more than %d sweep "
				"parameters", SWEEP_MAX_PARAMS);
	if (y->n && !(sw->params = calloc((size_t)y->n, sizeof(*sw->params))))
		return scn_fail(c, y, "out of memory");
	for (i = 0; i < y->n; i++) {
		struct scn_sweep_param *p = &sw->params[i];

		sw->n_params++;
		if (load_param(c, y->item[2 * i], y->item[2 * i + 1], p) < 0)
			return -1;
		*points *= (uint64_t)p->n_values;
		if (*points > SWEEP_MAX_RUNS)
			return scn_fail(c, y->item[2 * i], "the sweep has more than %d "
					"parameter points", SWEEP_MAX_RUNS);
	}
	return 0;
}

static int load_seeds(struct scn_ctx *c, const struct scn_y *y, struct scn_sweep *sw,
		      uint64_t base)
{
	uint64_t n;
	int i, j;

	if (y->kind == SCN_Y_SEQ) {
		if (y->n == 0)
			return scn_fail(c, y, "seeds: the list is empty");
		if (y->n > SWEEP_MAX_SEEDS)
			return scn_fail(c, y->item[SWEEP_MAX_SEEDS], "seeds: more than "
					"%d seeds", SWEEP_MAX_SEEDS);
		if (!(sw->seeds = calloc((size_t)y->n, sizeof(*sw->seeds))))
			return scn_fail(c, y, "out of memory");
		for (i = 0; i < y->n; i++) {
			if (get_whole(c, y->item[i], "seed", 0, UINT64_MAX, &sw->seeds[i]) < 0)
				return -1;
			for (j = 0; j < i; j++)
				if (sw->seeds[j] == sw->seeds[i])
					return scn_fail(c, y->item[i], "seed %llu is "
							"listed twice", (unsigned long long)
							sw->seeds[i]);
			sw->n_seeds++;
		}
		return 0;
	}
	if (y->kind != SCN_Y_SCALAR || scn_y_null(y))
		return want_kind(c, y, SCN_Y_SCALAR, "seeds", "5 (a count) or [1, 7, 9]");
	if (get_whole(c, y, "seeds", 1, SWEEP_MAX_SEEDS, &n) < 0)
		return -1;
	if (base > UINT64_MAX - (n - 1))
		return scn_fail(c, y, "seeds: %llu seeds from seed %llu go past "
				"18446744073709551615", (unsigned long long)n,
				(unsigned long long)base);
	if (!(sw->seeds = calloc((size_t)n, sizeof(*sw->seeds))))
		return scn_fail(c, y, "out of memory");
	for (i = 0; i < (int)n; i++)
		sw->seeds[sw->n_seeds++] = base + (uint64_t)i;
	return 0;
}

static int load_metrics(struct scn_ctx *c, const struct scn_y *y, struct scn_sweep *sw)
{
	char path[SWEEP_PATH_LEN], q[200];
	int i, j;

	if (want_kind(c, y, SCN_Y_SEQ, "metrics", "[flows.f1.goodput_bps]") < 0)
		return -1;
	if (y->n > SWEEP_MAX_METRICS)
		return scn_fail(c, y->item[SWEEP_MAX_METRICS], "more than %d metrics",
				SWEEP_MAX_METRICS);
	if (y->n && !(sw->metrics = calloc((size_t)y->n, sizeof(*sw->metrics))))
		return scn_fail(c, y, "out of memory");
	for (i = 0; i < y->n; i++) {
		if (check_path(c, y->item[i], "metric", path) < 0)
			return -1;
		for (j = 0; j < i; j++)
			if (strcmp(sw->metrics[j], path) == 0)
				return scn_fail(c, y->item[i], "metric '%s' is listed "
						"twice", scn_quote(path, q, sizeof(q)));
		if (!(sw->metrics[i] = strdup(path)))
			return scn_fail(c, y->item[i], "out of memory");
		sw->n_metrics++;
	}
	return 0;
}

static int load_plot(struct scn_ctx *c, const struct scn_y *y, struct scn_sweep *sw)
{
	const struct scn_y *v;
	char q[200];
	int i;

	if (y->kind == SCN_Y_SCALAR && !scn_y_null(y) &&
	    (!strcmp(y->str, "false") || !strcmp(y->str, "none"))) {
		sw->plot = false;
		return 0;
	}
	if (want_kind(c, y, SCN_Y_MAP, "plot", "{x: PARAM, y: METRIC} or false") < 0 ||
	    check_keys(c, y, "in sweep.plot", plot_keys, 2, "x, y") < 0)
		return -1;
	if ((v = scn_map_get(y, "x"))) {
		if (check_path(c, v, "plot x", sw->plot_x) < 0)
			return -1;
		for (i = 0; i < sw->n_params; i++)
			if (strcmp(sw->params[i].key, sw->plot_x) == 0)
				break;
		if (i == sw->n_params)
			return scn_fail(c, v, "plot x '%s' is not one of the sweep's "
					"params", scn_quote(sw->plot_x, q, sizeof(q)));
	}
	if ((v = scn_map_get(y, "y"))) {
		if (check_path(c, v, "plot y", sw->plot_y) < 0)
			return -1;
		for (i = 0; i < sw->n_metrics; i++)
			if (strcmp(sw->metrics[i], sw->plot_y) == 0)
				break;
		if (sw->n_metrics && i == sw->n_metrics)
			return scn_fail(c, v, "plot y '%s' is not one of the sweep's "
					"metrics", scn_quote(sw->plot_y, q, sizeof(q)));
	}
	return 0;
}

int scn_sweep_load(struct scn_ctx *c, const struct scn_y *root, struct scenario *sc)
{
	const struct scn_y *y = scn_map_get(root, "sweep"), *v;
	struct scn_sweep *sw = &sc->sweep;
	uint64_t points = 1;

	memset(sw, 0, sizeof(*sw));
	sw->plot = true;
	if (y) {
		sw->present = true;
		if (want_kind(c, y, SCN_Y_MAP, "sweep", "{params: {...}, seeds: 5}") < 0 ||
		    check_keys(c, y, "in sweep", sweep_keys, 4,
			       "params, seeds, metrics, plot") < 0)
			return -1;
		if ((v = scn_map_get(y, "params")) && load_params(c, v, sw, &points) < 0)
			return -1;
		if ((v = scn_map_get(y, "seeds")) && load_seeds(c, v, sw, sc->seed) < 0)
			return -1;
		if (sw->n_seeds && points * (uint64_t)sw->n_seeds > SWEEP_MAX_RUNS)
			return scn_fail(c, v, "the sweep has more than %d runs "
					"(parameter points x seeds)", SWEEP_MAX_RUNS);
		if ((v = scn_map_get(y, "metrics")) && load_metrics(c, v, sw) < 0)
			return -1;
		if ((v = scn_map_get(y, "plot")) && load_plot(c, v, sw) < 0)
			return -1;
	}
	if (sw->n_seeds == 0) {
		if (!(sw->seeds = malloc(sizeof(*sw->seeds))))
			return scn_fail(c, y, "out of memory");
		sw->seeds[sw->n_seeds++] = sc->seed;
	}
	return 0;
}

void scn_sweep_free(struct scn_sweep *sw)
{
	int i, j;

	for (i = 0; i < sw->n_params; i++) {
		for (j = 0; j < sw->params[i].n_values; j++)
			free(sw->params[i].values[j]);
		free(sw->params[i].values);
	}
	free(sw->params);
	free(sw->seeds);
	for (i = 0; i < sw->n_metrics; i++)
		free(sw->metrics[i]);
	free(sw->metrics);
	memset(sw, 0, sizeof(*sw));
}
