/*
 * packet.h - packets, their pool, and their virtual payload.
 *
 * A packet keeps IPv4 and transport header fields as plain struct members; the
 * wire bytes are built only when needed (checksums, pcap) by packet.c.
 * TCP options are kept as raw option bytes, exactly as on the wire, so TCP
 * parses them as a real stack does (and a fuzzer can feed it garbage).
 *
 * Payload is virtual: a stream id plus a byte offset into that stream and a
 * length.  Its bytes are a fixed function of (id, offset) (pkt_payload_byte),
 * chosen so that the Internet checksum of any slice is computed in O(1)
 * (pkt_payload_sum).  So checksums are real - tcpdump and tshark verify the
 * bytes we write - without touching payload bytes on the hot path.
 *
 * Corruption flips bits in one 16-bit word of the packet (corrupt_xor at
 * corrupt_word); both the checksum check and the pcap writer see it.
 */
#ifndef SEGSIM_PACKET_H
#define SEGSIM_PACKET_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>
#include "event.h"

enum { IPPROTO_TCP_ = 6, IPPROTO_UDP_ = 17 };

/* ECN codepoint in the IP header (RFC 3168 section 5). */
enum { ECN_NOT_ECT = 0, ECN_ECT1 = 1, ECN_ECT0 = 2, ECN_CE = 3 };

/* TCP flags (RFC 9293 section 3.1, RFC 3168 section 6.1). */
enum {
	TH_FIN = 0x01, TH_SYN = 0x02, TH_RST = 0x04, TH_PSH = 0x08,
	TH_ACK = 0x10, TH_URG = 0x20, TH_ECE = 0x40, TH_CWR = 0x80,
};

#define IP_HDR_LEN    20
#define UDP_HDR_LEN   8
#define TCP_HDR_LEN   20
#define TCP_OPT_MAX   40
#define PKT_NO_FLOW   0xffffu
#define PKT_CORRUPT_NONE 0xffffu

struct tcp_fields {
	uint32_t seq, ack;
	uint16_t win;           /* as on the wire (already scaled down) */
	uint16_t urp;
	uint8_t flags;
	uint8_t optlen;         /* bytes of options, multiple of 4, <= 40 */
	uint8_t opt[TCP_OPT_MAX];
};

struct packet {
	struct event ev;        /* propagation / processing, one at a time */
	struct packet *next;    /* FIFO link in a queue; free-list link */
	uint64_t uid;           /* unique per run, for traces */

	sim_time_t t_created;   /* when the sending transport made it */
	sim_time_t t_enq;       /* when it entered its current queue */
	sim_time_t t_arrive;    /* on a link's wire: when it reaches the end */
	uint32_t link_gen;      /* link generation at transmission (link down) */
	uint16_t flow;          /* flow index for traces, PKT_NO_FLOW if none */
	uint8_t dup;            /* 1: a copy made by the duplication fault */

	/* IPv4 (RFC 791) */
	uint32_t src, dst;
	uint16_t ip_id;
	uint8_t proto;
	uint8_t ttl;
	uint8_t ecn;            /* ECN_* */

	/* transport */
	uint16_t sport, dport;
	uint16_t l4_csum;       /* checksum field as transmitted */
	uint32_t csum_mark;     /* 0x10000 | the field pkt_set_l4_csum() computed */
	struct tcp_fields tcp;  /* valid when proto is TCP */

	/* virtual payload */
	uint32_t payload_len;
	uint32_t payload_id;
	uint64_t payload_off;

	/* application metadata (not on the wire): datagram number, send time */
	uint32_t app_seq;
	sim_time_t app_time;

	/* corruption: XOR applied to 16-bit word corrupt_word of the transport
	 * segment (header included); PKT_CORRUPT_NONE when intact. */
	uint16_t corrupt_xor;
	uint16_t corrupt_word;
};

/* Transport header length in bytes (8 for UDP, 20 + options for TCP). */
static inline uint32_t pkt_l4_hdr_len(const struct packet *p)
{
	return p->proto == IPPROTO_TCP_ ? TCP_HDR_LEN + p->tcp.optlen : UDP_HDR_LEN;
}
/* IPv4 total length. */
static inline uint32_t pkt_ip_len(const struct packet *p)
{
	return IP_HDR_LEN + pkt_l4_hdr_len(p) + p->payload_len;
}

/* ---- pool ---- */
struct pkt_pool {
	struct packet *free;
	void **chunks;
	uint32_t n_chunks;
	uint64_t live;          /* packets handed out and not yet freed */
	uint64_t peak;
};

struct sim;
/* A zeroed packet (flow = PKT_NO_FLOW, corrupt_word = NONE, ttl 64). */
struct packet *pkt_alloc(struct sim *s);
/* A copy of p with a new uid (the duplication fault). */
struct packet *pkt_clone(struct sim *s, const struct packet *p);
void pkt_free(struct sim *s, struct packet *p);
void pkt_pool_free(struct pkt_pool *pool);

/* ---- payload and checksums ---- */
uint8_t pkt_payload_byte(uint32_t id, uint64_t off);
void pkt_payload_fill(uint32_t id, uint64_t off, uint32_t len, uint8_t *out);
/* Ones'-complement sum (mod 65535, in 0..65534) of payload bytes
 * [off, off+len) of stream id, as if they started at an even byte. O(1). */
uint32_t pkt_payload_sum(uint32_t id, uint64_t off, uint32_t len);
/* RFC 1071 sum of a byte buffer, mod 65535 (0..65534), even-aligned. */
uint32_t inet_sum(const uint8_t *buf, size_t len);

/* Serialise the IPv4 header (20 bytes) into out; the header checksum is
 * filled in.  Returns 20. */
size_t pkt_write_ip(const struct packet *p, uint8_t *out);
/* Serialise the transport header (UDP 8 or TCP 20+options) into out with the
 * checksum field as in p->l4_csum, corruption applied if it falls in the
 * header.  Returns its length. */
size_t pkt_write_l4(const struct packet *p, uint8_t *out);
/* Whole IP datagram into out (capacity cap); corruption applied.  Returns the
 * number of bytes written (min(cap, ip length)). */
size_t pkt_write_wire(const struct packet *p, uint8_t *out, size_t cap);

/* Compute and store p->l4_csum over pseudo-header, header and payload
 * (RFC 768, RFC 9293 section 3.1).  Call after every field is final. */
void pkt_set_l4_csum(struct packet *p);
/* The same, computed only when someone looks: a capture writes it, a
 * corrupted segment's receiver sums it; an untouched segment verifies by
 * construction.  The senders use this; p->l4_csum is then not set (read
 * the field through pkt_write_l4/pkt_write_wire). */
void pkt_set_l4_csum_lazy(struct packet *p);
/* True when the received segment's checksum verifies (corruption included). */
bool pkt_l4_csum_ok(const struct packet *p);
/* Damage one 16-bit word of the transport segment (fault model). */
void pkt_corrupt(struct packet *p, uint32_t rnd);

#endif
