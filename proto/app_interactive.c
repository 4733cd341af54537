/*
 * app_interactive.c - telnet-like keystrokes over TCP.
 *
 * Once connected, the client types keystrokes of `size` bytes at
 * exponentially distributed gaps of mean `interval` - `count` of them, or
 * until the flow stops - each written at once with PSH, as a telnet client
 * writes what the user types.  With `echo` the server writes back every
 * byte it reads, as a telnet server doing the echo (RFC 857) does.  This is
 * the traffic of seed 000's Nagle example (RFC 896: with a typist faster
 * than the RTT, keystrokes wait for the ACK and leave together) and seed
 * 002's delayed ACK discussion (RFC 1122 4.2.3.2: the echo carries the ACK
 * of the keystroke).  The client closes after its last keystroke - after
 * the last echo has arrived, with echo on (also when the flow stops); the
 * server closes in turn once it has echoed everything it read.
 *
 * Statistics (struct flow_stats): queries = keystrokes typed, answers =
 * keystrokes whose echo was read in full, rtt_sum_s = the sum of their
 * keystroke-to-echo times.  The times of unechoed keystrokes are kept in a
 * fixed ring; a keystroke typed while ECHO_RING others still wait for their
 * echo is not timed (nor counted in answers) - only a long outage does
 * that.
 *
 * Call order: init -> start (connect) -> tcp_open (typing starts) ->
 * [tx_ev] keystroke ... -> tcp_data (server: echo; client: echo read) ->
 * tcp_peer_closed -> tcp_closed; stop ends the typing.
 */
#include <stdio.h>
#include <gsl/gsl_randist.h>
#include "app.h"

#define ECHO_RING 2048

struct interactive {
	/* client */
	struct tcb *conn;       /* NULL once closed */
	uint64_t typed;         /* keystrokes typed (= st.queries) */
	uint64_t echoed;        /* keystrokes whose echo was read in full */
	uint64_t echo_read;     /* bytes read toward the next echo */
	uint64_t wr_left;       /* typed bytes the send buffer did not take */
	/* keystroke k's time is at[k % ECHO_RING] if key[k % ECHO_RING] == k */
	sim_time_t at[ECHO_RING];
	uint64_t key[ECHO_RING];
	/* server */
	uint64_t owed;          /* bytes read and not yet echoed */
	bool srv_close;         /* close once owed is written */
	bool interrupted;       /* the urgent keystroke went */
};

static bool typing_over(const struct app *a, const struct interactive *k)
{
	return !a->running || (a->conf.count && k->typed >= a->conf.count);
}

/* ---- client ---- */

static void client_close(struct sim *s, struct app *a)
{
	struct interactive *k = a->priv;
	struct tcb *t = k->conn;

	k->conn = NULL;
	event_cancel(s, &a->tx_ev);
	tcp_close(s, t);
}

/* Close once everything typed went into the buffer and, with echo, came
 * back. */
static void client_maybe_close(struct sim *s, struct app *a)
{
	struct interactive *k = a->priv;

	if (k->conn && typing_over(a, k) && k->wr_left == 0 &&
	    (!a->conf.echo || k->echoed == k->typed))
		client_close(s, a);
}

static void client_write(struct sim *s, struct app *a, struct tcb *t)
{
	struct interactive *k = a->priv;

	while (k->wr_left > 0) {
		uint32_t want = k->wr_left > UINT32_MAX ? UINT32_MAX : (uint32_t)k->wr_left;
		uint32_t n = app_tcp_write(s, a, t, APP_CLIENT, want, true);

		if (t->state == TCPS_CLOSED)
			return;
		k->wr_left -= n;
		if (n < want)
			return;         /* buffer full: tcp_writable resumes */
	}
}

static void schedule_key(struct sim *s, struct app *a)
{
	double gap = gsl_ran_exponential(app_rng(a), (double)a->conf.interval);

	event_schedule(s, &a->tx_ev, s->now + (sim_time_t)(gap + 0.5));
}

/* tx_ev: a keystroke. */
static void keystroke(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;
	struct interactive *k = a->priv;
	uint32_t slot = (uint32_t)(k->typed % ECHO_RING);

	if (!k->conn || typing_over(a, k))
		return;
	if (k->typed - k->echoed < ECHO_RING) {
		/* the slot's previous keystroke has been echoed */
		k->at[slot] = s->now;
		k->key[slot] = k->typed;
	}
	k->typed++;
	a->st.queries++;
	if (a->conf.interrupt && !k->interrupted && s->now >= a->conf.interrupt &&
	    k->wr_left == 0) {
		/* Telnet's interrupt: the keystroke goes as urgent data
		 * (RFC 854 "Synch"; the receiver is told at once, RFC 9293
		 * 3.8.5), through the same byte stream. */
		uint32_t n = tcp_write(s, k->conn, a->conf.size, true, true);

		a->tcp_written[APP_CLIENT] += n;
		k->wr_left += a->conf.size - n;
		k->interrupted = true;
	} else {
		k->wr_left += a->conf.size;
	}
	client_write(s, a, k->conn);
	if (!k->conn || k->conn->state == TCPS_CLOSED)
		return;
	if (typing_over(a, k))
		client_maybe_close(s, a);
	else
		schedule_key(s, a);
}

static void client_data(struct sim *s, struct app *a, uint32_t bytes)
{
	struct interactive *k = a->priv;

	if (!a->conf.echo)
		return;
	k->echo_read += bytes;
	while (k->echo_read >= a->conf.size && k->echoed < k->typed) {
		uint32_t slot = (uint32_t)(k->echoed % ECHO_RING);

		k->echo_read -= a->conf.size;
		if (k->key[slot] == k->echoed) {
			a->st.answers++;
			a->st.rtt_sum_s += sim_sec(s->now - k->at[slot]);
		}
		k->echoed++;
	}
	client_maybe_close(s, a);
}

/* ---- server ---- */

static void server_write(struct sim *s, struct app *a, struct tcb *t)
{
	struct interactive *k = a->priv;

	while (k->owed > 0) {
		uint32_t want = k->owed > UINT32_MAX ? UINT32_MAX : (uint32_t)k->owed;
		uint32_t n = app_tcp_write(s, a, t, APP_SERVER, want, true);

		if (t->state == TCPS_CLOSED)
			return;
		k->owed -= n;
		if (n < want)
			return;
	}
	if (k->srv_close) {
		k->srv_close = false;
		tcp_close(s, t);
	}
}

/* ---- the ops ---- */

static int ia_init(struct sim *s, struct app *a)
{
	struct interactive *k = a->priv;

	if (a->conf.size == 0 || a->conf.interval <= 0) {
		fprintf(stderr, "segsim: error: flow %s: interactive needs a size and an interval\n",
			a->name);
		return -1;
	}
	/* No keystroke has a slot yet. */
	for (uint32_t i = 0; i < ECHO_RING; i++)
		k->key[i] = UINT64_MAX;
	a->tx_ev.fn = keystroke;
	return app_tcp_init(s, a);
}

static void ia_start(struct sim *s, struct app *a)
{
	struct interactive *k = a->priv;

	k->conn = app_tcp_connect(s, a, false);
	if (!k->conn)
		fprintf(stderr, "segsim: warning: flow %s: cannot connect\n", a->name);
}

static void ia_stop(struct sim *s, struct app *a)
{
	struct interactive *k = a->priv;

	/* No more typing (the core cancelled the next keystroke); close once
	 * the echoes are back - at once if the connection never opened. */
	if (k->conn && !TCPS_HAVEESTABLISHED(k->conn->state))
		client_close(s, a);
	else
		client_maybe_close(s, a);
}

static void ia_open(struct sim *s, struct app *a, struct tcb *t, int end)
{
	struct interactive *k = a->priv;

	if (end == APP_CLIENT) {
		if (t == k->conn && !typing_over(a, k))
			schedule_key(s, a);
		return;
	}
	k->owed = 0;
	k->srv_close = false;
}

static void ia_data(struct sim *s, struct app *a, struct tcb *t, int end, uint32_t bytes)
{
	struct interactive *k = a->priv;

	if (end == APP_CLIENT) {
		client_data(s, a, bytes);
	} else if (a->conf.echo && t == a->srv) {
		k->owed += bytes;
		server_write(s, a, t);
	}
}

static void ia_writable(struct sim *s, struct app *a, struct tcb *t, int end)
{
	struct interactive *k = a->priv;

	if (end == APP_CLIENT && t == k->conn) {
		client_write(s, a, t);
		client_maybe_close(s, a);
	} else if (end == APP_SERVER && t == a->srv) {
		server_write(s, a, t);
	}
}

static void ia_peer_closed(struct sim *s, struct app *a, struct tcb *t, int end)
{
	struct interactive *k = a->priv;

	if (end == APP_SERVER) {
		/* The client is done: echo what is left, then close. */
		if (t == a->srv && k->owed > 0)
			k->srv_close = true;
		else
			tcp_close(s, t);
		return;
	}
	if (t == k->conn)
		client_close(s, a);     /* the server hung up */
}

static void ia_closed(struct sim *s, struct app *a, struct tcb *t, int end, int reason)
{
	struct interactive *k = a->priv;

	(void)reason;
	if (end == APP_CLIENT && t == k->conn) {
		/* Reset or timed out: the session is over. */
		k->conn = NULL;
		event_cancel(s, &a->tx_ev);
	}
}

const struct app_ops interactive_app_ops = {
	.name = "interactive",
	.priv_size = sizeof(struct interactive),
	.tcp = true,
	.init = ia_init,
	.start = ia_start,
	.stop = ia_stop,
	.tcp_open = ia_open,
	.tcp_data = ia_data,
	.tcp_writable = ia_writable,
	.tcp_peer_closed = ia_peer_closed,
	.tcp_closed = ia_closed,
};
