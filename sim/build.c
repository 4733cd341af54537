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
#include "tcp.h"

/* Link or node event from the scenario's `events:` list. */
static void link_event_fire(struct sim *s, struct event *ev)
{
	const struct scn_event *e = ev->obj;
	struct link *l;

	if (e->node >= 0) {
		if (e->crash)
			tcp_node_crash(s, s->nodes[e->node]);
		return;
	}
	l = s->links[e->link];

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
			/* A stream only for a discipline that draws (RED): an
			 * mt19937 state is 5 KB, and big runs have thousands
			 * of drop-tail queues. */
			const struct queue_ops *qo = queue_find(sl->dir[k].queue.type);

			d->q = queue_create(&sl->dir[k].queue, d->name, sl->bandwidth_bps,
					    qo && qo->random ? rng_stream(s->seed, rname) : NULL);
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

static const char *const tcp_trace_header =
	"time cwnd ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight state cstate";

static int build_flows(struct run *r)
{
	struct sim *s = &r->sim;
	const struct scenario *sc = r->sc;

	for (int i = 0; i < sc->n_flows; i++) {
		const struct scn_flow *f = &sc->flows[i];
		bool traced = r->outdir && sc->trace.flows[i];
		char rel[96];

		if (f->proto == SCN_TCP) {
			FILE *tc = NULL, *ts = NULL;

			if (traced) {
				snprintf(rel, sizeof rel, "flows/%s.tsv", f->name);
				tc = r->flow_traces[i] = trace_open(r->outdir, rel, tcp_trace_header);
				if (!tc)
					return -1;
				if (sc->trace.tcp_server) {
					snprintf(rel, sizeof rel, "flows/%s.server.tsv", f->name);
					ts = r->server_traces[i] =
						trace_open(r->outdir, rel, tcp_trace_header);
					if (!ts)
						return -1;
				}
			}
			r->apps[i] = app_create_tcp(s, &f->app, (uint16_t)i, f->name,
						    s->nodes[f->from], s->nodes[f->to], f->sport,
						    f->dport, f->start, f->stop, f->tcp, tc, ts);
		} else {
			FILE *tr = NULL;

			if (traced) {
				snprintf(rel, sizeof rel, "udp/%s.tsv", f->name);
				tr = r->flow_traces[i] = trace_open(r->outdir, rel,
								    "time seq delay_s len");
				if (!tr)
					return -1;
			}
			r->apps[i] = app_create(s, &f->app, (uint16_t)i, f->name,
						s->nodes[f->from], s->nodes[f->to], f->sport,
						f->dport, f->start, f->stop, tr);
		}
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
	r->server_traces = calloc((size_t)sc->n_flows + 1, sizeof *r->server_traces);
	s->addrs = addr_map_create(sc->n_nodes);
	if (!s->nodes || !s->links || !r->apps || !r->flow_names || !r->flow_traces || !r->server_traces ||
	    !s->addrs)
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

/* "ok", or where the delivered stream first differed from the sent one. */
static const char *integrity_of(const struct app *a, char *buf, size_t len)
{
	uint64_t bad = app_tcp_integrity(a);

	if (bad != UINT64_MAX) {
		snprintf(buf, len, "differs at byte %llu", (unsigned long long)bad);
		return buf;
	}
	if (a->tcp_read_bytes[APP_SERVER] > a->tcp_written[APP_CLIENT] ||
	    a->tcp_read_bytes[APP_CLIENT] > a->tcp_written[APP_SERVER]) {
		snprintf(buf, len, "more delivered than sent");
		return buf;
	}
	return "ok";
}

static void tcp_flow_record(const struct run *r, int i, struct summary_flow *fl, char *ibuf,
			    size_t ilen)
{
	const struct scn_flow *f = &r->sc->flows[i];
	const struct app *a = r->apps[i];
	struct tcp_stats st[2];
	/* Goodput: bytes read over the flow's time - up to the last byte read
	 * once the client has finished and closed (a finished transfer is not
	 * diluted by the rest of the run), else up to the end of the run or
	 * the flow's stop (a transfer still going, or stuck in timeouts,
	 * is not flattered by its last lucky read). */
	int cs = a->cli ? (int)a->cli->state : a->cli_state;
	bool finished = cs == TCPS_FIN_WAIT_1 || cs == TCPS_FIN_WAIT_2 ||
			cs == TCPS_CLOSING || cs == TCPS_TIME_WAIT || cs == TCPS_LAST_ACK ||
			(cs == TCPS_CLOSED && a->connections > 0 &&
			 (a->close_reason == TCP_CLOSED_NORMAL ||
			  a->close_reason == TCP_CLOSED_FIN_WAIT2));
	sim_time_t end = finished ? a->last_read :
			 r->sim.now < f->stop ? r->sim.now : f->stop;

	app_tcp_totals(a, st);
	fl->proto = "tcp";
	/* Payload sent for the first time, by both ends; delivered: read by
	 * the applications at both ends. */
	fl->bytes_sent = st[0].bytes_out - st[0].bytes_retransmitted +
			 st[1].bytes_out - st[1].bytes_retransmitted;
	fl->bytes_delivered = a->tcp_read_bytes[APP_SERVER] + a->tcp_read_bytes[APP_CLIENT];
	fl->goodput_bps = end > f->start ? (double)fl->bytes_delivered * 8.0 / sim_sec(end - f->start)
					 : 0.0;
	fl->retransmits = st[0].retransmits + st[1].retransmits;
	fl->timeouts = st[0].timeouts + st[1].timeouts;
	fl->fast_retransmits = st[0].fast_retransmits + st[1].fast_retransmits;
	fl->final_state = tcp_state_names[a->cli ? (int)a->cli->state : a->cli_state];
	fl->integrity = integrity_of(a, ibuf, ilen);
	fl->extra_name = "tcp";
	summary_kv_int(fl->extra, &fl->n_extra, "connections", a->connections);
	summary_kv_int(fl->extra, &fl->n_extra, "failed_connections", a->conn_failed);
	summary_kv_int(fl->extra, &fl->n_extra, "client_written", a->tcp_written[APP_CLIENT]);
	summary_kv_int(fl->extra, &fl->n_extra, "server_read", a->tcp_read_bytes[APP_SERVER]);
	summary_kv_int(fl->extra, &fl->n_extra, "server_written", a->tcp_written[APP_SERVER]);
	summary_kv_int(fl->extra, &fl->n_extra, "client_read", a->tcp_read_bytes[APP_CLIENT]);
	summary_kv_int(fl->extra, &fl->n_extra, "segments_sent", st[0].segs_out + st[1].segs_out);
	summary_kv_int(fl->extra, &fl->n_extra, "control_segments_sent", st[0].ctl_out + st[1].ctl_out);
	summary_kv_int(fl->extra, &fl->n_extra, "syn_retransmits",
		       st[0].syn_retransmits + st[1].syn_retransmits);
	summary_kv_int(fl->extra, &fl->n_extra, "dupacks_received", st[0].dupacks_in + st[1].dupacks_in);
	summary_kv_int(fl->extra, &fl->n_extra, "window_probes", st[0].window_probes + st[1].window_probes);
	summary_kv_int(fl->extra, &fl->n_extra, "zero_windows", st[0].zero_windows + st[1].zero_windows);
	summary_kv_int(fl->extra, &fl->n_extra, "keepalive_probes",
		       st[0].keepalive_probes + st[1].keepalive_probes);
	summary_kv_int(fl->extra, &fl->n_extra, "challenge_acks",
		       st[0].challenge_acks + st[1].challenge_acks);
	summary_kv_int(fl->extra, &fl->n_extra, "resets_received", st[0].rst_in + st[1].rst_in);
	summary_kv_int(fl->extra, &fl->n_extra, "out_of_order_segments", st[0].ooo_segs + st[1].ooo_segs);
	summary_kv_int(fl->extra, &fl->n_extra, "duplicate_segments", st[0].dup_segs + st[1].dup_segs);
	summary_kv_int(fl->extra, &fl->n_extra, "gbn_discards", st[0].gbn_discards + st[1].gbn_discards);
	summary_kv_int(fl->extra, &fl->n_extra, "paws_drops", st[0].paws_drops + st[1].paws_drops);
	summary_kv_int(fl->extra, &fl->n_extra, "rtt_samples", st[0].rtt_samples + st[1].rtt_samples);
	summary_kv_int(fl->extra, &fl->n_extra, "urgent_notices", a->urgent_seen);
	summary_kv_int(fl->extra, &fl->n_extra, "limited_transmits",
		       st[0].limited_transmits + st[1].limited_transmits);
	summary_kv_int(fl->extra, &fl->n_extra, "sack_recoveries",
		       st[0].sack_recoveries + st[1].sack_recoveries);
	summary_kv_int(fl->extra, &fl->n_extra, "ecn_ce_received", st[0].ce_received + st[1].ce_received);
	summary_kv_int(fl->extra, &fl->n_extra, "ecn_echoes_acted_on",
		       st[0].ece_received + st[1].ece_received);
	summary_kv_int(fl->extra, &fl->n_extra, "ecn_cwr_sent", st[0].cwr_sent + st[1].cwr_sent);
	if (f->tcp[0].cwv == TCP_CWV_RFC7661 || f->tcp[1].cwv == TCP_CWV_RFC7661) {
		summary_kv_int(fl->extra, &fl->n_extra, "cwv_nvp_entries",
			       st[0].cwv_nvp_entries + st[1].cwv_nvp_entries);
		summary_kv_int(fl->extra, &fl->n_extra, "cwv_reductions",
			       st[0].cwv_reductions + st[1].cwv_reductions);
		summary_kv_int(fl->extra, &fl->n_extra, "cwv_loss_cuts",
			       st[0].cwv_loss_cuts + st[1].cwv_loss_cuts);
	}
	if (a->st.queries) {
		/* reqresp: objects; interactive: keystrokes and their echoes */
		bool keys = strcmp(f->app.type, "interactive") == 0;

		summary_kv_int(fl->extra, &fl->n_extra, keys ? "keystrokes" : "objects_requested",
			       a->st.queries);
		summary_kv_int(fl->extra, &fl->n_extra, keys ? "echoes" : "objects_completed",
			       a->st.answers);
		summary_kv_real(fl->extra, &fl->n_extra, keys ? "mean_echo_s" : "mean_object_s",
				a->st.answers ? a->st.rtt_sum_s / (double)a->st.answers : 0.0);
		/* From the flow's start to the last byte read: the whole
		 * exchange (what pipelining shortens). */
		summary_kv_real(fl->extra, &fl->n_extra, "last_byte_s",
				a->last_read > f->start ? sim_sec(a->last_read - f->start) : 0.0);
	}
	if (a->cli && a->cli->state != TCPS_CLOSED) {
		summary_kv_int(fl->extra, &fl->n_extra, "cwnd", a->cli->ccv.cwnd);
		summary_kv_real(fl->extra, &fl->n_extra, "srtt_s", sim_sec(a->cli->rtt.srtt));
	}
}

/* Per-flow record for the summary. */
static void flow_record(const struct run *r, int i, struct summary_flow *fl, char *ibuf,
			size_t ilen)
{
	const struct scn_flow *f = &r->sc->flows[i];
	const struct app *a = r->apps[i];
	const struct flow_stats *st = &a->st;
	uint64_t lost = st->pkts_sent > st->pkts_recv ? st->pkts_sent - st->pkts_recv : 0;
	bool rr = strcmp(f->app.type, "udp-reqresp") == 0;

	memset(fl, 0, sizeof *fl);
	fl->name = f->name;
	fl->app = f->app.type;
	fl->from = r->sc->nodes[f->from].name;
	fl->to = r->sc->nodes[f->to].name;
	if (f->proto == SCN_TCP) {
		tcp_flow_record(r, i, fl, ibuf, ilen);
		return;
	}
	fl->proto = "udp";
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
	char (*ibuf)[64] = calloc((size_t)sc->n_flows + 1, sizeof *ibuf);

	for (int i = 0; ibuf && i < sc->n_flows; i++)
		flow_record(r, i, &flows[i], ibuf[i], sizeof ibuf[i]);
	for (int i = 0; i < s->n_nodes; i++) {
		const struct ip_stack *st = ip_stack_of(s->nodes[i]);

		summary_kv_int(nodes[i].kv, &nodes[i].n, "delivered", st->rx_delivered);
		summary_kv_int(nodes[i].kv, &nodes[i].n, "udp_bad_checksum", st->udp_bad_csum);
		summary_kv_int(nodes[i].kv, &nodes[i].n, "udp_no_port", st->udp_no_port);
		if (st->tcp) {
			summary_kv_int(nodes[i].kv, &nodes[i].n, "tcp_bad_checksum", st->tcp->bad_csum);
			summary_kv_int(nodes[i].kv, &nodes[i].n, "tcp_no_socket", st->tcp->no_socket);
			summary_kv_int(nodes[i].kv, &nodes[i].n, "tcp_resets_sent", st->tcp->rst_out);
		}
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
	free(ibuf);
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
		if (r->server_traces)
			trace_close(r->server_traces[i]);
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
	free(r->server_traces);
	memset(r, 0, sizeof *r);
}

bool run_flow_is_tcp(const struct run *r, int flow)
{
	return r->apps && r->apps[flow] && r->apps[flow]->ops->tcp;
}

bool run_tcp_vars(const struct run *r, int flow, struct run_tcp_vars *v)
{
	const struct tcb *t;

	if (!run_flow_is_tcp(r, flow) || !(t = r->apps[flow]->cli) || t->state == TCPS_CLOSED)
		return false;
	v->cwnd = t->ccv.cwnd;
	v->ssthresh = t->ccv.ssthresh;
	v->inflight = t->snd_max - t->snd_una;
	v->rwnd = t->snd_wnd;
	v->srtt = t->rtt.srtt;
	v->rttvar = t->rtt.rttvar;
	v->rto = t->rto_cur;
	return true;
}
