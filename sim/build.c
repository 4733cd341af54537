/*
 * build.c - instantiate a scenario (see build.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "build.h"
#include "app.h"
#include "ip.h"
#include "link.h"
#include "node.h"
#include "pcap.h"
#include "queue.h"
#include "rng.h"
#include "route.h"
#include "summary.h"

/* Link event from the scenario's `events:` list. */
static void link_event_fire(struct sim *s, struct event *ev)
{
	const struct scn_event *e = ev->obj;
	struct link *l = s->links[e->link];

	if (e->set_bandwidth)
		link_set_bandwidth(s, l, e->bandwidth_bps);
	if (e->set_delay)
		link_set_delay(s, l, e->delay);
	if (e->set_up)
		link_set_up(s, l, e->up);
}

static int make_dir(const char *path)
{
	if (mkdir(path, 0777) < 0 && errno != EEXIST) {
		fprintf(stderr, "segsim: error: cannot create %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

static int open_queue_trace(struct run *r, struct queue *q, const struct queue_conf *c)
{
	char rel[128];

	snprintf(rel, sizeof rel, "queues/%s.tsv", q->name);
	q->trace = trace_open(r->outdir, rel, "time len_pkts len_bytes avg_pkts");
	if (!q->trace)
		return -1;
	/* The discipline's parameters, for plots (gnuplot skips # lines). */
	fprintf(q->trace, "# queue %s type=%s limit_pkts=%u limit_bytes=%llu",
		q->name, q->ops->name, c->limit_pkts, (unsigned long long)c->limit_bytes);
	if (strcmp(q->ops->name, "red") == 0)
		fprintf(q->trace, " min_th=%g max_th=%g max_p=%g wq=%g gentle=%d ecn=%d mode=%s",
			c->min_th, c->max_th, c->max_p, c->wq, c->gentle, c->ecn,
			c->byte_mode ? "bytes" : "packets");
	fputc('\n', q->trace);
	return 0;
}

static int build_links(struct run *r)
{
	struct sim *s = &r->sim;
	const struct scenario *sc = r->sc;

	for (int i = 0; i < sc->n_links; i++) {
		const struct scn_link *sl = &sc->links[i];
		struct link *l = link_create(s, s->nodes[sl->a], s->nodes[sl->b],
					     sl->bandwidth_bps, sl->delay);
		if (!l)
			return -1;
		snprintf(l->name, sizeof l->name, "%s", sl->name);
		s->links[s->n_links++] = l;
		for (int k = 0; k < 2; k++) {
			struct link_dir *d = &l->dir[k];
			char rname[96];

			snprintf(rname, sizeof rname, "queue:%s", d->name);
			d->q = queue_create(&sl->dir[k].queue, d->name, sl->bandwidth_bps,
					    rng_stream(s->seed, rname));
			if (!d->q)
				return -1;
			if (faults_active(&sl->dir[k].faults)) {
				snprintf(rname, sizeof rname, "link:%s", d->name);
				faults_init(&d->faults, &sl->dir[k].faults, rng_stream(s->seed, rname));
				d->has_faults = true;
			}
			if (node_add_if(d->from, d) < 0)
				return -1;
			if (r->outdir && sc->trace.queues[i * 2 + k] &&
			    open_queue_trace(r, d->q, &sl->dir[k].queue) < 0)
				return -1;
		}
	}
	return 0;
}

static int build_flows(struct run *r)
{
	struct sim *s = &r->sim;
	const struct scenario *sc = r->sc;

	for (int i = 0; i < sc->n_flows; i++) {
		const struct scn_flow *f = &sc->flows[i];
		FILE *tr = NULL;

		if (r->outdir && sc->trace.flows[i]) {
			char rel[64];

			snprintf(rel, sizeof rel, "udp/%s.tsv", f->name);
			tr = r->flow_traces[i] = trace_open(r->outdir, rel, "time seq delay_s len");
			if (!tr)
				return -1;
		}
		r->apps[i] = app_create(s, &f->app, (uint16_t)i, f->name, s->nodes[f->from],
					s->nodes[f->to], f->sport, f->dport, f->start, f->stop, tr);
		if (!r->apps[i])
			return -1;
	}
	return 0;
}

static int open_outputs(struct run *r)
{
	const struct scenario *sc = r->sc;
	struct sim *s = &r->sim;
	char path[4096];

	if (make_dir(r->outdir) < 0)
		return -1;
	if (sc->trace.packets) {
		r->trace.packets = trace_open(r->outdir, "packets.tsv",
					      "time event node link flow seq ack len flags");
		if (!r->trace.packets)
			return -1;
	}
	s->trace = &r->trace;
	for (int i = 0; i < sc->n_nodes; i++) {
		if (!sc->trace.pcap[i])
			continue;
		snprintf(path, sizeof path, "%s/pcap", r->outdir);
		if (make_dir(path) < 0)
			return -1;
		snprintf(path, sizeof path, "%s/pcap/%s.pcap", r->outdir, sc->nodes[i].name);
		if (!(s->nodes[i]->pcap = pcap_open(path, sc->trace.snaplen)))
			return -1;
	}
	return 0;
}

int build_run(struct run *r, const struct scenario *sc, const char *outdir)
{
	struct sim *s = &r->sim;

	memset(r, 0, sizeof *r);
	r->sc = sc;
	r->outdir = outdir;
	s->seed = sc->seed;
	s->stop_time = sc->duration;
	event_queue_init(&s->eq);

	s->nodes = calloc((size_t)sc->n_nodes + 1, sizeof *s->nodes);
	s->links = calloc((size_t)sc->n_links + 1, sizeof *s->links);
	r->apps = calloc((size_t)sc->n_flows + 1, sizeof *r->apps);
	r->flow_names = calloc((size_t)sc->n_flows + 1, sizeof *r->flow_names);
	r->flow_traces = calloc((size_t)sc->n_flows + 1, sizeof *r->flow_traces);
	s->addrs = addr_map_create(sc->n_nodes);
	if (!s->nodes || !s->links || !r->apps || !r->flow_names || !r->flow_traces || !s->addrs)
		goto fail;

	for (int i = 0; i < sc->n_flows; i++)
		r->flow_names[i] = sc->flows[i].name;
	s->flow_names = r->flow_names;
	s->n_flows = sc->n_flows;

	for (int i = 0; i < sc->n_nodes; i++) {
		struct node *n = node_create(s, sc->nodes[i].name, sc->nodes[i].addr);

		if (!n)
			goto fail;
		n->proc_delay = sc->nodes[i].proc_delay;
		s->nodes[s->n_nodes++] = n;
		if (addr_map_put(s->addrs, n->addr, n->id) < 0 || ip_attach(s, n) < 0)
			goto fail;
	}
	if (outdir && open_outputs(r) < 0)
		goto fail;
	if (build_links(r) < 0)
		goto fail;
	route_compute(s);
	if (build_flows(r) < 0)
		goto fail;
	for (int i = 0; i < sc->n_events; i++)
		event_at(s, sc->events[i].at, link_event_fire, &sc->events[i], 0);
	return 0;
fail:
	run_free(r);
	return -1;
}

/* Per-flow record for the summary. */
static void flow_record(const struct run *r, int i, struct summary_flow *fl)
{
	const struct scn_flow *f = &r->sc->flows[i];
	const struct app *a = r->apps[i];
	const struct flow_stats *st = &a->st;
	uint64_t lost = st->pkts_sent > st->pkts_recv ? st->pkts_sent - st->pkts_recv : 0;
	bool rr = strcmp(f->app.type, "udp-reqresp") == 0;

	memset(fl, 0, sizeof *fl);
	fl->name = f->name;
	fl->proto = "udp";
	fl->app = f->app.type;
	fl->from = r->sc->nodes[f->from].name;
	fl->to = r->sc->nodes[f->to].name;
	fl->bytes_sent = st->bytes_sent;
	fl->bytes_delivered = st->bytes_recv;
	fl->goodput_bps = app_goodput_bps(a, r->sim.now);
	/* udp-reqresp resends queries: they are its retransmissions. */
	fl->retransmits = st->retries;
	fl->timeouts = rr ? st->retries + st->failures : 0;
	fl->extra_name = "udp";
	summary_kv_int(fl->extra, &fl->n_extra, "packets_sent", st->pkts_sent);
	summary_kv_int(fl->extra, &fl->n_extra, "packets_received", st->pkts_recv);
	summary_kv_int(fl->extra, &fl->n_extra, "lost", lost);
	summary_kv_real(fl->extra, &fl->n_extra, "loss_rate",
			st->pkts_sent ? (double)lost / (double)st->pkts_sent : 0.0);
	summary_kv_int(fl->extra, &fl->n_extra, "duplicates", st->duplicates);
	summary_kv_int(fl->extra, &fl->n_extra, "reordered", st->reordered);
	summary_kv_real(fl->extra, &fl->n_extra, "mean_delay_s",
			st->pkts_recv ? st->delay_sum_s / (double)st->pkts_recv : 0.0);
	summary_kv_real(fl->extra, &fl->n_extra, "max_delay_s", st->delay_max_s);
	summary_kv_real(fl->extra, &fl->n_extra, "jitter_s", st->jitter_s);
	if (rr) {
		summary_kv_int(fl->extra, &fl->n_extra, "queries", st->queries);
		summary_kv_int(fl->extra, &fl->n_extra, "answers", st->answers);
		summary_kv_int(fl->extra, &fl->n_extra, "retries", st->retries);
		summary_kv_int(fl->extra, &fl->n_extra, "failures", st->failures);
		summary_kv_real(fl->extra, &fl->n_extra, "mean_rtt_s",
				st->answers ? st->rtt_sum_s / (double)st->answers : 0.0);
	}
}

int run_finish(struct run *r, FILE *out)
{
	struct sim *s = &r->sim;
	const struct scenario *sc = r->sc;
	struct summary_flow *flows = calloc((size_t)sc->n_flows + 1, sizeof *flows);
	struct summary_node *nodes = calloc((size_t)s->n_nodes + 1, sizeof *nodes);
	struct summary sm = {
		.scenario = sc->name, .seed = sc->seed, .duration = s->now,
		.flows = flows, .n_flows = sc->n_flows, .nodes = nodes,
	};
	int rc = 0;

	if (!flows || !nodes) {
		free(flows);
		free(nodes);
		return -1;
	}
	for (int i = 0; i < sc->n_flows; i++)
		flow_record(r, i, &flows[i]);
	for (int i = 0; i < s->n_nodes; i++) {
		const struct ip_stack *st = ip_stack_of(s->nodes[i]);

		summary_kv_int(nodes[i].kv, &nodes[i].n, "delivered", st->rx_delivered);
		summary_kv_int(nodes[i].kv, &nodes[i].n, "udp_bad_checksum", st->udp_bad_csum);
		summary_kv_int(nodes[i].kv, &nodes[i].n, "udp_no_port", st->udp_no_port);
	}
	for (int i = 0; i < s->n_links; i++)
		for (int k = 0; k < 2; k++)
			queue_finish(s->links[i]->dir[k].q, s->now);
	if (r->outdir)
		rc = summary_write_json(s, &sm, r->outdir);
	if (out)
		summary_print(out, s, &sm);
	if (r->log)
		summary_print(r->log, s, &sm);
	free(flows);
	free(nodes);
	return rc;
}

void run_free(struct run *r)
{
	struct sim *s = &r->sim;

	for (int i = 0; r->apps && i < r->sc->n_flows; i++) {
		app_destroy(r->apps[i]);
		if (r->flow_traces)
			trace_close(r->flow_traces[i]);
	}
	for (int i = 0; i < s->n_links; i++) {
		for (int k = 0; k < 2; k++) {
			struct link_dir *d = &s->links[i]->dir[k];

			if (d->q) {
				trace_close(d->q->trace);
				d->q->trace = NULL;
				if (d->q->rng)
					gsl_rng_free(d->q->rng);
			}
			if (d->faults.rng)
				gsl_rng_free(d->faults.rng);
			if (d->tx)
				pkt_free(s, d->tx);
		}
		link_destroy(s->links[i]);
	}
	for (int i = 0; i < s->n_nodes; i++) {
		if (s->nodes[i]->pcap)
			pcap_close(s->nodes[i]->pcap);
		ip_detach(s->nodes[i]);
		node_destroy(s->nodes[i]);
	}
	trace_close(r->trace.packets);
	if (r->log)
		fclose(r->log);
	addr_map_destroy(s->addrs);
	event_queue_free(&s->eq);
	event_pool_free(&s->evpool);
	pkt_pool_free(&s->pool);
	free(s->nodes);
	free(s->links);
	free(r->apps);
	free(r->flow_names);
	free(r->flow_traces);
	memset(r, 0, sizeof *r);
}
