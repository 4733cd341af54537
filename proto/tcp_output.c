/*
 * tcp_output.c - deciding what to send, and building segments.
 *
 * tcp_output() is called whenever something may have changed what can be
 * sent: the application wrote, an ACK opened the window, a timer fired, the
 * application read (window update), or an ACK is owed.  Like BSD's
 * tcp_output() it loops, sending as long as one of the send conditions holds:
 *   a SYN or FIN is due; a full-sized segment fits in min(cwnd, snd_wnd);
 *   Nagle (RFC 896, RFC 1122 4.2.3.4) allows a short one - nothing is
 *   unacknowledged, or nodelay; sender SWS avoidance allows a short one -
 *   it is at least half the largest window the peer offered; a
 *   retransmission; urgent data; an ACK is owed; or reading opened our
 *   window enough to be worth an update.
 * Otherwise, with data waiting, nothing in flight and a window too small,
 * it starts the persist timer (RFC 9293 3.8.6.1).
 *
 * Call order: tcp_output() -> output_once()* -> send_segment() ->
 * ip_output().
 */
#include <string.h>
#include "tcp_internal.h"
#include "ip.h"

/* Payload bytes per segment: the MSS less the options every data segment
 * carries (RFC 9293 3.7.1: Eff.snd.MSS counts the TCP header's options). */
static uint32_t seg_size(const struct tcb *t)
{
	uint32_t opt = t->ts_on ? 12 : 0;

	return t->mss > opt + 1 ? t->mss - opt : 1;
}

uint32_t tcp_rcv_window(const struct tcb *t)
{
	uint64_t held = (t->rcv_delivered - t->rcv_read) + tcp_reass_bytes(t);
	uint32_t space = held >= t->conf->rcvbuf ? 0 : t->conf->rcvbuf - (uint32_t)held;
	uint32_t max = 65535u << t->rcv_wscale;
	int32_t adv = SEQ_DIFF(t->rcv_adv, t->rcv_nxt);
	uint32_t win = space;

	if (t->conf->sws_receiver) {
		/* Clark (RFC 1122 4.2.3.3): move the right edge only in steps
		 * of at least min(RCV.BUFF/2, MSS). */
		uint32_t step = t->conf->rcvbuf / 2 < t->mss ? t->conf->rcvbuf / 2 : t->mss;
		int32_t grow = (int32_t)space - (adv > 0 ? adv : 0);

		if (grow > 0 && (uint32_t)grow < step)
			win = adv > 0 ? (uint32_t)adv : 0;
	}
	/* Never shrink the window we offered (RFC 9293 3.8.6.2.2). */
	if (adv > 0 && win < (uint32_t)adv)
		win = (uint32_t)adv;
	return win > max ? max : win;
}

/* The options for a segment (RFC 9293 3.2, RFC 7323, RFC 2018, RFC 7413). */
static uint32_t build_options(struct sim *s, struct tcb *t, uint8_t flags, uint8_t *buf)
{
	struct tcp_opts o;
	const struct tcp_conf *c = t->conf;
	bool syn = flags & TH_SYN, synack = syn && (flags & TH_ACK);

	memset(&o, 0, sizeof o);
	if (syn) {
		/* On a SYN we offer what we want; on a SYN-ACK only what the
		 * peer offered (RFC 7323 1.3, RFC 2018 2). */
		if (c->opt_mss) {
			o.present |= TCPOF_MSS;
			o.mss = (uint16_t)(c->mss > 65535 ? 65535 : c->mss);
		}
		if (c->opt_wscale && (!synack || t->ws_on)) {
			o.present |= TCPOF_WSCALE;
			o.wscale = t->rcv_wscale;
		}
		if (c->opt_sack && (!synack || t->sack_on))
			o.present |= TCPOF_SACK_PERM;
		if (c->opt_ts && (!synack || t->ts_on)) {
			o.present |= TCPOF_TS;
			o.ts_val = tcp_ts_now(s);
			o.ts_ecr = synack ? t->ts_recent : 0;
		}
		if (c->tfo && !synack) {
			/* RFC 7413 4.1: a cookie if we have one, else ask. */
			o.present |= TCPOF_TFO;
			o.tfo_len = tcp_tfo_cookie_get(t, o.tfo_cookie);
		} else if (synack && t->tfo_on) {
			o.present |= TCPOF_TFO;
			o.tfo_len = tcp_tfo_cookie_make(t, o.tfo_cookie);
		}
	} else {
		if (t->ts_on) {
			o.present |= TCPOF_TS;
			o.ts_val = tcp_ts_now(s);
			o.ts_ecr = t->ts_recent;
		}
		if (t->sack_on && t->reass.nsack) {
			o.present |= TCPOF_SACK;
			o.nsack = (uint8_t)t->reass.nsack;
			memcpy(o.sack, t->reass.sack, o.nsack * sizeof o.sack[0]);
		}
	}
	return tcp_opt_build(buf, &o);
}

/* Build and send one segment [seq, seq+len) with flags. */
static void send_segment(struct sim *s, struct tcb *t, uint32_t seq, uint32_t len,
			 uint8_t flags)
{
	struct packet *p = pkt_alloc(s);
	uint32_t win = tcp_rcv_window(t);
	uint32_t field;

	p->proto = IPPROTO_TCP_;
	p->dst = t->raddr;
	p->src = t->laddr;
	p->sport = t->lport;
	p->dport = t->rport;
	p->flow = t->flow;
	p->tcp.seq = seq;
	/* RFC 3168 6.1.1: an ECN-setup SYN carries ECE and CWR, the SYN-ACK
	 * ECE alone; 6.1.3: the receiver sets ECE on its ACKs until CWR. */
	if ((flags & TH_SYN) && !(flags & TH_ACK) && t->conf->ecn)
		flags |= TH_ECE | TH_CWR;
	else if ((flags & TH_SYN) && t->ecn_on)
		flags |= TH_ECE;
	else if ((flags & TH_ACK) && t->ece_pending)
		flags |= TH_ECE;
	p->tcp.flags = flags;
	if (flags & TH_ACK)
		p->tcp.ack = t->rcv_nxt;
	/* RFC 7323 2.2: the window in a SYN is never scaled. */
	field = (flags & TH_SYN) ? win : win >> t->rcv_wscale;
	p->tcp.win = (uint16_t)(field > 65535 ? 65535 : field);
	if (!(flags & TH_SYN)) {
		uint32_t right = t->rcv_nxt + ((uint32_t)p->tcp.win << t->rcv_wscale);

		if (SEQ_GT(right, t->rcv_adv))
			t->rcv_adv = right;
	} else {
		t->rcv_adv = t->rcv_nxt + p->tcp.win;
	}
	if (p->tcp.win == 0 && TCPS_HAVEESTABLISHED(t->state))
		t->st.zero_windows++;
	p->tcp.optlen = (uint8_t)build_options(s, t, flags, p->tcp.opt);

	if (len) {
		/* Data starts one past the SYN when the SYN carries it (TFO). */
		uint64_t off = tcp_snd_off(t, (flags & TH_SYN) ? seq + 1 : seq);

		p->payload_len = len;
		p->payload_id = t->tx_stream;
		p->payload_off = off;
		if (off + len >= t->snd_written || (t->psh_off > off && t->psh_off <= off + len))
			p->tcp.flags |= TH_PSH;
		/* Urgent pointer: the offset just past the urgent byte, relative
		 * to this segment's first byte (BSD's convention, RFC 6093). */
		if (t->urg_pending && t->urg_off > off && t->urg_off - off <= 65535) {
			p->tcp.flags |= TH_URG;
			p->tcp.urp = (uint16_t)(t->urg_off - off);
			if (t->urg_off <= off + len)
				t->urg_pending = false;
		}
		/* RFC 3168 6.1.5: new data is ECN-capable, retransmissions
		 * are not; the first new data after a reduction carries CWR. */
		if (t->ecn_on && !(flags & TH_SYN) && SEQ_GEQ(seq, t->snd_max)) {
			p->ecn = ECN_ECT0;
			if (t->cwr_pending) {
				p->tcp.flags |= TH_CWR;
				t->cwr_pending = false;
				t->st.cwr_sent++;
			}
		}
		t->st.segs_out++;
		t->st.bytes_out += len;
		if (SEQ_LT(seq, t->snd_max) && !(t->probing && seq == t->snd_nxt && len == 1)) {
			/* Only the part below snd_max was sent before; a
			 * window probe is not a retransmission. */
			uint32_t old = t->snd_max - seq;

			t->st.retransmits++;
			t->st.bytes_retransmitted += old < len ? old : len;
		}
	} else {
		t->st.ctl_out++;
		if ((flags & TH_SYN) && SEQ_LT(seq, t->snd_max))
			t->st.syn_retransmits++;
	}
	pkt_set_l4_csum_lazy(p);

	/* An ACK went out: nothing is owed any more, and it carried the
	 * window as it is now. */
	if (flags & TH_ACK) {
		t->ack_now = false;
		t->win_update = false;
		t->segs_unacked = 0;
		event_cancel(s, &t->delack);
	}
	/* RFC 5681 4.1 counts idle time from the last data sent, not
	 * from a pure ACK (Linux's lsndtime). */
	if (len > 0 || (flags & (TH_SYN | TH_FIN)))
		t->last_send = s->now;
	ip_output(s, t->node, p);
}

/* One pass of the send decision; true if a segment was sent. */
static bool output_once(struct sim *s, struct tcb *t)
{
	bool syn = (t->state == TCPS_SYN_SENT || t->state == TCPS_SYN_RECEIVED) &&
		   t->snd_nxt == t->iss;
	bool established = TCPS_HAVEESTABLISHED(t->state);
	uint32_t flight = t->snd_nxt - t->snd_una;
	uint32_t cwnd = t->ccv.cwnd + t->lt_extra;      /* RFC 3042 */
	uint32_t win = t->snd_wnd < cwnd ? t->snd_wnd : cwnd;
	uint32_t seg = seg_size(t);
	uint8_t flags = TH_ACK;
	uint32_t len = 0;
	uint64_t off = 0, avail = 0;
	bool send = false, fin = false;

	if (t->state == TCPS_SYN_SENT)
		flags = 0;
	if (syn)
		flags |= TH_SYN;

	/* Data: from snd_nxt (one past the SYN if it is the SYN), limited by
	 * the window, the MSS and what the application wrote. */
	/* RFC 7413 4.2: a Fast Open server may send before the third ACK. */
	bool tfo_server = t->state == TCPS_SYN_RECEIVED && t->tfo_early && !syn;

	if (established || tfo_server || (syn && t->state == TCPS_SYN_SENT && t->tfo_on)) {
		off = syn ? 0 : tcp_snd_off(t, t->snd_nxt);
		avail = off < t->snd_written ? t->snd_written - off : 0;
		if (syn) {
			/* RFC 7413 3: data in the SYN, at most one MSS. */
			len = (uint32_t)(avail < seg ? avail : seg);
			t->tfo_data_in_syn = len > 0;
		} else {
			uint32_t usable = win > flight ? win - flight : 0;

			len = (uint32_t)(avail < usable ? avail : usable);
			if (len > seg)
				len = seg;
		}
	}
	/* FIN once every byte is in this segment or already sent. */
	if (t->fin_queued && (established || t->state == TCPS_SYN_RECEIVED) &&
	    t->state != TCPS_SYN_RECEIVED && off + len >= t->snd_written &&
	    SEQ_LEQ(t->snd_nxt + len, tcp_fin_seq(t)))
		fin = true;

	if (syn) {
		send = true;
	} else if (len > 0) {
		bool idle = t->snd_una == t->snd_max;
		bool nagle_ok = t->conf->nodelay || idle;
		bool all = off + len >= t->snd_written;

		if (len == seg)
			send = true;                    /* a full segment */
		else if (t->force)
			send = true;                    /* RFC 1122 4.2.3.4 (4):
							   the override timeout */
		else if (SEQ_LT(t->snd_nxt, t->snd_max))
			send = true;                    /* retransmission */
		else if (t->urg_pending)
			send = true;                    /* urgent data goes now */
		else if (t->conf->sws_sender && t->max_sndwnd &&
			 len >= t->max_sndwnd / 2 && nagle_ok)
			send = true;                    /* RFC 1122 4.2.3.4 (3) */
		else if ((all || !t->conf->sws_sender) && nagle_ok)
			send = true;                    /* Nagle permits it */
	}
	if (fin && (SEQ_LT(t->snd_nxt + len, tcp_fin_seq(t) + 1)))
		send = true;
	if (!send && t->ack_now)
		send = true;
	if (!send && established && !t->fin_received && t->win_update) {
		/* Window update after the application read (RFC 1122
		 * 4.2.3.3): worth it when the edge moves by 2 MSS or half the
		 * buffer (BSD's rule).  A receiver without SWS avoidance
		 * announces every byte it frees - the silly receiver of
		 * RFC 813. */
		uint32_t now_win = tcp_rcv_window(t);
		int32_t adv = SEQ_DIFF(t->rcv_adv, t->rcv_nxt);
		uint32_t thresh = 2 * t->mss < t->conf->rcvbuf / 2 ? 2 * t->mss : t->conf->rcvbuf / 2;

		if (!t->conf->sws_receiver)
			thresh = 1;

		if ((int64_t)now_win - (adv > 0 ? adv : 0) >= (int64_t)thresh)
			send = true;
	}
	if (!send) {
		/* Data waits, nothing is in flight to bring an ACK, and the
		 * window is closed or too small: probe it later. */
		if (established && avail > 0 && flight == 0 &&
		    !event_pending(&t->rexmt) && !event_pending(&t->persist))
			tcp_persist_start(s, t);
		return false;
	}

	if (fin)
		flags |= TH_FIN;
	/* Nothing in flight: RFC 5681 4.1 restart or RFC 7661 (tcp_cwv.c). */
	if (len > 0 && !syn && t->snd_nxt == t->snd_max && flight == 0)
		tcp_cwv_before_send(s, t);
	/* Karn (RFC 6298 3): time one new segment per RTT when there are no
	 * timestamps; never a retransmission. */
	if (!t->ts_on && !t->rtt_timing && (len > 0 || syn) && t->snd_nxt == t->snd_max) {
		t->rtt_timing = true;
		t->rtt_seq = t->snd_nxt;
		t->rtt_start = s->now;
	}
	send_segment(s, t, t->snd_nxt, len, flags);
	t->force = false;
	if (t->state == TCPS_CLOSED)
		return false;
	t->snd_nxt += len + (syn ? 1 : 0) + (fin ? 1 : 0);
	if (SEQ_GT(t->snd_nxt, t->snd_max))
		t->snd_max = t->snd_nxt;
	if (fin) {
		/* RFC 9293 3.10.4: the FIN moves us on. */
		if (t->state == TCPS_ESTABLISHED)
			tcp_set_state(t, TCPS_FIN_WAIT_1);
		else if (t->state == TCPS_CLOSE_WAIT)
			tcp_set_state(t, TCPS_LAST_ACK);
	}
	/* RFC 6298 5.1: run the timer while anything is outstanding. */
	if ((len > 0 || syn || fin) && !event_pending(&t->rexmt))
		tcp_rexmt_restart(s, t);
	if (len > 0)
		event_cancel(s, &t->persist);
	return len > 0 || syn || fin;
}

void tcp_retransmit_range(struct sim *s, struct tcb *t, uint32_t seq, uint32_t len)
{
	uint8_t flags = TH_ACK;

	if (t->fin_queued && seq + len == tcp_fin_seq(t) + 1) {
		flags |= TH_FIN;        /* the range ends with our FIN */
		len--;
	}
	t->rtt_timing = false;          /* Karn */
	send_segment(s, t, seq, len, flags);
}

/* RFC 6675 5 steps (C): while cwnd - pipe >= 1 SMSS, send what NextSeg
 * names - holes first, then new data. */
static void sack_recovery_output(struct sim *s, struct tcb *t)
{
	uint32_t seg = seg_size(t);

	for (int i = 0; i < 10000; i++) {
		uint32_t pipe = tcp_sack_pipe(t), seq, len;
		uint64_t off, avail;

		if (t->ccv.cwnd < pipe + seg)
			return;
		if (tcp_sack_next_seg(t, &seq, &len, seg)) {
			tcp_retransmit_range(s, t, seq, len);
			if (t->state == TCPS_CLOSED)
				return;
			t->high_rxt = seq + len;
			continue;
		}
		/* (2) new data, as the peer's window allows */
		off = tcp_snd_off(t, t->snd_max);
		avail = off < t->snd_written ? t->snd_written - off : 0;
		if (avail == 0 || t->snd_nxt != t->snd_max ||
		    (uint32_t)(t->snd_max - t->snd_una) + seg > t->snd_wnd)
			return;
		len = (uint32_t)(avail < seg ? avail : seg);
		send_segment(s, t, t->snd_nxt, len, TH_ACK);
		if (t->state == TCPS_CLOSED)
			return;
		t->snd_nxt += len;
		t->snd_max = t->snd_nxt;
	}
}

void tcp_output(struct sim *s, struct tcb *t)
{
	if (t->state == TCPS_CLOSED || t->state == TCPS_LISTEN)
		return;
	if (t->in_recovery && t->recovery == CC_RECOVERY_SACK) {
		sack_recovery_output(s, t);
		if (t->state == TCPS_CLOSED)
			return;
	}
	/* Bounded: each pass sends a segment that moves snd_nxt or clears
	 * the reason to send. */
	for (int i = 0; i < 100000 && output_once(s, t); i++)
		if (t->state == TCPS_CLOSED)
			break;
	/* RFC 9293 3.8.6.1: data waiting, nothing in flight to bring an ACK,
	 * no timer: probe the window later.  output_once() arms the persist
	 * timer only when it sends nothing; a pass that sent an ACK alone
	 * (ack_now, the window shut) must arm it too, or the connection
	 * waits for ever for a window update that may be lost
	 * (test_zero_window_ack_starts_persist). */
	if (TCPS_HAVEESTABLISHED(t->state) && t->snd_nxt == t->snd_una &&
	    tcp_snd_off(t, t->snd_nxt) < t->snd_written &&
	    !event_pending(&t->rexmt) && !event_pending(&t->persist))
		tcp_persist_start(s, t);
	tcp_trace(s, t);
}

void tcp_send_ack(struct sim *s, struct tcb *t)
{
	if (t->state == TCPS_CLOSED || t->state == TCPS_LISTEN || t->state == TCPS_SYN_SENT)
		return;
	send_segment(s, t, t->snd_nxt, 0, TH_ACK);
}

void tcp_retransmit_una(struct sim *s, struct tcb *t)
{
	uint64_t off = tcp_snd_off(t, t->snd_una);
	uint64_t avail = off < t->snd_written ? t->snd_written - off : 0;
	uint32_t len;
	uint8_t flags = TH_ACK;

	/* RFC 5681 3.2: resend what was sent - never bytes past SND.MAX,
	 * which the window held back and which would go out unrecorded
	 * (test_fast_retransmit_only_what_was_sent). */
	if (avail > (uint32_t)(t->snd_max - t->snd_una))
		avail = t->snd_max - t->snd_una;
	len = (uint32_t)(avail < seg_size(t) ? avail : seg_size(t));

	if (t->fin_queued && off + len >= t->snd_written && SEQ_LT(t->snd_una, t->snd_max) &&
	    SEQ_GEQ(tcp_fin_seq(t), t->snd_una) && SEQ_LT(tcp_fin_seq(t), t->snd_max))
		flags |= TH_FIN;
	if (len == 0 && !(flags & TH_FIN))
		return;
	t->rtt_timing = false;          /* Karn: this segment is ambiguous */
	send_segment(s, t, t->snd_una, len, flags);
}

void tcp_send_window_probe(struct sim *s, struct tcb *t)
{
	uint64_t off = tcp_snd_off(t, t->snd_nxt);

	t->st.window_probes++;
	if (off < t->snd_written) {
		/* RFC 9293 3.8.6.1: one octet of new data beyond the window.
		 * snd_nxt stays; an ACK for the byte moves it (tcp_input). */
		t->probing = true;
		if (SEQ_GT(t->snd_nxt + 1, t->snd_max))
			t->snd_max = t->snd_nxt + 1;
		send_segment(s, t, t->snd_nxt, 1, TH_ACK);
	} else {
		send_segment(s, t, t->snd_nxt, 0, TH_ACK);
	}
}

void tcp_send_keepalive(struct sim *s, struct tcb *t)
{
	/* RFC 1122 4.2.3.6: a segment with SEG.SEQ = SND.NXT - 1 draws an
	 * ACK from a live peer (it is below its window). */
	t->st.keepalive_probes++;
	send_segment(s, t, t->snd_una - 1, 0, TH_ACK);
}

void tcp_send_rst(struct sim *s, struct node *n, uint32_t src, uint32_t dst,
		  uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
		  bool with_ack, uint16_t flow)
{
	struct packet *p = pkt_alloc(s);

	p->proto = IPPROTO_TCP_;
	p->src = src;
	p->dst = dst;
	p->sport = sport;
	p->dport = dport;
	p->flow = flow;
	p->tcp.seq = seq;
	p->tcp.ack = with_ack ? ack : 0;
	p->tcp.flags = TH_RST | (with_ack ? TH_ACK : 0);
	pkt_set_l4_csum_lazy(p);
	tcp_stack_of(s, n)->rst_out++;
	ip_output(s, n, p);
}
