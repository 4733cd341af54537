/*
 * route.c - static shortest-path routes and the address map.
 *
 * route_compute() runs one breadth-first search per destination over the
 * reversed graph: a node's next hop towards d is the interface on a shortest
 * path (fewest hops).  Among equal-hop choices the lower propagation delay
 * wins, then the interface declared first, so the result depends only on the
 * scenario text.  n BFS over n nodes: fine for the thousands of nodes a
 * transport experiment has.
 */
#include <stdlib.h>
#include <string.h>
#include "route.h"
#include "node.h"
#include "link.h"

struct addr_map {
	uint32_t cap;           /* power of two */
	uint32_t *keys;
	int32_t *vals;          /* -1 empty */
};

static inline uint32_t addr_hash(uint32_t a)
{
	a ^= a >> 16;
	a *= 0x7feb352dU;
	a ^= a >> 15;
	a *= 0x846ca68bU;
	return a ^ (a >> 16);
}

struct addr_map *addr_map_create(int n_nodes)
{
	struct addr_map *m = calloc(1, sizeof *m);
	uint32_t cap = 16;

	if (!m)
		return NULL;
	while (cap < (uint32_t)n_nodes * 2)
		cap <<= 1;
	m->cap = cap;
	m->keys = calloc(cap, sizeof *m->keys);
	m->vals = malloc(cap * sizeof *m->vals);
	if (!m->keys || !m->vals) {
		addr_map_destroy(m);
		return NULL;
	}
	memset(m->vals, 0xff, cap * sizeof *m->vals);
	return m;
}

void addr_map_destroy(struct addr_map *m)
{
	if (!m)
		return;
	free(m->keys);
	free(m->vals);
	free(m);
}

int addr_map_put(struct addr_map *m, uint32_t addr, int node_id)
{
	uint32_t i = addr_hash(addr) & (m->cap - 1);

	while (m->vals[i] >= 0) {
		if (m->keys[i] == addr)
			return -1;
		i = (i + 1) & (m->cap - 1);
	}
	m->keys[i] = addr;
	m->vals[i] = node_id;
	return 0;
}

int addr_map_get(const struct addr_map *m, uint32_t addr)
{
	uint32_t i = addr_hash(addr) & (m->cap - 1);

	while (m->vals[i] >= 0) {
		if (m->keys[i] == addr)
			return m->vals[i];
		i = (i + 1) & (m->cap - 1);
	}
	return -1;
}

/* BFS from dst over reversed edges; dist[] in hops. */
static void bfs(const struct sim *s, int dst, int *dist, int *queue)
{
	int head = 0, tail = 0;

	for (int i = 0; i < s->n_nodes; i++)
		dist[i] = -1;
	dist[dst] = 0;
	queue[tail++] = dst;
	while (head < tail) {
		const struct node *v = s->nodes[queue[head++]];

		/* Links are symmetric: v's neighbours reach v in one hop. */
		for (int k = 0; k < v->n_ifs; k++) {
			int u = v->ifs[k]->to->id;

			if (dist[u] < 0) {
				dist[u] = dist[v->id] + 1;
				queue[tail++] = u;
			}
		}
	}
}

int route_compute(struct sim *s)
{
	int n = s->n_nodes;
	int *dist = malloc((size_t)n * sizeof *dist);
	int *queue = malloc((size_t)n * sizeof *queue);

	for (int i = 0; i < n; i++) {
		free(s->nodes[i]->route);
		s->nodes[i]->route = malloc((size_t)n * sizeof(int32_t));
	}
	for (int d = 0; d < n; d++) {
		bfs(s, d, dist, queue);
		for (int i = 0; i < n; i++) {
			struct node *v = s->nodes[i];
			int32_t best = -1;

			for (int k = 0; k < v->n_ifs && i != d; k++) {
				const struct link_dir *o = v->ifs[k];
				int u = o->to->id;

				if (dist[u] < 0 || dist[u] != dist[i] - 1)
					continue;
				if (best < 0 || o->link->delay < v->ifs[best]->link->delay)
					best = k;
			}
			v->route[d] = best;
		}
	}
	free(dist);
	free(queue);
	return 0;
}

int route_hops(const struct sim *s, int a, int b)
{
	int hops = 0;

	while (a != b) {
		int32_t k = s->nodes[a]->route[b];

		if (k < 0 || hops > s->n_nodes)
			return -1;
		a = s->nodes[a]->ifs[k]->to->id;
		hops++;
	}
	return hops;
}
