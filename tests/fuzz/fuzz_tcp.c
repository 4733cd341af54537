/*
 * fuzz_tcp.c - libFuzzer target for the TCP input path (coverage-guided
 * companion of tests/validate/test_tcp_fuzz.c, which `make test` runs).
 *
 * One input = one connection: byte 0 picks the state to start from (any
 * of LISTEN .. TIME-WAIT, reached by a real exchange through
 * tests/unit/tcp_harness.h), byte 1 the settings, then a list of
 * operations: forge a segment (flags, sequence and acknowledgment numbers
 * as an offset from an edge of the window or raw, window, payload length,
 * raw option bytes), let time pass, or make an application call.  After
 * each one the connection must satisfy th_invariant(); a violation
 * aborts.  Forged data carries the bytes its sequence number stands for,
 * so a wrong delivered byte is a bug too.
 *
 * Build and run (not part of `make test`; clang with libFuzzer):
 *   clang -g -O1 -std=c11 -D_POSIX_C_SOURCE=200809L \
 *     -fsanitize=fuzzer,address,undefined -Isim -Iproto -Itests \
 *     tests/fuzz/fuzz_tcp.c $(ls sim/[a-z]*.c proto/[a-z]*.c | grep -v main.c) \
 *     $(pkg-config --cflags --libs gsl yaml-0.1 cmocka) -lm -o build/fuzz/fuzz_tcp
 *   build/fuzz/fuzz_tcp -max_total_time=600 -max_len=4096 build/fuzz/tcp-corpus
 */
#include "unit/tcp_harness.h"

static const enum tcp_state start_states[] = {
	TCPS_LISTEN, TCPS_SYN_SENT, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT,
	TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, TCPS_CLOSING, TCPS_LAST_ACK, TCPS_TIME_WAIT,
};

struct in {
	const uint8_t *p;
	size_t n;
};

static uint32_t take(struct in *in, int bytes)
{
	uint32_t v = 0;

	for (int i = 0; i < bytes; i++) {
		v <<= 8;
		if (in->n) {
			v |= *in->p++;
			in->n--;
		}
	}
	return v;
}

static void check(struct th *h)
{
	struct tcb *t = th_lookup(h);
	const char *why;

	if (!t)
		return;
	why = th_invariant(t);
	if (!why && t->integrity_bad_off != UINT64_MAX)
		why = "delivered bytes differ from the stream sent";
	if (why) {
		fprintf(stderr, "fuzz_tcp: invariant: %s (state %s)\n", why,
			tcp_state_names[t->state]);
		abort();
	}
}

/* A number relative to an edge of the window, or raw. */
static uint32_t rel(const struct tcb *t, uint8_t mode, uint32_t v, bool seq)
{
	int32_t d = (int32_t)(int16_t)(v & 0xffff);

	if (!t || t->state == TCPS_LISTEN)
		return v;
	switch (mode & 7) {
	case 0: return seq ? t->rcv_nxt + (uint32_t)d : t->snd_una + (uint32_t)d;
	case 1: return seq ? t->rcv_nxt + tcp_rcv_window(t) + (uint32_t)d : t->snd_max + (uint32_t)d;
	case 2: return seq ? t->irs + (uint32_t)d : t->iss + (uint32_t)d;
	case 3: return seq ? t->rcv_nxt : t->snd_nxt;
	case 4: return seq ? t->rcv_nxt - 1 : t->snd_una - t->max_sndwnd + (uint32_t)d;
	default: return v;
	}
}

static void forge(struct th *h, struct in *in)
{
	struct tcb *t = th_lookup(h);
	uint8_t flags = (uint8_t)take(in, 1);
	uint8_t smode = (uint8_t)take(in, 1);
	uint32_t sval = take(in, 4);
	uint8_t amode = (uint8_t)take(in, 1);
	uint32_t aval = take(in, 4);
	struct packet *p = th_mk(h, flags, 0, 0, 0);
	uint32_t optlen;

	p->tcp.seq = rel(t, smode, sval, true);
	p->tcp.ack = rel(t, amode, aval, false);
	p->tcp.win = (uint16_t)take(in, 2);
	p->tcp.urp = (flags & TH_URG) ? (uint16_t)take(in, 2) : 0;
	p->payload_len = take(in, 2) % 65456;
	optlen = 4 * (take(in, 1) % 11);
	for (uint32_t i = 0; i < optlen; i++)
		p->tcp.opt[i] = (uint8_t)take(in, 1);
	p->tcp.optlen = (uint8_t)optlen;
	if (t && t->state != TCPS_LISTEN && t->state != TCPS_SYN_SENT)
		p->payload_off = tcp_rcv_off(t, p->tcp.seq + !!(flags & TH_SYN));
	else
		p->payload_off = 0;
	th_inject(h, p);
}

static void app_call(struct th *h, uint8_t op)
{
	struct tcb *t = th_lookup(h);

	if (!t || t->state == TCPS_LISTEN)
		return;
	switch (op % 6) {
	case 0: tcp_write(h->s, t, 1 + op * 37u, op & 1, op & 2); break;
	case 1: tcp_read(h->s, t, op * 50u); break;
	case 2: tcp_shutdown(h->s, t); break;
	case 3: tcp_close(h->s, t); break;
	case 4: if (op > 200) tcp_abort(h->s, t); break;
	default: break;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct th h;     /* big: not on the stack */
	struct in in = { data, size };
	uint8_t st, cf;

	if (size < 2)
		return 0;
	st = (uint8_t)take(&in, 1);
	cf = (uint8_t)take(&in, 1);
	th_init(&h);
	h.conf.opt_ts = !(cf & 1);
	h.conf.opt_sack = !(cf & 2);
	h.conf.tfo = cf & 4;
	if (cf & 8)
		h.conf.rcvbuf = 3000;
	h.conf.nodelay = cf & 16;
	if (cf & 32)
		h.conf.delack = 0;
	if (cf & 64)
		h.conf.rx_mode = TCP_RX_GBN;
	h.auto_read[TH_A] = !(cf & 128);
	/* the start state takes st % 10; the rest of st picks the congestion
	 * control and the cwnd-validation policy */
	{
		static const char *const ccs[] = { "reno", "newreno", "sack", "tahoe",
						   "cubic", "vegas" };

		snprintf(h.conf.cc, sizeof h.conf.cc, "%s", ccs[(st / 10) % 6]);
		h.conf.cwv = (enum tcp_cwv_mode)((st / 60) % 3);
		h.conf.cwv_nvp = 10 * SIM_S;    /* reachable within a run */
	}
	if (cf & 1)
		h.popt.present &= ~TCPOF_TS;
	th_goto(&h, start_states[st % 10]);
	for (int ops = 0; in.n && ops < 2000; ops++) {
		uint8_t op = (uint8_t)take(&in, 1);

		switch (op & 7) {
		case 5:
			th_run(&h, (sim_time_t)take(&in, 2) * SIM_MS * ((op & 8) ? 100 : 1));
			break;
		case 6:
			app_call(&h, (uint8_t)take(&in, 1));
			break;
		default:
			forge(&h, &in);
			break;
		}
		check(&h);
		th_drain(&h);
	}
	th_run(&h, 600 * SIM_S);
	check(&h);
	th_free(&h);
	return 0;
}
