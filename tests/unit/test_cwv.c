/*
 * test_cwv.c - congestion window validation (proto/tcp_cwv.c): RFC 5681
 * 4.1 restart after idle, RFC 7661 New CWV, and none.
 *
 * First the RFC 7661 arithmetic on a forged control block (the hooks read
 * only snd_una/snd_max, srtt, cwnd/ssthresh and the configuration): the
 * pipeACK samples and their running maximum, entering the non-validated
 * phase (NVP), no growth in it, the five-minute cuts and the cut after a
 * loss in the NVP, each against a value computed here by hand.  Then the
 * three policies end to end through the scenario loader: a web server
 * answering after think time, and an application-limited sender.
 *
 * MSS 1000 bytes, SRTT 100 ms, IW 3 segments unless a test says otherwise.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include "app.h"
#include "build.h"
#include "scenario.h"
#include "tcp.h"
#include "tcp_cwv.h"

#define MSS     1000u
#define SRTT    (100 * SIM_MS)

struct fix {
	struct sim s;
	struct tcp_conf conf;
	struct tcb t;
};

static struct fix *fix_new(enum tcp_cwv_mode mode, uint32_t cwnd)
{
	struct fix *f = calloc(1, sizeof *f);

	assert_non_null(f);
	tcp_conf_defaults(&f->conf);
	f->conf.cwv = mode;
	f->t.conf = &f->conf;
	f->t.mss = MSS;
	f->t.ccv.mss = MSS;
	f->t.ccv.init_cwnd = 3 * MSS;
	f->t.ccv.cwnd = cwnd;
	f->t.ccv.ssthresh = UINT32_MAX;
	f->t.rtt.srtt = SRTT;
	f->t.snd_una = f->t.snd_max = 1000;
	return f;
}

/* At `now`, `bytes` more are acknowledged and `flight` stays in flight. */
static void ack_at(struct fix *f, sim_time_t now, uint32_t bytes, uint32_t flight)
{
	f->s.now = now;
	f->t.snd_una += bytes;
	f->t.snd_max = f->t.snd_una + flight;
	tcp_cwv_ack(&f->s, &f->t);
}

/* A cwnd-limited sender: 20 segments acknowledged per RTT, cwnd 20. */
static void test_validated_when_used(void **st)
{
	struct fix *f = fix_new(TCP_CWV_RFC7661, 20 * MSS);
	(void)st;

	for (int i = 0; i <= 20; i++)
		ack_at(f, i * SRTT / 2, 10 * MSS, 19 * MSS);
	/* samples every SRTT: 2 ACKs of 10 segments each */
	assert_int_equal(tcp_cwv_pipeack(&f->t, f->s.now), 20 * MSS);
	assert_false(f->t.cwv.nvp);
	assert_true(tcp_cwv_may_grow(&f->t));
	assert_int_equal(f->t.st.cwv_nvp_entries, 0);
	free(f);
}

/* Rate-limited: 4 segments per RTT with cwnd 20 (pipeACK 4 < 10 = cwnd/2)
 * and little in flight: the NVP, and no growth. */
static void test_rate_limited_enters_nvp(void **st)
{
	struct fix *f = fix_new(TCP_CWV_RFC7661, 20 * MSS);
	(void)st;

	for (int i = 0; i <= 10; i++)
		ack_at(f, i * SRTT, 4 * MSS, 2 * MSS);
	assert_int_equal(tcp_cwv_pipeack(&f->t, f->s.now), 4 * MSS);
	assert_true(f->t.cwv.nvp);
	assert_false(tcp_cwv_may_grow(&f->t));
	assert_int_equal(f->t.st.cwv_nvp_entries, 1);
	/* the window is kept, not cut (before five minutes) */
	assert_int_equal(f->t.ccv.cwnd, 20 * MSS);
	/* 11 segments per RTT (>= cwnd/2) validates it again */
	ack_at(f, 11 * SRTT, 11 * MSS, 2 * MSS);
	assert_false(f->t.cwv.nvp);
	/* the other policies never hold growth back */
	f->conf.cwv = TCP_CWV_NONE;
	f->t.cwv.nvp = true;
	assert_true(tcp_cwv_may_grow(&f->t));
	free(f);
}

/* In slow start pipeACK lags one RTT (~ cwnd/2): a sender with at least
 * cwnd/2 in flight is not rate-limited and stays validated. */
static void test_slow_start_not_nvp(void **st)
{
	struct fix *f = fix_new(TCP_CWV_RFC7661, 3 * MSS);
	uint32_t w = 3 * MSS;
	(void)st;

	for (int r = 1; r <= 8; r++) {
		/* a round: w acknowledged, cwnd doubles, 2w in flight */
		f->t.ccv.cwnd = 2 * w;
		ack_at(f, r * SRTT, w, 2 * w - w / 2);
		assert_false(f->t.cwv.nvp);
		w *= 2;
	}
	free(f);
}

/* The running maximum: the largest sample of the last max(3 SRTT, 1 s)
 * = 1 s; older ones age out; nothing for a whole window: 0. */
static void test_pipeack_window(void **st)
{
	struct fix *f = fix_new(TCP_CWV_RFC7661, 100 * MSS);
	(void)st;

	ack_at(f, 0, 0, 0);                              /* opens the period */
	ack_at(f, 1 * SRTT, 30 * MSS, 50 * MSS);         /* sample 30 at 0.1 s */
	ack_at(f, 2 * SRTT, 10 * MSS, 50 * MSS);         /* 10 at 0.2 s */
	ack_at(f, 3 * SRTT, 20 * MSS, 50 * MSS);         /* 20 at 0.3 s */
	assert_int_equal(tcp_cwv_pipeack(&f->t, 3 * SRTT), 30 * MSS);
	for (int i = 4; i <= 11; i++)                    /* 5 each, to 1.1 s */
		ack_at(f, i * SRTT, 5 * MSS, 50 * MSS);
	/* 30 (0.1 s) is 1.0 s old at 1.1 s: still in; at 1.15 s it is out
	 * and the best later sample (20 at 0.3 s, or a newer second choice)
	 * is reported - never more than the true max of the window */
	assert_int_equal(tcp_cwv_pipeack(&f->t, 11 * SRTT), 30 * MSS);
	uint32_t later = tcp_cwv_pipeack(&f->t, 11 * SRTT + SRTT / 2);
	assert_true(later <= 20 * MSS && later >= 5 * MSS);
	/* nothing acknowledged for longer than the window: 0 */
	assert_int_equal(tcp_cwv_pipeack(&f->t, 30 * SRTT), 0);
	free(f);
}

/* Idle for 11 minutes with NVP = 5 min: the phase begins when the last
 * sample ages out (1 s after it), and two NVPs have passed by the next
 * send: ssthresh = max(ssthresh, 3/4 cwnd) and cwnd = max(cwnd/2, IW),
 * twice: 64 -> 32 -> 16 segments, ssthresh 20 -> 48 (3/4 of 64). */
static void test_nvp_expiry_cuts(void **st)
{
	struct fix *f = fix_new(TCP_CWV_RFC7661, 64 * MSS);
	(void)st;

	f->t.ccv.ssthresh = 20 * MSS;
	ack_at(f, 0, 0, 0);
	ack_at(f, SRTT, 64 * MSS, 0);                    /* sample 64 at 0.1 s */
	f->s.now = SRTT + 1 * SIM_S + 299 * SIM_S;       /* 299 s into the NVP */
	tcp_cwv_before_send(&f->s, &f->t);
	assert_true(f->t.cwv.nvp);
	assert_int_equal(f->t.ccv.cwnd, 64 * MSS);
	f->s.now = SRTT + 1 * SIM_S + 660 * SIM_S;       /* 11 min later */
	tcp_cwv_before_send(&f->s, &f->t);
	assert_int_equal(f->t.st.cwv_reductions, 2);
	assert_int_equal(f->t.ccv.cwnd, 16 * MSS);
	assert_int_equal(f->t.ccv.ssthresh, 48 * MSS);
	/* a long enough wait ends at IW, and stops there */
	f->s.now += 100 * 300 * SIM_S;
	tcp_cwv_before_send(&f->s, &f->t);
	assert_int_equal(f->t.ccv.cwnd, 3 * MSS);
	assert_int_equal(f->t.st.cwv_reductions, 5);     /* 16 -> 8 -> 4 -> 3 */
	free(f);
}

/* A loss in the NVP: at the end of recovery cwnd = (max(pipeACK,
 * LossFlightSize) - R) / 2 and ssthresh = cwnd.  pipeACK 4 segments,
 * 24 in flight at the loss (a burst after idle), 6 retransmitted:
 * (24 - 6) / 2 = 9 segments. */
static void test_loss_in_nvp(void **st)
{
	struct fix *f = fix_new(TCP_CWV_RFC7661, 40 * MSS);
	(void)st;

	for (int i = 0; i <= 5; i++)
		ack_at(f, i * SRTT, 4 * MSS, 1 * MSS);
	assert_true(f->t.cwv.nvp);
	f->t.snd_max = f->t.snd_una + 24 * MSS;
	tcp_cwv_loss(&f->t);
	f->t.st.bytes_retransmitted += 6 * MSS;
	tcp_cwv_recovered(&f->s, &f->t);
	assert_int_equal(f->t.ccv.cwnd, 9 * MSS);
	assert_int_equal(f->t.ccv.ssthresh, 9 * MSS);
	assert_false(f->t.cwv.nvp);
	assert_int_equal(f->t.st.cwv_loss_cuts, 1);
	/* a loss in the validated phase leaves the algorithm's result alone */
	f->t.ccv.cwnd = 20 * MSS;
	tcp_cwv_loss(&f->t);
	tcp_cwv_recovered(&f->s, &f->t);
	assert_int_equal(f->t.ccv.cwnd, 20 * MSS);
	free(f);
}

/* ---- end to end ---- */

/*
 * A server answers three 200 KB objects with 3 s of think time between
 * them (persistent connection, 50 ms RTT, 10 Mb/s, a 300-packet buffer so
 * nothing is lost).  At the instant the second answer starts, cwnd is IW
 * under rfc5681 (idle 3 s > RTO) and the window the first answer ended
 * with under rfc7661 and none.
 */
static void web(const char *mode, uint32_t *before, uint32_t *at_start, uint32_t *iw)
{
	char yaml[1024];
	struct scenario sc;
	struct scn_error err;
	struct run r;

	snprintf(yaml, sizeof yaml,
		 "seed: 1\nduration: 20s\nnodes: [c, r, s]\n"
		 "links:\n"
		 "  - {between: [c, r], bandwidth: 100Mbps, delay: 1ms}\n"
		 "  - {between: [r, s], bandwidth: 10Mbps, delay: 24ms, queue: {limit: 300}}\n"
		 "flows: [{name: w, tcp: {from: c, to: s, cc: newreno, delack: 0,"
		 " server: {cwv: %s}},"
		 " app: {type: reqresp, mode: persistent, count: 3, size: 200B,"
		 " object_size: 200KB, think: 3s}}]\n", mode);
	if (scn_load_buffer("cwv.yaml", yaml, strlen(yaml), NULL, 0, &sc, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(build_run(&r, &sc, NULL), 0);
	struct app *a = run_app(&r, 0);
	sim_time_t t = 0;
	uint64_t out = 0;

	*before = 0;
	/* 1 ms steps until the server has sent more than one object */
	while (t < 20 * SIM_S) {
		t += SIM_MS;
		sim_run(&r.sim, t);
		if (!a->srv)
			continue;
		out = a->srv->st.bytes_out;
		if (out > 200000)
			break;
		*before = a->srv->ccv.cwnd;
	}
	assert_true(out > 200000);
	*at_start = a->srv->ccv.cwnd;
	*iw = a->srv->ccv.init_cwnd;
	run_free(&r);
	scn_free(&sc);
}

static void test_idle_policies(void **st)
{
	uint32_t b, s, iw;
	(void)st;

	web("rfc5681", &b, &s, &iw);
	printf("# rfc5681: cwnd %u before idle, %u at restart (IW %u)\n", b, s, iw);
	assert_true(b > 10 * iw);
	assert_int_equal(s, iw);
	web("rfc7661", &b, &s, &iw);
	printf("# rfc7661: cwnd %u before idle, %u at restart\n", b, s);
	assert_true(b > 10 * iw);
	assert_int_equal(s, b);
	web("none", &b, &s, &iw);
	printf("# none:    cwnd %u before idle, %u at restart\n", b, s);
	assert_int_equal(s, b);
}

/*
 * An application writing 1 Mb/s into a 10 Mb/s, 50 ms path: about 4.3
 * segments per RTT.  Without validation every ACK grows cwnd although the
 * window is never used (RFC 5681 congestion avoidance has no such check):
 * after 30 s it is far beyond anything sent.  RFC 7661 stops growth once
 * less than half of cwnd is used: cwnd stays within ~2x the data per RTT
 * (we allow 4x: slow start's last doubling may overshoot).
 */
static uint32_t app_limited(const char *mode)
{
	char yaml[1024];
	struct scenario sc;
	struct scn_error err;
	struct run r;
	uint32_t cwnd;

	snprintf(yaml, sizeof yaml,
		 "seed: 1\nduration: 30s\nnodes: [c, s]\n"
		 "links: [{between: [c, s], bandwidth: 10Mbps, delay: 25ms}]\n"
		 "flows: [{name: b, tcp: {from: c, to: s, cc: newreno, delack: 0,"
		 " timestamps: false, mss: 1000, init_cwnd: 3, client: {cwv: %s}},"
		 " app: {type: bulk, write_rate: 1Mbps, write_size: 1000B}}]\n", mode);
	if (scn_load_buffer("cwv.yaml", yaml, strlen(yaml), NULL, 0, &sc, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(build_run(&r, &sc, NULL), 0);
	sim_run(&r.sim, sc.duration);
	cwnd = run_app(&r, 0)->cli->ccv.cwnd;
	run_free(&r);
	scn_free(&sc);
	return cwnd;
}

static void test_app_limited_growth(void **st)
{
	(void)st;
	/* 1 Mb/s * 50 ms = 6250 bytes per RTT */
	uint32_t none = app_limited("none"), newcwv = app_limited("rfc7661");

	printf("# app-limited 1 Mb/s: cwnd none %u, rfc7661 %u bytes\n", none, newcwv);
	assert_true(newcwv <= 4 * 6250);
	assert_true(none > 10 * newcwv);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validated_when_used),
		cmocka_unit_test(test_rate_limited_enters_nvp),
		cmocka_unit_test(test_slow_start_not_nvp),
		cmocka_unit_test(test_pipeack_window),
		cmocka_unit_test(test_nvp_expiry_cuts),
		cmocka_unit_test(test_loss_in_nvp),
		cmocka_unit_test(test_idle_policies),
		cmocka_unit_test(test_app_limited_growth),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
