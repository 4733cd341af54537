/*
 * test_pcap.c - capture files: header and record layout, and what real
 * tools make of them.
 *
 * The layout tests read the file back byte by byte.  The tool test writes
 * two captures - one clean, one with exactly three corrupted packets - and,
 * when tests/pcap/check.sh, tshark and tcpdump are all there, runs
 * check.sh on both: tshark and tcpdump must verify every checksum of the
 * clean file and flag exactly the three damaged packets of the other.
 *
 * SEGSIM_PCAP_DIR=DIR keeps the two captures as DIR/segsim_good.pcap and
 * DIR/segsim_bad3.pcap, to look at them or run check.sh by hand.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "sim.h"
#include "packet.h"
#include "pcap.h"

#define N_PKTS_MAX 32
#define IP(a, b, c, d) ((uint32_t)(a) << 24 | (uint32_t)(b) << 16 | (uint32_t)(c) << 8 | (d))

struct capture {
	struct sim s;
	struct packet *p[N_PKTS_MAX];
	sim_time_t t[N_PKTS_MAX];
	int n;
};

static struct packet *add(struct capture *c, sim_time_t t, uint8_t proto)
{
	struct packet *p = pkt_alloc(&c->s);

	p->proto = proto;
	p->ip_id = (uint16_t)(0x1000 + c->n);
	c->t[c->n] = t;
	c->p[c->n++] = p;
	return p;
}

static struct packet *tcp(struct capture *c, sim_time_t t, bool fwd, uint32_t seq,
			  uint32_t ack, uint8_t flags, const char *opt, uint8_t optlen,
			  uint64_t off, uint32_t len)
{
	struct packet *p = add(c, t, IPPROTO_TCP_);

	p->src = fwd ? IP(10, 0, 0, 1) : IP(10, 0, 1, 1);
	p->dst = fwd ? IP(10, 0, 1, 1) : IP(10, 0, 0, 1);
	p->sport = fwd ? 40000 : 5001;
	p->dport = fwd ? 5001 : 40000;
	p->tcp.seq = seq;
	p->tcp.ack = ack;
	p->tcp.flags = flags;
	p->tcp.win = fwd ? 502 : 509;
	p->tcp.optlen = optlen;
	memcpy(p->tcp.opt, opt, optlen);
	p->payload_id = fwd ? 1 : 2;
	p->payload_off = off;
	p->payload_len = len;
	return p;
}

static struct packet *udp(struct capture *c, sim_time_t t, uint64_t off, uint32_t len)
{
	struct packet *p = add(c, t, IPPROTO_UDP_);

	p->src = IP(10, 0, 0, 2);
	p->dst = IP(10, 0, 1, 2);
	p->sport = 33000;
	p->dport = 9000;
	p->payload_id = 7;
	p->payload_off = off;
	p->payload_len = len;
	return p;
}

/*
 * A TCP connection as Linux starts one, with options laid out as on the
 * wire: SYN with MSS (RFC 9293 3.2), SACK-permitted (RFC 2018), timestamps
 * and window scale (RFC 7323), ECN setup (RFC 3168 6.1.1); data of even and
 * odd lengths at even and odd stream offsets; an ACK with a SACK block and
 * ECE after a CE mark; FIN.  Then UDP datagrams of 0, 1, 1000 and 1472
 * bytes, one far into its stream.  Times have nanoseconds, to check that
 * the microseconds are truncated.
 */
static void build(struct capture *c)
{
	const uint32_t isn = 0x7a3b1c00, irs = 0x01020304;
	/* MSS 1460, SACK-permitted, TSval 4096 TSecr 0, NOP, wscale 7 */
	static const char syn_opt[] = "\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x10\x00"
				      "\x00\x00\x00\x00\x01\x03\x03\x07";
	static const char synack_opt[] = "\x02\x04\x05\xb4\x04\x02\x08\x0a\x00\x00\x20\x00"
					 "\x00\x00\x10\x00\x01\x03\x03\x07";
	/* NOP NOP TS */
	static const char ts_opt[] = "\x01\x01\x08\x0a\x00\x00\x10\x05\x00\x00\x20\x01";
	/* NOP NOP TS, NOP NOP SACK one block [isn+1+2449, isn+1+3226) */
	char sack_opt[24];
	uint32_t l = isn + 1 + 2449, r = isn + 1 + 3226;
	struct packet *p;

	memset(c, 0, sizeof *c);
	memcpy(sack_opt, "\x01\x01\x08\x0a\x00\x00\x20\x09\x00\x00\x10\x05\x01\x01\x05\x0a", 16);
	for (int k = 0; k < 4; k++) {
		sack_opt[16 + k] = (char)(l >> (24 - 8 * k));
		sack_opt[20 + k] = (char)(r >> (24 - 8 * k));
	}

	p = tcp(c, 1000, true, isn, 0, TH_SYN | TH_ECE | TH_CWR, syn_opt, 20, 0, 0);
	p->tcp.win = 64240;
	p = tcp(c, 21001999, false, irs, isn + 1, TH_SYN | TH_ACK | TH_ECE, synack_opt, 20, 0, 0);
	p->tcp.win = 65160;
	tcp(c, 42002001, true, isn + 1, irs + 1, TH_ACK, ts_opt, 12, 0, 0);
	p = tcp(c, 42002002, true, isn + 1, irs + 1, TH_ACK | TH_PSH, ts_opt, 12, 0, 1448);
	p->ecn = ECN_ECT0;
	p = tcp(c, 42500000, true, isn + 1 + 1448, irs + 1, TH_ACK, ts_opt, 12, 1448, 1001);
	p->ecn = ECN_CE;                /* marked on the way */
	p = tcp(c, 43000000, true, isn + 1 + 3226, irs + 1, TH_ACK, ts_opt, 12, 3226, 777);
	p->ecn = ECN_ECT0;
	tcp(c, 63000000, false, irs + 1, isn + 1 + 2449, TH_ACK | TH_ECE, sack_opt, 24, 0, 0);
	/* the same bytes again from the client's own send stream: odd start */
	tcp(c, 64000000, true, isn + 1 + 2449, irs + 1, TH_ACK | TH_CWR, ts_opt, 12, 2449, 777);
	tcp(c, 1500000000, true, isn + 1 + 4003, irs + 1, TH_FIN | TH_ACK, ts_opt, 12, 4003, 0);
	tcp(c, 1521000000, false, irs + 1, isn + 1 + 4004, TH_RST | TH_ACK, "", 0, 0, 0);

	udp(c, 2000000000, 0, 0);
	udp(c, 2000123456, 0, 1);
	udp(c, 2000246913, 1, 1000);
	udp(c, 4000000000000LL + 999, (1ULL << 40) + 1, 1472);

	for (int i = 0; i < c->n; i++)
		pkt_set_l4_csum(c->p[i]);
}

static void release(struct capture *c)
{
	pkt_pool_free(&c->s.pool);
}

static void write_file(const char *path, struct capture *c, uint32_t snaplen)
{
	struct pcap_file *f = pcap_open(path, snaplen);

	assert_non_null(f);
	for (int i = 0; i < c->n; i++)
		pcap_write(f, c->t[i], c->p[i]);
	assert_int_equal(pcap_close(f), 0);
}

static uint8_t *slurp(const char *path, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long n;

	assert_non_null(fp);
	fseek(fp, 0, SEEK_END);
	n = ftell(fp);
	rewind(fp);
	buf = malloc((size_t)n + 1);
	assert_int_equal(fread(buf, 1, (size_t)n, fp), (size_t)n);
	fclose(fp);
	*len = (size_t)n;
	return buf;
}

static uint32_t rd32(const uint8_t *b)
{
	return (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
}

static char *tmp_path(const char *name)
{
	const char *dir = getenv("TMPDIR");
	char *path = malloc(4096);

	snprintf(path, 4096, "%s/%s.%ld.pcap", dir && *dir ? dir : "/tmp", name, (long)getpid());
	return path;
}

/* Header bytes, then every record's header and bytes against pkt_write_wire. */
static void check_file(const char *path, struct capture *c, uint32_t snaplen)
{
	static uint8_t wire[65535];
	size_t len, at = 24;
	uint8_t *b = slurp(path, &len);
	const uint8_t want[24] = {
		0xd4, 0xc3, 0xb2, 0xa1,         /* magic 0xa1b2c3d4, little-endian */
		2, 0, 4, 0,                     /* version 2.4 */
		0, 0, 0, 0,                     /* thiszone */
		0, 0, 0, 0,                     /* sigfigs */
		(uint8_t)snaplen, (uint8_t)(snaplen >> 8), 0, 0,
		101, 0, 0, 0,                   /* LINKTYPE_RAW */
	};

	assert_true(len >= 24);
	assert_memory_equal(b, want, 24);
	for (int i = 0; i < c->n; i++) {
		uint32_t orig = pkt_ip_len(c->p[i]);
		uint32_t incl = orig < snaplen ? orig : snaplen;

		assert_true(at + 16 <= len);
		assert_int_equal(rd32(b + at), (uint32_t)(c->t[i] / SIM_S));
		assert_int_equal(rd32(b + at + 4), (uint32_t)(c->t[i] % SIM_S / 1000));
		assert_int_equal(rd32(b + at + 8), incl);
		assert_int_equal(rd32(b + at + 12), orig);
		at += 16;
		assert_true(at + incl <= len);
		assert_int_equal(pkt_write_wire(c->p[i], wire, incl), incl);
		assert_memory_equal(b + at, wire, incl);
		assert_int_equal(b[at], 0x45);
		at += incl;
	}
	assert_int_equal(at, len);              /* nothing else */
	free(b);
}

static void test_pcap_layout(void **state)
{
	struct capture c;
	char *path = tmp_path("segsim_layout");

	(void)state;
	build(&c);
	write_file(path, &c, 0);                /* 0: 65535 */
	check_file(path, &c, 65535);
	/* A few spot checks by hand, independent of pkt_write_wire. */
	size_t len;
	uint8_t *b = slurp(path, &len);
	assert_int_equal(rd32(b + 24), 0);                  /* 1000 ns */
	assert_int_equal(rd32(b + 24 + 4), 1);              /* -> 1 us */
	assert_int_equal(rd32(b + 24 + 12), 20 + 40);       /* SYN: IP + TCP 40 */
	assert_int_equal(b[40 + 20 + 12], 0xa0);            /* data offset 10 */
	assert_int_equal(b[40 + 20 + 13], TH_SYN | TH_ECE | TH_CWR);
	assert_memory_equal(b + 40 + 40, "\x02\x04\x05\xb4\x04\x02\x08\x0a", 8);
	free(b);
	unlink(path);
	free(path);
	release(&c);
}

static void test_pcap_snaplen(void **state)
{
	struct capture c;
	char *path = tmp_path("segsim_snap");

	(void)state;
	build(&c);
	write_file(path, &c, 54);       /* headers of most, not all, packets */
	check_file(path, &c, 54);
	/* Corruption past the snap length is not in the file, before it is. */
	c.p[3]->corrupt_word = 20;      /* TCP payload, byte 40 of segment */
	c.p[3]->corrupt_xor = 0x8000;
	write_file(path, &c, 54);
	check_file(path, &c, 54);
	c.p[3]->corrupt_word = 2;       /* TCP sequence number */
	write_file(path, &c, 54);
	check_file(path, &c, 54);
	unlink(path);
	free(path);
	release(&c);
}

static void test_pcap_open_fails(void **state)
{
	(void)state;
	assert_null(pcap_open("/nonexistent-dir/segsim/x.pcap", 0));
	assert_int_equal(pcap_close(NULL), 0);
}

static bool have(const char *tool)
{
	char cmd[256];

	snprintf(cmd, sizeof cmd, "command -v %s >/dev/null 2>&1", tool);
	return system(cmd) == 0;
}

/* Run check.sh; its TAP line and diagnostics are passed on as "#"
 * comments, so a TAP harness counts this cmocka test once, not twice. */
static int run_check(const char *script, const char *file, int expected)
{
	char cmd[9000], line[1024];
	FILE *fp;

	snprintf(cmd, sizeof cmd, "sh '%s' '%s' %d 2>&1", script, file, expected);
	fp = popen(cmd, "r");
	assert_non_null(fp);
	while (fgets(line, sizeof line, fp))
		print_message("# %s", line);
	return pclose(fp);
}

/* A random number from which pkt_corrupt() picks word w, bit `bit`, of a
 * segment of `seg` bytes (word = rnd % words, bit = (rnd >> 16) % 16). */
static uint32_t rnd_for(uint32_t seg, uint32_t w, uint32_t bit)
{
	uint32_t words = (seg + 1) / 2;

	return (bit << 16) + (w + words - (bit << 16) % words) % words;
}

/* The clean capture, and the same with three packets damaged: a UDP
 * payload bit, a TCP sequence-number bit, and the last (odd) byte of a
 * TCP segment - all through pkt_corrupt's rules. */
static void test_pcap_tools(void **state)
{
	const char *keep = getenv("SEGSIM_PCAP_DIR");
	const char *script = getenv("SEGSIM_CHECK_SH");
	char good[4096], bad[4096];
	struct capture c;

	(void)state;
	if (keep && *keep) {
		snprintf(good, sizeof good, "%s/segsim_good.pcap", keep);
		snprintf(bad, sizeof bad, "%s/segsim_bad3.pcap", keep);
	} else {
		char *g = tmp_path("segsim_good"), *b = tmp_path("segsim_bad3");

		snprintf(good, sizeof good, "%s", g);
		snprintf(bad, sizeof bad, "%s", b);
		free(g);
		free(b);
	}
	build(&c);
	write_file(good, &c, 0);
	check_file(good, &c, 65535);

	/* UDP 1000 bytes: segment word 4 + 100 is payload, bit 3. */
	pkt_corrupt(c.p[12], rnd_for(8 + 1000, 104, 3));
	assert_int_equal(c.p[12]->corrupt_word, 104);
	/* TCP data: word 2 is the high half of the sequence number. */
	pkt_corrupt(c.p[3], rnd_for(32 + 1448, 2, 14));
	assert_int_equal(c.p[3]->corrupt_word, 2);
	/* TCP 1001 bytes + 32 header: the last word is a lone high byte;
	 * pkt_corrupt must move bit 1 into it. */
	uint32_t last = (32 + 1001 + 1) / 2 - 1;
	pkt_corrupt(c.p[4], rnd_for(32 + 1001, last, 1));
	assert_int_equal(c.p[4]->corrupt_word, last);
	assert_int_equal(c.p[4]->corrupt_xor, 1u << 9);
	for (int i = 0; i < c.n; i++)
		assert_int_equal(pkt_l4_csum_ok(c.p[i]), i != 12 && i != 3 && i != 4);
	write_file(bad, &c, 0);
	check_file(bad, &c, 65535);
	release(&c);

	if (!script || !*script)
		script = "tests/pcap/check.sh";
	bool run = access(script, R_OK) == 0 && have("tshark") && have("tcpdump");
	if (run) {
		assert_int_equal(run_check(script, good, 0), 0);
		assert_int_equal(run_check(script, bad, 3), 0);
	}
	if (!(keep && *keep)) {
		unlink(good);
		unlink(bad);
	}
	/* Not cmocka's skip(): its TAP output says "not ok ... # SKIP",
	 * which tests/run.sh would count as a failure. */
	if (!run)
		print_message("# %s, tshark or tcpdump missing: tool check not run\n", script);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pcap_layout),
		cmocka_unit_test(test_pcap_snaplen),
		cmocka_unit_test(test_pcap_open_fails),
		cmocka_unit_test(test_pcap_tools),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
