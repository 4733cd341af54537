/*
 * scenario_tree.c - YAML text to a positioned tree; --set; error messages.
 *
 * libyaml's event parser drives a small builder with an explicit stack, so
 * hostile nesting cannot exhaust the C stack: documents deeper than
 * SCN_MAX_DEPTH are refused.  The builder also does what libyaml leaves to
 * applications:
 *   - aliases (*a) are replaced by a copy of the anchored node, with a budget
 *     so that "billion laughs" documents are refused instead of expanded;
 *   - merge keys (<<: *base, or a list of them) add the keys a map lacks;
 *   - duplicate keys in a map are an error (YAML says they are; libyaml
 *     does not check).
 * Tags are ignored, except that !!str keeps a plain scalar from being null.
 *
 * --set KEY=VALUE parses VALUE with the same builder (origin k), walks KEY
 * through the tree and replaces or adds the node; scn_fail() then reports
 * problems in set nodes against the --set instead of a file position.
 */
#include "scenario_tree.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <yaml.h>

#define SCN_MAX_DEPTH   64      /* nesting of lists and maps */
#define SCN_MAX_PARTS   32      /* parts of a --set key */
#define SCN_MAX_KEYS    1000    /* keys in one map (scenario maps have ~10) */

/* ---------------------------------------------------------------- messages */

static const char *quote_n(const char *s, size_t max, char *buf, size_t len)
{
	size_t o = 0, i;

	if (len == 0)
		return buf;
	for (i = 0; s && s[i] && o + 5 < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (i == max) {
			o += (size_t)snprintf(buf + o, len - o, "...");
			break;
		}
		if (ch >= 0x20 && ch < 0x7f)
			buf[o++] = (char)ch;
		else
			o += (size_t)snprintf(buf + o, len - o, "\\x%02x", ch);
	}
	buf[o < len ? o : len - 1] = '\0';
	return buf;
}

const char *scn_quote(const char *s, char *buf, size_t len)
{
	return quote_n(s, 40, buf, len);
}

static int vfail(struct scn_ctx *c, int origin, const struct scn_pos *pos,
		 const char *fmt, va_list ap)
{
	char *m = c->err->msg;
	size_t len = sizeof(c->err->msg);
	int o;

	if (c->failed)                  /* the first problem is the one told */
		return -1;
	c->failed = true;
	if (origin >= 0 && origin < c->n_sets) {
		char k[160], v[200];
		o = snprintf(m, len, "--set %s=%s: error: ",
			     quote_n(c->sets[origin].key, 150, k, sizeof(k)),
			     quote_n(c->sets[origin].value, 150, v, sizeof(v)));
	} else if (pos) {
		o = snprintf(m, len, "%s:%d:%d: error: ", c->file, pos->line, pos->col);
	} else {
		o = snprintf(m, len, "%s: error: ", c->file);
	}
	if (o >= 0 && (size_t)o < len)
		vsnprintf(m + o, len - (size_t)o, fmt, ap);
	return -1;
}

int scn_fail(struct scn_ctx *c, const struct scn_y *at, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	/* no node while a --set is walked: the --set itself is at fault */
	vfail(c, at ? at->origin : c->cur_set, at ? &at->pos : NULL, fmt, ap);
	va_end(ap);
	return -1;
}

int scn_fail_pos(struct scn_ctx *c, struct scn_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(c, -1, &pos, fmt, ap);
	va_end(ap);
	return -1;
}

/* Optimal string alignment distance: Levenshtein plus adjacent swaps
 * ("delya" -> "delay" is 1).  Long strings are not worth a suggestion. */
int scn_distance(const char *a, const char *b)
{
	enum { MAXL = 48 };
	int d[MAXL + 1][MAXL + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;

	if (la > MAXL || lb > MAXL)
		return 1000;
	for (i = 0; i <= la; i++)
		d[i][0] = (int)i;
	for (j = 0; j <= lb; j++)
		d[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		for (j = 1; j <= lb; j++) {
			int cost = a[i - 1] == b[j - 1] ? 0 : 1;
			int v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	}
	return d[la][lb];
}

const char *scn_nearest(const char *s, const char *const *cands, int n)
{
	const char *best = NULL;
	int best_d = 1000, i;

	for (i = 0; i < n; i++) {
		int d, len = (int)strlen(cands[i]);
		int allowed = len <= 4 ? 1 : len <= 8 ? 2 : 3;
		if (strcasecmp(s, cands[i]) == 0)
			return cands[i];
		d = scn_distance(s, cands[i]);
		if (d <= allowed && d < best_d) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}

/* ------------------------------------------------------------------ nodes */

static struct scn_y *y_new(enum scn_ykind kind, struct scn_pos pos, int origin)
{
	struct scn_y *y = calloc(1, sizeof(*y));

	if (y) {
		y->kind = kind;
		y->pos = pos;
		y->origin = origin;
	}
	return y;
}

static struct scn_y *y_scalar(const char *s, size_t len, bool plain,
			      struct scn_pos pos, int origin)
{
	struct scn_y *y = y_new(SCN_Y_SCALAR, pos, origin);

	if (!y)
		return NULL;
	y->plain = plain;
	y->str = malloc(len + 1);
	if (!y->str) {
		free(y);
		return NULL;
	}
	memcpy(y->str, s, len);
	y->str[len] = '\0';
	return y;
}

void scn_tree_free(struct scn_y *y)
{
	int i, n;

	if (!y)
		return;
	n = y->kind == SCN_Y_MAP ? 2 * y->n : y->n;
	for (i = 0; i < n; i++)
		scn_tree_free(y->item[i]);
	free(y->item);
	free(y->str);
	free(y);
}

/* Append one slot (list) or two (map pair). */
static int y_push(struct scn_y *y, struct scn_y *a, struct scn_y *b)
{
	int slots = y->kind == SCN_Y_MAP ? 2 : 1;
	int used = y->n * slots;

	if (used + slots > y->cap) {
		int cap = y->cap ? 2 * y->cap : 8;
		struct scn_y **it = realloc(y->item, (size_t)cap * sizeof(*it));
		if (!it)
			return -1;
		y->item = it;
		y->cap = cap;
	}
	y->item[used] = a;
	if (slots == 2)
		y->item[used + 1] = b;
	y->n++;
	return 0;
}

static int y_height(const struct scn_y *y)
{
	int i, h = 0, n = y->kind == SCN_Y_MAP ? 2 * y->n : y->n;

	for (i = 0; i < n; i++) {
		int hi = y_height(y->item[i]);
		if (hi > h)
			h = hi;
	}
	return h + (y->kind != SCN_Y_SCALAR);
}

/* Deep copy for an alias; each node spends one unit of *budget. */
struct scn_y *scn_y_copy(const struct scn_y *y, long *budget)
{
	struct scn_y *c;
	int i, n = y->kind == SCN_Y_MAP ? 2 * y->n : y->n;

	if (--*budget < 0)
		return NULL;
	if (y->kind == SCN_Y_SCALAR)
		return y_scalar(y->str, strlen(y->str), y->plain, y->pos, y->origin);
	c = y_new(y->kind, y->pos, y->origin);
	if (!c)
		return NULL;
	c->item = calloc((size_t)(n ? n : 1), sizeof(*c->item));
	if (!c->item) {
		free(c);
		return NULL;
	}
	c->cap = n;
	for (i = 0; i < n; i++) {
		c->item[i] = scn_y_copy(y->item[i], budget);
		if (!c->item[i]) {
			c->n = y->kind == SCN_Y_MAP ? i / 2 : i;
			/* a half-built pair: free its key alone */
			if (y->kind == SCN_Y_MAP && i % 2)
				scn_tree_free(c->item[i - 1]);
			scn_tree_free(c);
			return NULL;
		}
	}
	c->n = y->n;
	return c;
}

bool scn_y_null(const struct scn_y *y)
{
	return y && y->kind == SCN_Y_SCALAR && y->plain &&
	       (!*y->str || !strcmp(y->str, "~") || !strcmp(y->str, "null") ||
		!strcmp(y->str, "Null") || !strcmp(y->str, "NULL"));
}

const char *scn_y_describe(const struct scn_y *y, char *buf, size_t len)
{
	char q[200];

	if (!y || scn_y_null(y))
		snprintf(buf, len, "nothing");
	else if (y->kind == SCN_Y_SEQ)
		snprintf(buf, len, "a list");
	else if (y->kind == SCN_Y_MAP)
		snprintf(buf, len, "a map");
	else
		snprintf(buf, len, "'%s'", scn_quote(y->str, q, sizeof(q)));
	return buf;
}

static int map_find(const struct scn_y *map, const char *key)
{
	int i;

	if (!map || map->kind != SCN_Y_MAP)
		return -1;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->item[2 * i]->str, key) == 0)
			return i;
	return -1;
}

struct scn_y *scn_map_get(const struct scn_y *map, const char *key)
{
	int i = map_find(map, key);
	return i < 0 ? NULL : map->item[2 * i + 1];
}

const struct scn_y *scn_map_key(const struct scn_y *map, const char *key)
{
	int i = map_find(map, key);
	return i < 0 ? NULL : map->item[2 * i];
}

/* ---------------------------------------------------------------- builder */

struct anchor {
	char *name;
	struct scn_y *node;
	bool done;              /* an alias inside its own anchor is a cycle */
};

struct frame {
	struct scn_y *node;
	struct scn_y *key;      /* map: key waiting for its value */
	int anchor;             /* index in anchors, or -1 */
};

struct builder {
	struct scn_ctx *c;
	int origin;
	struct scn_y *root;
	struct frame stack[SCN_MAX_DEPTH];
	int depth;
	struct anchor *anchors;
	int n_anchors, cap_anchors;
	struct scn_y *grave;    /* merge-key pairs, freed after the parse */
};

static struct scn_pos mark_pos(yaml_mark_t m)
{
	struct scn_pos p = { (int)m.line + 1, (int)m.column + 1 };
	return p;
}

static int b_fail(struct builder *b, struct scn_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int b_fail(struct builder *b, struct scn_pos pos, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vfail(b->c, b->origin, &pos, fmt, ap);
	va_end(ap);
	return -1;
}

static int b_oom(struct builder *b, struct scn_pos pos)
{
	return b_fail(b, pos, "out of memory");
}

static int add_anchor(struct builder *b, const yaml_char_t *name, struct scn_y *y,
		      bool done)
{
	if (b->n_anchors == b->cap_anchors) {
		int cap = b->cap_anchors ? 2 * b->cap_anchors : 8;
		struct anchor *a = realloc(b->anchors, (size_t)cap * sizeof(*a));
		if (!a)
			return -1;
		b->anchors = a;
		b->cap_anchors = cap;
	}
	b->anchors[b->n_anchors].name = strdup((const char *)name);
	if (!b->anchors[b->n_anchors].name)
		return -1;
	b->anchors[b->n_anchors].node = y;
	b->anchors[b->n_anchors].done = done;
	return b->n_anchors++;
}

/* Hang a new node under the open list/map (or make it the root).  On
 * failure y is freed. */
static int attach(struct builder *b, struct scn_y *y)
{
	struct frame *f;

	if (b->depth == 0) {
		b->root = y;
		return 0;
	}
	f = &b->stack[b->depth - 1];
	if (f->node->kind == SCN_Y_SEQ) {
		if (y_push(f->node, y, NULL) < 0) {
			scn_tree_free(y);
			return b_oom(b, y->pos);
		}
		return 0;
	}
	if (!f->key) {
		if (y->kind != SCN_Y_SCALAR) {
			struct scn_pos pos = y->pos;
			scn_tree_free(y);
			return b_fail(b, pos, "a map key must be a single value, "
				      "not a list or a map");
		}
		f->key = y;
		return 0;
	}
	if (f->node->n == SCN_MAX_KEYS) {
		struct scn_pos pos = f->key->pos;
		scn_tree_free(y);
		return b_fail(b, pos, "a map with more than %d keys", SCN_MAX_KEYS);
	}
	if (y_push(f->node, f->key, y) < 0) {
		scn_tree_free(y);
		return b_oom(b, f->node->pos);
	}
	f->key = NULL;
	return 0;
}

static int key_cmp(const void *pa, const void *pb)
{
	const struct scn_y *const *a = pa, *const *b = pb;
	int r = strcmp((*a)->str, (*b)->str);

	if (r == 0)             /* equal keys in file order */
		r = ((*a)->pos.line > (*b)->pos.line) - ((*a)->pos.line < (*b)->pos.line);
	if (r == 0)
		r = ((*a)->pos.col > (*b)->pos.col) - ((*a)->pos.col < (*b)->pos.col);
	return r;
}

/* YAML forbids a key twice in one map; libyaml does not check.  Sorting a
 * copy of the keys keeps this O(n log n) on hostile input. */
static int check_dup_keys(struct builder *b, const struct scn_y *m)
{
	const struct scn_y **k, *dup = NULL, *first = NULL;
	char q[200];
	int i;

	if (m->n < 2)
		return 0;
	if (!(k = malloc((size_t)m->n * sizeof(*k))))
		return b_oom(b, m->pos);
	for (i = 0; i < m->n; i++)
		k[i] = m->item[2 * i];
	qsort(k, (size_t)m->n, sizeof(*k), key_cmp);
	for (i = 1; i < m->n; i++) {
		if (strcmp(k[i]->str, k[i - 1]->str) != 0)
			continue;
		/* report the duplicate that comes first in the file */
		if (!dup || key_cmp(&k[i], &dup) < 0) {
			const struct scn_y *f = k[i - 1];
			int j = i - 1;
			while (j > 0 && strcmp(k[j - 1]->str, f->str) == 0)
				f = k[--j];
			dup = k[i];
			first = f;
		}
		while (i + 1 < m->n && strcmp(k[i + 1]->str, k[i]->str) == 0)
			i++;
	}
	free(k);
	if (dup)
		return b_fail(b, dup->pos, "duplicate key '%s' (first given at "
			      "line %d)", scn_quote(dup->str, q, sizeof(q)),
			      first->pos.line);
	return 0;
}

/* At the end of a map: fold in merge keys, then refuse duplicate keys.
 * Merged pairs are copies, and the "<<" pair is kept aside (in b->grave)
 * until the parse ends, so anchors inside it stay valid for later aliases. */
static int finish_map(struct builder *b, struct scn_y *m)
{
	int i, j, k;

	for (i = 0; i < m->n; i++) {
		struct scn_y *key = m->item[2 * i], *val = m->item[2 * i + 1];
		struct scn_y *const *src;
		int n_src;

		if (!key->plain || strcmp(key->str, "<<") != 0)
			continue;
		if (val->kind == SCN_Y_MAP) {
			src = &m->item[2 * i + 1];
			n_src = 1;
		} else if (val->kind == SCN_Y_SEQ) {
			src = val->item;
			n_src = val->n;
		} else {
			return b_fail(b, val->pos, "a merge key '<<' needs a map "
				      "(like <<: *defaults) or a list of maps");
		}
		for (j = 0; j < n_src; j++)
			if (src[j]->kind != SCN_Y_MAP)
				return b_fail(b, src[j]->pos, "a merge key '<<' needs "
					      "a map (like <<: *defaults)");
		if (y_push(b->grave, key, val) < 0)
			return b_oom(b, m->pos);
		memmove(&m->item[2 * i], &m->item[2 * i + 2],
			(size_t)(2 * (m->n - i - 1)) * sizeof(*m->item));
		m->n--;
		i--;
		if (val->kind == SCN_Y_MAP)
			src = &val;
		/* keys given in the map win, then earlier sources (the merge
		 * key spec) */
		for (j = 0; j < n_src; j++) {
			const struct scn_y *s = src[j];
			for (k = 0; k < s->n; k++) {
				struct scn_y *ck, *cv;
				if (map_find(m, s->item[2 * k]->str) >= 0)
					continue;
				ck = scn_y_copy(s->item[2 * k], &b->c->alias_budget);
				cv = ck ? scn_y_copy(s->item[2 * k + 1],
						 &b->c->alias_budget) : NULL;
				if (!cv || y_push(m, ck, cv) < 0) {
					scn_tree_free(ck);
					scn_tree_free(cv);
					return b_fail(b, key->pos, b->c->alias_budget < 0 ?
						      "aliases expand to too many nodes" :
						      "out of memory");
				}
			}
		}
	}
	return check_dup_keys(b, m);
}

static int open_node(struct builder *b, struct scn_y *y, const yaml_char_t *anchor)
{
	int a = -1;

	if (b->depth == SCN_MAX_DEPTH) {
		struct scn_pos pos = y->pos;
		scn_tree_free(y);
		return b_fail(b, pos, "lists and maps are nested more than %d "
			      "deep", SCN_MAX_DEPTH);
	}
	if (attach(b, y) < 0)
		return -1;
	if (anchor && (a = add_anchor(b, anchor, y, false)) < 0)
		return b_oom(b, y->pos);
	b->stack[b->depth].node = y;
	b->stack[b->depth].key = NULL;
	b->stack[b->depth].anchor = a;
	b->depth++;
	return 0;
}

static int on_alias(struct builder *b, const yaml_event_t *ev)
{
	struct scn_pos pos = mark_pos(ev->start_mark);
	const char *name = (const char *)ev->data.alias.anchor;
	struct scn_y *y;
	int i;

	for (i = b->n_anchors - 1; i >= 0; i--)
		if (strcmp(b->anchors[i].name, name) == 0)
			break;
	if (i < 0)      /* libyaml already refuses these; be safe anyway */
		return b_fail(b, pos, "unknown alias '*%s'", name);
	if (!b->anchors[i].done)
		return b_fail(b, pos, "alias '*%s' is inside the node it refers to",
			      name);
	if (b->depth + y_height(b->anchors[i].node) > SCN_MAX_DEPTH)
		return b_fail(b, pos, "lists and maps are nested more than %d "
			      "deep", SCN_MAX_DEPTH);
	y = scn_y_copy(b->anchors[i].node, &b->c->alias_budget);
	if (!y)
		return b_fail(b, pos, b->c->alias_budget < 0 ?
			      "aliases expand to too many nodes" : "out of memory");
	y->pos = pos;
	return attach(b, y);
}

/* Where libyaml's reader gave up: line and column of a byte offset. */
static struct scn_pos offset_pos(const char *buf, size_t len, size_t off)
{
	struct scn_pos p = { 1, 1 };
	size_t i;

	for (i = 0; i < off && i < len; i++) {
		if (buf[i] == '\n') {
			p.line++;
			p.col = 1;
		} else if (((unsigned char)buf[i] & 0xc0) != 0x80) {
			p.col++;                /* count characters, not bytes */
		}
	}
	return p;
}

static int parser_error(struct builder *b, const yaml_parser_t *p,
			const char *buf, size_t len)
{
	struct scn_pos pos = mark_pos(p->problem_mark);
	const char *problem = p->problem ? p->problem : "cannot parse YAML";

	switch (p->error) {
	case YAML_MEMORY_ERROR:
		return b_fail(b, pos, "out of memory while parsing YAML");
	case YAML_READER_ERROR:
		pos = offset_pos(buf, len, p->problem_offset);
		if (p->problem_value != -1)
			return b_fail(b, pos, "%s (byte 0x%02x)", problem,
				      (unsigned)p->problem_value & 0xffu);
		return b_fail(b, pos, "%s", problem);
	default:
		break;
	}
	if (b->origin >= 0) {
		char where[48];
		if (pos.line > 1)       /* libyaml ran past the end of the value */
			snprintf(where, sizeof(where), "at the end of the value");
		else
			snprintf(where, sizeof(where), "at column %d of the value",
				 pos.col);
		if (p->context)
			return b_fail(b, pos, "%s, %s (%s)", p->context, problem, where);
		return b_fail(b, pos, "%s (%s)", problem, where);
	}
	if (p->context)
		return b_fail(b, pos, "%s (%s at line %d, column %d)", problem,
			      p->context, (int)p->context_mark.line + 1,
			      (int)p->context_mark.column + 1);
	return b_fail(b, pos, "%s", problem);
}

/* One event; returns 1 at the end of the stream. */
static int on_event(struct builder *b, const yaml_event_t *ev, int *docs)
{
	struct scn_pos pos = mark_pos(ev->start_mark);
	struct scn_y *y;
	struct frame *f;

	switch (ev->type) {
	case YAML_STREAM_END_EVENT:
		return 1;
	case YAML_DOCUMENT_START_EVENT:
		if (++*docs > 1)
			return b_fail(b, pos, "a second YAML document ('---'): a "
				      "scenario is one document");
		return 0;
	case YAML_SCALAR_EVENT: {
		const yaml_char_t *tag = ev->data.scalar.tag;
		bool plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE &&
			     !(tag && strcmp((const char *)tag, YAML_STR_TAG) == 0);
		const char *v = (const char *)ev->data.scalar.value;
		size_t n = ev->data.scalar.length;

		if (memchr(v, '\0', n))
			return b_fail(b, pos, "a NUL character ('\\0') is not "
				      "allowed in a value");
		if (!(y = y_scalar(v, n, plain, pos, b->origin)))
			return b_oom(b, pos);
		if (attach(b, y) < 0)
			return -1;
		if (ev->data.scalar.anchor &&
		    add_anchor(b, ev->data.scalar.anchor, y, true) < 0)
			return b_oom(b, pos);
		return 0;
	}
	case YAML_SEQUENCE_START_EVENT:
		if (!(y = y_new(SCN_Y_SEQ, pos, b->origin)))
			return b_oom(b, pos);
		return open_node(b, y, ev->data.sequence_start.anchor);
	case YAML_MAPPING_START_EVENT:
		if (!(y = y_new(SCN_Y_MAP, pos, b->origin)))
			return b_oom(b, pos);
		return open_node(b, y, ev->data.mapping_start.anchor);
	case YAML_SEQUENCE_END_EVENT:
	case YAML_MAPPING_END_EVENT:
		if (b->depth == 0)
			return 0;
		f = &b->stack[--b->depth];
		if (f->node->kind == SCN_Y_MAP && finish_map(b, f->node) < 0)
			return -1;
		if (f->anchor >= 0)
			b->anchors[f->anchor].done = true;
		return 0;
	case YAML_ALIAS_EVENT:
		return on_alias(b, ev);
	default:
		return 0;
	}
}

int scn_tree_parse(struct scn_ctx *c, const char *buf, size_t len, int origin,
		   struct scn_y **root)
{
	struct builder b;
	yaml_parser_t p;
	yaml_event_t ev;
	int rc = 0, docs = 0, i;

	struct scn_pos pos1 = { 1, 1 };

	memset(&b, 0, sizeof(b));
	b.c = c;
	b.origin = origin;
	*root = NULL;
	if (!(b.grave = y_new(SCN_Y_MAP, pos1, origin)))
		return b_oom(&b, pos1);
	if (!yaml_parser_initialize(&p)) {
		scn_tree_free(b.grave);
		return b_oom(&b, pos1);
	}
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	while (rc == 0) {
		if (!yaml_parser_parse(&p, &ev)) {
			rc = parser_error(&b, &p, buf, len);
			break;
		}
		rc = on_event(&b, &ev, &docs);
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	/* A half-open map may still hold a key waiting for its value. */
	for (i = 0; i < b.depth; i++)
		scn_tree_free(b.stack[i].key);
	for (i = 0; i < b.n_anchors; i++)
		free(b.anchors[i].name);
	free(b.anchors);
	scn_tree_free(b.grave);
	if (rc < 0) {
		scn_tree_free(b.root);
		return -1;
	}
	*root = b.root;
	return 0;
}

/* ------------------------------------------------------------------ --set */

/* The name a list item answers to: a scalar itself, a map's `name`, or a
 * link's default "A-B" from `between`. */
static const char *item_name(const struct scn_y *it, char *buf, size_t len)
{
	const struct scn_y *n, *bt;

	if (it->kind == SCN_Y_SCALAR)
		return it->str;
	if (it->kind != SCN_Y_MAP)
		return NULL;
	n = scn_map_get(it, "name");
	if (n && n->kind == SCN_Y_SCALAR)
		return n->str;
	bt = scn_map_get(it, "between");
	if (n == NULL && bt && bt->kind == SCN_Y_SEQ && bt->n == 2 &&
	    bt->item[0]->kind == SCN_Y_SCALAR && bt->item[1]->kind == SCN_Y_SCALAR) {
		snprintf(buf, len, "%s-%s", bt->item[0]->str, bt->item[1]->str);
		return buf;
	}
	return NULL;
}

bool scn_all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Join parts[i..j] with dots into buf. */
const char *scn_join(char **parts, int i, int j, char *buf, size_t len)
{
	size_t o = 0;
	int k;

	buf[0] = '\0';
	for (k = i; k <= j && o < len; k++)
		o += (size_t)snprintf(buf + o, len - o, "%s%s", k > i ? "." : "",
				      parts[k]);
	return buf;
}

/* Resolve parts[*i...] in list `seq` to an item index: a number, or the
 * longest run of parts (names may contain dots) that names an item. */
static int seq_item(struct scn_ctx *c, const struct scn_y *seq, char **parts,
		    int n_parts, int *i)
{
	char path[300], want[300], nb[200], q[200];
	int j, it;

	scn_join(parts, 0, *i - 1, path, sizeof(path));
	if (scn_all_digits(parts[*i])) {
		unsigned long idx = strtoul(parts[*i], NULL, 10);
		if (strlen(parts[*i]) > 9 || idx >= (unsigned long)seq->n) {
			if (seq->n == 0)
				return scn_fail(c, NULL, "'%s' is an empty list: it "
						"has no item %s", path,
						scn_quote(parts[*i], q, sizeof(q)));
			return scn_fail(c, NULL, "'%s' has %d item%s (0..%d): it has "
					"no item %s", path, seq->n,
					seq->n == 1 ? "" : "s", seq->n - 1,
					scn_quote(parts[*i], q, sizeof(q)));
		}
		return (int)idx;
	}
	for (j = n_parts - 1; j >= *i; j--) {
		scn_join(parts, *i, j, want, sizeof(want));
		for (it = 0; it < seq->n; it++) {
			const char *nm = item_name(seq->item[it], nb, sizeof(nb));
			if (nm && strcmp(nm, want) == 0) {
				*i = j;
				return it;
			}
		}
	}
	return scn_fail(c, NULL, "'%s' has no item named '%s'", path,
			scn_quote(parts[*i], q, sizeof(q)));
}

static int set_walk(struct scn_ctx *c, struct scn_y *root, char **parts,
		    int n_parts, int k, struct scn_y *value)
{
	struct scn_y *cur = root, **slot = NULL;
	struct scn_pos pos = { 0, 0 };
	char path[300], q[200];
	int i;

	for (i = 0; i < n_parts; i++) {
		bool last;
		int at;

		if (cur->kind == SCN_Y_SCALAR && !scn_y_null(cur)) {
			scn_join(parts, 0, i - 1, path, sizeof(path));
			return scn_fail(c, NULL, "'%s' is a single value (%s), not a "
					"map or a list: set it whole, e.g. "
					"--set %s={...}", path,
					scn_y_describe(cur, q, sizeof(q)), path);
		}
		if (cur->kind == SCN_Y_SCALAR) {
			/* "app:" with no value: becomes the map being set */
			struct scn_y *m = y_new(SCN_Y_MAP, cur->pos, k);
			if (!m)
				return scn_fail(c, NULL, "out of memory");
			scn_tree_free(cur);
			*slot = cur = m;
		}
		if (cur->kind == SCN_Y_SEQ) {
			if ((at = seq_item(c, cur, parts, n_parts, &i)) < 0)
				return -1;
			slot = &cur->item[at];
		} else {
			at = map_find(cur, parts[i]);
			if (at < 0) {
				struct scn_y *key, *m;
				scn_join(parts, 0, i, path, sizeof(path));
				if (i + 1 < n_parts && scn_all_digits(parts[i + 1]))
					return scn_fail(c, NULL, "'%s' does not exist, "
							"so it has no item %s", path,
							scn_quote(parts[i + 1], q,
								  sizeof(q)));
				key = y_scalar(parts[i], strlen(parts[i]), true, pos, k);
				m = y_new(SCN_Y_MAP, pos, k);
				if (!key || !m || y_push(cur, key, m) < 0) {
					scn_tree_free(key);
					scn_tree_free(m);
					return scn_fail(c, NULL, "out of memory");
				}
				at = cur->n - 1;
			}
			slot = &cur->item[2 * at + 1];
		}
		last = i == n_parts - 1;
		if (last) {
			scn_tree_free(*slot);
			*slot = value;
			return 0;
		}
		/* A plain name in a list ("nodes: [h1, h2]") becomes
		 * {name: h1} when a key inside it is set. */
		if (cur->kind == SCN_Y_SEQ && (*slot)->kind == SCN_Y_SCALAR &&
		    !scn_y_null(*slot)) {
			struct scn_y *m = y_new(SCN_Y_MAP, (*slot)->pos, (*slot)->origin);
			struct scn_y *key = y_scalar("name", 4, true, (*slot)->pos,
						     (*slot)->origin);
			if (!m || !key || y_push(m, key, *slot) < 0) {
				scn_tree_free(m);
				scn_tree_free(key);
				return scn_fail(c, NULL, "out of memory");
			}
			*slot = m;
		}
		cur = *slot;
	}
	return 0;
}

static int set_apply(struct scn_ctx *c, struct scn_y *root, int k);

int scn_tree_set(struct scn_ctx *c, struct scn_y *root, int k)
{
	int rc;

	c->cur_set = k;
	if (!c->sets[k].key || !*c->sets[k].key)
		rc = scn_fail(c, NULL, "--set needs KEY=VALUE, got an empty key");
	else
		rc = set_apply(c, root, k);
	c->cur_set = -1;
	return rc;
}

static int set_apply(struct scn_ctx *c, struct scn_y *root, int k)
{
	const struct scn_set *s = &c->sets[k];
	char *key, *parts[SCN_MAX_PARTS], *p;
	struct scn_y *value = NULL;
	int n_parts = 0, rc;

	if (scn_tree_parse(c, s->value ? s->value : "",
			   s->value ? strlen(s->value) : 0, k, &value) < 0)
		return -1;
	if (!value) {   /* an empty value is null, like "key:" in a file */
		struct scn_pos pos = { 1, 1 };
		if (!(value = y_scalar("", 0, true, pos, k)))
			return scn_fail(c, NULL, "out of memory");
	}
	if (!(key = strdup(s->key))) {
		scn_tree_free(value);
		return scn_fail(c, NULL, "out of memory");
	}
	for (p = key;; p++) {
		char *dot = strchr(p, '.');
		if (n_parts == SCN_MAX_PARTS) {
			rc = scn_fail(c, value, "the key has more than %d parts",
				      SCN_MAX_PARTS);
			goto out;
		}
		parts[n_parts++] = p;
		if (dot)
			*dot = '\0';
		if (!*p) {
			rc = scn_fail(c, value, "the key has an empty part (keys "
				      "look like links.0.delay or flows.f1.app.rate)");
			goto out;
		}
		if (!dot)
			break;
		p = dot;
	}
	rc = set_walk(c, root, parts, n_parts, k, value);
	if (rc == 0)
		value = NULL;           /* now owned by the tree */
out:
	scn_tree_free(value);
	free(key);
	return rc;
}
