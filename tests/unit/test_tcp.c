/*
 * test_tcp.c - the TCP state machine, one test per rule, each citing it.
 *
 * Every test drives a's TCP through tcp_harness.h: the peer's segments are
 * forged and handed to tcp_input(), what a sends is captured and checked
 * field by field, and time moves only through the scheduler.  The few
 * end-to-end tests (sequence wrap, TFO) run a real TCP at b too.
 */
#include "tcp_harness.h"

#define MSS_TS 1448u    /* payload per segment with timestamps (1460 - 12) */

/* ---- opening ---- */

/* RFC 9293 3.10.7.2 (LISTEN, SYN): <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>.
 * Options answer only what the SYN offered: MSS always (RFC 9293 3.7.1),
 * window scale only if both sent it (RFC 7323 2.2), SACK-permitted (RFC
 * 2018 2), timestamps echoing the SYN's TSval (RFC 7323 3.2, 4.3). */
/* isn: bsd - 4.4BSD's tcp_iss (Stevens vol. 2, 24.4/25.3): 1 at the start,
 * +64000 per 500 ms slow timeout, +64000 after each connection takes its
 * value; the counter is the host's, shared by its connections. */
static void test_isn_bsd(void **state)
{
	struct th h;
	struct tcb t2;

	(void)state;
	th_init(&h);
	h.conf.isn_mode = TCP_ISN_BSD;
	h.conf.isn = 1;                 /* what th_connect expects in the SYN */
	th_connect(&h);
	assert_int_equal(h.t->iss, 1);
	/* 1.2 s later: two slow timeouts and one connection since */
	th_run(&h, 1200 * SIM_MS);
	memset(&t2, 0, sizeof t2);
	t2.conf = &h.conf;
	t2.stack = h.t->stack;
	assert_int_equal(tcp_choose_isn(h.s, &t2), 1 + 64000 * 2 + 64000 * 1);
	/* and the next one, at once: one more connection */
	assert_int_equal(tcp_choose_isn(h.s, &t2), 1 + 64000 * 2 + 64000 * 2);
	th_free(&h);
}

static void test_passive_open(void **state)
{
	struct th h;
	struct tcp_opts o;
	struct packet *p;

	(void)state;
	th_init(&h);
	h.popt.present |= TCPOF_WSCALE;
	h.popt.wscale = 7;
	h.popt.mss = 1000;
	h.p_tsval = 12345;
	th_listen(&h);
	th_send_syn(&h, TH_SYN, 0);
	p = th_expect(&h, TH_SYN | TH_ACK, TH_ISS, TH_PEER_ISS + 1, 0);
	/* a SYN's window is never scaled (RFC 7323 2.2) */
	assert_int_equal(p->tcp.win, 65535);
	th_opts_of(p, &o);
	assert_false(o.malformed);
	assert_int_equal(o.present, TCPOF_MSS | TCPOF_WSCALE | TCPOF_SACK_PERM | TCPOF_TS);
	assert_int_equal(o.mss, 1460);
	assert_int_equal(o.wscale, 3);          /* 256 KiB >> 3 fits 65535 */
	assert_int_equal(o.ts_ecr, 12345);
	h.t = th_lookup(&h);
	assert_int_equal(h.t->state, TCPS_SYN_RECEIVED);
	assert_int_equal(h.l->syn_queued, 1);
	h.p_ts = true;
	h.p_ack = TH_ISS + 1;
	th_send_next(&h, 0, 0);
	/* No window update of its own after the handshake (as Linux): the
	 * scaled window rides on the first ACK the connection sends. */
	th_expect_none(&h);
	assert_non_null(h.t);
	assert_int_equal(h.t->state, TCPS_ESTABLISHED);
	assert_int_equal(h.ev[TH_A].accepted, 1);
	assert_int_equal(h.l->syn_queued, 0);
	/* negotiated: MSS = min(ours, theirs), both scale shifts, SACK, TS */
	assert_int_equal(h.t->mss, 1000);
	assert_true(h.t->ws_on);
	assert_int_equal(h.t->snd_wscale, 7);
	assert_int_equal(h.t->rcv_wscale, 3);
	assert_true(h.t->sack_on);
	assert_true(h.t->ts_on);
	/* the ACK's window was scaled by 7 */
	assert_int_equal(h.t->snd_wnd, 65535u << 7);
	th_free(&h);
}

/* RFC 9293 3.7.1: without an MSS option the peer's MSS is 536; RFC 7323
 * 1.3 / RFC 2018 2: no option offered, none in the SYN-ACK. */
static void test_passive_open_no_options(void **state)
{
	struct th h;
	struct tcp_opts o;
	struct packet *p;

	(void)state;
	th_init(&h);
	h.popt.present = 0;
	th_listen(&h);
	th_send_syn(&h, TH_SYN, 0);
	p = th_expect(&h, TH_SYN | TH_ACK, TH_ISS, TH_PEER_ISS + 1, 0);
	th_opts_of(p, &o);
	assert_int_equal(o.present, TCPOF_MSS);
	h.t = th_lookup(&h);
	assert_int_equal(h.t->mss, 536);
	assert_false(h.t->ws_on);
	assert_false(h.t->sack_on);
	assert_false(h.t->ts_on);
	assert_int_equal(h.t->rcv_wscale, 0);
	th_free(&h);
}

/* RFC 7323 2.3: a shift above 14 is used as 14; 2.2: we scale only when
 * our own configuration allows it too. */
static void test_wscale_clamp_and_both_required(void **state)
{
	struct th h;
	struct tcp_opts o;

	(void)state;
	th_init(&h);
	h.popt.present |= TCPOF_WSCALE;
	h.popt.wscale = 20;
	th_establish_passive(&h);
	assert_int_equal(h.t->snd_wscale, 14);
	th_free(&h);

	th_init(&h);
	h.conf.opt_wscale = false;
	h.conf.opt_sack = false;
	h.popt.present |= TCPOF_WSCALE;
	h.popt.wscale = 5;
	th_listen(&h);
	th_send_syn(&h, TH_SYN, 0);
	th_opts_of(th_expect(&h, TH_SYN | TH_ACK, TH_ISS, TH_PEER_ISS + 1, 0), &o);
	assert_int_equal(o.present, TCPOF_MSS | TCPOF_TS);
	h.t = th_lookup(&h);
	assert_false(h.t->ws_on);
	assert_int_equal(h.t->snd_wscale, 0);
	assert_false(h.t->sack_on);
	th_free(&h);
}

/* RFC 9293 3.10.7.3: SYN-SENT, a SYN-ACK acking our SYN -> ESTABLISHED and
 * <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK>.  Our SYN offers everything enabled,
 * TSecr 0 (RFC 7323 3.2). */
static void test_active_open(void **state)
{
	struct th h;
	struct tcp_opts o;
	struct packet *p;

	(void)state;
	th_init(&h);
	h.t = tcp_connect(h.s, h.a, TH_A_PORT, TH_B_ADDR, TH_B_PORT, &h.conf, &th_user, &h);
	p = th_expect(&h, TH_SYN, TH_ISS, 0, 0);
	assert_int_equal(p->t_created, 0);
	assert_int_equal(p->tcp.ack, 0);
	th_opts_of(p, &o);
	assert_int_equal(o.present, TCPOF_MSS | TCPOF_WSCALE | TCPOF_SACK_PERM | TCPOF_TS);
	assert_int_equal(o.ts_ecr, 0);
	assert_int_equal(o.wscale, 3);
	h.popt.present |= TCPOF_WSCALE;
	h.popt.wscale = 2;
	h.popt.mss = 1200;
	th_send_syn(&h, TH_SYN | TH_ACK, TH_ISS + 1);
	p = th_expect(&h, TH_ACK, TH_ISS + 1, TH_PEER_ISS + 1, 0);
	th_opts_of(p, &o);
	assert_int_equal(o.present, TCPOF_TS);
	assert_int_equal(h.ev[TH_A].connected, 1);
	assert_int_equal(h.t->state, TCPS_ESTABLISHED);
	assert_int_equal(h.t->mss, 1200);
	assert_int_equal(h.t->snd_wscale, 2);
	assert_int_equal(h.t->snd_wnd, 65535);          /* the SYN-ACK's, unscaled */
	th_free(&h);
}


/* RFC 9293 3.10.7.1 (CLOSED): a segment for no connection draws a reset -
 * with ACK off <SEQ=0><ACK=SEG.SEQ+SEG.LEN><CTL=RST,ACK>, with ACK on
 * <SEQ=SEG.ACK><CTL=RST>; a reset is never answered. */
static void test_rst_for_closed_port(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_send(&h, TH_SYN, 7000, 0, 10);       /* SEG.LEN = 10 + SYN */
	th_expect(&h, TH_RST | TH_ACK, 0, 7011, 0);
	th_send(&h, TH_ACK, 7000, 4242, 5);
	th_expect(&h, TH_RST, 4242, 0, 0);
	th_send(&h, TH_FIN, 9000, 0, 0);
	th_expect(&h, TH_RST | TH_ACK, 0, 9001, 0);
	th_send(&h, TH_RST, 7000, 0, 0);
	th_send(&h, TH_RST | TH_ACK, 7000, 1, 0);
	th_expect_none(&h);
	assert_int_equal(tcp_stack_of(h.s, h.a)->no_socket, 3);
	th_free(&h);
}

/* RFC 9293 3.10.7.2 (LISTEN): a RST is ignored; an ACK draws
 * <SEQ=SEG.ACK><CTL=RST>; anything without SYN is dropped. */
static void test_listen_ack_rst(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_listen(&h);
	th_send(&h, TH_RST, 7000, 0, 0);
	th_expect_none(&h);
	th_send(&h, TH_ACK, 7000, 123456, 0);
	th_expect(&h, TH_RST, 123456, 0, 0);
	th_send(&h, TH_SYN | TH_ACK, 7000, 777, 0);
	th_expect(&h, TH_RST, 777, 0, 0);
	th_send(&h, 0, 7000, 0, 100);
	th_send(&h, TH_FIN, 7000, 0, 0);
	th_expect_none(&h);
	assert_int_equal(h.l->state, TCPS_LISTEN);
	assert_int_equal(h.l->syn_queued, 0);
	assert_ptr_equal(th_lookup(&h), h.l);      /* no child: the listener */
	th_free(&h);
}

/* RFC 9293 3.5 figure 8, simultaneous open: SYN-SENT + SYN -> SYN-RECEIVED
 * with <SEQ=ISS><ACK=RCV.NXT><CTL=SYN,ACK>; the peer's SYN-ACK then
 * establishes the connection. */
static void test_simultaneous_open(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_connect(&h);
	th_send_syn(&h, TH_SYN, 0);
	assert_int_equal(h.t->state, TCPS_SYN_RECEIVED);
	th_expect(&h, TH_SYN | TH_ACK, TH_ISS, TH_PEER_ISS + 1, 0);
	th_send_syn(&h, TH_SYN | TH_ACK, TH_ISS + 1);
	h.p_ts = true;
	assert_non_null(h.t);
	assert_int_equal(h.t->state, TCPS_ESTABLISHED);
	assert_int_equal(h.ev[TH_A].connected, 1);
	assert_int_equal(h.t->snd_una, TH_ISS + 1);
	assert_int_equal(h.t->rcv_nxt, TH_PEER_ISS + 1);
	/* whatever a says now must be a plain ACK of the peer's SYN */
	while (th_pending(&h))
		th_expect(&h, TH_ACK, TH_ISS + 1, TH_PEER_ISS + 1, 0);
	th_free(&h);
}

/* The same with two real stacks connecting to each other at once: both
 * reach ESTABLISHED and data flows both ways. */
static void test_simultaneous_open_pair(void **state)
{
	struct th h;
	struct tcb *b;

	(void)state;
	th_init_link(&h, 10000000, 5 * SIM_MS);
	h.pass = true;
	h.nocap = true;
	h.t = tcp_connect(h.s, h.a, TH_A_PORT, TH_B_ADDR, TH_B_PORT, &h.conf, &th_user, &h);
	b = h.bt = tcp_connect(h.s, h.b, TH_B_PORT, TH_A_ADDR, TH_A_PORT, &h.bconf, &th_user, &h);
	h.t->rx_stream = b->tx_stream = TH_RX_STREAM;
	h.t->tx_stream = b->rx_stream = TH_TX_STREAM;
	h.to_write[TH_A] = h.to_write[TH_B] = 5000;
	th_run(&h, 2 * SIM_S);
	assert_non_null(h.t);
	assert_non_null(h.bt);
	assert_int_equal(h.t->state, TCPS_ESTABLISHED);
	assert_int_equal(h.bt->state, TCPS_ESTABLISHED);
	assert_int_equal(h.ev[TH_A].connected, 1);
	assert_int_equal(h.ev[TH_B].connected, 1);
	assert_int_equal(h.ev[TH_A].read, 5000);
	assert_int_equal(h.ev[TH_B].read, 5000);
	assert_int_equal(h.t->integrity_bad_off, UINT64_MAX);
	assert_int_equal(h.bt->integrity_bad_off, UINT64_MAX);
	th_free(&h);
}

/* RFC 9293 3.10.7.3 (SYN-SENT): an ACK not acking our SYN gets
 * <SEQ=SEG.ACK><CTL=RST> (no reset answers a reset); a RST without ACK
 * or with a bad ACK is dropped; a RST with an acceptable ACK refuses the
 * connection. */
static void test_syn_sent_rst(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_connect(&h);
	th_send(&h, TH_RST, TH_PEER_ISS, 0, 0);
	th_send(&h, TH_RST | TH_ACK, TH_PEER_ISS, TH_ISS, 0);
	th_send(&h, TH_RST | TH_ACK, TH_PEER_ISS, TH_ISS + 2, 0);
	th_expect_none(&h);
	assert_int_equal(h.t->state, TCPS_SYN_SENT);
	th_send(&h, TH_ACK, TH_PEER_ISS, TH_ISS + 5, 0);
	th_expect(&h, TH_RST, TH_ISS + 5, 0, 0);
	th_send(&h, TH_SYN | TH_ACK, TH_PEER_ISS, TH_ISS, 0);
	th_expect(&h, TH_RST, TH_ISS, 0, 0);
	assert_int_equal(h.t->state, TCPS_SYN_SENT);
	th_send(&h, TH_RST | TH_ACK, 0, TH_ISS + 1, 0);
	th_expect_none(&h);
	assert_null(h.t);
	assert_int_equal(h.ev[TH_A].closed, 1);
	assert_int_equal(h.ev[TH_A].reason, TCP_CLOSED_REFUSED);
	th_free(&h);
}

static const enum tcp_state synced_states[] = {
	TCPS_SYN_RECEIVED, TCPS_ESTABLISHED, TCPS_CLOSE_WAIT, TCPS_FIN_WAIT_1,
	TCPS_FIN_WAIT_2, TCPS_CLOSING, TCPS_LAST_ACK, TCPS_TIME_WAIT,
};

/* RFC 9293 3.10.7.4 second check with RFC 5961 3.2, in every synchronised
 * state: a RST exactly at RCV.NXT resets; elsewhere in the window it draws
 * a challenge ACK <SEQ=SND.NXT><ACK=RCV.NXT>; outside the window it is
 * dropped silently. */
static void test_rst_in_synced_states(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof synced_states / sizeof synced_states[0]; i++) {
		enum tcp_state st = synced_states[i];
		struct th h;
		uint32_t rn, sn;

		th_init(&h);
		th_goto(&h, st);
		rn = h.t->rcv_nxt;
		sn = h.t->snd_nxt;
		th_send(&h, TH_RST, rn + 1, 0, 0);
		th_expect(&h, TH_ACK, sn, rn, 0);
		th_send(&h, TH_RST | TH_ACK, rn + 1000, h.p_ack, 0);
		th_expect(&h, TH_ACK, sn, rn, 0);
		assert_int_equal(h.t->st.challenge_acks, 2);
		th_send(&h, TH_RST, rn + 100000, 0, 0);         /* past 65535 */
		th_send(&h, TH_RST, rn - 1, 0, 0);
		th_send(&h, TH_RST, rn + 0x80000000u, 0, 0);
		th_expect_none(&h);
		assert_non_null(h.t);
		assert_int_equal(h.t->state, st);
		th_send(&h, TH_RST, rn, 0, 0);
		th_expect_none(&h);
		assert_null(h.t);
		assert_int_equal(h.ev[TH_A].closed, 1);
		assert_int_equal(h.ev[TH_A].reason, TCP_CLOSED_RESET);
		if (st == TCPS_SYN_RECEIVED) {
			/* the listener stays (RFC 9293 3.10.7.4: back to LISTEN) */
			assert_int_equal(h.l->state, TCPS_LISTEN);
			assert_int_equal(h.l->syn_queued, 0);
		}
		th_free(&h);
	}
}

/* RFC 5961 4.2 (RFC 9293 3.10.7.4 fourth check): a SYN in a synchronised
 * state, in the window or not, draws a challenge ACK and is dropped. */
static void test_syn_in_established(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	th_send(&h, TH_SYN, h.p_nxt, 0, 0);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_send(&h, TH_SYN | TH_ACK, h.p_nxt + 10, h.p_ack, 0);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_send(&h, TH_SYN, h.p_nxt + 200000, 0, 0);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_send(&h, TH_SYN, h.p_iss, 0, 0);     /* an old SYN */
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_send_next(&h, 0, 100);
	th_run(&h, SIM_S);
	th_drain(&h);
	/* partly old: SYN at RCV.NXT - 1, FIN at RCV.NXT - still a SYN */
	th_send(&h, TH_SYN | TH_FIN | TH_ACK, h.p_nxt - 1, h.p_ack, 0);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_send(&h, TH_SYN | TH_ACK, h.p_nxt - 1, h.p_ack, 100);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	assert_int_equal(h.t->state, TCPS_ESTABLISHED);
	assert_int_equal(h.ev[TH_A].read, 100);
	assert_true(h.t->st.challenge_acks >= 4);
	th_free(&h);
}

/* RFC 5961 5.2 / RFC 9293 3.10.7.4 fifth check: an ACK of something not
 * yet sent (SEG.ACK > SND.NXT) is answered with an ACK and the segment,
 * data included, dropped. */
static void test_ack_beyond_snd_max(void **state)
{
	struct th h;
	uint32_t rn;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	tcp_write(h.s, h.t, 100, true, false);
	th_expect(&h, TH_ACK, TH_ISS + 1, h.p_nxt, 100);
	rn = h.t->rcv_nxt;
	th_send(&h, TH_ACK, h.p_nxt, TH_ISS + 1 + 100 + 1000, 10);
	th_expect(&h, TH_ACK, TH_ISS + 101, rn, 0);
	assert_int_equal(h.t->rcv_nxt, rn);
	assert_int_equal(h.t->snd_una, TH_ISS + 1);
	assert_int_equal(h.ev[TH_A].read, 0);
	/* acceptable ACK still works */
	th_send(&h, TH_ACK, h.p_nxt, TH_ISS + 101, 0);
	assert_int_equal(h.t->snd_una, TH_ISS + 101);
	th_expect_none(&h);
	th_free(&h);
}

/* RFC 9293 3.10.7.4 SYN-RECEIVED fifth check: an unacceptable ACK draws
 * <SEQ=SEG.ACK><CTL=RST>, and the connection stays. */
static void test_syn_received_bad_ack(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_SYN_RECEIVED);
	th_send(&h, TH_ACK, h.p_nxt, TH_ISS, 0);                /* acks nothing */
	th_expect(&h, TH_RST, TH_ISS, 0, 0);
	th_send(&h, TH_ACK, h.p_nxt, TH_ISS + 50, 0);           /* beyond SND.NXT */
	th_expect(&h, TH_RST, TH_ISS + 50, 0, 0);
	th_send(&h, TH_ACK, h.p_nxt, TH_ISS - 100000, 0);       /* far below */
	th_expect(&h, TH_RST, TH_ISS - 100000, 0, 0);
	assert_non_null(h.t);
	assert_int_equal(h.t->state, TCPS_SYN_RECEIVED);
	th_send_next(&h, 0, 0);
	assert_int_equal(h.t->state, TCPS_ESTABLISHED);
	th_free(&h);
}

/* RFC 9293 3.10.7.4 first check: an unacceptable segment (old, or past the
 * window) draws <SEQ=SND.NXT><ACK=RCV.NXT><CTL=ACK> and is dropped. */
static void test_unacceptable_segment_acked(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	th_send_next(&h, 0, 1000);
	th_run(&h, SIM_S);
	th_drain(&h);
	th_send(&h, TH_ACK, h.p_nxt - 1000, h.p_ack, 500);      /* all old */
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_send(&h, TH_ACK, h.p_nxt + 70000, h.p_ack, 10);      /* past 65535 */
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_send(&h, TH_ACK | TH_FIN, h.p_nxt + 70000, h.p_ack, 0);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	assert_int_equal(h.t->state, TCPS_ESTABLISHED);
	assert_int_equal(h.ev[TH_A].read, 1000);
	assert_int_equal(h.t->st.dup_segs, 2);
	th_free(&h);
}

/* ---- receiving ---- */

/* RFC 1122 4.2.3.2: one in-order segment is acknowledged by the delayed-ACK
 * timer, 200 ms later, not at once. */
static void test_delayed_ack(void **state)
{
	struct th h;
	sim_time_t t0;
	struct packet *p;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	th_run(&h, SIM_S);
	t0 = h.s->now;
	th_send_next(&h, 0, 100);
	th_run(&h, 199 * SIM_MS);
	th_expect_none(&h);
	th_run(&h, 2 * SIM_MS);
	p = th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	assert_int_equal(p->t_created, t0 + 200 * SIM_MS);
	assert_int_equal(h.ev[TH_A].read, 100);
	th_free(&h);
}

/* RFC 1122 4.2.3.2, RFC 5681 4.2: an ACK at least every second full-sized
 * segment, at once. */
static void test_ack_every_second_segment(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	th_send_next(&h, 0, MSS_TS);
	th_expect_none(&h);
	th_send_next(&h, 0, MSS_TS);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_send_next(&h, 0, MSS_TS);
	th_expect_none(&h);
	th_send_next(&h, 0, MSS_TS);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_run(&h, SIM_S);
	th_expect_none(&h);             /* the timer was stopped by the ACK */
	th_free(&h);
}

/* RFC 5681 4.2 / RFC 9293 3.10.7.4 seventh check: an out-of-order segment
 * draws an immediate duplicate ACK carrying a SACK block for it, the most
 * recent first (RFC 2018 4); the segment filling the gap is ACKed at once,
 * and the SACK blocks go. */
static void test_out_of_order_sack(void **state)
{
	struct th h;
	struct tcp_opts o;
	uint32_t base;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	base = h.p_nxt;
	th_send(&h, TH_ACK, base + 1000, h.p_ack, 500);
	th_opts_of(th_expect(&h, TH_ACK, h.p_ack, base, 0), &o);
	assert_true(o.present & TCPOF_SACK);
	assert_int_equal(o.nsack, 1);
	assert_int_equal(o.sack[0].start, base + 1000);
	assert_int_equal(o.sack[0].end, base + 1500);
	th_send(&h, TH_ACK, base + 2000, h.p_ack, 500);
	th_opts_of(th_expect(&h, TH_ACK, h.p_ack, base, 0), &o);
	assert_int_equal(o.nsack, 2);
	assert_int_equal(o.sack[0].start, base + 2000);
	assert_int_equal(o.sack[1].start, base + 1000);
	/* touching the first block merges it */
	th_send(&h, TH_ACK, base + 1500, h.p_ack, 500);
	th_opts_of(th_expect(&h, TH_ACK, h.p_ack, base, 0), &o);
	assert_int_equal(o.nsack, 1);
	assert_int_equal(o.sack[0].start, base + 1000);
	assert_int_equal(o.sack[0].end, base + 2500);
	assert_int_equal(h.t->reass.n, 1);
	assert_int_equal(h.ev[TH_A].read, 0);
	/* the gap */
	th_send(&h, TH_ACK, base, h.p_ack, 1000);
	th_opts_of(th_expect(&h, TH_ACK, h.p_ack, base + 2500, 0), &o);
	assert_false(o.present & TCPOF_SACK);
	assert_int_equal(h.ev[TH_A].read, 2500);
	assert_int_equal(h.t->reass.n, 0);
	assert_int_equal(h.t->integrity_bad_off, UINT64_MAX);
	th_free(&h);
}

/* RFC 2018 8: a receiver should not report (SACK) data it does not hold.
 * When the out-of-order queue is full, a new block is dropped - and must
 * not be reported. */
static void test_sack_only_what_is_held(void **state)
{
	struct th h;
	struct tcp_opts o;
	uint32_t base;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	base = h.p_nxt;
	for (uint32_t i = 0; i < TCP_REASS_MAX; i++) {
		th_send(&h, TH_ACK, base + 20 + 20 * i, h.p_ack, 10);
		th_drain(&h);
	}
	assert_int_equal(h.t->reass.n, TCP_REASS_MAX);
	th_send(&h, TH_ACK, base + 20 + 20 * TCP_REASS_MAX, h.p_ack, 10);
	th_opts_of(th_expect(&h, TH_ACK, h.p_ack, base, 0), &o);
	for (uint32_t i = 0; i < o.nsack; i++)
		assert_true(SEQ_LT(o.sack[i].start, base + 20 + 20 * TCP_REASS_MAX));
	assert_null(th_invariant(h.t));
	th_free(&h);
}

/* ---- closing ---- */

/* A FIN ends the stream: out-of-order data held beyond it can never be
 * delivered; it is dropped (Linux tcp_fin()) and no longer SACKed, and
 * the buffer space comes back. */
static void test_fin_drops_data_beyond_it(void **state)
{
	struct th h;
	struct tcp_opts o;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	th_send(&h, TH_ACK, h.p_nxt + 1, h.p_ack, 1000);
	th_drain(&h);
	assert_int_equal(h.t->reass.n, 1);
	th_send_next(&h, TH_FIN, 0);
	th_opts_of(th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0), &o);
	assert_false(o.present & TCPOF_SACK);
	assert_int_equal(h.t->state, TCPS_CLOSE_WAIT);
	assert_int_equal(h.t->reass.n, 0);
	assert_int_equal(tcp_rcv_window(h.t), 65535);
	assert_null(th_invariant(h.t));
	th_free(&h);
}

/* RFC 9293 3.10.7.4 eighth check, ESTABLISHED: FIN -> CLOSE-WAIT, ACKed at
 * once, the application told. */
static void test_fin_established(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	th_send_next(&h, TH_FIN, 10);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	assert_int_equal(h.t->state, TCPS_CLOSE_WAIT);
	assert_int_equal(h.ev[TH_A].peer_closed, 1);
	assert_int_equal(h.ev[TH_A].read, 10);
	assert_true(h.t->fin_received);
	/* RFC 9293 3.10.7.4 seventh check: no text after the FIN */
	th_send(&h, TH_ACK, h.p_nxt, h.p_ack, 10);
	th_run(&h, SIM_S);
	assert_int_equal(h.ev[TH_A].read, 10);
	th_free(&h);
}

/* RFC 9293 3.10.7.4 eighth check, CLOSE-WAIT: "Remain in the CLOSE-WAIT
 * state" - a second FIN (here after a byte that cannot be: the stream
 * ended) must not move RCV.NXT past the first. */
static void test_fin_only_once(void **state)
{
	struct th h;
	uint32_t rn;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_CLOSE_WAIT);
	rn = h.t->rcv_nxt;
	th_send(&h, TH_FIN | TH_ACK, rn - 1, h.p_ack, 1);
	th_send(&h, TH_FIN | TH_ACK, rn, h.p_ack, 0);
	th_run(&h, SIM_S);
	while (th_pending(&h))                  /* ACKs, if any, of the first FIN */
		th_expect(&h, TH_ACK, h.p_ack, rn, 0);
	assert_int_equal(h.t->rcv_nxt, rn);
	assert_int_equal(h.t->state, TCPS_CLOSE_WAIT);
	assert_null(th_invariant(h.t));
	th_free(&h);
}

/* FIN-WAIT-1: their FIN before the ACK of ours -> CLOSING; the ACK of our
 * FIN then -> TIME-WAIT (RFC 9293 3.10.7.4 fifth and eighth checks). */
static void test_fin_wait_1_closing(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_CLOSING);
	/* RFC 9293 3.10.7.4 eighth check: the user is told of the FIN */
	th_run(&h, SIM_MS);
	assert_int_equal(h.ev[TH_A].peer_closed, 1);
	h.p_ack++;
	th_send_next(&h, 0, 0);
	th_expect_none(&h);
	assert_int_equal(h.t->state, TCPS_TIME_WAIT);
	th_free(&h);
}

/* FIN-WAIT-1: a FIN that also acks our FIN -> TIME-WAIT directly. */
static void test_fin_wait_1_fin_ack(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_FIN_WAIT_1);
	h.p_ack++;
	th_send_next(&h, TH_FIN, 0);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	assert_int_equal(h.t->state, TCPS_TIME_WAIT);
	th_run(&h, SIM_MS);
	assert_int_equal(h.ev[TH_A].peer_closed, 1);
	th_free(&h);
}

/* FIN-WAIT-2 + FIN -> TIME-WAIT (th_goto), which lasts exactly 2 MSL
 * (RFC 9293 3.3.2, 3.10.8). */
static void test_time_wait_2msl(void **state)
{
	struct th h;
	sim_time_t t0;

	(void)state;
	th_init(&h);
	h.conf.msl = 30 * SIM_S;
	th_run(&h, SIM_S);
	th_goto(&h, TCPS_TIME_WAIT);
	t0 = h.t_in;                    /* when the FIN arrived */
	assert_int_equal(h.ev[TH_A].peer_closed, 1);
	th_run_until(&h, t0 + 60 * SIM_S - 1);
	assert_non_null(h.t);
	assert_int_equal(h.t->state, TCPS_TIME_WAIT);
	th_run_until(&h, t0 + 60 * SIM_S);
	assert_null(h.t);
	assert_int_equal(h.ev[TH_A].reason, TCP_CLOSED_NORMAL);
	th_expect_none(&h);
	th_free(&h);
}

/* RFC 9293 3.10.7.4 eighth check, TIME-WAIT: "The only thing that can
 * arrive in this state is a retransmission of the remote FIN.  Acknowledge
 * it, and restart the 2 MSL timeout." */
static void test_time_wait_fin_restarts_2msl(void **state)
{
	struct th h;
	sim_time_t t1;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_TIME_WAIT);
	th_run(&h, 10 * SIM_S);
	t1 = h.s->now;
	th_send(&h, TH_FIN | TH_ACK, h.p_nxt - 1, h.p_ack, 0);  /* the FIN again */
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	th_run_until(&h, t1 + 60 * SIM_S - 1);
	assert_non_null(h.t);
	assert_int_equal(h.t->state, TCPS_TIME_WAIT);
	th_run_until(&h, t1 + 60 * SIM_S);
	assert_null(h.t);
	th_free(&h);
}

/* CLOSE-WAIT -> close -> LAST-ACK; the ACK of our FIN closes (RFC 9293
 * 3.10.7.4 fifth check, LAST-ACK). */
static void test_last_ack(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_LAST_ACK);
	h.p_ack++;
	th_send_next(&h, 0, 0);
	th_expect_none(&h);
	assert_null(h.t);
	assert_int_equal(h.ev[TH_A].reason, TCP_CLOSED_NORMAL);
	th_free(&h);
}

/* BSD's FIN-WAIT-2 timer: after close() (no more reading) a connection
 * whose FIN was acked does not wait for the peer's FIN for ever
 * (fin_wait2_timeout); after shutdown() it does (half-close). */
static void test_fin_wait_2_timeout(void **state)
{
	struct th h;
	sim_time_t t0;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	tcp_close(h.s, h.t);
	th_expect(&h, TH_FIN | TH_ACK, h.p_ack, h.p_nxt, 0);
	h.p_ack++;
	t0 = h.s->now;
	th_send_next(&h, 0, 0);
	assert_int_equal(h.t->state, TCPS_FIN_WAIT_2);
	th_run_until(&h, t0 + 60 * SIM_S - 1);
	assert_non_null(h.t);
	th_run_until(&h, t0 + 60 * SIM_S);
	assert_null(h.t);
	assert_int_equal(h.ev[TH_A].reason, TCP_CLOSED_FIN_WAIT2);
	th_expect_none(&h);
	th_free(&h);

	th_init(&h);
	th_goto(&h, TCPS_FIN_WAIT_2);
	th_run(&h, 3600 * SIM_S);
	assert_non_null(h.t);
	assert_int_equal(h.t->state, TCPS_FIN_WAIT_2);
	th_free(&h);
}

/* Half-close (RFC 9293 3.6, 3.10.7.4 seventh check): after our FIN, data
 * still arrives in FIN-WAIT-1 and FIN-WAIT-2 and is delivered and ACKed. */
static void test_half_close(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_FIN_WAIT_1);
	th_send_next(&h, 0, 300);                       /* FIN not acked yet */
	assert_int_equal(h.t->state, TCPS_FIN_WAIT_1);
	h.p_ack++;
	th_send_next(&h, 0, MSS_TS);
	assert_int_equal(h.t->state, TCPS_FIN_WAIT_2);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);     /* 2nd segment: at once */
	th_send_next(&h, 0, 1000);
	th_run(&h, SIM_S);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);     /* delayed */
	assert_int_equal(h.ev[TH_A].read, 300 + MSS_TS + 1000);
	th_send_next(&h, TH_FIN, 0);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	assert_int_equal(h.t->state, TCPS_TIME_WAIT);
	assert_int_equal(h.t->integrity_bad_off, UINT64_MAX);
	th_free(&h);
}

/* ---- flow control ---- */

/* RFC 9293 3.8.6.1 and RFC 1122 4.2.2.17: with a zero window the sender
 * probes, backing off from 5 s (BSD's TCPTV_PERSMIN) to 60 s, and keeps
 * the connection open as long as the probes are answered, for ever; the
 * probes are not duplicate ACKs to fast-retransmit on (RFC 5681 2). */
static void test_zero_window_persist(void **state)
{
	static const int gaps_s[] = { 5, 5, 5, 8, 16, 32, 60, 60, 60 };
	struct th h;
	sim_time_t last;
	struct packet *p;
	uint32_t nxt;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	tcp_write(h.s, h.t, 1000, true, false);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 1000);
	h.p_ack += 1000;
	h.p_win = 0;
	th_send_next(&h, 0, 0);                 /* all acked, window closed */
	last = h.s->now;                        /* the persist timer starts here */
	tcp_write(h.s, h.t, 3000, true, false);
	th_expect_none(&h);
	nxt = h.t->snd_nxt;
	for (size_t i = 0; i < sizeof gaps_s / sizeof gaps_s[0]; i++) {
		th_run(&h, gaps_s[i] * SIM_S + SIM_MS);
		p = th_expect(&h, TH_ACK, nxt, h.p_nxt, 1);
		assert_int_equal(p->t_created - last, gaps_s[i] * SIM_S);
		last = p->t_created;
		th_send_next(&h, 0, 0);         /* still zero */
		th_expect_none(&h);
	}
	/* twenty minutes more of answered probes: still open, only probes */
	for (int i = 0; i < 20; i++) {
		th_run(&h, 60 * SIM_S);
		while ((p = th_pop(&h)))
			assert_true(p->payload_len <= 1);
		th_send_next(&h, 0, 0);
	}
	assert_non_null(h.t);
	assert_int_equal(h.t->state, TCPS_ESTABLISHED);
	assert_int_equal(h.t->st.fast_retransmits, 0);
	assert_int_equal(h.t->st.timeouts, 0);
	/* the window opens: the data goes */
	h.p_win = 65535;
	th_send_next(&h, 0, 0);
	th_expect(&h, TH_ACK, nxt, h.p_nxt, MSS_TS);
	th_expect(&h, TH_ACK, nxt + MSS_TS, h.p_nxt, MSS_TS);
	th_free(&h);
}

/* RFC 9293 3.8.6.1: the window closes in a segment that also makes us
 * ACK at once (here it carries out-of-order data): with data waiting and
 * nothing in flight, the persist timer must still start. */
static void test_zero_window_ack_starts_persist(void **state)
{
	struct th h;
	struct packet *p;
	sim_time_t t0;

	(void)state;
	th_init(&h);
	h.p_win = 1000;
	th_goto(&h, TCPS_ESTABLISHED);
	tcp_write(h.s, h.t, 3000, true, false);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 1000);
	th_expect_none(&h);
	h.p_ack += 1000;
	h.p_win = 0;
	t0 = h.s->now;
	th_send(&h, TH_ACK, h.p_nxt + 10, h.p_ack, 10);        /* out of order */
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);             /* dup ACK */
	assert_true(event_pending(&h.t->persist));
	th_run(&h, 6 * SIM_S);
	p = th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 1);         /* the probe */
	assert_int_equal(p->t_created, t0 + 5 * SIM_S);
	th_free(&h);
}

/* Receiver SWS avoidance (RFC 1122 4.2.3.3): after a full buffer, reading
 * does not open the window until min(RCV.BUFF / 2, MSS) is free. */
static void test_receiver_sws(void **state)
{
	struct th h;
	uint32_t got = 0;

	(void)state;
	th_init(&h);
	h.conf.rcvbuf = 8192;
	h.auto_read[TH_A] = false;
	th_goto(&h, TCPS_ESTABLISHED);
	while (got < 8192) {
		uint32_t n = 8192 - got < MSS_TS ? 8192 - got : MSS_TS;

		th_send_next(&h, 0, n);
		got += n;
	}
	th_run(&h, SIM_S);
	while (th_pop(&h))
		;
	assert_int_equal(tcp_rcv_window(h.t), 0);
	assert_int_equal(tcp_read(h.s, h.t, 1), 1);
	assert_int_equal(tcp_rcv_window(h.t), 0);
	th_expect_none(&h);
	assert_int_equal(tcp_read(h.s, h.t, 1458), 1458);          /* 1459 free */
	assert_int_equal(tcp_rcv_window(h.t), 0);
	assert_int_equal(tcp_read(h.s, h.t, 1), 1);                 /* 1460 = MSS */
	assert_int_equal(tcp_rcv_window(h.t), 1460);
	th_free(&h);

	/* a small buffer: half of it is the step */
	th_init(&h);
	h.conf.rcvbuf = 2000;
	h.auto_read[TH_A] = false;
	th_goto(&h, TCPS_ESTABLISHED);
	th_send_next(&h, 0, 1448);
	th_send_next(&h, 0, 552);
	th_run(&h, SIM_S);
	th_drain(&h);
	assert_int_equal(tcp_rcv_window(h.t), 0);
	tcp_read(h.s, h.t, 999);
	assert_int_equal(tcp_rcv_window(h.t), 0);
	tcp_read(h.s, h.t, 1);
	assert_int_equal(tcp_rcv_window(h.t), 1000);
	th_free(&h);
}

/* RFC 1122 4.2.3.3 / RFC 9293 3.8.6.2.2: once reading has freed enough,
 * a window update goes without waiting for data (BSD: two segments or half
 * the buffer). */
static void test_window_update_after_read(void **state)
{
	struct th h;
	struct packet *p;
	uint32_t got = 0;

	(void)state;
	th_init(&h);
	h.conf.rcvbuf = 8192;
	h.auto_read[TH_A] = false;
	th_goto(&h, TCPS_ESTABLISHED);
	while (got < 8192) {
		uint32_t n = 8192 - got < MSS_TS ? 8192 - got : MSS_TS;

		th_send_next(&h, 0, n);
		got += n;
	}
	th_run(&h, SIM_S);
	p = NULL;
	while (th_pending(&h))
		p = th_pop(&h);
	assert_non_null(p);
	assert_int_equal(p->tcp.win, 0);
	assert_int_equal(p->tcp.ack, h.p_nxt);
	tcp_read(h.s, h.t, 2000);
	th_expect_none(&h);
	tcp_read(h.s, h.t, 920);                /* 2920 = 2 MSS */
	p = th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	assert_int_equal(p->tcp.win, 2920);
	th_free(&h);
}

/* Nagle (RFC 896, RFC 1122 4.2.3.4): a short segment waits while data is
 * unacknowledged, and goes when the ACK comes; nodelay sends at once. */
static void test_nagle(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	tcp_write(h.s, h.t, 100, true, false);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 100);
	tcp_write(h.s, h.t, 100, true, false);
	tcp_write(h.s, h.t, 50, true, false);
	th_run(&h, 100 * SIM_MS);
	th_expect_none(&h);
	h.p_ack += 100;
	th_send_next(&h, 0, 0);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 150);
	th_free(&h);

	th_init(&h);
	h.conf.nodelay = true;
	th_goto(&h, TCPS_ESTABLISHED);
	tcp_write(h.s, h.t, 100, true, false);
	tcp_write(h.s, h.t, 100, true, false);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 100);
	th_expect(&h, TH_ACK, h.p_ack + 100, h.p_nxt, 100);
	th_free(&h);
}

/* The send buffer (sndbuf) holds what was written and not yet acked - also
 * before the connection is established. */
static void test_send_buffer_before_established(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	h.conf.sndbuf = 10000;
	th_connect(&h);
	assert_int_equal(tcp_send_space(h.t), 10000);
	assert_int_equal(tcp_write(h.s, h.t, 6000, false, false), 6000);
	assert_int_equal(tcp_send_space(h.t), 4000);
	assert_int_equal(tcp_write(h.s, h.t, 6000, false, false), 4000);
	assert_int_equal(tcp_write(h.s, h.t, 1, false, false), 0);
	th_free(&h);
}

/* The window we advertise never exceeds the receive buffer (RFC 9293
 * 3.8.6: RCV.WND is buffer space), also after an active open whose SYN-ACK
 * carries an ISN far from 0. */
static void test_active_open_window_within_buffer(void **state)
{
	static const uint32_t isns[] = { 0xf0000000u, 0x7fffff00u, 0u, 0xffffffffu, 12345u };

	(void)state;
	for (size_t i = 0; i < sizeof isns / sizeof isns[0]; i++) {
		struct th h;
		struct packet *p;

		th_init(&h);
		h.conf.rcvbuf = 20000;
		h.p_iss = isns[i];
		th_connect(&h);
		th_send_syn(&h, TH_SYN | TH_ACK, TH_ISS + 1);
		h.p_ts = true;
		p = th_expect(&h, TH_ACK, TH_ISS + 1, h.p_iss + 1, 0);
		assert_int_equal(p->tcp.win, 20000);
		assert_true(tcp_rcv_window(h.t) <= 20000);
		/* the peer fills what we offered: all of it is taken */
		for (int k = 0; k < 20; k++)
			th_send_next(&h, 0, 1000);
		assert_int_equal(h.ev[TH_A].read, 20000);
		assert_null(th_invariant(h.t));
		th_free(&h);
	}
}

/* ---- retransmission ---- */

/* RFC 6298 2.1, 5.5, 5.6: RTO 1 s before any sample, doubled on every
 * expiry; 5.4: the earliest unacked segment goes again; RFC 5681 3.1:
 * cwnd = 1 MSS after an RTO; Karn (RFC 6298 3): an ACK of a retransmitted
 * segment gives no RTT sample, and the backed-off RTO stays until a valid
 * sample (RFC 6298 5 note). */
static void test_rto_backoff_karn(void **state)
{
	struct th h;
	struct packet *p;
	sim_time_t t0;
	uint64_t samples;

	(void)state;
	th_init(&h);
	h.conf.opt_ts = false;
	h.popt.present &= ~TCPOF_TS;
	th_goto(&h, TCPS_ESTABLISHED);
	th_run(&h, SIM_S);
	assert_int_equal(h.t->rto_cur, SIM_S);
	t0 = h.s->now;
	tcp_write(h.s, h.t, 1000, true, false);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 1000);
	samples = h.t->st.rtt_samples;
	th_run(&h, 999 * SIM_MS);
	th_expect_none(&h);
	th_run(&h, 2 * SIM_MS);
	p = th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 1000);
	assert_int_equal(p->t_created, t0 + SIM_S);
	assert_int_equal(h.t->ccv.cwnd, h.t->mss);
	th_run_until(&h, t0 + 3 * SIM_S + SIM_MS);
	p = th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 1000);
	assert_int_equal(p->t_created, t0 + 3 * SIM_S);
	th_run_until(&h, t0 + 7 * SIM_S + SIM_MS);
	p = th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 1000);
	assert_int_equal(p->t_created, t0 + 7 * SIM_S);
	assert_int_equal(h.t->st.timeouts, 3);
	assert_int_equal(h.t->st.retransmits, 3);
	/* the retransmission is acked: no sample (ambiguous) */
	th_run(&h, 500 * SIM_MS);
	h.p_ack += 1000;
	th_send_next(&h, 0, 0);
	assert_int_equal(h.t->st.rtt_samples, samples);
	/* new data: timed with the backed-off RTO (8 s) */
	t0 = h.s->now;
	tcp_write(h.s, h.t, 500, true, false);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 500);
	th_run(&h, 7 * SIM_S);
	th_expect_none(&h);
	th_run_until(&h, t0 + 8 * SIM_S + SIM_MS);
	p = th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 500);
	assert_int_equal(p->t_created, t0 + 8 * SIM_S);
	th_free(&h);
}

/* RFC 5681 3.2: the third duplicate ACK retransmits the first unacked
 * segment at once; ssthresh = max(FlightSize / 2, 2 SMSS), cwnd = ssthresh
 * + 3 SMSS; the ACK of new data deflates cwnd to ssthresh. */
static void test_fast_retransmit(void **state)
{
	struct th h;
	uint32_t una, flight;

	(void)state;
	th_init(&h);
	h.conf.init_cwnd = 10;
	th_goto(&h, TCPS_ESTABLISHED);
	tcp_write(h.s, h.t, 10 * MSS_TS, true, false);
	una = h.p_ack;
	for (int i = 0; i < 10; i++)
		th_expect(&h, TH_ACK, una + i * MSS_TS, h.p_nxt, MSS_TS);
	flight = 10 * MSS_TS;
	th_send_next(&h, 0, 0);
	th_send_next(&h, 0, 0);
	th_expect_none(&h);
	assert_int_equal(h.t->dupacks, 2);
	th_send_next(&h, 0, 0);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS_TS);
	assert_int_equal(h.t->st.fast_retransmits, 1);
	assert_int_equal(h.t->ccv.ssthresh, flight / 2);
	assert_int_equal(h.t->ccv.cwnd, flight / 2 + 3 * h.t->mss);
	assert_true(h.t->in_recovery);
	h.p_ack += flight;
	th_send_next(&h, 0, 0);
	assert_false(h.t->in_recovery);
	assert_int_equal(h.t->ccv.cwnd, flight / 2);
	th_free(&h);
}

/* RFC 5681 3.2 step 2: fast retransmit sends again "what appears to be
 * the missing segment" - what was sent, never bytes beyond SND.MAX (the
 * window held them back; sending them unrecorded would make the peer's
 * ACK of them look like an ACK of data never sent). */
static void test_fast_retransmit_only_what_was_sent(void **state)
{
	struct th h;
	struct packet *p;
	uint32_t una;

	(void)state;
	th_init(&h);
	h.p_win = 1000;
	th_goto(&h, TCPS_ESTABLISHED);
	tcp_write(h.s, h.t, 5000, true, false);
	una = h.p_ack;
	th_expect(&h, TH_ACK, una, h.p_nxt, 1000);     /* the whole window */
	th_expect_none(&h);
	for (int i = 0; i < 3; i++)
		th_send_next(&h, 0, 0);
	p = th_expect(&h, TH_ACK, una, h.p_nxt, 1000);
	assert_true(SEQ_LEQ(p->tcp.seq + p->payload_len, h.t->snd_max));
	assert_int_equal(h.t->st.fast_retransmits, 1);
	th_free(&h);
}

/* RFC 6298 5.5 for SYNs (RFC 1122 4.2.3.5): with RTO 1 s the SYN goes at
 * 0, 1, 3, 7, 15, 31, 63 s; BSD's 75 s connect timeout ends the attempt. */
static void test_syn_backoff_connect_timeout(void **state)
{
	static const int at_s[] = { 1, 3, 7, 15, 31, 63 };
	struct th h;
	struct packet *p;

	(void)state;
	th_init(&h);
	th_connect(&h);
	for (size_t i = 0; i < sizeof at_s / sizeof at_s[0]; i++) {
		th_run_until(&h, at_s[i] * SIM_S + SIM_MS);
		p = th_expect(&h, TH_SYN, TH_ISS, 0, 0);
		assert_int_equal(p->t_created, at_s[i] * SIM_S);
		th_expect_none(&h);
	}
	th_run_until(&h, 75 * SIM_S - 1);
	assert_non_null(h.t);
	th_run_until(&h, 75 * SIM_S);
	assert_null(h.t);
	assert_int_equal(h.ev[TH_A].reason, TCP_CLOSED_CONNECT_TIMEOUT);
	th_expect_none(&h);
	th_free(&h);
}

/* BSD's 500 ms slow timeout with 4.3BSD-Reno's RTO (seed 002, TCP/IP
 * Illustrated figure 18.6): rto_initial 6 s; the first retry comes on the
 * 12th tick after connect, between 5.5 and 6 s; the second exactly 24 s
 * after the first, the third 48 s after that. */
static void test_bsd_tick_syn_retries(void **state)
{
	struct th h;
	struct packet *p;
	sim_time_t t0, t1;

	(void)state;
	th_init(&h);
	h.conf.timer_tick = 500 * SIM_MS;
	strcpy(h.conf.rtt.name, "jacobson88");
	h.conf.rtt.rto_initial = 6 * SIM_S;
	h.conf.rtt.rto_max = 64 * SIM_S;
	h.conf.connect_timeout = 300 * SIM_S;          /* see the third retry */
	th_run(&h, 1234 * SIM_MS);
	t0 = h.s->now;
	th_connect(&h);
	th_run(&h, 7 * SIM_S);
	p = th_expect(&h, TH_SYN, TH_ISS, 0, 0);
	assert_true(p->t_created - t0 > 5500 * SIM_MS);
	assert_true(p->t_created - t0 <= 6 * SIM_S);
	assert_int_equal(p->t_created % (500 * SIM_MS), 0);
	t1 = p->t_created;
	th_run_until(&h, t1 + 24 * SIM_S + SIM_MS);
	p = th_expect(&h, TH_SYN, TH_ISS, 0, 0);
	assert_int_equal(p->t_created, t1 + 24 * SIM_S);
	th_run_until(&h, t1 + 72 * SIM_S + SIM_MS);
	p = th_expect(&h, TH_SYN, TH_ISS, 0, 0);
	assert_int_equal(p->t_created, t1 + 72 * SIM_S);
	th_free(&h);
}

/* ---- keepalive ---- */

/* RFC 1122 4.2.3.6: after keepalive_idle without a segment, a probe
 * <SEQ=SND.NXT-1> with no data; an answer restarts the idle period;
 * keepalive_probes unanswered probes, keepalive_intvl apart, drop the
 * connection. */
static void test_keepalive(void **state)
{
	struct th h;
	struct packet *p;
	sim_time_t t0;

	(void)state;
	th_init(&h);
	h.conf.keepalive = true;
	h.conf.keepalive_idle = 7200 * SIM_S;
	h.conf.keepalive_intvl = 75 * SIM_S;
	h.conf.keepalive_probes = 9;
	th_goto(&h, TCPS_ESTABLISHED);
	t0 = h.t_in;
	th_run_until(&h, t0 + 7200 * SIM_S - SIM_US);
	th_expect_none(&h);
	th_run(&h, SIM_MS);
	p = th_expect(&h, TH_ACK, h.p_ack - 1, h.p_nxt, 0);
	assert_int_equal(p->t_created, t0 + 7200 * SIM_S);
	/* a live peer answers: the idle period starts again */
	th_send_next(&h, 0, 0);
	t0 = h.t_in;
	th_run_until(&h, t0 + 7200 * SIM_S + SIM_MS);
	p = th_expect(&h, TH_ACK, h.p_ack - 1, h.p_nxt, 0);
	assert_int_equal(p->t_created, t0 + 7200 * SIM_S);
	for (int i = 1; i < 9; i++) {
		th_run_until(&h, t0 + 7200 * SIM_S + i * 75 * SIM_S + SIM_MS);
		p = th_expect(&h, TH_ACK, h.p_ack - 1, h.p_nxt, 0);
		assert_int_equal(p->t_created, t0 + 7200 * SIM_S + i * 75 * SIM_S);
	}
	assert_non_null(h.t);
	th_run_until(&h, t0 + 7200 * SIM_S + 9 * 75 * SIM_S);
	assert_null(h.t);
	assert_int_equal(h.ev[TH_A].reason, TCP_CLOSED_KEEPALIVE);
	th_free(&h);
}

/* Keepalive is for connections that are open (RFC 1122 4.2.3.6: "an
 * idle connection"); TIME-WAIT only waits out 2 MSL - no probes, and it
 * ends NORMAL, not by keepalive, even when a segment arrived in it. */
static void test_keepalive_not_in_time_wait(void **state)
{
	struct th h;
	sim_time_t t0;

	(void)state;
	th_init(&h);
	h.conf.keepalive = true;
	h.conf.keepalive_idle = 10 * SIM_S;
	h.conf.keepalive_intvl = 1 * SIM_S;
	h.conf.keepalive_probes = 2;
	th_goto(&h, TCPS_TIME_WAIT);
	t0 = h.t_in;
	th_send_next(&h, 0, 0);                         /* anything at all */
	th_run_until(&h, t0 + 60 * SIM_S - SIM_US);
	th_expect_none(&h);
	assert_non_null(h.t);
	th_run_until(&h, t0 + 60 * SIM_S);
	assert_null(h.t);
	assert_int_equal(h.ev[TH_A].reason, TCP_CLOSED_NORMAL);
	th_free(&h);
}

/* ---- sequence space ---- */

/* RFC 9293 3.4: sequence numbers wrap modulo 2^32.  Both ISNs just below
 * 2^32: 1 MB crosses the wrap and arrives intact, then both close. */
static void test_sequence_wrap_transfer(void **state)
{
	struct th h;

	(void)state;
	th_init_link(&h, 100000000, SIM_MS);
	h.nocap = true;
	h.conf.isn = 4294967000u;
	h.bconf.isn = 4294967000u;
	h.to_write[TH_A] = 1000000;
	h.close_when_done[TH_A] = true;
	th_pair_connect(&h);
	th_run(&h, 30 * SIM_S);
	assert_int_equal(h.ev[TH_B].read, 1000000);
	assert_int_equal(h.ev[TH_B].peer_closed, 1);
	assert_int_equal(h.ev[TH_A].integrity_bad, UINT64_MAX);
	assert_int_equal(h.ev[TH_B].integrity_bad, UINT64_MAX);
	if (h.bt)
		assert_int_equal(h.bt->integrity_bad_off, UINT64_MAX);
	th_free(&h);
}

/* RFC 7323 5.3 (PAWS): a segment whose TSval is older than TS.Recent is an
 * old duplicate: dropped, with an ACK. */
static void test_paws(void **state)
{
	struct th h;
	struct packet *p;
	uint32_t recent;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	h.p_tsval = 1000000;
	th_send_next(&h, 0, 100);
	recent = h.t->ts_recent;
	assert_int_equal(recent, 1000000);
	th_run(&h, SIM_S);
	th_drain(&h);
	p = th_mk(&h, TH_ACK, h.p_nxt, h.p_ack, 100);
	{
		struct tcp_opts o = { .present = TCPOF_TS, .ts_val = recent - 1,
				      .ts_ecr = h.p_tsecr };

		th_set_opts(p, &o);
	}
	th_inject(&h, p);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 0);
	assert_int_equal(h.t->st.paws_drops, 1);
	assert_int_equal(h.ev[TH_A].read, 100);
	assert_int_equal(h.t->ts_recent, recent);
	/* an equal TSval is fine */
	p = th_mk(&h, TH_ACK, h.p_nxt, h.p_ack, 100);
	{
		struct tcp_opts o = { .present = TCPOF_TS, .ts_val = recent,
				      .ts_ecr = h.p_tsecr };

		th_set_opts(p, &o);
	}
	th_inject(&h, p);
	assert_int_equal(h.ev[TH_A].read, 200);
	th_free(&h);
}

/* RFC 9293 3.8.5 / RFC 6093: urgent data - the sender sets URG with the
 * pointer just past the urgent byte; the receiver reports the offset. */
static void test_urgent(void **state)
{
	struct th h;
	struct packet *p;

	(void)state;
	th_init(&h);
	th_goto(&h, TCPS_ESTABLISHED);
	tcp_write(h.s, h.t, 100, false, true);
	p = th_expect(&h, TH_ACK | TH_URG, h.p_ack, h.p_nxt, 100);
	assert_int_equal(p->tcp.urp, 100);
	h.p_ack += 100;
	th_send_next(&h, 0, 0);
	/* receiving: 50 bytes, the urgent byte the 20th */
	p = th_mk(&h, TH_ACK | TH_URG, h.p_nxt, h.p_ack, 50);
	p->tcp.urp = 20;
	h.p_nxt += 50;
	th_inject(&h, p);
	assert_int_equal(h.ev[TH_A].urgent, 1);
	assert_int_equal(h.ev[TH_A].urg_off, 20);
	/* the same pointer again is not news */
	p = th_mk(&h, TH_ACK | TH_URG, h.p_nxt, h.p_ack, 10);
	p->tcp.urp = 65535;
	h.p_nxt += 10;
	th_inject(&h, p);
	assert_int_equal(h.ev[TH_A].urgent, 2);
	assert_int_equal(h.ev[TH_A].urg_off, 50 + 65535);
	assert_int_equal(h.ev[TH_A].read, 60);
	th_free(&h);
}

/* RFC 7413: the first connection asks for a cookie (empty TFO option) and
 * gets one in the SYN-ACK; the second carries data in its SYN with the
 * cookie: the server takes it at once (4.2), its SYN-ACK acknowledges it
 * so the client does not send it again, and the server's application
 * can read it as soon as it has the connection. */
static void test_tfo(void **state)
{
	struct th h;
	struct packet *p;
	struct tcp_opts o;
	struct tcb *c;

	(void)state;
	th_init(&h);
	h.conf.tfo = true;
	h.bconf.tfo = true;
	h.pass = true;
	h.bl = tcp_listen(h.s, h.b, TH_B_PORT, &h.bconf, &th_user, &h);
	h.bl->rx_stream = TH_TX_STREAM;
	h.bl->tx_stream = TH_RX_STREAM;
	/* first connection: cookie request */
	c = tcp_connect(h.s, h.a, 1111, TH_B_ADDR, TH_B_PORT, &h.conf, &th_user, &h);
	c->tx_stream = TH_TX_STREAM;
	c->rx_stream = TH_RX_STREAM;
	tcp_write(h.s, c, 500, true, false);
	p = th_expect(&h, TH_SYN, TH_ISS, 0, 0);        /* no data without a cookie */
	th_opts_of(p, &o);
	assert_true(o.present & TCPOF_TFO);
	assert_int_equal(o.tfo_len, 0);
	th_run(&h, SIM_S);
	assert_int_equal(h.ev[TH_B].read, 500);
	assert_int_equal(tcp_stack_of(h.s, h.a)->tfo_cache_n, 1);
	th_drain(&h);
	/* second connection: 500 bytes in the SYN */
	c = tcp_connect(h.s, h.a, 2222, TH_B_ADDR, TH_B_PORT, &h.conf, &th_user, &h);
	c->tx_stream = TH_TX_STREAM;
	c->rx_stream = TH_RX_STREAM;
	tcp_write(h.s, c, 500, true, false);
	p = th_expect(&h, TH_SYN, TH_ISS, 0, 500);
	th_opts_of(p, &o);
	assert_int_equal(o.tfo_len, 8);
	assert_int_equal(p->payload_off, 0);
	/* accepted (the data already counted as received), and readable */
	assert_int_equal(tcp_lookup(tcp_stack_of(h.s, h.b), TH_A_ADDR, TH_B_PORT, 2222)->rcv_delivered,
			 500);
	th_run(&h, SIM_S);
	assert_int_equal(c->state, TCPS_ESTABLISHED);
	assert_int_equal(c->snd_una, TH_ISS + 501);
	assert_int_equal(c->st.retransmits, 0);
	/* only the handshake ACK follows */
	th_expect(&h, TH_ACK, TH_ISS + 501, TH_PEER_ISS + 1, 0);
	th_expect_none(&h);
	assert_int_equal(h.ev[TH_B].read, 1000);
	assert_int_equal(h.ev[TH_B].integrity_bad, UINT64_MAX);
	assert_int_equal(h.bt->integrity_bad_off, UINT64_MAX);
	th_free(&h);
}

/* RFC 7413 4.2 with RFC 9293 3.8.6: data in a SYN with a valid cookie is
 * taken only as far as the receive window goes; the SYN-ACK acknowledges
 * that much. */
static void test_tfo_syn_data_window(void **state)
{
	static struct tcb fake;         /* only stack and raddr are read */
	struct th h;
	struct packet *p;

	(void)state;
	th_init(&h);
	h.conf.tfo = true;
	h.conf.rcvbuf = 4000;
	th_listen(&h);
	fake.stack = tcp_stack_of(h.s, h.a);
	fake.raddr = TH_B_ADDR;
	h.popt.present |= TCPOF_TFO;
	h.popt.tfo_len = tcp_tfo_cookie_make(&fake, h.popt.tfo_cookie);
	p = th_mk(&h, TH_SYN, h.p_iss, 0, 10000);
	th_set_opts(p, &h.popt);
	th_inject(&h, p);
	th_expect(&h, TH_SYN | TH_ACK, TH_ISS, h.p_iss + 1 + 4000, 0);
	h.t = th_lookup(&h);
	assert_int_equal(h.t->rcv_delivered, 4000);
	assert_null(th_invariant(h.t));
	th_free(&h);
}

/* RFC 7413 3: the client sends again the SYN data the SYN-ACK does not
 * acknowledge - also when the SYN-ACK acknowledges part of it. */
static void test_tfo_partial_ack(void **state)
{
	struct th h;
	struct tcp_stack *ts;

	(void)state;
	th_init(&h);
	h.conf.tfo = true;
	ts = tcp_stack_of(h.s, h.a);
	ts->tfo_cache_addr[0] = TH_B_ADDR;     /* a cookie from before */
	memset(ts->tfo_cache_cookie[0], 0x5a, 8);
	ts->tfo_cache_n = 1;
	h.t = tcp_connect(h.s, h.a, TH_A_PORT, TH_B_ADDR, TH_B_PORT, &h.conf, &th_user, &h);
	tcp_write(h.s, h.t, 1000, true, false);
	th_expect(&h, TH_SYN, TH_ISS, 0, 1000);
	h.p_ack = TH_ISS + 1 + 400;
	th_send_syn(&h, TH_SYN | TH_ACK, h.p_ack);     /* 400 of 1000 */
	assert_int_equal(h.t->state, TCPS_ESTABLISHED);
	th_expect(&h, TH_ACK, h.p_ack, h.p_nxt, 600);
	th_expect_none(&h);
	th_free(&h);
}

/* Listen backlog (seed 002, TCP/IP Illustrated 18.11): with the SYN queue
 * full a SYN is dropped without a word (no RST: the client will retry) and
 * counted; once there is room, the retried SYN is answered. */
static void test_backlog_full(void **state)
{
	struct th h;

	(void)state;
	th_init(&h);
	h.conf.syn_backlog = 1;
	th_syn_received(&h);
	h.p_sport = TH_B_PORT + 1;
	th_send_syn(&h, TH_SYN, 0);
	th_expect_none(&h);
	assert_int_equal(h.l->syn_dropped, 1);
	assert_ptr_equal(th_lookup(&h), h.l);      /* no child: the listener */
	/* the first completes; the retry gets through */
	h.p_sport = TH_B_PORT;
	th_send_next(&h, 0, 0);
	assert_int_equal(h.l->syn_queued, 0);
	h.p_sport = TH_B_PORT + 1;
	th_send_syn(&h, TH_SYN, 0);
	th_expect(&h, TH_SYN | TH_ACK, TH_ISS, TH_PEER_ISS + 1, 0);
	assert_int_equal(th_lookup(&h)->state, TCPS_SYN_RECEIVED);
	assert_int_equal(h.l->syn_dropped, 1);
	th_free(&h);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_isn_bsd),
		cmocka_unit_test(test_passive_open),
		cmocka_unit_test(test_passive_open_no_options),
		cmocka_unit_test(test_wscale_clamp_and_both_required),
		cmocka_unit_test(test_active_open),
		cmocka_unit_test(test_rst_for_closed_port),
		cmocka_unit_test(test_listen_ack_rst),
		cmocka_unit_test(test_simultaneous_open),
		cmocka_unit_test(test_simultaneous_open_pair),
		cmocka_unit_test(test_syn_sent_rst),
		cmocka_unit_test(test_rst_in_synced_states),
		cmocka_unit_test(test_syn_in_established),
		cmocka_unit_test(test_ack_beyond_snd_max),
		cmocka_unit_test(test_syn_received_bad_ack),
		cmocka_unit_test(test_unacceptable_segment_acked),
		cmocka_unit_test(test_delayed_ack),
		cmocka_unit_test(test_ack_every_second_segment),
		cmocka_unit_test(test_out_of_order_sack),
		cmocka_unit_test(test_sack_only_what_is_held),
		cmocka_unit_test(test_fin_drops_data_beyond_it),
		cmocka_unit_test(test_fin_established),
		cmocka_unit_test(test_fin_only_once),
		cmocka_unit_test(test_fin_wait_1_closing),
		cmocka_unit_test(test_fin_wait_1_fin_ack),
		cmocka_unit_test(test_time_wait_2msl),
		cmocka_unit_test(test_time_wait_fin_restarts_2msl),
		cmocka_unit_test(test_last_ack),
		cmocka_unit_test(test_fin_wait_2_timeout),
		cmocka_unit_test(test_half_close),
		cmocka_unit_test(test_zero_window_persist),
		cmocka_unit_test(test_zero_window_ack_starts_persist),
		cmocka_unit_test(test_receiver_sws),
		cmocka_unit_test(test_window_update_after_read),
		cmocka_unit_test(test_nagle),
		cmocka_unit_test(test_send_buffer_before_established),
		cmocka_unit_test(test_active_open_window_within_buffer),
		cmocka_unit_test(test_rto_backoff_karn),
		cmocka_unit_test(test_fast_retransmit),
		cmocka_unit_test(test_fast_retransmit_only_what_was_sent),
		cmocka_unit_test(test_syn_backoff_connect_timeout),
		cmocka_unit_test(test_bsd_tick_syn_retries),
		cmocka_unit_test(test_keepalive),
		cmocka_unit_test(test_keepalive_not_in_time_wait),
		cmocka_unit_test(test_sequence_wrap_transfer),
		cmocka_unit_test(test_paws),
		cmocka_unit_test(test_urgent),
		cmocka_unit_test(test_tfo),
		cmocka_unit_test(test_tfo_syn_data_window),
		cmocka_unit_test(test_tfo_partial_ack),
		cmocka_unit_test(test_backlog_full),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
