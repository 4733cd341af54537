/*
 * app_tcp.c - what every TCP application shares: the listener at the flow's
 * `to` node, connecting from its `from` node, reading at the configured
 * pace, counting, and summing the statistics of connections as they close.
 *
 * The receiving application reads either everything as soon as it arrives
 * (read_rate 0) or read_size bytes at a time, read_rate bits per second - a
 * slow reader, whose full buffer closes the window (zero window, persist
 * probes; seed 000's flow-control examples).  With read_size 1 it is the
 * one-byte-at-a-time reader of the silly window syndrome.
 *
 * Streams: client->server bytes are stream 2(flow+1), server->client
 * 2(flow+1)+1, so the receiver can check it got exactly what was sent.
 */
#include <stdlib.h>
#include <string.h>
#include "app.h"
#include "node.h"

/* Every connection of the flow that has not closed yet, so totals and the
 * integrity check see them all (several may be open at once: separate
 * connections linger in TIME-WAIT).  Grows at connection setup only. */
static void live_add(struct app *a, struct tcb *t)
{
	if (a->n_live == a->cap_live) {
		uint32_t cap = a->cap_live ? a->cap_live * 2 : 8;
		struct tcb **n = realloc(a->live, cap * sizeof *n);

		if (!n)
			return;
		a->live = n;
		a->cap_live = cap;
	}
	a->live[a->n_live++] = t;
}

static void live_remove(struct app *a, struct tcb *t)
{
	for (uint32_t i = 0; i < a->n_live; i++)
		if (a->live[i] == t) {
			a->live[i] = a->live[--a->n_live];
			return;
		}
}

static int end_of(const struct app *a, const struct tcb *t)
{
	return t->node == a->src ? APP_CLIENT : APP_SERVER;
}

/* Read what the pace allows now; returns bytes read. */
static uint32_t read_now(struct sim *s, struct app *a, struct tcb *t, int end)
{
	uint32_t want = a->conf.read_rate_bps ? a->conf.read_size : UINT32_MAX;
	uint32_t n;

	if (want == 0)
		want = UINT32_MAX;
	n = tcp_read(s, t, want);
	if (n == 0)
		return 0;
	a->tcp_read_bytes[end] += n;
	a->last_read = s->now;
	if (a->ops->tcp_data)
		a->ops->tcp_data(s, a, t, end, n);
	return n;
}

static struct tcb *current(struct app *a, int end)
{
	return end == APP_CLIENT ? a->cli : a->srv;
}

static sim_time_t read_gap(const struct app *a)
{
	uint64_t size = a->conf.read_size ? a->conf.read_size : 1;
	sim_time_t gap = (sim_time_t)(size * 8u * (uint64_t)SIM_S / a->conf.read_rate_bps);

	return gap > 0 ? gap : 1;
}

/* The paced reader: one read_size chunk per read_size*8/rate, never
 * sooner, whether or not the buffer ran dry in between. */
static void read_tick(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;
	int end = (int)ev->arg;
	struct tcb *t = current(a, end);

	if (!t || t->state == TCPS_CLOSED)
		return;
	if (read_now(s, a, t, end)) {
		a->rd_next[end] = s->now + read_gap(a);
		if (tcp_readable(t) > 0)
			event_schedule(s, ev, a->rd_next[end]);
	}
}

static void on_readable(struct sim *s, struct tcb *t)
{
	struct app *a = t->user_ctx;
	int end = end_of(a, t);

	if (!a->conf.read_rate_bps) {
		read_now(s, a, t, end);
		return;
	}
	if (event_pending(&a->rd_ev[end]))
		return;
	if (s->now >= a->rd_next[end])
		read_tick(s, &a->rd_ev[end]);
	else
		event_schedule(s, &a->rd_ev[end], a->rd_next[end]);
}

static void on_connected(struct sim *s, struct tcb *t)
{
	struct app *a = t->user_ctx;
	int end = end_of(a, t);

	/* Both ends get here after a simultaneous open. */
	if (end == APP_CLIENT)
		a->connections++;
	if (a->ops->tcp_open)
		a->ops->tcp_open(s, a, t, end);
}

/* Several flows may send to one (node, port): the first opens the listener
 * and the others join its list.  A SYN's connection belongs to the flow
 * whose client it comes from - the client's address and the port its
 * current connection uses - or to the listener's own flow. */
static void on_syn(struct sim *s, struct tcb *l, struct tcb *child)
{
	struct app *head = l->user_ctx;

	(void)s;
	for (struct app *a = head->share_next; a; a = a->share_next) {
		if (a->src->addr != child->raddr || !a->cli || a->cli->lport != child->rport)
			continue;
		child->user_ctx = a;
		child->flow = a->flow;
		child->trace = a->tcp_trace[APP_SERVER];
		child->rx_stream = 2u * (a->flow + 1u);
		child->tx_stream = 2u * (a->flow + 1u) + 1u;
		return;
	}
}

static void on_accepted(struct sim *s, struct tcb *l, struct tcb *child)
{
	struct app *a = child->user_ctx;

	(void)l;

	a->srv = child;
	live_add(a, child);
	if (a->ops->tcp_open)
		a->ops->tcp_open(s, a, child, APP_SERVER);
}

static void on_writable(struct sim *s, struct tcb *t)
{
	struct app *a = t->user_ctx;

	if (a->ops->tcp_writable)
		a->ops->tcp_writable(s, a, t, end_of(a, t));
}

static void on_urgent(struct sim *s, struct tcb *t, uint64_t off)
{
	struct app *a = t->user_ctx;

	(void)s;
	(void)off;
	a->urgent_seen++;
}

static void on_peer_closed(struct sim *s, struct tcb *t)
{
	struct app *a = t->user_ctx;
	int end = end_of(a, t);

	/* Data before the FIN is read first (a paced reader may still be
	 * behind; it finishes on its own ticks). */
	if (!a->conf.read_rate_bps)
		read_now(s, a, t, end);
	if (a->ops->tcp_peer_closed)
		a->ops->tcp_peer_closed(s, a, t, end);
	else
		tcp_close(s, t);        /* the usual server: close in turn */
}

static void add_stats(struct tcp_stats *sum, const struct tcp_stats *x)
{
	uint64_t *d = (uint64_t *)sum;
	const uint64_t *v = (const uint64_t *)x;

	for (size_t i = 0; i < sizeof *sum / sizeof(uint64_t); i++)
		d[i] += v[i];
}

static void on_closed(struct sim *s, struct tcb *t, int reason)
{
	struct app *a = t->user_ctx;
	int end = end_of(a, t);

	add_stats(&a->tcp_done[end], &t->st);
	live_remove(a, t);
	if (t->integrity_bad_off < a->integrity_bad)
		a->integrity_bad = t->integrity_bad_off;
	if (end == APP_CLIENT) {
		a->cli_state = TCPS_CLOSED;
		a->close_reason = reason;
		if (reason == TCP_CLOSED_REFUSED || reason == TCP_CLOSED_CONNECT_TIMEOUT)
			a->conn_failed++;
	}
	if (current(a, end) == t) {
		if (end == APP_CLIENT)
			a->cli = NULL;
		else
			a->srv = NULL;
	}
	if (a->ops->tcp_closed)
		a->ops->tcp_closed(s, a, t, end, reason);
}

static const struct tcp_user_ops app_tcp_user = {
	.syn = on_syn,
	.connected = on_connected,
	.accepted = on_accepted,
	.readable = on_readable,
	.urgent = on_urgent,
	.writable = on_writable,
	.peer_closed = on_peer_closed,
	.closed = on_closed,
};

int app_tcp_init(struct sim *s, struct app *a)
{
	a->integrity_bad = UINT64_MAX;
	a->cli_state = TCPS_CLOSED;
	for (int e = 0; e < 2; e++) {
		event_init(&a->rd_ev[e], read_tick, a);
		a->rd_ev[e].arg = (uint64_t)e;
	}
	/* No listener: a SYN meets a closed port (listen: false), or the
	 * server end opens actively itself (open: simultaneous). */
	if (a->conf.no_listen || a->conf.simultaneous)
		return 0;
	/* Another flow listens there already: share its listener (and its
	 * server settings); on_syn sorts the connections out. */
	if ((a->listener = tcp_listener_at(s, a->dst, a->dport))) {
		struct app *head = a->listener->user_ctx;

		a->share_next = head->share_next;
		head->share_next = a;
		return 0;
	}
	a->listener = tcp_listen(s, a->dst, a->dport, a->tcp_conf[APP_SERVER],
				 &app_tcp_user, a);
	if (!a->listener)
		return -1;
	a->listener->flow = a->flow;
	a->listener->trace = a->tcp_trace[APP_SERVER];
	a->listener->rx_stream = 2u * (a->flow + 1u);
	a->listener->tx_stream = 2u * (a->flow + 1u) + 1u;
	return 0;
}

/* A connection the application opened at `end`: its flow, trace and
 * payload streams (client->server is stream 2(flow+1)). */
static struct tcb *adopt(struct app *a, struct tcb *t, int end)
{
	uint32_t up = 2u * (a->flow + 1u);

	if (!t)
		return NULL;
	t->flow = a->flow;
	t->trace = a->tcp_trace[end];
	t->tx_stream = end == APP_CLIENT ? up : up + 1u;
	t->rx_stream = end == APP_CLIENT ? up + 1u : up;
	if (end == APP_CLIENT) {
		a->cli = t;
		a->cli_state = t->state;
	} else {
		a->srv = t;
	}
	live_add(a, t);
	return t;
}

struct tcb *app_tcp_connect(struct sim *s, struct app *a, bool ephemeral)
{
	return adopt(a, tcp_connect(s, a->src, ephemeral ? 0 : a->sport, a->dst->addr,
				    a->dport, a->tcp_conf[APP_CLIENT], &app_tcp_user, a),
		     APP_CLIENT);
}

/* The server end opens actively too (simultaneous open). */
struct tcb *app_tcp_connect_back(struct sim *s, struct app *a)
{
	return adopt(a, tcp_connect(s, a->dst, a->dport, a->src->addr, a->sport,
				    a->tcp_conf[APP_SERVER], &app_tcp_user, a),
		     APP_SERVER);
}

uint32_t app_tcp_write(struct sim *s, struct app *a, struct tcb *t, int end,
		       uint32_t bytes, bool push)
{
	uint32_t n = tcp_write(s, t, bytes, push, false);

	a->tcp_written[end] += n;
	return n;
}

void app_tcp_totals(const struct app *a, struct tcp_stats out[2])
{
	out[0] = a->tcp_done[0];
	out[1] = a->tcp_done[1];
	for (uint32_t i = 0; i < a->n_live; i++)
		add_stats(&out[end_of(a, a->live[i])], &a->live[i]->st);
}

uint64_t app_tcp_integrity(const struct app *a)
{
	uint64_t bad = a->integrity_bad;

	for (uint32_t i = 0; i < a->n_live; i++)
		if (a->live[i]->integrity_bad_off < bad)
			bad = a->live[i]->integrity_bad_off;
	return bad;
}

void app_tcp_destroy(struct app *a)
{
	/* The run is over: nothing fires again, and the tcbs belong to the
	 * nodes' stacks.  Only let the live ones forget us. */
	if (a->cli)
		a->cli->user = NULL;
	if (a->srv)
		a->srv->user = NULL;
	if (a->listener)
		a->listener->user = NULL;
	for (uint32_t i = 0; i < a->n_live; i++)
		a->live[i]->user = NULL;
	free(a->live);
}
