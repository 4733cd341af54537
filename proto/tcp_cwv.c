/*
 * tcp_cwv.c - congestion window validation (tcp_cwv.h): RFC 5681 4.1's
 * restart after idle, or RFC 7661 ("New CWV"), or neither.
 *
 * RFC 7661 in brief.  The sender measures pipeACK, the data acknowledged
 * per RTT, as the largest sample over a sampling period.  cwnd is
 * "validated" while pipeACK >= cwnd/2; below that the sender is in the
 * non-validated phase (NVP): it keeps cwnd, so a rate-limited or idle
 * application can send a burst at the old rate without slow-starting, but
 * does not grow it; after five minutes in the NVP the window is cut, and a
 * loss in the NVP leaves the window at half of what was really in use.
 *
 * Two choices the RFC leaves to us, stated where they are made: the
 * sampling period (max(3 SRTT, 1 s), its recommendation) and treating a
 * sender whose FlightSize is at least cwnd/2 as validated even when
 * pipeACK lags (in slow start pipeACK is one RTT behind and ~cwnd/2 by
 * construction; a bulk sender is not rate-limited and must not stall).
 */
#include "tcp.h"
#include "tcp_cwv.h"

/* RFC 7661 4.1: the pipeACK sampling period, max(3 SRTT, 1 s). */
static sim_time_t sample_window(const struct tcb *t)
{
	sim_time_t w = 3 * t->rtt.srtt;

	return w > SIM_S ? w : SIM_S;
}

/*
 * A windowed running maximum in three slots (K. Nichols' filter, as Linux's
 * win_minmax): slot 0 is the best sample of the window, slots 1 and 2 the
 * best of the later parts, so when slot 0 ages out the next best is at
 * hand.  Times increase and values decrease from slot 0 to slot 2.
 */
static void max_set_all(struct tcp_cwv *c, sim_time_t now, uint32_t v)
{
	for (int i = 0; i < 3; i++) {
		c->max_t[i] = now;
		c->max_v[i] = v;
	}
	c->nmax = 3;
}

static void max_set(struct tcp_cwv *c, int i, sim_time_t now, uint32_t v)
{
	c->max_t[i] = now;
	c->max_v[i] = v;
}

static void max_shift(struct tcp_cwv *c, sim_time_t now, uint32_t v)
{
	max_set(c, 0, c->max_t[1], c->max_v[1]);
	max_set(c, 1, c->max_t[2], c->max_v[2]);
	max_set(c, 2, now, v);
}

static void max_update(struct tcp_cwv *c, sim_time_t win, sim_time_t now, uint32_t v)
{
	sim_time_t age;

	if (!c->nmax || v >= c->max_v[0] || now - c->max_t[2] > win) {
		max_set_all(c, now, v);
		return;
	}
	if (v >= c->max_v[1]) {
		max_set(c, 1, now, v);
		max_set(c, 2, now, v);
	} else if (v >= c->max_v[2]) {
		max_set(c, 2, now, v);
	}
	age = now - c->max_t[0];
	if (age > win) {
		max_shift(c, now, v);
		if (now - c->max_t[0] > win)
			max_shift(c, now, v);
	} else if (c->max_t[1] == c->max_t[0] && age > win / 4) {
		/* a quarter of the window without a better sample: keep a
		 * second choice from here on */
		max_set(c, 1, now, v);
		max_set(c, 2, now, v);
	} else if (c->max_t[2] == c->max_t[1] && age > win / 2) {
		max_set(c, 2, now, v);
	}
}

uint32_t tcp_cwv_pipeack(const struct tcb *t, sim_time_t now)
{
	const struct tcp_cwv *c = &t->cwv;
	sim_time_t win = sample_window(t);

	for (int i = 0; i < c->nmax; i++)
		if (now - c->max_t[i] <= win)
			return c->max_v[i];
	return 0;
}

/* RFC 7661 4.4: five minutes in the NVP cost half the unused window,
 * down to IW; ssthresh remembers 3/4 of it. */
static void nvp_expire(struct tcb *t, sim_time_t now)
{
	struct tcp_cwv *c = &t->cwv;
	struct cc_var *cv = &t->ccv;

	while (c->nvp && now - c->nvp_since >= t->conf->cwv_nvp) {
		uint32_t three_q = cv->cwnd / 4 * 3;

		if (cv->ssthresh < three_q)
			cv->ssthresh = three_q;
		cv->cwnd = cv->cwnd / 2 > cv->init_cwnd ? cv->cwnd / 2 : cv->init_cwnd;
		c->nvp_since += t->conf->cwv_nvp;
		t->st.cwv_reductions++;
		if (cv->cwnd <= cv->init_cwnd)
			break;
	}
}

/* RFC 7661 4.3: validated while pipeACK >= cwnd/2 (or undefined). */
static void evaluate(struct tcb *t, sim_time_t now, uint32_t flight)
{
	struct tcp_cwv *c = &t->cwv;
	uint32_t half = t->ccv.cwnd / 2;
	uint32_t pa;

	if (!c->nmax)
		return;                 /* undefined: validated */
	pa = tcp_cwv_pipeack(t, now);
	if (pa >= half || flight >= half) {
		c->nvp = false;
		return;
	}
	if (!c->nvp) {
		c->nvp = true;
		/* Idle: the phase began when the last sample aged out. */
		c->nvp_since = pa == 0 ? c->max_t[c->nmax - 1] + sample_window(t) : now;
		if (c->nvp_since > now)
			c->nvp_since = now;
		t->st.cwv_nvp_entries++;
	}
	nvp_expire(t, now);
}

void tcp_cwv_ack(struct sim *s, struct tcb *t)
{
	struct tcp_cwv *c = &t->cwv;

	if (t->conf->cwv != TCP_CWV_RFC7661)
		return;
	/* RFC 7661 4.1: a pipeACK sample is what was acknowledged over at
	 * least one RTT; the period then starts again. */
	if (!c->sampling) {
		c->sampling = true;
		c->sample_start = s->now;
		c->sample_una = t->snd_una;
	} else if (t->rtt.srtt > 0 && s->now - c->sample_start >= t->rtt.srtt) {
		max_update(c, sample_window(t), s->now, t->snd_una - c->sample_una);
		c->sample_start = s->now;
		c->sample_una = t->snd_una;
	}
	if (!t->in_recovery && !t->in_loss)
		evaluate(t, s->now, t->snd_max - t->snd_una);
}

bool tcp_cwv_may_grow(const struct tcb *t)
{
	/* RFC 7661 4.3: a window that is not in use is not grown. */
	return t->conf->cwv != TCP_CWV_RFC7661 || !t->cwv.nvp;
}

void tcp_cwv_before_send(struct sim *s, struct tcb *t)
{
	switch (t->conf->cwv) {
	case TCP_CWV_RFC5681:
		/* RFC 5681 4.1: idle longer than an RTO: restart from
		 * min(IW, cwnd) - the algorithm's rule (after_idle). */
		if (s->now - t->last_send > t->rto_cur && t->cc->after_idle) {
			t->ccv.now = s->now;
			t->cc->after_idle(&t->ccv);
		}
		break;
	case TCP_CWV_RFC7661:
		/* Nothing in flight: the ACK clock stopped, so the phase (and
		 * the five-minute clock) is brought up to date here. */
		evaluate(t, s->now, 0);
		break;
	case TCP_CWV_NONE:
		break;
	}
}

void tcp_cwv_loss(struct tcb *t)
{
	struct tcp_cwv *c = &t->cwv;

	c->loss_in_nvp = t->conf->cwv == TCP_CWV_RFC7661 && c->nvp;
	if (c->loss_in_nvp) {
		c->loss_flight = t->snd_max - t->snd_una;
		c->loss_rexmit = t->st.bytes_retransmitted;
	}
}

void tcp_cwv_recovered(struct sim *s, struct tcb *t)
{
	struct tcp_cwv *c = &t->cwv;
	struct cc_var *cv = &t->ccv;
	uint64_t r, base;

	if (!c->loss_in_nvp)
		return;
	/* RFC 7661 4.4 (loss in the NVP), at the end of recovery:
	 * cwnd = (max(pipeACK, LossFlightSize) - R) / 2, ssthresh = cwnd,
	 * R the data retransmitted; back to the validated phase.  Floors: one
	 * segment of cwnd, two of ssthresh (RFC 5681 eq. 4). */
	c->loss_in_nvp = false;
	r = t->st.bytes_retransmitted - c->loss_rexmit;
	base = tcp_cwv_pipeack(t, s->now);
	if (base < c->loss_flight)
		base = c->loss_flight;
	cv->cwnd = base > r ? (uint32_t)((base - r) / 2) : 0;
	if (cv->cwnd < t->mss)
		cv->cwnd = t->mss;
	cv->ssthresh = cv->cwnd > 2 * t->mss ? cv->cwnd : 2 * t->mss;
	c->nvp = false;
	t->st.cwv_loss_cuts++;
}
