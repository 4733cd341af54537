/*
 * packet.c - the packet pool, the virtual payload, wire bytes and checksums.
 *
 * Call order: pkt_alloc() (or pkt_clone()) when a transport builds a
 * segment; the transport fills the fields and calls pkt_set_l4_csum() last;
 * links may pkt_corrupt() it; the receiving transport asks pkt_l4_csum_ok();
 * pcap.c calls pkt_write_wire() for captures; pkt_free() when it dies, and
 * pkt_pool_free() once at the end of the run.
 *
 * Virtual payload.  Byte `off` of stream `id` is a byte of a 16-bit stream
 * word
 *
 *     W(i) = (A * i + D(id)) mod 65535,    i = off / 2,
 *
 * the high byte at even offsets and the low byte at odd ones, so that the
 * stream read from offset 0 is the sequence of big-endian words W(0), W(1),
 * ...  A = 40507 (0x9e3b) is coprime with 65535 = 3 * 5 * 17 * 257, so W
 * runs through all 65535 values before repeating (a period of 131070
 * bytes): a segment put at the wrong offset carries different bytes.  D(id)
 * is a hash of the stream id, so two streams differ too.
 *
 * The Internet checksum is a sum mod 65535 (the ones'-complement sum, with
 * 0xffff and 0 the same number; RFC 1071 section 2), and a sum of an
 * arithmetic progression has a closed form, so the sum of any slice of any
 * stream costs O(1) whatever its length (pkt_payload_sum).  Checksums on the
 * hot path never touch payload bytes; only the pcap writer materialises them.
 *
 * Sums are kept as residues mod 65535 in 0..65534 throughout.  The only
 * place where that differs from the 16-bit ones'-complement register is
 * the two zeros: the register holds +0 (0x0000) only when every input word
 * is zero, which never happens here because the pseudo-header (or the IP
 * version byte) is non-zero; otherwise a multiple of 65535 reads 0xffff.
 * csum_field() does that mapping.
 */
#include <assert.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "packet.h"

/* csum_mark of a segment whose checksum is computed only when looked at. */
#define CSUM_LAZY 0x20000u

static uint16_t csum_of(const struct packet *p);
#include "sim.h"

#if defined(__SANITIZE_ADDRESS__)
#define PKT_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define PKT_ASAN 1
#endif
#endif

#ifdef PKT_ASAN
/* A packet on the free list is poisoned, so a use after pkt_free() is an
 * ASan error although the memory stays ours. */
#include <sanitizer/asan_interface.h>
#define PKT_POISON(p, n)   ASAN_POISON_MEMORY_REGION((p), (n))
#define PKT_UNPOISON(p, n) ASAN_UNPOISON_MEMORY_REGION((p), (n))
#else
#define PKT_POISON(p, n)   ((void)(p), (void)(n))
#define PKT_UNPOISON(p, n) ((void)(p), (void)(n))
#endif

#define PKT_CHUNK  1024         /* packets per pool allocation */
#define CSUM_MOD   65535u       /* 2^16 - 1: ones'-complement arithmetic */
#define PAYLOAD_A  40507u       /* 0x9e3b, coprime with 65535 */

/* ---- pool ---- */

static void pool_grow(struct pkt_pool *pool)
{
	struct packet *chunk = malloc(PKT_CHUNK * sizeof *chunk);
	void **chunks = realloc(pool->chunks, (pool->n_chunks + 1) * sizeof *chunks);

	if (!chunk || !chunks) {
		fprintf(stderr, "segsim: out of memory (packet pool)\n");
		exit(1);
	}
	pool->chunks = chunks;
	pool->chunks[pool->n_chunks++] = chunk;
	/* Thread back to front so packets are handed out in address order. */
	for (int i = PKT_CHUNK - 1; i >= 0; i--) {
		chunk[i].next = pool->free;
		pool->free = &chunk[i];
		PKT_POISON(&chunk[i], sizeof chunk[i]);
	}
}

struct packet *pkt_alloc(struct sim *s)
{
	struct pkt_pool *pool = &s->pool;
	struct packet *p;

	if (!pool->free)
		pool_grow(pool);
	p = pool->free;
	PKT_UNPOISON(p, sizeof *p);
	pool->free = p->next;

	memset(p, 0, sizeof *p);
	/* Not pending, no callback: what event_init() leaves, without
	 * calling into the scheduler. */
	p->ev.slot = -1;
	p->ev.fn = NULL;
	p->uid = s->next_pkt_uid++;
	p->flow = PKT_NO_FLOW;
	p->ttl = 64;            /* Linux default, RFC 1700 recommends 64 */
	p->corrupt_word = PKT_CORRUPT_NONE;

	if (++pool->live > pool->peak)
		pool->peak = pool->live;
	return p;
}

struct packet *pkt_clone(struct sim *s, const struct packet *p)
{
	struct packet *c = pkt_alloc(s);
	uint64_t uid = c->uid;

	*c = *p;
	c->uid = uid;
	c->next = NULL;
	/* The copy is in no queue and on no timer, whatever the original. */
	memset(&c->ev, 0, sizeof c->ev);
	c->ev.slot = -1;
	return c;
}

void pkt_free(struct sim *s, struct packet *p)
{
	struct pkt_pool *pool = &s->pool;

	if (!p)
		return;
	/* A packet freed with its event still in the heap would fire later
	 * from the free list: catch it here rather than three events on. */
	assert(!event_pending(&p->ev));
	assert(pool->live > 0);
	pool->live--;
	p->next = pool->free;
	pool->free = p;
	PKT_POISON(p, sizeof *p);
}

void pkt_pool_free(struct pkt_pool *pool)
{
	for (uint32_t i = 0; i < pool->n_chunks; i++) {
		PKT_UNPOISON(pool->chunks[i], PKT_CHUNK * sizeof(struct packet));
		free(pool->chunks[i]);
	}
	free(pool->chunks);
	memset(pool, 0, sizeof *pool);
}

/* ---- virtual payload ---- */

/* D(id): splitmix64 finaliser, so consecutive ids get unrelated offsets. */
static uint32_t payload_d(uint32_t id)
{
	uint64_t x = id + 0x9e3779b97f4a7c15ULL;

	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	x ^= x >> 31;
	return (uint32_t)(x % CSUM_MOD);
}

/* W(i) with D(id) already computed.  i is reduced first so the product
 * stays below 2^32. */
static uint32_t payload_word(uint32_t d, uint64_t i)
{
	return (uint32_t)((PAYLOAD_A * (i % CSUM_MOD) + d) % CSUM_MOD);
}

uint8_t pkt_payload_byte(uint32_t id, uint64_t off)
{
	uint32_t w = payload_word(payload_d(id), off >> 1);

	return (uint8_t)((off & 1) ? w & 0xff : w >> 8);
}

void pkt_payload_fill(uint32_t id, uint64_t off, uint32_t len, uint8_t *out)
{
	uint32_t w = payload_word(payload_d(id), off >> 1);
	uint32_t k = 0;

	/* W(i + 1) = W(i) + A mod 65535: one add per word, no multiply. */
	if ((off & 1) && len) {
		out[k++] = (uint8_t)(w & 0xff);
		w += PAYLOAD_A;
		if (w >= CSUM_MOD)
			w -= CSUM_MOD;
	}
	for (; len - k >= 2; k += 2) {
		out[k] = (uint8_t)(w >> 8);
		out[k + 1] = (uint8_t)(w & 0xff);
		w += PAYLOAD_A;
		if (w >= CSUM_MOD)
			w -= CSUM_MOD;
	}
	if (k < len)
		out[k] = (uint8_t)(w >> 8);
}

/* Sum of W(i0) .. W(i0 + n - 1) mod 65535:
 *   A * (n * i0 + n (n - 1) / 2) + n * D.
 * Every factor is reduced mod 65535 before it is multiplied, so nothing
 * overflows even for i0 near 2^63. */
static uint32_t payload_words_sum(uint32_t d, uint64_t i0, uint64_t n)
{
	uint64_t nm = n % CSUM_MOD;
	/* n (n - 1) / 2: halve whichever factor is even. */
	uint64_t tri = (n & 1) ? nm * (((n - 1) / 2) % CSUM_MOD)
			       : ((n / 2) % CSUM_MOD) * ((n ? n - 1 : 0) % CSUM_MOD);
	uint64_t si = (nm * (i0 % CSUM_MOD) + tri % CSUM_MOD) % CSUM_MOD;

	return (uint32_t)((PAYLOAD_A * si + nm * d) % CSUM_MOD);
}

/*
 * First the sum of the slice in stream alignment (each byte weighted 256 at
 * an even stream offset, 1 at an odd one): a leading low byte, whole words,
 * a trailing high byte.  The caller wants the slice's first byte weighted
 * 256.  When off is even that is the same thing.  When off is odd every
 * byte changes weight: 1 becomes 256 and 256 becomes 1 = 256 * 256 mod
 * 65535, i.e. every weight is multiplied by 256.  This is RFC 1071 section
 * 2 (B), byte order independence, read as arithmetic: swapping the bytes of
 * a 16-bit value v gives 256 * v mod 65535.
 */
uint32_t pkt_payload_sum(uint32_t id, uint64_t off, uint32_t len)
{
	uint32_t d = payload_d(id);
	uint64_t i = off >> 1;
	uint64_t rem = len;
	uint64_t sum = 0;

	if ((off & 1) && rem) {
		sum += payload_word(d, i) & 0xff;
		i++;
		rem--;
	}
	sum += payload_words_sum(d, i, rem / 2);
	i += rem / 2;
	if (rem & 1)
		sum += payload_word(d, i) & 0xff00;
	sum %= CSUM_MOD;
	if (off & 1)
		sum = (sum << 8) % CSUM_MOD;
	return (uint32_t)sum;
}

uint32_t inet_sum(const uint8_t *buf, size_t len)
{
	uint64_t sum = 0;
	size_t k;

	/* RFC 1071 section 4.1, with a 64-bit accumulator so carries are
	 * folded once at the end (as a residue mod 65535). */
	for (k = 0; k + 1 < len; k += 2)
		sum += (uint32_t)buf[k] << 8 | buf[k + 1];
	if (k < len)
		sum += (uint32_t)buf[k] << 8;   /* odd byte padded with zero */
	return (uint32_t)(sum % CSUM_MOD);
}

/* The checksum field for a sum (mod 65535) taken with the field zero: the
 * complement of the 16-bit ones'-complement sum, which is 0xffff, not 0,
 * for a multiple of 65535 (see the file comment). */
static uint16_t csum_field(uint32_t sum)
{
	return (uint16_t)(sum == 0 ? 0 : 0xffff - sum);
}

/* ---- wire format ---- */

static void put16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)(v >> 8);
	b[1] = (uint8_t)v;
}

static void put32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static uint32_t l4_seg_len(const struct packet *p)
{
	return pkt_l4_hdr_len(p) + p->payload_len;
}

/* RFC 791 section 3.1. */
size_t pkt_write_ip(const struct packet *p, uint8_t *out)
{
	out[0] = 0x45;                          /* version 4, IHL 5 words */
	out[1] = p->ecn & 3;                    /* DSCP 0; ECN, RFC 3168 5 */
	put16(out + 2, (uint16_t)pkt_ip_len(p));
	put16(out + 4, p->ip_id);
	put16(out + 6, 0x4000);                 /* DF, offset 0: never fragmented */
	out[8] = p->ttl;
	out[9] = p->proto;
	put16(out + 10, 0);
	put32(out + 12, p->src);
	put32(out + 16, p->dst);
	put16(out + 10, csum_field(inet_sum(out, IP_HDR_LEN)));
	return IP_HDR_LEN;
}

/* The transport header as the sender built it, before any corruption. */
static size_t write_l4_clean(const struct packet *p, uint8_t *out, uint16_t csum)
{
	put16(out, p->sport);
	put16(out + 2, p->dport);
	if (p->proto != IPPROTO_TCP_) {
		/* RFC 768: length covers header and data. */
		put16(out + 4, (uint16_t)(UDP_HDR_LEN + p->payload_len));
		put16(out + 6, csum);
		return UDP_HDR_LEN;
	}
	/* RFC 9293 section 3.1. */
	put32(out + 4, p->tcp.seq);
	put32(out + 8, p->tcp.ack);
	out[12] = (uint8_t)(((TCP_HDR_LEN + p->tcp.optlen) / 4) << 4);
	out[13] = p->tcp.flags;                 /* CWR ECE URG ACK PSH RST SYN FIN */
	put16(out + 14, p->tcp.win);
	put16(out + 16, csum);
	put16(out + 18, p->tcp.urp);
	memcpy(out + TCP_HDR_LEN, p->tcp.opt, p->tcp.optlen);
	return TCP_HDR_LEN + p->tcp.optlen;
}

/* Apply the corruption XOR to the first `n` bytes of the segment `seg`
 * (the whole segment is l4_seg_len bytes; its missing pad byte is never
 * written). */
static void apply_corruption(const struct packet *p, uint8_t *seg, size_t n)
{
	size_t b;

	if (p->corrupt_word == PKT_CORRUPT_NONE)
		return;
	b = (size_t)p->corrupt_word * 2;
	if (b < n)
		seg[b] ^= (uint8_t)(p->corrupt_xor >> 8);
	if (b + 1 < n)
		seg[b + 1] ^= (uint8_t)p->corrupt_xor;
}

size_t pkt_write_l4(const struct packet *p, uint8_t *out)
{
	size_t n = write_l4_clean(p, out, csum_of(p));

	apply_corruption(p, out, n);
	return n;
}

size_t pkt_write_wire(const struct packet *p, uint8_t *out, size_t cap)
{
	uint8_t hdr[IP_HDR_LEN + TCP_HDR_LEN + TCP_OPT_MAX];
	size_t hl = pkt_write_ip(p, hdr);
	size_t n, total = pkt_ip_len(p);

	hl += write_l4_clean(p, hdr + hl, csum_of(p));
	if (cap > total)
		cap = total;
	n = cap < hl ? cap : hl;
	memcpy(out, hdr, n);
	if (cap > hl)
		pkt_payload_fill(p->payload_id, p->payload_off, (uint32_t)(cap - hl), out + hl);
	if (cap > IP_HDR_LEN)
		apply_corruption(p, out + IP_HDR_LEN, cap - IP_HDR_LEN);
	return cap;
}

/* ---- checksums ---- */

/* Pseudo-header: source, destination, zero, protocol, transport length
 * (RFC 768; RFC 9293 section 3.1). */
static uint32_t pseudo_sum(const struct packet *p)
{
	uint64_t sum = (p->src >> 16) + (p->src & 0xffff)
		     + (p->dst >> 16) + (p->dst & 0xffff)
		     + p->proto + l4_seg_len(p);

	return (uint32_t)(sum % CSUM_MOD);
}

/* Sum of the segment as the sender built it, checksum field `csum`.  The
 * payload starts at an even offset of the segment (header lengths are
 * even), so pkt_payload_sum's alignment is the segment's. */
static uint32_t l4_sum(const struct packet *p, uint16_t csum)
{
	uint8_t hdr[TCP_HDR_LEN + TCP_OPT_MAX];
	size_t hl = write_l4_clean(p, hdr, csum);
	uint64_t sum = (uint64_t)pseudo_sum(p) + inet_sum(hdr, hl)
		     + pkt_payload_sum(p->payload_id, p->payload_off, p->payload_len);

	return (uint32_t)(sum % CSUM_MOD);
}

/* The checksum field the sender computes over the segment as built. */
static uint16_t field_of(const struct packet *p)
{
	uint16_t c = csum_field(l4_sum(p, 0));

	/* RFC 768: a computed zero is sent as all ones, zero meaning "no
	 * checksum".  TCP sends the zero as it is (RFC 9293 has no such
	 * rule), which is what csum_field gives for a sum of 0xffff. */
	if (c == 0 && p->proto == IPPROTO_UDP_)
		c = 0xffff;
	return c;
}

void pkt_set_l4_csum(struct packet *p)
{
	uint16_t c = field_of(p);

	p->l4_csum = c;
	p->csum_mark = 0x10000u | c;
}

void pkt_set_l4_csum_lazy(struct packet *p)
{
	p->csum_mark = CSUM_LAZY;
}

/* The checksum field as transmitted: computed now if it was left to
 * whoever looks (a capture, a corrupted segment's receiver). */
static uint16_t csum_of(const struct packet *p)
{
	return p->csum_mark == CSUM_LAZY ? field_of(p) : p->l4_csum;
}

/* Word `w` of the segment as the sender built it (a final odd byte padded
 * with zero, as the checksum pads it: RFC 9293 section 3.1). */
static uint16_t l4_orig_word(const struct packet *p, uint32_t w)
{
	uint8_t hdr[TCP_HDR_LEN + TCP_OPT_MAX];
	uint32_t hl = pkt_l4_hdr_len(p);
	uint32_t b = w * 2;
	uint8_t hi, lo = 0;

	if (b < hl) {
		write_l4_clean(p, hdr, csum_of(p));
		return (uint16_t)(hdr[b] << 8 | hdr[b + 1]);
	}
	b -= hl;        /* even: offset into the payload */
	hi = pkt_payload_byte(p->payload_id, p->payload_off + b);
	if (b + 1 < p->payload_len)
		lo = pkt_payload_byte(p->payload_id, p->payload_off + b + 1);
	return (uint16_t)(hi << 8 | lo);
}

bool pkt_l4_csum_ok(const struct packet *p)
{
	uint16_t field;
	uint64_t sum;

	/* A segment nobody touched since pkt_set_l4_csum() (its contents are
	 * not changed after that; pkt_corrupt() is the only damage) verifies
	 * by construction, RFC 1071: recomputing the sum would only cost
	 * time - it was a sixth of a bulk run.  A corrupted segment, or a
	 * forged one whose checksum field was set by hand, is summed. */
	if (p->corrupt_word == PKT_CORRUPT_NONE &&
	    (p->csum_mark == CSUM_LAZY || p->csum_mark == (0x10000u | p->l4_csum)))
		return true;
	field = csum_of(p);
	sum = l4_sum(p, field);

	if (p->corrupt_word != PKT_CORRUPT_NONE) {
		uint32_t seg = l4_seg_len(p);
		uint32_t w = p->corrupt_word;
		uint16_t x = p->corrupt_xor;
		uint16_t orig;

		assert(w < (seg + 1) / 2);
		if (2 * w + 1 >= seg)
			x &= 0xff00;    /* the pad byte is not on the wire */
		orig = l4_orig_word(p, w);
		/* RFC 1071 section 2 (A): the sum does not care where the
		 * word is, so swap its old value for its new one. */
		sum += (orig ^ x) % CSUM_MOD + CSUM_MOD - orig % CSUM_MOD;
		if (p->proto != IPPROTO_TCP_ && w == 3)
			field ^= x;     /* the UDP checksum field itself */
	}
	/* RFC 768: an all-zero field means the sender computed none. */
	if (p->proto != IPPROTO_TCP_ && field == 0)
		return true;
	return sum % CSUM_MOD == 0;
}

/*
 * One bit flipped in one 16-bit word, both chosen from rnd.  A single-bit
 * error always changes the ones'-complement sum (it adds +-2^k, never a
 * multiple of 65535), so corruption is always detected, as on a real link
 * where the CRC failed to catch it and the Internet checksum does.  A packet
 * already damaged keeps its first damage: one word is all we can represent,
 * and any further damage could only cancel it.
 */
void pkt_corrupt(struct packet *p, uint32_t rnd)
{
	uint32_t seg = l4_seg_len(p);
	uint32_t words = (seg + 1) / 2;
	uint32_t w = rnd % words;
	uint32_t bit = (rnd >> 16) % 16;

	if (p->corrupt_word != PKT_CORRUPT_NONE)
		return;
	/* Last word of an odd-length segment: only its high byte exists. */
	if (2 * w + 1 >= seg)
		bit = 8 + bit % 8;
	p->corrupt_word = (uint16_t)w;
	p->corrupt_xor = (uint16_t)(1u << bit);
}
