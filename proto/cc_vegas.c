/*
 * cc_vegas.c - TCP Vegas congestion avoidance (Brakmo and Peterson, "TCP
 * Vegas: End to End Congestion Avoidance on a Global Internet", IEEE JSAC
 * 13(8), 1995, section 3.2), with Reno's loss reactions.
 *
 * Vegas compares the rate the window would give on an empty path with the
 * rate it gets: Expected = cwnd / BaseRTT, Actual = cwnd / RTT, and
 * Diff = (Expected - Actual) * BaseRTT is the data it keeps queued in the
 * network, in segments.  Once per RTT it adds a segment when Diff < alpha,
 * takes one away when Diff > beta, and otherwise holds: the aim is a few
 * segments in the bottleneck queue, detected by delay before any loss.
 *
 * Call order (tcp_cc.h): init; rtt_sample for every RTT measurement (the
 * round's samples); ack_received for each ACK of new data outside recovery
 * (the once-per-RTT decision when snd_una passes the round's end, Reno slow
 * start in between); cong_signal, post_recovery, after_idle as Reno.
 *
 * Choices, each where it applies below:
 * - BaseRTT is cv->min_rtt, the smallest sample of the connection (the
 *   paper's "minimum of all measured round trip times").  RTT is the
 *   smallest sample of the last round, as Linux tcp_vegas.c does: the
 *   minimum filters delayed-ACK and ACK-compression noise.  The paper
 *   times one distinguished segment per round and divides the bytes sent
 *   during its round trip by that RTT; for a window-limited sender those
 *   bytes are cwnd.
 * - alpha = 2, beta = 4 segments, Linux's defaults.  The paper's main
 *   setting is alpha = 1, beta = 3 ("Vegas-1,3"; it also runs 2 and 4);
 *   the wider band tolerates the 1 ms granularity of timestamp RTT samples
 *   here (cwnd * 1 ms / RTT segments of noise in Diff) without the window
 *   oscillating, and matches what a Linux testbed shows.
 * - Slow start: the paper doubles every other RTT and leaves when Diff >
 *   gamma (1 segment).  We keep Reno's slow start (RFC 5681, every ACK) and
 *   only the exit test, as Linux does: Diff > gamma at a round's end sets
 *   ssthresh = cwnd, and congestion avoidance takes over.  (Linux also
 *   trims cwnd to the expected window + 1 there; we leave that to the
 *   Diff > beta decrements.)
 * - Loss recovery is NewReno (RFC 6582): the paper's own retransmission
 *   mechanism (resend on the first duplicate ACK, or the first ACKs after a
 *   retransmission, when a segment's fine-grained timer has expired) is
 *   not modelled; NewReno's partial ACKs come closest to its repair of
 *   several losses in one window without a timeout.
 * - One sample per round suffices (Linux asks for 3, against delayed ACKs
 *   on a 1-segment window; without timestamps segsim times one segment per
 *   RTT, so 3 would turn Vegas off).  A round without a sample grows as
 *   Reno for that ACK.
 */
#include <stdint.h>
#include <string.h>
#include "tcp_cc.h"
#include "tcp_seq.h"

#define VEGAS_ALPHA     2.0     /* segments (Linux default; paper: 1) */
#define VEGAS_BETA      4.0     /* segments (Linux default; paper: 3) */
#define VEGAS_GAMMA     1.0     /* segments: leave slow start */

struct vegas_priv {
	uint32_t beg_snd_nxt;   /* the round ends when snd_una passes this */
	uint32_t cnt_rtt;       /* samples in this round */
	sim_time_t rtt_min;     /* smallest sample in this round */
	bool started;           /* a round is being measured */
};

static void vegas_round_start(const struct cc_var *cv, struct vegas_priv *v)
{
	v->beg_snd_nxt = cv->snd_nxt;
	v->cnt_rtt = 0;
	v->rtt_min = 0;
	v->started = true;
}

static void vegas_init(struct cc_var *cv)
{
	memset(cv->priv, 0, sizeof(struct vegas_priv));
	cv->cwnd = cv->init_cwnd;
	cv->ssthresh = UINT32_MAX;      /* RFC 5681 3.1: arbitrarily high */
	cv->bytes_acked = 0;
}

static void vegas_rtt_sample(struct cc_var *cv)
{
	struct vegas_priv *v = cv->priv;

	v->cnt_rtt++;
	if (!v->rtt_min || cv->last_rtt < v->rtt_min)
		v->rtt_min = cv->last_rtt;
}

/* The round's end: compare the expected and actual rates. */
static void vegas_round_end(struct cc_var *cv, struct vegas_priv *v, uint32_t acked)
{
	if (!v->cnt_rtt || !cv->min_rtt) {
		/* No measurement this round: grow as Reno. */
		cc_reno_ack_received(cv, acked);
		return;
	}
	/* Brakmo & Peterson 3.2: Expected = cwnd / BaseRTT, Actual = cwnd /
	 * RTT; Diff = (Expected - Actual) * BaseRTT = cwnd (RTT - BaseRTT) /
	 * RTT, in segments.  (Linux divides by BaseRTT instead.) */
	double base = (double)cv->min_rtt;
	double rtt = (double)(v->rtt_min > cv->min_rtt ? v->rtt_min : cv->min_rtt);
	double diff = (double)cv->cwnd / cv->mss * (rtt - base) / rtt;

	if (cv->cwnd < cv->ssthresh) {
		/* Paper 3.3: leave slow start when Diff > gamma. */
		if (diff > VEGAS_GAMMA)
			cv->ssthresh = cv->cwnd;
		else
			cc_reno_ack_received(cv, acked);
		return;
	}
	if (diff < VEGAS_ALPHA) {
		/* Paper 3.2: too little queued, increase linearly. */
		cv->cwnd += cv->mss;
	} else if (diff > VEGAS_BETA) {
		/* Paper 3.2: too much queued, decrease linearly; ssthresh
		 * follows so that slow start does not resume. */
		cv->cwnd = cv->cwnd > 3 * cv->mss ? cv->cwnd - cv->mss : 2 * cv->mss;
		if (cv->ssthresh > cv->cwnd)
			cv->ssthresh = cv->cwnd;
	}
	/* alpha <= Diff <= beta: hold. */
}

static void vegas_ack_received(struct cc_var *cv, uint32_t acked)
{
	struct vegas_priv *v = cv->priv;

	if (!v->started) {
		vegas_round_start(cv, v);
	} else if (SEQ_GT(cv->snd_una, v->beg_snd_nxt)) {
		/* Once per RTT: every byte sent when the round began is
		 * acknowledged. */
		vegas_round_end(cv, v, acked);
		vegas_round_start(cv, v);
		return;
	}
	/* Within a round: slow start as Reno; congestion avoidance waits for
	 * the round's end. */
	if (cv->cwnd < cv->ssthresh)
		cc_reno_ack_received(cv, acked);
}

static void vegas_cong_signal(struct cc_var *cv, enum cc_signal sig)
{
	struct vegas_priv *v = cv->priv;

	/* Losses and ECN as Reno (RFC 5681 3.1, 3.2; RFC 3168 6.1.2); the
	 * samples of a round cut by a loss are not used. */
	cc_reno_cong_signal(cv, sig);
	v->started = false;
}

static void vegas_post_recovery(struct cc_var *cv)
{
	/* RFC 5681 3.2 step 6: deflate to ssthresh. */
	cv->cwnd = cv->ssthresh;
}

static void vegas_after_idle(struct cc_var *cv)
{
	struct vegas_priv *v = cv->priv;

	/* RFC 5681 4.1: restart window = min(IW, cwnd); a fresh round. */
	if (cv->cwnd > cv->init_cwnd)
		cv->cwnd = cv->init_cwnd;
	v->started = false;
}

const struct tcp_cc_ops vegas_cc_ops = {
	.name = "vegas",
	.priv_size = sizeof(struct vegas_priv),
	.recovery = CC_RECOVERY_NEWRENO,
	.init = vegas_init,
	.ack_received = vegas_ack_received,
	.cong_signal = vegas_cong_signal,
	.post_recovery = vegas_post_recovery,
	.after_idle = vegas_after_idle,
	.rtt_sample = vegas_rtt_sample,
};
