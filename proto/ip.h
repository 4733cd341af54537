/*
 * ip.h - IPv4 for segsim: output, forwarding, demultiplexing.
 *
 * Each node gets an `ip_stack` (hung off node->l4) holding its transport
 * socket tables and per-node error counters; node->rx is set to ip_input.
 *
 * Call order: ip_attach() per node at build time; ip_output() by transports;
 * ip_input() for every packet a link delivers to the node.
 */
#ifndef SEGSIM_IP_H
#define SEGSIM_IP_H

#include <stdint.h>
#include "sim.h"
#include "node.h"
#include "udp.h"

#define IP_DEFAULT_TTL 64

struct ip_stack {
	struct node *node;
	uint16_t next_id;               /* IPv4 identification */
	struct udp_table udp;
	struct tcp_stack *tcp;          /* created on first use (tcp.c) */

	/* counters (summary "nodes") */
	uint64_t rx_delivered;
	uint64_t udp_bad_csum;          /* discarded: checksum failed */
	uint64_t udp_no_port;           /* datagram to a closed port */
	uint64_t unknown_proto;
};

struct tcp_stack;

int ip_attach(struct sim *s, struct node *n);
void ip_detach(struct node *n);
static inline struct ip_stack *ip_stack_of(const struct node *n)
{
	return (struct ip_stack *)n->l4;
}

/* Send a transport segment from n: src = n's address, TTL, id.  The caller
 * has set dst, proto, ports and payload; the checksum is its job too. */
void ip_output(struct sim *s, struct node *n, struct packet *p);
void ip_input(struct sim *s, struct node *n, struct packet *p);

/* "10.0.0.1" */
void ip_fmt_addr(uint32_t a, char *out, size_t len);

#endif
