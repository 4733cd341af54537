/*
 * app_udp_reqresp.c - DNS-like query and answer over UDP.
 *
 * The client sends a query of `size` bytes and waits for an answer of
 * `response` bytes.  Without an answer within `timeout` it sends the query
 * again (a new datagram), up to `retries` times, then counts a failure and
 * moves on - as a stub resolver does (RFC 1035 section 4.2.1, RFC 1123
 * section 6.1.3.3).  After an answer or a failure it waits `interval`
 * before the next query.  The server answers every query it receives.
 */
#include "app.h"

struct reqresp {
	uint32_t first_seq;     /* first datagram number of this query */
	uint32_t tries;         /* datagrams sent for this query */
	sim_time_t asked;       /* first send of this query */
	bool waiting;
	struct event timer;
};

static void send_query(struct sim *s, struct app *a)
{
	struct reqresp *r = a->priv;

	if (r->tries == 0) {
		r->first_seq = a->next_seq;
		r->asked = s->now;
		a->st.queries++;
	} else {
		a->st.retries++;
	}
	r->tries++;
	r->waiting = true;
	app_send(s, a, a->conf.size);
	event_schedule(s, &r->timer, s->now + a->conf.timeout);
}

/* tx_ev: time for the next query. */
static void next_query(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;
	struct reqresp *r = a->priv;

	if (!a->running || (a->conf.count && a->st.queries >= a->conf.count))
		return;
	r->tries = 0;
	send_query(s, a);
}

static void timeout_fire(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;
	struct reqresp *r = a->priv;

	if (!r->waiting)
		return;
	if (r->tries <= a->conf.retries && a->running) {
		send_query(s, a);
		return;
	}
	r->waiting = false;
	a->st.failures++;
	if (a->running)
		event_schedule(s, &a->tx_ev, s->now + a->conf.interval);
}

static void server_recv(struct sim *s, struct app *a, const struct packet *p)
{
	app_send_reply(s, a, a->conf.response, p->app_seq);
}

static void client_recv(struct sim *s, struct app *a, const struct packet *p)
{
	struct reqresp *r = a->priv;

	/* Only an answer to a datagram of the current query counts; a late
	 * answer to an abandoned query is ignored, like a mismatched DNS id. */
	if (!r->waiting || p->app_seq < r->first_seq || p->app_seq >= a->next_seq)
		return;
	r->waiting = false;
	event_cancel(s, &r->timer);
	a->st.answers++;
	a->st.rtt_sum_s += sim_sec(s->now - r->asked);
	if (a->running)
		event_schedule(s, &a->tx_ev, s->now + a->conf.interval);
}

static int reqresp_init(struct sim *s, struct app *a)
{
	struct reqresp *r = a->priv;

	(void)s;
	a->tx_ev.fn = next_query;
	event_init(&r->timer, timeout_fire, a);
	return 0;
}

static void reqresp_start(struct sim *s, struct app *a)
{
	next_query(s, &a->tx_ev);
}

static void reqresp_stop(struct sim *s, struct app *a)
{
	struct reqresp *r = a->priv;

	event_cancel(s, &r->timer);
	r->waiting = false;
}

const struct app_ops udp_reqresp_app_ops = {
	.name = "udp-reqresp",
	.priv_size = sizeof(struct reqresp),
	.init = reqresp_init,
	.start = reqresp_start,
	.stop = reqresp_stop,
	.on_server_recv = server_recv,
	.on_client_recv = client_recv,
};
