/*
 * tcp_timer.c - the timers of a connection.
 *
 *   rexmt    retransmission (RFC 6298 5): back off, resend, congestion
 *            control's RTO reaction; SYNs likewise until connect timeout
 *   persist  zero-window probes with backoff, 5 s .. 60 s (RFC 9293 3.8.6.1,
 *            BSD's TCPTV_PERSMIN/PERSMAX)
 *   delack   the delayed ACK (RFC 1122 4.2.3.2)
 *   keep     keepalive probes after an idle period (RFC 1122 4.2.3.6)
 *   twait    2*MSL in TIME-WAIT (RFC 9293 3.3.2), or the FIN-WAIT-2 timer
 *   conn     the connection-establishment timeout (BSD: 75 s)
 *   output   a zero-delay event that sends the first SYN, so data written
 *            right after tcp_connect() can ride in it (TCP Fast Open)
 *   eof      a zero-delay event telling the application of the peer's FIN
 *
 * With timer_tick set, timers behave like BSD's 500 ms slow timeout: a
 * timer of n ticks expires on the n-th tick after it was set, so the first
 * one set between ticks fires up to a tick early (seed 002: the first SYN
 * retry after 5.8 s, not 6 s; the next exactly 24 s later, because it was
 * set on a tick).
 */
#include "tcp_internal.h"

#define PERSIST_MIN (5 * SIM_S)
#define PERSIST_MAX (60 * SIM_S)

/* When a timer of `delay` set now expires: exactly, or on a BSD tick. */
static sim_time_t timer_deadline(const struct sim *s, const struct tcb *t, sim_time_t delay)
{
	sim_time_t tick = t->conf->timer_tick;

	if (tick > 0) {
		sim_time_t ticks = (delay + tick - 1) / tick;

		if (ticks < 1)
			ticks = 1;
		/* The next tick strictly after now is the first decrement. */
		return (s->now / tick + 1) * tick + (ticks - 1) * tick;
	}
	return s->now + delay;
}

void tcp_timer_arm(struct sim *s, struct tcb *t, struct event *ev, sim_time_t delay)
{
	event_schedule(s, ev, timer_deadline(s, t, delay));
}

/*
 * The retransmission timer is restarted by nearly every ACK (RFC 6298 5.3),
 * almost always to a later time.  Moving a heap entry on every ACK is the
 * scheduler's largest cost in a bulk transfer, so the restart only records
 * the new deadline; the event stays where it was and, when it fires early,
 * re-arms itself at the deadline (BSD's callout_reset on a timer wheel has
 * the same effect).  An earlier deadline moves the event at once.
 */
void tcp_rexmt_restart(struct sim *s, struct tcb *t)
{
	sim_time_t at = timer_deadline(s, t, t->rto_cur);

	t->rexmt_at = at;
	if (!event_pending(&t->rexmt) || t->rexmt.time > at)
		event_schedule(s, &t->rexmt, at);
}

static void rexmt_fire(struct sim *s, struct event *ev)
{
	struct tcb *t = ev->obj;

	if (s->now < t->rexmt_at) {
		/* restarted since it was armed (tcp_rexmt_restart) */
		event_schedule(s, &t->rexmt, t->rexmt_at);
		return;
	}
	t->rxtshift++;
	t->st.timeouts++;
	if (t->state == TCPS_SYN_SENT || t->state == TCPS_SYN_RECEIVED) {
		/* The connect timer ends the attempt; until then, resend. */
		if (t->state == TCPS_SYN_RECEIVED && (uint32_t)t->rxtshift > t->conf->max_retries) {
			tcp_drop(s, t, TCP_CLOSED_TIMEOUT);
			return;
		}
	} else if ((uint32_t)t->rxtshift > t->conf->max_retries) {
		/* RFC 1122 4.2.3.5 (R2): give up. */
		tcp_drop(s, t, TCP_CLOSED_TIMEOUT);
		return;
	}
	/* RFC 6298 5.5: back off; 5.6: restart with the new value. */
	t->rto_cur = t->rtt_ops->timeout(&t->rtt, t->rxtshift);
	t->rtt_timing = false;          /* Karn: the timed segment is resent */

	if (TCPS_HAVEESTABLISHED(t->state)) {
		/* An RTO ends fast recovery: deflate first (RFC 5681 3.2
		 * step 6), so the halving below starts from the window the
		 * path was given, not from cwnd inflated by duplicate ACKs
		 * (which after a long NewReno recovery can exceed anything
		 * ever in flight).  As ns-2 (cwnd_ is never inflated) and
		 * Linux (ssthresh kept on an RTO in Recovery). */
		if (t->in_recovery && t->ccv.cwnd > t->ccv.ssthresh)
			t->ccv.cwnd = t->ccv.ssthresh;
		/* RFC 5681 3.1 eq. 4 and LW = 1 SMSS: the RTO reaction.
		 * ssthresh is set only when "the given segment has not yet
		 * been resent by way of the retransmission timer": a second
		 * timeout of the same segment keeps it (cwnd is already 1
		 * SMSS, so halving again would leave 2 SMSS). */
		uint32_t ssthresh = t->ccv.ssthresh;

		t->ccv.now = s->now;
		t->ccv.flight = t->snd_max - t->snd_una;
		t->cc->cong_signal(&t->ccv, CC_RTO);
		if (t->rxtshift > 1)
			t->ccv.ssthresh = ssthresh;
		t->in_recovery = false;
		t->dupacks = 0;
		/* Loss state until what was outstanding is acked; RFC 6582's
		 * recover point (no fast retransmit for this window), and
		 * RFC 2018 8: forget the SACKs, the receiver may renege. */
		t->in_loss = true;
		t->recover = t->snd_max;
		t->recover_valid = true;
		t->lt_extra = 0;
		tcp_sack_clear(t);
		t->high_rxt = t->snd_una;
	}
	/* RFC 6298 5.4: retransmit the earliest unacknowledged segment; we
	 * go back to snd_una and resend in order as the window allows. */
	t->snd_nxt = t->snd_una;
	t->probing = false;
	tcp_rexmt_restart(s, t);
	tcp_output(s, t);
}

void tcp_persist_start(struct sim *s, struct tcb *t)
{
	sim_time_t d = t->rtt_ops->timeout(&t->rtt, 0);

	/* BSD: the RTO backed off by the probes sent so far, in [5 s, 60 s]. */
	for (int i = 0; i < t->persist_shift && d < PERSIST_MAX; i++)
		d *= 2;
	if (d < PERSIST_MIN)
		d = PERSIST_MIN;
	if (d > PERSIST_MAX)
		d = PERSIST_MAX;
	tcp_timer_arm(s, t, &t->persist, d);
}

static void persist_fire(struct sim *s, struct event *ev)
{
	struct tcb *t = ev->obj;

	if (!TCPS_HAVEESTABLISHED(t->state))
		return;
	if (t->snd_wnd > 0) {
		/* The window is open but too small for sender SWS avoidance
		 * to use: on this timeout send what fits (RFC 1122 4.2.3.4,
		 * the override; BSD's t_force). */
		t->force = true;
		tcp_output(s, t);
		t->force = false;
		if (t->state == TCPS_CLOSED)
			return;
		if (t->snd_una != t->snd_max)
			return;         /* data in flight: its ACK moves things */
	}
	tcp_send_window_probe(s, t);
	t->persist_shift++;
	tcp_persist_start(s, t);
	tcp_trace(s, t);
}

static void delack_fire(struct sim *s, struct event *ev)
{
	struct tcb *t = ev->obj;

	t->ack_now = true;
	tcp_output(s, t);
}

void tcp_keepalive_reset(struct sim *s, struct tcb *t)
{
	t->keep_probes = 0;
	tcp_timer_arm(s, t, &t->keep, t->conf->keepalive_idle);
}

static void keep_fire(struct sim *s, struct event *ev)
{
	struct tcb *t = ev->obj;

	/* Not in TIME-WAIT, which only waits out 2 MSL: a segment arriving
	 * there re-arms this timer (tcp_input), and a probe or a keepalive
	 * drop would be wrong (test_keepalive_not_in_time_wait). */
	if (!TCPS_HAVEESTABLISHED(t->state) || t->state == TCPS_TIME_WAIT)
		return;
	if (t->keep_probes >= t->conf->keepalive_probes) {
		/* RFC 1122 4.2.3.6: the peer is gone (half-open detection). */
		tcp_drop(s, t, TCP_CLOSED_KEEPALIVE);
		return;
	}
	t->keep_probes++;
	tcp_send_keepalive(s, t);
	tcp_timer_arm(s, t, &t->keep, t->conf->keepalive_intvl);
}

void tcp_enter_time_wait(struct sim *s, struct tcb *t)
{
	tcp_set_state(t, TCPS_TIME_WAIT);
	event_cancel(s, &t->rexmt);
	event_cancel(s, &t->persist);
	event_cancel(s, &t->keep);
	tcp_timer_arm(s, t, &t->twait, 2 * t->conf->msl);
}

static void twait_fire(struct sim *s, struct event *ev)
{
	struct tcb *t = ev->obj;

	tcp_drop(s, t, t->state == TCPS_FIN_WAIT_2 ? TCP_CLOSED_FIN_WAIT2 : TCP_CLOSED_NORMAL);
}

static void conn_fire(struct sim *s, struct event *ev)
{
	struct tcb *t = ev->obj;

	if (t->state == TCPS_SYN_SENT || t->state == TCPS_SYN_RECEIVED)
		tcp_drop(s, t, TCP_CLOSED_CONNECT_TIMEOUT);
}

static void output_fire(struct sim *s, struct event *ev)
{
	tcp_output(s, ev->obj);
}

/* The application learns of the peer's FIN after the FIN was acknowledged,
 * as with a real socket, where read() returns 0 later: so its own close
 * sends a FIN of its own, the four-segment close of seed 002 fig. 18.1. */
static void eof_fire(struct sim *s, struct event *ev)
{
	struct tcb *t = ev->obj;

	if (t->state != TCPS_CLOSED && t->user && t->user->peer_closed)
		t->user->peer_closed(s, t);
}

void tcp_timers_init(struct tcb *t)
{
	event_init(&t->rexmt, rexmt_fire, t);
	event_init(&t->persist, persist_fire, t);
	event_init(&t->delack, delack_fire, t);
	event_init(&t->keep, keep_fire, t);
	event_init(&t->twait, twait_fire, t);
	event_init(&t->conn, conn_fire, t);
	event_init(&t->out, output_fire, t);
	event_init(&t->eof, eof_fire, t);
}

void tcp_timers_cancel(struct sim *s, struct tcb *t)
{
	event_cancel(s, &t->rexmt);
	event_cancel(s, &t->persist);
	event_cancel(s, &t->delack);
	event_cancel(s, &t->keep);
	event_cancel(s, &t->twait);
	event_cancel(s, &t->conn);
	event_cancel(s, &t->out);
	event_cancel(s, &t->eof);
}
