/*
 * udp.c - UDP sockets (RFC 768).
 *
 * The checksum is real: computed over the pseudo-header, header and the
 * virtual payload on send, verified on receipt; a datagram that fails is
 * discarded and counted, as RFC 1122 section 4.1.3.4 requires.
 */
#include <stddef.h>
#include "ip.h"
#include "udp.h"

static inline struct udp_sock **bucket(struct udp_table *t, uint16_t port)
{
	return &t->bucket[(port * 40503u >> 10) % UDP_HASH];
}

int udp_bind(struct sim *s, struct node *n, struct udp_sock *u, uint16_t port,
	     udp_recv_fn recv, void *owner)
{
	struct udp_sock **b = bucket(&ip_stack_of(n)->udp, port);

	(void)s;
	for (struct udp_sock *x = *b; x; x = x->hnext)
		if (x->port == port)
			return -1;
	u->node = n;
	u->port = port;
	u->recv = recv;
	u->owner = owner;
	u->hnext = *b;
	*b = u;
	return 0;
}

void udp_unbind(struct udp_sock *u)
{
	struct udp_sock **b = bucket(&ip_stack_of(u->node)->udp, u->port);

	for (; *b; b = &(*b)->hnext)
		if (*b == u) {
			*b = u->hnext;
			return;
		}
}

uint32_t udp_sendto(struct sim *s, struct udp_sock *u, uint32_t dst, uint16_t dport,
		    uint32_t len, const struct udp_meta *m)
{
	struct packet *p = pkt_alloc(s);

	p->proto = IPPROTO_UDP_;
	p->src = u->node->addr;
	p->dst = dst;
	p->sport = u->port;
	p->dport = dport;
	p->payload_len = len;
	p->flow = m->flow;
	p->app_seq = m->app_seq;
	p->app_time = s->now;
	p->payload_id = m->payload_id;
	p->payload_off = m->payload_off;
	pkt_set_l4_csum_lazy(p);
	ip_output(s, u->node, p);
	return IP_HDR_LEN + UDP_HDR_LEN + len;
}

void udp_input(struct sim *s, struct node *n, struct packet *p)
{
	struct ip_stack *st = ip_stack_of(n);
	struct udp_sock *u = *bucket(&st->udp, p->dport);

	if (!pkt_l4_csum_ok(p)) {
		st->udp_bad_csum++;
		pkt_free(s, p);
		return;
	}
	while (u && u->port != p->dport)
		u = u->hnext;
	if (!u) {
		st->udp_no_port++;
		pkt_free(s, p);
		return;
	}
	u->recv(s, u, p);
	pkt_free(s, p);
}
