/*
 * node.c - nodes: interfaces, output along the routing table, input.
 *
 * Call order: node_create() -> node_add_if() per link -> route_compute()
 * fills route[] -> node_output() / node_input() during the run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "node.h"
#include "link.h"
#include "pcap.h"
#include "route.h"
#include "trace.h"

struct node *node_create(struct sim *s, const char *name, uint32_t addr)
{
	struct node *n = calloc(1, sizeof *n);

	if (!n)
		return NULL;
	n->id = s->n_nodes;
	snprintf(n->name, sizeof n->name, "%s", name);
	n->addr = addr;
	return n;
}

void node_destroy(struct node *n)
{
	if (!n)
		return;
	free(n->ifs);
	free(n->route);
	free(n);
}

int node_add_if(struct node *n, struct link_dir *d)
{
	struct link_dir **ifs = realloc(n->ifs, (size_t)(n->n_ifs + 1) * sizeof *ifs);

	if (!ifs)
		return -1;
	n->ifs = ifs;
	n->ifs[n->n_ifs] = d;
	return n->n_ifs++;
}

static void route_and_send(struct sim *s, struct node *n, struct packet *p)
{
	int dst = addr_lookup(s, p->dst);
	int32_t i = dst >= 0 && n->route ? n->route[dst] : -1;

	if (i < 0) {
		n->no_route++;
		trace_pkt(s, 'd', n, NULL, p);
		pkt_free(s, p);
		return;
	}
	link_send(s, n->ifs[i], p);
}

/* End of the processing delay of a forwarded packet. */
static void proc_done(struct sim *s, struct event *ev)
{
	struct packet *p = (struct packet *)ev->obj;

	route_and_send(s, s->nodes[ev->arg], p);
}

void node_output(struct sim *s, struct node *n, struct packet *p, bool forwarded)
{
	if (forwarded) {
		n->forwarded++;
		if (n->proc_delay > 0) {
			/* d_proc: checking the packet and choosing the output
			 * link takes time before it may join the queue. */
			event_init(&p->ev, proc_done, p);
			p->ev.arg = (uint64_t)n->id;
			event_schedule(s, &p->ev, s->now + n->proc_delay);
			return;
		}
	} else if (n->pcap) {
		pcap_write(n->pcap, s->now, p);
	}
	route_and_send(s, n, p);
}

void node_input(struct sim *s, struct node *n, struct packet *p)
{
	if (n->pcap)		/* arriving: for us, or to forward (once) */
		pcap_write(n->pcap, s->now, p);
	n->rx(s, n, p);
}
