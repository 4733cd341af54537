/*
 * test_tcp_fuzz.c - TCP robustness: random and mutated segments against a
 * connection in every state, and garbage forged into a real transfer.
 *
 * 1. test_fuzz_states.  For each of LISTEN, SYN-SENT, SYN-RECEIVED,
 *    ESTABLISHED, CLOSE-WAIT, FIN-WAIT-1, FIN-WAIT-2, CLOSING, LAST-ACK and
 *    TIME-WAIT in turn, a world is built (tcp_harness.h, with randomly
 *    varied settings on both sides), the connection is driven into the
 *    state by a real exchange, and then a few hundred segments are forged
 *    into it: random flags; sequence and acknowledgment numbers near and far
 *    from the window edges (RCV.NXT, RCV.NXT + RCV.WND, SND.UNA, SND.MAX,
 *    SND.UNA - MAX.SND.WND, the ISNs, anything); random windows and urgent
 *    pointers; option lists that are valid with random values, or garbage
 *    bytes; payloads of 0 bytes to more than the window; and mutations of
 *    the segments a itself sent, turned around.  Time advances between
 *    segments by 0 to 120 s, so every timer fires, and the application
 *    reads, writes, shuts down, closes or aborts now and then.  After every
 *    segment and every time step, each connection on a must satisfy
 *    th_invariant() (SND.UNA <= SND.NXT <= SND.MAX, the 64-bit counters in
 *    step, receive buffer within its size, reassembly blocks sorted,
 *    disjoint and above RCV.NXT, SACK blocks only over held data, state in
 *    range) and have delivered nothing but the right stream bytes (forged
 *    data always carries the bytes its sequence number stands for).  A run
 *    of events that does not end is caught by th_run_until()'s bound;
 *    crashes and memory errors by the sanitizers (make SAN=1).
 *
 * 2. test_fuzz_transfer_integrity.  A real bulk transfer both ways between
 *    two TCPs over a 20 Mbit/s, 2 ms link, with garbage forged into both
 *    directions on the same 4-tuple (valid checksums; data segments carry
 *    legitimate bytes - the right stream at the right offset, and only
 *    bytes the sender did write).  Each run must end with every byte
 *    delivered equal to the byte sent at that offset and never more than
 *    was written: complete, or cut short by a clean reset or timeout - never
 *    silently corrupted.  The outcomes are counted and printed.
 *
 * Sizes: TCP_FUZZ_SEGMENTS (default 1000000 forged segments for part 1;
 * part 2 forges a tenth as many on top), TCP_FUZZ_SEED (default 1).  The
 * default takes about 1 s, or 4 s under make SAN=1, so it is not scaled
 * down there.
 */
#include "unit/tcp_harness.h"

/* ---- a small deterministic generator (splitmix64) ---- */

static uint64_t rng_state;

static uint64_t rnd64(void)
{
	uint64_t z = (rng_state += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static uint32_t rnd(uint32_t n)         /* 0 .. n-1 */
{
	return n ? (uint32_t)(rnd64() % n) : 0;
}

static bool chance(uint32_t percent)
{
	return rnd(1000) < percent * 10;
}

static int32_t small(int32_t k)         /* -k .. k */
{
	return (int32_t)rnd(2 * (uint32_t)k + 1) - k;
}

static uint64_t env_u64(const char *name, uint64_t dflt)
{
	const char *v = getenv(name);

	return v && *v ? strtoull(v, NULL, 0) : dflt;
}

/* ---- what is being fuzzed, for messages ---- */

struct fuzz {
	struct th h;
	enum tcp_state start;
	uint64_t world;
	uint64_t seg;                   /* forged segments so far (all worlds) */
	uint64_t world_seg;
	char last[160];                 /* the last segment forged */
	/* a's recent segments, turned around and mutated */
	struct tcp_fields tmpl[32];
	uint32_t tmpl_len[32];
	uint32_t ntmpl;
	/* ports the peer used (LISTEN makes a child per port) */
	uint16_t ports[8];
	uint32_t nports;
	/* the right edge a advertised last, per port (RFC 9293 3.8.6.2.2) */
	uint32_t edge[8], edge_irs[8];
	bool edge_set[8];
};

/* TCP_FUZZ_TRACE=N prints world N segment by segment (for debugging a
 * failure: the message names the world). */
static void trace_tcb(const struct fuzz *f, const struct tcb *t, const char *what)
{
	if (env_u64("TCP_FUZZ_TRACE", UINT64_MAX) != f->world || !t)
		return;
	printf("  %-26s %-12s una %u nxt %u max %u wnd %u cwnd %u written %llu | rcv %u "
	       "win %u reass %u | rexmt %d persist %d t=%lld\n",
	       what, tcp_state_names[t->state], t->snd_una, t->snd_nxt, t->snd_max, t->snd_wnd,
	       t->ccv.cwnd, (unsigned long long)t->snd_written, t->rcv_nxt, tcp_rcv_window(t),
	       t->reass.n, event_pending(&t->rexmt), event_pending(&t->persist),
	       (long long)f->h.s->now);
}

static const char *state_name(int st)
{
	return st >= 0 && st < TCP_NSTATES ? tcp_state_names[st] : "?";
}

/* Liveness: a connection with something to send always has a timer that
 * will send it (else it waits for ever for an ACK that cannot come). */
static const char *liveness(const struct tcb *t)
{
	bool can_send = t->state == TCPS_SYN_SENT || t->state == TCPS_SYN_RECEIVED ||
			t->state == TCPS_ESTABLISHED || t->state == TCPS_CLOSE_WAIT ||
			t->state == TCPS_FIN_WAIT_1 || t->state == TCPS_CLOSING ||
			t->state == TCPS_LAST_ACK;
	bool timer = event_pending(&t->rexmt) || event_pending(&t->persist) ||
		     event_pending(&t->out);

	if (!can_send || timer)
		return NULL;
	if (t->snd_una != t->snd_max)
		return "unacknowledged data and no timer";
	if (TCPS_HAVEESTABLISHED(t->state) &&
	    (t->snd_written > tcp_snd_off(t, t->snd_nxt) ||
	     (t->fin_queued && SEQ_LEQ(t->snd_nxt, tcp_fin_seq(t)))))
		return "data or FIN waiting and no timer to send it";
	return NULL;
}

static void check_tcb(struct fuzz *f, const struct tcb *t, const char *where)
{
	const char *why = th_invariant(t);

	if (!why)
		why = liveness(t);
	if (!why && TCPS_HAVEESTABLISHED(t->state) && t->ccv.cwnd == 0)
		why = "cwnd 0";
	if (!why && t->state != TCPS_LISTEN &&
	    (uint64_t)(uint32_t)(t->snd_max - t->iss) > 1 + t->snd_written + t->fin_queued)
		why = "sent beyond what was written";

	if (!why && t->integrity_bad_off != UINT64_MAX)
		why = "delivered bytes differ from the stream sent";
	if (why)
		fail_msg("invariant: %s\n  tcb in %s (world %llu started in %s, segment %llu of "
			 "the world, %llu overall, seed %llu, after %s)\n  last forged: %s\n"
			 "  snd una %u nxt %u max %u iss %u | rcv nxt %u irs %u wnd %u adv %u "
			 "| reass %u sack %u",
			 why, state_name(t->state), (unsigned long long)f->world,
			 state_name(f->start), (unsigned long long)f->world_seg,
			 (unsigned long long)f->seg, (unsigned long long)env_u64("TCP_FUZZ_SEED", 1),
			 where, f->last, t->snd_una, t->snd_nxt, t->snd_max, t->iss, t->rcv_nxt,
			 t->irs, tcp_rcv_window(t), t->rcv_adv, t->reass.n, t->reass.nsack);
}

/* Every connection a has towards b (one per peer port) and the listener. */
static void check_all(struct fuzz *f, const char *where)
{
	struct th *h = &f->h;
	struct tcp_stack *st = tcp_stack_of(h->s, h->a);

	if (h->ev[TH_A].integrity_bad != UINT64_MAX)
		fail_msg("a closed connection had delivered wrong bytes (world %llu, %s)",
			 (unsigned long long)f->world, f->last);
	for (uint32_t i = 0; i < f->nports; i++) {
		struct tcb *t = tcp_lookup(st, TH_B_ADDR, TH_A_PORT, f->ports[i]);

		if (t)
			check_tcb(f, t, where);
	}
}

/* ---- making segments ---- */

/* A sequence number the receiver will find interesting. */
static uint32_t pick_seq(const struct tcb *t)
{
	uint32_t rn = t->rcv_nxt, wnd = tcp_rcv_window(t);

	switch (rnd(10)) {
	case 0: case 1: case 2:
		return rn + (uint32_t)small(2);
	case 3:
		return rn + wnd + (uint32_t)small(2);
	case 4:
		return rn + rnd(wnd + 1);
	case 5:
		return rn - rnd(70000);
	case 6:
		return t->irs + (uint32_t)small(1);
	case 7:
		return rn - 1;
	case 8:
		return rn + 0x80000000u + (uint32_t)small(2);
	default:
		return (uint32_t)rnd64();
	}
}

static uint32_t pick_ack(const struct tcb *t)
{
	switch (rnd(10)) {
	case 0: case 1:
		return t->snd_una + (uint32_t)small(1);
	case 2:
		return t->snd_nxt;
	case 3: case 4:
		return t->snd_max + (uint32_t)small(1);
	case 5:
		return t->snd_una + rnd(t->snd_max - t->snd_una + 1);
	case 6:
		return t->snd_una - t->max_sndwnd + (uint32_t)small(1);
	case 7:
		return t->iss + (uint32_t)small(1);
	case 8:
		return t->snd_max + 1 + rnd(100000);
	default:
		return (uint32_t)rnd64();
	}
}

static uint8_t pick_flags(void)
{
	static const uint8_t common[] = {
		TH_ACK, TH_ACK, TH_ACK | TH_PSH, TH_ACK | TH_FIN, TH_SYN, TH_SYN | TH_ACK,
		TH_RST, TH_RST | TH_ACK, TH_FIN, TH_ACK | TH_URG, 0, TH_ACK | TH_ECE,
		TH_SYN | TH_FIN, TH_SYN | TH_RST,
	};

	if (chance(70))
		return common[rnd(sizeof common)];
	return (uint8_t)rnd(256);
}

static uint16_t pick_win(void)
{
	switch (rnd(6)) {
	case 0: return 0;
	case 1: return 1;
	case 2: return 65535;
	case 3: return (uint16_t)rnd(2000);
	default: return (uint16_t)rnd(65536);
	}
}

/* Payload lengths an IPv4 datagram can carry: at most 65535 - 20 - 60. */
#define MAX_PAYLOAD 65455u

static uint32_t pick_len(const struct tcb *t)
{
	uint32_t wnd = t ? tcp_rcv_window(t) : 1000, n;

	switch (rnd(12)) {
	case 0: case 1: case 2: case 3: case 4:
		return 0;
	case 5:
		return 1;
	case 6:
		return 1 + rnd(100);
	case 7:
		return 1 + rnd(1460);
	case 8:
		return 1448;
	case 9:
		n = wnd + (uint32_t)small(2);
		break;
	case 10:
		n = wnd + 1 + rnd(5000);
		break;
	default:
		n = 1 + rnd(MAX_PAYLOAD);
		break;
	}
	return n > MAX_PAYLOAD ? MAX_PAYLOAD : n;       /* wnd - 1 may wrap */
}

/* Options: none, timestamps near TS.Recent, a valid list of random
 * values, or garbage bytes. */
static void pick_opts(struct th *h, const struct tcb *t, struct packet *p)
{
	struct tcp_opts o;
	uint32_t recent = t ? t->ts_recent : h->p_tsval;

	memset(&o, 0, sizeof o);
	switch (rnd(10)) {
	case 0: case 1:
		break;
	case 2: case 3: case 4:
		o.present = TCPOF_TS;
		o.ts_val = chance(80) ? recent + rnd(3) : (chance(50) ? recent - 1 - rnd(5)
								   : (uint32_t)rnd64());
		o.ts_ecr = chance(80) ? h->p_tsecr : (uint32_t)rnd64();
		break;
	case 5: case 6: case 7: {
		o.present = (uint32_t)rnd(64);
		o.mss = (uint16_t)(chance(50) ? rnd(65536) : 536 + rnd(1000));
		o.wscale = (uint8_t)rnd(20);
		o.ts_val = recent + (uint32_t)small(3);
		o.ts_ecr = chance(50) ? h->p_tsecr : (uint32_t)rnd64();
		o.nsack = (uint8_t)(1 + rnd(4));
		for (int i = 0; i < o.nsack; i++) {
			uint32_t base = t ? t->snd_una + rnd(t->snd_max - t->snd_una + 3000)
					  : (uint32_t)rnd64();

			o.sack[i].start = chance(80) ? base : (uint32_t)rnd64();
			o.sack[i].end = o.sack[i].start + (chance(80) ? rnd(3000) : (uint32_t)rnd64());
		}
		o.tfo_len = (uint8_t)(chance(50) ? 8 : rnd(17));
		for (int i = 0; i < o.tfo_len; i++)
			o.tfo_cookie[i] = (uint8_t)rnd64();
		if (chance(30)) {
			/* the cookie a would give b: valid */
			static struct tcb fake;

			fake.stack = tcp_stack_of(h->s, h->a);
			fake.raddr = TH_B_ADDR;
			o.tfo_len = tcp_tfo_cookie_make(&fake, o.tfo_cookie);
		}
		break;
	}
	default: {
		/* garbage, mostly plausible kinds with random lengths */
		static const uint8_t kinds[] = { 0, 1, 2, 3, 4, 5, 8, 34, 254, 255, 19, 29 };
		uint32_t n = 4 * rnd(11);

		for (uint32_t i = 0; i < n; i++)
			p->tcp.opt[i] = chance(30) ? kinds[rnd(sizeof kinds)] : (uint8_t)rnd(256);
		p->tcp.optlen = (uint8_t)n;
		return;
	}
	}
	p->tcp.optlen = (uint8_t)tcp_opt_build(p->tcp.opt, &o);
}

/* Legitimate bytes for the receiver t: its stream, at the offset the
 * sequence number stands for (a SYN's data starts one later; to a
 * listener, at offset 0). */
static void legit_payload(const struct tcb *t, struct packet *p)
{
	p->payload_id = TH_RX_STREAM;
	if (!t || t->state == TCPS_LISTEN || t->state == TCPS_SYN_SENT)
		p->payload_off = 0;
	else
		p->payload_off = tcp_rcv_off(t, p->tcp.seq + !!(p->tcp.flags & TH_SYN));
}

static void describe(struct fuzz *f, const struct packet *p)
{
	char fl[12];

	th_fmt_flags(p->tcp.flags, fl);
	snprintf(f->last, sizeof f->last,
		 "[%s] sport %u seq %u ack %u win %u urp %u len %u optlen %u at t=%lld",
		 fl, p->sport, p->tcp.seq, p->tcp.ack, p->tcp.win, p->tcp.urp, p->payload_len,
		 p->tcp.optlen, (long long)f->h.s->now);
}

static struct tcb *target(struct fuzz *f, uint16_t port)
{
	return tcp_lookup(tcp_stack_of(f->h.s, f->h.a), TH_B_ADDR, TH_A_PORT, port);
}

/* One forged segment: fresh, or a mutation of one a sent. */
static void forge_one(struct fuzz *f)
{
	struct th *h = &f->h;
	uint16_t port = f->ports[rnd(100) < 85 ? 0 : rnd(f->nports)];
	struct tcb *t;
	struct packet *p;

	h->p_sport = port;
	t = target(f, port);
	if (t && t->state == TCPS_LISTEN && chance(50))
		t = NULL;       /* fields relative to nothing in particular */
	p = th_mk(h, 0, 0, 0, 0);
	if (f->ntmpl && chance(25)) {
		/* a's own segment, as the peer would answer it, mutated */
		uint32_t k = rnd(f->ntmpl);
		const struct tcp_fields *m = &f->tmpl[k];

		p->tcp = *m;
		p->tcp.seq = m->ack;
		p->tcp.ack = m->seq + f->tmpl_len[k] + !!(m->flags & (TH_SYN | TH_FIN));
		p->payload_len = f->tmpl_len[k];
		for (int i = 0, n = (int)rnd(4); i < n; i++) {
			switch (rnd(7)) {
			case 0: p->tcp.seq ^= 1u << rnd(32); break;
			case 1: p->tcp.ack ^= 1u << rnd(32); break;
			case 2: p->tcp.flags ^= (uint8_t)(1u << rnd(8)); break;
			case 3: p->tcp.win ^= (uint16_t)(1u << rnd(16)); break;
			case 4:
				if (p->tcp.optlen)
					p->tcp.opt[rnd(p->tcp.optlen)] ^= (uint8_t)(1u << rnd(8));
				break;
			case 5: p->payload_len = pick_len(t); break;
			default: p->tcp.seq += (uint32_t)small(3); break;
			}
		}
	} else {
		p->tcp.flags = pick_flags();
		p->tcp.seq = t ? pick_seq(t) : (uint32_t)rnd64();
		p->tcp.ack = t ? pick_ack(t) : (uint32_t)rnd64();
		p->tcp.win = pick_win();
		p->payload_len = pick_len(t);
		if (chance(10))
			p->tcp.urp = (uint16_t)rnd(65536);
		pick_opts(h, t, p);
	}
	/* A RST exactly at RCV.NXT ends the world: keep those rare, so the
	 * other segments meet the connection in its state for a while. */
	if ((p->tcp.flags & TH_RST) && t && p->tcp.seq == t->rcv_nxt && !chance(15))
		p->tcp.seq += 1 + rnd(3);
	legit_payload(t, p);
	describe(f, p);
	if (env_u64("TCP_FUZZ_TRACE", UINT64_MAX) == f->world)
		printf("forge %s\n", f->last);
	f->seg++;
	f->world_seg++;
	if (chance(1)) {
		/* a bad checksum: silently discarded (RFC 9293 3.1) */
		pkt_set_l4_csum(p);
		p->l4_csum ^= 0x0100;
		tcp_input(h->s, h->a, p);
		return;
	}
	th_inject(h, p);
}

/* Keep a's recent segments as templates; drop the rest. */
static void collect(struct fuzz *f)
{
	struct th *h = &f->h;
	struct packet *p;

	while (h->cap_n) {
		struct tcb *t;

		p = th_pop(h);
		if (!p)
			break;
		/* nothing a sends lies beyond SND.MAX (what it has recorded as
		 * sent; resets for no connection aside) */
		t = tcp_lookup(tcp_stack_of(h->s, h->a), TH_B_ADDR, TH_A_PORT, p->dport);
		if (t && t->state != TCPS_LISTEN && !(p->tcp.flags & TH_RST) &&
		    SEQ_GT(p->tcp.seq + p->payload_len + !!(p->tcp.flags & TH_SYN) +
			   !!(p->tcp.flags & TH_FIN), t->snd_max)) {
			describe(f, p);
			fail_msg("a sent beyond SND.MAX %u: %s (world %llu)", t->snd_max, f->last,
				 (unsigned long long)f->world);
		}
		/* the window never shrinks: the right edge ACK + WND only
		 * moves on (RFC 9293 3.8.6.2.2), but for the rounding of a
		 * scaled window (RFC 7323 2.4) */
		for (uint32_t k = 0; t && t->state != TCPS_LISTEN && k < f->nports; k++) {
			uint32_t edge, slack;

			if (f->ports[k] != p->dport)
				continue;
			if (p->tcp.flags & TH_SYN)
				f->edge_set[k] = false;         /* a new connection */
			if (!(p->tcp.flags & TH_ACK) || (p->tcp.flags & (TH_RST | TH_SYN)))
				continue;
			edge = p->tcp.ack + ((uint32_t)p->tcp.win << t->rcv_wscale);
			slack = (1u << t->rcv_wscale) - 1;
			if (f->edge_set[k] && f->edge_irs[k] == t->irs &&
			    SEQ_LT(edge + slack, f->edge[k])) {
				describe(f, p);
				fail_msg("a's window shrank: right edge %u after %u: %s (world %llu)",
					 edge, f->edge[k], f->last, (unsigned long long)f->world);
			}
			if (!f->edge_set[k] || f->edge_irs[k] != t->irs || SEQ_GT(edge, f->edge[k]))
				f->edge[k] = edge;
			f->edge_set[k] = true;
			f->edge_irs[k] = t->irs;
		}
		if (chance(30) || f->ntmpl < 32) {
			uint32_t k = f->ntmpl < 32 ? f->ntmpl++ : rnd(32);

			f->tmpl[k] = p->tcp;
			f->tmpl_len[k] = p->payload_len;
		}
	}
}

static void app_action(struct fuzz *f)
{
	struct th *h = &f->h;
	struct tcb *t = h->t;

	if (!t || t->state == TCPS_LISTEN || t->state == TCPS_CLOSED)
		return;
	trace_tcb(f, t, "before an app call");
	switch (rnd(20)) {
	case 0:
		tcp_shutdown(h->s, t);
		break;
	case 1:
		tcp_close(h->s, t);
		break;
	case 2:
		if (chance(30))
			tcp_abort(h->s, t);
		break;
	case 3: case 4: case 5: case 6: case 7: case 8:
		tcp_read(h->s, t, rnd(5000));
		break;
	default:
		tcp_write(h->s, t, rnd(6000), chance(50), chance(5));
		break;
	}
}

static void advance(struct fuzz *f)
{
	struct th *h = &f->h;
	sim_time_t dt;

	switch (rnd(100)) {
	case 0: case 1:
		dt = (sim_time_t)rnd(120000) * SIM_MS;
		break;
	case 2: case 3: case 4: case 5: case 6:
		dt = (sim_time_t)rnd(5000) * SIM_MS;
		break;
	default:
		if (chance(70))
			return;
		dt = (sim_time_t)rnd(300000) * SIM_US;
		break;
	}
	th_run(h, dt);
	trace_tcb(f, h->t, "after a time step");
	check_all(f, "a time step");
}

/* Random settings for both ends, within what th_goto() can drive. */
static void vary_conf(struct th *h)
{
	struct tcp_conf *c = &h->conf;

	c->opt_ts = !chance(20);
	c->opt_sack = !chance(20);
	c->opt_wscale = !chance(20);
	c->tfo = chance(20);
	if (chance(30))
		c->rcvbuf = 1000 + rnd(20000);
	if (chance(20))
		c->sndbuf = 1000 + rnd(20000);
	if (chance(20))
		c->mss = 100 + rnd(1400);
	c->nodelay = chance(20);
	c->sws_receiver = !chance(20);
	c->sws_sender = !chance(20);
	if (chance(20))
		c->delack = 0;
	if (chance(20))
		c->rx_mode = TCP_RX_GBN;
	if (chance(20))
		c->isn = 4294967000u + rnd(1000);
	if (chance(20))
		c->msl = (sim_time_t)(1 + rnd(30)) * SIM_S;
	if (chance(20))
		c->fin_wait2_timeout = (sim_time_t)(1 + rnd(60)) * SIM_S;
	if (chance(20))
		c->max_retries = 1 + rnd(5);
	if (chance(20))
		c->syn_backlog = 1 + rnd(3);
	if (chance(20)) {
		c->keepalive = true;
		c->keepalive_idle = (sim_time_t)(1 + rnd(30)) * SIM_S;
		c->keepalive_intvl = (sim_time_t)(1 + rnd(10)) * SIM_S;
		c->keepalive_probes = 1 + rnd(5);
	}
	if (chance(20)) {
		c->timer_tick = 500 * SIM_MS;
		strcpy(c->rtt.name, "jacobson88");
		c->rtt.rto_initial = 6 * SIM_S;
	} else if (chance(20)) {
		strcpy(c->rtt.name, "rfc793");
	}
	if (chance(20))
		c->init_cwnd = 1 + rnd(20);
	if (chance(10))
		c->dupthresh = 1 + rnd(4);
	c->abc = chance(20);
	if (chance(50)) {
		static const char *const ccs[] = { "newreno", "sack", "tahoe", "cubic",
						   "vegas" };

		snprintf(c->cc, sizeof c->cc, "%s", ccs[rnd(5)]);
	}
	if (chance(30)) {
		c->cwv = chance(50) ? TCP_CWV_RFC7661 : TCP_CWV_NONE;
		c->cwv_nvp = (sim_time_t)(1 + rnd(20)) * SIM_S;
	}
	/* the forged peer's SYN */
	h->popt.present = TCPOF_MSS;
	if (chance(80))
		h->popt.present |= TCPOF_TS;
	if (chance(70))
		h->popt.present |= TCPOF_SACK_PERM;
	if (chance(40)) {
		h->popt.present |= TCPOF_WSCALE;
		h->popt.wscale = (uint8_t)rnd(16);
	}
	if (chance(20))
		h->popt.present &= ~TCPOF_MSS;
	h->popt.mss = (uint16_t)(chance(20) ? rnd(2000) : 1460);
	h->p_win = chance(20) ? (uint16_t)rnd(65536) : 65535;
	if (chance(20))
		h->p_iss = (uint32_t)rnd64();
}

static const enum tcp_state fuzz_states[] = {
	TCPS_LISTEN, TCPS_SYN_SENT, TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT,
	TCPS_FIN_WAIT_1, TCPS_FIN_WAIT_2, TCPS_CLOSING, TCPS_LAST_ACK, TCPS_TIME_WAIT,
};
#define N_FUZZ_STATES (sizeof fuzz_states / sizeof fuzz_states[0])

static uint64_t fuzz_budget(void)
{
	return env_u64("TCP_FUZZ_SEGMENTS", 1000000);
}

static void test_fuzz_states(void **state)
{
	static struct fuzz f;   /* big (captures): not on the stack */
	uint64_t budget = fuzz_budget();
	uint64_t per_state[TCP_NSTATES] = { 0 };
	uint64_t ended[TCP_NSTATES] = { 0 };
	uint64_t reached[TCP_NSTATES] = { 0 };

	(void)state;
	rng_state = env_u64("TCP_FUZZ_SEED", 1);
	memset(&f, 0, sizeof f);
	while (f.seg < budget) {
		struct th *h = &f.h;
		uint32_t n;

		f.start = fuzz_states[f.world % N_FUZZ_STATES];
		f.world_seg = 0;
		f.ntmpl = 0;
		memset(f.edge_set, 0, sizeof f.edge_set);
		th_init(h);
		/* Keep the first setting of each state plain, vary the rest. */
		if (f.world >= N_FUZZ_STATES) {
			vary_conf(h);
			/* a slow reader: zero windows, persist probes */
			h->auto_read[TH_A] = !chance(30);
			if (h->conf.tfo && chance(50)) {
				/* a cookie from an earlier connection: a SYN
				 * sent again carries data (RFC 7413 3) */
				struct tcp_stack *ts = tcp_stack_of(h->s, h->a);

				ts->tfo_cache_addr[0] = TH_B_ADDR;
				memset(ts->tfo_cache_cookie[0], 0x5a, 8);
				ts->tfo_cache_n = 1;
			}
		}
		th_goto(h, f.start);
		f.nports = 1;
		f.ports[0] = TH_B_PORT;
		if (f.start == TCPS_LISTEN)
			for (; f.nports < 8; f.nports++)
				f.ports[f.nports] = (uint16_t)(TH_B_PORT + f.nports);
		check_all(&f, "getting there");
		n = 100 + rnd(500);
		for (uint32_t i = 0; i < n && f.seg < budget; i++) {
			forge_one(&f);
			trace_tcb(&f, h->t, "after the segment");
			check_all(&f, "a forged segment");
			if (h->t && h->t->state < TCP_NSTATES)
				reached[h->t->state]++;
			if (chance(3))
				app_action(&f);
			advance(&f);
			collect(&f);
			if (!h->t && f.start != TCPS_LISTEN && chance(5))
				break;          /* gone: a few RSTs for nothing, then on */
		}
		per_state[f.start] += f.world_seg;
		ended[f.start] += h->t == NULL;
		/* everything left runs out: timers to the end */
		th_run(h, 600 * SIM_S);
		check_all(&f, "the final 600 s");
		th_free(h);
		f.world++;
	}
	printf("# tcp fuzz: %llu segments into %llu connections (seed %llu)\n",
	       (unsigned long long)f.seg, (unsigned long long)f.world,
	       (unsigned long long)env_u64("TCP_FUZZ_SEED", 1));
	for (size_t i = 0; i < N_FUZZ_STATES; i++)
		printf("#   from %-12s %8llu segments, %llu worlds ended closed\n",
		       state_name(fuzz_states[i]), (unsigned long long)per_state[fuzz_states[i]],
		       (unsigned long long)ended[fuzz_states[i]]);
	printf("#   segments that left the connection in:");
	for (int i = 0; i < TCP_NSTATES; i++)
		printf(" %s %llu", state_name(i), (unsigned long long)reached[i]);
	printf("\n");
	assert_true(f.seg >= budget);
}

/* ---- part 2: garbage into a real transfer ---- */

struct xfer {
	struct fuzz f;
	uint64_t forged;
	uint32_t pct;           /* chance per real segment of forging */
};

static struct xfer *xfer_cur;

/* Forge one segment towards `to` (a or b) on the connection's 4-tuple,
 * legitimate bytes only: the receiver's stream at the right offset, below
 * what its peer wrote. */
static void xfer_forge(struct th *h, struct node *to, const struct packet *real)
{
	bool to_a = to == h->a;
	struct tcb *t = to_a ? h->t : h->bt;
	struct tcb *peer = to_a ? h->bt : h->t;
	struct packet *p;
	uint64_t off, limit;

	if (!t || (!TCPS_HAVEESTABLISHED(t->state) && t->state != TCPS_SYN_RECEIVED))
		return;
	p = pkt_alloc(h->s);
	p->proto = IPPROTO_TCP_;
	p->ttl = 64;
	p->src = to_a ? TH_B_ADDR : TH_A_ADDR;
	p->dst = to_a ? TH_A_ADDR : TH_B_ADDR;
	p->sport = to_a ? TH_B_PORT : TH_A_PORT;
	p->dport = to_a ? TH_A_PORT : TH_B_PORT;
	if (real && chance(40)) {
		/* the real segment again, mutated */
		p->tcp = real->tcp;
		p->payload_len = real->payload_len;
		switch (rnd(5)) {
		case 0: p->tcp.seq += (uint32_t)small(3000); break;
		case 1: p->tcp.ack += (uint32_t)small(3000); break;
		case 2: p->tcp.flags ^= (uint8_t)(1u << rnd(8)); break;
		case 3: p->tcp.win = pick_win(); break;
		default: p->payload_len = pick_len(t); break;
		}
	} else {
		p->tcp.flags = chance(90) ? (uint8_t)(TH_ACK | (chance(10) ? TH_FIN : 0) |
						      (chance(3) ? TH_RST : 0) |
						      (chance(3) ? TH_SYN : 0) |
						      (chance(5) ? TH_URG : 0))
					  : pick_flags();
		p->tcp.seq = pick_seq(t);
		p->tcp.ack = pick_ack(t);
		p->tcp.win = pick_win();
		p->payload_len = pick_len(t);
		if (p->tcp.flags & TH_URG)
			p->tcp.urp = (uint16_t)rnd(65536);
		pick_opts(h, t, p);
	}
	p->payload_id = to_a ? TH_RX_STREAM : TH_TX_STREAM;
	off = tcp_rcv_off(t, p->tcp.seq + !!(p->tcp.flags & TH_SYN));
	p->payload_off = off;
	/* only bytes the sender wrote (and its FIN only where it is) */
	limit = peer ? peer->snd_written : 0;
	if (p->payload_len && (off >= limit || off + p->payload_len > limit ||
			       off > (uint64_t)1 << 62)) {
		p->payload_len = off < limit ? (uint32_t)(limit - off) : 0;
		if (off > (uint64_t)1 << 62)
			p->payload_len = 0;
	}
	if ((p->tcp.flags & TH_FIN) && (!peer || !peer->fin_queued ||
					 off + p->payload_len != peer->snd_written))
		p->tcp.flags &= (uint8_t)~TH_FIN;
	pkt_set_l4_csum(p);
	xfer_cur->forged++;
	tcp_input(h->s, to, p);
}

/* Every real segment a sends to b passes here (th_rx_b keeps no copy in
 * this test); b's segments to a pass a_hook. */
static void xfer_hook_a(struct th *h, struct packet *p)
{
	if (chance(xfer_cur->pct))
		for (int i = 0, n = 1 + (int)rnd(3); i < n; i++)
			xfer_forge(h, h->a, p);
}

static void xfer_rx_b(struct sim *s, struct node *n, struct packet *p)
{
	struct th *h = th_cur;

	if (chance(xfer_cur->pct) && h->depth == 0) {
		h->depth++;
		for (int i = 0, k = 1 + (int)rnd(3); i < k; i++)
			xfer_forge(h, h->b, p);
		h->depth--;
	}
	ip_input(s, n, p);
}

static void test_fuzz_transfer_integrity(void **state)
{
	static struct xfer x;
	uint64_t budget = fuzz_budget() / 10;
	uint64_t runs = 0, complete = 0, reset = 0, other = 0, bytes = 0;
	uint64_t reasons[16] = { 0 };

	(void)state;
	rng_state = env_u64("TCP_FUZZ_SEED", 1) ^ 0x5eed;
	memset(&x, 0, sizeof x);
	xfer_cur = &x;
	while (x.forged < budget) {
		struct th *h = &x.f.h;
		const uint64_t sz_a = 100000 + rnd(300000), sz_b = rnd(100000);
		bool done;

		th_init_link(h, 20000000, 2 * SIM_MS);
		if (runs % 4 == 3)
			vary_conf(h);
		h->bconf = h->conf;
		h->bconf.isn = h->conf.isn + 7777;
		h->nocap = true;
		h->a_hook = xfer_hook_a;
		h->b->rx = xfer_rx_b;
		h->to_write[TH_A] = sz_a;
		h->to_write[TH_B] = sz_b;
		h->close_when_done[TH_A] = true;
		x.pct = 5 + rnd(40);
		th_pair_connect(h);
		for (int step = 0; step < 600; step++) {
			th_run(h, 100 * SIM_MS);
			/* b closes once it has read everything a sent */
			if (h->bt && h->ev[TH_B].peer_closed && !h->bt->fin_queued) {
				if (h->to_write[TH_B] == 0)
					tcp_close(h->s, h->bt);
			}
			if (!h->t && !h->bt && h->ev[TH_A].closed)
				break;
		}
		th_run(h, 300 * SIM_S);
		/* never more than written, never the wrong bytes */
		assert_true(h->ev[TH_B].read <= sz_a);
		assert_true(h->ev[TH_A].read <= sz_b);
		assert_int_equal(h->ev[TH_A].integrity_bad, UINT64_MAX);
		assert_int_equal(h->ev[TH_B].integrity_bad, UINT64_MAX);
		if (h->t)
			assert_int_equal(h->t->integrity_bad_off, UINT64_MAX);
		if (h->bt)
			assert_int_equal(h->bt->integrity_bad_off, UINT64_MAX);
		done = h->ev[TH_B].read == sz_a && h->ev[TH_A].read == sz_b;
		if (done)
			complete++;
		else if (h->ev[TH_A].reason == TCP_CLOSED_RESET ||
			 h->ev[TH_B].reason == TCP_CLOSED_RESET)
			reset++;
		else
			other++;
		if (h->ev[TH_A].closed && h->ev[TH_A].reason < 16)
			reasons[h->ev[TH_A].reason]++;
		bytes += h->ev[TH_B].read + h->ev[TH_A].read;
		th_free(h);
		runs++;
	}
	printf("# tcp transfer fuzz: %llu runs, %llu forged segments, %llu bytes delivered "
	       "intact; %llu complete, %llu reset, %llu cut short otherwise\n",
	       (unsigned long long)runs, (unsigned long long)x.forged,
	       (unsigned long long)bytes, (unsigned long long)complete,
	       (unsigned long long)reset, (unsigned long long)other);
	printf("#   client close reasons:");
	for (int i = 0; i < 16; i++)
		if (reasons[i])
			printf(" %d:%llu", i, (unsigned long long)reasons[i]);
	printf("\n");
	assert_true(complete > 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fuzz_states),
		cmocka_unit_test(test_fuzz_transfer_integrity),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
