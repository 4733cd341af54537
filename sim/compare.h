/*
 * compare.h - compare an expected output directory with an actual one
 * (`segsim compare`, `segsim run --expect`).
 *
 * Call order: cmp_parse_opt() on each command-line argument (it takes the
 * compare options and leaves the others to the caller), then cmp_dirs().
 * The options hold no heap memory: names point into argv.
 */
#ifndef SEGSIM_COMPARE_H
#define SEGSIM_COMPARE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#define CMP_MAX_NAMES 64

/* A --tolerance rule: a column (TSV) or key (JSON) name, or "*" for every
 * numeric value without a rule of its own. */
struct cmp_tol {
	const char *name;       /* not NUL-terminated: name_len bytes */
	size_t name_len;
	double value;           /* absolute, or a fraction of the expected value */
	bool relative;          /* written with '%' */
};

struct cmp_name {
	const char *name;       /* not NUL-terminated */
	size_t len;
};

struct cmp_opts {
	const char *expected, *actual;  /* directories */
	struct cmp_tol tol[CMP_MAX_NAMES];
	int n_tol;
	struct cmp_name cols[CMP_MAX_NAMES];    /* --columns; none: all */
	int n_cols;
	bool has_align;
	int64_t align_ns;       /* --align: time window for the first column */
	const char *align_text; /* as written, for messages */
	bool quiet;             /* only the differences: no deviations, no total */
};

/* If argv[*i] is --tolerance, --columns or --align (also as --opt=VALUE),
 * consume it and its value (advancing *i) and return 1; return 0 for any
 * other argument; -1 with a message on stderr for a bad value. */
int cmp_parse_opt(struct cmp_opts *o, int argc, char **argv, int *i);

/* Compare o->expected with o->actual, writing the differences (the first
 * divergence of each file), the largest deviation per file and column, and
 * a closing "compare: N files, M differ" line to report.  Returns 0 when
 * equal (within the tolerances), 1 when they differ, 2 on bad input (a
 * directory or file that cannot be read; message on stderr). */
int cmp_dirs(const struct cmp_opts *o, FILE *report);

/* Is dir an existing directory?  0, or -1 with "segsim: error: WHAT
 * directory DIR: reason" on stderr. */
int cmp_check_dir(const char *what, const char *dir);

/* Do paths a and b name the same existing directory? (So `run --expect`
 * cannot overwrite the expected files with the run it checks.) */
bool cmp_same_dir(const char *a, const char *b);

/* `segsim compare EXPECTED_DIR ACTUAL_DIR [options]`: the exit status. */
int cmd_compare(int argc, char **argv);

#endif
