/*
 * sweep_mpi.c - the processes of `segsim sweep` as the ranks of an MPI job.
 *
 * Built only with `make MPI=1` (mpicc, -DSEGSIM_MPI); sweep.c has the
 * single-process versions otherwise.  `mpirun -np K segsim sweep ...`
 * starts K copies; each runs the grid indices i with i % K == rank
 * (sweep.c), then rank 0 gathers every rank's result rows - plain text,
 * newline-terminated, one per run - and writes the tables.  Runs are
 * still child processes of their rank; only the rows travel over MPI, so
 * the ranks need no shared file system for the tables (each rank's
 * DIR/runs/ holds the runs it made).
 *
 * Call order: sweep_par_init() -> sweep_par_gather() -> sweep_par_sum()
 * -> sweep_par_bcast() -> sweep_par_finish(), on every rank alike.
 */
#include "sweep.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <mpi.h>

int sweep_par_init(struct sweep_par *p)
{
	MPI_Comm node;
	int inited = 0;

	*p = (struct sweep_par){ .rank = 0, .size = 1, .local_size = 1 };
	MPI_Initialized(&inited);
	if (!inited && MPI_Init(NULL, NULL) != MPI_SUCCESS)
		return -1;
	MPI_Comm_rank(MPI_COMM_WORLD, &p->rank);
	MPI_Comm_size(MPI_COMM_WORLD, &p->size);
	/* The ranks sharing this machine share its CPUs (the default -j). */
	if (MPI_Comm_split_type(MPI_COMM_WORLD, MPI_COMM_TYPE_SHARED, p->rank,
				MPI_INFO_NULL, &node) == MPI_SUCCESS) {
		MPI_Comm_size(node, &p->local_size);
		MPI_Comm_free(&node);
	}
	return 0;
}

void sweep_par_finish(const struct sweep_par *p)
{
	int fin = 0;

	(void)p;
	MPI_Finalized(&fin);
	if (!fin)
		MPI_Finalize();
}

int sweep_par_gather(const struct sweep_par *p, const char *mine, size_t len,
		     char **all, size_t *lens)
{
	int n = len > INT_MAX ? -1 : (int)len, *counts = NULL, *displs = NULL, bad = 0;
	long total = 0;

	*all = NULL;
	if (p->rank == 0 && (!(counts = calloc((size_t)p->size, sizeof *counts)) ||
			     !(displs = calloc((size_t)p->size, sizeof *displs)))) {
		fputs("segsim: error: out of memory\n", stderr);
		exit(1);
	}
	MPI_Gather(&n, 1, MPI_INT, counts, 1, MPI_INT, 0, MPI_COMM_WORLD);
	if (p->rank == 0) {
		for (int r = 0; r < p->size; r++) {
			if (counts[r] < 0 || total + counts[r] > INT_MAX)
				bad = 1;
			displs[r] = bad ? 0 : (int)total;
			total += bad ? 0 : counts[r];
			lens[r] = bad ? 0 : (size_t)counts[r];
		}
		if (!(*all = malloc((size_t)total + 1))) {
			fputs("segsim: error: out of memory\n", stderr);
			exit(1);
		}
		(*all)[total] = '\0';
	}
	MPI_Bcast(&bad, 1, MPI_INT, 0, MPI_COMM_WORLD);
	if (bad) {
		if (p->rank == 0)
			fputs("segsim: error: sweep: the result rows exceed 2 GB\n", stderr);
		free(counts);
		free(displs);
		free(*all);
		*all = NULL;
		return -1;
	}
	MPI_Gatherv(mine, n, MPI_CHAR, *all, counts, displs, MPI_CHAR, 0, MPI_COMM_WORLD);
	free(counts);
	free(displs);
	return 0;
}

void sweep_par_sum(const struct sweep_par *p, long *v, int n)
{
	(void)p;
	MPI_Allreduce(MPI_IN_PLACE, v, n, MPI_LONG, MPI_SUM, MPI_COMM_WORLD);
}

int sweep_par_bcast(const struct sweep_par *p, int v)
{
	(void)p;
	MPI_Bcast(&v, 1, MPI_INT, 0, MPI_COMM_WORLD);
	return v;
}
