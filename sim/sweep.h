/*
 * sweep.h - `segsim sweep`: one scenario run over a grid of parameter
 * values and seeds, each run a child process, results tabulated.
 *
 * sweep_main() is the command.  The grid is the Cartesian product of the
 * scenario's sweep.params (first param outermost) and its seeds
 * (innermost); run i writes DIR/runs/NNNN/ (NNNN = i, zero-padded).  The
 * rest is exposed for the unit tests: grid arithmetic, reading metrics
 * out of a summary.json, and the confidence interval.
 *
 * With MPI=1 the runs are split round-robin over the ranks of an MPI job
 * (sweep_mpi.c implements the sweep_par_* functions); without it
 * sweep.c has single-process versions and nothing depends on MPI.
 */
#ifndef SEGSIM_SWEEP_H
#define SEGSIM_SWEEP_H

#include <stddef.h>

/* segsim sweep FILE.yaml [-j N] [-o DIR] [--set KEY=VALUE]... [--metrics LIST]
 * [-q].  argv[0] is the first argument after "sweep".  Returns the exit
 * status: 0, 1 (a run failed or a metric is missing), 2 (bad input). */
int sweep_main(int argc, char **argv, const char *argv0);

/* Run `run` of a grid with n_params params of n_values[] values each and
 * n_seeds seeds: the index of each param's value into value_ix[] and of the
 * seed into *seed_ix.  Runs are numbered 0 .. product(n_values) * n_seeds - 1,
 * the last param varying fastest among params and the seed fastest of all. */
void sweep_grid_point(long run, const int *n_values, int n_params, int n_seeds,
		      int *value_ix, int *seed_ix);

/* The values at `paths` in a summary.json text: values[i] is a malloc'd
 * copy of the JSON scalar's text ("3190590.74", "ok", "null"), or NULL when
 * the path leads nowhere or to a list or map.  A path is dotted: object
 * keys, list items by index or - for lists of objects with a "name" - by
 * name ("flows.f1.goodput_bps", "queues.r1-r2.dropped", "flows.0.tcp.cwnd";
 * names with dots work, the longest match wins).  Returns the number of
 * paths found, or -1 if the text is not JSON (values all NULL). */
int sweep_json_values(const char *json, size_t len, const char *const *paths, int n,
		      char **values);

/* Mean and 95% confidence-interval half-width of x[0..n-1]: Student's t
 * (two-sided, n-1 degrees of freedom) times the sample standard deviation
 * over sqrt(n).  n = 1: *ci95 = NaN; n = 0: both NaN. */
void sweep_stats(const double *x, size_t n, double *mean, double *ci95);

/* ---- the processes of a sweep --------------------------------------------
 * One process, or every rank of an MPI job (sweep_mpi.c).  Call order:
 * sweep_par_init() first thing, sweep_par_finish() before returning. */
struct sweep_par {
	int rank, size;         /* this process, how many */
	int local_size;         /* processes on this machine (to share its CPUs) */
};

int sweep_par_init(struct sweep_par *p);
void sweep_par_finish(const struct sweep_par *p);
/* Every rank's `len` bytes of `mine`, concatenated in rank order into a
 * malloc'd *all on rank 0 (lens[r] the bytes from rank r; lens has `size`
 * entries); NULL elsewhere.  0, or -1 with a message. */
int sweep_par_gather(const struct sweep_par *p, const char *mine, size_t len,
		     char **all, size_t *lens);
/* v[0..n-1] summed over the ranks, on every rank. */
void sweep_par_sum(const struct sweep_par *p, long *v, int n);
/* Rank 0's v, on every rank. */
int sweep_par_bcast(const struct sweep_par *p, int v);

#endif
