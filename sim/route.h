/*
 * route.h - static shortest-path routing and address lookup.
 *
 * Routes are computed once, after the topology is built: for every
 * destination a breadth-first search over links that are declared (up or
 * down: routing is static, a failed link is not routed around), shortest in
 * hops, ties broken by the lower propagation delay and then by the order in
 * which links were declared, so routes are deterministic.
 */
#ifndef SEGSIM_ROUTE_H
#define SEGSIM_ROUTE_H

#include <stdint.h>
#include "sim.h"

struct addr_map;

/* Fill every node's route[] table.  Returns 0. */
int route_compute(struct sim *s);
/* Hop count from a to b, -1 if unreachable (for scenario checks). */
int route_hops(const struct sim *s, int a, int b);

/* Address -> node lookup (open addressing). */
struct addr_map *addr_map_create(int n_nodes);
void addr_map_destroy(struct addr_map *m);
int addr_map_put(struct addr_map *m, uint32_t addr, int node_id);   /* -1 dup */
int addr_map_get(const struct addr_map *m, uint32_t addr);          /* -1 none */

/* Node id owning addr, -1 if none. */
static inline int addr_lookup(const struct sim *s, uint32_t addr)
{
	return addr_map_get(s->addrs, addr);
}

#endif
