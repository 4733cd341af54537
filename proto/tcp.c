/*
 * tcp.c - control blocks, demultiplexing and the user calls.
 *
 * A tcb lives from tcp_listen()/tcp_connect() (or a SYN arriving at a
 * listener) until tcp_drop(), which tells the application, unhooks the tcb
 * and frees it from a zero-delay event, so no caller up the stack is left
 * holding a dangling pointer: code that called something that may drop the
 * connection checks `t->state == TCPS_CLOSED` and stops.
 *
 * Call order: tcp_stack_create() per node (lazily) -> tcp_listen() /
 * tcp_connect() -> tcp_write()/tcp_read() ... -> tcp_shutdown()/tcp_close()
 * -> tcp_drop() (from the input path, a timer or tcp_abort()).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "tcp_internal.h"
#include "ip.h"
#include "rng.h"

const char *const tcp_cstate_names[] = {
	[TCP_CS_OPEN] = "open",
	[TCP_CS_DISORDER] = "disorder",
	[TCP_CS_CWR] = "cwr",
	[TCP_CS_RECOVERY] = "recovery",
	[TCP_CS_LOSS] = "loss",
};

const char *const tcp_state_names[TCP_NSTATES] = {
	[TCPS_CLOSED] = "CLOSED",
	[TCPS_LISTEN] = "LISTEN",
	[TCPS_SYN_SENT] = "SYN-SENT",
	[TCPS_SYN_RECEIVED] = "SYN-RECEIVED",
	[TCPS_ESTABLISHED] = "ESTABLISHED",
	[TCPS_CLOSE_WAIT] = "CLOSE-WAIT",
	[TCPS_FIN_WAIT_1] = "FIN-WAIT-1",
	[TCPS_CLOSING] = "CLOSING",
	[TCPS_LAST_ACK] = "LAST-ACK",
	[TCPS_FIN_WAIT_2] = "FIN-WAIT-2",
	[TCPS_TIME_WAIT] = "TIME-WAIT",
};

/* ---- the per-node stack and the demultiplexing table ---- */

/* Free the tcbs dropped during the last event (see tcp_drop). */
static void reap_fire(struct sim *s, struct event *ev)
{
	struct tcp_stack *st = ev->obj;

	(void)s;
	while (st->dead) {
		struct tcb *t = st->dead;

		st->dead = t->hnext;
		free(t);
	}
}

struct tcp_stack *tcp_stack_create(struct sim *s, struct node *n)
{
	struct tcp_stack *st = calloc(1, sizeof *st);
	char name[64];

	if (!st)
		return NULL;
	st->node = n;
	snprintf(name, sizeof name, "tcp:%s", n->name);
	st->rng = rng_stream(s->seed, name);
	st->tfo_secret = (uint32_t)gsl_rng_get(st->rng);
	st->next_port = 32768;          /* Linux's ephemeral range */
	event_init(&st->reap, reap_fire, st);
	return st;
}

void tcp_stack_destroy(struct tcp_stack *st)
{
	if (!st)
		return;
	for (int i = 0; i < TCP_HASH; i++) {
		struct tcb *t = st->bucket[i];

		while (t) {
			struct tcb *next = t->hnext;

			free(t);
			t = next;
		}
	}
	reap_fire(NULL, &st->reap);
	gsl_rng_free(st->rng);
	free(st);
}

struct tcp_stack *tcp_stack_of(struct sim *s, struct node *n)
{
	struct ip_stack *ip = ip_stack_of(n);

	if (!ip->tcp)
		ip->tcp = tcp_stack_create(s, n);
	return ip->tcp;
}

static inline uint32_t tuple_hash(uint32_t raddr, uint16_t lport, uint16_t rport)
{
	uint32_t h = raddr * 0x9e3779b1u ^ ((uint32_t)lport << 16 | rport) * 0x85ebca6bu;

	return (h ^ (h >> 15)) & (TCP_HASH - 1);
}

void tcp_hash_insert(struct tcb *t)
{
	struct tcb **b = &t->stack->bucket[tuple_hash(t->raddr, t->lport, t->rport)];

	t->hnext = *b;
	*b = t;
}

static void hash_remove(struct tcb *t)
{
	struct tcb **b = &t->stack->bucket[tuple_hash(t->raddr, t->lport, t->rport)];

	for (; *b; b = &(*b)->hnext)
		if (*b == t) {
			*b = t->hnext;
			return;
		}
}

struct tcb *tcp_lookup(struct tcp_stack *st, uint32_t raddr, uint16_t lport, uint16_t rport)
{
	struct tcb *t = st->bucket[tuple_hash(raddr, lport, rport)];

	for (; t; t = t->hnext)
		if (t->raddr == raddr && t->lport == lport && t->rport == rport)
			return t;
	/* No connection: a listener on the port (stored with raddr 0). */
	for (t = st->bucket[tuple_hash(0, lport, 0)]; t; t = t->hnext)
		if (t->state == TCPS_LISTEN && t->lport == lport && t->raddr == 0)
			return t;
	return NULL;
}

struct tcb *tcp_listener_at(struct sim *s, struct node *n, uint16_t port)
{
	struct tcb *t = tcp_lookup(tcp_stack_of(s, n), 0, port, 0);

	return t && t->state == TCPS_LISTEN ? t : NULL;
}

static bool port_in_use(struct tcp_stack *st, uint16_t port)
{
	for (int i = 0; i < TCP_HASH; i++)
		for (struct tcb *t = st->bucket[i]; t; t = t->hnext)
			if (t->lport == port)
				return true;
	return false;
}

/* ---- TCP Fast Open cookies (RFC 7413 4.1) ---- */

/* The server's cookie for a client: a keyed hash of the client address
 * (4.1.2 suggests a MAC of the client IP under a server secret). */
uint8_t tcp_tfo_cookie_make(const struct tcb *t, uint8_t *out)
{
	uint64_t h = ((uint64_t)t->stack->tfo_secret << 32) ^ t->raddr;

	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	h *= 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	for (int i = 0; i < 8; i++)
		out[i] = (uint8_t)(h >> (8 * i));
	return 8;
}

bool tcp_tfo_cookie_ok(const struct tcb *t, const struct tcp_opts *o)
{
	uint8_t want[8];

	return o->tfo_len == 8 && tcp_tfo_cookie_make(t, want) == 8 &&
	       memcmp(want, o->tfo_cookie, 8) == 0;
}

/* The client's cache of cookies, by server address. */
uint8_t tcp_tfo_cookie_get(const struct tcb *t, uint8_t *out)
{
	const struct tcp_stack *st = t->stack;

	for (uint32_t i = 0; i < st->tfo_cache_n; i++)
		if (st->tfo_cache_addr[i] == t->raddr) {
			memcpy(out, st->tfo_cache_cookie[i], 8);
			return 8;
		}
	return 0;
}

void tcp_tfo_cookie_store(struct tcb *t, const struct tcp_opts *o)
{
	struct tcp_stack *st = t->stack;
	uint32_t i;

	if (o->tfo_len != 8)
		return;
	for (i = 0; i < st->tfo_cache_n && st->tfo_cache_addr[i] != t->raddr; i++)
		;
	if (i == st->tfo_cache_n) {
		if (st->tfo_cache_n == 16)
			i = t->raddr % 16;      /* full: overwrite one */
		else
			st->tfo_cache_n++;
	}
	st->tfo_cache_addr[i] = t->raddr;
	memcpy(st->tfo_cache_cookie[i], o->tfo_cookie, 8);
}

/* ---- control blocks ---- */

/* Smallest shift that lets the whole receive buffer be advertised
 * (RFC 7323 2.3: at most 14). */
static uint8_t wscale_for(uint32_t rcvbuf)
{
	uint8_t shift = 0;

	while (shift < 14 && (rcvbuf >> shift) > 65535)
		shift++;
	return shift;
}

uint32_t tcp_choose_isn(struct sim *s, struct tcb *t)
{
	switch (t->conf->isn_mode) {
	case TCP_ISN_FIXED:
		return t->conf->isn;
	case TCP_ISN_CLOCK:
		/* RFC 793 3.3: a 32-bit clock whose low bit ticks every 4 us. */
		return (uint32_t)((uint64_t)s->now / 4000u);
	case TCP_ISN_BSD:
		/* 4.4BSD (Stevens, TCP/IP Illustrated vol. 2, 24.4 and 25.3):
		 * tcp_iss starts at 1, gains TCP_ISSINCR/PR_SLOWHZ = 64000 on
		 * every 500 ms slow timeout and 64000 after each connection
		 * takes its value - predictable, which is the point of
		 * showing it (RFC 6528). */
		return 1u + 64000u * (uint32_t)((uint64_t)s->now / 500000000u) +
		       64000u * t->stack->bsd_conns++;
	default:
		return (uint32_t)gsl_rng_get(t->stack->rng);
	}
}

struct tcb *tcp_tcb_new(struct sim *s, struct node *n, const struct tcp_conf *conf,
			const struct tcp_user_ops *user, void *ctx)
{
	struct tcb *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->sim = s;
	t->node = n;
	t->stack = tcp_stack_of(s, n);
	t->conf = conf;
	t->user = user;
	t->user_ctx = ctx;
	t->laddr = n->addr;
	t->flow = PKT_NO_FLOW;
	t->integrity_bad_off = UINT64_MAX;
	t->state = TCPS_CLOSED;

	t->rtt_ops = tcp_rtt_find(conf->rtt.name);
	if (!t->rtt_ops)
		t->rtt_ops = tcp_rtt_registry[0];
	t->rtt.conf = &conf->rtt;
	t->rtt_ops->init(&t->rtt);
	t->rto_cur = t->rtt_ops->timeout(&t->rtt, 0);

	t->cc = tcp_cc_find(conf->cc);
	if (!t->cc)
		t->cc = tcp_cc_registry[0];
	t->mss = conf->mss;
	t->rcv_wscale = conf->opt_wscale ? wscale_for(conf->rcvbuf) : 0;
	t->snd_wnd = conf->mss;         /* until the peer says otherwise */
	tcp_timers_init(t);
	return t;
}

/* Set up congestion control once the MSS is known (RFC 5681 3.1). */
void tcp_cc_start(struct tcb *t)
{
	memset(&t->ccv, 0, sizeof t->ccv);
	t->ccv.mss = t->mss;
	t->ccv.abc = t->conf->abc;
	t->ccv.priv = t->cc_priv;
	if (t->conf->init_cwnd)
		t->ccv.init_cwnd = t->conf->init_cwnd * t->mss;
	else    /* RFC 3390: min(4*MSS, max(2*MSS, 4380 bytes)) */
		t->ccv.init_cwnd = t->mss * 4 < (t->mss * 2 > 4380 ? t->mss * 2 : 4380)
				   ? t->mss * 4 : (t->mss * 2 > 4380 ? t->mss * 2 : 4380);
	t->cc->init(&t->ccv);
	/* Sequence-space marks start at snd_una: 0 would compare as "ahead"
	 * for half of all ISNs. */
	t->ecn_recover = t->ecn_cwr_until = t->snd_una;
	t->recover = t->snd_una;
	/* SACK recovery needs the peer's SACKs; without them, NewReno. */
	t->recovery = t->cc->recovery;
	if (t->recovery == CC_RECOVERY_SACK && !t->sack_on)
		t->recovery = CC_RECOVERY_NEWRENO;
	if (t->conf->init_ssthresh)
		t->ccv.ssthresh = t->conf->init_ssthresh;
}

void tcp_drop(struct sim *s, struct tcb *t, int reason)
{
	struct tcb *l = t->listener;

	if (t->state == TCPS_CLOSED && t->freed_pending)
		return;
	tcp_set_state(t, TCPS_CLOSED);
	t->close_reason = reason;
	t->freed_pending = true;
	tcp_timers_cancel(s, t);
	hash_remove(t);
	if (l) {
		/* A child that never reached the accept queue leaves the SYN
		 * queue; the listener itself lives on (RFC 9293 3.10.7.4: an
		 * RST in SYN-RECEIVED from a passive open returns to LISTEN). */
		if (!t->accepted && l->syn_queued)
			l->syn_queued--;
	}
	tcp_trace_row(s, t);
	if (t->user && t->user->closed)
		t->user->closed(s, t, reason);
	/* Freed from a zero-delay event, once every caller up the stack has
	 * returned; until then it is CLOSED and out of the table. */
	t->hnext = t->stack->dead;
	t->stack->dead = t;
	if (!event_pending(&t->stack->reap))
		event_schedule(s, &t->stack->reap, s->now);
}

void tcp_set_state(struct tcb *t, enum tcp_state st)
{
	t->state = st;
}

/* ---- user calls ---- */

struct tcb *tcp_listen(struct sim *s, struct node *n, uint16_t port,
		       const struct tcp_conf *conf, const struct tcp_user_ops *user, void *ctx)
{
	struct tcb *t = tcp_tcb_new(s, n, conf, user, ctx);

	if (!t)
		return NULL;
	t->lport = port;
	t->state = TCPS_LISTEN;
	tcp_hash_insert(t);
	return t;
}

struct tcb *tcp_connect(struct sim *s, struct node *n, uint16_t lport,
			uint32_t raddr, uint16_t rport, const struct tcp_conf *conf,
			const struct tcp_user_ops *user, void *ctx)
{
	struct tcb *t = tcp_tcb_new(s, n, conf, user, ctx);
	struct tcp_stack *st;

	if (!t)
		return NULL;
	st = t->stack;
	if (!lport) {
		/* An ephemeral port nobody uses (RFC 6056's simple scheme). */
		for (int tries = 0; tries < 28232; tries++) {
			uint16_t p = st->next_port++;

			if (st->next_port > 60999)
				st->next_port = 32768;
			if (!port_in_use(st, p)) {
				lport = p;
				break;
			}
		}
	}
	t->lport = lport;
	t->raddr = raddr;
	t->rport = rport;
	t->iss = tcp_choose_isn(s, t);
	t->snd_una = t->snd_nxt = t->snd_max = t->iss;
	t->rcv_wnd = conf->rcvbuf;
	t->last_send = s->now;
	tcp_hash_insert(t);
	tcp_set_state(t, TCPS_SYN_SENT);
	tcp_cc_start(t);
	tcp_timer_arm(s, t, &t->conn, conf->connect_timeout);
	if (conf->tfo) {
		uint8_t cookie[TCP_TFO_COOKIE_MAX];

		/* RFC 7413 3: with a cookie, data may ride in the SYN. */
		t->tfo_on = tcp_tfo_cookie_get(t, cookie) > 0;
	}
	/* The SYN leaves from a zero-delay event, after the caller's writes
	 * in this same instant (which, with a TFO cookie, it carries). */
	event_schedule(s, &t->out, s->now);
	return t;
}

uint32_t tcp_send_space(const struct tcb *t)
{
	/* The buffer holds what was written and not yet acknowledged.
	 * Until our SYN is acked (snd_una64 0) snd_una is the SYN's number,
	 * offset "-1", which must count as 0, not as 2^64 - 1 - else the
	 * buffer looks empty and writes before ESTABLISHED have no limit
	 * (test_send_buffer_before_established). */
	uint64_t una_off = t->snd_una64 ? tcp_snd_off(t, t->snd_una) : 0;
	uint64_t held = t->snd_written - (una_off < t->snd_written ? una_off : t->snd_written);

	return held >= t->conf->sndbuf ? 0 : t->conf->sndbuf - (uint32_t)held;
}

uint32_t tcp_write(struct sim *s, struct tcb *t, uint32_t bytes, bool push, bool urgent)
{
	uint32_t n;

	if (t->fin_queued || t->state == TCPS_CLOSED || t->state == TCPS_LISTEN ||
	    t->state > TCPS_CLOSE_WAIT)
		return 0;
	n = tcp_send_space(t);
	if (bytes < n)
		n = bytes;
	if (n == 0)
		return 0;
	t->snd_written += n;
	if (push)
		t->psh_off = t->snd_written;
	if (urgent) {
		/* RFC 9293 3.8.5 / RFC 1122 4.2.2.4: the urgent pointer points
		 * at the last urgent byte; we keep the offset past it. */
		t->urg_off = t->snd_written;
		t->urg_pending = true;
	}
	if (TCPS_HAVEESTABLISHED(t->state) || t->state == TCPS_SYN_SENT ||
	    (t->state == TCPS_SYN_RECEIVED && t->tfo_early))
		tcp_output(s, t);
	return n;
}

uint32_t tcp_readable(const struct tcb *t)
{
	uint64_t end = t->rcv_delivered;

	return end > t->rcv_read ? (uint32_t)(end - t->rcv_read) : 0;
}

uint32_t tcp_read(struct sim *s, struct tcb *t, uint32_t max)
{
	uint32_t n = tcp_readable(t);

	if (max < n)
		n = max;
	t->rcv_read += n;
	t->st.bytes_read += n;
	t->win_update = n > 0;
	/* Reading may open the window far enough for an update
	 * (tcp_output decides, RFC 1122 4.2.3.3). */
	if (n && t->state != TCPS_CLOSED && TCPS_HAVEESTABLISHED(t->state))
		tcp_output(s, t);
	return n;
}

void tcp_shutdown(struct sim *s, struct tcb *t)
{
	switch (t->state) {
	case TCPS_LISTEN:
	case TCPS_SYN_SENT:
		/* RFC 9293 3.10.4: nothing was synchronised; just go. */
		tcp_drop(s, t, TCP_CLOSED_NORMAL);
		return;
	case TCPS_SYN_RECEIVED:
	case TCPS_ESTABLISHED:
	case TCPS_CLOSE_WAIT:
		if (t->fin_queued)
			return;
		t->fin_queued = true;
		tcp_output(s, t);
		return;
	default:
		return;         /* already closing */
	}
}

void tcp_close(struct sim *s, struct tcb *t)
{
	t->user_closed = true;
	tcp_shutdown(s, t);
}

void tcp_abort(struct sim *s, struct tcb *t)
{
	/* RFC 9293 3.10.5: in a synchronised state send a reset. */
	if (t->state == TCPS_SYN_RECEIVED || TCPS_HAVEESTABLISHED(t->state))
		tcp_send_rst(s, t->node, t->laddr, t->raddr, t->lport, t->rport,
			     t->snd_nxt, 0, false, t->flow);
	tcp_drop(s, t, TCP_CLOSED_ABORT);
}

void tcp_node_crash(struct sim *s, struct node *n)
{
	struct tcp_stack *st = tcp_stack_of(s, n);

	for (int i = 0; i < TCP_HASH; i++) {
		struct tcb *t = st->bucket[i];

		while (t) {
			struct tcb *next = t->hnext;    /* tcp_drop unhooks t */

			if (t->state != TCPS_LISTEN)
				tcp_drop(s, t, TCP_CLOSED_CRASH);
			t = next;
		}
	}
}
