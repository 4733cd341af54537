/*
 * ip.c - IPv4 output, forwarding (RFC 1812 in miniature) and demux.
 *
 * Forwarding decrements the TTL and drops the packet when it reaches zero
 * (RFC 791 section 3.2, RFC 1812 section 5.3.1); routing is the node's
 * static table.  No fragmentation: transports never send more than fits.
 */
#include <stdio.h>
#include <stdlib.h>
#include "ip.h"
#include "tcp.h"
#include "trace.h"

int ip_attach(struct sim *s, struct node *n)
{
	struct ip_stack *st = calloc(1, sizeof *st);

	(void)s;
	if (!st)
		return -1;
	st->node = n;
	n->l4 = st;
	n->rx = ip_input;
	return 0;
}

void ip_detach(struct node *n)
{
	struct ip_stack *st = n->l4;

	if (st)
		tcp_stack_destroy(st->tcp);
	free(n->l4);
	n->l4 = NULL;
}

void ip_output(struct sim *s, struct node *n, struct packet *p)
{
	struct ip_stack *st = ip_stack_of(n);

	p->src = n->addr;
	p->ttl = IP_DEFAULT_TTL;
	p->ip_id = st->next_id++;
	if (p->t_created == 0)
		p->t_created = s->now;
	node_output(s, n, p, false);
}

void ip_input(struct sim *s, struct node *n, struct packet *p)
{
	struct ip_stack *st = ip_stack_of(n);

	if (p->dst != n->addr) {
		/* RFC 791 3.2: a packet whose TTL reaches zero is destroyed. */
		if (p->ttl <= 1) {
			n->ttl_expired++;
			trace_pkt(s, 'd', n, NULL, p);
			pkt_free(s, p);
			return;
		}
		p->ttl--;
		node_output(s, n, p, true);
		return;
	}
	st->rx_delivered++;
	switch (p->proto) {
	case IPPROTO_UDP_:
		udp_input(s, n, p);
		return;
	case IPPROTO_TCP_:
		tcp_input(s, n, p);
		return;
	default:
		st->unknown_proto++;
		pkt_free(s, p);
		return;
	}
}

void ip_fmt_addr(uint32_t a, char *out, size_t len)
{
	snprintf(out, len, "%u.%u.%u.%u", a >> 24, (a >> 16) & 255, (a >> 8) & 255, a & 255);
}
