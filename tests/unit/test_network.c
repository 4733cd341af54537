/*
 * test_network.c - links, routing, UDP and the applications, end to end
 * through the scenario loader and builder.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <cmocka.h>
#include "app.h"
#include "build.h"
#include "ip.h"
#include "link.h"
#include "node.h"
#include "queue.h"
#include "route.h"
#include "scenario.h"

struct world {
	struct scenario sc;
	struct run r;
};

static void load(struct world *w, const char *yaml)
{
	struct scn_error err;

	if (scn_load_buffer("t.yaml", yaml, strlen(yaml), NULL, 0, &w->sc, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(build_run(&w->r, &w->sc, NULL), 0);
}

static void unload(struct world *w)
{
	run_free(&w->r);
	scn_free(&w->sc);
}

static const struct flow_stats *stats(struct world *w, int flow)
{
	return &run_app(&w->r, flow)->st;
}

/* Two equal-hop paths a-x-b (delays 5+5 ms) and a-y-b (1+1 ms): the route
 * takes the lower-delay first hop; and hop counts are shortest. */
static void test_routes(void **st)
{
	struct world w;
	(void)st;
	load(&w, "nodes: [a, x, y, b, c]\n"
		 "links:\n"
		 "  - {between: [a, x], bandwidth: 1Mbps, delay: 5ms}\n"
		 "  - {between: [x, b], bandwidth: 1Mbps, delay: 5ms}\n"
		 "  - {between: [a, y], bandwidth: 1Mbps, delay: 1ms}\n"
		 "  - {between: [y, b], bandwidth: 1Mbps, delay: 1ms}\n"
		 "  - {between: [b, c], bandwidth: 1Mbps, delay: 1ms}\n");
	struct sim *s = &w.r.sim;
	struct node *a = s->nodes[0];
	assert_string_equal(a->ifs[a->route[3]]->to->name, "y");
	assert_int_equal(route_hops(s, 0, 4), 3);
	assert_int_equal(route_hops(s, 4, 0), 3);
	assert_int_equal(route_hops(s, 2, 2), 0);
	unload(&w);
}

/* CBR: exactly rate*T/(8*size) datagrams, none lost on a clean path. */
static void test_cbr_exact(void **st)
{
	struct world w;
	(void)st;
	load(&w, "duration: 10s\nnodes: [a, b]\n"
		 "links: [{between: [a, b], bandwidth: 10Mbps, delay: 3ms}]\n"
		 "flows: [{name: c, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps, size: 1000B}}]\n");
	sim_run(&w.r.sim, w.sc.duration);
	assert_int_equal(stats(&w, 0)->pkts_sent, 1250);
	assert_int_equal(stats(&w, 0)->pkts_recv, 1250);
	assert_int_equal(stats(&w, 0)->bytes_recv, 1250000);
	/* Every datagram: L/R + d = 822400 ns + 3 ms, no queueing. */
	assert_true(fabs(stats(&w, 0)->delay_sum_s / 1250 - 0.0038224) < 1e-12);
	assert_true(stats(&w, 0)->jitter_s < 1e-12);
	unload(&w);
}

/* Poisson: the mean rate within 4 standard errors of the count; on/off:
 * the mean rate is rate * on / (on + off). */
static void test_poisson_and_onoff_rates(void **st)
{
	struct world w;
	(void)st;
	load(&w, "duration: 200s\nnodes: [a, b]\n"
		 "links: [{between: [a, b], bandwidth: 1Gbps, delay: 1ms}]\n"
		 "flows:\n"
		 "  - {name: p, udp: {from: a, to: b}, app: {type: poisson, rate: 800Kbps, size: 1000B}}\n"
		 "  - {name: o, udp: {from: a, to: b}, app: {type: onoff, rate: 1Mbps, size: 1000B, on: 1s, off: 3s}}\n");
	sim_run(&w.r.sim, w.sc.duration);
	/* Poisson count over 200 s at 100/s: mean 20000, sd 141. */
	double n = (double)stats(&w, 0)->pkts_sent;
	assert_true(fabs(n - 20000) < 4 * 141.5);
	/* On/off: 125 pkt/s for 1/4 of the time -> 6250 expected; with 50
	 * on/off cycles of exponential lengths the sd of the on time is about
	 * sqrt(50)*1s*(...)~ 10%: allow 30%. */
	double o = (double)stats(&w, 1)->pkts_sent;
	assert_true(o > 6250 * 0.7 && o < 6250 * 1.3);
	unload(&w);
}

/* Link down for 1 s: the packet on the wire is lost, the queue keeps the
 * rest and they all go out once the link is back. */
static void test_link_down_up(void **st)
{
	struct world w;
	(void)st;
	load(&w, "duration: 5s\nnodes: [a, b]\n"
		 "links: [{between: [a, b], bandwidth: 1Mbps, delay: 10ms, queue: {type: droptail, limit: 10000}}]\n"
		 "flows: [{name: c, udp: {from: a, to: b}, app: {type: cbr, rate: 500Kbps, size: 1000B}, stop: 3s}]\n"
		 "events:\n"
		 "  - {at: 1s, link: [a, b], set: {up: false}}\n"
		 "  - {at: 2s, link: [a, b], set: {up: true}}\n");
	sim_run(&w.r.sim, w.sc.duration);
	const struct link_dir *d = &w.r.sim.links[0]->dir[0];
	const struct flow_stats *f = stats(&w, 0);
	/* 500 kb/s of 1000 B = 62.5/s: 188 datagrams in [0, 3 s).  At 1 s the
	 * link is mid-way through one packet and another is propagating (10
	 * ms < 8.224 ms tx + ...): between 1 and 2 lost. */
	assert_int_equal(f->pkts_sent, 188);
	assert_true(d->lost_down >= 1 && d->lost_down <= 2);
	assert_int_equal(f->pkts_recv + d->lost_down, 188);
	assert_int_equal(d->q->dropped, 0);
	unload(&w);
}

/* A bandwidth change applies to the next transmission. */
static void test_bandwidth_change(void **st)
{
	struct world w;
	(void)st;
	load(&w, "duration: 3s\nnodes: [a, b]\n"
		 "links: [{between: [a, b], bandwidth: 1Mbps, delay: 0}]\n"
		 "flows: [{name: c, udp: {from: a, to: b}, app: {type: cbr, rate: 100Kbps, size: 1000B}}]\n"
		 "events: [{at: 1500ms, link: [a, b], set: {bandwidth: 2Mbps, delay: 1ms}}]\n"
		 "trace: {flows: all}\n");
	sim_run(&w.r.sim, w.sc.duration);
	/* Last datagram (sent at 2.96 s): 1028 B at 2 Mb/s + 1 ms. */
	assert_int_equal(run_app(&w.r, 0)->last_transit, 4112000 + 1000000);
	unload(&w);
}

/* Faults: corruption is caught by the UDP checksum; duplicates and
 * reordering are seen by the sink. */
static void test_faults_seen_by_receiver(void **st)
{
	struct world w;
	(void)st;
	load(&w, "duration: 20s\nnodes: [a, b]\n"
		 "links: [{between: [a, b], bandwidth: 10Mbps, delay: 1ms,\n"
		 "         corrupt: 0.1, duplicate: 0.05, reorder: {p: 0.1, delay: 20ms}}]\n"
		 "flows: [{name: c, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps, size: 500B}}]\n");
	sim_run(&w.r.sim, w.sc.duration);
	const struct link_dir *d = &w.r.sim.links[0]->dir[0];
	const struct ip_stack *ib = ip_stack_of(w.r.sim.nodes[1]);
	const struct flow_stats *f = stats(&w, 0);
	assert_true(d->faults.corrupted > 300);           /* 5000 * 0.1 */
	/* every corrupted copy is discarded by the checksum, none delivered */
	assert_int_equal(ib->udp_bad_csum, d->faults.corrupted);
	assert_true(f->duplicates > 0);
	assert_true(f->reordered > 0);
	assert_int_equal(f->pkts_recv + f->duplicates + ib->udp_bad_csum,
			 f->pkts_sent + d->faults.duplicated);
	unload(&w);
}

/* A datagram to a port nobody bound is counted, not delivered. */
static void test_closed_port(void **st)
{
	struct world w;
	struct udp_sock u;
	struct udp_meta m = { .flow = PKT_NO_FLOW };
	(void)st;
	load(&w, "nodes: [a, b]\nlinks: [{between: [a, b], bandwidth: 10Mbps, delay: 1ms}]\n");
	struct sim *s = &w.r.sim;
	assert_int_equal(udp_bind(s, s->nodes[0], &u, 1234, NULL, NULL), 0);
	assert_int_equal(udp_bind(s, s->nodes[0], &(struct udp_sock){0}, 1234, NULL, NULL), -1);
	udp_sendto(s, &u, s->nodes[1]->addr, 9, 100, &m);
	sim_run(s, SIM_S);
	assert_int_equal(ip_stack_of(s->nodes[1])->udp_no_port, 1);
	udp_unbind(&u);
	unload(&w);
}

/* udp-reqresp: on a clean path every query is answered in exactly one
 * round trip; with the answers all lost, each query is tried 1 + retries
 * times and fails. */
static void test_reqresp(void **st)
{
	struct world w;
	(void)st;
	load(&w, "duration: 10s\nnodes: [c, s]\n"
		 "links: [{between: [c, s], bandwidth: 1Mbps, delay: 10ms}]\n"
		 "flows: [{name: q, udp: {from: c, to: s}, app: {type: udp-reqresp, size: 100B,\n"
		 "         response: 400B, interval: 1s, timeout: 500ms, retries: 2}}]\n");
	sim_run(&w.r.sim, w.sc.duration);
	const struct flow_stats *f = stats(&w, 0);
	/* RTT: 128 B + 428 B at 1 Mb/s + 2 x 10 ms = 24.448 ms. */
	double rtt = (128 + 428) * 8 / 1e6 + 0.020;
	assert_true(f->queries >= 9);
	assert_int_equal(f->answers, f->queries);
	assert_true(fabs(f->rtt_sum_s / (double)f->answers - rtt) < 1e-9);
	unload(&w);

	load(&w, "duration: 10s\nnodes: [c, s]\n"
		 "links: [{between: [c, s], bandwidth: 1Mbps, delay: 10ms, reverse: {loss: 1}}]\n"
		 "flows: [{name: q, udp: {from: c, to: s}, app: {type: udp-reqresp, size: 100B,\n"
		 "         response: 400B, interval: 1s, timeout: 500ms, retries: 2, count: 3}}]\n");
	sim_run(&w.r.sim, w.sc.duration);
	f = stats(&w, 0);
	assert_int_equal(f->queries, 3);
	assert_int_equal(f->answers, 0);
	assert_int_equal(f->retries, 6);
	assert_int_equal(f->failures, 3);
	assert_int_equal(f->pkts_sent, 9);
	unload(&w);
}

/* A drop-tail bottleneck under overload: flow conservation. */
static void test_overload_conservation(void **st)
{
	struct world w;
	(void)st;
	load(&w, "duration: 10s\nnodes: [a, r, b]\n"
		 "links: [{between: [a, r], bandwidth: 100Mbps, delay: 1ms},\n"
		 "        {between: [r, b], bandwidth: 1Mbps, delay: 1ms, queue: {type: droptail, limit: 20}}]\n"
		 "flows: [{name: c, udp: {from: a, to: b}, app: {type: cbr, rate: 2Mbps, size: 972B}, stop: 9s}]\n");
	sim_run(&w.r.sim, w.sc.duration);
	const struct queue *q = w.r.sim.links[1]->dir[0].q;
	const struct flow_stats *f = stats(&w, 0);
	/* 1000-byte packets: the link carries 125 pkt/s of the 257 offered
	 * for 9 s, then drains the 20 queued in the last second. */
	assert_int_equal(f->pkts_sent, q->enqueued + q->dropped);
	assert_int_equal(f->pkts_recv, q->enqueued);
	assert_true(f->pkts_recv >= 1125 + 19 && f->pkts_recv <= 1125 + 21);
	assert_true(queue_avg_len_pkts(q, w.r.sim.now) > 18);
	unload(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routes),
		cmocka_unit_test(test_cbr_exact),
		cmocka_unit_test(test_poisson_and_onoff_rates),
		cmocka_unit_test(test_link_down_up),
		cmocka_unit_test(test_bandwidth_change),
		cmocka_unit_test(test_faults_seen_by_receiver),
		cmocka_unit_test(test_closed_port),
		cmocka_unit_test(test_reqresp),
		cmocka_unit_test(test_overload_conservation),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
