/*
 * app_reqresp.c - HTTP-like request/response over TCP.
 *
 * The client asks for `count` objects (0: until the flow stops; not when
 * pipelined).  A request
 * is `size` bytes; the server, having read a whole request (it knows their
 * size, as an HTTP server finds the end of the headers), writes an object of
 * `object_size` bytes back; the client, having read a whole object, counts
 * it, waits `think` (conf.interval) and asks for the next.  Three ways to
 * use connections, as HTTP grew them (seed 001, "HTTP over TCP"):
 *
 *   separate    HTTP/1.0: a connection per object.  The server closes
 *               after the object (the active close, so TIME-WAIT is its);
 *               the client closes when it has read the object and the FIN
 *               (RFC 1945 7.2.2: the close ends the object), and the next
 *               connection opens `think` after that close - not after its
 *               LAST-ACK, which is TCP's business - from an ephemeral port
 *               (the first uses the flow's sport).
 *   persistent  HTTP/1.1 keep-alive (RFC 9112 9.3): one connection, one
 *               request at a time.
 *   pipelined   RFC 9112 9.3.2: one connection, every request written at
 *               once; the server answers them in order.
 * In every mode the client writes its request(s) right after
 * app_tcp_connect() returns: the SYN leaves from a zero-delay event or from
 * that write, so with TCP Fast Open and a cached cookie (RFC 7413 3) the
 * request rides in the SYN.  Persistent and pipelined clients close after
 * the last object; the server closes in turn.
 *
 * Statistics (struct flow_stats): queries = objects requested, answers =
 * objects read in full, rtt_sum_s = the sum of their completion times, from
 * the request's start (the connect, for the first request of a connection
 * and for every pipelined one) to the object's last byte read.  A
 * connection that fails (reset, timeout) counts its unanswered requests as
 * failures; the remaining objects are asked for on a new connection.
 *
 * Call order: init -> start (connect, write) -> tcp_open -> tcp_data
 * (server: requests -> objects; client: objects -> next request or close)
 * -> tcp_peer_closed -> tcp_closed.  The flow's stop ends the requests and
 * closes the client's connection; what is already on its way is still read
 * and counted.
 */
#include <stdio.h>
#include "app.h"

struct reqresp {
	/* client */
	struct tcb *conn;       /* the connection in use; NULL once closed */
	uint64_t opens;         /* connections opened */
	uint64_t asked;         /* requests written (= st.queries) */
	uint64_t done;          /* objects read in full or given up */
	uint64_t obj_read;      /* bytes of the current object read */
	uint64_t req_left;      /* request bytes still to write */
	sim_time_t req_start;   /* start of the oldest unanswered request */
	bool peer_fin;          /* the server's FIN arrived on conn */
	/* server: the current connection (a->srv) */
	uint64_t srv_req_read;  /* bytes of the current request read */
	uint64_t srv_owed;      /* object bytes still to write */
	bool srv_close;         /* close once srv_owed is written */
};

static bool more_to_ask(const struct app *a, const struct reqresp *r)
{
	return a->running && (!a->conf.count || r->asked < a->conf.count);
}

/* ---- client ---- */

static void client_write(struct sim *s, struct app *a, struct tcb *t)
{
	struct reqresp *r = a->priv;

	while (r->req_left > 0) {
		uint32_t want = r->req_left > UINT32_MAX ? UINT32_MAX : (uint32_t)r->req_left;
		uint32_t n = app_tcp_write(s, a, t, APP_CLIENT, want, true);

		if (t->state == TCPS_CLOSED)
			return;
		r->req_left -= n;
		if (n < want)
			return;         /* buffer full: tcp_writable resumes */
	}
}

/* Ask for `n` more objects on the current connection. */
static void client_ask(struct sim *s, struct app *a, uint64_t n)
{
	struct reqresp *r = a->priv;

	if (r->asked == r->done)
		r->req_start = s->now;
	r->asked += n;
	a->st.queries += n;
	r->req_left += n * a->conf.size;
	client_write(s, a, r->conn);
}

/* Open a connection and write what the mode asks for at once: one
 * request, or (pipelined) all that are left. */
static void client_open(struct sim *s, struct app *a)
{
	struct reqresp *r = a->priv;

	r->conn = app_tcp_connect(s, a, r->opens++ > 0);
	if (!r->conn) {
		fprintf(stderr, "segsim: warning: flow %s: cannot connect\n", a->name);
		return;
	}
	r->obj_read = 0;
	r->req_left = 0;
	r->peer_fin = false;
	client_ask(s, a, a->conf.mode == REQRESP_PIPELINED ? a->conf.count - r->asked : 1);
}

/* tx_ev: the think time is over. */
static void think_over(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;
	struct reqresp *r = a->priv;

	if (!more_to_ask(a, r))
		return;
	if (r->conn)
		client_ask(s, a, 1);            /* persistent */
	else
		client_open(s, a);              /* separate, or after a failure */
}

/* The client is done with conn.  Its last ACK is TCP's business: with
 * objects left, the next connection opens after the think time. */
static void client_close(struct sim *s, struct app *a)
{
	struct reqresp *r = a->priv;
	struct tcb *t = r->conn;

	if (!t)
		return;
	r->conn = NULL;
	if (more_to_ask(a, r))
		event_schedule(s, &a->tx_ev, s->now + a->conf.interval);
	tcp_close(s, t);
}

/* Objects read in full; then the next step of the mode. */
static void client_data(struct sim *s, struct app *a, uint32_t bytes)
{
	struct reqresp *r = a->priv;
	uint64_t obj = a->conf.object_size;
	bool completed = false;

	/* Bytes of a connection already closed (at the stop) still count. */
	r->obj_read += bytes;
	while (r->obj_read >= obj && r->done < r->asked) {
		r->obj_read -= obj;
		r->done++;
		a->st.answers++;
		a->st.rtt_sum_s += sim_sec(s->now - r->req_start);
		/* pipelined: every request started at the connect */
		completed = true;
	}
	if (!completed || r->done < r->asked || !r->conn)
		return;
	switch (a->conf.mode) {
	case REQRESP_SEPARATE:
		/* The server closes first; its FIN usually rides on the last
		 * segment, and is processed just after this read. */
		if (r->peer_fin)
			client_close(s, a);
		break;
	case REQRESP_PERSISTENT:
		if (more_to_ask(a, r) && !r->peer_fin)
			event_schedule(s, &a->tx_ev, s->now + a->conf.interval);
		else
			client_close(s, a);
		break;
	case REQRESP_PIPELINED:
		client_close(s, a);
		break;
	}
}

/* ---- server ---- */

static void server_write(struct sim *s, struct app *a, struct tcb *t)
{
	struct reqresp *r = a->priv;

	while (r->srv_owed > 0) {
		uint32_t want = r->srv_owed > UINT32_MAX ? UINT32_MAX : (uint32_t)r->srv_owed;
		uint32_t n = app_tcp_write(s, a, t, APP_SERVER, want, true);

		if (t->state == TCPS_CLOSED)
			return;
		r->srv_owed -= n;
		if (n < want)
			return;         /* buffer full: tcp_writable resumes */
	}
	if (r->srv_close) {
		r->srv_close = false;
		tcp_close(s, t);
	}
}

/* Requests read in full become objects owed, in order. */
static void server_data(struct sim *s, struct app *a, struct tcb *t, uint32_t bytes)
{
	struct reqresp *r = a->priv;

	r->srv_req_read += bytes;
	while (r->srv_req_read >= a->conf.size) {
		r->srv_req_read -= a->conf.size;
		r->srv_owed += a->conf.object_size;
		if (a->conf.mode == REQRESP_SEPARATE) {
			/* HTTP/1.0: the object, then the server closes. */
			r->srv_close = true;
			r->srv_req_read = 0;
			break;
		}
	}
	server_write(s, a, t);
}

/* ---- the ops ---- */

static int rr_init(struct sim *s, struct app *a)
{
	if (a->conf.size == 0 || a->conf.object_size == 0) {
		fprintf(stderr, "segsim: error: flow %s: reqresp needs size and object_size\n",
			a->name);
		return -1;
	}
	if (a->conf.mode == REQRESP_PIPELINED && a->conf.count == 0) {
		fprintf(stderr, "segsim: error: flow %s: pipelined reqresp needs a count\n",
			a->name);
		return -1;
	}
	a->tx_ev.fn = think_over;
	return app_tcp_init(s, a);
}

static void rr_start(struct sim *s, struct app *a)
{
	client_open(s, a);
}

static void rr_stop(struct sim *s, struct app *a)
{
	/* No more requests (the core cancelled the think timer); the
	 * connection closes, and what is on its way is still read. */
	client_close(s, a);
}

static void rr_open(struct sim *s, struct app *a, struct tcb *t, int end)
{
	struct reqresp *r = a->priv;

	if (end != APP_SERVER)
		return;
	r->srv_req_read = 0;
	r->srv_owed = 0;
	r->srv_close = false;
	/* A request that came in the SYN (TFO, RFC 7413 4.2) is waiting
	 * already, and the core signals only data that arrives later: read
	 * it as a server reads a socket it has just accepted.  (Harmless
	 * once the core signals it: there is nothing left to read.) */
	if (tcp_readable(t) > 0 && t->user && t->user->readable)
		t->user->readable(s, t);
}

static void rr_data(struct sim *s, struct app *a, struct tcb *t, int end, uint32_t bytes)
{
	if (end == APP_CLIENT)
		client_data(s, a, bytes);
	else if (t == a->srv)
		server_data(s, a, t, bytes);
}

static void rr_writable(struct sim *s, struct app *a, struct tcb *t, int end)
{
	struct reqresp *r = a->priv;

	if (end == APP_CLIENT && t == r->conn)
		client_write(s, a, t);
	else if (end == APP_SERVER && t == a->srv)
		server_write(s, a, t);
}

static void rr_peer_closed(struct sim *s, struct app *a, struct tcb *t, int end)
{
	struct reqresp *r = a->priv;

	if (end == APP_SERVER) {
		/* The client is done: finish the objects owed, then close. */
		if (t == a->srv && r->srv_owed > 0)
			r->srv_close = true;
		else
			tcp_close(s, t);
		return;
	}
	if (t != r->conn)
		return;                 /* we closed it first */
	r->peer_fin = true;
	/* A paced reader may still have the object's end to read;
	 * client_data closes when it has. */
	if (r->done < r->asked && tcp_readable(t) > 0)
		return;
	/* Nothing more will come: what is unanswered is lost. */
	a->st.failures += r->asked - r->done;
	r->done = r->asked;
	client_close(s, a);
}

static void rr_closed(struct sim *s, struct app *a, struct tcb *t, int end, int reason)
{
	struct reqresp *r = a->priv;

	(void)reason;
	if (end != APP_CLIENT || t != r->conn)
		return;
	/* The connection died under us (reset, timeout, refused): its
	 * unanswered requests failed; the rest go on a new connection. */
	a->st.failures += r->asked - r->done;
	r->done = r->asked;
	r->conn = NULL;
	if (more_to_ask(a, r))
		event_schedule(s, &a->tx_ev, s->now + a->conf.interval);
}

const struct app_ops reqresp_app_ops = {
	.name = "reqresp",
	.priv_size = sizeof(struct reqresp),
	.tcp = true,
	.init = rr_init,
	.start = rr_start,
	.stop = rr_stop,
	.tcp_open = rr_open,
	.tcp_data = rr_data,
	.tcp_writable = rr_writable,
	.tcp_peer_closed = rr_peer_closed,
	.tcp_closed = rr_closed,
};
