/*
 * test_cc_validate.c - validation: TCP congestion control against the
 * classic models (Mathis 1997 / Padhye 1998 square-root laws, AIMD
 * utilisation with a small buffer, fairness, RTT unfairness, RED vs
 * drop-tail global synchronisation, ECN vs drop).
 *
 * Every scenario goes through the scenario loader and the builder, like a
 * `segsim run` would.  Common settings, unless a test says otherwise:
 * timestamps off (so a full segment carries MSS = 1460 payload bytes in a
 * 1500-byte IP packet), SACK off (the Reno family recovers with duplicate
 * ACKs only), and, where the model needs it, delack: 0 (ACK every segment,
 * b = 1 in the formulas below).
 *
 * SEGSIM_VALIDATE_QUICK=1 shortens the long runs (fewer loss events, shorter
 * durations); the tolerances are not changed, so a quick run is noisier.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <dirent.h>
#include <cmocka.h>
#include "app.h"
#include "build.h"
#include "link.h"
#include "queue.h"
#include "scenario.h"

#define MSS     1460.0                  /* payload bytes per segment */
#define PKT     1500.0                  /* IP packet of a full segment */

struct world {
	struct scenario sc;
	struct run r;
};

static bool quick(void)
{
	const char *q = getenv("SEGSIM_VALIDATE_QUICK");
	return q && *q && strcmp(q, "0") != 0;
}

static void load(struct world *w, const char *yaml, const char *outdir)
{
	struct scn_error err;

	if (scn_load_buffer("cc.yaml", yaml, strlen(yaml), NULL, 0, &w->sc, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(build_run(&w->r, &w->sc, outdir), 0);
}

static void unload(struct world *w)
{
	run_free(&w->r);
	scn_free(&w->sc);
}

/* Bytes the receiving application of flow i has read so far. */
static double rx_bytes(struct world *w, int i)
{
	return (double)run_app(&w->r, i)->tcp_read_bytes[APP_SERVER];
}

static struct tcp_stats client_totals(struct world *w, int i)
{
	struct tcp_stats st[2];

	app_tcp_totals(run_app(&w->r, i), st);
	return st[0];
}

static const struct link_dir *find_dir(struct world *w, const char *name)
{
	for (int i = 0; i < w->r.sim.n_links; i++)
		for (int d = 0; d < 2; d++)
			if (strcmp(w->r.sim.links[i]->dir[d].name, name) == 0)
				return &w->r.sim.links[i]->dir[d];
	fail_msg("no link direction %s", name);
	return NULL;
}

/* ------------------------------------------------------------------ */
/* 1. Square-root law                                                 */
/* ------------------------------------------------------------------ */

/*
 * Model.  Mathis, Semke, Mahdavi, Ott 1997: a Reno flow in congestion
 * avoidance with loss probability p, no timeouts and an ACK per segment,
 * has the sawtooth W/2 .. W with one loss per cycle, so
 *     B_mathis = (MSS / RTT) * sqrt(3 / (2p))      (bytes/s).
 * Padhye, Firoiu, Towsley, Kurose 1998 (eq. 30, the "full" approximation)
 * adds the timeouts that a loss in a small window causes:
 *     B_padhye = MSS / (RTT sqrt(2bp/3)
 *                      + T0 min(1, 3 sqrt(3bp/8)) p (1 + 32 p^2))
 * with b = 1 (delack: 0) and T0 the sender's RTO (here at its floor,
 * rto_min = 1 s, RFC 6298, since srtt + 4 rttvar is ~ 40-60 ms).
 *
 * Path: one 1 Gb/s link, 20 ms each way (base RTT 40 ms + 12 us of
 * serialisation), a 100000-packet queue that never fills (the flow's rate
 * is at most ~15 Mb/s, so the queue stays empty and the RTT is the base
 * RTT), Bernoulli loss p on the data direction only, 8 MiB buffers.
 * The run lasts until ~550 loss events are expected (p * packets/s at the
 * Mathis rate); goodput (bytes read by the receiver) is measured after a
 * warm-up of 10 s (slow start over).
 *
 * Expected/tolerance: the issue's +-20% for Mathis where timeouts are
 * rare.  Mathis' constant sqrt(3/2) = 1.22 is for periodic loss; for
 * Bernoulli loss the paper's own simulations give C = 1.31 (+7%), and a
 * 500-cycle run has ~ 1/sqrt(500) ~ 5% statistical error on the mean
 * cycle: 20% leaves room for both and still fails for a factor error in
 * the window arithmetic (e.g. cwnd halving to 1/4, growth of 2 MSS/RTT,
 * or ssthresh unchanged would be 30..40% off).  Where timeouts are not
 * rare (high p: with Reno, two losses in a window usually end in a
 * timeout) Mathis overestimates; there Padhye's formula is asserted,
 * within +-25%: the formula is itself an approximation (its own
 * validation against traces shows errors of this size), and it models
 * Reno, not NewReno (which recovers several losses per window without a
 * timeout, so it may sit between the two formulas).
 *
 * What is asserted (measured, 2000 loss indications per run, RFC 6298's
 * 1 s minimum RTO): Mathis within +-20% for NewReno at every p (+2.6,
 * -1.9, -10.1, -18.9%) and for Reno at p <= 1% (+1.0, -9.4, -16.7%).  At
 * p = 2% Reno is -34.7%, and that is what a correct Reno does: the
 * shortfall is the timeouts the formula ignores (8.3% of loss indications:
 * two losses in a small window end in an RTO of at least 1 s = 25 RTTs).
 * ns-2's Agent/TCP/Reno on the identical path is further below Mathis
 * still: -49.6% with a 1 s minimum RTO and -24.8% with its default 200 ms
 * (test_sqrt_vs_ns2 below asserts segsim against ns-2 point by point).  So
 * at p = 2% Reno is reported against Mathis, not asserted.
 * Padhye's closed-form approximation (T0 = 1 s) is far off (+6% .. +78%):
 * its Q ~ 3/W assumes that after a loss the rest of the round is lost too
 * (drop-tail bursts), so most losses in small windows become timeouts; with
 * independent (Bernoulli) losses and Limited Transmit the measured share of
 * timeouts Q is 0.1% .. 8.3%, not 26% (p = 2%).  So what is asserted for
 * every p is Padhye's full model (eq. 28: E[W], the rounds per cycle and
 * Q T0 f(p) for the timeouts) with the measured Q: within +-20% (measured
 * -13.7 .. +3.2%).  Q being measured makes this a check of the window
 * arithmetic between timeouts, not of the timeout rate.
 */
struct sqrt_result {
	double p, measured, mathis, padhye, padhye_q;
	unsigned long long losses, timeouts, fr;
};

static double mathis_bps(double p, double rtt)
{
	return MSS / rtt * sqrt(3.0 / (2.0 * p));
}

static double padhye_bps(double p, double rtt, double t0)
{
	const double b = 1.0;
	double tt = rtt * sqrt(2.0 * b * p / 3.0)
		+ t0 * fmin(1.0, 3.0 * sqrt(3.0 * b * p / 8.0)) * p * (1.0 + 32.0 * p * p);
	return MSS / tt;
}

/* Padhye et al. 1998, the full model (their eq. 28 with W unlimited),
 * b = 1, with the share of loss indications that are timeouts, Q, given
 * (measured) instead of their Q^(W) (see above for why). */
static double padhye_full_bps(double p, double rtt, double t0, double q)
{
	const double b = 1.0, c = (2.0 + b) / (3.0 * b);
	double ew = c + sqrt(8.0 * (1.0 - p) / (3.0 * b * p) + c * c);
	double f = 1 + p + 2 * p * p + 4 * pow(p, 3) + 8 * pow(p, 4) + 16 * pow(p, 5) + 32 * pow(p, 6);
	double num = (1.0 - p) / p + ew + q / (1.0 - p);
	double den = rtt * (b * ew / 2.0 + 1.0) + q * t0 * f / (1.0 - p);
	return MSS * num / den;
}

static struct sqrt_result run_sqrt(const char *cc, double p, unsigned seed)
{
	const double rtt = 0.040 + 2 * 1500.0 * 8 / 1e9 / 2;
	struct sqrt_result res = { .p = p };
	double target = quick() ? 550 : 2000;
	double warm = 10.0;
	char yaml[2048];
	struct world w;

	snprintf(yaml, sizeof yaml,
		 "seed: %u\nduration: 5000s\nnodes: [a, b]\n"
		 "links: [{between: [a, b], bandwidth: 1Gbps, delay: 20ms,"
		 " queue: {type: droptail, limit: 100000},"
		 " forward: {loss: {type: bernoulli, p: %.6f}}}]\n"
		 "flows: [{name: t, tcp: {from: a, to: b, cc: %s, sack: false,"
		 " timestamps: false, delack: 0, rcvbuf: 8MiB, sndbuf: 8MiB},"
		 " app: {type: bulk}}]\n",
		 seed, p, cc);
	load(&w, yaml, NULL);
	sim_time_t t = (sim_time_t)(warm * SIM_S);
	sim_run(&w.r.sim, t);
	double b0 = rx_bytes(&w, 0);
	struct tcp_stats s0 = client_totals(&w, 0), s1;
	/* run on in 10 s steps until `target` loss indications were seen */
	do {
		t += 10 * SIM_S;
		sim_run(&w.r.sim, t);
		s1 = client_totals(&w, 0);
	} while (s1.timeouts - s0.timeouts + s1.fast_retransmits - s0.fast_retransmits < target
		 && t < w.sc.duration);
	double b1 = rx_bytes(&w, 0);
	double dur = (double)t / SIM_S - warm;

	res.measured = (b1 - b0) / dur;
	res.mathis = mathis_bps(p, rtt);
	res.padhye = padhye_bps(p, rtt, 1.0);
	res.timeouts = s1.timeouts - s0.timeouts;
	res.fr = s1.fast_retransmits - s0.fast_retransmits;
	res.losses = res.timeouts + res.fr;
	res.padhye_q = padhye_full_bps(p, rtt, 1.0, (double)res.timeouts / res.losses);
	printf("# %-7s p=%.1f%%: goodput %.4g B/s; Mathis %.4g (err %+.1f%%); Padhye approx"
	       " %.4g (%+.1f%%); Padhye full, measured Q=%.3f: %.4g (%+.1f%%); FR %llu RTO %llu"
	       " in %.0f s\n", cc, 100 * p, res.measured,
	       res.mathis, 100 * (res.measured / res.mathis - 1), res.padhye,
	       100 * (res.measured / res.padhye - 1), (double)res.timeouts / res.losses,
	       res.padhye_q, 100 * (res.measured / res.padhye_q - 1), res.fr, res.timeouts, dur);
	unload(&w);
	return res;
}

static void sqrt_law(const char *cc, unsigned seed)
{
	static const double ps[] = { 0.001, 0.005, 0.01, 0.02 };

	for (int i = 0; i < 4; i++) {
		struct sqrt_result r = run_sqrt(cc, ps[i], seed + i);
		double em = r.measured / r.mathis - 1;
		double eq = r.measured / r.padhye_q - 1;

		/* enough loss events for the mean to mean something */
		assert_true(r.losses >= (quick() ? 550 : 2000));
		if (ps[i] <= 0.01)
			assert_true(fabs(em) < 0.20);
		assert_true(fabs(eq) < 0.20);
	}
}


/* ------------------------------------------------------------------ */
/* 2. Utilisation of one AIMD flow vs the buffer                      */
/* ------------------------------------------------------------------ */

/*
 * Model.  One NewReno flow (delack: 0, so cwnd grows by 1 MSS per RTT)
 * through a 10 Mb/s bottleneck, propagation RTT 40 ms.  C = the pipe in
 * packets = R * RTT0 / (8 * 1500), with RTT0 = 40 ms plus the 1.2 ms
 * serialisation of a packet at the bottleneck (and 2 x 12 us on the 1 Gb/s
 * access link): C = 34.35 packets.  The buffer B is in packets
 * (1 BDP: B = round(10 Mb/s * 40 ms / 12000 b) = 33; 0.1 BDP: B = 3).  In
 * congestion avoidance the window saws between W0 = (C+B)/2 (after the
 * halving) and C+B (when the buffer overflows).  While W < C the link idles
 * (rate W/RTT0); once W >= C the queue absorbs the excess, the RTT grows to
 * W/C RTT0 and the link is busy.  Counting rounds (fluid, one round per
 * window, +1 packet per round):
 *   rounds W0..C:   C - W0 rounds of RTT0, (C^2 - W0^2)/2 packets
 *   rounds C..C+B:  ((C+B)^2 - C^2)/2 packets, sent at C per RTT0
 *   U = [ (C^2 - W0^2)/2 + ((C+B)^2 - C^2)/2 ]
 *       / [ C (C - W0) + ((C+B)^2 - C^2)/2 ]          (W0 < C)
 *   U = 1                                              (W0 >= C, B >= C)
 * For C = 34.35, B = 3: W0 = 18.7, U = 0.812 (derived in aimd_util()).
 * Utilisation is measured as bottleneck tx bytes over [5 s, 60 s] divided
 * by R * 55 s (IP bytes; every packet is a full 1500-byte one or a tiny
 * ACK in the other direction).
 *
 * Tolerance.  B = 1 BDP: >= 95% (the issue's; the fluid model says 100%,
 * the recovery episodes and slow-start leftovers cost a little).  B = 0.1
 * BDP: +-5 points of the fluid value 0.812: the fluid model ignores that
 * the sender stalls for about half an RTT in fast recovery (it cannot send
 * until half the window's duplicate ACKs are back, which is exactly the
 * W0 = (C+B)/2 assumption, so it cancels to first order) and the
 * integer-packet steps; 5 points still rejects both "no sawtooth" (100%)
 * and a deeper cut to (C+B)/4 (~ 55%).
 */
static double aimd_util(double c, double b)
{
	double w0 = (c + b) / 2, top = c + b;

	if (w0 >= c)
		return 1.0;
	double pk = (c * c - w0 * w0) / 2 + (top * top - c * c) / 2;
	double tm = c * (c - w0) + (top * top - c * c) / 2;
	return pk / tm;
}

static double run_util(int buf, const char *extra, double *pred)
{
	char yaml[2048];
	struct world w;
	double t_end = quick() ? 30.0 : 60.0;

	snprintf(yaml, sizeof yaml,
		 "seed: 7\nduration: %.0fs\nnodes: [a, r, b]\n"
		 "links:\n"
		 "  - {between: [a, r], bandwidth: 1Gbps, delay: 1ms, queue: {limit: 100000}}\n"
		 "  - {between: [r, b], bandwidth: 10Mbps, delay: 19ms, queue: {limit: %d}}\n"
		 "flows: [{name: t, tcp: {from: a, to: b, cc: newreno, sack: false,"
		 " timestamps: false, delack: 0, rcvbuf: 8MiB, sndbuf: 8MiB%s},"
		 " app: {type: bulk}}]\n", t_end, buf, extra);
	load(&w, yaml, NULL);
	const struct link_dir *d = find_dir(&w, "r-b");
	sim_run(&w.r.sim, 5 * SIM_S);
	double x0 = (double)d->tx_bytes;
	sim_run(&w.r.sim, w.sc.duration);
	double x1 = (double)d->tx_bytes;
	double u = (x1 - x0) * 8 / (10e6 * (t_end - 5));
	double rtt0 = 0.040 + 1500.0 * 8 / 10e6 + 2 * 1500.0 * 8 / 1e9;
	double c = 10e6 * rtt0 / (8 * PKT);
	*pred = aimd_util(c, buf);
	struct tcp_stats s = client_totals(&w, 0);
	printf("# B=%d pkts (C=%.2f): utilisation %.4f, AIMD fluid model %.4f; FR %llu RTO %llu\n",
	       buf, c, u, *pred, (unsigned long long)s.fast_retransmits,
	       (unsigned long long)s.timeouts);
	unload(&w);
	return u;
}

/* The slow-start overshoot (every other packet lost in a window of ~140)
 * is avoided with init_ssthresh = 50 packets (below C + B = 67): see
 * test_util_bdp_overshoot for why. */
#define NO_OVERSHOOT ", init_ssthresh: 73000B"

static void test_util_bdp(void **st)
{
	double pred;
	(void)st;
	/* 1 BDP = 10 Mb/s * 40 ms / (8 * 1500 B) = 33.3 -> 33 packets */
	double u = run_util(33, NO_OVERSHOOT, &pred);
	assert_true(u >= 0.95);
	/* a packet in service at 5 s may be counted whole: + 1 packet */
	assert_true(u <= 1.0 + PKT * 8 / (10e6 * 25));
}

static void test_util_tenth_bdp(void **st)
{
	double pred, pred_bdp;
	(void)st;
	double u = run_util(3, NO_OVERSHOOT, &pred);
	double u_bdp = run_util(33, NO_OVERSHOOT, &pred_bdp);
	assert_true(fabs(u - pred) < 0.05);
	assert_true(u < u_bdp - 0.08);   /* "clearly lower" */
}

/* Regression: the same 1-BDP run with the default init_ssthresh
 * (unlimited).  The slow-start overshoot loses ~70 packets of one window;
 * NewReno without SACK repairs one per RTT (~4 s in recovery, as RFC 6582
 * says), and meanwhile snd_max - snd_una grows to ~400 segments, most of
 * them already held by the receiver.  When ssthresh was half of that, the
 * next fast retransmit "reduced" cwnd from 100010 to 297840 bytes and the
 * flow cycled through long recoveries (utilisation 0.236).  ssthresh now
 * halves min(cwnd, FlightSize) (cc_reno.c): after the overshoot the flow
 * settles and the link is full again. */
static void test_util_bdp_overshoot(void **st)
{
	double pred;
	(void)st;
	double u = run_util(33, "", &pred);
	assert_true(u >= 0.95);
}


/* ------------------------------------------------------------------ */
/* 3. Fairness                                                        */
/* ------------------------------------------------------------------ */

static double jain(const double *x, int n)
{
	double s = 0, s2 = 0;

	for (int i = 0; i < n; i++) {
		s += x[i];
		s2 += x[i] * x[i];
	}
	return s * s / (n * s2);
}

/*
 * Model.  n AIMD flows with the same RTT through one drop-tail bottleneck
 * converge to equal shares (Chiu & Jain 1989: additive increase moves the
 * allocation along the fairness line, multiplicative decrease toward the
 * origin), so Jain's index J = (sum x)^2 / (n sum x^2) tends to 1.
 * 8 NewReno flows a -> b (same path, so exactly the same RTT), starts
 * staggered by 50 ms (with 0.5 s the first flow's head start over the
 * others has not decayed by 60 s: J = 0.94 over [10, 60 s] but 0.995 over
 * 300 s), init_ssthresh 20 packets (see test_util_bdp_overshoot: with the
 * default, flow 0 got 0.02 Mb/s after 5 backed-off RTOs, J = 0.86), bottleneck 20 Mb/s, 40 ms RTT, 1 BDP of buffer
 * (67 packets); goodputs over [10 s, 60 s].  Expected J ~ 1; asserted
 * >= 0.95 (the issue's): J = 0.95 still allows one flow at 1/2 of the
 * others' rate, so it tolerates the random phase of the sawtooths over
 * 50 s (~25 loss cycles per flow) but fails for a systematically starved
 * or favoured flow (e.g. one flow at 0, J = 7/8 = 0.875).
 */
static void test_fairness_jain(void **st)
{
	char yaml[4096];
	int n = snprintf(yaml, sizeof yaml,
		 "seed: 3\nduration: %ds\nnodes: [a, r, b]\n"
		 "links:\n"
		 "  - {between: [a, r], bandwidth: 1Gbps, delay: 1ms, queue: {limit: 100000}}\n"
		 "  - {between: [r, b], bandwidth: 20Mbps, delay: 19ms, queue: {limit: 67}}\n"
		 "flows:\n", quick() ? 40 : 60);
	struct world w;
	double x[8];
	(void)st;

	for (int i = 0; i < 8; i++)
		n += snprintf(yaml + n, sizeof yaml - n,
			      "  - {name: f%d, start: %.1fs, tcp: {from: a, to: b, cc: newreno,"
			      " sack: false, timestamps: false, rcvbuf: 8MiB, sndbuf: 8MiB,"
			      " init_ssthresh: 29200B}, app: {type: bulk}}\n", i, 0.05 * i);
	load(&w, yaml, NULL);
	sim_run(&w.r.sim, 10 * SIM_S);
	for (int i = 0; i < 8; i++)
		x[i] = -rx_bytes(&w, i);
	sim_run(&w.r.sim, w.sc.duration);
	double tot = 0;
	printf("# goodputs (Mb/s):");
	for (int i = 0; i < 8; i++) {
		x[i] = (x[i] + rx_bytes(&w, i)) * 8 / ((double)w.sc.duration / SIM_S - 10) / 1e6;
		tot += x[i];
		struct tcp_stats cs = client_totals(&w, i);
		printf(" %.3f(FR %llu RTO %llu)", x[i], (unsigned long long)cs.fast_retransmits,
		       (unsigned long long)cs.timeouts);
	}
	double j = jain(x, 8);
	printf("; total %.3f; Jain %.4f\n", tot, j);
	assert_true(j >= 0.95);
	assert_true(tot > 0.9 * 20 * MSS / PKT);
	unload(&w);
}

/*
 * Model.  Two NewReno flows through one bottleneck with base RTTs 20 ms and
 * 80 ms.  The square-root law gives x ~ 1/(RTT sqrt(p)); with drop-tail
 * both see about the same loss rate: ratio x1/x2 = RTT2/RTT1 (ratio^1);
 * with synchronised losses (each overflow hits both flows) the window of
 * each grows 1 MSS per own RTT between equal-cycle reductions: W ~ T/RTT,
 * x = W/RTT ~ 1/RTT^2 (ratio^2) (Lakshman & Madhow 1997).  The RTT that
 * matters includes the queueing delay, which is the same for both: the
 * effective ratio is (80 + q)/(20 + q), q = mean queueing delay at the
 * bottleneck (measured) plus serialisation.  Expected: x1/x2 between
 * ratio_eff^1 and ratio_eff^2; asserted with 15% slack on both ends (50 s
 * of ~50-100 loss cycles: the ratio of two goodputs carries a few % of
 * noise each); and plainly x1 > x2.
 */
static void test_rtt_unfairness(void **st)
{
	char yaml[4096];
	struct world w;
	(void)st;

	snprintf(yaml, sizeof yaml,
		 "seed: 5\nduration: %ds\nnodes: [s1, s2, r, b]\n"
		 "links:\n"
		 "  - {between: [s1, r], bandwidth: 1Gbps, delay: 4ms, queue: {limit: 100000}}\n"
		 "  - {between: [s2, r], bandwidth: 1Gbps, delay: 34ms, queue: {limit: 100000}}\n"
		 "  - {between: [r, b], bandwidth: 10Mbps, delay: 6ms, queue: {limit: 25}}\n"
		 "flows:\n"
		 "  - {name: short, tcp: {from: s1, to: b, cc: newreno, sack: false,"
		 " timestamps: false, rcvbuf: 8MiB, sndbuf: 8MiB}, app: {type: bulk}}\n"
		 "  - {name: long, start: 0.3s, tcp: {from: s2, to: b, cc: newreno, sack: false,"
		 " timestamps: false, rcvbuf: 8MiB, sndbuf: 8MiB}, app: {type: bulk}}\n",
		 quick() ? 40 : 60);
	load(&w, yaml, NULL);
	const struct link_dir *d = find_dir(&w, "r-b");
	sim_run(&w.r.sim, 10 * SIM_S);
	double x1 = -rx_bytes(&w, 0), x2 = -rx_bytes(&w, 1);
	double w0 = d->q->wait_sum_ns, n0 = (double)d->q->dequeued;
	sim_run(&w.r.sim, w.sc.duration);
	x1 += rx_bytes(&w, 0);
	x2 += rx_bytes(&w, 1);
	double q = (d->q->wait_sum_ns - w0) / ((double)d->q->dequeued - n0) / 1e9
		+ PKT * 8 / 10e6;
	double ratio = x1 / x2, r_eff = (0.080 + q) / (0.020 + q);
	printf("# short %.3f Mb/s, long %.3f Mb/s: ratio %.2f; queueing+tx %.1f ms;"
	       " RTT ratio nominal 4 (^2 16), effective %.2f (^2 %.2f)\n",
	       x1 * 8 / 50e6, x2 * 8 / 50e6, ratio, 1e3 * q, r_eff, r_eff * r_eff);
	assert_true(x1 > x2);
	assert_true(ratio > r_eff * 0.85);
	assert_true(ratio < r_eff * r_eff * 1.15);
	unload(&w);
}

/* ------------------------------------------------------------------ */
/* 4. RED vs drop-tail: synchronisation; ECN vs drop                   */
/* ------------------------------------------------------------------ */

#define NSYNC 12

struct sync_result {
	double sync;            /* the measure below */
	double chance, excess;  /* its chance level; (S - chance)/(1 - chance) */
	unsigned events;
	unsigned long long retx, drops, marks;
	double goodput_mbps;
};

/* Reduction times of one flow: rows where ssthresh changes to a finite
 * value, within [t0, t1]. */
static int read_reductions(const char *path, double t0, double t1, double *out, int cap)
{
	FILE *f = fopen(path, "r");
	char line[512], prev[32] = "";
	int n = 0;

	assert_non_null(f);
	while (fgets(line, sizeof line, f)) {
		double t;
		char ss[32];

		if (line[0] == '#' || sscanf(line, "%lf %*s %31s", &t, ss) != 2)
			continue;
		if (strcmp(ss, prev) != 0 && strcmp(ss, "inf") != 0 && prev[0]
		    && t >= t0 && t <= t1 && n < cap)
			out[n++] = t;
		strcpy(prev, ss);
	}
	fclose(f);
	return n;
}

/*
 * Synchronisation measure S: for every cwnd reduction (ssthresh change) of
 * any flow at time t, the fraction of the other NSYNC-1 flows that also
 * reduce within [t - tau, t + tau]; S is the mean over all reductions.
 * tau = 80 ms: the RTT with a full drop-tail queue (40 ms + 67 packets at
 * 20 Mb/s = 80 ms); using the same tau for RED (whose RTT is shorter) is
 * conservative: it can only raise RED's S.  S = 1: every reduction is
 * shared by all flows (global synchronisation); independent reductions at
 * a rate of r per flow give S ~ 2 tau r.  Because RED makes more, smaller
 * reductions than drop-tail (twice as many here), the raw S is compared
 * after removing its chance level: c = 1 - exp(-2 tau r) (another flow's
 * reductions as a Poisson process at the mean per-flow rate r), and
 * excess = (S - c) / (1 - c): 0 for independent flows, 1 for global
 * synchronisation (a kappa-like statistic).
 */
static struct sync_result run_sync(const char *queue, bool ecn, unsigned seed)
{
	char yaml[8192], dir[] = "/tmp/segsim_ccv_XXXXXX", path[600];
	struct world w;
	struct sync_result res = { 0 };
	int dur = quick() ? 40 : 60;
	static double ev[NSYNC][4096];
	int nev[NSYNC];

	assert_non_null(mkdtemp(dir));
	int n = snprintf(yaml, sizeof yaml,
		 "name: sync\nseed: %u\nduration: %ds\nnodes: [a, r, b]\n"
		 "links:\n"
		 "  - {between: [a, r], bandwidth: 1Gbps, delay: 1ms, queue: {limit: 100000}}\n"
		 "  - {between: [r, b], bandwidth: 20Mbps, delay: 19ms, queue: %s}\n"
		 "trace: {flows: all}\nplots: none\n"
		 "flows:\n", seed, dur, queue);
	for (int i = 0; i < NSYNC; i++)
		n += snprintf(yaml + n, sizeof yaml - n,
			      "  - {name: f%d, start: %.2fs, tcp: {from: a, to: b, cc: newreno,"
			      " sack: false, timestamps: false, ecn: %s, rcvbuf: 8MiB, sndbuf: 8MiB},"
			      " app: {type: bulk}}\n", i, 0.37 * i, ecn ? "true" : "false");
	load(&w, yaml, dir);
	sim_run(&w.r.sim, 10 * SIM_S);
	double g0 = 0, g1 = 0;
	for (int i = 0; i < NSYNC; i++)
		g0 += rx_bytes(&w, i);
	sim_run(&w.r.sim, w.sc.duration);
	for (int i = 0; i < NSYNC; i++) {
		g1 += rx_bytes(&w, i);
		struct tcp_stats s = client_totals(&w, i);
		res.retx += s.retransmits;
		if (w.r.flow_traces[i])
			fflush(w.r.flow_traces[i]);
	}
	const struct queue *q = find_dir(&w, "r-b")->q;
	res.drops = q->dropped;
	res.marks = q->marked;
	res.goodput_mbps = (g1 - g0) * 8 / (dur - 10) / 1e6;
	for (int i = 0; i < NSYNC; i++) {
		snprintf(path, sizeof path, "%s/flows/f%d.tsv", dir, i);
		nev[i] = read_reductions(path, 10, dur, ev[i], 4096);
	}
	const double tau = 0.080;
	double sum = 0;
	for (int i = 0; i < NSYNC; i++)
		for (int k = 0; k < nev[i]; k++) {
			int others = 0;
			for (int j = 0; j < NSYNC; j++) {
				if (j == i)
					continue;
				for (int m = 0; m < nev[j]; m++)
					if (fabs(ev[j][m] - ev[i][k]) <= tau) {
						others++;
						break;
					}
			}
			sum += (double)others / (NSYNC - 1);
			res.events++;
		}
	res.sync = res.events ? sum / res.events : 0;
	/* chance level: another flow reducing at random (Poisson, the mean
	 * per-flow rate r) falls in a window of 2 tau with 1 - exp(-2 tau r) */
	double r = res.events / (double)NSYNC / (dur - 10);
	res.chance = 1 - exp(-2 * tau * r);
	res.excess = (res.sync - res.chance) / (1 - res.chance);
	printf("# chance %.3f excess %.3f\n", res.chance, res.excess);
	printf("# %-60s ecn=%d: S=%.3f over %u reductions; retransmits %llu, drops %llu,"
	       " marks %llu, goodput %.2f Mb/s\n", queue, ecn, res.sync, res.events,
	       res.retx, res.drops, res.marks, res.goodput_mbps);
	unload(&w);
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	assert_int_equal(system(path), 0);
	return res;
}

#define RED_Q "{type: red, limit: 200, min_th: 15, max_th: 45, max_p: 0.02, wq: 0.002, gentle: true%s}"

/*
 * Model.  Drop-tail drops in bursts when the queue overflows, hitting many
 * flows in the same RTT: their windows halve together (global
 * synchronisation, Floyd & Jacobson 1993; Zhang, Shenker & Clark 1991).
 * RED drops early and at random, in proportion to each flow's share, so
 * the reductions of different flows spread out.  12 NewReno flows, starts
 * staggered by 0.37 s, 20 Mb/s, 40 ms, drop-tail of 1 BDP (67 packets) vs
 * RED (min_th 15, max_th 45, max_p 0.02, gentle, limit 200); reductions
 * over [10 s, 60 s].  Asserted: excess(RED) <= excess(drop-tail) - 0.10
 * (measured 0.010 vs 0.268; raw S 0.187 vs 0.360).  With the more
 * aggressive min_th 10, max_th 40, max_p 0.1, RED drops so often that its
 * excess was no lower when we tried it: the assertion is for a RED
 * configured as Floyd recommends (max_p small); and both runs fill
 * the link (goodput >= 85% of 20 Mb/s * 1460/1500) so that the comparison
 * is between working queues.
 */
static void test_red_vs_droptail_sync(void **st)
{
	char red[256];
	(void)st;
	snprintf(red, sizeof red, RED_Q, "");
	struct sync_result dt = run_sync("{type: droptail, limit: 67}", false, 21);
	struct sync_result rd = run_sync(red, false, 21);
	assert_true(dt.events >= 100 && rd.events >= 100);
	assert_true(rd.excess <= dt.excess - 0.10);
	assert_true(dt.goodput_mbps >= 0.85 * 20 * MSS / PKT);
	assert_true(rd.goodput_mbps >= 0.85 * 20 * MSS / PKT);
}

/*
 * Model.  With ECN (RFC 3168) RED marks ECN-capable packets instead of
 * dropping them early; the sender halves its window on ECE, without a
 * loss.  Only forced drops (average above max_th, or a full buffer)
 * remain, so retransmissions fall sharply: asserted retx(ECN) <= 0.5
 * retx(drop) (with marks > 0: ECN really was used), and the goodput no
 * worse than 90% of the dropping RED's.
 */
static void test_red_ecn_vs_drop(void **st)
{
	char red[256], red_ecn[256];
	(void)st;
	snprintf(red, sizeof red, RED_Q, "");
	snprintf(red_ecn, sizeof red_ecn, RED_Q, ", ecn: true");
	struct sync_result rd = run_sync(red, false, 31);
	struct sync_result ec = run_sync(red_ecn, true, 31);
	assert_true(ec.marks > 0);
	assert_true(ec.retx <= 0.5 * rd.retx);
	assert_true(ec.goodput_mbps >= 0.9 * rd.goodput_mbps);
}

/*
 * The same square-root experiment against an independent simulator: ns-2.35
 * (Debian's ns2) running tests/validate/ns2-mathis.tcl on the identical
 * path (1 Gb/s, 20 ms each way, uniform per-packet loss p on the data
 * direction, 1460-byte segments, an ACK per segment, IW 3, 200 ms minimum
 * RTO as ns-2's default, 710 s with goodput counted after 10 s, seed 1):
 *     ns tests/validate/ns2-mathis.tcl Reno 0.02 710 1 0.2
 * ns-2's goodputs (bytes/s) are recorded below.  segsim runs the same
 * (timestamps and SACK off, rto_min 200ms, init_cwnd 3) and must agree
 * within +-10%: the two are different random loss sequences (one ~700 s
 * run has ~2% statistical error) and ns-2's timers tick every 10 ms where
 * ours are exact; both implement RFC 5681 Reno / RFC 6582 NewReno with
 * Limited Transmit.  Measured: Reno -1.8, +4.6, +6.1, +3.8%; NewReno -1.7,
 * +0.5, +0.7, -2.7% at p = 0.1, 0.5, 1, 2%.  An error in the recovery
 * arithmetic shows up here even where Mathis cannot tell: segsim's NewReno
 * is +16% off ns-2's Reno at 2%, so a Reno that recovered like NewReno
 * would fail.
 */
static double run_vs_ns2(const char *cc, double p)
{
	char yaml[2048];
	struct world w;

	snprintf(yaml, sizeof yaml,
		 "seed: 4\nduration: 710s\nnodes: [a, b]\n"
		 "links: [{between: [a, b], bandwidth: 1Gbps, delay: 20ms,"
		 " queue: {type: droptail, limit: 100000},"
		 " forward: {loss: {type: bernoulli, p: %.6f}}}]\n"
		 "flows: [{name: t, tcp: {from: a, to: b, cc: %s, sack: false,"
		 " timestamps: false, delack: 0, rcvbuf: 64MiB, sndbuf: 64MiB,"
		 " rto_min: 200ms, init_cwnd: 3}, app: {type: bulk}}]\n", p, cc);
	load(&w, yaml, NULL);
	sim_run(&w.r.sim, 10 * SIM_S);
	double b0 = rx_bytes(&w, 0);
	sim_run(&w.r.sim, w.sc.duration);
	double g = (rx_bytes(&w, 0) - b0) / 700.0;
	unload(&w);
	return g;
}

static void test_sqrt_vs_ns2(void **st)
{
	static const struct { const char *cc; double p, ns2; } pts[] = {
		{ "reno",    0.001, 1.448e6 }, { "reno",    0.005, 5.715e5 },
		{ "reno",    0.01,  3.700e5 }, { "reno",    0.02,  2.375e5 },
		{ "newreno", 0.001, 1.479e6 }, { "newreno", 0.005, 6.153e5 },
		{ "newreno", 0.01,  4.214e5 }, { "newreno", 0.02,  2.837e5 },
	};
	(void)st;
	for (size_t i = 0; i < sizeof pts / sizeof pts[0]; i++) {
		double g = run_vs_ns2(pts[i].cc, pts[i].p);
		double e = g / pts[i].ns2 - 1;

		printf("# %-7s p=%.1f%%: segsim %.4g B/s, ns-2 %.4g B/s: %+.1f%%\n",
		       pts[i].cc, 100 * pts[i].p, g, pts[i].ns2, 100 * e);
		assert_true(fabs(e) < 0.10);
	}
}

/*
 * CUBIC's response function, RFC 9438 5.1 (from Ha, Rhee & Xu 2008): in the
 * concave/convex region its average window is
 *     W = (C (3 + beta) / (4 (1 - beta)))^(1/4) * RTT^(3/4) / p^(3/4)
 *       = 1.054 * RTT^0.75 / p^0.75 segments  (C = 0.4, beta = 0.7),
 * where Reno's is 1.22 / p^0.5 whatever the RTT.  One CUBIC flow (SACK
 * recovery, an ACK per segment) on a 10 Gb/s path that never queues,
 * Bernoulli loss p, 600 loss events after a 20 s warm-up; W = goodput in
 * segments per RTT.  Points (RTT, p): (100 ms, 1e-4), (200 ms, 1e-4),
 * (100 ms, 2.5e-4), all where the cubic term exceeds the Reno-friendly one.
 *
 * Asserted: the scaling, which is what sets CUBIC apart from Reno - W at
 * twice the RTT is 2^0.75 = 1.68 times larger (Reno: 1), and W at 2.5
 * times less loss 2.5^0.75 = 1.99 times (Reno: 1.58) - each within 8%
 * (two runs of 600 cycles carry ~6% of noise in a ratio).  And the level
 * within -10% .. +30% of the formula: it is derived for periodic loss,
 * and with random loss the windows run higher, as Mathis' constant does
 * (1.31 against 1.22 for Reno).  Measured: W +14.9, +11.9, +17.8% (at
 * p = 1e-5, outside the test, +17%); ratios 1.639 (-2.6%) and 1.939
 * (-2.5%).  A CUBIC that grew like Reno would fail both ratios.
 */
static double run_cubic(double rtt_s, double p, unsigned seed)
{
	char yaml[2048];
	struct world w;
	double warm = 20.0, target = quick() ? 300 : 600;

	snprintf(yaml, sizeof yaml,
		 "seed: %u\nduration: 100000s\nnodes: [a, b]\n"
		 "links: [{between: [a, b], bandwidth: 10Gbps, delay: %.0fms,"
		 " queue: {type: droptail, limit: 1000000},"
		 " forward: {loss: {type: bernoulli, p: %g}}}]\n"
		 "flows: [{name: t, tcp: {from: a, to: b, cc: cubic, timestamps: false,"
		 " delack: 0, rcvbuf: 1GiB, sndbuf: 1GiB}, app: {type: bulk}}]\n",
		 seed, rtt_s * 1000 / 2, p);
	load(&w, yaml, NULL);
	sim_time_t t = (sim_time_t)(warm * SIM_S);
	sim_run(&w.r.sim, t);
	double b0 = rx_bytes(&w, 0);
	struct tcp_stats s0 = client_totals(&w, 0), s1;
	do {
		t += 10 * SIM_S;
		sim_run(&w.r.sim, t);
		s1 = client_totals(&w, 0);
	} while (s1.fast_retransmits + s1.timeouts - s0.fast_retransmits - s0.timeouts < target);
	double seg_per_s = (rx_bytes(&w, 0) - b0) / MSS / ((double)t / SIM_S - warm);
	double win = seg_per_s * (rtt_s + 1500.0 * 8 / 10e9);
	double model = 1.054 * pow(rtt_s, 0.75) / pow(p, 0.75);

	printf("# cubic RTT %.0f ms p %g: W %.1f segments, RFC 9438 %.1f (%+.1f%%), Reno %.1f;"
	       " FR %llu RTO %llu\n", rtt_s * 1000, p, win, model, 100 * (win / model - 1),
	       1.22 / sqrt(p), (unsigned long long)(s1.fast_retransmits - s0.fast_retransmits),
	       (unsigned long long)(s1.timeouts - s0.timeouts));
	assert_true(win / model > 0.90 && win / model < 1.30);
	unload(&w);
	return win;
}

static void test_cubic_response(void **st)
{
	(void)st;
	double w1 = run_cubic(0.100, 1e-4, 31);
	double w2 = run_cubic(0.200, 1e-4, 32);
	double w3 = run_cubic(0.100, 2.5e-4, 33);
	double rtt_ratio = w2 / w1, p_ratio = w1 / w3;

	printf("# cubic scaling: W(200 ms)/W(100 ms) = %.3f (2^0.75 = %.3f; Reno 1);"
	       " W(p 1e-4)/W(p 2.5e-4) = %.3f (2.5^0.75 = %.3f; Reno %.3f)\n",
	       rtt_ratio, pow(2, 0.75), p_ratio, pow(2.5, 0.75), sqrt(2.5));
	assert_true(fabs(rtt_ratio / pow(2, 0.75) - 1) < 0.08);
	assert_true(fabs(p_ratio / pow(2.5, 0.75) - 1) < 0.08);
}

static void test_sqrt_reno(void **st) { (void)st; sqrt_law("reno", 100); }
static void test_sqrt_newreno(void **st) { (void)st; sqrt_law("newreno", 200); }

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sqrt_reno),
		cmocka_unit_test(test_sqrt_newreno),
		cmocka_unit_test(test_sqrt_vs_ns2),
		cmocka_unit_test(test_cubic_response),
		cmocka_unit_test(test_util_bdp),
		cmocka_unit_test(test_util_tenth_bdp),
		cmocka_unit_test(test_util_bdp_overshoot),
		cmocka_unit_test(test_fairness_jain),
		cmocka_unit_test(test_rtt_unfairness),
		cmocka_unit_test(test_red_vs_droptail_sync),
		cmocka_unit_test(test_red_ecn_vs_drop),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
