/*
 * scenario_tree.h - the scenario loader's YAML document tree (internal).
 *
 * scenario_tree.c turns YAML text into a small mutable tree of scalars,
 * lists and maps, each node with its 1-based position and its origin (the
 * file, or the --set that put it there), applies --set overrides to it, and
 * formats errors.  scenario.c then validates the tree into a `struct
 * scenario`.  Nothing here knows the scenario schema.
 *
 * Call order: scn_tree_parse() -> scn_tree_set() for each --set ->
 * (validate, scn_fail() on the first problem) -> scn_tree_free().
 */
#ifndef SEGSIM_SCENARIO_TREE_H
#define SEGSIM_SCENARIO_TREE_H

#include <stdbool.h>
#include <stddef.h>
#include "scenario.h"

enum scn_ykind { SCN_Y_SCALAR, SCN_Y_SEQ, SCN_Y_MAP };

struct scn_y {
	enum scn_ykind kind;
	struct scn_pos pos;
	int origin;             /* -1: the file; k >= 0: sets[k] */
	bool plain;             /* an unquoted scalar (may mean null) */
	char *str;              /* scalar text, NUL-terminated */
	int n, cap;             /* list: items; map: pairs */
	struct scn_y **item;    /* list: item[i]; map: key item[2i], value
				   item[2i+1] (keys are scalars, unique) */
};

/* Everything the loader needs to say where a problem is. */
struct scn_ctx {
	const char *file;       /* name for messages */
	const struct scn_set *sets;
	int n_sets;
	struct scn_error *err;
	bool failed;            /* err holds the first problem */
	int cur_set;            /* sets[cur_set] is being applied, or -1 */
	long alias_budget;      /* nodes aliases may still copy */
};

/* Parse YAML text into *root (NULL for an empty stream).  origin: -1 for
 * the file, k for the value of sets[k].  0, or -1 with the error set. */
int scn_tree_parse(struct scn_ctx *c, const char *buf, size_t len, int origin,
		   struct scn_y **root);
void scn_tree_free(struct scn_y *y);
/* A deep copy, positions kept; NULL when out of memory or when it would
 * take more than *budget nodes (decremented per node). */
struct scn_y *scn_y_copy(const struct scn_y *y, long *budget);
/* After the --sets: substitute `vars:` and expand `repeat:` items
 * (scenario_expand.c). */
int scn_tree_expand(struct scn_ctx *c, struct scn_y *root);
/* Apply sets[k] to the document whose top-level map is root. */
int scn_tree_set(struct scn_ctx *c, struct scn_y *root, int k);

/* Dotted paths (--set, sweep metrics): a non-empty run of digits; and
 * parts[i..j] joined with dots into buf. */
bool scn_all_digits(const char *s);
const char *scn_join(char **parts, int i, int j, char *buf, size_t len);

/* Map lookups: the value (or key node) for key, NULL if absent. */
struct scn_y *scn_map_get(const struct scn_y *map, const char *key);
const struct scn_y *scn_map_key(const struct scn_y *map, const char *key);
/* A plain empty, "~" or "null" scalar. */
bool scn_y_null(const struct scn_y *y);
/* "a list", "a map", "'text'" - what a node is, for messages. */
const char *scn_y_describe(const struct scn_y *y, char *buf, size_t len);

/* Record the first error, at node `at` (NULL: the whole file); returns -1.
 * Formats "FILE:LINE:COL: error: ..." or "--set KEY=VALUE: error: ...". */
int scn_fail(struct scn_ctx *c, const struct scn_y *at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Same, at an explicit position in the file. */
int scn_fail_pos(struct scn_ctx *c, struct scn_pos pos, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The sweep: section (scenario_sweep.c), loaded by load_top() after the
 * seed: validates root's "sweep" if present and fills sc->sweep.  0 or -1. */
int scn_sweep_load(struct scn_ctx *c, const struct scn_y *root, struct scenario *sc);
void scn_sweep_free(struct scn_sweep *sw);

/* Quote s for a message: at most 40 characters, control bytes escaped. */
const char *scn_quote(const char *s, char *buf, size_t len);
/* Edit distance (with transpositions), capped: for "did you mean". */
int scn_distance(const char *a, const char *b);
/* The candidate closest to s if it is close enough, else NULL. */
const char *scn_nearest(const char *s, const char *const *cands, int n);

#endif
