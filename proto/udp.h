/*
 * udp.h - UDP (RFC 768): ports, checksums, demultiplexing to sockets.
 *
 * A socket is bound to (node, port); received datagrams whose checksum
 * verifies go to its recv callback, which must not keep the packet (UDP
 * frees it after the call).  A datagram for a port nobody bound is counted
 * (udp_no_port) and discarded, as is one that fails its checksum.
 */
#ifndef SEGSIM_UDP_H
#define SEGSIM_UDP_H

#include <stdint.h>
#include "sim.h"

struct udp_sock;
struct node;

typedef void (*udp_recv_fn)(struct sim *s, struct udp_sock *u, const struct packet *p);

struct udp_sock {
	struct node *node;
	uint16_t port;
	udp_recv_fn recv;
	void *owner;
	struct udp_sock *hnext;         /* hash chain */
};

#define UDP_HASH 64                     /* buckets per node; chains are short */
struct udp_table {
	struct udp_sock *bucket[UDP_HASH];
};

/* What a sender attaches to a datagram besides addresses and length. */
struct udp_meta {
	uint16_t flow;                  /* flow index for traces */
	uint32_t app_seq;               /* datagram number */
	uint32_t payload_id;            /* virtual payload stream */
	uint64_t payload_off;
};

/* Bind port on node n (0 when the port is taken).  The socket lives in
 * caller-provided storage u. */
int udp_bind(struct sim *s, struct node *n, struct udp_sock *u, uint16_t port,
	     udp_recv_fn recv, void *owner);
void udp_unbind(struct udp_sock *u);

/* Send len payload bytes to (dst, dport).  Returns the packet's IP length. */
uint32_t udp_sendto(struct sim *s, struct udp_sock *u, uint32_t dst, uint16_t dport,
		    uint32_t len, const struct udp_meta *m);

/* Called by ip_input for a UDP datagram addressed to n. */
void udp_input(struct sim *s, struct node *n, struct packet *p);

#endif
