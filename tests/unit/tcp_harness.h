/*
 * tcp_harness.h - forge segments into a TCP, capture what it sends, and put
 * a connection into any state through a real exchange (the helper idea of
 * lwIP's test/unit/tcp and smoltcp's send!/recv! fixtures).
 *
 * The world: two nodes, a (10.0.0.1, the TCP under test) and b (10.0.0.2),
 * joined by one link of 10^15 bit/s and no delay, so a segment a sends
 * reaches b 1 ns later (its t_created still says when a sent it).  b's rx
 * hook is replaced by th_rx_b(), which keeps every segment a sends in a
 * ring for th_expect()/th_pop().  The peer b is played by the test: it
 * forges segments with th_send() and hands them straight to tcp_input() on
 * a.  With `pass` set, b runs a real TCP as well (the segments are also
 * delivered to b's ip_input), for end-to-end transfers; `a_hook` then sees
 * every segment b sends to a before a does (the fuzz mutates and injects
 * there).
 *
 * th_pop()/th_expect() first let 100 ns pass (the link), so a test that
 * checks that nothing was sent yet stops at least that much before the
 * deadline.
 *
 * Call order: th_init() -> (edit h->conf / h->popt) -> th_goto(h, state) or
 * th_listen()/th_connect()... -> th_send()/th_expect()/th_run() ... ->
 * th_free().  One harness at a time (the rx hooks find it through th_cur).
 *
 * Conventions: a's ISN is h->conf.isn (isn_mode fixed, TH_ISS unless a test
 * changes it), the forged peer's is
 * h->p_iss; h->p_nxt is the peer's next sequence number and h->p_ack what
 * the peer acknowledges (a's bytes it has seen).  Forged data carries a's
 * receive stream (TH_RX_STREAM) at the offset its sequence number stands
 * for, so a's integrity check stays clean unless a test wants otherwise.
 */
#ifndef SEGSIM_TCP_HARNESS_H
#define SEGSIM_TCP_HARNESS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "build.h"
#include "ip.h"
#include "link.h"
#include "node.h"
#include "queue.h"
#include "route.h"
#include "rng.h"
#include "tcp.h"
#include "tcp_internal.h"

#define TH_A_ADDR   0x0a000001u
#define TH_B_ADDR   0x0a000002u
#define TH_A_PORT   80
#define TH_B_PORT   40000
#define TH_ISS      1000u               /* a's ISN */
#define TH_PEER_ISS 5000u               /* the forged peer's default ISN */
#define TH_RX_STREAM 7u                 /* bytes b -> a */
#define TH_TX_STREAM 8u                 /* bytes a -> b */
#define TH_CAP      8192                /* captured segments kept */
#define TH_STEP_MAX 2000000             /* events per th_run: more is a hang */

enum { TH_A = 0, TH_B = 1 };

/* What the application callbacks saw, per end. */
struct th_events {
	int connected, accepted, readable, writable, peer_closed, closed, urgent;
	int reason;                     /* of the last close */
	uint64_t urg_off;               /* of the last urgent callback */
	uint64_t read;                  /* bytes read by auto_read */
	uint64_t integrity_bad;         /* min integrity_bad_off of closed tcbs */
};

struct th;
typedef void (*th_hook_fn)(struct th *h, struct packet *p);

struct th {
	struct run r;
	struct scenario sc;             /* empty: run_free() wants one */
	struct sim *s;
	struct node *a, *b;
	struct link *link;
	struct tcp_conf conf;           /* a's settings */
	struct tcp_conf bconf;          /* b's, when b runs a TCP (pass) */

	/* segments a sent, oldest first */
	struct packet *cap[TH_CAP];
	uint32_t cap_r, cap_n;
	uint64_t captured;
	struct packet *last;            /* the last one popped (freed on the next pop) */
	bool pass;                      /* also deliver them to b's TCP */
	bool nocap;                     /* pass mode: do not keep copies */
	th_hook_fn a_hook;              /* pass mode: sees b's segments to a */
	void *ctx;                      /* for hooks */

	/* the connection under test on a, its listener; b's in pass mode */
	struct tcb *t, *l, *bt, *bl;

	/* the forged peer */
	uint32_t p_iss, p_nxt, p_ack;
	uint16_t p_win;                 /* window field it sends */
	struct tcp_opts popt;           /* options in its SYN / SYN-ACK */
	bool p_ts;                      /* it sends timestamps after the SYN */
	uint32_t p_tsval;               /* its clock, +1 per forged segment */
	uint32_t p_tsecr;               /* last TSval seen from a */
	uint16_t p_sport;               /* its port (TH_B_PORT) */
	sim_time_t t_in;                /* when the last forged segment went in */

	struct th_events ev[2];
	bool auto_read[2];              /* read everything on `readable` */
	uint64_t to_write[2];           /* bytes the application still writes */
	bool close_when_done[2];        /* then tcp_close() */
	int depth;                      /* nested hook guard */
};

static struct th *th_cur;

/* ---- time ---- */

/* Run every event up to `until` (bounded: a runaway is a failure), then
 * set the clock there. */
static inline void th_run_until(struct th *h, sim_time_t until)
{
	uint64_t n = 0;

	while (sim_step(h->s, until))
		if (++n > TH_STEP_MAX)
			fail_msg("more than %d events before t=%lld: a hang", TH_STEP_MAX,
				 (long long)until);
	if (h->s->now < until)
		h->s->now = until;
}

static inline void th_run(struct th *h, sim_time_t dt)
{
	th_run_until(h, h->s->now + dt);
}

/* Let zero-delay events and the 1 ns link deliver what is due now. */
static inline void th_flush(struct th *h)
{
	th_run(h, 100);
}

/* ---- the application's view ---- */

static inline int th_end(struct th *h, const struct tcb *t)
{
	return t->node == h->a ? TH_A : TH_B;
}

/* The writing application: as much of to_write as the buffer takes,
 * then (optionally) close. */
static inline void th_fill(struct sim *s, struct th *h, struct tcb *t)
{
	int e = th_end(h, t);

	while (h->to_write[e] > 0 && t->state != TCPS_CLOSED) {
		uint32_t want = h->to_write[e] > 65536 ? 65536 : (uint32_t)h->to_write[e];
		uint32_t n = tcp_write(s, t, want, h->to_write[e] == want, false);

		h->to_write[e] -= n;
		if (n < want)
			return;
	}
	if (h->close_when_done[e] && t->state != TCPS_CLOSED) {
		h->close_when_done[e] = false;
		tcp_close(s, t);
	}
}

static inline void th_on_connected(struct sim *s, struct tcb *t)
{
	struct th *h = t->user_ctx;

	h->ev[th_end(h, t)].connected++;
	th_fill(s, h, t);
}

static inline void th_on_accepted(struct sim *s, struct tcb *l, struct tcb *c)
{
	struct th *h = l->user_ctx;

	h->ev[th_end(h, c)].accepted++;
	if (th_end(h, c) == TH_A)
		h->t = c;
	else
		h->bt = c;
	th_fill(s, h, c);
}

static inline void th_on_readable(struct sim *s, struct tcb *t)
{
	struct th *h = t->user_ctx;
	int e = th_end(h, t);

	h->ev[e].readable++;
	if (h->auto_read[e])
		h->ev[e].read += tcp_read(s, t, UINT32_MAX);
}

static inline void th_on_urgent(struct sim *s, struct tcb *t, uint64_t off)
{
	struct th *h = t->user_ctx;
	int e = th_end(h, t);

	(void)s;
	h->ev[e].urgent++;
	h->ev[e].urg_off = off;
}

static inline void th_on_writable(struct sim *s, struct tcb *t)
{
	struct th *h = t->user_ctx;

	h->ev[th_end(h, t)].writable++;
	th_fill(s, h, t);
}

static inline void th_on_peer_closed(struct sim *s, struct tcb *t)
{
	struct th *h = t->user_ctx;

	(void)s;
	h->ev[th_end(h, t)].peer_closed++;
}

static inline void th_on_closed(struct sim *s, struct tcb *t, int reason)
{
	struct th *h = t->user_ctx;
	int e = th_end(h, t);

	(void)s;
	h->ev[e].closed++;
	h->ev[e].reason = reason;
	if (t->integrity_bad_off < h->ev[e].integrity_bad)
		h->ev[e].integrity_bad = t->integrity_bad_off;
	if (h->t == t)
		h->t = NULL;
	if (h->l == t)
		h->l = NULL;
	if (h->bt == t)
		h->bt = NULL;
	if (h->bl == t)
		h->bl = NULL;
}

static const struct tcp_user_ops th_user = {
	.connected = th_on_connected,
	.accepted = th_on_accepted,
	.readable = th_on_readable,
	.urgent = th_on_urgent,
	.writable = th_on_writable,
	.peer_closed = th_on_peer_closed,
	.closed = th_on_closed,
};

/* ---- capture ---- */

static inline void th_cap_push(struct th *h, struct packet *p)
{
	if (h->cap_n == TH_CAP) {       /* full: forget the oldest */
		pkt_free(h->s, h->cap[h->cap_r]);
		h->cap_r = (h->cap_r + 1) % TH_CAP;
		h->cap_n--;
	}
	h->cap[(h->cap_r + h->cap_n) % TH_CAP] = p;
	h->cap_n++;
	h->captured++;
}

/* b's rx hook: everything a sends arrives here. */
static inline void th_rx_b(struct sim *s, struct node *n, struct packet *p)
{
	struct th *h = th_cur;

	if (p->proto == IPPROTO_TCP_) {
		struct tcp_opts o;

		tcp_opt_parse(p->tcp.opt, p->tcp.optlen, &o);
		if (o.present & TCPOF_TS)
			h->p_tsecr = o.ts_val;
	}
	if (!h->pass) {
		th_cap_push(h, p);
		return;
	}
	if (!h->nocap)
		th_cap_push(h, pkt_clone(s, p));
	ip_input(s, n, p);
}

/* a's rx hook in pass mode: b's segments, through the test's hook. */
static inline void th_rx_a(struct sim *s, struct node *n, struct packet *p)
{
	struct th *h = th_cur;

	if (h->a_hook && h->depth == 0) {
		h->depth++;
		h->a_hook(h, p);        /* may inject more, may change p */
		h->depth--;
	}
	ip_input(s, n, p);
}

/* ---- the world ---- */

static inline void th_conf_default(struct tcp_conf *c)
{
	tcp_conf_defaults(c);
	c->isn_mode = TCP_ISN_FIXED;
	c->isn = TH_ISS;
}

static inline void th_init_link(struct th *h, uint64_t bps, sim_time_t delay)
{
	struct sim *s;
	struct queue_conf qc;

	memset(h, 0, sizeof *h);
	th_cur = h;
	h->r.sc = &h->sc;
	s = h->s = &h->r.sim;
	s->seed = 1;
	s->stop_time = SIM_TIME_MAX;
	event_queue_init(&s->eq);
	s->nodes = calloc(3, sizeof *s->nodes);
	s->links = calloc(2, sizeof *s->links);
	s->addrs = addr_map_create(2);
	assert_non_null(s->nodes);
	assert_non_null(s->links);
	h->a = node_create(s, "a", TH_A_ADDR);
	s->nodes[s->n_nodes++] = h->a;
	h->b = node_create(s, "b", TH_B_ADDR);
	s->nodes[s->n_nodes++] = h->b;
	for (int i = 0; i < 2; i++) {
		assert_int_equal(addr_map_put(s->addrs, s->nodes[i]->addr, i), 0);
		assert_int_equal(ip_attach(s, s->nodes[i]), 0);
	}
	h->link = link_create(s, h->a, h->b, bps, delay);
	s->links[s->n_links++] = h->link;
	memset(&qc, 0, sizeof qc);
	strcpy(qc.type, "droptail");            /* no limit */
	for (int k = 0; k < 2; k++) {
		struct link_dir *d = &h->link->dir[k];

		d->q = queue_create(&qc, d->name, bps, rng_stream(1, d->name));
		assert_non_null(d->q);
		node_add_if(d->from, d);
	}
	route_compute(s);
	h->b->rx = th_rx_b;
	h->a->rx = th_rx_a;

	th_conf_default(&h->conf);
	th_conf_default(&h->bconf);
	h->bconf.isn = TH_PEER_ISS;
	h->auto_read[TH_A] = h->auto_read[TH_B] = true;
	h->ev[TH_A].integrity_bad = h->ev[TH_B].integrity_bad = UINT64_MAX;

	/* The forged peer: MSS 1460, SACK-permitted and timestamps, no window
	 * scaling (so window fields read as bytes). */
	h->p_iss = TH_PEER_ISS;
	h->p_sport = TH_B_PORT;
	h->p_win = 65535;
	h->popt.present = TCPOF_MSS | TCPOF_SACK_PERM | TCPOF_TS;
	h->popt.mss = 1460;
	h->p_tsval = 100;
}

static inline void th_init(struct th *h)
{
	th_init_link(h, 1000000000000000ULL, 0);
}

static inline void th_free(struct th *h)
{
	struct sim *s = h->s;

	if (h->last)
		pkt_free(s, h->last);
	while (h->cap_n) {
		pkt_free(s, h->cap[h->cap_r]);
		h->cap_r = (h->cap_r + 1) % TH_CAP;
		h->cap_n--;
	}
	run_free(&h->r);
	th_cur = NULL;
}

/* ---- looking at what a sent ---- */

static inline uint32_t th_pending(const struct th *h)
{
	return h->cap_n;
}

/* The next segment a sent (owned by the harness until the next pop), or
 * NULL. */
static inline struct packet *th_pop(struct th *h)
{
	struct packet *p;

	th_flush(h);
	if (h->last) {
		pkt_free(h->s, h->last);
		h->last = NULL;
	}
	if (!h->cap_n)
		return NULL;
	p = h->cap[h->cap_r];
	h->cap_r = (h->cap_r + 1) % TH_CAP;
	h->cap_n--;
	return h->last = p;
}

/* Drop everything captured so far. */
static inline void th_drain(struct th *h)
{
	while (th_pop(h))
		;
}

static inline void th_fmt_flags(uint8_t f, char *buf)
{
	static const char names[] = "FSRPAUEC";
	int n = 0;

	for (int i = 0; i < 8; i++)
		if (f & (1u << i))
			buf[n++] = names[i];
	if (!n)
		buf[n++] = '.';
	buf[n] = 0;
}

/* Pop the next segment and check it: flags (PSH ignored), seq, ack (not
 * checked without ACK), payload length. */
#define th_expect(h, flags, seq, ack, len) \
	th_expect_at(h, flags, seq, ack, len, __FILE__, __LINE__)

static inline struct packet *th_expect_at(struct th *h, uint8_t flags, uint32_t seq,
					  uint32_t ack, uint32_t len, const char *file,
					  int line)
{
	struct packet *p = th_pop(h);
	char want[12], got[12];

	if (!p) {
		th_fmt_flags(flags, want);
		print_error("expected a segment [%s] seq=%u ack=%u len=%u, a sent nothing\n",
			    want, seq, ack, len);
		_fail(file, line);
	}
	if ((p->tcp.flags & ~TH_PSH) != (flags & ~TH_PSH) || p->tcp.seq != seq ||
	    ((flags & TH_ACK) && p->tcp.ack != ack) || p->payload_len != len) {
		th_fmt_flags(flags, want);
		th_fmt_flags(p->tcp.flags, got);
		print_error("expected [%s] seq=%u ack=%u len=%u\n"
			    "     got [%s] seq=%u ack=%u len=%u (at t=%lld ns)\n",
			    want, seq, ack, len, got, p->tcp.seq, p->tcp.ack, p->payload_len,
			    (long long)p->t_created);
		_fail(file, line);
	}
	return p;
}

#define th_expect_none(h) th_expect_none_at(h, __FILE__, __LINE__)

static inline void th_expect_none_at(struct th *h, const char *file, int line)
{
	struct packet *p = th_pop(h);

	if (p) {
		char got[12];

		th_fmt_flags(p->tcp.flags, got);
		print_error("expected silence, got [%s] seq=%u ack=%u len=%u (at t=%lld ns)\n",
			    got, p->tcp.seq, p->tcp.ack, p->payload_len, (long long)p->t_created);
		_fail(file, line);
	}
}

static inline void th_opts_of(const struct packet *p, struct tcp_opts *o)
{
	tcp_opt_parse(p->tcp.opt, p->tcp.optlen, o);
}

/* ---- forging what b sends ---- */

/* A segment from b to a's connection, options: timestamps if the peer
 * negotiated them.  Data is a's receive stream at the offset of seq. */
static inline struct packet *th_mk(struct th *h, uint8_t flags, uint32_t seq, uint32_t ack,
				   uint32_t len)
{
	struct packet *p = pkt_alloc(h->s);
	struct tcp_opts o;

	p->proto = IPPROTO_TCP_;
	p->src = TH_B_ADDR;
	p->dst = TH_A_ADDR;
	p->sport = h->p_sport;
	p->dport = TH_A_PORT;
	p->ttl = 64;
	p->tcp.seq = seq;
	p->tcp.ack = (flags & TH_ACK) ? ack : 0;
	p->tcp.flags = flags;
	p->tcp.win = h->p_win;
	memset(&o, 0, sizeof o);
	if (h->p_ts) {
		o.present = TCPOF_TS;
		o.ts_val = h->p_tsval++;
		o.ts_ecr = h->p_tsecr;
	}
	p->tcp.optlen = (uint8_t)tcp_opt_build(p->tcp.opt, &o);
	p->payload_len = len;
	p->payload_id = TH_RX_STREAM;
	p->payload_off = (uint32_t)(seq + !!(flags & TH_SYN) - h->p_iss - 1);
	return p;
}

/* Replace p's options by o's. */
static inline void th_set_opts(struct packet *p, const struct tcp_opts *o)
{
	p->tcp.optlen = (uint8_t)tcp_opt_build(p->tcp.opt, o);
}

/* Checksum it and hand it to a's TCP; let what a answers arrive. */
static inline void th_inject(struct th *h, struct packet *p)
{
	pkt_set_l4_csum(p);
	h->t_in = h->s->now;
	tcp_input(h->s, h->a, p);
	th_flush(h);
}

static inline void th_send(struct th *h, uint8_t flags, uint32_t seq, uint32_t ack, uint32_t len)
{
	th_inject(h, th_mk(h, flags, seq, ack, len));
}

/* The peer's next in-order segment: seq p_nxt, ack p_ack; advances p_nxt. */
static inline void th_send_next(struct th *h, uint8_t flags, uint32_t len)
{
	uint32_t seq = h->p_nxt;

	h->p_nxt += len + !!(flags & TH_SYN) + !!(flags & TH_FIN);
	th_send(h, flags | TH_ACK, seq, h->p_ack, len);
}

/* The peer's SYN (or SYN-ACK with ack) with its SYN options. */
static inline void th_send_syn(struct th *h, uint8_t flags, uint32_t ack)
{
	struct packet *p = th_mk(h, flags, h->p_iss, ack, 0);
	struct tcp_opts o = h->popt;

	if (o.present & TCPOF_TS) {
		o.ts_val = h->p_tsval++;
		o.ts_ecr = (flags & TH_ACK) ? h->p_tsecr : 0;
	}
	th_set_opts(p, &o);
	h->p_nxt = h->p_iss + 1;
	th_inject(h, p);
}

/* ---- getting a connection into a state ---- */

static inline struct tcb *th_lookup(struct th *h)
{
	return tcp_lookup(tcp_stack_of(h->s, h->a), TH_B_ADDR, TH_A_PORT, h->p_sport);
}

static inline void th_listen(struct th *h)
{
	h->l = tcp_listen(h->s, h->a, TH_A_PORT, &h->conf, &th_user, h);
	assert_non_null(h->l);
	h->l->rx_stream = TH_RX_STREAM;
	h->l->tx_stream = TH_TX_STREAM;
}

/* LISTEN -> SYN-RECEIVED: the peer's SYN, a's SYN-ACK checked and popped. */
static inline void th_syn_received(struct th *h)
{
	th_listen(h);
	th_send_syn(h, TH_SYN, 0);
	h->t = th_lookup(h);
	assert_non_null(h->t);
	assert_int_equal(h->t->state, TCPS_SYN_RECEIVED);
	th_expect(h, TH_SYN | TH_ACK, h->conf.isn, h->p_iss + 1, 0);
	h->p_ts = (h->popt.present & TCPOF_TS) && h->conf.opt_ts;
	h->p_ack = h->conf.isn + 1;
}

/* Passive open to ESTABLISHED. */
static inline void th_establish_passive(struct th *h)
{
	th_syn_received(h);
	th_send_next(h, 0, 0);
	assert_non_null(h->t);
	assert_int_equal(h->t->state, TCPS_ESTABLISHED);
	/* With window scaling the SYN-ACK could offer at most 65535 bytes;
	 * a announces the rest of its buffer in a window update. */
	if (h->t->rcv_wscale && th_pending(h))
		th_expect(h, TH_ACK, h->conf.isn + 1, h->p_nxt, 0);
	th_expect_none(h);
}

/* CLOSED -> SYN-SENT: a connects; its SYN checked and popped. */
static inline void th_connect(struct th *h)
{
	h->t = tcp_connect(h->s, h->a, TH_A_PORT, TH_B_ADDR, TH_B_PORT, &h->conf, &th_user, h);
	assert_non_null(h->t);
	h->t->rx_stream = TH_RX_STREAM;
	h->t->tx_stream = TH_TX_STREAM;
	th_expect(h, TH_SYN, h->conf.isn, 0, 0);
	assert_int_equal(h->t->state, TCPS_SYN_SENT);
	h->p_ack = h->conf.isn + 1;
}

/* Active open to ESTABLISHED. */
static inline void th_establish_active(struct th *h)
{
	th_connect(h);
	th_send_syn(h, TH_SYN | TH_ACK, h->conf.isn + 1);
	h->p_ts = (h->popt.present & TCPOF_TS) && h->conf.opt_ts;
	assert_non_null(h->t);
	assert_int_equal(h->t->state, TCPS_ESTABLISHED);
	th_expect(h, TH_ACK, h->conf.isn + 1, h->p_iss + 1, 0);
}

/* Any state, through real exchanges (passive open unless SYN-SENT). */
static inline void th_goto(struct th *h, enum tcp_state st)
{
	switch (st) {
	case TCPS_LISTEN:
		th_listen(h);
		h->t = h->l;
		return;
	case TCPS_SYN_SENT:
		th_connect(h);
		return;
	case TCPS_SYN_RECEIVED:
		th_syn_received(h);
		return;
	default:
		break;
	}
	th_establish_passive(h);
	switch (st) {
	case TCPS_ESTABLISHED:
		break;
	case TCPS_CLOSE_WAIT:
	case TCPS_LAST_ACK:
		th_send_next(h, TH_FIN, 0);
		th_expect(h, TH_ACK, h->p_ack, h->p_nxt, 0);
		assert_int_equal(h->t->state, TCPS_CLOSE_WAIT);
		if (st == TCPS_LAST_ACK) {
			tcp_close(h->s, h->t);
			th_expect(h, TH_FIN | TH_ACK, h->p_ack, h->p_nxt, 0);
		}
		break;
	case TCPS_FIN_WAIT_1:
	case TCPS_FIN_WAIT_2:
	case TCPS_CLOSING:
	case TCPS_TIME_WAIT:
		tcp_shutdown(h->s, h->t);
		th_expect(h, TH_FIN | TH_ACK, h->p_ack, h->p_nxt, 0);
		assert_int_equal(h->t->state, TCPS_FIN_WAIT_1);
		if (st == TCPS_CLOSING) {
			/* their FIN crosses ours: it does not ack it */
			th_send_next(h, TH_FIN, 0);
			th_expect(h, TH_ACK, h->p_ack + 1, h->p_nxt, 0);
			break;
		}
		if (st == TCPS_FIN_WAIT_1)
			break;
		h->p_ack++;                     /* ack a's FIN */
		th_send_next(h, 0, 0);
		th_expect_none(h);
		assert_int_equal(h->t->state, TCPS_FIN_WAIT_2);
		if (st == TCPS_TIME_WAIT) {
			th_send_next(h, TH_FIN, 0);
			th_expect(h, TH_ACK, h->p_ack, h->p_nxt, 0);
		}
		break;
	default:
		fail_msg("th_goto: no way to %s", tcp_state_names[st]);
	}
	assert_non_null(h->t);
	assert_int_equal(h->t->state, st);
}

/* ---- pass mode: b runs a real TCP ---- */

/* b listens on TH_B_PORT; a connects to it (a's port TH_A_PORT), so that
 * forged segments (from TH_B_PORT to TH_A_PORT) belong to the connection. */
static inline void th_pair_connect(struct th *h)
{
	h->pass = true;
	h->bl = tcp_listen(h->s, h->b, TH_B_PORT, &h->bconf, &th_user, h);
	assert_non_null(h->bl);
	h->bl->rx_stream = TH_TX_STREAM;
	h->bl->tx_stream = TH_RX_STREAM;
	h->t = tcp_connect(h->s, h->a, TH_A_PORT, TH_B_ADDR, TH_B_PORT, &h->conf, &th_user, h);
	assert_non_null(h->t);
	h->t->rx_stream = TH_RX_STREAM;
	h->t->tx_stream = TH_TX_STREAM;
}

/* ---- invariants (the fuzz checks them after every segment) ---- */

/* NULL if t is consistent, else what is wrong. */
static inline const char *th_invariant(const struct tcb *t)
{
	const struct tcp_reass *q = &t->reass;
	uint64_t held;

	if ((int)t->state < TCPS_CLOSED || t->state >= TCP_NSTATES)
		return "state out of range";
	if (t->state == TCPS_CLOSED || t->state == TCPS_LISTEN)
		return NULL;
	/* send sequence space: SND.UNA <= SND.NXT <= SND.MAX */
	if (SEQ_GT(t->snd_una, t->snd_nxt))
		return "snd_una > snd_nxt";
	if (SEQ_GT(t->snd_nxt, t->snd_max))
		return "snd_nxt > snd_max";
	if (SEQ_LT(t->snd_una, t->iss))
		return "snd_una below iss";
	if ((uint32_t)(t->snd_una - t->iss) != (uint32_t)t->snd_una64)
		return "snd_una64 out of step with snd_una";
	/* acknowledged: the SYN, written bytes, the FIN - nothing more */
	if (t->snd_una64 > 1 + t->snd_written + t->fin_queued)
		return "more acknowledged than was written";
	if (t->state == TCPS_SYN_SENT)
		return NULL;            /* nothing received yet */
	if ((uint32_t)(t->rcv_nxt - t->irs) != (uint32_t)t->rcv_nxt64)
		return "rcv_nxt64 out of step with rcv_nxt";
	/* the stream offsets: what was read <= what was delivered <= rcv_nxt */
	if (t->rcv_read > t->rcv_delivered)
		return "read more than delivered";
	if (t->rcv_delivered + 1 + t->fin_received != t->rcv_nxt64)
		return "delivered bytes out of step with rcv_nxt";
	/* the receive buffer never holds more than its size */
	held = t->rcv_delivered - t->rcv_read;
	for (uint32_t i = 0; i < q->n; i++)
		held += q->r[i].end - q->r[i].start;
	if (held > t->conf->rcvbuf + (uint64_t)t->mss)     /* + a TFO SYN's data */
		return "receive buffer overfilled";
	if (tcp_rcv_window(t) > (65535u << t->rcv_wscale))
		return "window above the scaled maximum";
	/* reassembly: sorted, disjoint, not touching, above rcv_nxt */
	if (q->n > TCP_REASS_MAX || q->nsack > TCP_MAX_SACK)
		return "reassembly counts out of range";
	for (uint32_t i = 0; i < q->n; i++) {
		if (!SEQ_LT(q->r[i].start, q->r[i].end))
			return "empty or inverted reassembly block";
		if (!SEQ_GT(q->r[i].start, t->rcv_nxt))
			return "reassembly block at or below rcv_nxt";
		if (i > 0 && !SEQ_LT(q->r[i - 1].end, q->r[i].start))
			return "reassembly blocks unsorted, overlapping or touching";
	}
	/* SACK blocks report data held (RFC 2018 8: no reneging) */
	for (uint32_t i = 0; i < q->nsack; i++) {
		bool in = false;

		for (uint32_t j = 0; j < q->n; j++)
			if (SEQ_LEQ(q->r[j].start, q->sack[i].start) &&
			    SEQ_LEQ(q->sack[i].end, q->r[j].end))
				in = true;
		if (!in)
			return "SACK block reports data not held";
	}
	return NULL;
}

#endif
