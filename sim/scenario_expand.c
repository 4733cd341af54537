/*
 * scenario_expand.c - scenario variables and repeated items, applied to the
 * document tree after the --set overrides and before validation:
 *
 *   vars: {n: 16, rate: 10Mbps}
 *   nodes:
 *     - {repeat: ${n}, name: s${i}}        # s0 .. s15
 *   flows:
 *     - {repeat: ${n}, name: f${i}, start: ${i}ms, ...}
 *
 * `${NAME}` in any scalar is replaced by the text of vars.NAME, so one
 * `--set vars.n=64` (or a sweep over vars.n) changes every place at once.
 * A map item of a top-level list with a `repeat: N` key stands for N copies
 * of itself, without that key, with `${i}` replaced by 0 .. N-1 in each.
 * Copies keep the template's line and column, so an error in copy 37
 * points at the template (the message names the value after substitution).
 *
 * Nothing here knows the scenario schema beyond "top-level lists": the
 * loader sees an ordinary document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "scenario_tree.h"

#define MAX_REPEAT      1000000         /* copies of one item */
#define REPEAT_BUDGET   2500000L        /* tree nodes all repeats may make
					   (~300 bytes each) */
#define MAX_VARS        64

struct vars {
	int n;
	const char *name[MAX_VARS];
	const char *value[MAX_VARS];
	const char *index;              /* ${i} inside a repeated item, or NULL */
};

static bool name_char(char ch, bool first)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') ||
	       (!first && ch >= '0' && ch <= '9');
}

static const char *var_lookup(const struct vars *v, const char *name, size_t len)
{
	if (len == 1 && name[0] == 'i')
		return v->index;
	for (int k = 0; k < v->n; k++)
		if (strlen(v->name[k]) == len && memcmp(v->name[k], name, len) == 0)
			return v->value[k];
	return NULL;
}

/* Replace every ${NAME} in the scalar y.  keep_i: leave ${i} for the
 * repeat pass (outside a repeated item it is an error, found later). */
static int subst(struct scn_ctx *c, struct scn_y *y, const struct vars *v, bool keep_i)
{
	const char *s = y->str, *p;
	char *out = NULL, q[64];
	size_t len = 0, cap = 0;

	if (!strstr(s, "${"))
		return 0;
	for (p = s; *p; ) {
		const char *piece = p, *val;
		size_t plen;

		if (p[0] == '$' && p[1] == '{') {
			const char *nm = p + 2, *e = nm;

			while (*e && name_char(*e, e == nm))
				e++;
			if (*e != '}' || e == nm) {
				free(out);
				return scn_fail(c, y, "'${' must be followed by a variable "
						"name and '}' in %s", scn_quote(s, q, sizeof q));
			}
			val = var_lookup(v, nm, (size_t)(e - nm));
			if (!val && keep_i && e - nm == 1 && *nm == 'i') {
				plen = 4;               /* "${i}" stays */
			} else if (!val) {
				char nb[48];

				snprintf(nb, sizeof nb, "%.*s", (int)(e - nm), nm);
				free(out);
				if (e - nm == 1 && *nm == 'i')
					return scn_fail(c, y, "${i} is only defined inside an "
							"item with 'repeat:'");
				return scn_fail(c, y, "unknown variable '%s' (define it "
						"under 'vars:')", scn_quote(nb, q, sizeof q));
			} else {
				piece = val;
				plen = strlen(val);
			}
			p = e + 1;
		} else {
			plen = 1;
			p++;
		}
		if (len + plen + 1 > cap) {
			char *nb;

			cap = (len + plen + 1) * 2;
			if (!(nb = realloc(out, cap))) {
				free(out);
				return scn_fail(c, y, "out of memory");
			}
			out = nb;
		}
		memcpy(out + len, piece, plen);
		len += plen;
	}
	out[len] = '\0';
	free(y->str);
	y->str = out;
	return 0;
}

static int subst_tree(struct scn_ctx *c, struct scn_y *y, const struct vars *v,
		      bool keep_i)
{
	int n;

	if (y->kind == SCN_Y_SCALAR)
		return subst(c, y, v, keep_i);
	n = y->kind == SCN_Y_MAP ? 2 * y->n : y->n;
	for (int k = 0; k < n; k++)
		if (subst_tree(c, y->item[k], v, keep_i) < 0)
			return -1;
	return 0;
}

static int load_vars(struct scn_ctx *c, const struct scn_y *root, struct vars *v)
{
	const struct scn_y *m = scn_map_get(root, "vars");
	char d[64];

	if (!m)
		return 0;
	if (m->kind != SCN_Y_MAP)
		return scn_fail(c, m, "vars must be a map of names to values, like "
				"{n: 16}, got %s", scn_y_describe(m, d, sizeof d));
	if (m->n > MAX_VARS)
		return scn_fail(c, m, "at most %d vars", MAX_VARS);
	for (int k = 0; k < m->n; k++) {
		const struct scn_y *key = m->item[2 * k], *val = m->item[2 * k + 1];
		const char *nm = key->str;

		for (const char *p = nm; *p; p++)
			if (!name_char(*p, p == nm))
				return scn_fail(c, key, "a variable name is letters, digits "
						"and '_', not starting with a digit: %s",
						scn_quote(nm, d, sizeof d));
		if (strcmp(nm, "i") == 0)
			return scn_fail(c, key, "'i' is reserved: it is the copy "
					"number inside a 'repeat:' item");
		if (val->kind != SCN_Y_SCALAR || scn_y_null(val))
			return scn_fail(c, val, "vars.%s must be a single value, got %s",
					nm, scn_y_describe(val, d, sizeof d));
		if (strstr(val->str, "${"))
			return scn_fail(c, val, "vars.%s may not refer to other "
					"variables", nm);
		v->name[v->n] = nm;
		v->value[v->n++] = val->str;
	}
	return 0;
}

/* Remove pair k of a map. */
static void map_remove(struct scn_y *m, int k)
{
	scn_tree_free(m->item[2 * k]);
	scn_tree_free(m->item[2 * k + 1]);
	memmove(&m->item[2 * k], &m->item[2 * k + 2],
		(size_t)(2 * (m->n - k - 1)) * sizeof(*m->item));
	m->n--;
}

static int repeat_count(struct scn_ctx *c, const struct scn_y *y, long *n)
{
	char *end;

	if (y->kind != SCN_Y_SCALAR || !y->str[0])
		goto bad;
	*n = strtol(y->str, &end, 10);
	if (*end || y->str[0] == '-' || y->str[0] == '+' || *n > MAX_REPEAT)
		goto bad;
	return 0;
bad:
	{
		char d[64];

		return scn_fail(c, y, "repeat must be a whole number from 0 to %d, "
				"got %s", MAX_REPEAT, scn_y_describe(y, d, sizeof d));
	}
}

/* Expand the repeat: items of one top-level list in place. */
static int expand_list(struct scn_ctx *c, struct scn_y *list, long *budget)
{
	struct scn_y **items = NULL;
	int n = 0, cap = 0;

	for (int k = 0; k < list->n; k++) {
		struct scn_y *it = list->item[k];
		const struct scn_y *key = it->kind == SCN_Y_MAP ?
			scn_map_key(it, "repeat") : NULL;
		long copies = 1;
		int at = -1;

		if (key) {
			for (int j = 0; j < it->n; j++)
				if (it->item[2 * j] == key)
					at = j;
			if (repeat_count(c, it->item[2 * at + 1], &copies) < 0)
				goto fail;
			map_remove(it, at);
		}
		if (n + copies > cap) {
			int ncap = (int)(n + copies) * 2;
			struct scn_y **ni = realloc(items, (size_t)ncap * sizeof(*ni));

			if (!ni)
				goto oom;
			items = ni;
			cap = ncap;
		}
		if (!key) {
			items[n++] = it;
			list->item[k] = NULL;
			continue;
		}
		for (long i = 0; i < copies; i++) {
			struct vars v = { 0 };
			char num[24];
			struct scn_y *cp = scn_y_copy(it, budget);

			if (!cp)
				goto oom;
			items[n++] = cp;
			snprintf(num, sizeof num, "%ld", i);
			v.index = num;
			if (subst_tree(c, cp, &v, false) < 0)
				goto fail;
		}
		scn_tree_free(it);
		list->item[k] = NULL;
	}
	free(list->item);
	list->item = items;
	list->n = list->cap = n;
	return 0;
oom:
	scn_fail(c, list, "'repeat:' makes too many copies (more than %ld "
		 "scenario values in all)", REPEAT_BUDGET);
fail:
	/* items holds what was moved or made so far; the rest is in list */
	for (int k = 0; k < n; k++)
		scn_tree_free(items[k]);
	free(items);
	{
		int w = 0;

		for (int k = 0; k < list->n; k++)
			if (list->item[k])
				list->item[w++] = list->item[k];
		list->n = w;
	}
	return -1;
}

static int no_index_left(struct scn_ctx *c, const struct scn_y *y)
{
	int n;

	if (y->kind == SCN_Y_SCALAR)
		return strstr(y->str, "${i}") ? scn_fail(c, y, "${i} is only defined "
							   "inside an item with 'repeat:'") : 0;
	n = y->kind == SCN_Y_MAP ? 2 * y->n : y->n;
	for (int k = 0; k < n; k++)
		if (no_index_left(c, y->item[k]) < 0)
			return -1;
	return 0;
}

int scn_tree_expand(struct scn_ctx *c, struct scn_y *root)
{
	struct vars v = { 0 };
	long budget = REPEAT_BUDGET;

	if (load_vars(c, root, &v) < 0)
		return -1;
	for (int k = 0; k < root->n; k++) {
		struct scn_y *val = root->item[2 * k + 1];

		if (strcmp(root->item[2 * k]->str, "vars") == 0)
			continue;
		if (subst_tree(c, val, &v, true) < 0)
			return -1;
		if (val->kind == SCN_Y_SEQ && expand_list(c, val, &budget) < 0)
			return -1;
		if (no_index_left(c, val) < 0)
			return -1;
	}
	return 0;
}
