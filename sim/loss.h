/*
 * loss.h - fault models for one direction of a link.
 *
 * Applied when a packet finishes transmission (it used the link, then
 * something happens to it on the wire): loss (Bernoulli, Gilbert-Elliott
 * bursts, or a scripted list of packet numbers to drop), duplication, reordering by a random extra delay, corruption (the
 * packet arrives with a bad checksum; the receiver discards and counts it).
 * Each direction has its own GSL stream, so faults on one link do not shift
 * the random numbers any other component sees.
 */
#ifndef SEGSIM_LOSS_H
#define SEGSIM_LOSS_H

#include <stdint.h>
#include <stdbool.h>
#include <gsl/gsl_rng.h>
#include "sim.h"

enum loss_type { LOSS_NONE = 0, LOSS_BERNOULLI, LOSS_GILBERT, LOSS_LIST };

/* Most packet numbers a list loss model can hold. */
#define FAULT_LIST_MAX 64

struct fault_conf {
	enum loss_type loss;
	double p;               /* Bernoulli: loss probability;
				   Gilbert: P(good -> bad) per packet */
	double r;               /* Gilbert: P(bad -> good) per packet */
	double loss_good;       /* Gilbert: loss probability in good (1 - k) */
	double loss_bad;        /* Gilbert: loss probability in bad (1 - h) */
	/* List: drop the packets with these 1-based numbers, counting every
	 * packet that finishes transmission in this direction; strictly
	 * increasing, no random numbers drawn. */
	uint64_t drop_pkts[FAULT_LIST_MAX];
	int n_drop_pkts;
	double dup_p;           /* probability a packet is duplicated */
	double reorder_p;       /* probability a packet is delayed ... */
	sim_time_t reorder_delay; /* ... by an extra uniform [0, this] */
	double corrupt_p;       /* probability a packet is corrupted */
};

enum {
	FAULT_DROP    = 1u << 0,
	FAULT_DUP     = 1u << 1,
	FAULT_DELAY   = 1u << 2,
	FAULT_CORRUPT = 1u << 3,
};

struct faults {
	struct fault_conf c;
	gsl_rng *rng;
	bool bad;               /* Gilbert state */
	uint64_t seen_pkts;     /* List: packets decided so far */
	int next_drop;          /* List: index of the next drop_pkts[] entry */
	uint64_t lost, duplicated, reordered, corrupted;
};

/* Is any fault configured? (skip the RNG entirely otherwise) */
bool faults_active(const struct fault_conf *c);
void faults_init(struct faults *f, const struct fault_conf *c, gsl_rng *rng);
/* Decide what happens to p.  Sets *extra_delay for FAULT_DELAY; corrupts p
 * itself for FAULT_CORRUPT.  Returns a FAULT_* mask. */
unsigned faults_apply(struct faults *f, struct packet *p, sim_time_t *extra_delay);

#endif
