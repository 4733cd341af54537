/*
 * rng.h - per-component random streams.
 *
 * Every component that draws random numbers gets its own GSL generator,
 * seeded from the scenario seed and the component's stable name (for example
 * "link:r1-r2" or "flow:f1").  Adding a flow therefore never changes the
 * numbers another component sees.
 */
#ifndef SEGSIM_RNG_H
#define SEGSIM_RNG_H

#include <stdint.h>
#include <gsl/gsl_rng.h>

/* A new mt19937 generator for (seed, name); free with gsl_rng_free(). */
gsl_rng *rng_stream(uint64_t seed, const char *name);
/* The 64-bit seed derived for (seed, name) (stable across versions). */
uint64_t rng_derive(uint64_t seed, const char *name);

#endif
