/*
 * app_bulk.c - bulk transfer: the client sends `bytes` (or without end),
 * as fast as the send buffer takes them or at `write_rate`, then closes;
 * the server reads (at its pace) and closes when the client has.
 *
 * Connection-management variants, for the classic experiments:
 *   listen: false          nobody listens: the SYN draws a reset
 *   open: simultaneous     both ends open actively at the same instant
 *   server_close: at_stop  the server closes at the flow's stop time (with
 *                          close: false on the client too: simultaneous
 *                          close); never: it does not close at all (the
 *                          client waits in FIN-WAIT-2 for its timer)
 *   close: abort           abortive release (SO_LINGER 0): after its data
 *                          the client resets the connection; what was not
 *                          yet sent is lost
 *   reply: SIZE            half-close, as `rsh host sort < file`: the client
 *                          shuts down its sending side after its data, the
 *                          server answers with SIZE bytes once it has read
 *                          everything, then closes; the client closes when it
 *                          has the answer
 */
#include "app.h"

struct bulk {
	uint64_t left;          /* bytes still to write; UINT64_MAX: unlimited */
	uint64_t reply_left;    /* server: answer bytes still to write */
	bool closed;            /* the client end was closed or shut down */
	bool replying;
};

/* The client is done writing: close, or only shut down when an answer is
 * expected (half-close). */
static void client_done(struct sim *s, struct app *a, struct tcb *t)
{
	struct bulk *b = a->priv;

	b->closed = true;
	if (a->conf.close_abort)
		tcp_abort(s, t);        /* SO_LINGER 0: RST, unsent data dropped */
	else if (a->conf.reply)
		tcp_shutdown(s, t);
	else
		tcp_close(s, t);
}

static void bulk_fill(struct sim *s, struct app *a, struct tcb *t)
{
	struct bulk *b = a->priv;

	if (b->closed || !a->running)
		return;
	if (a->conf.write_rate_bps) {
		/* Paced writer: tx_ev writes write_size per tick. */
		if (!event_pending(&a->tx_ev))
			event_schedule(s, &a->tx_ev, s->now);
		return;
	}
	while (b->left > 0) {
		uint32_t want = b->left > UINT32_MAX ? UINT32_MAX : (uint32_t)b->left;
		uint32_t n;

		if (a->conf.write_size && want > a->conf.write_size)
			want = a->conf.write_size;
		n = app_tcp_write(s, a, t, APP_CLIENT, want, b->left <= want);
		if (t->state == TCPS_CLOSED)
			return;
		if (b->left != UINT64_MAX)
			b->left -= n;
		if (n < want)
			return;         /* buffer full: wait for writable */
	}
	if (a->conf.close_when_done)
		client_done(s, a, t);
}

static void reply_fill(struct sim *s, struct app *a, struct tcb *t)
{
	struct bulk *b = a->priv;

	while (b->reply_left > 0) {
		uint32_t want = b->reply_left > UINT32_MAX ? UINT32_MAX : (uint32_t)b->reply_left;
		uint32_t n = app_tcp_write(s, a, t, APP_SERVER, want, true);

		b->reply_left -= n;
		if (n < want || t->state == TCPS_CLOSED)
			return;
	}
	tcp_close(s, t);
}

static void bulk_tick(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;
	struct bulk *b = a->priv;
	struct tcb *t = a->cli;
	uint32_t size = a->conf.write_size ? a->conf.write_size : 1460;

	if (!t || !TCPS_HAVEESTABLISHED(t->state) || b->closed || !a->running)
		return;
	if (b->left != UINT64_MAX && b->left < size)
		size = (uint32_t)b->left;
	if (size && app_tcp_write(s, a, t, APP_CLIENT, size, true) == size && b->left != UINT64_MAX)
		b->left -= size;
	if (b->left == 0) {
		if (a->conf.close_when_done)
			client_done(s, a, t);
		return;
	}
	event_schedule(s, ev, s->now + (sim_time_t)((uint64_t)size * 8u * (uint64_t)SIM_S /
						   a->conf.write_rate_bps));
}

static int bulk_init(struct sim *s, struct app *a)
{
	struct bulk *b = a->priv;

	b->left = a->conf.bytes ? a->conf.bytes : UINT64_MAX;
	a->tx_ev.fn = bulk_tick;
	return app_tcp_init(s, a);
}

static void bulk_start(struct sim *s, struct app *a)
{
	app_tcp_connect(s, a, false);
	if (a->conf.simultaneous)
		app_tcp_connect_back(s, a);
}

static void bulk_open(struct sim *s, struct app *a, struct tcb *t, int end)
{
	if (end == APP_CLIENT)
		bulk_fill(s, a, t);
}

static void bulk_writable(struct sim *s, struct app *a, struct tcb *t, int end)
{
	struct bulk *b = a->priv;

	if (end == APP_CLIENT && !a->conf.write_rate_bps)
		bulk_fill(s, a, t);
	else if (end == APP_SERVER && b->replying)
		reply_fill(s, a, t);
}

static void bulk_peer_closed(struct sim *s, struct app *a, struct tcb *t, int end)
{
	struct bulk *b = a->priv;

	if (end == APP_CLIENT) {
		tcp_close(s, t);        /* the answer (if any) is complete */
		return;
	}
	if (a->conf.reply && !b->replying) {
		/* EOF on the request: now the answer (sort prints only after
		 * reading all its input). */
		b->replying = true;
		b->reply_left = a->conf.reply;
		reply_fill(s, a, t);
		return;
	}
	if (a->conf.server_close == SERVER_CLOSE_ON_EOF)
		tcp_close(s, t);
}

static void bulk_stop(struct sim *s, struct app *a)
{
	struct bulk *b = a->priv;

	/* The flow's stop time: no more writing; what is queued still goes,
	 * then the connection closes. */
	if (a->cli && !b->closed && a->conf.close_when_done) {
		client_done(s, a, a->cli);
	} else if (a->cli && !b->closed && a->conf.server_close == SERVER_CLOSE_AT_STOP) {
		b->closed = true;
		tcp_close(s, a->cli);
	}
	if (a->srv && a->conf.server_close == SERVER_CLOSE_AT_STOP)
		tcp_close(s, a->srv);
}

const struct app_ops bulk_app_ops = {
	.name = "bulk",
	.priv_size = sizeof(struct bulk),
	.tcp = true,
	.init = bulk_init,
	.start = bulk_start,
	.stop = bulk_stop,
	.tcp_open = bulk_open,
	.tcp_writable = bulk_writable,
	.tcp_peer_closed = bulk_peer_closed,
};
