/*
 * tcp_input.c - segment arrival: the TCP state machine (RFC 9293 3.10.7).
 *
 * tcp_input() verifies the checksum, parses the options and finds the
 * connection, then follows the RFC's "SEGMENT ARRIVES" event in its order:
 *   no connection          -> reset (3.10.7.1)
 *   LISTEN                 -> listen_input(): a SYN makes a child (3.10.7.2)
 *   SYN-SENT               -> syn_sent_input() (3.10.7.3)
 *   otherwise              -> synced_input() (3.10.7.4):
 *       first  PAWS (RFC 7323 5.3) and the sequence number check
 *       second the RST bit (with RFC 5961 3.2 challenge ACKs)
 *       fourth the SYN bit (RFC 5961 4: challenge ACK)
 *       fifth  the ACK field (RFC 5961 5 ACK check; SYN-RECEIVED ->
 *              ESTABLISHED; ack_input(): RTT, congestion control, fast
 *              retransmit, FIN acknowledged)
 *       sixth  URG, seventh the text (data_input()), eighth FIN
 * and ends with tcp_output() to send whatever is now owed.
 */
#include <string.h>
#include "tcp_internal.h"
#include "ip.h"
#include "trace.h"

/* ---- options negotiated by a SYN or SYN-ACK ---- */

static void apply_syn_options(struct sim *s, struct tcb *t, const struct tcp_opts *o,
			      const struct packet *p)
{
	const struct tcp_conf *c = t->conf;

	/* RFC 9293 3.7.1: without the option the peer's MSS is 536. */
	t->peer_mss = (o->present & TCPOF_MSS) ? o->mss : 536;
	t->mss = c->mss < t->peer_mss ? c->mss : t->peer_mss;
	if (t->mss < 64)
		t->mss = 64;
	/* RFC 7323 2.2: scaling on only when both sides sent the option. */
	t->ws_on = c->opt_wscale && (o->present & TCPOF_WSCALE);
	if (t->ws_on) {
		t->snd_wscale = o->wscale > 14 ? 14 : o->wscale;    /* 2.3 */
	} else {
		t->snd_wscale = 0;
		t->rcv_wscale = 0;
	}
	t->ts_on = c->opt_ts && (o->present & TCPOF_TS);
	if (t->ts_on) {
		t->ts_recent = o->ts_val;
		t->ts_recent_age = s->now;
	}
	t->sack_on = c->opt_sack && (o->present & TCPOF_SACK_PERM);
	(void)p;
}

/* RFC 7323 3.2 / 4.3: remember the peer's timestamp for echoing. */
static void update_ts_recent(struct sim *s, struct tcb *t, const struct tcp_opts *o,
			     uint32_t seq)
{
	if (t->ts_on && (o->present & TCPOF_TS) && SEQ_LEQ(seq, t->rcv_adv) &&
	    SEQ_LEQ(seq, t->rcv_nxt) && SEQ_GEQ(o->ts_val, t->ts_recent)) {
		t->ts_recent = o->ts_val;
		t->ts_recent_age = s->now;
	}
}

/* ---- no connection: RFC 9293 3.10.7.1 ---- */

static void reset_for(struct sim *s, struct node *n, const struct packet *p)
{
	uint32_t seglen = p->payload_len + !!(p->tcp.flags & TH_SYN) + !!(p->tcp.flags & TH_FIN);

	if (p->tcp.flags & TH_RST)
		return;                         /* never answer a reset */
	tcp_stack_of(s, n)->no_socket++;
	if (p->tcp.flags & TH_ACK)
		tcp_send_rst(s, n, p->dst, p->src, p->dport, p->sport, p->tcp.ack, 0, false, p->flow);
	else
		tcp_send_rst(s, n, p->dst, p->src, p->dport, p->sport, 0,
			     p->tcp.seq + seglen, true, p->flow);
}

/* ---- LISTEN: RFC 9293 3.10.7.2 ---- */

static void listen_input(struct sim *s, struct tcb *l, struct packet *p,
			 const struct tcp_opts *o)
{
	struct tcb *t;

	if (p->tcp.flags & TH_RST)
		return;
	if (p->tcp.flags & TH_ACK) {
		reset_for(s, l->node, p);
		return;
	}
	if (!(p->tcp.flags & TH_SYN))
		return;
	/* Backlog (seed 002, 18.11): with the SYN queue or the accept queue
	 * full, the SYN is dropped without a word; the client retries. */
	if (l->syn_queued >= l->conf->syn_backlog || l->accept_queued >= l->conf->backlog) {
		l->syn_dropped++;
		return;
	}
	t = tcp_tcb_new(s, l->node, l->conf, l->user, l->user_ctx);
	if (!t)
		return;
	t->listener = l;
	t->flow = l->flow;
	t->trace = l->trace;
	t->rx_stream = l->rx_stream;
	t->tx_stream = l->tx_stream;
	t->lport = l->lport;
	t->raddr = p->src;
	t->rport = p->sport;
	if (l->user && l->user->syn)
		l->user->syn(s, l, t);  /* a shared listener: whose is it? */
	t->irs = p->tcp.seq;
	t->rcv_nxt = p->tcp.seq + 1;
	t->rcv_nxt64 = 1;
	t->rcv_adv = t->rcv_nxt;                /* nothing offered yet */
	t->iss = tcp_choose_isn(s, t);
	t->snd_una = t->snd_nxt = t->snd_max = t->iss;
	t->snd_wnd = p->tcp.win;                /* unscaled in a SYN */
	t->snd_wl1 = p->tcp.seq;
	t->snd_wl2 = t->iss;
	t->max_sndwnd = t->snd_wnd;
	apply_syn_options(s, t, o, p);
	/* RFC 3168 6.1.1: an ECN-setup SYN has ECE and CWR. */
	t->ecn_on = t->conf->ecn && (p->tcp.flags & (TH_ECE | TH_CWR)) == (TH_ECE | TH_CWR);
	tcp_hash_insert(t);
	l->syn_queued++;
	tcp_set_state(t, TCPS_SYN_RECEIVED);
	tcp_cc_start(t);
	/* RFC 7413 4.2: a valid cookie lets the SYN's data in at once; any
	 * TFO option gets a cookie back. */
	if (t->conf->tfo && (o->present & TCPOF_TFO)) {
		t->tfo_on = true;
		if (p->payload_len && tcp_tfo_cookie_ok(t, o)) {
			/* No more than the window the SYN-ACK can offer
			 * (unscaled, RFC 7323 2.2): the rest is not acked and
			 * the client sends it again (RFC 9293 3.8.6: the
			 * window is buffer space; test_tfo_syn_data_window). */
			uint32_t len = p->payload_len, room = t->conf->rcvbuf;

			if (room > 65535)
				room = 65535;
			if (len > room)
				len = room;
			t->rcv_delivered += len;
			tcp_advance_rcv_nxt(t, len);
			t->st.bytes_in += len;
			if (p->payload_id != t->rx_stream || p->payload_off != 0)
				t->integrity_bad_off = 0;
			t->tfo_early = true;
		}
	}
	tcp_timer_arm(s, t, &t->conn, t->conf->connect_timeout);
	tcp_output(s, t);
	if (t->tfo_early && t->state == TCPS_SYN_RECEIVED) {
		/* RFC 7413 4.2: with a valid cookie the server application
		 * gets the connection and the SYN's data now, and may answer
		 * before the handshake completes - the round trip TFO saves. */
		l->syn_queued--;
		t->accepted = true;
		if (l->user && l->user->accepted)
			l->user->accepted(s, l, t);
		if (t->state != TCPS_CLOSED && tcp_readable(t) > 0 && t->user &&
		    t->user->readable)
			t->user->readable(s, t);
	}
}

/* ---- SYN-SENT: RFC 9293 3.10.7.3 ---- */

static void syn_sent_input(struct sim *s, struct tcb *t, struct packet *p,
			   const struct tcp_opts *o)
{
	uint8_t f = p->tcp.flags;
	bool ack_ok = false;

	if (f & TH_ACK) {
		/* First: an ACK must acknowledge our SYN (and only what we
		 * sent). */
		if (SEQ_LEQ(p->tcp.ack, t->iss) || SEQ_GT(p->tcp.ack, t->snd_max)) {
			if (!(f & TH_RST))
				tcp_send_rst(s, t->node, t->laddr, t->raddr, t->lport, t->rport,
					     p->tcp.ack, 0, false, t->flow);
			return;
		}
		ack_ok = true;
	}
	if (f & TH_RST) {
		/* Second: a reset with an acceptable ACK refuses the
		 * connection; without an ACK it is dropped. */
		if (ack_ok) {
			t->st.rst_in++;
			tcp_drop(s, t, TCP_CLOSED_REFUSED);
		}
		return;
	}
	if (!(f & TH_SYN))
		return;                         /* fifth: neither SYN nor RST */

	t->irs = p->tcp.seq;
	t->rcv_nxt = p->tcp.seq + 1;
	t->rcv_nxt64 = 1;
	t->rcv_adv = t->rcv_nxt;                /* nothing offered yet */
	apply_syn_options(s, t, o, p);
	/* RFC 3168 6.1.1: an ECN-setup SYN-ACK has ECE and not CWR. */
	t->ecn_on = t->conf->ecn && (f & TH_ACK) &&
		    (p->tcp.flags & (TH_ECE | TH_CWR)) == TH_ECE;
	tcp_cc_start(t);
	t->snd_wnd = p->tcp.win;                /* unscaled in a SYN */
	t->snd_wl1 = p->tcp.seq;
	t->snd_wl2 = p->tcp.ack;
	t->max_sndwnd = t->snd_wnd;
	if (t->conf->tfo && (o->present & TCPOF_TFO) && o->tfo_len)
		tcp_tfo_cookie_store(t, o);

	if (ack_ok) {
		tcp_set_snd_una(t, p->tcp.ack);
		/* RTT of the handshake (RFC 6298 2: the SYN may be timed). */
		if (t->rtt_timing && SEQ_GT(p->tcp.ack, t->rtt_seq) && t->rxtshift == 0) {
			t->rtt_ops->sample(&t->rtt, s->now - t->rtt_start);
			t->st.rtt_samples++;
		}
		t->rtt_timing = false;
		/* TFO data not covered by the SYN-ACK goes again (7413 3). */
		if (SEQ_LT(t->snd_nxt, t->snd_una))
			t->snd_nxt = t->snd_una;
		/* ...all of it, also when the SYN-ACK acked part of the data:
		 * the timer is cancelled below, so data left in flight would
		 * never be sent again (test_tfo_partial_ack). */
		if (t->tfo_data_in_syn && SEQ_LT(t->snd_una, t->snd_nxt))
			t->snd_nxt = t->snd_una;
		event_cancel(s, &t->rexmt);
		event_cancel(s, &t->conn);
		t->rto_cur = t->rtt_ops->timeout(&t->rtt, 0);
		/* RFC 6298 5.7: after a SYN timed out, data starts with an RTO
		 * of at least 3 s. */
		if (t->rxtshift > 0 && t->rto_cur < 3 * SIM_S)
			t->rto_cur = 3 * SIM_S;
		t->rxtshift = 0;
		tcp_set_state(t, TCPS_ESTABLISHED);
		t->ack_now = true;
		if (t->conf->keepalive)
			tcp_keepalive_reset(s, t);
		if (t->user && t->user->connected)
			t->user->connected(s, t);
		if (t->state == TCPS_CLOSED)
			return;
		tcp_output(s, t);
		return;
	}
	/* Simultaneous open (RFC 9293 3.5, figure 8): SYN-RECEIVED, and our
	 * SYN goes again with an ACK. */
	tcp_set_state(t, TCPS_SYN_RECEIVED);
	t->snd_nxt = t->iss;
	tcp_output(s, t);
}

/* ---- ACK processing: the fifth check for synchronised states ---- */

static void new_ack(struct sim *s, struct tcb *t, struct packet *p,
		    const struct tcp_opts *o, uint32_t acked)
{
	bool fin_acked;
	uint32_t ack = p->tcp.ack;

	/* RTT (RFC 6298 3, RFC 7323 4.1): from the timestamp echo when
	 * timestamps are on, else from the one timed segment (Karn: never a
	 * retransmitted one). */
	bool sampled = false;

	if (t->ts_on && (o->present & TCPOF_TS) && o->ts_ecr) {
		sim_time_t r = (sim_time_t)(uint32_t)(tcp_ts_now(s) - o->ts_ecr) * SIM_MS;

		t->rtt_ops->sample(&t->rtt, r > 0 ? r : SIM_MS / 2);
		sampled = true;
	} else if (t->rtt_timing && SEQ_GT(ack, t->rtt_seq)) {
		t->rtt_ops->sample(&t->rtt, s->now - t->rtt_start);
		t->rtt_timing = false;
		sampled = true;
	}
	/* Karn's algorithm, second half (RFC 6298 5.5, BSD tcp_xmit_timer):
	 * a backed-off RTO stays until a valid sample replaces it, so
	 * spurious timeouts cannot repeat for want of a measurement. */
	if (sampled) {
		t->ccv.last_rtt = t->rtt.last_sample;
		if (!t->ccv.min_rtt || t->rtt.last_sample < t->ccv.min_rtt)
			t->ccv.min_rtt = t->rtt.last_sample;
		t->ccv.now = s->now;
		if (t->cc->rtt_sample)
			t->cc->rtt_sample(&t->ccv);
		t->st.rtt_samples++;
		t->rxtshift = 0;
		t->rto_cur = t->rtt_ops->timeout(&t->rtt, 0);
	}

	fin_acked = t->fin_queued && SEQ_GT(ack, tcp_fin_seq(t));
	/* Congestion control counts data bytes only, not the sequence
	 * numbers of SYN and FIN. */
	int64_t off_old = (int64_t)t->snd_una64 - 1;
	tcp_set_snd_una(t, ack);
	int64_t off_new = (int64_t)t->snd_una64 - 1;
	if (off_old < 0)
		off_old = 0;
	if (off_new > (int64_t)t->snd_written)
		off_new = (int64_t)t->snd_written;
	acked = off_new > off_old ? (uint32_t)(off_new - off_old) : 0;
	if (SEQ_LT(t->snd_nxt, t->snd_una))
		t->snd_nxt = t->snd_una;
	if (t->probing && SEQ_GEQ(ack, t->snd_max))
		t->probing = false;

	tcp_cwv_ack(s, t);

	/* Congestion control: leave recovery, or grow the window. */
	t->ccv.now = s->now;
	t->ccv.srtt = t->rtt.srtt;
	t->ccv.flight = t->snd_max - t->snd_una;
	t->ccv.snd_una = t->snd_una;
	t->ccv.snd_nxt = t->snd_nxt;
	t->ccv.rwnd = t->snd_wnd;
	t->lt_extra = 0;
	if (t->in_recovery && t->recovery != CC_RECOVERY_RENO &&
	    SEQ_LT(ack, t->recover)) {
		/* A partial ACK: more of this window was lost. */
		if (t->recovery == CC_RECOVERY_NEWRENO) {
			/* RFC 6582 3.2 step 5: retransmit the next hole,
			 * deflate by what was acked, add back one SMSS; the
			 * timer is reset on the first partial ACK only
			 * ("Impatient"). */
			tcp_retransmit_una(s, t);
			t->ccv.cwnd = t->ccv.cwnd > acked ? t->ccv.cwnd - acked : 0;
			t->ccv.cwnd += t->mss;
			if (t->partial_acks++ == 0)
				tcp_rexmt_restart(s, t);
		}
		/* SACK: the scoreboard and pipe decide (tcp_output). */
	} else if (t->in_recovery) {
		/* RFC 5681 3.2 step 6 (Reno: any new ACK), RFC 6582 step 3
		 * and RFC 6675 (the recovery point is acked): deflate. */
		t->in_recovery = false;
		tcp_sack_clear(t);
		if (t->cc->post_recovery)
			t->cc->post_recovery(&t->ccv);
		else
			t->ccv.cwnd = t->ccv.ssthresh;
		tcp_cwv_recovered(s, t);
	} else if (acked) {
		if (t->in_loss && SEQ_GEQ(ack, t->recover))
			t->in_loss = false;
		/* RFC 3168 6.1.2: no window growth for an ECN-Echo ACK. */
		if (!(t->ecn_on && (p->tcp.flags & TH_ECE)) && tcp_cwv_may_grow(t))
			t->cc->ack_received(&t->ccv, acked);
	}
	t->dupacks = 0;

	/* RFC 6298 5.2 and 5.3: stop the timer when all is acked, else
	 * restart it - except on NewReno's later partial ACKs: RFC 6582 4.1
	 * "Impatient" resets it on the first one only, so a window with
	 * many losses ends in a timeout instead of one hole per RTT for
	 * ever (ns-2's NewReno does the same). */
	if (t->snd_una == t->snd_max)
		event_cancel(s, &t->rexmt);
	else if (!(t->in_recovery && t->recovery == CC_RECOVERY_NEWRENO &&
		   t->partial_acks > 1))
		tcp_rexmt_restart(s, t);

	if (fin_acked) {
		switch (t->state) {
		case TCPS_FIN_WAIT_1:
			tcp_set_state(t, TCPS_FIN_WAIT_2);
			/* BSD: a fully closed socket does not wait for ever
			 * (seed 002, FIN_WAIT_2 timer). */
			if (t->user_closed && t->conf->fin_wait2_timeout)
				tcp_timer_arm(s, t, &t->twait, t->conf->fin_wait2_timeout);
			break;
		case TCPS_CLOSING:
			tcp_enter_time_wait(s, t);
			break;
		case TCPS_LAST_ACK:
			tcp_drop(s, t, TCP_CLOSED_NORMAL);
			return;
		default:
			break;
		}
	}
	if (t->user && t->user->writable && tcp_send_space(t) > 0 && !t->fin_queued)
		t->user->writable(s, t);
}

/* Enter loss recovery on duplicate ACKs (RFC 5681 3.2 steps 2-4, RFC 6582
 * 3.2, RFC 6675 5), or Tahoe's fast retransmit. */
static void enter_recovery(struct sim *s, struct tcb *t)
{
	t->st.fast_retransmits++;
	tcp_cwv_loss(t);
	t->cc->cong_signal(&t->ccv, CC_NDUPACK);
	t->recover = t->snd_max;
	t->lt_extra = 0;
	switch (t->recovery) {
	case CC_RECOVERY_TAHOE:
		/* 4.3BSD-Tahoe (Fall & Floyd 1996 2): retransmit, then slow
		 * start from one segment, going back to snd_una - segments
		 * the receiver already holds may be sent again. */
		t->ccv.cwnd = t->mss;
		t->in_loss = true;
		t->snd_nxt = t->snd_una;
		t->rtt_timing = false;
		break;
	case CC_RECOVERY_SACK:
		/* RFC 6675 5 step 4: cwnd = ssthresh; retransmit what NextSeg
		 * says, then as pipe allows (tcp_output). */
		t->in_recovery = true;
		t->st.sack_recoveries++;
		t->ccv.cwnd = t->ccv.ssthresh;
		/* Step 4.3: the first segment presumed lost goes at once,
		 * whatever cwnd - pipe says. */
		{
			uint64_t off = tcp_snd_off(t, t->snd_una);
			uint64_t avail = off < t->snd_written ? t->snd_written - off : 0;
			uint32_t seg = t->mss > 12 && t->ts_on ? t->mss - 12 : t->mss;
			uint32_t len = (uint32_t)(avail < seg ? avail : seg);

			if (len == 0 && SEQ_LT(t->snd_una, t->snd_max))
				len = 1;        /* only our FIN is outstanding */
			tcp_retransmit_range(s, t, t->snd_una, len);
			t->high_rxt = t->snd_una + len;
		}
		break;
	default:
		/* Reno and NewReno: retransmit the first unacknowledged
		 * segment; inflate cwnd by the segments that left. */
		t->in_recovery = true;
		tcp_retransmit_una(s, t);
		t->ccv.cwnd = t->ccv.ssthresh + t->conf->dupthresh * t->mss;
		t->partial_acks = 0;
		break;
	}
	tcp_rexmt_restart(s, t);
}

static void dup_ack(struct sim *s, struct tcb *t)
{
	uint32_t before = t->snd_max;
	bool sack = t->recovery == CC_RECOVERY_SACK;

	t->st.dupacks_in++;
	t->dupacks++;
	t->ccv.now = s->now;
	t->ccv.flight = t->snd_max - t->snd_una;
	if (t->in_recovery) {
		/* Reno/NewReno step 5: inflate; SACK: pipe shrank. */
		if (!sack)
			t->ccv.cwnd += t->mss;
		tcp_output(s, t);
		return;
	}
	if (t->in_loss)
		return;                 /* after an RTO (or Tahoe): slow start */
	if (t->dupacks >= t->conf->dupthresh || (sack && tcp_sack_is_lost(t, t->snd_una))) {
		/* RFC 6582 3.2 step 1 / RFC 6675 5: not again for losses
		 * of a window already being recovered. */
		/* recover is snd_max at the time.  As ns-2's bugfix
		 * (highest_ack_ > recover_, in packets) and FreeBSD: a new fast
		 * retransmit needs an ACK beyond it - duplicates of resent data
		 * ACKed exactly at it must not start another. */
		if (t->recovery != CC_RECOVERY_RENO &&
		    t->recover_valid && SEQ_LEQ(t->snd_una, t->recover))
			return;         /* (Tahoe too: Fall & Floyd's "bugfix") */
		t->recover_valid = true;
		enter_recovery(s, t);
		tcp_output(s, t);
		return;
	}
	if (t->conf->limited_transmit) {
		/* RFC 3042: each of the first two duplicate ACKs lets one new
		 * segment go, cwnd unchanged. */
		t->lt_extra = t->dupacks * t->mss;
		tcp_output(s, t);
		if (SEQ_GT(t->snd_max, before))
			t->st.limited_transmits++;
	}
}

/* Returns false when the segment must be dropped (or the tcb is gone). */
static bool ack_input(struct sim *s, struct tcb *t, struct packet *p, const struct tcp_opts *o,
		      uint32_t seglen)
{
	uint32_t ack = p->tcp.ack;
	uint32_t win = (uint32_t)p->tcp.win << t->snd_wscale;

	/* RFC 9293 3.10.7.4 fifth check, SYN-RECEIVED: unless SND.UNA <
	 * SEG.ACK =< SND.NXT, form <SEQ=SEG.ACK><CTL=RST> - a reset, not the
	 * challenge ACK below, which is for synchronised states only
	 * (test_syn_received_bad_ack). */
	if (t->state == TCPS_SYN_RECEIVED &&
	    (SEQ_LEQ(ack, t->snd_una) || SEQ_GT(ack, t->snd_max))) {
		tcp_send_rst(s, t->node, t->laddr, t->raddr, t->lport, t->rport,
			     ack, 0, false, t->flow);
		return false;
	}
	/* RFC 5961 5.2: acceptable if SND.UNA - MAX.SND.WND <= SEG.ACK <=
	 * SND.NXT (SND.MAX here: what we have sent); otherwise answer with an
	 * ACK and drop. */
	if (SEQ_GT(ack, t->snd_max) || SEQ_LT(ack, t->snd_una - t->max_sndwnd)) {
		t->st.challenge_acks++;
		tcp_send_ack(s, t);
		return false;
	}
	if (t->state == TCPS_SYN_RECEIVED) {
		/* RFC 9293 3.10.7.4: our SYN acknowledged -> ESTABLISHED. */
		if (SEQ_LEQ(ack, t->snd_una)) {
			tcp_send_rst(s, t->node, t->laddr, t->raddr, t->lport, t->rport,
				     ack, 0, false, t->flow);
			return false;
		}
		event_cancel(s, &t->conn);
		tcp_set_state(t, TCPS_ESTABLISHED);
		t->snd_wnd = win;
		t->snd_wl1 = p->tcp.seq;
		t->snd_wl2 = ack;
		if (t->snd_wnd > t->max_sndwnd)
			t->max_sndwnd = t->snd_wnd;
		if (t->conf->keepalive)
			tcp_keepalive_reset(s, t);
		if (t->listener && t->accepted) {
			/* Accepted already, at its Fast Open SYN. */
		} else if (t->listener) {
			struct tcb *l = t->listener;

			if (l->syn_queued)
				l->syn_queued--;
			t->accepted = true;
			/* The application accepts at once: the accept queue
			 * only fills if there is no one to hand it to. */
			if (l->user && l->user->accepted)
				l->user->accepted(s, l, t);
			else
				l->accept_queued++;
		} else if (t->user && t->user->connected) {
			t->user->connected(s, t);
		}
		if (t->state == TCPS_CLOSED)
			return false;
		/* RFC 7413 4.2: data that rode in the SYN (Fast Open) is the
		 * application's to read as soon as it has the connection; no
		 * later segment may come to announce it (test_tfo). */
		if (tcp_readable(t) > 0 && t->user && t->user->readable) {
			t->user->readable(s, t);
			if (t->state == TCPS_CLOSED)
				return false;
		}
	}

	if (t->sack_on && (o->present & TCPOF_SACK))
		tcp_sack_update(t, o);
	/* RFC 3168 6.1.2: ECN-Echo halves the window, at most once per window
	 * of data, and the next data segment carries CWR. */
	if (t->ecn_on && (p->tcp.flags & TH_ECE) && !(p->tcp.flags & TH_SYN) &&
	    !t->in_recovery && !t->in_loss && SEQ_GEQ(t->snd_una, t->ecn_recover)) {
		t->ccv.now = s->now;
		t->ccv.flight = t->snd_max - t->snd_una;
		t->cc->cong_signal(&t->ccv, CC_ECN);
		t->ecn_recover = t->snd_max;
		t->ecn_cwr_until = t->snd_max;
		t->cwr_pending = true;
		t->st.ece_received++;
		t->st.ecn_reductions++;
	}
	if (SEQ_GT(ack, t->snd_una)) {
		new_ack(s, t, p, o, ack - t->snd_una);
		if (t->state == TCPS_CLOSED)
			return false;
	} else if (ack == t->snd_una && seglen == 0 && win == t->snd_wnd &&
		   t->snd_una != t->snd_max && !(p->tcp.flags & (TH_SYN | TH_FIN)) &&
		   !t->probing) {
		/* RFC 5681 2: a duplicate ACK - no data, no window change,
		 * data outstanding.  The answer to a zero-window probe is not
		 * one: the probe byte is beyond the window, not lost, and a
		 * "fast retransmit" into a zero window would only start the
		 * retransmission timer, which kills a connection RFC 1122
		 * 4.2.2.17 says must stay open (test_zero_window_persist). */
		dup_ack(s, t);
	}

	/* Window update (RFC 9293 3.10.7.4, fifth check), from the newest
	 * segment only. */
	if (SEQ_LT(t->snd_wl1, p->tcp.seq) ||
	    (t->snd_wl1 == p->tcp.seq && SEQ_LEQ(t->snd_wl2, ack))) {
		t->snd_wnd = win;
		t->snd_wl1 = p->tcp.seq;
		t->snd_wl2 = ack;
		if (win > t->max_sndwnd)
			t->max_sndwnd = win;
		if (win > 0) {
			event_cancel(s, &t->persist);
			t->persist_shift = 0;
		}
	}
	return true;
}

/* ---- the text: seventh check ---- */

static void data_input(struct sim *s, struct tcb *t, struct packet *p,
		       uint32_t seq, uint32_t len, uint64_t skip)
{
	uint64_t off = tcp_rcv_off(t, seq);
	bool filled_gap = false;

	if (len == 0)
		return;
	/* Compare against the sender's offset of this (trimmed) range. */
	if ((p->payload_id != t->rx_stream || p->payload_off + skip != off) &&
	    off < t->integrity_bad_off)
		t->integrity_bad_off = off;
	t->st.bytes_in += len;
	if (seq == t->rcv_nxt) {
		filled_gap = t->reass.n > 0;
		tcp_advance_rcv_nxt(t, len);
		t->rcv_delivered += len;
		if (filled_gap) {
			uint32_t more = tcp_reass_pull(t);

			t->rcv_delivered += more;
		}
		tcp_sack_trim(t);
		/* RFC 1122 4.2.3.2 / RFC 5681 4.2: ACK at least every second
		 * full-sized segment, within the delayed-ACK timeout; at once
		 * when a gap was filled. */
		t->segs_unacked++;
		if (t->conf->delack == 0 || filled_gap || t->segs_unacked >= t->conf->ack_every)
			t->ack_now = true;
		else if (!event_pending(&t->delack))
			tcp_timer_arm(s, t, &t->delack, t->conf->delack);
		if (t->user && t->user->readable)
			t->user->readable(s, t);
		return;
	}
	/* Out of order (RFC 5681 4.2: a duplicate ACK at once). */
	t->st.ooo_segs++;
	t->ack_now = true;
	if (t->conf->rx_mode == TCP_RX_GBN) {
		/* Seed 004's Go-Back-N receiver keeps nothing out of order. */
		t->st.gbn_discards++;
		return;
	}
	/* RFC 2018 8: report only data we hold - a block the full queue
	 * could not keep is not SACKed (test_sack_only_what_is_held). */
	if (tcp_reass_insert(t, seq, len))
		tcp_sack_note(t, seq, seq + len);
}

/* ---- the synchronised states: RFC 9293 3.10.7.4 ---- */

static void synced_input(struct sim *s, struct tcb *t, struct packet *p,
			 const struct tcp_opts *o)
{
	uint8_t f = p->tcp.flags;
	uint32_t seq = p->tcp.seq, len = p->payload_len;
	uint32_t seglen = len + !!(f & TH_SYN) + !!(f & TH_FIN);
	uint32_t rwnd = tcp_rcv_window(t);
	uint64_t skip = 0;
	bool acceptable;

	/* Simultaneous open (RFC 9293 3.5 figure 8, line 5): in SYN-RECEIVED
	 * the peer's SYN,ACK <SEQ=IRS> acknowledges our SYN.  Its SYN is old
	 * (RCV.NXT = IRS + 1), so taken whole it would fail the sequence
	 * check; as BSD and Linux do, drop the SYN and take the rest as an
	 * ACK at RCV.NXT (test_simultaneous_open). */
	if (t->state == TCPS_SYN_RECEIVED && (f & TH_SYN) && (f & TH_ACK) &&
	    !(f & TH_RST) && seq == t->irs) {
		f &= (uint8_t)~TH_SYN;
		seq++;
		seglen--;
	}

	/* PAWS (RFC 7323 5.3): a timestamp older than TS.Recent is an old
	 * duplicate; drop it with an ACK. */
	if (t->ts_on && (o->present & TCPOF_TS) && !(f & TH_RST) &&
	    SEQ_LT(o->ts_val, t->ts_recent)) {
		t->st.paws_drops++;
		tcp_send_ack(s, t);
		return;
	}

	/* First: sequence number acceptability (the four cases). */
	if (seglen == 0)
		acceptable = rwnd == 0 ? seq == t->rcv_nxt
				       : SEQ_IN(seq, t->rcv_nxt, t->rcv_nxt + rwnd);
	else
		acceptable = rwnd > 0 &&
			     (SEQ_IN(seq, t->rcv_nxt, t->rcv_nxt + rwnd) ||
			      SEQ_IN(seq + seglen - 1, t->rcv_nxt, t->rcv_nxt + rwnd));
	/* In SYN-RECEIVED, a retransmitted SYN (seq = IRS) gets our SYN-ACK
	 * again rather than a challenge (RFC 9293 3.10.7.4, fourth check). */
	if (t->state == TCPS_SYN_RECEIVED && (f & TH_SYN) && !(f & TH_ACK) && seq == t->irs) {
		t->snd_nxt = t->iss;
		tcp_output(s, t);
		return;
	}
	if (!acceptable) {
		if (len > 0)
			t->st.dup_segs++;
		/* RFC 9293 3.10.7.4 eighth check, TIME-WAIT: the only thing
		 * that can arrive is a retransmission of the remote FIN (old,
		 * so unacceptable here): acknowledge it and restart the 2 MSL
		 * timeout (test_time_wait_fin_restarts_2msl). */
		if (t->state == TCPS_TIME_WAIT && (f & TH_FIN) && !(f & TH_RST) &&
		    seq + seglen == t->rcv_nxt)
			tcp_enter_time_wait(s, t);
		if (!(f & TH_RST))
			tcp_send_ack(s, t);
		return;
	}
	/* Trim to the window: what is before rcv_nxt was already had, what
	 * is past the right edge cannot be kept. */
	if (SEQ_LT(seq, t->rcv_nxt)) {
		uint32_t d = t->rcv_nxt - seq;

		/* Only the peer's own SYN (SEQ = IRS, an old duplicate) is
		 * trimmed away; any other SYN stays for the fourth check's
		 * challenge ACK - RFC 5961 4.2: "irrespective of the sequence
		 * number" (test_syn_in_established). */
		if ((f & TH_SYN) && seq == t->irs) {
			f &= (uint8_t)~TH_SYN;
			d--;
			seq++;
		}
		if (d > len)
			d = len;
		skip = d;
		seq += d;
		len -= d;
		t->st.dup_segs += d > 0;
	}
	if (len > 0 && SEQ_GT(seq + len, t->rcv_nxt + rwnd)) {
		len = rwnd > (uint32_t)(seq - t->rcv_nxt) ? rwnd - (seq - t->rcv_nxt) : 0;
		f &= (uint8_t)~TH_FIN;          /* the FIN was beyond the window */
	}

	/* Second: RST (RFC 5961 3.2: exactly rcv_nxt resets, elsewhere in
	 * the window draws a challenge ACK). */
	if (f & TH_RST) {
		if (p->tcp.seq != t->rcv_nxt) {
			t->st.challenge_acks++;
			tcp_send_ack(s, t);
			return;
		}
		t->st.rst_in++;
		tcp_drop(s, t, t->state == TCPS_SYN_RECEIVED && !t->listener
			 ? TCP_CLOSED_REFUSED : TCP_CLOSED_RESET);
		return;
	}
	/* Fourth: a SYN in a synchronised state (RFC 5961 4.2). */
	if (f & TH_SYN) {
		t->st.challenge_acks++;
		tcp_send_ack(s, t);
		return;
	}
	/* Fifth: the ACK field. */
	if (!(f & TH_ACK))
		return;
	update_ts_recent(s, t, o, p->tcp.seq);
	if (!ack_input(s, t, p, o, seglen))
		return;
	if (t->state == TCPS_CLOSED)
		return;

	/* Sixth: URG (RFC 9293 3.10.7.4; pointer past the urgent byte,
	 * RFC 6093). */
	if ((f & TH_URG) && p->tcp.urp && !TCPS_HAVERCVDFIN(t->state)) {
		uint64_t uoff = tcp_rcv_off(t, p->tcp.seq) + p->tcp.urp;

		if (uoff > t->rcv_urg_off) {
			t->rcv_urg_off = uoff;
			if (t->user && t->user->urgent)
				t->user->urgent(s, t, uoff);
			if (t->state == TCPS_CLOSED)
				return;
		}
	}

	/* RFC 3168 6.1.3: CWR ends the ECN-Echo; a CE mark on data starts
	 * it, and ECE goes on every ACK until CWR arrives. */
	if (t->ecn_on) {
		if (f & TH_CWR)
			t->ece_pending = false;
		if (p->ecn == ECN_CE && p->payload_len > 0) {
			t->ece_pending = true;
			t->ack_now = true;
			t->st.ce_received++;
		}
	}

	/* Seventh: the text, in ESTABLISHED and FIN-WAIT-1/2 only. */
	if (len > 0) {
		if (t->state == TCPS_ESTABLISHED || t->state == TCPS_FIN_WAIT_1 ||
		    t->state == TCPS_FIN_WAIT_2) {
			data_input(s, t, p, seq, len, skip);
			if (t->state == TCPS_CLOSED)
				return;
		}
	}

	/* Eighth: FIN, once everything before it has arrived - and only the
	 * first: in CLOSE-WAIT, CLOSING, LAST-ACK and TIME-WAIT the FIN has
	 * been taken already (RFC 9293 3.10.7.4: "remain in the ... state"),
	 * so another one must not move RCV.NXT past it (test_fuzz_states). */
	if ((f & TH_FIN) && !t->fin_received && seq + len == t->rcv_nxt) {
		tcp_advance_rcv_nxt(t, 1);
		t->fin_received = true;
		t->ack_now = true;
		/* Out-of-order data beyond the FIN can never be delivered:
		 * drop it and its SACK blocks, as Linux's tcp_fin() does, or it
		 * would hold buffer space and be reported for ever
		 * (test_fin_drops_data_beyond_it). */
		t->reass.n = 0;
		t->reass.nsack = 0;
		switch (t->state) {
		case TCPS_SYN_RECEIVED:
		case TCPS_ESTABLISHED:
			tcp_set_state(t, TCPS_CLOSE_WAIT);
			event_schedule(s, &t->eof, s->now);
			break;
		case TCPS_FIN_WAIT_1:
			/* Our FIN not yet acknowledged: simultaneous close.
			 * RFC 9293 3.10.7.4 eighth check: "signal the user
			 * 'connection closing'" - here too (test_fin_wait_1_closing). */
			tcp_set_state(t, TCPS_CLOSING);
			event_schedule(s, &t->eof, s->now);
			break;
		case TCPS_FIN_WAIT_2:
			tcp_enter_time_wait(s, t);
			event_schedule(s, &t->eof, s->now);
			break;
		case TCPS_TIME_WAIT:
			/* A retransmitted FIN: ACK it, restart 2MSL. */
			tcp_enter_time_wait(s, t);
			break;
		default:
			break;
		}
		if (t->state == TCPS_CLOSED)
			return;
	} else if ((f & TH_FIN) && t->state == TCPS_TIME_WAIT) {
		t->ack_now = true;
		tcp_enter_time_wait(s, t);
	} else if ((f & TH_FIN) && SEQ_GT(seq + len, t->rcv_nxt)) {
		t->ack_now = true;              /* FIN out of order: say where we are */
	}
	tcp_output(s, t);
}

void tcp_input(struct sim *s, struct node *n, struct packet *p)
{
	struct tcp_stack *st = tcp_stack_of(s, n);
	struct tcp_opts o;
	struct tcb *t;

	/* RFC 9293 3.1 / RFC 1122 4.2.2.7: a bad checksum is silently
	 * discarded (and counted). */
	if (!pkt_l4_csum_ok(p)) {
		st->bad_csum++;
		pkt_free(s, p);
		return;
	}
	tcp_opt_parse(p->tcp.opt, p->tcp.optlen, &o);
	t = tcp_lookup(st, p->src, p->dport, p->sport);
	if (!t) {
		reset_for(s, n, p);
		pkt_free(s, p);
		return;
	}
	if (o.malformed)
		t->st.bad_options++;
	t->st.segs_in++;
	switch (t->state) {
	case TCPS_LISTEN:
		listen_input(s, t, p, &o);
		break;
	case TCPS_SYN_SENT:
		syn_sent_input(s, t, p, &o);
		break;
	case TCPS_CLOSED:
		break;
	default:
		if (t->conf->keepalive && TCPS_HAVEESTABLISHED(t->state))
			tcp_keepalive_reset(s, t);
		synced_input(s, t, p, &o);
		break;
	}
	if (t->state != TCPS_CLOSED && t->state != TCPS_LISTEN)
		tcp_trace(s, t);
	pkt_free(s, p);
}
