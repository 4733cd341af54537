/*
 * scenario.c - validate a scenario document into a `struct scenario`.
 *
 * scn_load_file() reads the file, scn_load_buffer() does the rest:
 *   scn_tree_parse() (scenario_tree.c: YAML -> positioned tree)
 *   -> scn_tree_set() for each --set, so every check below applies to set
 *      values too
 *   -> load_top(): top-level keys, then nodes, links, flows, events, trace,
 *      plots and sweep (scenario_sweep.c), in that order, since each may
 *      refer to the ones before.
 * Every function here returns 0 or -1; the first problem is recorded by
 * scn_fail() with the position of the node at fault, and the caller then
 * frees whatever was filled in, so a failed load leaves nothing behind.
 *
 * The schema is documented key by key in docs/scenario.md; keep the two in
 * step.  Which keys each queue discipline and application takes is known
 * here (it decides which struct fields are filled), so a new discipline or
 * application needs a line in the tables below as well as its own file.
 * The same holds for TCP: the endpoint keys (tcp_keys[]), the congestion
 * control and RTO algorithm names (tcp_ccs[], tcp_rtos[]) are listed here
 * too, so that `segsim check` and the fuzzer need no TCP code; a new
 * algorithm in proto/ needs its name added below.
 */
#include "scenario.h"
#include "scenario_tree.h"
#include "units.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Limits: beyond these a value is a typo, not an experiment. */
#define MAX_DURATION    (1000000 * SIM_S)       /* 1e6 s, about 11.6 days */
#define MAX_DELAY       (3600 * SIM_S)          /* link, node, reorder delay */
#define MAX_BANDWIDTH   10000000000000ULL       /* 10 Tbps */
#define MAX_QUEUE_PKTS  100000000ULL
#define MAX_QUEUE_BYTES (1ULL << 40)            /* 1 TiB */
#define MAX_DATAGRAM    65507                   /* 65535 - IP - UDP headers */
#define MAX_SNAPLEN     262144                  /* tcpdump's maximum */
#define MAX_NODES       (254 * 256)             /* default addresses 10.0.x.y */
#define MAX_FILE_BYTES  (64L << 20)
#define ALIAS_BUDGET    100000                  /* nodes aliases may copy */
#define MAX_TCP_BUF     (1ULL << 30)            /* 1 GiB: buffers, writes */
#define MAX_TCP_COUNT   1000                    /* retries, probes, ack_every */
#define MAX_TCP_QUEUE   1000000                 /* backlog, syn_backlog */
#define MAX_TCP_TIMER   (10 * SIM_S)            /* delack, tick, granularity */
#define MAX_RTO         (3600 * SIM_S)          /* rto_*, msl */
#define MAX_APP_BYTES   (1ULL << 60)            /* bulk bytes, object size */

/* ---------------------------------------------------------------- helpers */

static int count(const char *const *list)
{
	int n = 0;

	while (list[n])
		n++;
	return n;
}

static bool in_list(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(s, *list) == 0)
			return true;
	return false;
}

/* "a, b, c" */
static const char *join_list(const char *const *list, char *buf, size_t len)
{
	size_t o = 0;

	buf[0] = '\0';
	for (; *list && o < len; list++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", o ? ", " : "", *list);
	return buf;
}

/* Every key of map must be in `keys`; `what` names the map in messages. */
static int check_keys(struct scn_ctx *c, const struct scn_y *map, const char *what,
		      const char *const *keys)
{
	char q[200], v[400];
	int i;

	for (i = 0; i < map->n; i++) {
		const struct scn_y *k = map->item[2 * i];
		const char *near;

		if (in_list(k->str, keys))
			continue;
		/* top-level "x-..." keys are ignored: a place for anchors */
		if (strcmp(what, "at the top level") == 0 &&
		    strncmp(k->str, "x-", 2) == 0)
			continue;
		near = scn_nearest(k->str, keys, count(keys));
		if (near)
			return scn_fail(c, k, "unknown key '%s' %s (did you mean '%s'?)",
					scn_quote(k->str, q, sizeof(q)), what, near);
		if (count(keys) > 24)   /* too many to list in one line */
			return scn_fail(c, k, "unknown key '%s' %s (docs/scenario.md "
					"lists the %d valid keys)",
					scn_quote(k->str, q, sizeof(q)), what, count(keys));
		return scn_fail(c, k, "unknown key '%s' %s (valid keys: %s)",
				scn_quote(k->str, q, sizeof(q)), what,
				join_list(keys, v, sizeof(v)));
	}
	return 0;
}

/* Keys of a typed map (queue, loss, app) that its type does not use. */
static int check_type_keys(struct scn_ctx *c, const struct scn_y *map,
			   const char *kind, const char *type,
			   const char *const *type_keys)
{
	char v[400];
	int i;

	for (i = 0; i < map->n; i++) {
		const struct scn_y *k = map->item[2 * i];
		if (!in_list(k->str, type_keys))
			return scn_fail(c, k, "key '%s' is not used by %s type '%s' "
					"(it takes: %s)", k->str, kind, type,
					join_list(type_keys, v, sizeof(v)));
	}
	return 0;
}

static int want_map(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    const char *example)
{
	char d[240];

	if (y->kind == SCN_Y_MAP)
		return 0;
	if (scn_y_null(y))
		return scn_fail(c, y, "'%s' has no value (expected a map like %s)",
				what, example);
	return scn_fail(c, y, "%s: expected a map like %s, got %s", what, example,
			scn_y_describe(y, d, sizeof(d)));
}

static int want_list(struct scn_ctx *c, const struct scn_y *y, const char *what,
		     const char *example)
{
	char d[240];

	if (y->kind == SCN_Y_SEQ)
		return 0;
	if (scn_y_null(y))
		return scn_fail(c, y, "'%s' has no value (expected a list like %s)",
				what, example);
	return scn_fail(c, y, "%s: expected a list like %s, got %s", what, example,
			scn_y_describe(y, d, sizeof(d)));
}

static int want_scalar(struct scn_ctx *c, const struct scn_y *y, const char *what)
{
	if (scn_y_null(y))
		return scn_fail(c, y, "'%s' has no value", what);
	if (y->kind != SCN_Y_SCALAR)
		return scn_fail(c, y, "%s: expected a single value, got %s", what,
				y->kind == SCN_Y_SEQ ? "a list" : "a map");
	return 0;
}

static int get_time(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    sim_time_t min, sim_time_t max, sim_time_t *out)
{
	char err[300], a[40], b[40], q[200];
	int64_t v;

	if (want_scalar(c, y, what) < 0)
		return -1;
	if (units_time(y->str, &v, err, sizeof(err)) < 0)
		return scn_fail(c, y, "%s: %s", what, err);
	units_fmt_time(min, a, sizeof(a));
	units_fmt_time(max, b, sizeof(b));
	if (v < min && min == 1)
		return scn_fail(c, y, "%s must be greater than 0, got '%s'", what,
				scn_quote(y->str, q, sizeof(q)));
	if (v < min || v > max)
		return scn_fail(c, y, "%s must be between %s and %s, got '%s'", what,
				a, b, scn_quote(y->str, q, sizeof(q)));
	*out = v;
	return 0;
}

static int get_rate(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    uint64_t *out)
{
	char err[300], q[200];
	uint64_t v;

	if (want_scalar(c, y, what) < 0)
		return -1;
	if (units_rate(y->str, &v, err, sizeof(err)) < 0)
		return scn_fail(c, y, "%s: %s", what, err);
	if (v < 1 || v > MAX_BANDWIDTH)
		return scn_fail(c, y, "%s must be between 1bps and 10Tbps, got '%s'",
				what, scn_quote(y->str, q, sizeof(q)));
	*out = v;
	return 0;
}

static int get_size(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    uint64_t min, uint64_t max, uint64_t *out)
{
	char err[300], a[40], b[40], q[200];
	uint64_t v;

	if (want_scalar(c, y, what) < 0)
		return -1;
	if (units_size(y->str, &v, err, sizeof(err)) < 0)
		return scn_fail(c, y, "%s: %s", what, err);
	if (v < min || v > max) {
		snprintf(a, sizeof(a), "%llu", (unsigned long long)min);
		snprintf(b, sizeof(b), "%llu", (unsigned long long)max);
		return scn_fail(c, y, "%s must be between %s and %s bytes, got '%s'",
				what, a, b, scn_quote(y->str, q, sizeof(q)));
	}
	*out = v;
	return 0;
}

/* A whole decimal number (no sign, no exponent). */
static int get_uint(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    uint64_t min, uint64_t max, uint64_t *out)
{
	char q[200];
	const char *s;
	uint64_t v = 0;
	bool over = false;

	if (want_scalar(c, y, what) < 0)
		return -1;
	for (s = y->str; isdigit((unsigned char)*s); s++) {
		unsigned d = (unsigned)(*s - '0');
		if (v > (UINT64_MAX - d) / 10)
			over = true;
		else
			v = v * 10 + d;
	}
	if (*s || s == y->str)
		return scn_fail(c, y, "%s: expected a whole number, got '%s'", what,
				scn_quote(y->str, q, sizeof(q)));
	if (over || v < min || v > max)
		return scn_fail(c, y, "%s must be between %llu and %llu, got '%s'",
				what, (unsigned long long)min,
				(unsigned long long)max,
				scn_quote(y->str, q, sizeof(q)));
	*out = v;
	return 0;
}

/* Plain decimal notation only ("0.01", ".5", "1e-3", with allow_pct also
 * "1%"): strtod alone would take "inf", "nan", "0x1p3" and " 1". */
static bool parse_real(const char *s, bool allow_pct, double *out)
{
	const char *p = s;
	char buf[64];
	int digits = 0;
	size_t n;

	while (isdigit((unsigned char)*p)) {
		p++;
		digits++;
	}
	if (*p == '.')
		for (p++; isdigit((unsigned char)*p); p++)
			digits++;
	if (!digits)
		return false;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-')
			p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	n = (size_t)(p - s);
	if (n >= sizeof(buf))
		return false;
	if (*p && !(allow_pct && p[0] == '%' && p[1] == '\0'))
		return false;
	memcpy(buf, s, n);
	buf[n] = '\0';
	*out = strtod(buf, NULL);
	if (*p == '%')
		*out /= 100;
	return true;
}

static int get_prob(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    double *out)
{
	char q[200];
	double v;

	if (want_scalar(c, y, what) < 0)
		return -1;
	if (!parse_real(y->str, true, &v) || v > 1)
		return scn_fail(c, y, "%s must be a probability between 0 and 1 "
				"(like 0.01 or 1%%), got '%s'", what,
				scn_quote(y->str, q, sizeof(q)));
	*out = v;
	return 0;
}

/* A real in [min, max]; min_open and max_open exclude the bounds. */
static int get_real(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    double min, double max, bool min_open, bool max_open,
		    double *out)
{
	char q[200];
	double v;

	if (want_scalar(c, y, what) < 0)
		return -1;
	if (!parse_real(y->str, false, &v))
		return scn_fail(c, y, "%s: expected a number, got '%s'", what,
				scn_quote(y->str, q, sizeof(q)));
	if (v < min || v > max || (min_open && v == min) || (max_open && v == max))
		return scn_fail(c, y, "%s must be %s %g and %s %g, got '%s'",
				what, min_open ? "above" : "at least", min,
				max_open ? "below" : "at most", max,
				scn_quote(y->str, q, sizeof(q)));
	*out = v;
	return 0;
}

static bool word_true(const char *s)
{
	static const char *const t[] = { "true", "True", "TRUE", "yes", "Yes",
					 "YES", "on", "On", "ON", NULL };
	return in_list(s, t);
}

static bool word_false(const char *s)
{
	static const char *const f[] = { "false", "False", "FALSE", "no", "No",
					 "NO", "off", "Off", "OFF", NULL };
	return in_list(s, f);
}

static int get_bool(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    bool *out)
{
	char q[200];

	if (want_scalar(c, y, what) < 0)
		return -1;
	if (word_true(y->str))
		*out = true;
	else if (word_false(y->str))
		*out = false;
	else
		return scn_fail(c, y, "%s: expected true or false, got '%s'", what,
				scn_quote(y->str, q, sizeof(q)));
	return 0;
}

/* One of `words`; *out = its index. */
static int get_word(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    const char *const *words, int *out)
{
	char q[200], v[200];
	const char *near;
	int i;

	if (want_scalar(c, y, what) < 0)
		return -1;
	for (i = 0; words[i]; i++) {
		if (strcmp(y->str, words[i]) == 0) {
			*out = i;
			return 0;
		}
	}
	near = scn_nearest(y->str, words, count(words));
	if (near)
		return scn_fail(c, y, "unknown %s '%s' (did you mean '%s'? valid: %s)",
				what, scn_quote(y->str, q, sizeof(q)), near,
				join_list(words, v, sizeof(v)));
	return scn_fail(c, y, "unknown %s '%s' (valid: %s)", what,
			scn_quote(y->str, q, sizeof(q)), join_list(words, v, sizeof(v)));
}

/* Names of nodes, flows and links: they become file names and pcap names. */
static int get_name(struct scn_ctx *c, const struct scn_y *y, const char *what,
		    size_t max, char *out)
{
	char q[200];
	const char *s;
	size_t len;

	if (want_scalar(c, y, what) < 0)
		return -1;
	len = strlen(y->str);
	if (len > max)
		return scn_fail(c, y, "%s '%s' is too long (at most %zu characters)",
				what, scn_quote(y->str, q, sizeof(q)), max);
	for (s = y->str; *s; s++) {
		unsigned char ch = (unsigned char)*s;
		if (!isalnum(ch) && ch != '_' && ch != '.' && ch != '-')
			return scn_fail(c, y, "%s '%s' has a character that is not "
					"allowed: '%s' (use letters, digits, '_', '.' "
					"and '-')", what, scn_quote(y->str, q, sizeof(q)),
					scn_quote((char[]){ (char)ch, 0 }, q + 100, 100));
	}
	if (y->str[0] == '.')
		return scn_fail(c, y, "%s '%s' must not start with '.'", what,
				scn_quote(y->str, q, sizeof(q)));
	memcpy(out, y->str, len + 1);
	return 0;
}

/* ------------------------------------------------------------- duplicates */

struct dup_key { const char *s; uint64_t v; int ix; };

static int dup_cmp(const void *pa, const void *pb)
{
	const struct dup_key *a = pa, *b = pb;
	int r = 0;

	if (a->s && b->s)
		r = strcmp(a->s, b->s);
	else if (a->v != b->v)
		r = a->v < b->v ? -1 : 1;
	if (r == 0)
		r = (a->ix > b->ix) - (a->ix < b->ix);
	return r;
}

static bool dup_eq(const struct dup_key *a, const struct dup_key *b)
{
	return a->s ? strcmp(a->s, b->s) == 0 : a->v == b->v;
}

/* The first duplicate in file order among keys[0..n): 1 with *first and
 * *second set (second is later), 0 if none, -1 out of memory.  Sorting
 * keeps this fast for tens of thousands of nodes. */
static int find_dup(struct dup_key *keys, int n, int *first, int *second)
{
	int i, g = 0, found = 0;

	qsort(keys, (size_t)n, sizeof(*keys), dup_cmp);
	for (i = 1; i < n; i++) {
		if (!dup_eq(&keys[i], &keys[g])) {
			g = i;
			continue;
		}
		if (i == g + 1 && (!found || keys[i].ix < *second)) {
			*first = keys[g].ix;
			*second = keys[i].ix;
			found = 1;
		}
	}
	return found;
}

/* -------------------------------------------------------------- the parts */

/* The loader's state: the context scenario_tree.c knows, plus a sorted
 * index of node names so that references resolve in O(log n) even for
 * topologies of tens of thousands of nodes.  `c` comes first, so the
 * functions below, which take the context, can recover the loader. */
struct loader {
	struct scn_ctx c;
	struct dup_key *node_ix;        /* sorted by name; n_nodes entries */
	int n_ix;
};

static int ix_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct dup_key *)elem)->s);
}

static int node_lookup(const struct scn_ctx *c, const struct scenario *sc,
		       const char *name)
{
	const struct loader *L = (const struct loader *)c;
	const struct dup_key *k;

	if (!L->node_ix)
		return scn_node_index(sc, name);
	k = bsearch(name, L->node_ix, (size_t)L->n_ix, sizeof(*k), ix_cmp);
	return k ? k->ix : -1;
}

/* A node reference: a known node name; suggests the nearest one. */
static int get_node(struct scn_ctx *c, const struct scenario *sc,
		    const struct scn_y *y, const char *what, int *out)
{
	char q[200];
	const char **names, *near;
	int i;

	if (want_scalar(c, y, what) < 0)
		return -1;
	if ((*out = node_lookup(c, sc, y->str)) >= 0)
		return 0;
	names = malloc((size_t)sc->n_nodes * sizeof(*names));
	if (!names)
		return scn_fail(c, y, "out of memory");
	for (i = 0; i < sc->n_nodes; i++)
		names[i] = sc->nodes[i].name;
	near = scn_nearest(y->str, names, sc->n_nodes);
	if (near)
		scn_fail(c, y, "unknown node '%s' (did you mean '%s'?)",
			 scn_quote(y->str, q, sizeof(q)), near);
	else if (sc->n_nodes <= 8) {
		char list[400];
		size_t o = 0;
		list[0] = '\0';
		for (i = 0; i < sc->n_nodes && o < sizeof(list); i++)
			o += (size_t)snprintf(list + o, sizeof(list) - o, "%s%s",
					      i ? ", " : "", names[i]);
		scn_fail(c, y, "unknown node '%s' (nodes: %s)",
			 scn_quote(y->str, q, sizeof(q)), list);
	} else {
		scn_fail(c, y, "unknown node '%s'", scn_quote(y->str, q, sizeof(q)));
	}
	free(names);
	return -1;
}

static int load_name(struct scn_ctx *c, const struct scn_y *root,
		     struct scenario *sc)
{
	const struct scn_y *y = scn_map_get(root, "name");
	const char *base, *s;
	size_t n, i;

	if (y)
		return get_name(c, y, "scenario name", sizeof(sc->name) - 1, sc->name);
	/* The file's base name without .yaml/.yml, made safe for out/NAME/. */
	base = strrchr(c->file, '/');
	base = base ? base + 1 : c->file;
	n = strlen(base);
	if (n > 5 && strcmp(base + n - 5, ".yaml") == 0)
		n -= 5;
	else if (n > 4 && strcmp(base + n - 4, ".yml") == 0)
		n -= 4;
	if (n > sizeof(sc->name) - 1)
		n = sizeof(sc->name) - 1;
	for (i = 0, s = base; i < n; i++, s++)
		sc->name[i] = isalnum((unsigned char)*s) || *s == '-' || *s == '_' ||
			      (*s == '.' && i > 0) ? *s : '_';
	sc->name[n] = '\0';
	if (n == 0)
		snprintf(sc->name, sizeof(sc->name), "scenario");
	return 0;
}

/* "10.0.0.5" -> 0x0a000005; unicast only. */
static int get_addr(struct scn_ctx *c, const struct scn_y *y, uint32_t *out)
{
	char q[200];
	const char *s;
	uint32_t a = 0;
	int part;

	if (want_scalar(c, y, "addr") < 0)
		return -1;
	s = y->str;
	for (part = 0; part < 4; part++) {
		unsigned v = 0;
		int digits = 0;
		if (part > 0 && *s++ != '.')
			goto bad;
		for (; isdigit((unsigned char)*s) && digits < 4; s++, digits++)
			v = v * 10 + (unsigned)(*s - '0');
		/* a leading zero would read as octal to some tools */
		if (digits == 0 || digits > 3 || v > 255 ||
		    (digits > 1 && s[-digits] == '0'))
			goto bad;
		a = a << 8 | v;
	}
	if (*s)
		goto bad;
	if ((a >> 24) == 0 || (a >> 24) == 127 || (a >> 24) >= 224)
		return scn_fail(c, y, "addr '%s' is not a unicast host address "
				"(0.x, 127.x and 224.x and above are reserved)",
				scn_quote(y->str, q, sizeof(q)));
	*out = a;
	return 0;
bad:
	return scn_fail(c, y, "addr: expected an IPv4 address like 10.0.0.5, "
			"got '%s'", scn_quote(y->str, q, sizeof(q)));
}

static uint32_t default_addr(int i)
{
	return 0x0a000000u | (uint32_t)(i / 254) << 8 | (uint32_t)(i % 254 + 1);
}

static void fmt_addr(uint32_t a, char *buf, size_t len)
{
	snprintf(buf, len, "%u.%u.%u.%u", a >> 24, a >> 16 & 255, a >> 8 & 255,
		 a & 255);
}

static int load_nodes(struct scn_ctx *c, const struct scn_y *root,
		      struct scenario *sc)
{
	static const char *const keys[] = { "name", "addr", "proc_delay", NULL };
	const struct scn_y *list = scn_map_get(root, "nodes");
	const struct scn_y **addr_at;
	struct dup_key *dk;
	int i, first, second, found;

	if (!list)
		return scn_fail(c, root, "missing required key 'nodes' (a list of "
				"node names, like nodes: [h1, r1, h2])");
	if (want_list(c, list, "nodes", "[h1, r1, h2]") < 0)
		return -1;
	if (list->n == 0)
		return scn_fail(c, list, "'nodes' is empty: a scenario needs at "
				"least one node");
	if (list->n > MAX_NODES)
		return scn_fail(c, list, "too many nodes (%d; at most %d)", list->n,
				MAX_NODES);
	sc->nodes = calloc((size_t)list->n, sizeof(*sc->nodes));
	addr_at = calloc((size_t)list->n, sizeof(*addr_at));
	dk = calloc((size_t)list->n, sizeof(*dk));
	if (!sc->nodes || !addr_at || !dk) {
		free(addr_at);
		free(dk);
		return scn_fail(c, list, "out of memory");
	}
	sc->n_nodes = list->n;
	for (i = 0; i < list->n; i++) {
		const struct scn_y *it = list->item[i], *y;
		struct scn_node *nd = &sc->nodes[i];

		nd->pos = it->pos;
		nd->addr = default_addr(i);
		if (it->kind == SCN_Y_MAP) {
			if (check_keys(c, it, "in node", keys) < 0)
				goto fail;
			if (!(y = scn_map_get(it, "name"))) {
				scn_fail(c, it, "missing required key 'name' in node");
				goto fail;
			}
			if (get_name(c, y, "node name", sizeof(nd->name) - 1,
				     nd->name) < 0)
				goto fail;
			if ((y = scn_map_get(it, "addr"))) {
				if (get_addr(c, y, &nd->addr) < 0)
					goto fail;
				addr_at[i] = y;
			}
			if ((y = scn_map_get(it, "proc_delay")) &&
			    get_time(c, y, "proc_delay", 0, MAX_DELAY,
				     &nd->proc_delay) < 0)
				goto fail;
		} else if (get_name(c, it, "node name", sizeof(nd->name) - 1,
				    nd->name) < 0) {
			goto fail;
		}
	}
	for (i = 0; i < sc->n_nodes; i++)
		dk[i] = (struct dup_key){ sc->nodes[i].name, 0, i };
	if ((found = find_dup(dk, sc->n_nodes, &first, &second)) > 0) {
		scn_fail_pos(c, sc->nodes[second].pos, "duplicate node name '%s' "
			     "(first at line %d)", sc->nodes[second].name,
			     sc->nodes[first].pos.line);
		goto fail;
	}
	/* names are unique and dk is sorted by them: keep it as the index */
	((struct loader *)c)->node_ix = dk;
	((struct loader *)c)->n_ix = sc->n_nodes;
	if (!(dk = calloc((size_t)sc->n_nodes, sizeof(*dk)))) {
		scn_fail(c, list, "out of memory");
		goto fail;
	}
	for (i = 0; i < sc->n_nodes; i++)
		dk[i] = (struct dup_key){ NULL, sc->nodes[i].addr, i };
	if ((found = find_dup(dk, sc->n_nodes, &first, &second)) > 0) {
		char a[20];
		/* blame a given address: a default one cannot be edited */
		int at = addr_at[second] ? second : first;
		int other = at == second ? first : second;
		fmt_addr(sc->nodes[at].addr, a, sizeof(a));
		if (addr_at[other])
			scn_fail(c, addr_at[at], "node '%s' has the same address %s "
				 "as node '%s'", sc->nodes[at].name, a,
				 sc->nodes[other].name);
		else
			scn_fail(c, addr_at[at], "address %s of node '%s' is also the "
				 "default address of node '%s' (node %d gets "
				 "10.0.0.%d unless it has an addr)", a,
				 sc->nodes[at].name, sc->nodes[other].name, other,
				 other + 1);
		goto fail;
	}
	free(addr_at);
	free(dk);
	return 0;
fail:
	free(addr_at);
	free(dk);
	return -1;
}

/* ------------------------------------------------------- queues and faults */

static void queue_defaults(struct queue_conf *q)
{
	memset(q, 0, sizeof(*q));
	snprintf(q->type, sizeof(q->type), "droptail");
	q->limit_pkts = 100;
	q->min_th = 5;
	q->max_th = 15;
	q->max_p = 0.1;
	q->wq = 0.002;
	q->mean_pkt_bytes = 1000;
}

/* The disciplines and the keys each takes.  queue.c's registry has the
 * behaviour; the loader needs the keys, hence this table. */
static const char *const droptail_keys[] = { "type", "limit", NULL };
static const char *const red_keys[] = { "type", "limit", "min_th", "max_th",
	"max_p", "wq", "gentle", "ecn", "mode", "mean_pktsize", NULL };
static const char *const queue_types[] = { "droptail", "red", NULL };

static int get_limit(struct scn_ctx *c, const struct scn_y *y, struct queue_conf *q)
{
	char q2[200];
	uint64_t v;

	if (want_scalar(c, y, "limit") < 0)
		return -1;
	if (units_has_size_suffix(y->str)) {
		if (get_size(c, y, "limit", 1, MAX_QUEUE_BYTES, &v) < 0)
			return -1;
		q->limit_bytes = v;
		q->limit_pkts = 0;
		return 0;
	}
	if (!parse_real(y->str, false, &(double){ 0 }))
		return scn_fail(c, y, "limit: expected a number of packets like 100 "
				"or a size like 64KiB, got '%s'",
				scn_quote(y->str, q2, sizeof(q2)));
	if (get_uint(c, y, "limit (packets)", 1, MAX_QUEUE_PKTS, &v) < 0)
		return -1;
	q->limit_pkts = (uint32_t)v;
	q->limit_bytes = 0;
	return 0;
}

/* A RED threshold: packets, or a size in bytes mode ("15KB", "15000"). */
static int get_threshold(struct scn_ctx *c, const struct scn_y *y,
			 const char *what, bool bytes, double *out)
{
	uint64_t v;

	if (!bytes)
		return get_real(c, y, what, 0, (double)MAX_QUEUE_PKTS, false, false,
				out);
	if (get_size(c, y, what, 0, MAX_QUEUE_BYTES, &v) < 0)
		return -1;
	*out = (double)v;
	return 0;
}

static int load_queue(struct scn_ctx *c, const struct scn_y *y,
		      struct queue_conf *q)
{
	static const char *const modes[] = { "packets", "bytes", NULL };
	const struct scn_y *t, *v, *minv, *maxv;
	int type = 0, mode = 0;
	uint64_t u;

	queue_defaults(q);
	if (y->kind == SCN_Y_SCALAR && !scn_y_null(y)) {
		/* "queue: red" is {type: red} */
		if (get_word(c, y, "queue type", queue_types, &type) < 0)
			return -1;
		snprintf(q->type, sizeof(q->type), "%s", queue_types[type]);
		return 0;
	}
	if (want_map(c, y, "queue", "{type: red, limit: 100}") < 0 ||
	    check_keys(c, y, "in queue", red_keys) < 0)
		return -1;
	if ((t = scn_map_get(y, "type")) &&
	    get_word(c, t, "queue type", queue_types, &type) < 0)
		return -1;
	snprintf(q->type, sizeof(q->type), "%s", queue_types[type]);
	if (check_type_keys(c, y, "queue", q->type,
			    type == 0 ? droptail_keys : red_keys) < 0)
		return -1;
	if ((v = scn_map_get(y, "limit")) && get_limit(c, v, q) < 0)
		return -1;
	if (type == 0)
		return 0;

	if ((v = scn_map_get(y, "mode")) && get_word(c, v, "RED mode", modes, &mode) < 0)
		return -1;
	q->byte_mode = mode == 1;
	if ((v = scn_map_get(y, "mean_pktsize"))) {
		if (get_size(c, v, "mean_pktsize", 1, 65535, &u) < 0)
			return -1;
		q->mean_pkt_bytes = (uint32_t)u;
	}
	if (q->byte_mode) {     /* the packet defaults, as bytes */
		q->min_th = 5.0 * q->mean_pkt_bytes;
		q->max_th = 15.0 * q->mean_pkt_bytes;
	}
	if ((minv = scn_map_get(y, "min_th")) &&
	    get_threshold(c, minv, "min_th", q->byte_mode, &q->min_th) < 0)
		return -1;
	if ((maxv = scn_map_get(y, "max_th")) &&
	    get_threshold(c, maxv, "max_th", q->byte_mode, &q->max_th) < 0)
		return -1;
	if ((v = scn_map_get(y, "max_p")) &&
	    get_real(c, v, "max_p", 0, 1, true, false, &q->max_p) < 0)
		return -1;
	if ((v = scn_map_get(y, "wq")) &&
	    get_real(c, v, "wq", 0, 1, true, false, &q->wq) < 0)
		return -1;
	if ((v = scn_map_get(y, "gentle")) && get_bool(c, v, "gentle", &q->gentle) < 0)
		return -1;
	if ((v = scn_map_get(y, "ecn")) && get_bool(c, v, "ecn", &q->ecn) < 0)
		return -1;

	if (q->min_th >= q->max_th)
		return scn_fail(c, maxv ? maxv : minv ? minv : y, "RED needs min_th "
				"below max_th, got min_th %g and max_th %g%s",
				q->min_th, q->max_th, maxv && minv ? "" :
				" (one of them the default)");
	/* max_th beyond the limit is unreachable: compare when the units
	 * agree (packets with packets, bytes with bytes). */
	if ((!q->byte_mode && q->limit_pkts && q->max_th > q->limit_pkts) ||
	    (q->byte_mode && q->limit_bytes && q->max_th > (double)q->limit_bytes)) {
		const struct scn_y *at = maxv ? maxv : scn_map_get(y, "limit");
		return scn_fail(c, at ? at : y, "RED's max_th (%g) is above the "
				"queue limit (%llu %s)%s", q->max_th,
				(unsigned long long)(q->byte_mode ? q->limit_bytes
							 : q->limit_pkts),
				q->byte_mode ? "bytes" : "packets",
				maxv ? "" : ": max_th defaults to 15 packets");
	}
	return 0;
}

/* loss: {type: list, packets: [14, 26, 28]} - the 1-based numbers of the
 * packets to drop, counting every packet that finishes transmission in the
 * direction.  They must be strictly increasing: an unsorted or repeated
 * number is more likely a typo than a wish, so it is an error, not sorted. */
static int load_drop_list(struct scn_ctx *c, const struct scn_y *y,
			  struct fault_conf *f)
{
	char what[48];
	char q[200];

	if (want_list(c, y, "loss packets", "[14, 26, 28]") < 0)
		return -1;
	if (y->n > FAULT_LIST_MAX)
		return scn_fail(c, y, "loss packets: at most %d packet numbers, "
				"got %d", FAULT_LIST_MAX, y->n);
	for (int i = 0; i < y->n; i++) {
		const struct scn_y *v = y->item[i];
		uint64_t n;

		snprintf(what, sizeof what, "loss packets[%d]", i);
		if (get_uint(c, v, what, 1, 1000000000000ull, &n) < 0)
			return -1;
		if (i > 0 && n <= f->drop_pkts[i - 1])
			return scn_fail(c, v, "loss packets must be strictly "
					"increasing: '%s' follows %llu",
					scn_quote(v->str, q, sizeof(q)),
					(unsigned long long)f->drop_pkts[i - 1]);
		f->drop_pkts[i] = n;
	}
	f->n_drop_pkts = y->n;
	return 0;
}

static int load_loss(struct scn_ctx *c, const struct scn_y *y, struct fault_conf *f)
{
	static const char *const all[] = { "type", "p", "r", "loss_bad",
		"loss_good", "packets", NULL };
	static const char *const none_keys[] = { "type", NULL };
	static const char *const bern_keys[] = { "type", "p", NULL };
	static const char *const gilbert_keys[] = { "type", "p", "r", "loss_bad",
		"loss_good", NULL };
	static const char *const list_keys[] = { "type", "packets", NULL };
	static const char *const *const type_keys[] = { none_keys, bern_keys,
		gilbert_keys, list_keys };
	static const enum loss_type type_of[] = { LOSS_NONE, LOSS_BERNOULLI,
		LOSS_GILBERT, LOSS_LIST };
	static const char *const types[] = { "none", "bernoulli", "gilbert",
		"list", NULL };
	const struct scn_y *t, *v;
	int type = 1;
	char q[200];

	f->loss = LOSS_NONE;
	f->p = f->r = f->loss_good = 0;
	f->loss_bad = 1;
	f->n_drop_pkts = 0;
	if (y->kind == SCN_Y_SCALAR && !scn_y_null(y)) {
		/* "loss: none" or "loss: 0.01" (Bernoulli) */
		if (strcmp(y->str, "none") == 0)
			return 0;
		if (!parse_real(y->str, true, &f->p))
			return scn_fail(c, y, "loss: expected a probability like 0.01, "
					"none, or a map like {type: gilbert, p: 0.01, "
					"r: 0.3}, got '%s'", scn_quote(y->str, q, sizeof(q)));
		f->loss = LOSS_BERNOULLI;
		return get_prob(c, y, "loss", &f->p);
	}
	if (want_map(c, y, "loss", "{type: bernoulli, p: 0.01}") < 0 ||
	    check_keys(c, y, "in loss", all) < 0)
		return -1;
	if ((t = scn_map_get(y, "type")) && get_word(c, t, "loss type", types, &type) < 0)
		return -1;
	if (check_type_keys(c, y, "loss", types[type], type_keys[type]) < 0)
		return -1;
	f->loss = type_of[type];
	if (f->loss == LOSS_NONE)
		return 0;
	if (f->loss == LOSS_LIST) {
		if (!(v = scn_map_get(y, "packets")))
			return scn_fail(c, y, "missing required key 'packets' in loss "
					"(the numbers of the packets to drop, "
					"like [14, 26, 28])");
		return load_drop_list(c, v, f);
	}
	if (!(v = scn_map_get(y, "p")))
		return scn_fail(c, y, "missing required key 'p' in loss (the %s)",
				f->loss == LOSS_BERNOULLI ? "loss probability" :
				"probability of going from the good to the bad state");
	if (get_prob(c, v, "p", &f->p) < 0)
		return -1;
	if (f->loss == LOSS_BERNOULLI)
		return 0;
	if (!(v = scn_map_get(y, "r")))
		return scn_fail(c, y, "missing required key 'r' in loss (the "
				"probability of going from the bad to the good state)");
	if (get_prob(c, v, "r", &f->r) < 0)
		return -1;
	if ((v = scn_map_get(y, "loss_bad")) && get_prob(c, v, "loss_bad", &f->loss_bad) < 0)
		return -1;
	if ((v = scn_map_get(y, "loss_good")) &&
	    get_prob(c, v, "loss_good", &f->loss_good) < 0)
		return -1;
	return 0;
}

static int load_reorder(struct scn_ctx *c, const struct scn_y *y,
			struct fault_conf *f)
{
	static const char *const keys[] = { "p", "delay", NULL };
	const struct scn_y *p, *d;

	if (want_map(c, y, "reorder", "{p: 0.01, delay: 5ms}") < 0 ||
	    check_keys(c, y, "in reorder", keys) < 0)
		return -1;
	f->reorder_p = 0;
	f->reorder_delay = 0;
	if (!(p = scn_map_get(y, "p")))
		return scn_fail(c, y, "missing required key 'p' in reorder (the "
				"probability that a packet is delayed)");
	if (get_prob(c, p, "reorder p", &f->reorder_p) < 0)
		return -1;
	if ((d = scn_map_get(y, "delay")) &&
	    get_time(c, d, "reorder delay", 0, MAX_DELAY, &f->reorder_delay) < 0)
		return -1;
	if (f->reorder_p > 0 && f->reorder_delay == 0)
		return scn_fail(c, d ? d : y, "reorder needs a delay above 0 when p "
				"is above 0 (packets are held back by up to this "
				"much), like {p: 0.01, delay: 5ms}");
	return 0;
}

static const char *const dir_keys[] = { "queue", "loss", "duplicate", "reorder",
	"corrupt", NULL };

/* The per-direction keys present in map m, applied to d.  A key replaces
 * that whole aspect (a forward `queue:` is a new queue, not a patch). */
static int load_dir_keys(struct scn_ctx *c, const struct scn_y *m, struct scn_dir *d)
{
	const struct scn_y *v;

	if ((v = scn_map_get(m, "queue")) && load_queue(c, v, &d->queue) < 0)
		return -1;
	if ((v = scn_map_get(m, "loss")) && load_loss(c, v, &d->faults) < 0)
		return -1;
	if ((v = scn_map_get(m, "duplicate")) &&
	    get_prob(c, v, "duplicate", &d->faults.dup_p) < 0)
		return -1;
	if ((v = scn_map_get(m, "corrupt")) &&
	    get_prob(c, v, "corrupt", &d->faults.corrupt_p) < 0)
		return -1;
	if ((v = scn_map_get(m, "reorder")) && load_reorder(c, v, &d->faults) < 0)
		return -1;
	return 0;
}

static int load_direction(struct scn_ctx *c, const struct scn_y *link,
			  const char *which, struct scn_dir *d)
{
	const struct scn_y *m = scn_map_get(link, which);
	int i;

	if (!m)
		return 0;
	if (want_map(c, m, which, "{queue: {type: red}, loss: 0.01}") < 0)
		return -1;
	for (i = 0; i < m->n; i++) {
		const struct scn_y *k = m->item[2 * i];
		if (!in_list(k->str, dir_keys) &&
		    (!strcmp(k->str, "bandwidth") || !strcmp(k->str, "delay")))
			return scn_fail(c, k, "'%s' is the same in both directions of "
					"a link; only queue, loss, duplicate, reorder "
					"and corrupt can differ per direction", k->str);
	}
	if (check_keys(c, m, which[0] == 'f' ? "in forward" : "in reverse",
		       dir_keys) < 0)
		return -1;
	return load_dir_keys(c, m, d);
}

static int load_links(struct scn_ctx *c, const struct scn_y *root,
		      struct scenario *sc)
{
	static const char *const keys[] = { "name", "between", "bandwidth", "delay",
		"queue", "loss", "duplicate", "reorder", "corrupt", "forward",
		"reverse", NULL };
	const struct scn_y *list = scn_map_get(root, "links");
	struct dup_key *dk;
	int i, first, second;

	if (!list)
		return 0;
	if (want_list(c, list, "links", "[{between: [h1, r1], bandwidth: 10Mbps}]") < 0)
		return -1;
	if (list->n == 0)
		return 0;
	if (!(sc->links = calloc((size_t)list->n, sizeof(*sc->links))))
		return scn_fail(c, list, "out of memory");
	sc->n_links = list->n;
	for (i = 0; i < list->n; i++) {
		const struct scn_y *it = list->item[i], *bt, *y;
		struct scn_link *l = &sc->links[i];
		struct scn_dir both;

		l->pos = it->pos;
		if (want_map(c, it, "link", "{between: [h1, r1], bandwidth: 10Mbps, "
			     "delay: 5ms}") < 0 ||
		    check_keys(c, it, "in link", keys) < 0)
			return -1;
		if (!(bt = scn_map_get(it, "between")))
			return scn_fail(c, it, "missing required key 'between' in link "
					"(the two nodes it joins, like between: [h1, r1])");
		if (want_list(c, bt, "between", "[h1, r1]") < 0)
			return -1;
		if (bt->n != 2)
			return scn_fail(c, bt, "between: a link joins exactly two nodes, "
					"got %d", bt->n);
		if (get_node(c, sc, bt->item[0], "between", &l->a) < 0 ||
		    get_node(c, sc, bt->item[1], "between", &l->b) < 0)
			return -1;
		if (l->a == l->b)
			return scn_fail(c, bt->item[1], "a link joins two different nodes, "
					"got '%s' twice", sc->nodes[l->a].name);
		if (!(y = scn_map_get(it, "bandwidth")))
			return scn_fail(c, it, "missing required key 'bandwidth' in link "
					"(like bandwidth: 10Mbps)");
		if (get_rate(c, y, "bandwidth", &l->bandwidth_bps) < 0)
			return -1;
		if ((y = scn_map_get(it, "delay")) &&
		    get_time(c, y, "delay", 0, MAX_DELAY, &l->delay) < 0)
			return -1;
		if ((y = scn_map_get(it, "name"))) {
			if (get_name(c, y, "link name", sizeof(l->name) - 1, l->name) < 0)
				return -1;
		} else {
			snprintf(l->name, sizeof(l->name), "%s-%s", sc->nodes[l->a].name,
				 sc->nodes[l->b].name);
		}
		memset(&both, 0, sizeof(both));
		queue_defaults(&both.queue);
		both.faults.loss_bad = 1;
		if (load_dir_keys(c, it, &both) < 0)
			return -1;
		l->dir[0] = l->dir[1] = both;
		if (load_direction(c, it, "forward", &l->dir[0]) < 0 ||
		    load_direction(c, it, "reverse", &l->dir[1]) < 0)
			return -1;
	}
	if (!(dk = calloc((size_t)sc->n_links, sizeof(*dk))))
		return scn_fail(c, list, "out of memory");
	for (i = 0; i < sc->n_links; i++)
		dk[i] = (struct dup_key){ sc->links[i].name, 0, i };
	if (find_dup(dk, sc->n_links, &first, &second) > 0) {
		const struct scn_y *it = list->item[second];
		const struct scn_y *at = scn_map_get(it, "name");
		free(dk);
		return scn_fail(c, at ? at : it, "duplicate link name '%s' (first at "
				"line %d)%s", sc->links[second].name,
				sc->links[first].pos.line, at ? "" :
				": links between the same nodes need distinct names");
	}
	free(dk);
	return 0;
}

/* ------------------------------------------------------------------- apps */

/* The applications, the transport each runs over and the keys each takes
 * (proto/app*.c have the behaviour). */
static const char *const cbr_keys[] = { "type", "rate", "size", "count", NULL };
static const char *const onoff_keys[] = { "type", "rate", "size", "on", "off",
	"count", NULL };
static const char *const poisson_keys[] = { "type", "rate", "size", "size_dist",
	"count", NULL };
static const char *const udp_reqresp_keys[] = { "type", "size", "response",
	"interval", "timeout", "retries", "count", NULL };
static const char *const bulk_keys[] = { "type", "bytes", "write_rate",
	"write_size", "read_rate", "read_size", "close", "listen", "open",
	"server_close", "reply", NULL };
static const char *const reqresp_keys[] = { "type", "count", "size",
	"object_size", "mode", "think", "read_rate", "read_size", NULL };
static const char *const interactive_keys[] = { "type", "count", "interval",
	"size", "echo", "read_rate", "read_size", "interrupt", NULL };

enum app_kind { APP_CBR, APP_ONOFF, APP_POISSON, APP_UDP_REQRESP, APP_BULK,
	APP_REQRESP, APP_INTERACTIVE, N_APP_KINDS };

static const struct app_type {
	const char *name;
	enum scn_proto proto;
	const char *const *keys;
} app_types[N_APP_KINDS] = {
	[APP_CBR] = { "cbr", SCN_UDP, cbr_keys },
	[APP_ONOFF] = { "onoff", SCN_UDP, onoff_keys },
	[APP_POISSON] = { "poisson", SCN_UDP, poisson_keys },
	[APP_UDP_REQRESP] = { "udp-reqresp", SCN_UDP, udp_reqresp_keys },
	[APP_BULK] = { "bulk", SCN_TCP, bulk_keys },
	[APP_REQRESP] = { "reqresp", SCN_TCP, reqresp_keys },
	[APP_INTERACTIVE] = { "interactive", SCN_TCP, interactive_keys },
};

static const char *proto_name(enum scn_proto p)
{
	return p == SCN_TCP ? "tcp" : "udp";
}

/* The names of the apps that run over p, NULL-terminated; kinds[i] is the
 * app_kind of names[i]. */
static void app_names(enum scn_proto p, const char **names, int *kinds)
{
	int i, n = 0;

	for (i = 0; i < N_APP_KINDS; i++) {
		if (app_types[i].proto != p)
			continue;
		kinds[n] = i;
		names[n++] = app_types[i].name;
	}
	names[n] = NULL;
}

/* A value that is either a number (with or without unit) or one of a few
 * words with a meaning of their own ("unlimited", "rfc3390").  *word is the
 * index of the word, or -1 when the value looks like a number, for the
 * caller to parse; `expected` describes both forms for the message. */
static int word_or_number(struct scn_ctx *c, const struct scn_y *y,
			  const char *what, const char *const *words,
			  const char *expected, int *word)
{
	char q[200];
	const char *near;
	int i;

	if (want_scalar(c, y, what) < 0)
		return -1;
	for (i = 0; words[i]; i++) {
		if (strcmp(y->str, words[i]) == 0) {
			*word = i;
			return 0;
		}
	}
	*word = -1;
	if (isdigit((unsigned char)y->str[0]) || y->str[0] == '.')
		return 0;
	near = scn_nearest(y->str, words, count(words));
	if (near)
		return scn_fail(c, y, "%s: expected %s, got '%s' (did you mean '%s'?)",
				what, expected, scn_quote(y->str, q, sizeof(q)), near);
	return scn_fail(c, y, "%s: expected %s, got '%s'", what, expected,
			scn_quote(y->str, q, sizeof(q)));
}

static const char *const unlimited[] = { "unlimited", NULL };

/* A rate where 0 (or "unlimited") means no limit. */
static int get_rate_limit(struct scn_ctx *c, const struct scn_y *y,
			  const char *what, uint64_t *out)
{
	char err[300], q[200];
	int w;

	if (word_or_number(c, y, what, unlimited, "a rate like 10Mbps, or "
			   "unlimited", &w) < 0)
		return -1;
	if (w == 0) {
		*out = 0;
		return 0;
	}
	if (units_rate(y->str, out, err, sizeof(err)) < 0)
		return scn_fail(c, y, "%s: %s", what, err);
	if (*out > MAX_BANDWIDTH)
		return scn_fail(c, y, "%s must be at most 10Tbps (0 or unlimited: "
				"no limit), got '%s'", what,
				scn_quote(y->str, q, sizeof(q)));
	return 0;
}

/* A size where 0 (or "unlimited") means no limit. */
static int get_size_limit(struct scn_ctx *c, const struct scn_y *y,
			  const char *what, uint64_t max, uint64_t *out)
{
	int w;

	if (word_or_number(c, y, what, unlimited, "a size like 10MB, or "
			   "unlimited", &w) < 0)
		return -1;
	if (w == 0) {
		*out = 0;
		return 0;
	}
	return get_size(c, y, what, 0, max, out);
}

static int load_udp_app(struct scn_ctx *c, const struct scn_y *y,
			enum app_kind type, struct app_conf *a)
{
	static const char *const dists[] = { "fixed", "exp", NULL };
	const struct scn_y *v;
	int dist = 0;
	uint64_t u;

	a->size = type == APP_UDP_REQRESP ? 64 : 1000;
	a->response = 512;
	a->on_mean = a->off_mean = SIM_S;
	a->interval = a->timeout = SIM_S;
	a->retries = 3;
	if (type != APP_UDP_REQRESP) {
		if (!(v = scn_map_get(y, "rate")))
			return scn_fail(c, y, "missing required key 'rate' in app "
					"(like rate: 1Mbps)");
		if (get_rate(c, v, "rate", &a->rate_bps) < 0)
			return -1;
	}
	if ((v = scn_map_get(y, "size"))) {
		if (get_size(c, v, "size", 1, MAX_DATAGRAM, &u) < 0)
			return -1;
		a->size = (uint32_t)u;
	}
	if ((v = scn_map_get(y, "count")) &&
	    get_uint(c, v, "count", 0, UINT64_MAX, &a->count) < 0)
		return -1;
	if ((v = scn_map_get(y, "size_dist"))) {
		if (get_word(c, v, "size_dist", dists, &dist) < 0)
			return -1;
		a->size_exp = dist == 1;
	}
	if ((v = scn_map_get(y, "on")) &&
	    get_time(c, v, "on", 1, MAX_DURATION, &a->on_mean) < 0)
		return -1;
	if ((v = scn_map_get(y, "off")) &&
	    get_time(c, v, "off", 1, MAX_DURATION, &a->off_mean) < 0)
		return -1;
	if ((v = scn_map_get(y, "response"))) {
		if (get_size(c, v, "response", 1, MAX_DATAGRAM, &u) < 0)
			return -1;
		a->response = (uint32_t)u;
	}
	if ((v = scn_map_get(y, "interval")) &&
	    get_time(c, v, "interval", 0, MAX_DURATION, &a->interval) < 0)
		return -1;
	if ((v = scn_map_get(y, "timeout")) &&
	    get_time(c, v, "timeout", 1, MAX_DURATION, &a->timeout) < 0)
		return -1;
	if ((v = scn_map_get(y, "retries"))) {
		if (get_uint(c, v, "retries", 0, 1000, &u) < 0)
			return -1;
		a->retries = (uint32_t)u;
	}
	return 0;
}

/* bulk, reqresp and interactive; the keys present are the type's own
 * (check_type_keys() saw to that), so each is read where it appears. */
static int load_tcp_app(struct scn_ctx *c, const struct scn_y *y,
			enum app_kind type, struct app_conf *a)
{
	static const char *const modes[] = { "separate", "persistent",
		"pipelined", NULL };            /* enum app_reqresp_mode order */
	const struct scn_y *v;
	uint64_t u;
	int k;

	switch (type) {
	case APP_BULK:
		a->close_when_done = true;
		break;
	case APP_REQRESP:
		a->count = 1;
		a->size = 100;
		a->object_size = 10000;
		a->mode = REQRESP_PERSISTENT;
		a->interval = 0;
		break;
	default:                /* interactive */
		a->count = 0;
		a->interval = 200 * SIM_MS;
		a->size = 1;
		a->echo = true;
		break;
	}
	if ((v = scn_map_get(y, "bytes")) &&
	    get_size_limit(c, v, "bytes", MAX_APP_BYTES, &a->bytes) < 0)
		return -1;
	if ((v = scn_map_get(y, "write_rate")) &&
	    get_rate_limit(c, v, "write_rate", &a->write_rate_bps) < 0)
		return -1;
	if ((v = scn_map_get(y, "write_size"))) {
		if (get_size(c, v, "write_size", 0, MAX_TCP_BUF, &u) < 0)
			return -1;
		a->write_size = (uint32_t)u;
	}
	if ((v = scn_map_get(y, "read_rate")) &&
	    get_rate_limit(c, v, "read_rate", &a->read_rate_bps) < 0)
		return -1;
	if ((v = scn_map_get(y, "read_size"))) {
		if (get_size(c, v, "read_size", 0, MAX_TCP_BUF, &u) < 0)
			return -1;
		a->read_size = (uint32_t)u;
	}
	if ((v = scn_map_get(y, "close"))) {
		/* true, false, or abort (SO_LINGER 0: RST, unsent data lost) */
		char q[200];

		if (want_scalar(c, v, "close") < 0)
			return -1;
		if (strcmp(v->str, "abort") == 0)
			a->close_when_done = a->close_abort = true;
		else if (word_true(v->str) || word_false(v->str))
			a->close_when_done = word_true(v->str);
		else
			return scn_fail(c, v, "close: expected true, false or abort, got '%s'",
					scn_quote(v->str, q, sizeof(q)));
	}
	if ((v = scn_map_get(y, "count")) &&
	    get_uint(c, v, "count", type == APP_REQRESP ? 1 : 0, UINT64_MAX,
		     &a->count) < 0)
		return -1;
	if ((v = scn_map_get(y, "size"))) {
		if (get_size(c, v, "size", 1, MAX_TCP_BUF, &u) < 0)
			return -1;
		a->size = (uint32_t)u;
	}
	if ((v = scn_map_get(y, "object_size")) &&
	    get_size(c, v, "object_size", 1, MAX_APP_BYTES, &a->object_size) < 0)
		return -1;
	if ((v = scn_map_get(y, "mode"))) {
		if (get_word(c, v, "reqresp mode", modes, &k) < 0)
			return -1;
		a->mode = (enum app_reqresp_mode)k;
	}
	if ((v = scn_map_get(y, "think")) &&
	    get_time(c, v, "think", 0, MAX_DURATION, &a->interval) < 0)
		return -1;
	/* a mean gap of 0 would type endlessly at one instant */
	if ((v = scn_map_get(y, "interval")) &&
	    get_time(c, v, "interval", 1, MAX_DURATION, &a->interval) < 0)
		return -1;
	if ((v = scn_map_get(y, "echo")) && get_bool(c, v, "echo", &a->echo) < 0)
		return -1;
	if ((v = scn_map_get(y, "listen"))) {
		bool listen;

		if (get_bool(c, v, "listen", &listen) < 0)
			return -1;
		a->no_listen = !listen;
	}
	if ((v = scn_map_get(y, "open"))) {
		static const char *const opens[] = { "active", "simultaneous", NULL };

		if (get_word(c, v, "open", opens, &k) < 0)
			return -1;
		a->simultaneous = k == 1;
	}
	if ((v = scn_map_get(y, "server_close"))) {
		static const char *const closes[] = { "on_eof", "at_stop", "never", NULL };

		if (get_word(c, v, "server_close", closes, &k) < 0)
			return -1;
		a->server_close = (enum app_server_close)k;
	}
	if ((v = scn_map_get(y, "reply")) &&
	    get_size(c, v, "reply", 0, MAX_APP_BYTES, &a->reply) < 0)
		return -1;
	if ((v = scn_map_get(y, "interrupt")) &&
	    get_time(c, v, "interrupt", 1, MAX_DURATION, &a->interrupt) < 0)
		return -1;
	if (a->no_listen && a->simultaneous)
		return scn_fail(c, y, "open: simultaneous needs the server end; "
				"it cannot be combined with listen: false");
	return 0;
}

static int load_app(struct scn_ctx *c, const struct scn_y *y,
		    const struct scn_flow *f, struct app_conf *a)
{
	static const char *const all[] = { "type", "rate", "size", "size_dist",
		"count", "on", "off", "response", "interval", "timeout", "retries",
		"bytes", "write_rate", "write_size", "read_rate", "read_size",
		"close", "object_size", "mode", "think", "echo", "listen", "open",
		"server_close", "reply", "interrupt", NULL };
	const char *names[N_APP_KINDS + 1], *proto = proto_name(f->proto);
	const struct scn_y *t;
	int kinds[N_APP_KINDS], i, k;
	enum app_kind type;
	char q[200], v[200];

	app_names(f->proto, names, kinds);
	if (want_map(c, y, "app", f->proto == SCN_TCP ? "{type: bulk}" :
		     "{type: cbr, rate: 1Mbps}") < 0 ||
	    check_keys(c, y, "in app", all) < 0)
		return -1;
	if (!(t = scn_map_get(y, "type")))
		return scn_fail(c, y, "missing required key 'type' in app (%s apps: "
				"%s)", proto, join_list(names, v, sizeof(v)));
	for (i = 0; t->kind == SCN_Y_SCALAR && i < N_APP_KINDS; i++)
		if (app_types[i].proto != f->proto &&
		    strcmp(t->str, app_types[i].name) == 0)
			return scn_fail(c, t, "app type '%s' runs over %s, but flow "
					"'%s' is a %s flow (%s apps: %s)",
					scn_quote(t->str, q, sizeof(q)),
					proto_name(app_types[i].proto), f->name,
					proto, proto, join_list(names, v, sizeof(v)));
	if (get_word(c, t, "app type", names, &k) < 0)
		return -1;
	type = (enum app_kind)kinds[k];
	snprintf(a->type, sizeof(a->type), "%s", app_types[type].name);
	if (check_type_keys(c, y, "app", a->type, app_types[type].keys) < 0)
		return -1;
	return f->proto == SCN_TCP ? load_tcp_app(c, y, type, a)
				   : load_udp_app(c, y, type, a);
}

/* ---------------------------------------------------------- tcp endpoints */

/* The endpoint keys that set one tcp_conf field directly, with their
 * ranges.  The others (tcp_word_keys: words, or numbers with a word for a
 * special value) are read in load_tcp_end().  Defaults come from
 * tcp_conf_defaults(); docs/scenario.md lists every key. */
enum tcp_key_kind { TK_BOOL, TK_SIZE, TK_COUNT, TK_TIME };

struct tcp_key {
	const char *name;
	enum tcp_key_kind kind;
	size_t off;             /* of a bool, uint32_t or sim_time_t */
	int64_t min, max;       /* bytes, a count, or nanoseconds */
};

#define TCF(field) offsetof(struct tcp_conf, field)
static const struct tcp_key tcp_keys[] = {
	{ "mss",               TK_SIZE,  TCF(mss), 64, 65495 },
	{ "mss_option",        TK_BOOL,  TCF(opt_mss), 0, 0 },
	{ "wscale",            TK_BOOL,  TCF(opt_wscale), 0, 0 },
	{ "timestamps",        TK_BOOL,  TCF(opt_ts), 0, 0 },
	{ "sack",              TK_BOOL,  TCF(opt_sack), 0, 0 },
	{ "tfo",               TK_BOOL,  TCF(tfo), 0, 0 },
	{ "sndbuf",            TK_SIZE,  TCF(sndbuf), 1, MAX_TCP_BUF },
	{ "rcvbuf",            TK_SIZE,  TCF(rcvbuf), 1, MAX_TCP_BUF },
	{ "nodelay",           TK_BOOL,  TCF(nodelay), 0, 0 },
	{ "sws_receiver",      TK_BOOL,  TCF(sws_receiver), 0, 0 },
	{ "sws_sender",        TK_BOOL,  TCF(sws_sender), 0, 0 },
	{ "delack",            TK_TIME,  TCF(delack), 0, MAX_TCP_TIMER },
	{ "ack_every",         TK_COUNT, TCF(ack_every), 1, MAX_TCP_COUNT },
	{ "msl",               TK_TIME,  TCF(msl), 1, MAX_RTO },
	{ "connect_timeout",   TK_TIME,  TCF(connect_timeout), 1, MAX_DURATION },
	{ "fin_wait2_timeout", TK_TIME,  TCF(fin_wait2_timeout), 0, MAX_DURATION },
	{ "max_retries",       TK_COUNT, TCF(max_retries), 1, MAX_TCP_COUNT },
	{ "backlog",           TK_COUNT, TCF(backlog), 1, MAX_TCP_QUEUE },
	{ "syn_backlog",       TK_COUNT, TCF(syn_backlog), 1, MAX_TCP_QUEUE },
	{ "keepalive",         TK_BOOL,  TCF(keepalive), 0, 0 },
	{ "keepalive_idle",    TK_TIME,  TCF(keepalive_idle), 1, MAX_DURATION },
	{ "keepalive_intvl",   TK_TIME,  TCF(keepalive_intvl), 1, MAX_DURATION },
	{ "keepalive_probes",  TK_COUNT, TCF(keepalive_probes), 1, MAX_TCP_COUNT },
	{ "rto_initial",       TK_TIME,  TCF(rtt.rto_initial), 1, MAX_RTO },
	{ "rto_min",           TK_TIME,  TCF(rtt.rto_min), 1, MAX_RTO },
	{ "rto_max",           TK_TIME,  TCF(rtt.rto_max), 1, MAX_RTO },
	{ "clock_granularity", TK_TIME,  TCF(rtt.granularity), 0, MAX_TCP_TIMER },
	{ "timer_tick",        TK_TIME,  TCF(timer_tick), 0, MAX_TCP_TIMER },
	{ "dupthresh",         TK_COUNT, TCF(dupthresh), 1, MAX_TCP_COUNT },
	{ "abc",               TK_BOOL,  TCF(abc), 0, 0 },
	{ "limited_transmit",  TK_BOOL,  TCF(limited_transmit), 0, 0 },
	{ "ecn",               TK_BOOL,  TCF(ecn), 0, 0 },
	{ "cwv_nvp",           TK_TIME,  TCF(cwv_nvp), 1, MAX_DURATION },
};
#undef TCF
#define N_TCP_KEYS ((int)(sizeof(tcp_keys) / sizeof(tcp_keys[0])))

static const char *const tcp_word_keys[] = { "rx_mode", "isn", "rto",
	"rto_alpha", "rto_beta", "cc", "init_cwnd", "init_ssthresh", "cwv", NULL };
#define N_TCP_WORD_KEYS 9
/* The keys of tcp: that are not endpoint keys. */
static const char *const tcp_flow_keys[] = { "from", "to", "sport", "dport",
	"client", "server", NULL };
#define N_TCP_FLOW_KEYS 6
#define N_TCP_ALL_KEYS (N_TCP_KEYS + N_TCP_WORD_KEYS + N_TCP_FLOW_KEYS)

/* RTO estimators (proto/tcp_rtt.c's registry) and congestion control
 * algorithms (proto/tcp_cc*.c, tcp_cc_registry): only the names, so that
 * checking a scenario needs no TCP code.  Add a name here with its file. */
static const char *const tcp_rtos[] = { "rfc6298", "jacobson88", "rfc793", NULL };
static const char *const tcp_ccs[] = { "reno", "tahoe", "newreno", "sack",
					"cubic", "vegas", "fixed", NULL };

/* Every endpoint key, then (with_flow) the other keys of tcp:; NULL-ended.
 * names needs N_TCP_ALL_KEYS + 1 places. */
static void tcp_key_names(const char **names, bool with_flow)
{
	int i, n = 0;

	for (i = 0; i < N_TCP_KEYS; i++)
		names[n++] = tcp_keys[i].name;
	for (i = 0; tcp_word_keys[i]; i++)
		names[n++] = tcp_word_keys[i];
	for (i = 0; with_flow && tcp_flow_keys[i]; i++)
		names[n++] = tcp_flow_keys[i];
	names[n] = NULL;
}

/* One end's value for key: from its own map (client: or server:) if it
 * has the key, else from the map common to both ends (tcp: itself). */
static const struct scn_y *end_get(const struct scn_y *common,
				   const struct scn_y *own, const char *key)
{
	const struct scn_y *v = own ? scn_map_get(own, key) : NULL;

	return v ? v : scn_map_get(common, key);
}

/* Fill t, which holds the defaults, from the endpoint keys of common and
 * own.  which: "client" or "server"; NULL for the pass over common alone,
 * which checks each common value even when both ends override it and skips
 * the checks between keys (those hold only for an end's final values). */
static int load_tcp_end(struct scn_ctx *c, const struct scn_y *common,
			const struct scn_y *own, const char *which,
			struct tcp_conf *t)
{
	static const char *const rx_modes[] = { "reassemble", "gbn", NULL };
	static const char *const cwv_modes[] = { "rfc5681", "rfc7661", "none", NULL };
	static const char *const isn_words[] = { "random", "clock", "bsd", NULL };
	static const char *const cwnd_words[] = { "rfc3390", NULL };
	const struct scn_y *v, *lo, *hi, *at;
	uint64_t u;
	int i, w;

	for (i = 0; i < N_TCP_KEYS; i++) {
		const struct tcp_key *k = &tcp_keys[i];
		void *field = (char *)t + k->off;

		if (!(v = end_get(common, own, k->name)))
			continue;
		switch (k->kind) {
		case TK_BOOL:
			if (get_bool(c, v, k->name, field) < 0)
				return -1;
			break;
		case TK_SIZE:
		case TK_COUNT:
			if ((k->kind == TK_SIZE ?
			     get_size(c, v, k->name, (uint64_t)k->min,
				      (uint64_t)k->max, &u) :
			     get_uint(c, v, k->name, (uint64_t)k->min,
				      (uint64_t)k->max, &u)) < 0)
				return -1;
			*(uint32_t *)field = (uint32_t)u;
			break;
		case TK_TIME:
			if (get_time(c, v, k->name, k->min, k->max, field) < 0)
				return -1;
			break;
		}
	}
	if ((v = end_get(common, own, "cwv"))) {
		if (get_word(c, v, "cwv", cwv_modes, &w) < 0)
			return -1;
		t->cwv = w == 0 ? TCP_CWV_RFC5681 : w == 1 ? TCP_CWV_RFC7661 : TCP_CWV_NONE;
	}
	if ((v = end_get(common, own, "rx_mode"))) {
		if (get_word(c, v, "rx_mode", rx_modes, &w) < 0)
			return -1;
		t->rx_mode = w ? TCP_RX_GBN : TCP_RX_REASSEMBLE;
	}
	if ((v = end_get(common, own, "isn"))) {
		if (word_or_number(c, v, "isn", isn_words, "random, clock, bsd or a "
				   "number from 0 to 4294967295", &w) < 0)
			return -1;
		if (w < 0) {
			if (get_uint(c, v, "isn", 0, UINT32_MAX, &u) < 0)
				return -1;
			t->isn_mode = TCP_ISN_FIXED;
			t->isn = (uint32_t)u;
		} else {
			t->isn_mode = w == 2 ? TCP_ISN_BSD : w ? TCP_ISN_CLOCK : TCP_ISN_RANDOM;
			t->isn = 0;
		}
	}
	if ((v = end_get(common, own, "rto"))) {
		if (get_word(c, v, "rto", tcp_rtos, &w) < 0)
			return -1;
		snprintf(t->rtt.name, sizeof(t->rtt.name), "%s", tcp_rtos[w]);
	}
	if ((v = end_get(common, own, "rto_alpha")) &&
	    get_real(c, v, "rto_alpha", 0, 1, true, true, &t->rtt.alpha) < 0)
		return -1;
	if ((v = end_get(common, own, "rto_beta")) &&
	    get_real(c, v, "rto_beta", 1, 10, false, false, &t->rtt.beta) < 0)
		return -1;
	if ((v = end_get(common, own, "cc"))) {
		if (get_word(c, v, "cc", tcp_ccs, &w) < 0)
			return -1;
		snprintf(t->cc, sizeof(t->cc), "%s", tcp_ccs[w]);
	}
	if ((v = end_get(common, own, "init_cwnd"))) {
		if (word_or_number(c, v, "init_cwnd", cwnd_words, "a number of "
				   "segments from 1 to 1000, or rfc3390", &w) < 0)
			return -1;
		if (w < 0 && get_uint(c, v, "init_cwnd (segments)", 1, 1000, &u) < 0)
			return -1;
		t->init_cwnd = w < 0 ? (uint32_t)u : 0;
	}
	if ((v = end_get(common, own, "init_ssthresh"))) {
		if (word_or_number(c, v, "init_ssthresh", unlimited, "a size like "
				   "64KB, or unlimited", &w) < 0)
			return -1;
		if (w < 0 && get_size(c, v, "init_ssthresh", 1, UINT32_MAX, &u) < 0)
			return -1;
		t->init_ssthresh = w < 0 ? (uint32_t)u : 0;
	}
	if (!which)
		return 0;

	/* Between keys, on this end's final values.  Blame the value the end
	 * set itself if it did: the common one suits the other end. */
	lo = end_get(common, own, "rto_min");
	hi = end_get(common, own, "rto_max");
	if (t->rtt.rto_min > t->rtt.rto_max) {
		char a[40], b[40], end[40] = "";
		bool mine = own && (scn_map_get(own, "rto_min") ||
				    scn_map_get(own, "rto_max"));
		at = lo ? lo : hi;
		if (own && scn_map_get(own, "rto_max"))
			at = hi;
		if (own && scn_map_get(own, "rto_min"))
			at = lo;
		units_fmt_time(t->rtt.rto_min, a, sizeof(a));
		units_fmt_time(t->rtt.rto_max, b, sizeof(b));
		if (mine)
			snprintf(end, sizeof(end), " at the %s end", which);
		return scn_fail(c, at, "rto_min %s%s is above rto_max %s%s%s",
				a, lo ? "" : " (the default)", b,
				hi ? "" : " (the default)", end);
	}
	/* RFC 793's alpha and beta mean nothing to the other estimators,
	 * whose gains are fixed (tcp_rtt.h). */
	for (i = 0; i < 2 && strcmp(t->rtt.name, "rfc793") != 0; i++) {
		const char *key = i ? "rto_beta" : "rto_alpha";
		if ((v = end_get(common, own, key)))
			return scn_fail(c, v, "%s is used only by rto: rfc793 (the %s "
					"end uses %s, whose gains are fixed)", key,
					which, t->rtt.name);
	}
	return 0;
}

/* tcp: {..., client: {...}, server: {...}} -> f->tcp[0] and f->tcp[1]. */
static int load_tcp_ends(struct scn_ctx *c, const struct scn_y *m,
			 struct scn_flow *f)
{
	static const char *const ends[] = { "client", "server" };
	const char *keys[N_TCP_ALL_KEYS + 1];
	const struct scn_y *own[2];
	struct tcp_conf common;
	char what[16];
	int e, i;

	tcp_key_names(keys, false);
	for (e = 0; e < 2; e++) {
		if (!(own[e] = scn_map_get(m, ends[e])))
			continue;
		if (want_map(c, own[e], ends[e], "{mss: 536, rcvbuf: 64KB}") < 0)
			return -1;
		for (i = 0; i < own[e]->n; i++) {
			const struct scn_y *k = own[e]->item[2 * i];
			if (in_list(k->str, tcp_flow_keys))
				return scn_fail(c, k, "'%s' belongs in tcp: itself; "
						"%s: holds only settings of the %s end "
						"(like mss or rcvbuf)", k->str, ends[e],
						ends[e]);
		}
		snprintf(what, sizeof(what), "in %s", ends[e]);
		if (check_keys(c, own[e], what, keys) < 0)
			return -1;
	}
	tcp_conf_defaults(&common);
	if (load_tcp_end(c, m, NULL, NULL, &common) < 0)
		return -1;
	for (e = 0; e < 2; e++) {
		tcp_conf_defaults(&f->tcp[e]);
		if (load_tcp_end(c, m, own[e], ends[e], &f->tcp[e]) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------------ flows */

/* Connected components of the link graph, for reachability checks. */
static int uf_find(int *parent, int x)
{
	while (parent[x] != x)
		x = parent[x] = parent[parent[x]];
	return x;
}

/* One port in use at a node: the receiver's (to, dport) or the sender's
 * (from, sport), which replies are addressed to.  Ports are unique per
 * node and protocol: a udp and a tcp flow may share a number. */
struct endpoint {
	int node, proto, port, flow;
	bool dst;
	const struct scn_y *at;
};

static int ep_cmp(const void *pa, const void *pb)
{
	const struct endpoint *a = pa, *b = pb;

	if (a->node != b->node)
		return a->node < b->node ? -1 : 1;
	if (a->proto != b->proto)
		return a->proto < b->proto ? -1 : 1;
	if (a->port != b->port)
		return a->port < b->port ? -1 : 1;
	if (a->flow != b->flow)
		return a->flow < b->flow ? -1 : 1;
	return (int)b->dst - (int)a->dst;       /* a flow's dport before sport */
}

static bool ep_same(const struct endpoint *a, const struct endpoint *b)
{
	return a->node == b->node && a->proto == b->proto && a->port == b->port;
}

/* Two TCP flows may send to the same (node, port): they share one listener
 * (proto/app_tcp.c), as many clients of one server do - when both listen
 * there normally (not listen: false, not a simultaneous open). */
static bool ep_shared_listener(const struct scenario *sc, const struct endpoint *a,
			       const struct endpoint *b)
{
	const struct app_conf *x = &sc->flows[a->flow].app, *y = &sc->flows[b->flow].app;

	return a->dst && b->dst && a->proto == SCN_TCP && !x->no_listen &&
	       !x->simultaneous && !y->no_listen && !y->simultaneous;
}

static int check_ports(struct scn_ctx *c, struct scenario *sc,
		       struct endpoint *ep, int n)
{
	int i, best = -1;

	qsort(ep, (size_t)n, sizeof(*ep), ep_cmp);
	for (i = 1; i < n; i++) {
		if (!ep_same(&ep[i], &ep[i - 1]) || ep_shared_listener(sc, &ep[i], &ep[i - 1]))
			continue;
		/* report the pair whose later member comes first in the file */
		if (best < 0 || ep[i].flow < ep[best].flow ||
		    (ep[i].flow == ep[best].flow && ep[i].dst && !ep[best].dst))
			best = i;
	}
	if (best < 0)
		return 0;
	{
		const struct endpoint *a, *b = &ep[best];
		const char *node = sc->nodes[b->node].name;
		const char *proto = b->proto == SCN_TCP ? "tcp " : "";
		/* the group's earliest member, for the message */
		int g = best - 1;
		while (g > 0 && ep_same(&ep[g - 1], b))
			g--;
		a = &ep[g];
		if (a->dst && b->dst)
			return scn_fail(c, b->at, "flows '%s' and '%s' both send to "
					"%sport %d at node '%s' (give one a different "
					"dport)", sc->flows[a->flow].name,
					sc->flows[b->flow].name, proto, b->port, node);
		return scn_fail(c, b->at, "%sport %d at node '%s' is used by both "
				"flow '%s' and flow '%s' (give one a different %s)",
				proto, b->port, node, sc->flows[a->flow].name,
				sc->flows[b->flow].name, b->dst ? "dport" : "sport");
	}
}

static bool pos_before(struct scn_pos a, struct scn_pos b)
{
	return a.line < b.line || (a.line == b.line && a.col < b.col);
}

/* udp: or tcp:, checked against the keys its protocol takes. */
static int check_proto_keys(struct scn_ctx *c, const struct scn_y *m,
			    enum scn_proto proto)
{
	static const char *const udp_keys[] = { "from", "to", "sport", "dport",
		NULL };
	const char *keys[N_TCP_ALL_KEYS + 1];
	int i;

	tcp_key_names(keys, true);
	if (proto == SCN_TCP)
		return check_keys(c, m, "in tcp", keys);
	for (i = 0; i < m->n; i++) {
		const struct scn_y *k = m->item[2 * i];
		if (!in_list(k->str, udp_keys) && in_list(k->str, keys))
			return scn_fail(c, k, "'%s' is a tcp setting, and this is a "
					"udp flow (udp: takes from, to, sport and "
					"dport)", k->str);
	}
	return check_keys(c, m, "in udp", udp_keys);
}

static int load_flow(struct scn_ctx *c, struct scenario *sc, const struct scn_y *it,
		     int idx, int *comp, struct endpoint *ep)
{
	static const char *const keys[] = { "name", "udp", "tcp", "app", "start",
		"stop", NULL };
	struct scn_flow *f = &sc->flows[idx];
	const struct scn_y *u, *tm, *y, *sp, *dp, *st;
	const char *pname;
	uint64_t port;

	f->pos = it->pos;
	if (want_map(c, it, "flow", "{name: u1, udp: {from: h1, to: h2}, app: "
		     "{type: cbr, rate: 1Mbps}}") < 0 ||
	    check_keys(c, it, "in flow", keys) < 0)
		return -1;
	if (!(y = scn_map_get(it, "name")))
		return scn_fail(c, it, "missing required key 'name' in flow");
	if (get_name(c, y, "flow name", sizeof(f->name) - 1, f->name) < 0)
		return -1;
	u = scn_map_get(it, "udp");
	tm = scn_map_get(it, "tcp");
	if (u && tm) {
		const struct scn_y *ku = scn_map_key(it, "udp");
		const struct scn_y *kt = scn_map_key(it, "tcp");
		return scn_fail(c, pos_before(ku->pos, kt->pos) ? kt : ku, "flow "
				"'%s' has both udp: and tcp:; a flow runs over one "
				"of them", f->name);
	}
	if (!u && !tm)
		return scn_fail(c, it, "missing required key 'udp' or 'tcp' in flow "
				"'%s' (like udp: {from: h1, to: h2} or tcp: {from: "
				"h1, to: h2})", f->name);
	f->proto = u ? SCN_UDP : SCN_TCP;
	pname = proto_name(f->proto);
	if (!u)
		u = tm;
	if (want_map(c, u, pname, "{from: h1, to: h2}") < 0 ||
	    check_proto_keys(c, u, f->proto) < 0)
		return -1;
	if (!(y = scn_map_get(u, "from")))
		return scn_fail(c, u, "missing required key 'from' in %s", pname);
	if (get_node(c, sc, y, "from", &f->from) < 0)
		return -1;
	if (!(y = scn_map_get(u, "to")))
		return scn_fail(c, u, "missing required key 'to' in %s", pname);
	if (get_node(c, sc, y, "to", &f->to) < 0)
		return -1;
	if (f->from == f->to)
		return scn_fail(c, y, "a flow goes between two different nodes, got "
				"'%s' for both from and to", sc->nodes[f->to].name);
	if (uf_find(comp, f->from) != uf_find(comp, f->to))
		return scn_fail(c, y, "node '%s' cannot be reached from '%s': no "
				"chain of links joins them", sc->nodes[f->to].name,
				sc->nodes[f->from].name);

	f->sport = (uint16_t)(49152 + idx % 16384);
	if ((sp = scn_map_get(u, "sport"))) {
		if (get_uint(c, sp, "sport", 1, 65535, &port) < 0)
			return -1;
		f->sport = (uint16_t)port;
	}
	if ((dp = scn_map_get(u, "dport"))) {
		if (get_uint(c, dp, "dport", 1, 65535, &port) < 0)
			return -1;
		f->dport = (uint16_t)port;
	} else if (5000 + idx > 65535) {
		return scn_fail(c, u, "flow '%s' needs a dport: the default 5000 + "
				"flow index is above 65535", f->name);
	} else {
		f->dport = (uint16_t)(5000 + idx);
	}
	ep[2 * idx] = (struct endpoint){ f->to, (int)f->proto, f->dport, idx,
					 true, dp ? dp : u };
	ep[2 * idx + 1] = (struct endpoint){ f->from, (int)f->proto, f->sport,
					     idx, false, sp ? sp : u };
	if (f->proto == SCN_TCP && load_tcp_ends(c, u, f) < 0)
		return -1;

	if (!(y = scn_map_get(it, "app")))
		return scn_fail(c, it, "missing required key 'app' in flow '%s' (like "
				"app: %s)", f->name, f->proto == SCN_TCP ?
				"{type: bulk}" : "{type: cbr, rate: 1Mbps}");
	if (load_app(c, y, f, &f->app) < 0)
		return -1;

	f->start = 0;
	f->stop = sc->duration;
	if ((st = scn_map_get(it, "start")) &&
	    get_time(c, st, "start", 0, MAX_DURATION, &f->start) < 0)
		return -1;
	if ((y = scn_map_get(it, "stop")) &&
	    get_time(c, y, "stop", 0, MAX_DURATION, &f->stop) < 0)
		return -1;
	if (f->stop > sc->duration) {
		char a[40], b[40];
		units_fmt_time(f->stop, a, sizeof(a));
		units_fmt_time(sc->duration, b, sizeof(b));
		return scn_fail(c, y, "stop %s is after the end of the run "
				"(duration %s)", a, b);
	}
	if (f->start >= f->stop) {
		char a[40], b[40];
		units_fmt_time(f->start, a, sizeof(a));
		units_fmt_time(f->stop, b, sizeof(b));
		return scn_fail(c, st ? st : y ? y : it, "start %s must be before "
				"stop %s%s", a, b,
				y ? "" : " (the end of the run)");
	}
	return 0;
}

static int load_flows(struct scn_ctx *c, const struct scn_y *root,
		      struct scenario *sc)
{
	const struct scn_y *list = scn_map_get(root, "flows");
	struct endpoint *ep = NULL;
	struct dup_key *dk = NULL;
	int *comp = NULL, i, first, second, rc = -1;

	if (!list)
		return 0;
	if (want_list(c, list, "flows", "[{name: u1, udp: {from: h1, to: h2}, "
		      "app: {type: cbr, rate: 1Mbps}}]") < 0)
		return -1;
	if (list->n == 0)
		return 0;
	sc->flows = calloc((size_t)list->n, sizeof(*sc->flows));
	ep = calloc((size_t)list->n * 2, sizeof(*ep));
	dk = calloc((size_t)list->n, sizeof(*dk));
	comp = calloc((size_t)sc->n_nodes, sizeof(*comp));
	if (!sc->flows || !ep || !dk || !comp) {
		scn_fail(c, list, "out of memory");
		goto out;
	}
	sc->n_flows = list->n;
	for (i = 0; i < sc->n_nodes; i++)
		comp[i] = i;
	for (i = 0; i < sc->n_links; i++)
		comp[uf_find(comp, sc->links[i].a)] = uf_find(comp, sc->links[i].b);
	for (i = 0; i < list->n; i++)
		if (load_flow(c, sc, list->item[i], i, comp, ep) < 0)
			goto out;
	for (i = 0; i < sc->n_flows; i++)
		dk[i] = (struct dup_key){ sc->flows[i].name, 0, i };
	if (find_dup(dk, sc->n_flows, &first, &second) > 0) {
		scn_fail(c, scn_map_get(list->item[second], "name"), "duplicate flow "
			 "name '%s' (first at line %d)", sc->flows[second].name,
			 sc->flows[first].pos.line);
		goto out;
	}
	rc = check_ports(c, sc, ep, 2 * sc->n_flows);
out:
	free(ep);
	free(dk);
	free(comp);
	return rc;
}

/* ----------------------------------------------------------------- events */

/* Links joining a and b (either way round); *n_found of them. */
static int link_between(const struct scenario *sc, int a, int b, int *n_found)
{
	int i, found = -1;

	*n_found = 0;
	for (i = 0; i < sc->n_links; i++) {
		const struct scn_link *l = &sc->links[i];
		if ((l->a == a && l->b == b) || (l->a == b && l->b == a)) {
			if (found < 0)
				found = i;
			++*n_found;
		}
	}
	return found;
}

static int link_by_name(const struct scenario *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->n_links; i++)
		if (strcmp(sc->links[i].name, name) == 0)
			return i;
	return -1;
}

/* A link reference: its name, or [A, B] when one link joins A and B. */
static int get_link(struct scn_ctx *c, const struct scenario *sc,
		    const struct scn_y *y, int *out)
{
	char q[200];
	int a, b, n;

	if (y->kind == SCN_Y_SEQ) {
		if (y->n != 2)
			return scn_fail(c, y, "link: expected a link name or two "
					"nodes like [r1, r2], got a list of %d", y->n);
		if (get_node(c, sc, y->item[0], "link", &a) < 0 ||
		    get_node(c, sc, y->item[1], "link", &b) < 0)
			return -1;
		*out = link_between(sc, a, b, &n);
		if (n == 0)
			return scn_fail(c, y, "no link joins '%s' and '%s'",
					sc->nodes[a].name, sc->nodes[b].name);
		if (n > 1)
			return scn_fail(c, y, "%d links join '%s' and '%s': name the "
					"one you mean", n, sc->nodes[a].name,
					sc->nodes[b].name);
		return 0;
	}
	if (want_scalar(c, y, "link") < 0)
		return -1;
	if ((*out = link_by_name(sc, y->str)) >= 0)
		return 0;
	{
		const char **names = malloc((size_t)(sc->n_links + 1) * sizeof(*names));
		const char *near;
		int i;
		if (!names)
			return scn_fail(c, y, "out of memory");
		for (i = 0; i < sc->n_links; i++)
			names[i] = sc->links[i].name;
		near = scn_nearest(y->str, names, sc->n_links);
		if (near)
			scn_fail(c, y, "unknown link '%s' (did you mean '%s'?)",
				 scn_quote(y->str, q, sizeof(q)), near);
		else
			scn_fail(c, y, "unknown link '%s' (links are named 'A-B' after "
				 "their nodes unless they have a name)",
				 scn_quote(y->str, q, sizeof(q)));
		free(names);
		return -1;
	}
}

/* A node event: {at, node: NAME, set: {crash: true}}. */
static int load_node_event(struct scn_ctx *c, struct scenario *sc, const struct scn_y *it,
			   const struct scn_y *y, struct scn_event *e)
{
	static const char *const node_set_keys[] = { "crash", NULL };
	const struct scn_y *set;

	e->link = -1;
	if (scn_map_get(it, "link"))
		return scn_fail(c, scn_map_get(it, "link"), "an event is about a link or a "
				"node, not both");
	if (get_node(c, sc, y, "node", &e->node) < 0)
		return -1;
	if (!(set = scn_map_get(it, "set")))
		return scn_fail(c, it, "missing required key 'set' in event "
				"(like set: {crash: true})");
	if (want_map(c, set, "set", "{crash: true}") < 0 ||
	    check_keys(c, set, "in a node event's set", node_set_keys) < 0)
		return -1;
	if (!(y = scn_map_get(set, "crash")))
		return scn_fail(c, set, "a node event needs set: {crash: true}");
	if (get_bool(c, y, "crash", &e->crash) < 0)
		return -1;
	return 0;
}

static int load_events(struct scn_ctx *c, const struct scn_y *root,
		       struct scenario *sc)
{
	static const char *const keys[] = { "at", "link", "node", "set", NULL };
	static const char *const set_keys[] = { "up", "bandwidth", "delay", NULL };
	const struct scn_y *list = scn_map_get(root, "events");
	int i;

	if (!list)
		return 0;
	if (want_list(c, list, "events", "[{at: 5s, link: r1-r2, set: {up: false}}]") < 0)
		return -1;
	if (list->n == 0)
		return 0;
	if (!(sc->events = calloc((size_t)list->n, sizeof(*sc->events))))
		return scn_fail(c, list, "out of memory");
	sc->n_events = list->n;
	for (i = 0; i < list->n; i++) {
		const struct scn_y *it = list->item[i], *y, *set;
		struct scn_event *e = &sc->events[i];

		e->pos = it->pos;
		e->node = -1;
		if (want_map(c, it, "event", "{at: 5s, link: r1-r2, set: {up: false}}") < 0 ||
		    check_keys(c, it, "in event", keys) < 0)
			return -1;
		if (!(y = scn_map_get(it, "at")))
			return scn_fail(c, it, "missing required key 'at' in event");
		if (get_time(c, y, "at", 0, MAX_DURATION, &e->at) < 0)
			return -1;
		if (e->at > sc->duration) {
			char a[40], b[40];
			units_fmt_time(e->at, a, sizeof(a));
			units_fmt_time(sc->duration, b, sizeof(b));
			return scn_fail(c, y, "event at %s is after the end of the run "
					"(duration %s)", a, b);
		}
		if ((y = scn_map_get(it, "node"))) {
			if (load_node_event(c, sc, it, y, e) < 0)
				return -1;
			continue;
		}
		if (!(y = scn_map_get(it, "link")))
			return scn_fail(c, it, "missing required key 'link' (or 'node') in event");
		if (get_link(c, sc, y, &e->link) < 0)
			return -1;
		if (!(set = scn_map_get(it, "set")))
			return scn_fail(c, it, "missing required key 'set' in event "
					"(like set: {up: false})");
		if (want_map(c, set, "set", "{up: false}") < 0 ||
		    check_keys(c, set, "in set", set_keys) < 0)
			return -1;
		if (set->n == 0)
			return scn_fail(c, set, "set needs at least one of up, "
					"bandwidth, delay");
		if ((y = scn_map_get(set, "up"))) {
			e->set_up = true;
			if (get_bool(c, y, "up", &e->up) < 0)
				return -1;
		}
		if ((y = scn_map_get(set, "bandwidth"))) {
			e->set_bandwidth = true;
			if (get_rate(c, y, "bandwidth", &e->bandwidth_bps) < 0)
				return -1;
		}
		if ((y = scn_map_get(set, "delay"))) {
			e->set_delay = true;
			if (get_time(c, y, "delay", 0, MAX_DELAY, &e->delay) < 0)
				return -1;
		}
	}
	return 0;
}

/* ------------------------------------------------------------------ trace */

/* all / true -> 1, none / false -> 0, a list -> 2, anything else -> -1 */
static int selection(const struct scn_y *y)
{
	if (y->kind == SCN_Y_SEQ)
		return 2;
	if (y->kind != SCN_Y_SCALAR || scn_y_null(y))
		return -1;
	if (!strcmp(y->str, "all") || word_true(y->str))
		return 1;
	if (!strcmp(y->str, "none") || word_false(y->str))
		return 0;
	return -1;
}

static int bad_selection(struct scn_ctx *c, const struct scn_y *y,
			 const char *what, const char *example)
{
	char d[240];

	return scn_fail(c, y, "trace %s: expected a list like %s, all, true or "
			"false, got %s", what, example, scn_y_describe(y, d, sizeof(d)));
}

static int load_trace(struct scn_ctx *c, const struct scn_y *root,
		      struct scenario *sc)
{
	static const char *const keys[] = { "packets", "flows", "queues", "pcap",
		"snaplen", "tcp_server", NULL };
	const struct scn_y *m = scn_map_get(root, "trace"), *y;
	struct scn_trace *t = &sc->trace;
	int i, j, s;
	uint64_t u;

	/* Always allocated (at least one element), so users need no NULL check. */
	t->flows = calloc((size_t)sc->n_flows + 1, sizeof(bool));
	t->queues = calloc((size_t)sc->n_links * 2 + 1, sizeof(bool));
	t->pcap = calloc((size_t)sc->n_nodes + 1, sizeof(bool));
	if (!t->flows || !t->queues || !t->pcap)
		return scn_fail(c, root, "out of memory");
	if (!m)
		return 0;
	if (want_map(c, m, "trace", "{packets: true, flows: all}") < 0 ||
	    check_keys(c, m, "in trace", keys) < 0)
		return -1;
	if ((y = scn_map_get(m, "packets")) && get_bool(c, y, "packets", &t->packets) < 0)
		return -1;
	if ((y = scn_map_get(m, "tcp_server")) &&
	    get_bool(c, y, "tcp_server", &t->tcp_server) < 0)
		return -1;
	if ((y = scn_map_get(m, "snaplen"))) {
		if (get_size(c, y, "snaplen", 0, MAX_SNAPLEN, &u) < 0)
			return -1;
		t->snaplen = (uint32_t)u;
	}
	if ((y = scn_map_get(m, "flows"))) {
		if ((s = selection(y)) < 0)
			return bad_selection(c, y, "flows", "[f1, u1]");
		for (i = 0; i < sc->n_flows; i++)
			t->flows[i] = s == 1;
		for (i = 0; s == 2 && i < y->n; i++) {
			const struct scn_y *it = y->item[i];
			char q[200];
			if (want_scalar(c, it, "trace flows") < 0)
				return -1;
			if ((j = scn_flow_index(sc, it->str)) < 0)
				return scn_fail(c, it, "unknown flow '%s' in trace flows",
						scn_quote(it->str, q, sizeof(q)));
			t->flows[j] = true;
		}
	}
	if ((y = scn_map_get(m, "pcap"))) {
		if ((s = selection(y)) < 0)
			return bad_selection(c, y, "pcap", "[h1, h2]");
		for (i = 0; i < sc->n_nodes; i++)
			t->pcap[i] = s == 1;
		for (i = 0; s == 2 && i < y->n; i++) {
			if (get_node(c, sc, y->item[i], "trace pcap", &j) < 0)
				return -1;
			t->pcap[j] = true;
		}
	}
	if ((y = scn_map_get(m, "queues"))) {
		if ((s = selection(y)) < 0)
			return bad_selection(c, y, "queues", "[[r1, r2]]");
		for (i = 0; i < 2 * sc->n_links; i++)
			t->queues[i] = s == 1;
		for (i = 0; s == 2 && i < y->n; i++) {
			const struct scn_y *it = y->item[i];
			int a, b, k, n = 0;
			if (it->kind == SCN_Y_SCALAR && !scn_y_null(it)) {
				/* a link name: both its directions */
				if (get_link(c, sc, it, &k) < 0)
					return -1;
				t->queues[2 * k] = t->queues[2 * k + 1] = true;
				continue;
			}
			if (it->kind != SCN_Y_SEQ || it->n != 2)
				return scn_fail(c, it, "trace queues: expected a direction "
						"like [r1, r2] (the queue from r1 to r2) "
						"or a link name");
			if (get_node(c, sc, it->item[0], "trace queues", &a) < 0 ||
			    get_node(c, sc, it->item[1], "trace queues", &b) < 0)
				return -1;
			for (k = 0; k < sc->n_links; k++) {
				const struct scn_link *l = &sc->links[k];
				if (l->a == a && l->b == b)
					t->queues[2 * k] = true, n++;
				else if (l->a == b && l->b == a)
					t->queues[2 * k + 1] = true, n++;
			}
			if (n == 0)
				return scn_fail(c, it, "no link joins '%s' and '%s', so "
						"there is no queue to trace",
						sc->nodes[a].name, sc->nodes[b].name);
		}
	}
	return 0;
}

static int load_plots(struct scn_ctx *c, const struct scn_y *root,
		      struct scenario *sc)
{
	/* In SCN_PLOT_* bit order: kind k is bit k. */
	static const char *const kinds[] = { "queue", "throughput", "delay", "cwnd",
		"rtt", "seq", "tcp-throughput", NULL };
	static const char *const formats[] = { "png", "svg", "pdf", NULL };
	static const char *const keys[] = { "kinds", "format", NULL };
	const struct scn_y *y = scn_map_get(root, "plots"), *list = NULL, *v;
	int i, k;

	sc->plots = SCN_PLOT_QUEUE | SCN_PLOT_THROUGHPUT | SCN_PLOT_DELAY |
		    SCN_PLOT_CWND | SCN_PLOT_RTT | SCN_PLOT_SEQ | SCN_PLOT_TCP_THROUGHPUT;
	snprintf(sc->plot_format, sizeof(sc->plot_format), "png");
	if (!y)
		return 0;
	if (y->kind == SCN_Y_MAP) {
		if (check_keys(c, y, "in plots", keys) < 0)
			return -1;
		if ((v = scn_map_get(y, "format"))) {
			if (get_word(c, v, "plot format", formats, &k) < 0)
				return -1;
			snprintf(sc->plot_format, sizeof(sc->plot_format), "%s",
				 formats[k]);
		}
		list = scn_map_get(y, "kinds");
	} else if (y->kind == SCN_Y_SCALAR && !scn_y_null(y) &&
		   (!strcmp(y->str, "none") || word_false(y->str))) {
		sc->plots = 0;
		return 0;
	} else if (y->kind == SCN_Y_SCALAR && !scn_y_null(y) &&
		   (!strcmp(y->str, "all") || word_true(y->str))) {
		return 0;
	} else {
		list = y;
	}
	if (!list)
		return 0;
	if (want_list(c, list, "plots", "[queue, throughput]") < 0)
		return -1;
	sc->plots = 0;
	for (i = 0; i < list->n; i++) {
		if (get_word(c, list->item[i], "plot kind", kinds, &k) < 0)
			return -1;
		sc->plots |= 1u << k;
	}
	return 0;
}

/* -------------------------------------------------------------- top level */

static int load_top(struct scn_ctx *c, const struct scn_y *root,
		    struct scenario *sc)
{
	static const char *const keys[] = { "name", "seed", "duration", "nodes",
		"links", "flows", "events", "trace", "plots", "vars", "sweep", NULL };
	const struct scn_y *y;

	if (check_keys(c, root, "at the top level", keys) < 0 ||
	    load_name(c, root, sc) < 0)
		return -1;
	sc->seed = 1;
	if ((y = scn_map_get(root, "seed")) &&
	    get_uint(c, y, "seed", 0, UINT64_MAX, &sc->seed) < 0)
		return -1;
	sc->duration = 10 * SIM_S;
	if ((y = scn_map_get(root, "duration")) &&
	    get_time(c, y, "duration", 1, MAX_DURATION, &sc->duration) < 0)
		return -1;
	if (load_nodes(c, root, sc) < 0 || load_links(c, root, sc) < 0 ||
	    load_flows(c, root, sc) < 0 || load_events(c, root, sc) < 0 ||
	    load_trace(c, root, sc) < 0 || load_plots(c, root, sc) < 0 ||
	    scn_sweep_load(c, root, sc) < 0)
		return -1;
	return 0;
}

int scn_load_buffer(const char *name, const char *buf, size_t len,
		    const struct scn_set *sets, int n_sets,
		    struct scenario *out, struct scn_error *err)
{
	struct scn_error spare;
	struct loader L;
	struct scn_ctx *c = &L.c;
	struct scn_y *root = NULL;
	struct scn_pos top = { 1, 1 };
	int rc = -1, k;
	char d[240];

	if (!err)
		err = &spare;
	err->msg[0] = '\0';
	memset(out, 0, sizeof(*out));
	memset(&L, 0, sizeof(L));
	c->file = name ? name : "<buffer>";
	c->sets = sets;
	c->n_sets = sets && n_sets > 0 ? n_sets : 0;
	c->err = err;
	c->cur_set = -1;
	c->alias_budget = ALIAS_BUDGET;
	snprintf(out->file, sizeof(out->file), "%s", c->file);

	if (scn_tree_parse(c, buf ? buf : "", buf ? len : 0, -1, &root) < 0)
		goto done;
	if (!root || scn_y_null(root)) {
		scn_fail_pos(c, top, "empty scenario");
		goto done;
	}
	if (root->kind != SCN_Y_MAP) {
		scn_fail(c, root, "the top level must be a map of keys like "
			 "'nodes:', 'links:' and 'flows:', got %s",
			 scn_y_describe(root, d, sizeof(d)));
		goto done;
	}
	for (k = 0; k < c->n_sets; k++)
		if (scn_tree_set(c, root, k) < 0)
			goto done;
	if (scn_tree_expand(c, root) < 0)
		goto done;
	rc = load_top(c, root, out);
done:
	scn_tree_free(root);
	free(L.node_ix);
	if (rc < 0) {
		scn_free(out);
		if (!err->msg[0])       /* every path sets one; never leave it blank */
			snprintf(err->msg, sizeof(err->msg), "%s: error: invalid "
				 "scenario", c->file);
	}
	return rc;
}

int scn_load_file(const char *path, const struct scn_set *sets, int n_sets,
		  struct scenario *out, struct scn_error *err)
{
	struct scn_error spare;
	FILE *f;
	char *buf = NULL;
	size_t len = 0, cap = 0, n;
	int rc;

	if (!err)
		err = &spare;
	memset(out, 0, sizeof(*out));
	if (!(f = fopen(path, "rb"))) {
		snprintf(err->msg, sizeof(err->msg), "%s: error: cannot read: %s",
			 path, strerror(errno));
		return -1;
	}
	for (;;) {
		if (len == cap) {
			char *nb;
			cap = cap ? 2 * cap : 65536;
			if (cap > (size_t)MAX_FILE_BYTES + 1 || !(nb = realloc(buf, cap))) {
				snprintf(err->msg, sizeof(err->msg), "%s: error: cannot "
					 "read: %s", path, cap > (size_t)MAX_FILE_BYTES + 1 ?
					 "the file is larger than 64 MiB" : "out of memory");
				free(buf);
				fclose(f);
				return -1;
			}
			buf = nb;
		}
		n = fread(buf + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		snprintf(err->msg, sizeof(err->msg), "%s: error: cannot read: %s",
			 path, strerror(errno));
		free(buf);
		fclose(f);
		return -1;
	}
	fclose(f);
	rc = scn_load_buffer(path, buf, len, sets, n_sets, out, err);
	free(buf);
	return rc;
}

void scn_free(struct scenario *sc)
{
	if (!sc)
		return;
	free(sc->nodes);
	free(sc->links);
	free(sc->flows);
	free(sc->events);
	free(sc->trace.flows);
	free(sc->trace.queues);
	free(sc->trace.pcap);
	scn_sweep_free(&sc->sweep);
	memset(sc, 0, sizeof(*sc));
}

int scn_node_index(const struct scenario *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->n_nodes; i++)
		if (strcmp(sc->nodes[i].name, name) == 0)
			return i;
	return -1;
}

int scn_flow_index(const struct scenario *sc, const char *name)
{
	int i;

	for (i = 0; i < sc->n_flows; i++)
		if (strcmp(sc->flows[i].name, name) == 0)
			return i;
	return -1;
}
