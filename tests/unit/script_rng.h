/*
 * script_rng.h - a GSL generator that returns uniform values from a script
 * and counts the draws, so a test can fix every random decision of a
 * component (RED's drops, a fault model's choices) and check how many
 * numbers it drew.  Include after cmocka.h; header-only (static).
 */
#ifndef SEGSIM_TEST_SCRIPT_RNG_H
#define SEGSIM_TEST_SCRIPT_RNG_H

#include <gsl/gsl_rng.h>

struct script {
	const double *v;
	size_t n, i;
};

static void script_set(void *vs, unsigned long seed)
{
	(void)vs; (void)seed;
}

static double script_get_double(void *vs)
{
	struct script *s = vs;

	if (s->i >= s->n)
		fail_msg("drew random number #%zu, the script has %zu", s->i + 1, s->n);
	return s->v[s->i++];
}

static unsigned long script_get(void *vs)
{
	return (unsigned long)(script_get_double(vs) * 4294967296.0);
}

static const gsl_rng_type script_type = {
	"script", 0xffffffffUL, 0, sizeof(struct script),
	script_set, script_get, script_get_double,
};

static gsl_rng *script_rng(const double *v, size_t n)
{
	gsl_rng *r = gsl_rng_alloc(&script_type);
	struct script *s = r->state;

	s->v = v;
	s->n = n;
	s->i = 0;
	return r;
}

static inline size_t draws(const gsl_rng *r)
{
	return ((const struct script *)r->state)->i;
}

#endif
