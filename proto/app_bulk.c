/*
 * app_bulk.c - bulk transfer: the client sends `bytes` (or without end),
 * as fast as the send buffer takes them or at `write_rate`, then closes;
 * the server reads (at its pace) and closes when the client has.
 */
#include "app.h"

struct bulk {
	uint64_t left;          /* bytes still to write; UINT64_MAX: unlimited */
	bool closed;
};

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
	if (a->conf.close_when_done) {
		b->closed = true;
		tcp_close(s, t);
	}
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
		if (a->conf.close_when_done) {
			b->closed = true;
			tcp_close(s, t);
		}
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
}

static void bulk_open(struct sim *s, struct app *a, struct tcb *t, int end)
{
	if (end == APP_CLIENT)
		bulk_fill(s, a, t);
}

static void bulk_writable(struct sim *s, struct app *a, struct tcb *t, int end)
{
	if (end == APP_CLIENT && !a->conf.write_rate_bps)
		bulk_fill(s, a, t);
}

static void bulk_stop(struct sim *s, struct app *a)
{
	struct bulk *b = a->priv;

	/* The flow's stop time: no more writing; what is queued still goes,
	 * then the connection closes. */
	if (a->cli && !b->closed) {
		b->closed = true;
		tcp_close(s, a->cli);
	}
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
};
