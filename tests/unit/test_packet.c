/*
 * test_packet.c - the packet pool, the virtual payload and the checksums.
 *
 * Every O(1) shortcut in packet.c is checked against a slow, independent
 * reference written here: ref_fold() is RFC 1071's byte-by-byte
 * ones'-complement sum with end-around carry, folded to 16 bits, over bytes
 * obtained one at a time from pkt_payload_byte() or from the bytes
 * pkt_write_wire() really writes.  Random cases come from a fixed-seed GSL
 * generator, so a failure reproduces.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <gsl/gsl_rng.h>

#include "sim.h"
#include "packet.h"

#define M 65535u

static gsl_rng *rng_new(unsigned long seed)
{
	gsl_rng *r = gsl_rng_alloc(gsl_rng_mt19937);

	gsl_rng_set(r, seed);
	return r;
}

static uint64_t rnd64(gsl_rng *r)
{
	return (uint64_t)gsl_rng_get(r) << 32 ^ gsl_rng_get(r);
}

/* RFC 1071 section 4.1, literally: 16-bit big-endian words, odd byte padded
 * with zero, end-around carry.  Result in 0..0xffff (0xffff for a non-zero
 * multiple of 65535, 0 only for all-zero input). */
static uint16_t ref_fold(const uint8_t *b, size_t n)
{
	uint32_t sum = 0;

	for (size_t k = 0; k < n; k += 2) {
		sum += (uint32_t)b[k] << 8 | (k + 1 < n ? b[k + 1] : 0);
		while (sum >> 16)
			sum = (sum & 0xffff) + (sum >> 16);
	}
	return (uint16_t)sum;
}

/* The same as a residue mod 65535 in 0..65534, inet_sum()'s convention. */
static uint32_t ref_mod(const uint8_t *b, size_t n)
{
	uint16_t f = ref_fold(b, n);

	return f == 0xffff ? 0 : f;
}

static uint32_t gcd32(uint32_t a, uint32_t b)
{
	while (b) {
		uint32_t t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static uint32_t word_at(uint32_t id, uint64_t i)
{
	return (uint32_t)pkt_payload_byte(id, 2 * i) << 8 | pkt_payload_byte(id, 2 * i + 1);
}

/* ---- payload ---- */

static void test_inet_sum_rfc1071_example(void **state)
{
	/* RFC 1071 section 3: 00 01 f2 03 f4 f5 f6 f7 sums to ddf2. */
	static const uint8_t b[] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	(void)state;
	assert_int_equal(inet_sum(b, sizeof b), 0xddf2);
	assert_int_equal(ref_fold(b, sizeof b), 0xddf2);
	/* Odd length: the last byte is the high byte of a padded word. */
	assert_int_equal(inet_sum(b, 3), (0x0001 + 0xf200) % M);
	/* 0xffff and 0 are one number mod 65535. */
	static const uint8_t ff[] = { 0xff, 0xff, 0x00, 0x00 };
	assert_int_equal(inet_sum(ff, 4), 0);
	assert_int_equal(inet_sum(b, 0), 0);
}

static void test_inet_sum_random(void **state)
{
	gsl_rng *r = rng_new(7);
	uint8_t buf[2001];

	(void)state;
	for (int t = 0; t < 2000; t++) {
		size_t n = gsl_rng_uniform_int(r, sizeof buf + 1);

		for (size_t k = 0; k < n; k++)
			buf[k] = (uint8_t)gsl_rng_get(r);
		if (t % 10 == 0)
			memset(buf, 0xff, n);   /* carry-heavy */
		assert_int_equal(inet_sum(buf, n), ref_mod(buf, n));
	}
	gsl_rng_free(r);
}

/* The step between stream words is A; it must be coprime with 65535 so the
 * words run through all 65535 values before repeating. */
static void test_payload_a_coprime_full_period(void **state)
{
	static uint8_t seen[M];
	const uint32_t id = 12345;
	uint32_t a = (word_at(id, 1) + M - word_at(id, 0)) % M;

	(void)state;
	assert_int_equal(gcd32(a, M), 1);
	assert_int_equal(a % 3 != 0 && a % 5 != 0 && a % 17 != 0 && a % 257 != 0, 1);
	/* Every word is the previous plus A, anywhere in the stream. */
	gsl_rng *r = rng_new(11);
	for (int t = 0; t < 1000; t++) {
		uint64_t i = rnd64(r) >> 2;

		assert_int_equal(word_at(id, i + 1), (word_at(id, i) + a) % M);
	}
	gsl_rng_free(r);
	/* Full period: 65535 consecutive words are all different, and the
	 * stream repeats after exactly 65535 words. */
	uint8_t *buf = malloc(2 * M);
	pkt_payload_fill(id, 0, 2 * M, buf);
	memset(seen, 0, sizeof seen);
	for (uint32_t i = 0; i < M; i++) {
		uint32_t w = (uint32_t)buf[2 * i] << 8 | buf[2 * i + 1];

		assert_true(w < M);
		assert_int_equal(seen[w], 0);
		seen[w] = 1;
	}
	free(buf);
	assert_int_equal(word_at(id, M), word_at(id, 0));
	/* Different streams differ. */
	assert_int_not_equal(word_at(1, 0) * 65536u + word_at(1, 1),
			     word_at(2, 0) * 65536u + word_at(2, 1));
}

static void test_payload_fill_matches_byte(void **state)
{
	gsl_rng *r = rng_new(3);
	uint8_t buf[3001];

	(void)state;
	for (int t = 0; t < 500; t++) {
		uint32_t id = (uint32_t)gsl_rng_get(r);
		uint64_t off = rnd64(r) >> (gsl_rng_get(r) % 64);
		uint32_t len = (uint32_t)gsl_rng_uniform_int(r, sizeof buf);

		pkt_payload_fill(id, off, len, buf);
		for (uint32_t k = 0; k < len; k++)
			assert_int_equal(buf[k], pkt_payload_byte(id, off + k));
	}
	gsl_rng_free(r);
}

static void check_sum(uint32_t id, uint64_t off, uint32_t len, uint8_t *buf)
{
	for (uint32_t k = 0; k < len; k++)
		buf[k] = pkt_payload_byte(id, off + k);
	uint32_t got = pkt_payload_sum(id, off, len);
	uint32_t want = ref_mod(buf, len);

	if (got != want)
		fail_msg("payload_sum(id=%u, off=%llu, len=%u) = %u, brute force %u",
			 id, (unsigned long long)off, len, got, want);
	assert_true(got < M);
}

static void test_payload_sum_vs_brute_force(void **state)
{
	gsl_rng *r = rng_new(1);
	static uint8_t buf[200000];
	static const uint64_t bases[] = {
		0, 1, 2, 3, 131070, 131069, (1ULL << 40) - 3, 1ULL << 40,
		(1ULL << 63) - 1, 1ULL << 63, (1ULL << 63) + 1,
		UINT64_MAX - 300000,
	};
	int cases = 0;

	(void)state;
	/* Every small length at every alignment around some awkward bases. */
	for (size_t b = 0; b < sizeof bases / sizeof bases[0]; b++)
		for (uint64_t d = 0; d < 4; d++)
			for (uint32_t len = 0; len < 70; len++, cases++)
				check_sum(0xdeadbeef, bases[b] + d, len, buf);
	/* Random ids, offsets (any magnitude, either parity), lengths. */
	for (int t = 0; t < 5000; t++, cases++) {
		uint32_t id = (uint32_t)gsl_rng_get(r);
		uint64_t off = rnd64(r) >> (gsl_rng_get(r) % 64);
		uint32_t len = (uint32_t)gsl_rng_uniform_int(r, 1600);

		if (off > UINT64_MAX - 200000)
			off -= 200000;
		check_sum(id, off, len, buf);
	}
	/* Lengths longer than the 131070-byte period. */
	for (int t = 0; t < 20; t++, cases++) {
		uint64_t off = (rnd64(r) >> 1) + (uint64_t)t;

		check_sum((uint32_t)t, off, 131070 + (uint32_t)gsl_rng_uniform_int(r, 60000), buf);
	}
	print_message("  %d payload slices checked against brute force\n", cases);
	gsl_rng_free(r);
}

/* Concatenation: sum(a, n1 + n2) = sum(a, n1) + sum(a + n1, n2) shifted by
 * 256 when n1 is odd (RFC 1071 section 2 (B)).  What a TCP receiver relies
 * on when it joins segments. */
static void test_payload_sum_concatenates(void **state)
{
	gsl_rng *r = rng_new(5);

	(void)state;
	for (int t = 0; t < 2000; t++) {
		uint32_t id = (uint32_t)gsl_rng_get(r);
		uint64_t off = rnd64(r) >> 2;
		uint32_t n1 = (uint32_t)gsl_rng_uniform_int(r, 3000);
		uint32_t n2 = (uint32_t)gsl_rng_uniform_int(r, 3000);
		uint64_t s2 = pkt_payload_sum(id, off + n1, n2);

		if (n1 & 1)
			s2 = s2 * 256 % M;
		assert_int_equal(pkt_payload_sum(id, off, n1 + n2),
				 (pkt_payload_sum(id, off, n1) + s2) % M);
	}
	gsl_rng_free(r);
}

/* ---- pool ---- */

static void test_pool_alloc_defaults(void **state)
{
	struct sim s;

	(void)state;
	memset(&s, 0, sizeof s);
	s.next_pkt_uid = 100;
	struct packet *p = pkt_alloc(&s);
	assert_non_null(p);
	assert_int_equal(p->uid, 100);
	assert_int_equal(p->ev.slot, -1);
	assert_null(p->ev.fn);
	assert_false(event_pending(&p->ev));
	assert_int_equal(p->flow, PKT_NO_FLOW);
	assert_int_equal(p->corrupt_word, PKT_CORRUPT_NONE);
	assert_int_equal(p->ttl, 64);
	assert_int_equal(p->payload_len, 0);
	assert_int_equal(p->l4_csum, 0);
	assert_null(p->next);
	assert_int_equal(s.pool.live, 1);

	/* Dirty it, free it, get it back clean. */
	memset(p, 0xa5, sizeof *p);
	p->ev.slot = -1;
	pkt_free(&s, p);
	assert_int_equal(s.pool.live, 0);
	struct packet *q = pkt_alloc(&s);
	assert_ptr_equal(q, p);                 /* LIFO reuse: cache-warm */
	assert_int_equal(q->uid, 101);
	assert_int_equal(q->tcp.optlen, 0);
	assert_int_equal(q->src, 0);
	assert_int_equal(q->ttl, 64);
	assert_int_equal(q->corrupt_xor, 0);
	assert_int_equal(q->dup, 0);
	pkt_free(&s, q);
	pkt_free(&s, NULL);                     /* like free(NULL) */
	assert_int_equal(s.pool.peak, 1);
	pkt_pool_free(&s.pool);
	assert_int_equal(s.pool.n_chunks, 0);
	assert_null(s.pool.free);
}

static void test_pool_live_peak_chunks(void **state)
{
	struct sim s;
	static struct packet *ps[3000];

	(void)state;
	memset(&s, 0, sizeof s);
	for (int i = 0; i < 3000; i++) {
		ps[i] = pkt_alloc(&s);
		ps[i]->payload_len = (uint32_t)i;
	}
	assert_int_equal(s.pool.live, 3000);
	assert_int_equal(s.pool.peak, 3000);
	uint32_t chunks = s.pool.n_chunks;
	assert_true(chunks >= 3 && chunks <= 4);
	/* All distinct and intact. */
	for (int i = 0; i < 3000; i++)
		assert_int_equal(ps[i]->payload_len, (uint32_t)i);
	for (int i = 0; i < 3000; i += 2)
		pkt_free(&s, ps[i]);
	assert_int_equal(s.pool.live, 1500);
	assert_int_equal(s.pool.peak, 3000);
	for (int i = 1; i < 3000; i += 2)
		pkt_free(&s, ps[i]);
	assert_int_equal(s.pool.live, 0);

	/* Steady state: 10^5 alloc/free cycles with a few in flight never
	 * grow the pool. */
	for (int i = 0; i < 100000; i++) {
		struct packet *a = pkt_alloc(&s), *b = pkt_alloc(&s);

		pkt_free(&s, a);
		pkt_free(&s, b);
	}
	assert_int_equal(s.pool.n_chunks, chunks);
	assert_int_equal(s.pool.live, 0);
	assert_int_equal(s.pool.peak, 3000);
	assert_int_equal(s.next_pkt_uid, 3000 + 200000);
	/* Leaks nothing even with packets still live (ASan checks). */
	pkt_alloc(&s);
	pkt_pool_free(&s.pool);
	assert_int_equal(s.pool.live, 0);
}

static void test_pool_clone(void **state)
{
	struct sim s;

	(void)state;
	memset(&s, 0, sizeof s);
	struct packet *p = pkt_alloc(&s);
	p->src = 0x0a000001;
	p->proto = IPPROTO_TCP_;
	p->tcp.seq = 77;
	p->tcp.optlen = 4;
	memcpy(p->tcp.opt, "\x02\x04\x05\xb4", 4);
	p->payload_off = 1000;
	p->payload_len = 1460;
	p->ev.slot = 3;                         /* pretend it is scheduled */
	p->ev.arg = 9;
	p->next = p;

	struct packet *c = pkt_clone(&s, p);
	assert_ptr_not_equal(c, p);
	assert_int_equal(c->uid, p->uid + 1);
	assert_int_equal(c->src, p->src);
	assert_int_equal(c->tcp.seq, 77);
	assert_memory_equal(c->tcp.opt, "\x02\x04\x05\xb4", 4);
	assert_int_equal(c->payload_off, 1000);
	assert_int_equal(c->payload_len, 1460);
	assert_int_equal(c->ev.slot, -1);
	assert_int_equal(c->ev.arg, 0);
	assert_null(c->next);
	assert_int_equal(s.pool.live, 2);
	p->ev.slot = -1;
	pkt_free(&s, p);
	pkt_free(&s, c);
	pkt_pool_free(&s.pool);
}

/* ---- wire format and checksums ---- */

/* A random, fully specified packet: TCP with random options or UDP, any
 * payload slice. */
static void rand_packet(gsl_rng *r, struct packet *p, uint32_t max_payload)
{
	memset(p, 0, sizeof *p);
	p->ev.slot = -1;
	p->corrupt_word = PKT_CORRUPT_NONE;
	p->proto = gsl_rng_uniform_int(r, 2) ? IPPROTO_TCP_ : IPPROTO_UDP_;
	p->src = (uint32_t)gsl_rng_get(r);
	p->dst = (uint32_t)gsl_rng_get(r);
	p->ip_id = (uint16_t)gsl_rng_get(r);
	p->ttl = (uint8_t)(1 + gsl_rng_uniform_int(r, 255));
	p->ecn = (uint8_t)gsl_rng_uniform_int(r, 4);
	p->sport = (uint16_t)gsl_rng_get(r);
	p->dport = (uint16_t)gsl_rng_get(r);
	p->tcp.seq = (uint32_t)gsl_rng_get(r);
	p->tcp.ack = (uint32_t)gsl_rng_get(r);
	p->tcp.win = (uint16_t)gsl_rng_get(r);
	p->tcp.urp = (uint16_t)gsl_rng_get(r);
	p->tcp.flags = (uint8_t)gsl_rng_get(r);
	p->tcp.optlen = (uint8_t)(4 * gsl_rng_uniform_int(r, TCP_OPT_MAX / 4 + 1));
	for (int k = 0; k < p->tcp.optlen; k++)
		p->tcp.opt[k] = (uint8_t)gsl_rng_get(r);
	p->payload_id = (uint32_t)gsl_rng_get(r);
	p->payload_off = rnd64(r) >> (gsl_rng_get(r) % 64);
	p->payload_len = (uint32_t)gsl_rng_uniform_int(r, max_payload + 1);
}

/* The checksum field a real stack computes from the bytes on the wire:
 * pseudo-header + segment with the field zero, folded, complemented. */
static uint16_t ref_l4_csum(const uint8_t *wire, size_t len)
{
	static uint8_t buf[12 + 70000];
	size_t seg = len - IP_HDR_LEN;
	uint8_t proto = wire[9];
	size_t cso = proto == IPPROTO_TCP_ ? 16 : 6;

	memcpy(buf, wire + 12, 8);              /* source, destination */
	buf[8] = 0;
	buf[9] = proto;
	buf[10] = (uint8_t)(seg >> 8);
	buf[11] = (uint8_t)seg;
	memcpy(buf + 12, wire + IP_HDR_LEN, seg);
	buf[12 + cso] = buf[12 + cso + 1] = 0;
	uint16_t c = (uint16_t)~ref_fold(buf, 12 + seg);
	if (c == 0 && proto == IPPROTO_UDP_)
		c = 0xffff;                     /* RFC 768 */
	return c;
}

/* Does the segment on the wire verify, as a receiver checks it? */
static bool ref_l4_ok(const uint8_t *wire, size_t len)
{
	static uint8_t buf[12 + 70000];
	size_t seg = len - IP_HDR_LEN;
	uint8_t proto = wire[9];

	if (proto == IPPROTO_UDP_ && wire[IP_HDR_LEN + 6] == 0 && wire[IP_HDR_LEN + 7] == 0)
		return true;
	memcpy(buf, wire + 12, 8);
	buf[8] = 0;
	buf[9] = proto;
	buf[10] = (uint8_t)(seg >> 8);
	buf[11] = (uint8_t)seg;
	memcpy(buf + 12, wire + IP_HDR_LEN, seg);
	return ref_fold(buf, 12 + seg) == 0xffff;
}

static void test_ip_header_known_answer(void **state)
{
	/* A textbook header: 4500 0073 0000 4000 4011 b861 c0a8 0001 c0a8 00c7
	 * (UDP, 115 bytes, DF, TTL 64, 192.168.0.1 -> 192.168.0.199). */
	static const uint8_t want[20] = {
		0x45, 0x00, 0x00, 0x73, 0x00, 0x00, 0x40, 0x00, 0x40, 0x11,
		0xb8, 0x61, 0xc0, 0xa8, 0x00, 0x01, 0xc0, 0xa8, 0x00, 0xc7,
	};
	struct packet p;
	uint8_t out[20];

	(void)state;
	memset(&p, 0, sizeof p);
	p.proto = IPPROTO_UDP_;
	p.ttl = 64;
	p.src = 0xc0a80001;
	p.dst = 0xc0a800c7;
	p.payload_len = 0x73 - 28;
	assert_int_equal(pkt_write_ip(&p, out), 20);
	assert_memory_equal(out, want, 20);
}

static void test_ip_header_checksum_random(void **state)
{
	gsl_rng *r = rng_new(21);
	struct packet p;
	uint8_t out[20];

	(void)state;
	for (int t = 0; t < 20000; t++) {
		rand_packet(r, &p, 1400);
		pkt_write_ip(&p, out);
		assert_int_equal(ref_fold(out, 20), 0xffff);
		assert_int_equal(out[0], 0x45);
		assert_int_equal(out[1], p.ecn);
		assert_int_equal(out[2] << 8 | out[3], pkt_ip_len(&p));
		assert_int_equal(out[4] << 8 | out[5], p.ip_id);
		assert_int_equal(out[6], 0x40);
		assert_int_equal(out[8], p.ttl);
		assert_int_equal(out[9], p.proto);
		assert_int_equal((uint32_t)out[12] << 24 | out[13] << 16 | out[14] << 8 | out[15], p.src);
		assert_int_equal((uint32_t)out[16] << 24 | out[17] << 16 | out[18] << 8 | out[19], p.dst);
	}
	gsl_rng_free(r);
}

static void test_l4_layout(void **state)
{
	struct packet p;
	uint8_t out[80];

	(void)state;
	memset(&p, 0, sizeof p);
	p.corrupt_word = PKT_CORRUPT_NONE;
	p.proto = IPPROTO_TCP_;
	p.sport = 0x1234;
	p.dport = 80;
	p.tcp.seq = 0x01020304;
	p.tcp.ack = 0xa0b0c0d0;
	p.tcp.flags = TH_SYN | TH_ACK | TH_ECE;
	p.tcp.win = 65535;
	p.tcp.urp = 7;
	p.tcp.optlen = 8;
	memcpy(p.tcp.opt, "\x02\x04\x05\xb4\x01\x03\x03\x07", 8);
	p.l4_csum = 0xbeef;
	assert_int_equal(pkt_write_l4(&p, out), 28);
	static const uint8_t tcp[28] = {
		0x12, 0x34, 0x00, 0x50, 0x01, 0x02, 0x03, 0x04, 0xa0, 0xb0, 0xc0, 0xd0,
		0x70, 0x52, 0xff, 0xff, 0xbe, 0xef, 0x00, 0x07,
		0x02, 0x04, 0x05, 0xb4, 0x01, 0x03, 0x03, 0x07,
	};
	assert_memory_equal(out, tcp, 28);

	p.proto = IPPROTO_UDP_;
	p.payload_len = 100;
	assert_int_equal(pkt_write_l4(&p, out), 8);
	static const uint8_t udp[8] = { 0x12, 0x34, 0x00, 0x50, 0x00, 108, 0xbe, 0xef };
	assert_memory_equal(out, udp, 8);

	/* Corruption in the header shows in pkt_write_l4. */
	p.corrupt_word = 1;
	p.corrupt_xor = 0x0100;
	pkt_write_l4(&p, out);
	assert_int_equal(out[2], 0x01);
	assert_int_equal(out[3], 0x50);
}

static void test_l4_csum_vs_brute_force(void **state)
{
	gsl_rng *r = rng_new(42);
	static uint8_t wire[IP_HDR_LEN + TCP_HDR_LEN + TCP_OPT_MAX + 9001];
	struct packet p;
	int n_tcp = 0, n_udp = 0;

	(void)state;
	for (int t = 0; t < 10000; t++) {
		rand_packet(r, &p, t % 100 == 0 ? 9000 : 1500);
		pkt_set_l4_csum(&p);
		size_t len = pkt_write_wire(&p, wire, sizeof wire);
		assert_int_equal(len, pkt_ip_len(&p));
		assert_int_equal(p.l4_csum, ref_l4_csum(wire, len));
		assert_true(ref_l4_ok(wire, len));
		assert_true(pkt_l4_csum_ok(&p));
		/* the same verified by summing, not by the untouched mark */
		p.csum_mark = 0;
		assert_true(pkt_l4_csum_ok(&p));
		assert_int_equal(ref_fold(wire, IP_HDR_LEN), 0xffff);
		/* The payload on the wire is the stream's bytes. */
		size_t hl = IP_HDR_LEN + pkt_l4_hdr_len(&p);
		for (uint32_t k = 0; k < p.payload_len; k += 97)
			assert_int_equal(wire[hl + k], pkt_payload_byte(p.payload_id, p.payload_off + k));
		if (p.proto == IPPROTO_TCP_)
			n_tcp++;
		else
			n_udp++;
	}
	print_message("  %d TCP and %d UDP checksums checked against brute force\n", n_tcp, n_udp);
	gsl_rng_free(r);
}

/* Sender computes a zero: UDP sends 0xffff (zero means "no checksum",
 * RFC 768), TCP sends 0. */
static void test_zero_checksum_mapping(void **state)
{
	struct packet p;
	uint8_t wire[200];
	int found = 0;

	(void)state;
	for (int proto = 0; proto < 2; proto++) {
		memset(&p, 0, sizeof p);
		p.corrupt_word = PKT_CORRUPT_NONE;
		p.proto = proto ? IPPROTO_TCP_ : IPPROTO_UDP_;
		p.src = 0x0a000001;
		p.dst = 0x0a000002;
		p.dport = 9;
		p.payload_id = 3;
		p.payload_off = 17;
		p.payload_len = 101;
		/* The source port moves the sum through every residue. */
		for (uint32_t sp = 0; sp <= 0xffff; sp++) {
			p.sport = (uint16_t)sp;
			pkt_set_l4_csum(&p);
			size_t len = pkt_write_wire(&p, wire, sizeof wire);
			uint8_t *seg = wire + IP_HDR_LEN;
			uint16_t z = seg[proto ? 16 : 6] << 8 | seg[proto ? 17 : 7];

			assert_int_equal(z, ref_l4_csum(wire, len));
			if (p.proto == IPPROTO_UDP_ && p.l4_csum == 0xffff) {
				found++;
				assert_true(pkt_l4_csum_ok(&p));
				assert_true(ref_l4_ok(wire, len));
			}
			if (p.proto == IPPROTO_TCP_ && p.l4_csum == 0) {
				found++;
				assert_true(pkt_l4_csum_ok(&p));
				assert_true(ref_l4_ok(wire, len));
			}
			assert_int_not_equal(p.l4_csum, p.proto == IPPROTO_UDP_ ? 0 : 0xffff);
		}
	}
	assert_true(found >= 2);

	/* A UDP sender that computes no checksum: anything goes. */
	p.proto = IPPROTO_UDP_;
	p.l4_csum = 0;
	assert_true(pkt_l4_csum_ok(&p));
}

/* Every word, every bit of a small segment: the O(1) check agrees with a
 * receiver summing the corrupted bytes, and rejects it. */
static void check_every_corruption(struct packet *p)
{
	uint8_t clean[200], wire[200];
	uint32_t seg = pkt_l4_hdr_len(p) + p->payload_len;
	uint32_t words = (seg + 1) / 2;
	int variants = 0;

	pkt_set_l4_csum(p);
	assert_true(pkt_l4_csum_ok(p));
	size_t len = pkt_write_wire(p, clean, sizeof clean);
	for (uint32_t w = 0; w < words; w++) {
		for (int bit = 0; bit < 16; bit++) {
			p->corrupt_word = (uint16_t)w;
			p->corrupt_xor = (uint16_t)(1u << bit);
			if (2 * w + 1 >= seg && bit < 8)
				continue;       /* the pad byte is not on the wire */
			assert_int_equal(pkt_write_wire(p, wire, sizeof wire), len);
			/* Exactly one bit differs. */
			int diff = 0;
			for (size_t k = 0; k < len; k++)
				diff += __builtin_popcount(clean[k] ^ wire[k]);
			assert_int_equal(diff, 1);
			assert_int_equal(pkt_l4_csum_ok(p), ref_l4_ok(wire, len));
			assert_false(pkt_l4_csum_ok(p));
			variants++;
		}
		/* Multi-bit damage too. */
		p->corrupt_xor = 0xa5c3;
		pkt_write_wire(p, wire, sizeof wire);
		assert_int_equal(pkt_l4_csum_ok(p), ref_l4_ok(wire, len));
	}
	p->corrupt_word = PKT_CORRUPT_NONE;
	p->corrupt_xor = 0;
	assert_true(pkt_l4_csum_ok(p));
	assert_int_equal(variants, 16 * (seg / 2) + 8 * (seg & 1));
}

static void test_l4_csum_detects_every_corruption(void **state)
{
	struct packet p;

	(void)state;
	memset(&p, 0, sizeof p);
	p.corrupt_word = PKT_CORRUPT_NONE;
	p.src = 0x0a000001;
	p.dst = 0x0a010203;
	p.sport = 40000;
	p.dport = 5001;
	p.payload_id = 77;

	/* UDP, odd payload at an odd stream offset. */
	p.proto = IPPROTO_UDP_;
	p.payload_off = 12345;
	p.payload_len = 5;
	check_every_corruption(&p);
	/* UDP, even payload, even offset; empty payload. */
	p.payload_off = 1000;
	p.payload_len = 12;
	check_every_corruption(&p);
	p.payload_len = 0;
	check_every_corruption(&p);

	/* TCP with options (MSS, SACK-permitted, timestamps, NOP, wscale). */
	p.proto = IPPROTO_TCP_;
	p.tcp.seq = 1;
	p.tcp.ack = 0xfffffff0;
	p.tcp.flags = TH_ACK | TH_PSH;
	p.tcp.win = 501;
	p.tcp.optlen = 20;
	memcpy(p.tcp.opt, "\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x10\x00"
	       "\x00\x00\x00\x00\x01\x03\x03\x07", 20);
	p.payload_off = (1ULL << 63) + 1;
	p.payload_len = 7;
	check_every_corruption(&p);
	p.payload_len = 0;
	check_every_corruption(&p);
}

/* The UDP checksum field itself damaged into zero reads as "no checksum":
 * the receiver accepts it, as a real one would (the data is intact). */
static void test_udp_field_corrupted_to_zero(void **state)
{
	struct packet p;
	uint8_t wire[100];

	(void)state;
	memset(&p, 0, sizeof p);
	p.corrupt_word = PKT_CORRUPT_NONE;
	p.proto = IPPROTO_UDP_;
	p.src = 1;
	p.dst = 2;
	p.payload_len = 10;
	pkt_set_l4_csum(&p);
	p.corrupt_word = 3;
	p.corrupt_xor = p.l4_csum;
	size_t len = pkt_write_wire(&p, wire, sizeof wire);
	assert_int_equal(wire[IP_HDR_LEN + 6] | wire[IP_HDR_LEN + 7], 0);
	assert_true(ref_l4_ok(wire, len));
	assert_true(pkt_l4_csum_ok(&p));
}

/* Damage that only touches the pad byte of an odd segment is no damage:
 * that byte is never sent. */
static void test_corruption_of_pad_byte_is_none(void **state)
{
	struct packet p;
	uint8_t clean[100], wire[100];

	(void)state;
	memset(&p, 0, sizeof p);
	p.corrupt_word = PKT_CORRUPT_NONE;
	p.proto = IPPROTO_UDP_;
	p.src = 1;
	p.dst = 2;
	p.payload_off = 3;
	p.payload_len = 9;
	pkt_set_l4_csum(&p);
	size_t len = pkt_write_wire(&p, clean, sizeof clean);
	p.corrupt_word = (UDP_HDR_LEN + 9) / 2;  /* the last, half word */
	p.corrupt_xor = 0x00ff;
	pkt_write_wire(&p, wire, sizeof wire);
	assert_memory_equal(clean, wire, len);
	assert_true(pkt_l4_csum_ok(&p));
	p.corrupt_xor = 0x01ff;
	assert_false(pkt_l4_csum_ok(&p));
}

/* The one error the Internet checksum cannot see: a word flipped between
 * 0x0000 and 0xffff.  The O(1) check must see exactly what a receiver sees,
 * which needs the original word right, in the header and in the payload at
 * either stream alignment. */
static void test_undetectable_all_ones_flip(void **state)
{
	gsl_rng *r = rng_new(13);
	static uint8_t wire[IP_HDR_LEN + TCP_HDR_LEN + TCP_OPT_MAX + 1501];
	static uint8_t scan[2 * M + 2];
	struct packet p;
	int undetected = 0;

	(void)state;
	/* Random packets, every word flipped to its complement. */
	for (int t = 0; t < 300; t++) {
		rand_packet(r, &p, 200);
		p.sport = 0;                    /* a word of zeros */
		pkt_set_l4_csum(&p);
		uint32_t seg = pkt_l4_hdr_len(&p) + p.payload_len;
		for (uint32_t w = 0; w < (seg + 1) / 2; w++) {
			p.corrupt_word = (uint16_t)w;
			p.corrupt_xor = 0xffff;
			size_t len = pkt_write_wire(&p, wire, sizeof wire);
			bool ok = pkt_l4_csum_ok(&p);

			assert_int_equal(ok, ref_l4_ok(wire, len));
			undetected += ok;
		}
	}
	/* Payload words 0xffff and 0x0000 in segment alignment, found by
	 * scanning streams, at both stream parities. */
	int found = 0;
	for (uint32_t id = 0; id < 64 && found < 4; id++) {
		pkt_payload_fill(id, 0, sizeof scan, scan);
		for (uint64_t b = 0; b + 1 < sizeof scan; b++) {
			if (!((scan[b] == 0xff && scan[b + 1] == 0xff) ||
			      (scan[b] == 0 && scan[b + 1] == 0)))
				continue;
			memset(&p, 0, sizeof p);
			p.proto = IPPROTO_UDP_;
			p.src = 5;
			p.dst = 6;
			p.payload_id = id;
			p.payload_off = b;
			p.payload_len = 3;
			pkt_set_l4_csum(&p);
			p.corrupt_word = UDP_HDR_LEN / 2;  /* first payload word */
			p.corrupt_xor = 0xffff;
			size_t len = pkt_write_wire(&p, wire, sizeof wire);

			assert_true(ref_l4_ok(wire, len));
			assert_true(pkt_l4_csum_ok(&p));
			found++;
		}
	}
	assert_true(found >= 2);
	assert_true(undetected >= 300);         /* at least the zero port */
	gsl_rng_free(r);
}

static void test_pkt_corrupt_random(void **state)
{
	gsl_rng *r = rng_new(99);
	static uint8_t clean[IP_HDR_LEN + TCP_HDR_LEN + TCP_OPT_MAX + 1501];
	static uint8_t wire[sizeof clean];
	struct packet p;
	int rejected = 0, accepted = 0;

	(void)state;
	for (int t = 0; t < 20000; t++) {
		rand_packet(r, &p, t % 3 ? 1500 : 3);
		pkt_set_l4_csum(&p);
		size_t len = pkt_write_wire(&p, clean, sizeof clean);
		uint32_t seg = pkt_l4_hdr_len(&p) + p.payload_len;

		pkt_corrupt(&p, (uint32_t)gsl_rng_get(r));
		assert_int_not_equal(p.corrupt_word, PKT_CORRUPT_NONE);
		assert_true(p.corrupt_word < (seg + 1) / 2);
		assert_int_not_equal(p.corrupt_xor, 0);
		/* Damage already there stays as it is. */
		struct packet q = p;
		pkt_corrupt(&p, (uint32_t)gsl_rng_get(r));
		assert_int_equal(p.corrupt_word, q.corrupt_word);
		assert_int_equal(p.corrupt_xor, q.corrupt_xor);

		pkt_write_wire(&p, wire, sizeof wire);
		int diff = 0;
		for (size_t k = 0; k < len; k++)
			diff += __builtin_popcount(clean[k] ^ wire[k]);
		assert_int_equal(diff, 1);      /* real damage, on the wire */
		assert_int_equal(pkt_l4_csum_ok(&p), ref_l4_ok(wire, len));
		if (pkt_l4_csum_ok(&p)) {
			/* Only a UDP checksum field flipped to zero. */
			assert_int_equal(p.proto, IPPROTO_UDP_);
			assert_int_equal(p.corrupt_word, 3);
			accepted++;
		} else {
			rejected++;
		}
	}
	print_message("  %d corrupted packets rejected, %d accepted (UDP field -> 0)\n",
		      rejected, accepted);
	gsl_rng_free(r);
}

static void test_write_wire_truncates(void **state)
{
	gsl_rng *r = rng_new(8);
	uint8_t full[IP_HDR_LEN + TCP_HDR_LEN + TCP_OPT_MAX + 301];
	uint8_t part[sizeof full + 8];
	struct packet p;

	(void)state;
	for (int t = 0; t < 300; t++) {
		rand_packet(r, &p, 300);
		pkt_set_l4_csum(&p);
		if (t % 2)
			pkt_corrupt(&p, (uint32_t)gsl_rng_get(r));
		size_t len = pkt_write_wire(&p, full, sizeof full);
		for (size_t cap = 0; cap <= len + 4; cap += 1 + cap / 8) {
			memset(part, 0xee, sizeof part);
			size_t n = pkt_write_wire(&p, part, cap);

			assert_int_equal(n, cap < len ? cap : len);
			assert_memory_equal(part, full, n);
			assert_int_equal(part[n], 0xee);  /* nothing past it */
		}
	}
	gsl_rng_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_inet_sum_rfc1071_example),
		cmocka_unit_test(test_inet_sum_random),
		cmocka_unit_test(test_payload_a_coprime_full_period),
		cmocka_unit_test(test_payload_fill_matches_byte),
		cmocka_unit_test(test_payload_sum_vs_brute_force),
		cmocka_unit_test(test_payload_sum_concatenates),
		cmocka_unit_test(test_pool_alloc_defaults),
		cmocka_unit_test(test_pool_live_peak_chunks),
		cmocka_unit_test(test_pool_clone),
		cmocka_unit_test(test_ip_header_known_answer),
		cmocka_unit_test(test_ip_header_checksum_random),
		cmocka_unit_test(test_l4_layout),
		cmocka_unit_test(test_l4_csum_vs_brute_force),
		cmocka_unit_test(test_zero_checksum_mapping),
		cmocka_unit_test(test_l4_csum_detects_every_corruption),
		cmocka_unit_test(test_udp_field_corrupted_to_zero),
		cmocka_unit_test(test_corruption_of_pad_byte_is_none),
		cmocka_unit_test(test_undetectable_all_ones_flip),
		cmocka_unit_test(test_pkt_corrupt_random),
		cmocka_unit_test(test_write_wire_truncates),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
