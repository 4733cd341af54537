/*
 * test_tcp_apps.c - the TCP applications reqresp (HTTP-like) and
 * interactive (telnet-like), end to end through the scenario loader and
 * builder: what each end wrote and read, the per-object and per-keystroke
 * times against what the topology allows, and the segment counts that
 * Nagle, delayed ACKs and TCP Fast Open change.
 *
 * Every scenario runs on one link a-b, 100 Mbps, 25 ms each way: RTT 50 ms,
 * and a full segment takes 0.12 ms to send, so the transmission times in a
 * small exchange add well under 1 ms to the RTTs it needs.
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
#include "scenario.h"

#define RTT     0.050           /* seconds */
#define SLACK   0.001           /* transmission times, per exchange */
#define DELACK  0.200           /* the default delayed-ACK timeout */

struct world {
	struct scenario sc;
	struct run r;
};

static void load_yaml(struct world *w, const char *yaml)
{
	struct scn_error err;

	if (scn_load_buffer("t.yaml", yaml, strlen(yaml), NULL, 0, &w->sc, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(build_run(&w->r, &w->sc, NULL), 0);
}

/* One tcp flow `t` from a to b; `tcp` and `flow` are extra keys for the
 * flow's tcp: map and the flow itself, `app` the app: map's contents,
 * `top` more top-level keys. */
static void load_top(struct world *w, const char *tcp, const char *app, const char *flow,
		     const char *top)
{
	char yaml[2048];

	snprintf(yaml, sizeof yaml,
		 "duration: 300s\nnodes: [a, b]\n"
		 "links: [{between: [a, b], bandwidth: 100Mbps, delay: 25ms}]\n"
		 "flows: [{name: t, tcp: {from: a, to: b%s%s}, app: {%s}%s%s}]\n%s",
		 *tcp ? ", " : "", tcp, app, *flow ? ", " : "", flow, top);
	load_yaml(w, yaml);
}

static void load(struct world *w, const char *tcp, const char *app, const char *flow)
{
	load_top(w, tcp, app, flow, "");
}

static struct app *run_all(struct world *w, const char *tcp, const char *app, const char *flow)
{
	load(w, tcp, app, flow);
	sim_run(&w->r.sim, w->sc.duration);
	return run_app(&w->r, 0);
}

static void unload(struct world *w)
{
	run_free(&w->r);
	scn_free(&w->sc);
}

/* Both ends wrote and read exactly what the exchange calls for, the
 * streams arrived intact, everything is closed. */
static void assert_delivered(const struct app *a, uint64_t up, uint64_t down)
{
	assert_int_equal(a->tcp_written[APP_CLIENT], up);
	assert_int_equal(a->tcp_read_bytes[APP_SERVER], up);
	assert_int_equal(a->tcp_written[APP_SERVER], down);
	assert_int_equal(a->tcp_read_bytes[APP_CLIENT], down);
	assert_true(a->integrity_bad == UINT64_MAX);
	assert_null(a->cli);
	assert_null(a->srv);
}

/* ... and, on a path that loses nothing, nothing was sent twice. */
static void assert_exact(const struct app *a, uint64_t up, uint64_t down)
{
	struct tcp_stats st[2];

	assert_delivered(a, up, down);
	app_tcp_totals(a, st);
	assert_int_equal(st[APP_CLIENT].retransmits + st[APP_SERVER].retransmits, 0);
}

static void assert_between(double x, double lo, double hi)
{
	if (x < lo || x > hi)
		fail_msg("%.6f not in [%.6f, %.6f]", x, lo, hi);
}

/* ---- reqresp ---- */

/* Seven objects in each mode: every one asked for and read in full; one
 * connection per object only in separate mode. */
static void test_reqresp_modes_complete(void **state)
{
	static const char *const modes[] = { "separate", "persistent", "pipelined" };
	(void)state;

	for (int m = 0; m < 3; m++) {
		struct world w;
		char app[200];

		snprintf(app, sizeof app, "type: reqresp, count: 7, size: 200B, "
			 "object_size: 3000B, mode: %s", modes[m]);
		struct app *a = run_all(&w, "", app, "");
		assert_int_equal(a->st.queries, 7);
		assert_int_equal(a->st.answers, 7);
		assert_int_equal(a->st.failures, 0);
		assert_int_equal(a->connections, m == 0 ? 7 : 1);
		assert_exact(a, 7 * 200, 7 * 3000);
		unload(&w);
	}
}

/* Requests and objects larger than the 256 KiB send buffers (the writers
 * wait for tcp_writable; slow start overflows the link's queue, so this
 * includes loss recovery), and a slow reader (read_rate) that is still
 * reading the object when the server's FIN is in. */
static void test_reqresp_large_and_paced(void **state)
{
	static const char *const modes[] = { "separate", "persistent", "pipelined" };
	(void)state;

	for (int m = 0; m < 3; m++) {
		struct world w;
		char app[200];

		snprintf(app, sizeof app, "type: reqresp, count: 3, size: 1MB, "
			 "object_size: 2MB, mode: %s", modes[m]);
		struct app *a = run_all(&w, "", app, "");
		assert_int_equal(a->st.answers, 3);
		assert_delivered(a, 3000000, 6000000);
		unload(&w);
	}
	struct world w;
	struct app *a = run_all(&w, "", "type: reqresp, count: 3, object_size: 20000B, "
				"mode: separate, read_rate: 1Mbps, read_size: 1000B", "");
	assert_int_equal(a->st.answers, 3);
	assert_int_equal(a->connections, 3);
	assert_exact(a, 300, 60000);
	/* 20 reads 8 ms apart: each object takes at least 152 ms to read. */
	assert_true(a->st.rtt_sum_s > 3 * (2 * RTT + 0.152));
	unload(&w);
}

/* HTTP/1.0 against keep-alive, 10 objects of 2000 B (they fit the initial
 * window; the server sets TCP_NODELAY as web servers do, see the stall
 * test).  Separate: handshake + request/response = 2 RTT each.
 * Persistent: 2 RTT for the first, 1 RTT for each of the other 9. */
static void test_persistent_saves_handshake(void **state)
{
	const char *tcp = "server: {nodelay: true}";
	const int n = 10;
	struct world w;
	(void)state;

	struct app *a = run_all(&w, tcp, "type: reqresp, count: 10, object_size: 2000B, "
				"mode: separate", "");
	double sep = a->st.rtt_sum_s, sep_end = sim_sec(a->last_read);
	assert_int_equal(a->st.answers, n);
	assert_between(sep, n * 2 * RTT, n * (2 * RTT + SLACK));
	unload(&w);

	a = run_all(&w, tcp, "type: reqresp, count: 10, object_size: 2000B, mode: persistent", "");
	double per = a->st.rtt_sum_s, per_end = sim_sec(a->last_read);
	assert_int_equal(a->st.answers, n);
	assert_between(per, (n + 1) * RTT, (n + 1) * RTT + n * SLACK);
	unload(&w);

	/* One RTT per object after the first, in each object's time and in
	 * the whole session's (think 0: objects follow each other). */
	assert_between(sep - per, (n - 1) * RTT - n * SLACK, (n - 1) * RTT + n * SLACK);
	assert_between(sep_end - per_end, (n - 1) * RTT - n * SLACK, (n - 1) * RTT + n * SLACK);
}

/* Keep-alive with Nagle on at the server: a 2000-byte object is a full
 * segment and 552 bytes, which Nagle holds until the full one is
 * acknowledged - and the client delays that ACK (one segment, not two):
 * each object waits out the delayed-ACK timer (seed 000's Nagle/delayed ACK
 * interaction).  An object: request 0.5 RTT, first segment 0.5 RTT, the
 * timer, its ACK 0.5 RTT, the rest 0.5 RTT; the first adds the handshake. */
static void test_persistent_nagle_delack_stall(void **state)
{
	const int n = 10;
	struct world w;
	(void)state;

	struct app *a = run_all(&w, "", "type: reqresp, count: 10, object_size: 2000B, "
				"mode: persistent", "");
	assert_int_equal(a->st.answers, n);
	double want = n * (2 * RTT + DELACK) + RTT;
	assert_between(a->st.rtt_sum_s, want, want + n * SLACK);
	assert_exact(a, n * 100, n * 2000);
	unload(&w);
}

/* Think time separates the objects but is not part of their times. */
static void test_think_time(void **state)
{
	const char *tcp = "server: {nodelay: true}";
	struct world w;
	(void)state;

	struct app *a = run_all(&w, tcp, "type: reqresp, count: 5, object_size: 2000B, "
				"mode: persistent", "");
	double sum0 = a->st.rtt_sum_s, end0 = sim_sec(a->last_read);
	unload(&w);
	a = run_all(&w, tcp, "type: reqresp, count: 5, object_size: 2000B, "
		    "mode: persistent, think: 2s", "");
	assert_int_equal(a->st.answers, 5);
	assert_between(a->st.rtt_sum_s, sum0 - 5 * SLACK, sum0 + 5 * SLACK);
	assert_between(sim_sec(a->last_read) - end0, 4 * 2.0 - 5 * SLACK, 4 * 2.0 + 5 * SLACK);
	unload(&w);
}

/* Pipelining: the ten requests leave in one segment with the handshake's
 * ACK and the objects follow back to back, so the last arrives long before
 * the ten round trips keep-alive needs. */
static void test_pipelined_beats_persistent(void **state)
{
	const char *tcp = "server: {nodelay: true}";
	struct tcp_stats st[2];
	struct world w;
	(void)state;

	struct app *a = run_all(&w, tcp, "type: reqresp, count: 10, object_size: 2000B, "
				"mode: persistent", "");
	double per_end = sim_sec(a->last_read);
	unload(&w);

	a = run_all(&w, tcp, "type: reqresp, count: 10, object_size: 2000B, mode: pipelined", "");
	double pip_end = sim_sec(a->last_read);
	assert_int_equal(a->st.answers, 10);
	app_tcp_totals(a, st);
	assert_int_equal(st[APP_CLIENT].segs_out, 1);
	/* 20000 B from an initial window of 3 segments: slow start needs a
	 * few rounds, but not ten. */
	assert_true(pip_end >= 2 * RTT);
	assert_true(pip_end < per_end - 4 * RTT);
	/* every object is timed from the connect: at least 2 RTT each */
	assert_true(a->st.rtt_sum_s >= 10 * 2 * RTT);
	assert_true(a->st.rtt_sum_s <= 10 * pip_end);
	unload(&w);
}

/* TCP Fast Open (RFC 7413), separate mode: the first SYN asks for a cookie
 * and carries nothing; later SYNs carry the cookie and the request, and
 * the server's SYN-ACK acknowledges the request with the SYN. */
static void test_tfo_request_in_syn(void **state)
{
	struct world w;
	struct app *a;
	(void)state;

	load(&w, "tfo: true", "type: reqresp, count: 3, object_size: 2000B, mode: separate, "
	     "think: 1s", "");
	a = run_app(&w.r, 0);
	sim_run(&w.r.sim, 10 * SIM_MS);
	assert_non_null(a->cli);
	assert_int_equal(a->cli->state, TCPS_SYN_SENT);
	assert_false(a->cli->tfo_on);                   /* no cookie yet */
	assert_false(a->cli->tfo_data_in_syn);
	/* Object 1 is in at 2 RTT; the second connection opens 1 s later. */
	sim_run(&w.r.sim, 1120 * SIM_MS);
	assert_int_equal(a->st.answers, 1);
	assert_non_null(a->cli);
	assert_int_equal(a->cli->state, TCPS_SYN_SENT);
	assert_true(a->cli->tfo_on);
	assert_true(a->cli->tfo_data_in_syn);
	uint32_t iss = a->cli->iss;
	sim_run(&w.r.sim, 1160 * SIM_MS);
	assert_non_null(a->cli);
	assert_int_equal(a->cli->snd_una - iss, 1 + 100);       /* SYN + request */
	sim_run(&w.r.sim, w.sc.duration);
	assert_int_equal(a->st.answers, 3);
	assert_int_equal(a->connections, 3);
	assert_exact(a, 300, 6000);
	unload(&w);
}

/* ... and so the server answers one RTT sooner on connections 2..N (RFC
 * 7413 section 3: the request reaches the server application with the SYN,
 * which may answer before the handshake completes): N*2 RTT without TFO,
 * 2 RTT + (N-1) RTT with it. */
static void test_tfo_saves_one_rtt(void **state)
{
	const int n = 5;
	struct world w;
	(void)state;

	/* A nodelay server, as web servers are: with Nagle the object's
	 * short last segment waits for the handshake's final ACK (a FIN may
	 * not leave SYN-RECEIVED with data pending, RFC 9293 3.10.4), which
	 * takes back the round trip TFO saved. */
	struct app *a = run_all(&w, "tfo: false, server: {nodelay: true}",
				"type: reqresp, count: 5, object_size: 2000B, mode: separate", "");
	double plain = a->st.rtt_sum_s;
	assert_int_equal(a->st.answers, n);
	unload(&w);
	a = run_all(&w, "tfo: true, server: {nodelay: true}",
		    "type: reqresp, count: 5, object_size: 2000B, mode: separate", "");
	double tfo = a->st.rtt_sum_s;
	assert_int_equal(a->st.answers, n);
	assert_exact(a, n * 100, n * 2000);
	unload(&w);
	assert_between(plain - tfo, (n - 1) * RTT - n * SLACK, (n - 1) * RTT + n * SLACK);
}

/* A connection lost in an outage: its request fails, the others go on a
 * new connection once the link is back. */
static void test_reqresp_failure_reconnects(void **state)
{
	struct world w;
	(void)state;

	/* Objects at 0.1 s (the handshake's RTT and one more) and 1.15 s;
	 * the third request leaves at ~2.2 s into a link that is down from
	 * 2 s to 10 s; two retransmissions later the connection is dropped
	 * and the next request opens a new one, which gets through once the
	 * link is back. */
	load_top(&w, "client: {max_retries: 2, rto_min: 200ms}, server: {nodelay: true}",
		 "type: reqresp, count: 5, object_size: 2000B, mode: persistent, think: 1s", "",
		 "events: [{at: 2s, link: [a, b], set: {up: false}},\n"
		 "         {at: 10s, link: [a, b], set: {up: true}}]\n");
	sim_run(&w.r.sim, w.sc.duration);
	struct app *a = run_app(&w.r, 0);
	assert_int_equal(a->st.queries, 5);
	assert_int_equal(a->st.failures, 1);
	assert_int_equal(a->st.answers, 4);
	assert_int_equal(a->connections, 2);
	assert_int_equal(a->tcp_read_bytes[APP_CLIENT], 4 * 2000);
	assert_int_equal(a->tcp_written[APP_CLIENT], 5 * 100);
	unload(&w);
}

/* The flow's stop: no request after it; the one under way still counts. */
static void test_reqresp_stop(void **state)
{
	struct world w;
	(void)state;

	struct app *a = run_all(&w, "", "type: reqresp, count: 1000, object_size: 2000B, "
				"mode: separate, think: 1s", "stop: 10500ms");
	/* an object every 1.1 s: 10 started before 10.5 s */
	assert_int_equal(a->st.queries, 10);
	assert_int_equal(a->st.answers + a->st.failures, 10);
	assert_int_equal(a->tcp_written[APP_CLIENT], 10 * 100);
	assert_null(a->cli);
	unload(&w);
}

/* ---- interactive ---- */

/* A slow typist (a keystroke a second): every keystroke is echoed, the
 * echo takes one RTT (a keystroke typed while the previous one is still
 * out waits for its ACK - rarely, at this pace). */
static void test_interactive_echo(void **state)
{
	struct world w;
	(void)state;

	struct app *a = run_all(&w, "", "type: interactive, count: 100, interval: 1s", "");
	assert_int_equal(a->st.queries, 100);
	assert_int_equal(a->st.answers, 100);
	assert_exact(a, 100, 100);
	assert_between(a->st.rtt_sum_s / 100, RTT, 1.1 * RTT);
	unload(&w);

	/* 3000-byte keystrokes (pastes): two segments each way. */
	a = run_all(&w, "", "type: interactive, count: 50, interval: 1s, size: 3000B", "");
	assert_int_equal(a->st.answers, 50);
	assert_exact(a, 150000, 150000);
	unload(&w);

	/* Without echo the server only reads. */
	a = run_all(&w, "", "type: interactive, count: 100, interval: 1s, echo: false", "");
	assert_int_equal(a->st.queries, 100);
	assert_int_equal(a->st.answers, 0);
	assert_exact(a, 100, 0);
	unload(&w);
}

/* A fast typist (5 ms gaps, RTT 50 ms).  Nagle (RFC 896): one small
 * segment in flight, the rest wait for its ACK and leave together - at
 * most one data segment per RTT.  With nodelay every keystroke is a
 * segment of its own. */
static void test_interactive_nagle(void **state)
{
	const char *app = "type: interactive, count: 100, interval: 5ms";
	struct tcp_stats st[2];
	struct world w;
	(void)state;

	struct app *a = run_all(&w, "", app, "");
	app_tcp_totals(a, st);
	uint64_t nagle_segs = st[APP_CLIENT].segs_out;
	double nagle_lat = a->st.rtt_sum_s / 100;
	assert_int_equal(a->st.answers, 100);
	assert_exact(a, 100, 100);
	assert_true(nagle_segs < 100 / 4);
	assert_true(nagle_segs <= 1 + (uint64_t)(sim_sec(a->last_read) / RTT));
	unload(&w);

	a = run_all(&w, "client: {nodelay: true}", app, "");
	app_tcp_totals(a, st);
	assert_int_equal(st[APP_CLIENT].segs_out, 100);
	assert_int_equal(a->st.answers, 100);
	assert_exact(a, 100, 100);
	/* nothing waits at the client: the echo comes sooner */
	assert_true(a->st.rtt_sum_s / 100 < nagle_lat);
	unload(&w);
}

/* Delayed ACK at the server (RFC 1122 4.2.3.2): the keystroke's ACK waits,
 * and the echo, written at once, carries it - no segment from the server
 * but echoes (and the handshake, its window update and the close).  With
 * delack 0 every keystroke draws a bare ACK before its echo. */
static void test_interactive_echo_carries_ack(void **state)
{
	const char *app = "type: interactive, count: 100, interval: 1s";
	struct tcp_stats st[2];
	struct world w;
	(void)state;

	struct app *a = run_all(&w, "", app, "");
	app_tcp_totals(a, st);
	assert_int_equal(st[APP_SERVER].segs_out, 100);
	assert_true(st[APP_CLIENT].segs_in - st[APP_SERVER].segs_out <= 5);
	unload(&w);

	a = run_all(&w, "server: {delack: 0}", app, "");
	app_tcp_totals(a, st);
	assert_int_equal(a->st.answers, 100);
	assert_true(st[APP_CLIENT].segs_in - st[APP_SERVER].segs_out >= 100);
	unload(&w);
}

/* count 0: typing until the flow stops (a Poisson count, mean 50 in 50 s),
 * then the client waits for the last echoes and closes. */
static void test_interactive_until_stop(void **state)
{
	struct world w;
	(void)state;

	struct app *a = run_all(&w, "", "type: interactive, interval: 1s", "stop: 50s");
	assert_true(a->st.queries >= 50 - 4 * 7 && a->st.queries <= 50 + 4 * 7);
	assert_int_equal(a->st.answers, a->st.queries);
	assert_exact(a, a->st.queries, a->st.queries);
	/* the last echo came back soon after the stop */
	assert_true(sim_sec(a->last_read) < 50.0 + 2 * RTT + DELACK);
	unload(&w);
}

/* A fast typist through a 3.5 s outage: some 3500 keystrokes wait for
 * their echo, more than the 2048 whose times are kept.  Every echo still
 * arrives and the session closes; the keystrokes typed beyond the 2048 are
 * not timed, so answers (timed echoes) fall short of queries by them. */
static void test_interactive_outage_untimed(void **state)
{
	struct world w;
	(void)state;

	load_top(&w, "", "type: interactive, count: 4000, interval: 1ms", "",
		 "events: [{at: 500ms, link: [a, b], set: {up: false}},\n"
		 "         {at: 4s, link: [a, b], set: {up: true}}]\n");
	sim_run(&w.r.sim, w.sc.duration);
	struct app *a = run_app(&w.r, 0);
	assert_int_equal(a->st.queries, 4000);
	assert_delivered(a, 4000, 4000);
	assert_true(a->st.answers >= 2048);
	assert_true(a->st.answers < 4000 - 1000);
	/* the timed ones include 2048 that waited out most of the outage */
	assert_true(a->st.rtt_sum_s / a->st.answers > 1.0);
	unload(&w);
}

/*
 * Several flows to one (node, port) share a listener: three clients - two
 * on the same node (ephemeral ports) and a reqresp on another - each get
 * their own connection's data, counters and integrity, the server ends
 * included (each connection is its client's flow from the SYN on).
 */
static void test_shared_listener(void **state)
{
	struct world w;
	(void)state;

	load_yaml(&w,
		  "duration: 20s\nnodes: [a, c, b]\n"
		  "links: [{between: [a, b], bandwidth: 100Mbps, delay: 25ms},"
		  " {between: [c, b], bandwidth: 100Mbps, delay: 5ms}]\n"
		  "flows:\n"
		  "  - {name: x, tcp: {from: a, to: b, dport: 80}, app: {type: bulk, bytes: 30000B}}\n"
		  "  - {name: y, tcp: {from: a, to: b, dport: 80}, app: {type: bulk, bytes: 70000B}}\n"
		  "  - {name: z, tcp: {from: c, to: b, dport: 80},"
		  " app: {type: reqresp, mode: separate, count: 3, size: 100B, object_size: 5000B}}\n");
	sim_run(&w.r.sim, w.sc.duration);
	const struct app *x = run_app(&w.r, 0), *y = run_app(&w.r, 1), *z = run_app(&w.r, 2);

	assert_int_equal(x->tcp_read_bytes[APP_SERVER], 30000);
	assert_int_equal(y->tcp_read_bytes[APP_SERVER], 70000);
	assert_int_equal(z->tcp_read_bytes[APP_SERVER], 300);
	assert_int_equal(z->tcp_read_bytes[APP_CLIENT], 15000);
	assert_int_equal(z->connections, 3);
	for (int i = 0; i < 3; i++)
		assert_true(app_tcp_integrity(run_app(&w.r, i)) == UINT64_MAX);
	/* one listener, the first flow's */
	assert_ptr_equal(x->listener, y->listener);
	assert_ptr_equal(x->listener, z->listener);
	run_free(&w.r);
	scn_free(&w.sc);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reqresp_modes_complete),
		cmocka_unit_test(test_reqresp_large_and_paced),
		cmocka_unit_test(test_persistent_saves_handshake),
		cmocka_unit_test(test_persistent_nagle_delack_stall),
		cmocka_unit_test(test_think_time),
		cmocka_unit_test(test_pipelined_beats_persistent),
		cmocka_unit_test(test_tfo_request_in_syn),
		cmocka_unit_test(test_tfo_saves_one_rtt),
		cmocka_unit_test(test_reqresp_failure_reconnects),
		cmocka_unit_test(test_reqresp_stop),
		cmocka_unit_test(test_interactive_echo),
		cmocka_unit_test(test_interactive_nagle),
		cmocka_unit_test(test_interactive_echo_carries_ack),
		cmocka_unit_test(test_interactive_until_stop),
		cmocka_unit_test(test_interactive_outage_untimed),
		cmocka_unit_test(test_shared_listener),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
