/*
 * loss.c - fault models for one direction of a link (see loss.h).
 *
 * faults_apply() is called once per packet that finished transmission and
 * decides, in this fixed order:
 *   1. loss (Bernoulli, Gilbert-Elliott or a list) - a lost packet gets
 *      FAULT_DROP and nothing else, and no further random numbers are drawn
 *      for it;
 *   2. duplication   (FAULT_DUP: the link sends a copy too);
 *   3. reordering    (FAULT_DELAY: *extra_delay uniform in [0, reorder_delay]);
 *   4. corruption    (FAULT_CORRUPT: p is damaged in place by pkt_corrupt()).
 *
 * Random numbers are drawn only for configured faults, always in the order
 * above, and a fixed number per packet for each configured fault (plus one
 * for the delay amount or the corruption pattern when those fire).  So a
 * Bernoulli-only link uses exactly one draw per packet, and the stream a
 * link sees depends only on its own configuration and traffic.  The list
 * model draws nothing: it counts packets (every packet, whatever its
 * protocol) and drops the ones whose numbers it was given, as in Fall and
 * Floyd's "Simulation-based comparisons of Tahoe, Reno, and SACK TCP"
 * (CCR 26(3), 1996), which drops chosen packets of one window.
 */
#include "loss.h"
#include "packet.h"

/* Could the loss model ever lose a packet?  Gilbert starts in the good
 * state, so it needs a way into the bad state or losses in the good one. */
static bool faults_loss_active(const struct fault_conf *c)
{
	switch (c->loss) {
	case LOSS_BERNOULLI:
		return c->p > 0.0;
	case LOSS_GILBERT:
		return c->p > 0.0 || c->loss_good > 0.0;
	case LOSS_LIST:
		return c->n_drop_pkts > 0;
	case LOSS_NONE:
	default:
		return false;
	}
}

bool faults_active(const struct fault_conf *c)
{
	return faults_loss_active(c) || c->dup_p > 0.0 || c->reorder_p > 0.0 ||
	       c->corrupt_p > 0.0;
}

void faults_init(struct faults *f, const struct fault_conf *c, gsl_rng *rng)
{
	f->c = *c;
	f->rng = rng;
	f->bad = false;         /* Gilbert: start in the good state */
	f->seen_pkts = 0;
	f->next_drop = 0;
	f->lost = f->duplicated = f->reordered = f->corrupted = 0;
}

/* Uniform integer in [0, n], exact for any n >= 0 (delays may exceed the
 * 2^32 values one mt19937 draw gives; gsl_rng_uniform_int() cannot take a
 * range larger than the generator's). */
static uint64_t faults_uniform_u64(gsl_rng *rng, uint64_t n)
{
	unsigned long span = gsl_rng_max(rng) - gsl_rng_min(rng);

	if (n == 0)
		return 0;
	if (n < span)   /* n + 1 <= span: within one draw */
		return gsl_rng_uniform_int(rng, (unsigned long)n + 1);
	if (span == 0xffffffffUL) {
		/* Two 32-bit draws make a 64-bit word; rejection sampling
		 * on the largest multiple of n + 1 keeps it unbiased. */
		uint64_t range = n + 1;           /* 0 means 2^64 */
		uint64_t tail = range ? (UINT64_MAX % range + 1) % range : 0;

		for (;;) {
			uint64_t hi = gsl_rng_get(rng) - gsl_rng_min(rng);
			uint64_t lo = gsl_rng_get(rng) - gsl_rng_min(rng);
			uint64_t x = hi << 32 | lo;

			if (range == 0)
				return x;
			/* accept x < 2^64 - (2^64 mod range) */
			if (x <= UINT64_MAX - tail)
				return x % range;
		}
	}
	/* Narrow generator (not used by segsim, which uses mt19937). */
	{
		double u = gsl_rng_uniform(rng) * ((double)n + 1.0);
		uint64_t x = (uint64_t)u;

		return x > n ? n : x;
	}
}

/* 1. Loss.  True when the packet is lost. */
static bool faults_lose(struct faults *f)
{
	const struct fault_conf *c = &f->c;
	double loss_p;

	if (!faults_loss_active(c))
		return false;
	if (c->loss == LOSS_LIST) {
		/* drop_pkts[] is strictly increasing (the parser checks), so
		 * one cursor walks it as the count goes up. */
		uint64_t n = ++f->seen_pkts;

		if (f->next_drop < c->n_drop_pkts &&
		    c->drop_pkts[f->next_drop] == n) {
			f->next_drop++;
			return true;
		}
		return false;
	}
	if (c->loss == LOSS_BERNOULLI)
		return gsl_rng_uniform(f->rng) < c->p;

	/* Gilbert-Elliott: a two-state Markov chain (E. N. Gilbert, "Capacity
	 * of a burst-noise channel", Bell Syst. Tech. J. 39, 1960; E. O.
	 * Elliott, "Estimates of error rates for codes on burst-noise
	 * channels", BSTJ 42, 1963), one step per packet.  Packet n sees
	 * state X_n: the chain is first moved (good->bad with p, bad->good
	 * with r), then the packet is lost with the loss probability of the
	 * state it now sees (1-k in good, 1-h in bad).  Stationary loss rate
	 * = loss_bad p/(p+r) + loss_good r/(p+r); a bad period lasts 1/r
	 * packets on average.  (Linux netem's loss_gilb_ell decides the loss
	 * with the state *before* the move; the stationary rate and the
	 * sojourn times are the same.)  Always two draws per packet. */
	if (f->bad) {
		if (gsl_rng_uniform(f->rng) < c->r)
			f->bad = false;
	} else {
		if (gsl_rng_uniform(f->rng) < c->p)
			f->bad = true;
	}
	loss_p = f->bad ? c->loss_bad : c->loss_good;
	return gsl_rng_uniform(f->rng) < loss_p;
}

unsigned faults_apply(struct faults *f, struct packet *p, sim_time_t *extra_delay)
{
	const struct fault_conf *c = &f->c;
	unsigned mask = 0;

	*extra_delay = 0;
	if (faults_lose(f)) {
		f->lost++;
		return FAULT_DROP;
	}
	if (c->dup_p > 0.0 && gsl_rng_uniform(f->rng) < c->dup_p) {
		f->duplicated++;
		mask |= FAULT_DUP;
	}
	if (c->reorder_p > 0.0 && gsl_rng_uniform(f->rng) < c->reorder_p) {
		f->reordered++;
		mask |= FAULT_DELAY;
		if (c->reorder_delay > 0)
			*extra_delay = (sim_time_t)faults_uniform_u64(f->rng,
						(uint64_t)c->reorder_delay);
	}
	if (c->corrupt_p > 0.0 && gsl_rng_uniform(f->rng) < c->corrupt_p) {
		f->corrupted++;
		mask |= FAULT_CORRUPT;
		pkt_corrupt(p, (uint32_t)gsl_rng_get(f->rng));
	}
	return mask;
}
