/*
 * rng.c - per-component random streams (see rng.h).
 *
 * The stream seed is a splitmix64 hash of the scenario seed and an FNV-1a
 * hash of the component name: stable, well mixed, and independent of the
 * order in which components are created.
 */
#include "rng.h"

static uint64_t splitmix64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

uint64_t rng_derive(uint64_t seed, const char *name)
{
	uint64_t h = 0xcbf29ce484222325ULL;     /* FNV-1a offset basis */

	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		h = (h ^ *c) * 0x100000001b3ULL;
	return splitmix64(seed ^ splitmix64(h));
}

gsl_rng *rng_stream(uint64_t seed, const char *name)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);
	uint64_t s = rng_derive(seed, name);

	/* mt19937 takes 32 bits of seed; fold the high half in.  GSL maps a
	 * seed of 0 to its default, so avoid it. */
	unsigned long s32 = (unsigned long)((s ^ (s >> 32)) & 0xffffffffu);
	gsl_rng_set(r, s32 ? s32 : 0x6a09e667u);
	return r;
}
