/*
 * app.c - the application core: registry, lifecycle, receive bookkeeping.
 *
 * Every datagram carries its number and send time as metadata, so the
 * receiving end measures what a real UDP sink would from an RTP-like
 * header: one-way delay, loss (numbers never seen), duplicates, reordering
 * (a number below the highest seen) and interarrival jitter as RFC 3550
 * section 6.4.1 defines it.
 */
#include <stdlib.h>
#include <string.h>
#include <stdio.h>
#include "app.h"
#include "ip.h"
#include "node.h"
#include "rng.h"
#include "trace.h"

const struct app_ops *const app_registry[] = {
	&cbr_app_ops,
	&onoff_app_ops,
	&poisson_app_ops,
	&udp_reqresp_app_ops,
	&bulk_app_ops,
	&reqresp_app_ops,
	&interactive_app_ops,
	NULL,
};

const struct app_ops *app_find(const char *name)
{
	for (int i = 0; app_registry[i]; i++)
		if (strcmp(app_registry[i]->name, name) == 0)
			return app_registry[i];
	return NULL;
}

/* Mark seq as seen; true if it was already. */
static bool seen_test_set(struct app *a, uint32_t seq)
{
	if (seq >= a->seen_cap) {
		/* Rare: the first estimate of the datagram count was low. */
		uint32_t cap = a->seen_cap ? a->seen_cap : 1024;

		while (cap <= seq)
			cap = cap > UINT32_MAX / 2 ? UINT32_MAX : cap * 2;
		uint8_t *n = realloc(a->seen, cap / 8 + 1);
		if (!n)
			return false;
		memset(n + a->seen_cap / 8, 0, cap / 8 + 1 - a->seen_cap / 8);
		a->seen = n;
		a->seen_cap = cap;
	}
	uint8_t bit = (uint8_t)(1u << (seq & 7));
	bool was = a->seen[seq >> 3] & bit;
	a->seen[seq >> 3] |= bit;
	return was;
}

static void trace_row(struct sim *s, struct app *a, const struct packet *p, sim_time_t delay)
{
	char t[32], d[32];

	if (!a->trace)
		return;
	trace_fmt_time(t, s->now);
	trace_fmt_time(d, delay);
	fprintf(a->trace, "%s\t%u\t%s\t%u\n", t, p->app_seq, d, p->payload_len);
}

/* Datagram at the `to` end: the sink's measurements. */
static void server_recv(struct sim *s, struct udp_sock *u, const struct packet *p)
{
	struct app *a = u->owner;
	struct flow_stats *st = &a->st;
	sim_time_t transit = s->now - p->app_time;

	trace_row(s, a, p, transit);
	if (seen_test_set(a, p->app_seq)) {
		st->duplicates++;
		return;
	}
	st->pkts_recv++;
	st->bytes_recv += p->payload_len;
	st->delay_sum_s += sim_sec(transit);
	if (sim_sec(transit) > st->delay_max_s)
		st->delay_max_s = sim_sec(transit);
	if (!a->any_rx)
		st->first_rx = s->now;
	st->last_rx = s->now;
	if (a->any_rx && p->app_seq < a->max_seq_seen)
		st->reordered++;
	if (a->any_rx) {
		/* RFC 3550 6.4.1: J += (|D(i-1,i)| - J) / 16 */
		double dd = sim_sec(transit - a->last_transit);

		st->jitter_s += ((dd < 0 ? -dd : dd) - st->jitter_s) / 16.0;
	}
	a->last_transit = transit;
	if (!a->any_rx || p->app_seq > a->max_seq_seen)
		a->max_seq_seen = p->app_seq;
	a->any_rx = true;
	if (a->ops->on_server_recv)
		a->ops->on_server_recv(s, a, p);
}

static void client_recv(struct sim *s, struct udp_sock *u, const struct packet *p)
{
	struct app *a = u->owner;

	trace_row(s, a, p, s->now - p->app_time);
	if (a->ops->on_client_recv)
		a->ops->on_client_recv(s, a, p);
}

static void start_fire(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;

	a->running = true;
	a->ops->start(s, a);
}

static void stop_fire(struct sim *s, struct event *ev)
{
	struct app *a = ev->obj;

	a->running = false;
	event_cancel(s, &a->tx_ev);
	if (a->ops->stop)
		a->ops->stop(s, a);
}

gsl_rng *app_rng(struct app *a)
{
	if (!a->rng) {
		char rname[96];

		snprintf(rname, sizeof rname, "flow:%s", a->name);
		a->rng = rng_stream(a->rng_seed, rname);
	}
	return a->rng;
}

static struct app *app_alloc(struct sim *s, const struct app_conf *conf, uint16_t flow,
			     const char *name, struct node *src, struct node *dst,
			     uint16_t sport, uint16_t dport, sim_time_t start, sim_time_t stop,
			     FILE *trace)
{
	const struct app_ops *ops = app_find(conf->type);
	struct app *a;

	if (!ops) {
		fprintf(stderr, "segsim: error: unknown application '%s'\n", conf->type);
		return NULL;
	}
	a = calloc(1, sizeof *a);
	if (!a || !(a->priv = calloc(1, ops->priv_size ? ops->priv_size : 1))) {
		free(a);
		return NULL;
	}
	a->ops = ops;
	a->conf = *conf;
	a->flow = flow;
	a->name = name;
	a->src = src;
	a->dst = dst;
	a->sport = sport;
	a->dport = dport;
	a->start = start;
	a->stop = stop;
	a->trace = trace;
	a->rng_seed = s->seed;
	event_init(&a->start_ev, start_fire, a);
	event_init(&a->stop_ev, stop_fire, a);
	event_init(&a->tx_ev, NULL, a);
	return a;
}

/* Bind (UDP), let the variant set up, schedule start and stop. */
static struct app *app_finish(struct sim *s, struct app *a)
{
	const struct app_conf *conf = &a->conf;

	if (!a->ops->tcp) {
		/* Size the seen-bitmap for the datagrams the flow should send,
		 * so the receive path does not allocate. */
		if (conf->rate_bps && conf->size) {
			double n = sim_sec(a->stop - a->start) * (double)conf->rate_bps /
				   (8.0 * conf->size);
			a->seen_cap = n * 1.25 + 1024 < 1e9 ? (uint32_t)(n * 1.25 + 1024) : 1u << 30;
			a->seen = calloc(a->seen_cap / 8 + 1, 1);
		}
		if (udp_bind(s, a->src, &a->client, a->sport, client_recv, a) < 0 ||
		    udp_bind(s, a->dst, &a->server, a->dport, server_recv, a) < 0) {
			fprintf(stderr, "segsim: error: flow %s: port already in use\n", a->name);
			app_destroy(a);
			return NULL;
		}
	}
	if (a->ops->init(s, a) < 0) {
		app_destroy(a);
		return NULL;
	}
	event_schedule(s, &a->start_ev, a->start);
	event_schedule(s, &a->stop_ev, a->stop);
	return a;
}

struct app *app_create(struct sim *s, const struct app_conf *conf, uint16_t flow,
		       const char *name, struct node *src, struct node *dst,
		       uint16_t sport, uint16_t dport, sim_time_t start, sim_time_t stop,
		       FILE *trace)
{
	struct app *a = app_alloc(s, conf, flow, name, src, dst, sport, dport, start, stop, trace);

	return a ? app_finish(s, a) : NULL;
}

struct app *app_create_tcp(struct sim *s, const struct app_conf *conf, uint16_t flow,
			   const char *name, struct node *src, struct node *dst,
			   uint16_t sport, uint16_t dport, sim_time_t start, sim_time_t stop,
			   const struct tcp_conf tcp[2], FILE *trace_cli, FILE *trace_srv)
{
	struct app *a = app_alloc(s, conf, flow, name, src, dst, sport, dport, start, stop, NULL);

	if (!a)
		return NULL;
	a->tcp_conf[APP_CLIENT] = &tcp[APP_CLIENT];
	a->tcp_conf[APP_SERVER] = &tcp[APP_SERVER];
	a->tcp_trace[APP_CLIENT] = trace_cli;
	a->tcp_trace[APP_SERVER] = trace_srv;
	return app_finish(s, a);
}

void app_destroy(struct app *a)
{
	if (!a)
		return;
	if (a->ops->tcp)
		app_tcp_destroy(a);
	if (a->client.node)
		udp_unbind(&a->client);
	if (a->server.node)
		udp_unbind(&a->server);
	if (a->rng)
		gsl_rng_free(a->rng);
	free(a->seen);
	free(a->priv);
	free(a);
}

void app_send(struct sim *s, struct app *a, uint32_t len)
{
	struct udp_meta m = {
		.flow = a->flow,
		.app_seq = a->next_seq++,
		.payload_id = a->flow + 1u,
		.payload_off = a->tx_off,
	};

	a->tx_off += len;
	a->st.pkts_sent++;
	a->st.bytes_sent += len;
	udp_sendto(s, &a->client, a->dst->addr, a->dport, len, &m);
}

void app_send_reply(struct sim *s, struct app *a, uint32_t len, uint32_t seq)
{
	struct udp_meta m = {
		.flow = a->flow,
		.app_seq = seq,
		.payload_id = (a->flow + 1u) | 0x80000000u,   /* the reverse stream */
		.payload_off = (uint64_t)seq * len,
	};

	udp_sendto(s, &a->server, a->src->addr, a->sport, len, &m);
}

double app_goodput_bps(const struct app *a, sim_time_t now)
{
	sim_time_t end = now < a->stop ? now : a->stop;

	if (end <= a->start)
		return 0.0;
	return (double)a->st.bytes_recv * 8.0 / sim_sec(end - a->start);
}
