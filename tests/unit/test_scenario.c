/*
 * test_scenario.c - sim/scenario.c: scenarios from strings, checked field by
 * field (defaults, per-direction overrides, indices, addresses, trace
 * arrays), --set overrides, and errors with their exact line:column.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <cmocka.h>

#include "scenario.h"

static struct scenario sc;
static struct scn_error err;

static int teardown(void **state)
{
	(void)state;
	scn_free(&sc);
	return 0;
}

static void load_sets(const char *yaml, const struct scn_set *sets, int n)
{
	if (scn_load_buffer("t.yaml", yaml, strlen(yaml), sets, n, &sc, &err) != 0)
		fail_msg("load failed: %s\n--- yaml:\n%s", err.msg, yaml);
}

static void load(const char *yaml)
{
	load_sets(yaml, NULL, 0);
}

/* The load fails with "t.yaml:" + where + ": error: " and a message that
 * contains `want`; nothing is left allocated. */
static void fails_sets(const char *yaml, const struct scn_set *sets, int n,
		       const char *where, const char *want)
{
	char prefix[128];

	memset(&err, 0, sizeof(err));
	if (scn_load_buffer("t.yaml", yaml, strlen(yaml), sets, n, &sc, &err) == 0)
		fail_msg("load succeeded, expected '%s' at %s\n--- yaml:\n%s", want,
			 where, yaml);
	if (where[0] == '-')    /* a --set problem: "--set K=V: error: " */
		snprintf(prefix, sizeof(prefix), "%s: error: ", where);
	else
		snprintf(prefix, sizeof(prefix), "t.yaml:%s: error: ", where);
	if (strncmp(err.msg, prefix, strlen(prefix)) != 0 || !strstr(err.msg, want))
		fail_msg("got     '%s'\nexpected '%s...%s'", err.msg, prefix, want);
	assert_null(sc.nodes);
	assert_null(sc.links);
	assert_null(sc.flows);
	assert_null(sc.trace.flows);
	assert_int_equal(sc.n_nodes, 0);
}

static void fails(const char *yaml, const char *where, const char *want)
{
	fails_sets(yaml, NULL, 0, where, want);
}

#define NET2 "nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: 10Mbps}\n"

/* ---------------------------------------------------------------- valid */
/* vars and repeat (scenario_expand.c): N copies with ${i} = 0..N-1, one
 * --set vars.n changes every place that says ${n}; errors point at the
 * template. */
static void test_vars_repeat(void **state)
{
	static const char y[] =
		"vars: {n: 3, bw: 5Mbps}\n"
		"nodes:\n"
		"  - r\n"
		"  - {repeat: \"${n}\", name: \"h${i}\"}\n"
		"links:\n"
		"  - {repeat: \"${n}\", between: [\"h${i}\", r], bandwidth: \"${bw}\","
		" delay: \"${i}ms\"}\n"
		"flows:\n"
		"  - repeat: ${n}\n"
		"    name: f${i}\n"
		"    start: ${i}0ms\n"
		"    udp: {from: \"h${i}\", to: r}\n"
		"    app: {type: cbr, rate: 1Mbps}\n";
	const struct scn_set set64[] = { { "vars.n", "64" } };
	(void)state;

	load(y);
	assert_int_equal(sc.n_nodes, 4);
	assert_string_equal(sc.nodes[3].name, "h2");
	assert_int_equal(sc.n_links, 3);
	assert_int_equal(sc.links[2].delay, 2 * SIM_MS);
	assert_int_equal(sc.links[1].bandwidth_bps, 5000000);
	assert_int_equal(sc.n_flows, 3);
	assert_string_equal(sc.flows[2].name, "f2");
	assert_int_equal(sc.flows[2].start, 20 * SIM_MS);
	assert_int_equal(sc.flows[1].from, 2);
	scn_free(&sc);
	load_sets(y, set64, 1);
	assert_int_equal(sc.n_nodes, 65);
	assert_int_equal(sc.n_flows, 64);
	assert_string_equal(sc.flows[63].name, "f63");
	assert_int_equal(sc.flows[63].start, 630 * SIM_MS);
	scn_free(&sc);
	/* repeat: 0 removes the item */
	const struct scn_set set0[] = { { "vars.n", "0" } };
	load_sets(y, set0, 1);
	assert_int_equal(sc.n_nodes, 1);
	assert_int_equal(sc.n_flows, 0);
	scn_free(&sc);
	/* an error in a copy is reported at the template, with its value */
	fails("nodes: [a, {repeat: 2, name: \"b${i}\"}]\n"
	      "links: [{repeat: 2, between: [a, \"b${i}\"], bandwidth: 1Mbps,"
	      " delay: \"${i}xs\"}]\n", "2:69", "'0xs'");
}


static void test_defaults(void **state)
{
	(void)state;
	load(NET2
	     "flows:\n"
	     "  - {name: u1, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps}}\n");
	assert_string_equal(sc.file, "t.yaml");
	assert_string_equal(sc.name, "t");
	assert_int_equal(sc.seed, 1);
	assert_int_equal(sc.duration, 10 * SIM_S);
	assert_int_equal(sc.n_nodes, 2);
	assert_string_equal(sc.nodes[0].name, "a");
	assert_int_equal(sc.nodes[0].addr, 0x0a000001);
	assert_int_equal(sc.nodes[1].addr, 0x0a000002);
	assert_int_equal(sc.nodes[1].proc_delay, 0);
	assert_int_equal(sc.nodes[1].pos.line, 1);
	assert_int_equal(sc.nodes[1].pos.col, 12);

	assert_int_equal(sc.n_links, 1);
	assert_string_equal(sc.links[0].name, "a-b");
	assert_int_equal(sc.links[0].a, 0);
	assert_int_equal(sc.links[0].b, 1);
	assert_int_equal(sc.links[0].bandwidth_bps, 10000000);
	assert_int_equal(sc.links[0].delay, 0);
	for (int d = 0; d < 2; d++) {
		const struct scn_dir *dir = &sc.links[0].dir[d];
		assert_string_equal(dir->queue.type, "droptail");
		assert_int_equal(dir->queue.limit_pkts, 100);
		assert_int_equal(dir->queue.limit_bytes, 0);
		assert_int_equal(dir->faults.loss, LOSS_NONE);
		assert_true(dir->faults.dup_p == 0 && dir->faults.corrupt_p == 0);
		assert_true(dir->faults.reorder_p == 0);
	}

	assert_int_equal(sc.n_flows, 1);
	assert_int_equal(sc.flows[0].proto, SCN_UDP);
	assert_int_equal(sc.flows[0].from, 0);
	assert_int_equal(sc.flows[0].to, 1);
	assert_int_equal(sc.flows[0].sport, 49152);
	assert_int_equal(sc.flows[0].dport, 5000);
	assert_int_equal(sc.flows[0].start, 0);
	assert_int_equal(sc.flows[0].stop, 10 * SIM_S);
	assert_string_equal(sc.flows[0].app.type, "cbr");
	assert_int_equal(sc.flows[0].app.rate_bps, 1000000);
	assert_int_equal(sc.flows[0].app.size, 1000);
	assert_int_equal(sc.flows[0].app.count, 0);

	assert_int_equal(sc.n_events, 0);
	assert_false(sc.trace.packets);
	assert_non_null(sc.trace.flows);
	assert_non_null(sc.trace.queues);
	assert_non_null(sc.trace.pcap);
	assert_false(sc.trace.flows[0]);
	assert_false(sc.trace.queues[0] || sc.trace.queues[1]);
	assert_false(sc.trace.pcap[0] || sc.trace.pcap[1]);
	assert_int_equal(sc.trace.snaplen, 0);
	assert_int_equal(sc.plots, SCN_PLOT_QUEUE | SCN_PLOT_THROUGHPUT | SCN_PLOT_DELAY |
				   SCN_PLOT_CWND | SCN_PLOT_RTT | SCN_PLOT_SEQ |
				   SCN_PLOT_TCP_THROUGHPUT);
	assert_string_equal(sc.plot_format, "png");
	assert_int_equal(scn_node_index(&sc, "b"), 1);
	assert_int_equal(scn_node_index(&sc, "c"), -1);
	assert_int_equal(scn_flow_index(&sc, "u1"), 0);
	assert_int_equal(scn_flow_index(&sc, "u2"), -1);
}

static void test_name_from_file(void **state)
{
	const char *y = "nodes: [a]\n";
	(void)state;
	assert_int_equal(scn_load_buffer("dir/my-scn.v2.yaml", y, strlen(y), NULL, 0,
					 &sc, &err), 0);
	assert_string_equal(sc.name, "my-scn.v2");
	scn_free(&sc);
	assert_int_equal(scn_load_buffer("x/odd name.yml", y, strlen(y), NULL, 0,
					 &sc, &err), 0);
	assert_string_equal(sc.name, "odd_name");
	scn_free(&sc);
	load("name: my_run-1\nseed: 18446744073709551615\nduration: 1e6\nnodes: [a]\n");
	assert_string_equal(sc.name, "my_run-1");
	assert_true(sc.seed == UINT64_MAX);
	assert_int_equal(sc.duration, 1000000 * SIM_S);
}

static void test_node_addresses(void **state)
{
	char *y = malloc(300 * 8 + 16);
	size_t o = 0;
	(void)state;
	o += (size_t)sprintf(y + o, "nodes: [");
	for (int i = 0; i < 300; i++)
		o += (size_t)sprintf(y + o, "%sn%d", i ? "," : "", i);
	sprintf(y + o, "]\n");
	load(y);
	free(y);
	assert_int_equal(sc.n_nodes, 300);
	assert_int_equal(sc.nodes[0].addr, 0x0a000001);
	assert_int_equal(sc.nodes[253].addr, 0x0a0000fe);       /* 10.0.0.254 */
	assert_int_equal(sc.nodes[254].addr, 0x0a000101);       /* 10.0.1.1 */
	assert_int_equal(sc.nodes[299].addr, 0x0a00012e);       /* 10.0.1.46 */
	scn_free(&sc);

	load("nodes:\n"
	     "  - h1\n"
	     "  - {name: r1, addr: 192.168.1.1, proc_delay: 10us}\n"
	     "  - name: h2\n"
	     "    addr: 10.0.0.9\n");
	assert_int_equal(sc.nodes[0].addr, 0x0a000001);
	assert_int_equal(sc.nodes[1].addr, 0xc0a80101);
	assert_int_equal(sc.nodes[1].proc_delay, 10 * SIM_US);
	assert_int_equal(sc.nodes[2].addr, 0x0a000009);
	assert_int_equal(sc.nodes[2].pos.line, 4);
	assert_int_equal(sc.nodes[2].pos.col, 5);
}

static const char *full =
	"name: full\n"
	"seed: 42\n"
	"duration: 30s\n"
	"nodes: [h1, r1, r2, h2]\n"
	"links:\n"
	"  - {between: [h1, r1], bandwidth: 100Mbps, delay: 1ms}\n"
	"  - between: [r1, r2]\n"
	"    name: core\n"
	"    bandwidth: 1.5Mbps\n"
	"    delay: 20ms\n"
	"    queue: {type: red, limit: 60, min_th: 10, max_th: 30, max_p: 0.2,\n"
	"            wq: 0.01, gentle: true, ecn: yes}\n"
	"    loss: 0.01\n"
	"    duplicate: 0.001\n"
	"    corrupt: 1%\n"
	"    reorder: {p: 0.05, delay: 5ms}\n"
	"    forward:\n"
	"      loss: {type: gilbert, p: 0.01, r: 0.3, loss_good: 0.001}\n"
	"    reverse:\n"
	"      queue: droptail\n"
	"      reorder: {p: 0}\n"
	"  - between: [r2, h2]\n"
	"    bandwidth: 100Mbps\n"
	"    queue: {type: red, mode: bytes, limit: 150KB, mean_pktsize: 1500B}\n"
	"    reverse: {queue: {limit: 64KiB}}\n"
	"flows:\n"
	"  - name: u1\n"
	"    udp: {from: h1, to: h2, sport: 1234, dport: 53}\n"
	"    app: {type: onoff, rate: 2Mbps, size: 512B, on: 500ms, off: 1.5s, count: 10}\n"
	"    start: 1s\n"
	"    stop: 20s\n"
	"  - name: u2\n"
	"    udp: {from: h2, to: h1}\n"
	"    app: {type: poisson, rate: 1Mbps, size_dist: exp}\n"
	"  - name: q1\n"
	"    udp: {from: h1, to: r2}\n"
	"    app: {type: udp-reqresp, response: 1KB, interval: 0, timeout: 200ms,\n"
	"          retries: 5, count: 100}\n"
	"events:\n"
	"  - {at: 10s, link: core, set: {up: false}}\n"
	"  - {at: 12s, link: [r1, r2], set: {up: true, bandwidth: 3Mbps, delay: 5ms}}\n"
	"  - {at: 30s, link: [h2, r2], set: {delay: 0}}\n"
	"trace:\n"
	"  packets: true\n"
	"  flows: [u2]\n"
	"  queues: [[r2, r1], h1-r1]\n"
	"  pcap: [r1, h2]\n"
	"  snaplen: 96\n"
	"plots: {kinds: [queue, delay], format: svg}\n";

static void test_full(void **state)
{
	const struct scn_link *l;
	const struct scn_flow *f;
	(void)state;
	load(full);
	assert_string_equal(sc.name, "full");
	assert_int_equal(sc.seed, 42);
	assert_int_equal(sc.duration, 30 * SIM_S);
	assert_int_equal(sc.n_links, 3);

	l = &sc.links[1];
	assert_string_equal(l->name, "core");
	assert_int_equal(l->a, 1);
	assert_int_equal(l->b, 2);
	assert_int_equal(l->bandwidth_bps, 1500000);
	assert_int_equal(l->delay, 20 * SIM_MS);
	assert_int_equal(l->pos.line, 7);
	/* forward: the link-level RED queue, Gilbert loss replacing Bernoulli */
	assert_string_equal(l->dir[0].queue.type, "red");
	assert_int_equal(l->dir[0].queue.limit_pkts, 60);
	assert_true(l->dir[0].queue.min_th == 10 && l->dir[0].queue.max_th == 30);
	assert_true(l->dir[0].queue.max_p == 0.2 && l->dir[0].queue.wq == 0.01);
	assert_true(l->dir[0].queue.gentle && l->dir[0].queue.ecn);
	assert_false(l->dir[0].queue.byte_mode);
	assert_int_equal(l->dir[0].faults.loss, LOSS_GILBERT);
	assert_true(l->dir[0].faults.p == 0.01 && l->dir[0].faults.r == 0.3);
	assert_true(l->dir[0].faults.loss_bad == 1 && l->dir[0].faults.loss_good == 0.001);
	assert_true(l->dir[0].faults.dup_p == 0.001);
	assert_true(l->dir[0].faults.corrupt_p == 0.01);
	assert_true(l->dir[0].faults.reorder_p == 0.05);
	assert_int_equal(l->dir[0].faults.reorder_delay, 5 * SIM_MS);
	/* reverse: its own droptail queue and no reordering, link-level rest */
	assert_string_equal(l->dir[1].queue.type, "droptail");
	assert_int_equal(l->dir[1].queue.limit_pkts, 100);
	assert_false(l->dir[1].queue.ecn);
	assert_int_equal(l->dir[1].faults.loss, LOSS_BERNOULLI);
	assert_true(l->dir[1].faults.p == 0.01);
	assert_true(l->dir[1].faults.dup_p == 0.001);
	assert_true(l->dir[1].faults.reorder_p == 0);
	assert_int_equal(l->dir[1].faults.reorder_delay, 0);

	l = &sc.links[2];
	assert_string_equal(l->name, "r2-h2");
	assert_string_equal(l->dir[0].queue.type, "red");
	assert_true(l->dir[0].queue.byte_mode);
	assert_int_equal(l->dir[0].queue.limit_bytes, 150000);
	assert_int_equal(l->dir[0].queue.limit_pkts, 0);
	assert_int_equal(l->dir[0].queue.mean_pkt_bytes, 1500);
	/* byte mode: the default thresholds are 5 and 15 mean packets */
	assert_true(l->dir[0].queue.min_th == 7500 && l->dir[0].queue.max_th == 22500);
	assert_string_equal(l->dir[1].queue.type, "droptail");
	assert_int_equal(l->dir[1].queue.limit_bytes, 65536);
	assert_int_equal(l->dir[1].queue.limit_pkts, 0);

	f = &sc.flows[0];
	assert_int_equal(f->sport, 1234);
	assert_int_equal(f->dport, 53);
	assert_int_equal(f->start, SIM_S);
	assert_int_equal(f->stop, 20 * SIM_S);
	assert_string_equal(f->app.type, "onoff");
	assert_int_equal(f->app.rate_bps, 2000000);
	assert_int_equal(f->app.size, 512);
	assert_int_equal(f->app.on_mean, 500 * SIM_MS);
	assert_int_equal(f->app.off_mean, 1500 * SIM_MS);
	assert_int_equal(f->app.count, 10);
	f = &sc.flows[1];
	assert_int_equal(f->from, 3);
	assert_int_equal(f->to, 0);
	assert_int_equal(f->sport, 49153);
	assert_int_equal(f->dport, 5001);
	assert_true(f->app.size_exp);
	assert_int_equal(f->app.size, 1000);
	assert_int_equal(f->stop, 30 * SIM_S);
	f = &sc.flows[2];
	assert_string_equal(f->app.type, "udp-reqresp");
	assert_int_equal(f->app.size, 64);
	assert_int_equal(f->app.response, 1000);
	assert_int_equal(f->app.interval, 0);
	assert_int_equal(f->app.timeout, 200 * SIM_MS);
	assert_int_equal(f->app.retries, 5);
	assert_int_equal(f->app.count, 100);
	assert_int_equal(f->app.rate_bps, 0);

	assert_int_equal(sc.n_events, 3);
	assert_int_equal(sc.events[0].link, 1);
	assert_true(sc.events[0].set_up && !sc.events[0].up);
	assert_false(sc.events[0].set_bandwidth || sc.events[0].set_delay);
	assert_int_equal(sc.events[1].link, 1);
	assert_true(sc.events[1].set_up && sc.events[1].up);
	assert_true(sc.events[1].set_bandwidth);
	assert_int_equal(sc.events[1].bandwidth_bps, 3000000);
	assert_true(sc.events[1].set_delay);
	assert_int_equal(sc.events[1].delay, 5 * SIM_MS);
	assert_int_equal(sc.events[2].link, 2);        /* [h2, r2]: either order */
	assert_int_equal(sc.events[2].at, 30 * SIM_S);

	assert_true(sc.trace.packets);
	assert_false(sc.trace.flows[0]);
	assert_true(sc.trace.flows[1]);
	assert_false(sc.trace.flows[2]);
	/* [r2, r1] is link 1 reverse; h1-r1 is both directions of link 0 */
	assert_true(sc.trace.queues[0] && sc.trace.queues[1]);
	assert_false(sc.trace.queues[2]);
	assert_true(sc.trace.queues[3]);
	assert_false(sc.trace.queues[4] || sc.trace.queues[5]);
	assert_false(sc.trace.pcap[0]);
	assert_true(sc.trace.pcap[1]);
	assert_false(sc.trace.pcap[2]);
	assert_true(sc.trace.pcap[3]);
	assert_int_equal(sc.trace.snaplen, 96);
	assert_int_equal(sc.plots, SCN_PLOT_QUEUE | SCN_PLOT_DELAY);
	assert_string_equal(sc.plot_format, "svg");
}

static void test_flow_style(void **state)
{
	(void)state;
	load("{nodes: [a, b], links: [{between: [a, b], bandwidth: 1Gbps, delay: 1us}],"
	     " flows: [{name: f, udp: {from: b, to: a}, app: {type: cbr, rate: 1Kbps,"
	     " size: 1, count: 5}}], trace: {flows: all, queues: true, pcap: all},"
	     " plots: [throughput]}");
	assert_int_equal(sc.links[0].bandwidth_bps, 1000000000);
	assert_int_equal(sc.links[0].delay, 1000);
	assert_int_equal(sc.flows[0].from, 1);
	assert_int_equal(sc.flows[0].app.size, 1);
	assert_true(sc.trace.flows[0]);
	assert_true(sc.trace.queues[0] && sc.trace.queues[1]);
	assert_true(sc.trace.pcap[0] && sc.trace.pcap[1]);
	assert_int_equal(sc.plots, SCN_PLOT_THROUGHPUT);
}

static void test_trace_and_plots_forms(void **state)
{
	(void)state;
	load(NET2 "trace: {flows: false, queues: none, pcap: [b]}\nplots: []\n");
	assert_false(sc.trace.queues[0] || sc.trace.queues[1]);
	assert_false(sc.trace.pcap[0]);
	assert_true(sc.trace.pcap[1]);
	assert_int_equal(sc.plots, 0);
	scn_free(&sc);
	load(NET2 "trace: {queues: [[b, a]]}\nplots: {format: pdf}\n");
	assert_false(sc.trace.queues[0]);
	assert_true(sc.trace.queues[1]);
	assert_int_equal(sc.plots, 0x7f);
	assert_string_equal(sc.plot_format, "pdf");
	scn_free(&sc);
	load(NET2 "plots: none\n");
	assert_int_equal(sc.plots, 0);
}

static void test_parallel_links(void **state)
{
	(void)state;
	load("nodes: [a, b]\n"
	     "links:\n"
	     "  - {between: [a, b], bandwidth: 1Mbps}\n"
	     "  - {between: [a, b], bandwidth: 2Mbps, name: backup}\n"
	     "  - {between: [b, a], bandwidth: 3Mbps}\n"
	     "trace: {queues: [[a, b]]}\n");
	assert_int_equal(sc.n_links, 3);
	assert_string_equal(sc.links[2].name, "b-a");
	/* [a, b] is the a->b direction of every link joining them */
	assert_true(sc.trace.queues[0] && sc.trace.queues[2] && sc.trace.queues[5]);
	assert_false(sc.trace.queues[1] || sc.trace.queues[3] || sc.trace.queues[4]);
}

static void test_multi_hop_reachability(void **state)
{
	(void)state;
	load("nodes: [a, b, c, d, e]\n"
	     "links:\n"
	     "  - {between: [a, b], bandwidth: 1Mbps}\n"
	     "  - {between: [c, b], bandwidth: 1Mbps}\n"
	     "  - {between: [d, c], bandwidth: 1Mbps}\n"
	     "flows:\n"
	     "  - {name: f, udp: {from: a, to: d}, app: {type: cbr, rate: 1Mbps}}\n");
	assert_int_equal(sc.flows[0].to, 3);
}

static void test_anchors_and_merge(void **state)
{
	(void)state;
	load("x-defaults:\n"
	     "  link: &wan {bandwidth: 10Mbps, delay: 25ms, queue: {type: red}}\n"
	     "nodes: [a, b, c]\n"
	     "links:\n"
	     "  - {<<: *wan, between: [a, b]}\n"
	     "  - {<<: *wan, between: [b, c], delay: 1ms}\n"
	     "  - between: [a, c]\n"
	     "    <<: [{bandwidth: 1Mbps}, *wan]\n");
	assert_int_equal(sc.links[0].bandwidth_bps, 10000000);
	assert_int_equal(sc.links[0].delay, 25 * SIM_MS);
	assert_string_equal(sc.links[0].dir[1].queue.type, "red");
	assert_int_equal(sc.links[1].delay, SIM_MS);          /* own key wins */
	assert_int_equal(sc.links[2].bandwidth_bps, 1000000); /* first source wins */
	assert_int_equal(sc.links[2].delay, 25 * SIM_MS);
}

/* -------------------------------------------------------------------- tcp */

#define TCPNET "nodes: [c, r, s]\nlinks:\n  - {between: [c, r], bandwidth: 10Mbps}\n" \
	"  - {between: [r, s], bandwidth: 1Mbps}\nflows:\n"

static void test_tcp_defaults(void **state)
{
	struct tcp_conf d;
	const struct scn_flow *f;
	(void)state;
	load(TCPNET "  - {name: t, tcp: {from: c, to: s}, app: {type: bulk}}\n");
	tcp_conf_defaults(&d);
	f = &sc.flows[0];
	assert_int_equal(f->proto, SCN_TCP);
	assert_int_equal(f->from, 0);
	assert_int_equal(f->to, 2);
	assert_int_equal(f->sport, 49152);
	assert_int_equal(f->dport, 5000);
	/* both ends exactly tcp_conf_defaults(), padding included */
	assert_memory_equal(&f->tcp[0], &d, sizeof(d));
	assert_memory_equal(&f->tcp[1], &d, sizeof(d));
	/* and those are the documented values */
	assert_int_equal(d.mss, 1460);
	assert_true(d.opt_mss && d.opt_wscale && d.opt_ts && d.opt_sack && !d.tfo);
	assert_int_equal(d.sndbuf, 256 * 1024);
	assert_int_equal(d.rcvbuf, 256 * 1024);
	assert_int_equal(d.rx_mode, TCP_RX_REASSEMBLE);
	assert_int_equal(d.delack, 200 * SIM_MS);
	assert_int_equal(d.ack_every, 2);
	assert_int_equal(d.isn_mode, TCP_ISN_RANDOM);
	assert_string_equal(d.rtt.name, "rfc6298");
	assert_int_equal(d.rtt.rto_min, SIM_S);
	assert_int_equal(d.rtt.rto_max, 60 * SIM_S);
	assert_string_equal(d.cc, "reno");
	assert_int_equal(d.init_cwnd, 0);
	assert_int_equal(d.init_ssthresh, 0);
	assert_int_equal(d.dupthresh, 3);

	assert_string_equal(f->app.type, "bulk");
	assert_int_equal(f->app.bytes, 0);
	assert_int_equal(f->app.write_rate_bps, 0);
	assert_int_equal(f->app.write_size, 0);
	assert_int_equal(f->app.read_rate_bps, 0);
	assert_int_equal(f->app.read_size, 0);
	assert_true(f->app.close_when_done);
	assert_false(sc.trace.tcp_server);
}

static const char *tcp_full =
	TCPNET
	"  - name: t1\n"
	"    tcp:\n"
	"      from: c\n"
	"      to: s\n"
	"      sport: 40000\n"
	"      dport: 80\n"
	"      mss: 1000\n"
	"      mss_option: false\n"
	"      wscale: no\n"
	"      timestamps: off\n"
	"      sack: false\n"
	"      tfo: true\n"
	"      sndbuf: 64KiB\n"
	"      rcvbuf: 128KB\n"
	"      rx_mode: gbn\n"
	"      nodelay: true\n"
	"      sws_receiver: false\n"
	"      sws_sender: false\n"
	"      delack: 100ms\n"
	"      ack_every: 1\n"
	"      isn: 4294967295\n"
	"      msl: 60s\n"
	"      connect_timeout: 10s\n"
	"      fin_wait2_timeout: 0\n"
	"      max_retries: 5\n"
	"      backlog: 16\n"
	"      syn_backlog: 32\n"
	"      keepalive: true\n"
	"      keepalive_idle: 10s\n"
	"      keepalive_intvl: 1s\n"
	"      keepalive_probes: 3\n"
	"      rto: rfc793\n"
	"      rto_initial: 3s\n"
	"      rto_min: 200ms\n"
	"      rto_max: 120s\n"
	"      clock_granularity: 10ms\n"
	"      rto_alpha: 0.9\n"
	"      rto_beta: 1.5\n"
	"      timer_tick: 500ms\n"
	"      cc: reno\n"
	"      init_cwnd: 10\n"
	"      init_ssthresh: 64KB\n"
	"      dupthresh: 5\n"
	"      abc: true\n"
	"      client: {mss: 536, isn: clock, init_cwnd: rfc3390, rcvbuf: 1MiB,\n"
	"               rx_mode: reassemble, rto_beta: 2}\n"
	"      server:\n"
	"        isn: random\n"
	"        init_ssthresh: unlimited\n"
	"        delack: 0\n"
	"        rto_min: 1s\n"
	"        rto_max: 1s\n"
	"        sack: true\n"
	"    app: {type: bulk, bytes: 10MB, write_rate: 2Mbps, write_size: 1KB,\n"
	"          read_rate: 1Mbps, read_size: 512B, close: false}\n"
	"  - name: web\n"
	"    tcp: {from: c, to: s, dport: 443, cc: reno, rto: jacobson88}\n"
	"    app: {type: reqresp, count: 5, size: 200B, object_size: 1MB,\n"
	"          mode: pipelined, think: 1s, read_rate: unlimited, read_size: 0}\n"
	"  - name: dns\n"
	"    udp: {from: c, to: s, dport: 80, sport: 40000}\n"
	"    app: {type: cbr, rate: 1Kbps}\n"
	"  - name: ssh\n"
	"    tcp: {from: s, to: c, isn: 0, server: {nodelay: yes}}\n"
	"    app: {type: interactive, count: 100, interval: 50ms, size: 3B, echo: false}\n"
	"trace: {flows: all, tcp_server: true}\n";

static void test_tcp_full(void **state)
{
	const struct tcp_conf *t;
	const struct scn_flow *f;
	(void)state;
	load(tcp_full);
	f = &sc.flows[0];
	assert_int_equal(f->proto, SCN_TCP);
	assert_int_equal(f->sport, 40000);
	assert_int_equal(f->dport, 80);

	/* common keys in both ends, except where client:/server: override */
	for (int e = 0; e < 2; e++) {
		t = &f->tcp[e];
		assert_false(t->opt_mss || t->opt_wscale || t->opt_ts);
		assert_true(t->tfo);
		assert_int_equal(t->sndbuf, 65536);
		assert_true(t->nodelay);
		assert_false(t->sws_receiver || t->sws_sender);
		assert_int_equal(t->ack_every, 1);
		assert_int_equal(t->msl, 60 * SIM_S);
		assert_int_equal(t->connect_timeout, 10 * SIM_S);
		assert_int_equal(t->fin_wait2_timeout, 0);
		assert_int_equal(t->max_retries, 5);
		assert_int_equal(t->backlog, 16);
		assert_int_equal(t->syn_backlog, 32);
		assert_true(t->keepalive);
		assert_int_equal(t->keepalive_idle, 10 * SIM_S);
		assert_int_equal(t->keepalive_intvl, SIM_S);
		assert_int_equal(t->keepalive_probes, 3);
		assert_string_equal(t->rtt.name, "rfc793");
		assert_int_equal(t->rtt.rto_initial, 3 * SIM_S);
		assert_int_equal(t->rtt.granularity, 10 * SIM_MS);
		assert_true(t->rtt.alpha == 0.9);
		assert_int_equal(t->timer_tick, 500 * SIM_MS);
		assert_string_equal(t->cc, "reno");
		assert_int_equal(t->dupthresh, 5);
		assert_true(t->abc);
	}
	t = &f->tcp[0];                 /* client */
	assert_int_equal(t->mss, 536);
	assert_false(t->opt_sack);
	assert_int_equal(t->rcvbuf, 1024 * 1024);
	assert_int_equal(t->rx_mode, TCP_RX_REASSEMBLE);
	assert_int_equal(t->delack, 100 * SIM_MS);
	assert_int_equal(t->isn_mode, TCP_ISN_CLOCK);
	assert_int_equal(t->init_cwnd, 0);
	assert_int_equal(t->init_ssthresh, 64000);
	assert_int_equal(t->rtt.rto_min, 200 * SIM_MS);
	assert_int_equal(t->rtt.rto_max, 120 * SIM_S);
	assert_true(t->rtt.beta == 2.0);
	t = &f->tcp[1];                 /* server */
	assert_int_equal(t->mss, 1000);
	assert_true(t->opt_sack);
	assert_int_equal(t->rcvbuf, 128000);
	assert_int_equal(t->rx_mode, TCP_RX_GBN);
	assert_int_equal(t->delack, 0);
	assert_int_equal(t->isn_mode, TCP_ISN_RANDOM);
	assert_int_equal(t->init_cwnd, 10);
	assert_int_equal(t->init_ssthresh, 0);
	assert_int_equal(t->rtt.rto_min, SIM_S);
	assert_int_equal(t->rtt.rto_max, SIM_S);
	assert_true(t->rtt.beta == 1.5);

	assert_string_equal(f->app.type, "bulk");
	assert_int_equal(f->app.bytes, 10000000);
	assert_int_equal(f->app.write_rate_bps, 2000000);
	assert_int_equal(f->app.write_size, 1000);
	assert_int_equal(f->app.read_rate_bps, 1000000);
	assert_int_equal(f->app.read_size, 512);
	assert_false(f->app.close_when_done);

	f = &sc.flows[1];
	assert_int_equal(f->dport, 443);
	assert_int_equal(f->sport, 49153);
	assert_string_equal(f->tcp[0].rtt.name, "jacobson88");
	assert_string_equal(f->tcp[1].rtt.name, "jacobson88");
	assert_string_equal(f->app.type, "reqresp");
	assert_int_equal(f->app.count, 5);
	assert_int_equal(f->app.size, 200);
	assert_int_equal(f->app.object_size, 1000000);
	assert_int_equal(f->app.mode, REQRESP_PIPELINED);
	assert_int_equal(f->app.interval, SIM_S);
	assert_int_equal(f->app.read_rate_bps, 0);
	assert_int_equal(f->app.read_size, 0);

	/* udp port 80 and tcp port 80 at s are different ports */
	f = &sc.flows[2];
	assert_int_equal(f->proto, SCN_UDP);
	assert_int_equal(f->dport, 80);
	assert_int_equal(f->sport, 40000);

	f = &sc.flows[3];
	assert_int_equal(f->from, 2);
	assert_int_equal(f->tcp[0].isn_mode, TCP_ISN_FIXED);
	assert_int_equal(f->tcp[0].isn, 0);
	assert_int_equal(f->tcp[1].isn_mode, TCP_ISN_FIXED);
	assert_false(f->tcp[0].nodelay);
	assert_true(f->tcp[1].nodelay);
	assert_string_equal(f->app.type, "interactive");
	assert_int_equal(f->app.count, 100);
	assert_int_equal(f->app.interval, 50 * SIM_MS);
	assert_int_equal(f->app.size, 3);
	assert_false(f->app.echo);

	assert_true(sc.trace.tcp_server);
	assert_true(sc.trace.flows[0] && sc.trace.flows[3]);
}

/* Every word of every enumerated key, and each app's defaults. */
static void test_tcp_enums(void **state)
{
	static const struct { const char *yaml; int field, want; } cases[] = {
		{ "rx_mode: reassemble", 0, TCP_RX_REASSEMBLE },
		{ "rx_mode: gbn", 0, TCP_RX_GBN },
		{ "isn: random", 1, TCP_ISN_RANDOM },
		{ "isn: clock", 1, TCP_ISN_CLOCK },
		{ "isn: 7", 1, TCP_ISN_FIXED },
		{ "init_cwnd: rfc3390", 2, 0 },
		{ "init_cwnd: 1000", 2, 1000 },
		{ "init_ssthresh: unlimited", 3, 0 },
		{ "init_ssthresh: 4294967295", 3, -1 },
	};
	static const char *const rtos[] = { "rfc6298", "jacobson88", "rfc793" };
	static const char *const modes[] = { "separate", "persistent", "pipelined" };
	char y[300];
	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct tcp_conf *t;
		snprintf(y, sizeof(y), TCPNET "  - {name: t, tcp: {from: c, to: s, %s}, "
			 "app: {type: bulk}}\n", cases[i].yaml);
		load(y);
		for (int e = 0; e < 2; e++) {
			t = &sc.flows[0].tcp[e];
			int got = cases[i].field == 0 ? (int)t->rx_mode :
				  cases[i].field == 1 ? (int)t->isn_mode :
				  cases[i].field == 2 ? (int)t->init_cwnd :
				  (int)t->init_ssthresh;
			assert_int_equal(got, cases[i].want);
		}
		scn_free(&sc);
	}
	for (int i = 0; i < 3; i++) {
		snprintf(y, sizeof(y), TCPNET "  - {name: t, tcp: {from: c, to: s, rto: %s}, "
			 "app: {type: reqresp, mode: %s}}\n", rtos[i], modes[i]);
		load(y);
		assert_string_equal(sc.flows[0].tcp[0].rtt.name, rtos[i]);
		assert_string_equal(sc.flows[0].tcp[1].rtt.name, rtos[i]);
		assert_int_equal(sc.flows[0].app.mode, i);
		scn_free(&sc);
	}
	load(TCPNET "  - {name: t, tcp: {from: c, to: s, cc: reno}, app: {type: reqresp}}\n"
	     "  - {name: i, tcp: {from: c, to: s}, app: {type: interactive}}\n");
	assert_string_equal(sc.flows[0].tcp[1].cc, "reno");
	assert_int_equal(sc.flows[0].app.count, 1);
	assert_int_equal(sc.flows[0].app.size, 100);
	assert_int_equal(sc.flows[0].app.object_size, 10000);
	assert_int_equal(sc.flows[0].app.mode, REQRESP_PERSISTENT);
	assert_int_equal(sc.flows[0].app.interval, 0);
	assert_false(sc.flows[0].app.close_when_done);
	assert_int_equal(sc.flows[1].app.count, 0);
	assert_int_equal(sc.flows[1].app.interval, 200 * SIM_MS);
	assert_int_equal(sc.flows[1].app.size, 1);
	assert_true(sc.flows[1].app.echo);
	assert_int_equal(sc.flows[1].dport, 5001);
}

/* Limits: the extremes of each range are accepted. */
static void test_tcp_limits(void **state)
{
	(void)state;
	load(TCPNET "  - name: t\n"
	     "    tcp: {from: c, to: s, mss: 64, sndbuf: 1, rcvbuf: 1GiB, delack: 10s,\n"
	     "          ack_every: 1000, msl: 3600s, max_retries: 1, backlog: 1000000,\n"
	     "          timer_tick: 0, clock_granularity: 0, rto: rfc793,\n"
	     "          rto_alpha: 1e-9, rto_beta: 10, rto_min: 1ns, rto_max: 3600s,\n"
	     "          keepalive_probes: 1000, init_ssthresh: 1, dupthresh: 1000,\n"
	     "          server: {mss: 65495}}\n"
	     "    app: {type: bulk, bytes: unlimited, write_rate: 0, write_size: 1GiB}\n");
	assert_int_equal(sc.flows[0].tcp[0].mss, 64);
	assert_int_equal(sc.flows[0].tcp[1].mss, 65495);
	assert_int_equal(sc.flows[0].tcp[0].rcvbuf, 1u << 30);
	assert_int_equal(sc.flows[0].tcp[0].msl, 3600 * SIM_S);
	assert_int_equal(sc.flows[0].tcp[0].rtt.rto_min, 1);
	assert_int_equal(sc.flows[0].tcp[0].init_ssthresh, 1);
	assert_int_equal(sc.flows[0].app.bytes, 0);
	assert_int_equal(sc.flows[0].app.write_size, 1u << 30);
}

static void test_tcp_sets(void **state)
{
	const struct scn_set sets[] = {
		{ "flows.t1.tcp.server.rcvbuf", "64KB" },
		{ "flows.t1.tcp.client.cc", "reno" },
		{ "flows.web.tcp.rx_mode", "gbn" },
		{ "flows.t1.app.bytes", "1MB" },
		{ "trace.tcp_server", "no" },
	};
	(void)state;
	load_sets(tcp_full, sets, 5);
	assert_int_equal(sc.flows[0].tcp[1].rcvbuf, 64000);
	assert_int_equal(sc.flows[0].tcp[0].rcvbuf, 1024 * 1024);
	assert_int_equal(sc.flows[1].tcp[0].rx_mode, TCP_RX_GBN);
	assert_int_equal(sc.flows[1].tcp[1].rx_mode, TCP_RX_GBN);
	assert_int_equal(sc.flows[0].app.bytes, 1000000);
	assert_false(sc.trace.tcp_server);
	scn_free(&sc);
	{
		const struct scn_set bad[] = { { "flows.t1.tcp.client.cc", "westwood" } };
		fails_sets(tcp_full, bad, 1, "--set flows.t1.tcp.client.cc=westwood",
			   "unknown cc 'westwood' (valid: reno, tahoe, newreno, sack");
	}
}

/* ------------------------------------------------------------------ --set */

static void test_sets(void **state)
{
	const struct scn_set sets[] = {
		{ "seed", "7" },
		{ "duration", "40s" },
		{ "links.0.delay", "5ms" },
		{ "links.core.bandwidth", "3Mbps" },
		{ "links.r2-h2.forward", "{loss: 0.5}" },
		{ "flows.u1.app.rate", "5Mbps" },
		{ "flows.u2.stop", "5s" },              /* adds a key */
		{ "nodes.2.proc_delay", "1ms" },        /* a plain-name node */
		{ "nodes.h2.addr", "10.9.9.9" },
		{ "trace.flows", "[u1, q1]" },
		{ "links.0.queue", "{type: red, limit: 20}" },
	};
	(void)state;
	load_sets(full, sets, (int)(sizeof(sets) / sizeof(sets[0])));
	assert_int_equal(sc.seed, 7);
	assert_int_equal(sc.duration, 40 * SIM_S);
	assert_int_equal(sc.links[0].delay, 5 * SIM_MS);
	assert_int_equal(sc.links[1].bandwidth_bps, 3000000);
	assert_int_equal(sc.links[2].dir[0].faults.loss, LOSS_BERNOULLI);
	assert_true(sc.links[2].dir[0].faults.p == 0.5);
	assert_int_equal(sc.links[2].dir[1].faults.loss, LOSS_NONE);
	assert_int_equal(sc.flows[0].app.rate_bps, 5000000);
	assert_int_equal(sc.flows[1].stop, 5 * SIM_S);
	assert_int_equal(sc.flows[2].stop, 40 * SIM_S);       /* new duration */
	assert_int_equal(sc.nodes[2].proc_delay, SIM_MS);
	assert_string_equal(sc.nodes[2].name, "r2");
	assert_int_equal(sc.nodes[3].addr, 0x0a090909);
	assert_true(sc.trace.flows[0] && !sc.trace.flows[1] && sc.trace.flows[2]);
	assert_string_equal(sc.links[0].dir[0].queue.type, "red");
	assert_int_equal(sc.links[0].dir[0].queue.limit_pkts, 20);
}

static void test_set_later_wins_and_new_maps(void **state)
{
	const struct scn_set sets[] = {
		{ "seed", "3" },
		{ "seed", "4" },
		{ "links.0.forward.loss", "0.25" },     /* forward: created */
		{ "trace.packets", "true" },            /* trace: created */
		{ "name", "swept" },
	};
	(void)state;
	load_sets(NET2, sets, 5);
	assert_int_equal(sc.seed, 4);
	assert_true(sc.links[0].dir[0].faults.p == 0.25);
	assert_int_equal(sc.links[0].dir[1].faults.loss, LOSS_NONE);
	assert_true(sc.trace.packets);
	assert_string_equal(sc.name, "swept");
}

static void test_set_dotted_names(void **state)
{
	const struct scn_set sets[] = { { "nodes.r1.lan.proc_delay", "2us" } };
	(void)state;
	load_sets("nodes: [h1, r1.lan]\n", sets, 1);
	assert_int_equal(sc.nodes[1].proc_delay, 2 * SIM_US);
}

static void test_set_errors(void **state)
{
	(void)state;
	{
		const struct scn_set s[] = { { "duration", "0" } };
		fails_sets(NET2, s, 1, "--set duration=0", "duration must be greater than 0");
	}
	{
		const struct scn_set s[] = { { "links.0.bandwidth", "fast" } };
		fails_sets(NET2, s, 1, "--set links.0.bandwidth=fast",
			   "expected a rate like 10Mbps, got 'fast'");
	}
	{
		const struct scn_set s[] = { { "links.3.delay", "1ms" } };
		fails_sets(NET2, s, 1, "--set links.3.delay=1ms",
			   "'links' has 1 item (0..0): it has no item 3");
	}
	{
		const struct scn_set s[] = { { "flows.0.stop", "1s" } };
		fails_sets(NET2, s, 1, "--set flows.0.stop=1s",
			   "'flows' does not exist, so it has no item 0");
	}
	{
		const struct scn_set s[] = { { "links.x-y.delay", "1ms" } };
		fails_sets(NET2, s, 1, "--set links.x-y.delay=1ms",
			   "'links' has no item named 'x-y'");
	}
	{
		const struct scn_set s[] = { { "link.0.delay", "1ms" } };
		fails_sets(NET2, s, 1, "--set link.0.delay=1ms",
			   "'link' does not exist");
	}
	{
		const struct scn_set s[] = { { "flows", "[]" }, { "durtion", "5s" } };
		fails_sets(NET2, s, 2, "--set durtion=5s",
			   "unknown key 'durtion' at the top level (did you mean 'duration'?)");
	}
	{
		const struct scn_set s[] = { { "links.0.bandwidth.x", "1" } };
		fails_sets(NET2, s, 1, "--set links.0.bandwidth.x=1",
			   "'links.0.bandwidth' is a single value ('10Mbps')");
	}
	{
		const struct scn_set s[] = { { "links.0.queue", "{type: red" } };
		fails_sets(NET2, s, 1, "--set links.0.queue={type: red",
			   "did not find expected ',' or '}'");
	}
	{
		const struct scn_set s[] = { { "links..delay", "1" } };
		fails_sets(NET2, s, 1, "--set links..delay=1", "empty part");
	}
	{
		const struct scn_set s[] = { { "", "1" } };
		fails_sets(NET2, s, 1, "--set =1", "empty key");
	}
	{
		/* the problem is in the file, but the set caused it: file position */
		const struct scn_set s[] = { { "duration", "1s" } };
		fails_sets(NET2 "events: [{at: 5s, link: a-b, set: {up: false}}]\n", s, 1,
			   "4:15", "event at 5s is after the end of the run (duration 1s)");
	}
}

/* ----------------------------------------------------------------- errors */

static void test_errors_structure(void **state)
{
	(void)state;
	fails("", "1:1", "empty scenario");
	fails("# nothing\n\n", "1:1", "empty scenario");
	fails("---\n", "1:1", "empty scenario");
	fails("- a\n- b\n", "1:1", "the top level must be a map");
	fails("just text\n", "1:1", "the top level must be a map");
	fails("nodes: [a, b\n", "2:1", "did not find expected ',' or ']'");
	fails("nodes: [a]\n\tlinks: []\n", "2:1", "found character that cannot start any token");
	fails("nodes: [a]\nnodes: [b]\n", "2:1", "duplicate key 'nodes' (first given at line 1)");
	fails("nodes: [a]\n---\nnodes: [b]\n", "2:1", "a second YAML document");
	fails("nodes: [\"a\\0b\"]\n", "1:9", "NUL character");
	fails("nodes: [a]\nbad: \xff\n", "2:6", "invalid leading UTF-8 octet");
	fails("nodes: &n [a, *n]\n", "1:15", "inside the node it refers to");
	fails("nodes: [*nope]\n", "1:9", "");       /* libyaml: undefined alias */
	fails("nodes: [a]\nseed: [1]\n", "2:7", "seed: expected a single value, got a list");
	fails("nodes: [a]\n[x]: 1\n", "2:1", "a map key must be a single value");
	fails("x: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]"
	      "]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]\n",
	      "1:67", "nested more than 64 deep");
	fails("a: &a [x, x, x, x, x, x, x, x, x, x]\n"
	      "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
	      "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n"
	      "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
	      "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n"
	      "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
	      "5:36", "aliases expand to too many nodes");
}

static void test_errors_merge_and_size(void **state)
{
	char *y = malloc(1002 * 12 + 64), where[32];
	size_t o = 0;
	(void)state;
	fails("nodes: [a]\nx-a: {<<: 5}\n", "2:11", "a merge key '<<' needs a map");
	fails("nodes: [a]\nx-a: {<<: [{b: 1}, 2]}\n", "2:20", "a merge key '<<' needs a map");
	/* a map of more than 1000 keys is refused at the 1001st */
	o += (size_t)sprintf(y + o, "nodes: [a]\nx-big: {");
	for (int i = 0; i <= 1000; i++)
		o += (size_t)sprintf(y + o, "%sk%d: 1", i ? ", " : "", i);
	sprintf(y + o, "}\n");
	snprintf(where, sizeof(where), "2:%d", (int)(strstr(y, "k1000:") - strchr(y, '\n')));
	fails(y, where, "a map with more than 1000 keys");
	free(y);
}

static void test_errors_top(void **state)
{
	(void)state;
	fails("nodes: [a]\nsede: 3\n", "2:1", "unknown key 'sede' at the top level (did you mean 'seed'?)");
	fails("nodes: [a]\nfoo: 3\n", "2:1", "unknown key 'foo' at the top level (valid keys: name, seed");
	fails("seed: 1\n", "1:1", "missing required key 'nodes'");
	fails("nodes: []\n", "1:8", "'nodes' is empty");
	fails("nodes: [a]\nseed: -1\n", "2:7", "seed: expected a whole number, got '-1'");
	fails("nodes: [a]\nseed: 18446744073709551616\n", "2:7", "seed must be between 0 and 18446744073709551615");
	fails("nodes: [a]\nduration: 0\n", "2:11", "duration must be greater than 0");
	fails("nodes: [a]\nduration: 2e6\n", "2:11", "duration must be between 1ns and 1000000s");
	fails("nodes: [a]\nduration: -5s\n", "2:11", "cannot be negative");
	fails("nodes: [a]\nduration: soon\n", "2:11", "expected a time like 20ms, got 'soon'");
	fails("nodes: [a]\nduration:\n", "2:10", "'duration' has no value");
	fails("nodes: [a]\nname: a/b\n", "2:7", "scenario name 'a/b' has a character that is not allowed: '/'");
	fails("nodes: [a]\nname: ..\n", "2:7", "must not start with '.'");
	fails("nodes: [a]\nplots: [cwin]\n", "2:9", "unknown plot kind 'cwin' (valid: queue, throughput, delay, cwnd, rtt, seq, "
	      "tcp-throughput)");
	fails("nodes: [a]\nplots: {format: jpg}\n", "2:17", "unknown plot format 'jpg'");
	fails("nodes: [a]\nplots: {kind: [queue]}\n", "2:9", "unknown key 'kind' in plots (did you mean 'kinds'?)");
}

static void test_errors_nodes(void **state)
{
	(void)state;
	fails("nodes: [a, b, a]\n", "1:15", "duplicate node name 'a' (first at line 1)");
	fails("nodes: [a, 'b c']\n", "1:12", "node name 'b c' has a character that is not allowed: ' '");
	fails("nodes: [abcdefghijabcdefghijabcdefghijab]\n", "1:9", "is too long (at most 31 characters)");
	fails("nodes: [a, [b]]\n", "1:12", "node name: expected a single value, got a list");
	fails("nodes: [{addr: 10.0.0.7}]\n", "1:9", "missing required key 'name' in node");
	fails("nodes: [{name: a, adr: 10.0.0.7}]\n", "1:19", "unknown key 'adr' in node (did you mean 'addr'?)");
	fails("nodes: [{name: a, addr: 10.0.0.256}]\n", "1:25", "expected an IPv4 address like 10.0.0.5, got '10.0.0.256'");
	fails("nodes: [{name: a, addr: 10.0.01.1}]\n", "1:25", "expected an IPv4 address");
	fails("nodes: [{name: a, addr: 127.0.0.1}]\n", "1:25", "not a unicast host address");
	fails("nodes: [a, {name: b, addr: 10.0.0.1}]\n", "1:28",
	      "address 10.0.0.1 of node 'b' is also the default address of node 'a'");
	fails("nodes: [{name: a, addr: 10.1.1.1}, {name: b, addr: 10.1.1.1}]\n", "1:52",
	      "node 'b' has the same address 10.1.1.1 as node 'a'");
	fails("nodes: [{name: a, proc_delay: 2h}]\n", "1:31", "unknown time unit 'h'");
	fails("nodes: [{name: a, proc_delay: 3601s}]\n", "1:31", "proc_delay must be between 0s and 3600s");
	fails("nodes: a\n", "1:8", "nodes: expected a list like [h1, r1, h2], got 'a'");
}

static void test_errors_links(void **state)
{
	(void)state;
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwith: 10Mbps}\n", "3:23",
	      "unknown key 'bandwith' in link (did you mean 'bandwidth'?)");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b]}\n", "3:5",
	      "missing required key 'bandwidth' in link");
	fails("nodes: [a, b]\nlinks:\n  - {bandwidth: 1Mbps}\n", "3:5",
	      "missing required key 'between' in link");
	fails("nodes: [h1, h2]\nlinks:\n  - {between: [h1, h3], bandwidth: 1Mbps}\n", "3:20",
	      "unknown node 'h3' (did you mean 'h1'?)");
	fails("nodes: [alpha, beta]\nlinks:\n  - {between: [alpha, zzz], bandwidth: 1Mbps}\n",
	      "3:23", "unknown node 'zzz' (nodes: alpha, beta)");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, a], bandwidth: 1Mbps}\n", "3:19",
	      "a link joins two different nodes, got 'a' twice");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a], bandwidth: 1Mbps}\n", "3:15",
	      "a link joins exactly two nodes, got 1");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: fast}\n", "3:34",
	      "bandwidth: expected a rate like 10Mbps, got 'fast'");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: 0}\n", "3:34",
	      "bandwidth must be between 1bps and 10Tbps, got '0'");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: 11Tbps}\n", "3:34",
	      "bandwidth must be between 1bps and 10Tbps");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: [1]}\n", "3:34",
	      "bandwidth: expected a single value, got a list");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: 1Mbps, delay: 2h}\n",
	      "3:48", "unknown time unit 'h'");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: 1Mbps, delay: 4000s}\n",
	      "3:48", "delay must be between 0s and 3600s");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: 1Mbps}\n"
	      "  - {between: [a, b], bandwidth: 2Mbps}\n", "4:5",
	      "duplicate link name 'a-b' (first at line 3): links between the same nodes need distinct names");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: 1Mbps, name: x}\n"
	      "  - {between: [a, b], bandwidth: 2Mbps, name: x}\n", "4:47",
	      "duplicate link name 'x'");
	fails("nodes: [a, b]\nlinks: {between: [a, b]}\n", "2:8", "links: expected a list");
	fails("nodes: [a, b]\nlinks: [a]\n", "2:9", "link: expected a map like");
}

#define LINK "nodes: [a, b]\nlinks:\n  - between: [a, b]\n    bandwidth: 1Mbps\n"

static void test_errors_dirs(void **state)
{
	(void)state;
	fails(LINK "    queue: fifo\n", "5:12", "unknown queue type 'fifo' (valid: droptail, red)");
	fails(LINK "    queue: {type: rde}\n", "5:19", "unknown queue type 'rde' (did you mean 'red'?");
	fails(LINK "    queue: {type: droptail, min_th: 3}\n", "5:29",
	      "key 'min_th' is not used by queue type 'droptail' (it takes: type, limit)");
	fails(LINK "    queue: {limt: 3}\n", "5:13", "unknown key 'limt' in queue (did you mean 'limit'?)");
	fails(LINK "    queue: {limit: 0}\n", "5:20", "limit (packets) must be between 1 and");
	fails(LINK "    queue: {limit: 1.5}\n", "5:20", "limit (packets): expected a whole number");
	fails(LINK "    queue: {limit: 10Mbps}\n", "5:20",
	      "limit: expected a number of packets like 100 or a size like 64KiB, got '10Mbps'");
	fails(LINK "    queue: {type: red, min_th: 20}\n", "5:32",
	      "RED needs min_th below max_th, got min_th 20 and max_th 15 (one of them the default)");
	fails(LINK "    queue: {type: red, min_th: 5, max_th: 5}\n", "5:43", "RED needs min_th below max_th");
	fails(LINK "    queue: {type: red, limit: 10}\n", "5:31",
	      "RED's max_th (15) is above the queue limit (10 packets): max_th defaults to 15 packets");
	fails(LINK "    queue: {type: red, limit: 50, max_th: 60}\n", "5:43",
	      "RED's max_th (60) is above the queue limit (50 packets)");
	fails(LINK "    queue: {type: red, mode: bytes, limit: 10KB}\n", "5:44",
	      "RED's max_th (15000) is above the queue limit (10000 bytes)");
	fails(LINK "    queue: {type: red, max_p: 0}\n", "5:31", "max_p must be above 0 and at most 1");
	fails(LINK "    queue: {type: red, wq: 1.5}\n", "5:28", "wq must be above 0 and at most 1");
	fails(LINK "    queue: {type: red, gentle: maybe}\n", "5:32", "gentle: expected true or false, got 'maybe'");
	fails(LINK "    queue: {type: red, mode: bits}\n", "5:30", "unknown RED mode 'bits'");
	fails(LINK "    loss: 1.5\n", "5:11", "loss must be a probability between 0 and 1");
	fails(LINK "    loss: -0.1\n", "5:11", "loss: expected a probability like 0.01, none, or a map");
	fails(LINK "    loss: lots\n", "5:11", "got 'lots'");
	fails(LINK "    loss: {type: gilbert, p: 0.1}\n", "5:11", "missing required key 'r' in loss");
	fails(LINK "    loss: {type: bernoulli}\n", "5:11", "missing required key 'p' in loss");
	fails(LINK "    loss: {type: bernoulli, p: 0.1, r: 0.2}\n", "5:37",
	      "key 'r' is not used by loss type 'bernoulli'");
	fails(LINK "    loss: {type: gilbert, p: 0.1, r: nan}\n", "5:38", "r must be a probability");
	fails(LINK "    duplicate: 2\n", "5:16", "duplicate must be a probability between 0 and 1");
	fails(LINK "    corrupt: 101%\n", "5:14", "corrupt must be a probability");
	fails(LINK "    reorder: 0.1\n", "5:14", "reorder: expected a map like {p: 0.01, delay: 5ms}, got '0.1'");
	fails(LINK "    reorder: {p: 0.1}\n", "5:14", "reorder needs a delay above 0 when p is above 0");
	fails(LINK "    reorder: {p: 0.1, delay: 0}\n", "5:30", "reorder needs a delay above 0");
	fails(LINK "    reorder: {delay: 1ms}\n", "5:14", "missing required key 'p' in reorder");
	fails(LINK "    forward: {bandwidth: 2Mbps}\n", "5:15",
	      "'bandwidth' is the same in both directions of a link");
	fails(LINK "    reverse: {los: 0.1}\n", "5:15", "unknown key 'los' in reverse (did you mean 'loss'?)");
	fails(LINK "    reverse: 0.1\n", "5:14", "reverse: expected a map like");
}

#define FLOWNET "nodes: [a, b, c]\nlinks:\n  - {between: [a, b], bandwidth: 1Mbps}\nflows:\n"

static void test_errors_flows(void **state)
{
	(void)state;
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: bulk}}\n", "5:50",
	      "app type 'bulk' runs over tcp, but flow 'u' is a udp flow (udp apps: "
	      "cbr, onoff, poisson, udp-reqresp)");
	fails(FLOWNET "  - {udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps}}\n", "5:5",
	      "missing required key 'name' in flow");
	fails(FLOWNET "  - {name: u, app: {type: cbr, rate: 1Mbps}}\n", "5:5",
	      "missing required key 'udp' or 'tcp' in flow 'u'");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}}\n", "5:5", "missing required key 'app' in flow 'u'");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: c}, app: {type: cbr, rate: 1Mbps}}\n", "5:34",
	      "node 'c' cannot be reached from 'a': no chain of links joins them");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: a}, app: {type: cbr, rate: 1Mbps}}\n", "5:34",
	      "a flow goes between two different nodes");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: bb}, app: {type: cbr, rate: 1Mbps}}\n", "5:34",
	      "unknown node 'bb' (did you mean 'b'?)");
	fails(FLOWNET "  - {name: u, udp: {from: a}, app: {type: cbr, rate: 1Mbps}}\n", "5:20",
	      "missing required key 'to' in udp");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b, dport: 0}, app: {type: cbr, rate: 1Mbps}}\n",
	      "5:44", "dport must be between 1 and 65535, got '0'");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b, sport: 65536}, app: {type: cbr, rate: 1Mbps}}\n",
	      "5:44", "sport must be between 1 and 65535");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps, on: 1s}}\n",
	      "5:68", "key 'on' is not used by app type 'cbr'");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbr, rat: 1Mbps}}\n",
	      "5:55", "unknown key 'rat' in app (did you mean 'rate'?)");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbr}}\n", "5:43",
	      "missing required key 'rate' in app");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {rate: 1Mbps}}\n", "5:43",
	      "missing required key 'type' in app");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbrr, rate: 1Mbps}}\n", "5:50",
	      "unknown app type 'cbrr' (did you mean 'cbr'?");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps, size: 65508}}\n",
	      "5:74", "size must be between 1 and 65507 bytes");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps, size: 0}}\n",
	      "5:74", "size must be between 1 and 65507 bytes");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: poisson, rate: 1Mbps, size_dist: pareto}}\n",
	      "5:83", "unknown size_dist 'pareto' (valid: fixed, exp)");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: onoff, rate: 1Mbps, on: 0}}\n",
	      "5:74", "on must be greater than 0");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: udp-reqresp, timeout: 0}}\n",
	      "5:72", "timeout must be greater than 0");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: udp-reqresp, rate: 1Mbps}}\n",
	      "5:63", "key 'rate' is not used by app type 'udp-reqresp'");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps}, start: 5s, stop: 5s}\n",
	      "5:76", "start 5s must be before stop 5s");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps}, start: 10s}\n",
	      "5:76", "start 10s must be before stop 10s (the end of the run)");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps}, stop: 11s}\n",
	      "5:75", "stop 11s is after the end of the run (duration 10s)");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: cbr, rate: 1Mbps}}\n"
	      "  - {name: u, udp: {from: b, to: a}, app: {type: cbr, rate: 1Mbps}}\n", "6:12",
	      "duplicate flow name 'u' (first at line 5)");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b, dport: 9}, app: {type: cbr, rate: 1Mbps}}\n"
	      "  - {name: v, udp: {from: a, to: b, dport: 9}, app: {type: cbr, rate: 1Mbps}}\n", "6:44",
	      "flows 'u' and 'v' both send to port 9 at node 'b'");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b, dport: 9}, app: {type: cbr, rate: 1Mbps}}\n"
	      "  - {name: v, udp: {from: b, to: a, sport: 9}, app: {type: cbr, rate: 1Mbps}}\n", "6:44",
	      "port 9 at node 'b' is used by both flow 'u' and flow 'v' (give one a different sport)");
	fails(FLOWNET "  - name: u\n    udp: {from: a, to: b}\n    app: {type: cbr, rate: 1Mbps}\n"
	      "  - name: v\n    udp: {from: a, to: b, dport: 5000}\n    app: {type: cbr, rate: 1Mbps}\n",
	      "9:34", "flows 'u' and 'v' both send to port 5000 at node 'b'");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: [cbr]}\n", "5:43", "app: expected a map like");
}

/* A TCP flow a -> b with extra keys in tcp: and the given app. */
#define TCPF(keys, app) FLOWNET "  - {name: t, tcp: {from: a, to: b, " keys "}, app: " app "}\n"
#define BULK "{type: bulk}"

static void test_errors_tcp(void **state)
{
	(void)state;
	/* flow level */
	fails(FLOWNET "  - {name: t, udp: {from: a, to: b}, tcp: {from: a, to: b}, app: " BULK "}\n",
	      "5:38", "flow 't' has both udp: and tcp:; a flow runs over one of them");
	fails(FLOWNET "  - {name: t, tcp: ~, app: " BULK "}\n", "5:20", "'tcp' has no value");
	fails(FLOWNET "  - {name: t, tcp: {to: b}, app: " BULK "}\n", "5:20",
	      "missing required key 'from' in tcp");
	fails(TCPF("", "{type: cbr, rate: 1Mbps}"), "5:52",
	      "app type 'cbr' runs over udp, but flow 't' is a tcp flow (tcp apps: bulk, "
	      "reqresp, interactive)");
	fails(TCPF("", "{type: udp-reqresp}"), "5:52", "app type 'udp-reqresp' runs over udp");
	fails(TCPF("", "{type: bluk}"), "5:52", "unknown app type 'bluk' (did you mean 'bulk'?");
	fails(TCPF("", "{size: 1}"), "5:45", "missing required key 'type' in app (tcp apps: "
	      "bulk, reqresp, interactive)");
	fails(FLOWNET "  - {name: t, tcp: {from: a, to: b}}\n", "5:5",
	      "missing required key 'app' in flow 't' (like app: {type: bulk})");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b, mss: 536}, app: {type: cbr, rate: 1Mbps}}\n",
	      "5:37", "'mss' is a tcp setting, and this is a udp flow");
	fails(FLOWNET "  - {name: u, udp: {from: a, to: b}, app: {type: reqresp}}\n", "5:50",
	      "app type 'reqresp' runs over tcp, but flow 'u' is a udp flow");

	/* endpoint keys */
	fails(TCPF("mss_opt: true", BULK), "5:37", "unknown key 'mss_opt' in tcp (did you mean 'mss_option'?)");
	fails(TCPF("zzzzzzzz: 1", BULK), "5:37", "unknown key 'zzzzzzzz' in tcp (docs/scenario.md lists the");
	fails(TCPF("client: {sacks: no}", BULK), "5:46", "unknown key 'sacks' in client (did you mean 'sack'?)");
	fails(TCPF("server: {dport: 80}", BULK), "5:46",
	      "'dport' belongs in tcp: itself; server: holds only settings of the server end");
	fails(TCPF("client: [mss]", BULK), "5:45", "client: expected a map like {mss: 536");
	fails(TCPF("mss: 63", BULK), "5:42", "mss must be between 64 and 65495 bytes, got '63'");
	fails(TCPF("mss: 64KiB", BULK), "5:42", "mss must be between 64 and 65495 bytes");
	fails(TCPF("sndbuf: 0", BULK), "5:45", "sndbuf must be between 1 and 1073741824 bytes");
	fails(TCPF("rcvbuf: 2GiB", BULK), "5:45", "rcvbuf must be between 1 and 1073741824 bytes");
	fails(TCPF("sack: maybe", BULK), "5:43", "sack: expected true or false, got 'maybe'");
	fails(TCPF("delack: 11s", BULK), "5:45", "delack must be between 0s and 10s");
	fails(TCPF("msl: 0", BULK), "5:42", "msl must be greater than 0");
	fails(TCPF("ack_every: 0", BULK), "5:48", "ack_every must be between 1 and 1000, got '0'");
	fails(TCPF("max_retries: 1001", BULK), "5:50", "max_retries must be between 1 and 1000");
	fails(TCPF("backlog: 1e3", BULK), "5:46", "backlog: expected a whole number, got '1e3'");
	fails(TCPF("connect_timeout: 0", BULK), "5:54", "connect_timeout must be greater than 0");
	fails(TCPF("keepalive_intvl: -1s", BULK), "5:54", "keepalive_intvl:");
	fails(TCPF("timer_tick: 1min", BULK), "5:49", "timer_tick:");
	fails(TCPF("rx_mode: gobackn", BULK), "5:46", "unknown rx_mode 'gobackn' (valid: reassemble, gbn)");
	fails(TCPF("cc: westwood", BULK), "5:41", "unknown cc 'westwood' (valid: reno, tahoe, newreno, sack");
	fails(TCPF("cc: renoo", BULK), "5:41", "unknown cc 'renoo' (did you mean 'reno'? valid: reno, tahoe, newreno, sack");
	fails(TCPF("rto: rfc2988", BULK), "5:42", "unknown rto 'rfc2988' (did you mean 'rfc6298'?");
	fails(TCPF("isn: 4294967296", BULK), "5:42", "isn must be between 0 and 4294967295, got '4294967296'");
	fails(TCPF("isn: -1", BULK), "5:42", "isn: expected random, clock, bsd or a number from 0 to 4294967295, got '-1'");
	fails(TCPF("isn: randm", BULK), "5:42", "(did you mean 'random'?)");
	fails(TCPF("init_cwnd: 0", BULK), "5:48", "init_cwnd (segments) must be between 1 and 1000");
	fails(TCPF("init_cwnd: iw10", BULK), "5:48", "init_cwnd: expected a number of segments from 1 to 1000, or rfc3390");
	fails(TCPF("init_ssthresh: 0", BULK), "5:52", "init_ssthresh must be between 1 and 4294967295 bytes");
	fails(TCPF("init_ssthresh: unlimted", BULK), "5:52", "(did you mean 'unlimited'?)");
	fails(TCPF("rto: rfc793, rto_alpha: 1", BULK), "5:61", "rto_alpha must be above 0 and below 1, got '1'");
	fails(TCPF("rto: rfc793, rto_beta: 0.5", BULK), "5:60", "rto_beta must be at least 1 and at most 10");
	fails(TCPF("rto_alpha: 0.8", BULK), "5:48",
	      "rto_alpha is used only by rto: rfc793 (the client end uses rfc6298, whose gains are fixed)");
	fails(TCPF("rto_beta: 2, client: {rto: rfc793}", BULK), "5:47",
	      "rto_beta is used only by rto: rfc793 (the server end uses rfc6298");
	/* rto_min above rto_max: both given, one of them the default, per end */
	fails(TCPF("rto_min: 2s, rto_max: 1s", BULK), "5:46", "rto_min 2s is above rto_max 1s");
	fails(TCPF("rto_max: 500ms", BULK), "5:46", "rto_min 1s (the default) is above rto_max 500ms");
	fails(TCPF("rto_min: 200ms, server: {rto_max: 100ms}", BULK), "5:71",
	      "rto_min 200ms is above rto_max 100ms at the server end");
	/* a common value both ends override is still checked */
	fails(TCPF("mss: 10, client: {mss: 1000}, server: {mss: 1000}", BULK), "5:42",
	      "mss must be between 64 and 65495 bytes, got '10'");
	fails(TCPF("client: {mss: 1000}, server: {mss: 1}", BULK), "5:72", "mss must be between 64");

	/* apps */
	fails(TCPF("", "{type: bulk, count: 3}"), "5:58", "key 'count' is not used by app type 'bulk'");
	fails(TCPF("", "{type: reqresp, interval: 1s}"), "5:61",
	      "key 'interval' is not used by app type 'reqresp' (it takes: type, count, size, "
	      "object_size, mode, think, read_rate, read_size)");
	fails(TCPF("", "{type: reqresp, mode: streaming}"), "5:67",
	      "unknown reqresp mode 'streaming' (valid: separate, persistent, pipelined)");
	fails(TCPF("", "{type: reqresp, count: 0}"), "5:68", "count must be between 1 and");
	fails(TCPF("", "{type: reqresp, object_size: 0}"), "5:74", "object_size must be between 1 and");
	fails(TCPF("", "{type: interactive, interval: 0}"), "5:75", "interval must be greater than 0");
	fails(TCPF("", "{type: interactive, echo: 2}"), "5:71", "echo: expected true or false");
	fails(TCPF("", "{type: bulk, write_rate: fast}"), "5:70",
	      "write_rate: expected a rate like 10Mbps, or unlimited, got 'fast'");
	fails(TCPF("", "{type: bulk, read_rate: 11Tbps}"), "5:69", "read_rate must be at most 10Tbps");
	fails(TCPF("", "{type: bulk, bytes: -5}"), "5:65", "bytes: expected a size like 10MB, or unlimited");
	fails(TCPF("", "{type: bulk, close: sometimes}"), "5:65", "close: expected true, false or abort");
	fails(TCPF("", "{type: bulk, write_size: 2GiB}"), "5:70", "write_size must be between 0 and 1073741824 bytes");
	fails(TCPF("", "{type: bulk, rate: 1Mbps}"), "5:58", "key 'rate' is not used by app type 'bulk'");

	/* ports: unique per node and protocol */
	/* two listening TCP flows share the port (one listener) ... */
	load(FLOWNET "  - {name: u, tcp: {from: a, to: b, dport: 80}, app: " BULK "}\n"
	     "  - {name: v, tcp: {from: a, to: b, dport: 80}, app: " BULK "}\n");
	scn_free(&sc);
	/* ... but not with a flow that wants nobody listening there */
	fails(FLOWNET "  - {name: u, tcp: {from: a, to: b, dport: 80}, app: " BULK "}\n"
	      "  - {name: v, tcp: {from: a, to: b, dport: 80}, app: {type: bulk, listen: false}}\n",
	      "6:44", "flows 'u' and 'v' both send to tcp port 80 at node 'b'");
	fails(FLOWNET "  - {name: u, tcp: {from: a, to: b, dport: 80}, app: " BULK "}\n"
	      "  - {name: v, tcp: {from: b, to: a, sport: 80}, app: " BULK "}\n", "6:44",
	      "tcp port 80 at node 'b' is used by both flow 'u' and flow 'v' (give one a different sport)");

	/* trace */
	fails(NET2 "trace: {tcp_server: maybe}\n", "4:21", "tcp_server: expected true or false");
	fails(NET2 "trace: {tcp_servers: true}\n", "4:9", "unknown key 'tcp_servers' in trace (did you mean 'tcp_server'?)");
}

static void test_errors_events_trace(void **state)
{
	(void)state;
	fails(NET2 "events:\n  - {at: 11s, link: a-b, set: {up: false}}\n", "5:10",
	      "event at 11s is after the end of the run (duration 10s)");
	fails(NET2 "events:\n  - {at: 1s, link: a-c, set: {up: false}}\n", "5:20",
	      "unknown link 'a-c' (did you mean 'a-b'?)");
	fails(NET2 "events:\n  - {at: 1s, link: [b, c], set: {up: false}}\n", "5:24", "unknown node 'c'");
	fails("nodes: [a, b, c]\nlinks:\n  - {between: [a, b], bandwidth: 10Mbps}\n"
	      "events:\n  - {at: 1s, link: [b, c], set: {up: false}}\n", "5:20",
	      "no link joins 'b' and 'c'");
	fails("nodes: [a, b]\nlinks:\n  - {between: [a, b], bandwidth: 1Mbps}\n"
	      "  - {between: [a, b], bandwidth: 1Mbps, name: x}\n"
	      "events:\n  - {at: 1s, link: [a, b], set: {up: false}}\n", "6:20",
	      "2 links join 'a' and 'b': name the one you mean");
	fails(NET2 "events:\n  - {at: 1s, link: a-b, set: {}}\n", "5:30",
	      "set needs at least one of up, bandwidth, delay");
	fails(NET2 "events:\n  - {at: 1s, link: a-b, set: {down: true}}\n", "5:31",
	      "unknown key 'down' in set");
	fails(NET2 "events:\n  - {at: 1s, link: a-b, set: {up: 1}}\n", "5:35", "up: expected true or false");
	fails(NET2 "events:\n  - {at: 1s, link: a-b}\n", "5:5", "missing required key 'set' in event");
	fails(NET2 "events:\n  - {link: a-b, set: {up: false}}\n", "5:5", "missing required key 'at' in event");
	fails(NET2 "trace: {flows: [nope]}\n", "4:17", "unknown flow 'nope' in trace flows");
	fails(NET2 "trace: {flows: some}\n", "4:16", "trace flows: expected a list like [f1, u1], all, true or false, got 'some'");
	fails(NET2 "trace: {queues: [[a, c]]}\n", "4:22", "unknown node 'c'");
	fails(NET2 "trace: {queues: [a]}\n", "4:18", "unknown link 'a'");
	fails(NET2 "trace: {queues: [[a, b, a]]}\n", "4:18", "trace queues: expected a direction like [r1, r2]");
	fails(NET2 "trace: {pcap: [z]}\n", "4:16", "unknown node 'z'");
	fails(NET2 "trace: {snaplen: 1MB}\n", "4:18", "snaplen must be between 0 and 262144 bytes");
	fails(NET2 "trace: {packet: true}\n", "4:9", "unknown key 'packet' in trace (did you mean 'packets'?)");
	fails(NET2 "trace: [packets]\n", "4:8", "trace: expected a map like");
}

static void test_file(void **state)
{
	char path[] = "/tmp/test_scenario_XXXXXX";
	int fd;
	(void)state;
	memset(&err, 0, sizeof(err));
	assert_int_equal(scn_load_file("/nonexistent/x.yaml", NULL, 0, &sc, &err), -1);
	assert_string_equal(err.msg, "/nonexistent/x.yaml: error: cannot read: "
			    "No such file or directory");
	assert_int_equal(scn_load_file("/", NULL, 0, &sc, &err), -1);
	assert_non_null(strstr(err.msg, "/: error: cannot read: "));

	fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, NET2, strlen(NET2)), (ssize_t)strlen(NET2));
	close(fd);
	assert_int_equal(scn_load_file(path, NULL, 0, &sc, &err), 0);
	assert_string_equal(sc.file, path);
	assert_string_equal(sc.name, path + 5);
	assert_int_equal(sc.n_links, 1);
	unlink(path);
}

/* The buffer is not a C string: only `len` bytes count. */
static void test_buffer_length(void **state)
{
	const char buf[] = "nodes: [a, b]\nseed: 5\nJUNK: 1";
	(void)state;
	assert_int_equal(scn_load_buffer("b", buf, strlen(buf) - 7, NULL, 0, &sc, &err), 0);
	assert_int_equal(sc.seed, 5);
	scn_free(&sc);
	assert_int_equal(scn_load_buffer(NULL, NULL, 0, NULL, 0, &sc, &err), -1);
	assert_string_equal(err.msg, "<buffer>:1:1: error: empty scenario");
	scn_free(&sc);          /* harmless after a failure, and twice */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_defaults, teardown),
		cmocka_unit_test_teardown(test_vars_repeat, teardown),
		cmocka_unit_test_teardown(test_name_from_file, teardown),
		cmocka_unit_test_teardown(test_node_addresses, teardown),
		cmocka_unit_test_teardown(test_full, teardown),
		cmocka_unit_test_teardown(test_flow_style, teardown),
		cmocka_unit_test_teardown(test_trace_and_plots_forms, teardown),
		cmocka_unit_test_teardown(test_parallel_links, teardown),
		cmocka_unit_test_teardown(test_multi_hop_reachability, teardown),
		cmocka_unit_test_teardown(test_anchors_and_merge, teardown),
		cmocka_unit_test_teardown(test_tcp_defaults, teardown),
		cmocka_unit_test_teardown(test_tcp_full, teardown),
		cmocka_unit_test_teardown(test_tcp_enums, teardown),
		cmocka_unit_test_teardown(test_tcp_limits, teardown),
		cmocka_unit_test_teardown(test_tcp_sets, teardown),
		cmocka_unit_test_teardown(test_sets, teardown),
		cmocka_unit_test_teardown(test_set_later_wins_and_new_maps, teardown),
		cmocka_unit_test_teardown(test_set_dotted_names, teardown),
		cmocka_unit_test_teardown(test_set_errors, teardown),
		cmocka_unit_test_teardown(test_errors_structure, teardown),
		cmocka_unit_test_teardown(test_errors_merge_and_size, teardown),
		cmocka_unit_test_teardown(test_errors_top, teardown),
		cmocka_unit_test_teardown(test_errors_nodes, teardown),
		cmocka_unit_test_teardown(test_errors_links, teardown),
		cmocka_unit_test_teardown(test_errors_dirs, teardown),
		cmocka_unit_test_teardown(test_errors_flows, teardown),
		cmocka_unit_test_teardown(test_errors_tcp, teardown),
		cmocka_unit_test_teardown(test_errors_events_trace, teardown),
		cmocka_unit_test_teardown(test_file, teardown),
		cmocka_unit_test_teardown(test_buffer_length, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
