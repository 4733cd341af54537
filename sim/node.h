/*
 * node.h - hosts and routers.
 *
 * A node has an IPv4 address, a list of interfaces (the outgoing directions
 * of its links) and a static routing table computed at load time (route.c).
 * Any node forwards; a "host" is just a node that runs applications.  The
 * engine never looks into transport protocols: packets addressed to the node
 * go to the `rx` hook the front end installs (proto/ip.c's ip_input), and
 * proto/ keeps its per-node state (socket tables) behind `l4`.
 */
#ifndef SEGSIM_NODE_H
#define SEGSIM_NODE_H

#include <stdint.h>
#include "sim.h"

struct link_dir;
struct pcap_file;

typedef void (*node_rx_fn)(struct sim *s, struct node *n, struct packet *p);

struct node {
	int id;
	char name[32];
	uint32_t addr;                  /* IPv4, host byte order */
	sim_time_t proc_delay;          /* per forwarded packet (d_proc) */

	int n_ifs;
	struct link_dir **ifs;          /* outgoing directions */
	int32_t *route;                 /* route[dst node id]: index in ifs, -1 none */

	node_rx_fn rx;                  /* every packet arriving from a link */
	void *l4;                       /* proto/'s per-node state */
	struct pcap_file *pcap;         /* capture of this node's traffic, or NULL */

	/* counters */
	uint64_t no_route;              /* packets with no route (dropped) */
	uint64_t ttl_expired;
	uint64_t forwarded;
};

struct node *node_create(struct sim *s, const char *name, uint32_t addr);
void node_destroy(struct node *n);
/* Attach an outgoing direction of a link; returns its interface index. */
int node_add_if(struct node *n, struct link_dir *d);

/* Send p out of n towards p->dst along the routing table (after n's
 * processing delay for forwarded packets when `forwarded` is set).  Frees p
 * and counts it when there is no route. */
void node_output(struct sim *s, struct node *n, struct packet *p, bool forwarded);
/* A packet arrives at n from a link: capture it, then hand it to n->rx. */
void node_input(struct sim *s, struct node *n, struct packet *p);

#endif
