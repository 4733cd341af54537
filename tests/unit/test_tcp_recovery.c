/*
 * test_tcp_recovery.c - the window arithmetic and the retransmissions of
 * each loss-recovery variant (Reno, NewReno, Tahoe, SACK), Limited
 * Transmit and the ECN reaction, one test per rule, each citing it.
 *
 * Conventions: MSS 1000 both ways and no timestamps, so a segment carries
 * exactly 1000 bytes and every window is a round number; a's first data
 * byte is TH_ISS + 1 (`una` below); segment k is [una + k*MSS, +MSS).
 * The forged peer advertises 65535 bytes, no window scaling.
 *
 * Two of these first failed and led to fixes (RFC 6675 step 4.3, RFC
 * 3168 6.1.2): test_sack_enter_retransmits_at_once and
 * test_ecn_ece_ack_does_not_grow_cwnd.  test_newreno_fast_retransmit_at_recover
 * pins how `recover` is read (ns-2's and FreeBSD's way).
 */
#include "tcp_harness.h"

#define MSS 1000u

/* a connection whose sender runs `cc`, initial window `iw` segments. */
static void rs_setup(struct th *h, const char *cc, uint32_t iw, bool lt, bool sack)
{
	th_init(h);
	snprintf(h->conf.cc, sizeof h->conf.cc, "%s", cc);
	h->conf.mss = MSS;
	h->conf.opt_ts = false;
	h->conf.init_cwnd = iw;
	h->conf.limited_transmit = lt;
	h->popt.mss = MSS;
	if (!sack)
		h->popt.present &= ~TCPOF_SACK_PERM;
	th_goto(h, TCPS_ESTABLISHED);
	assert_int_equal(h->t->mss, MSS);
	assert_false(h->t->ts_on);
	assert_int_equal(h->t->sack_on, sack);
	assert_int_equal(h->t->ccv.cwnd, iw * MSS);
}

/* Write `nseg` segments of data; expect the first `out` of them to go. */
static uint32_t rs_send(struct th *h, uint32_t nseg, uint32_t out)
{
	uint32_t una = h->p_ack;

	assert_int_equal(tcp_write(h->s, h->t, nseg * MSS, true, false), nseg * MSS);
	for (uint32_t i = 0; i < out; i++)
		th_expect(h, TH_ACK, una + i * MSS, h->p_nxt, MSS);
	th_expect_none(h);
	return una;
}

/* The peer acknowledges up to `ack` (a duplicate if it is not new). */
static void rs_ack(struct th *h, uint32_t ack)
{
	h->p_ack = ack;
	th_send_next(h, 0, 0);
}

/* The same with SACK blocks [b[2i], b[2i+1]) and extra flags (ECE). */
static void rs_ack_sack(struct th *h, uint8_t flags, uint32_t ack, int nblk, const uint32_t *b)
{
	struct packet *p;
	struct tcp_opts o;

	h->p_ack = ack;
	p = th_mk(h, TH_ACK | flags, h->p_nxt, ack, 0);
	memset(&o, 0, sizeof o);
	if (nblk) {
		o.present = TCPOF_SACK;
		o.nsack = (uint8_t)nblk;
		for (int i = 0; i < nblk; i++) {
			o.sack[i].start = b[2 * i];
			o.sack[i].end = b[2 * i + 1];
		}
	}
	th_set_opts(p, &o);
	th_inject(h, p);
}

/* ---- Reno ---- */

/* RFC 5681 3.2 steps 2-6.  Step 2: on the third duplicate ACK ssthresh =
 * max(FlightSize / 2, 2 SMSS) (segsim halves min(cwnd, FlightSize), see
 * cc_reno.c); step 3: the lost segment is retransmitted and cwnd =
 * ssthresh + 3 SMSS; step 4: each further duplicate ACK inflates cwnd by
 * SMSS; step 5: new data goes when cwnd allows; step 6: the next ACK of new
 * data sets cwnd = ssthresh ("deflating" it) and leaves recovery. */
static void test_reno_fast_recovery(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "reno", 10, false, false);
	una = rs_send(&h, 20, 10);                      /* segs 0..9 out, 0 lost */

	rs_ack(&h, una);
	rs_ack(&h, una);
	th_expect_none(&h);                             /* 2 dup ACKs: nothing */
	assert_false(h.t->in_recovery);
	assert_int_equal(h.t->ccv.cwnd, 10 * MSS);

	rs_ack(&h, una);                                /* the third */
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);       /* step 3: seg 0 again */
	th_expect_none(&h);
	assert_true(h.t->in_recovery);
	assert_int_equal(h.t->st.fast_retransmits, 1);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);   /* 10000 / 2 */
	assert_int_equal(h.t->ccv.cwnd, 8 * MSS);       /* ssthresh + 3 SMSS */

	/* Step 4: inflate by one SMSS per dup ACK; flight is 10 segments,
	 * so new data only once cwnd passes 10 SMSS (step 5). */
	rs_ack(&h, una);
	assert_int_equal(h.t->ccv.cwnd, 9 * MSS);
	th_expect_none(&h);
	rs_ack(&h, una);
	assert_int_equal(h.t->ccv.cwnd, 10 * MSS);
	th_expect_none(&h);
	rs_ack(&h, una);
	assert_int_equal(h.t->ccv.cwnd, 11 * MSS);
	th_expect(&h, TH_ACK, una + 10 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	rs_ack(&h, una);
	assert_int_equal(h.t->ccv.cwnd, 12 * MSS);
	th_expect(&h, TH_ACK, una + 11 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);   /* unchanged */

	/* Step 6: the retransmission's ACK covers segs 0..9: deflate. */
	rs_ack(&h, una + 10 * MSS);
	assert_false(h.t->in_recovery);
	assert_int_equal(h.t->ccv.cwnd, 5 * MSS);
	assert_int_equal(h.t->dupacks, 0);
	/* 2 segments still out, cwnd 5: three new ones */
	for (uint32_t i = 12; i < 15; i++)
		th_expect(&h, TH_ACK, una + i * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->st.fast_retransmits, 1);
	th_free(&h);
}

/* RFC 5681 3.2 step 6 (Reno, not NewReno): *any* ACK of new data ends
 * fast recovery - a partial ACK too, with cwnd = ssthresh and no
 * retransmission of the next hole; the next hole needs three more dup
 * ACKs and a second fast retransmit, which halves again (RFC 6582 1: the
 * multiple-reductions problem NewReno solves). */
static void test_reno_partial_ack_leaves_recovery(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "reno", 10, false, false);
	una = rs_send(&h, 10, 10);                      /* segs 0 and 2 lost */
	for (int i = 0; i < 3; i++)
		rs_ack(&h, una);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	assert_int_equal(h.t->ccv.cwnd, 8 * MSS);

	rs_ack(&h, una + 2 * MSS);                      /* partial */
	th_expect_none(&h);                             /* no retransmission */
	assert_false(h.t->in_recovery);
	assert_int_equal(h.t->ccv.cwnd, 5 * MSS);

	rs_ack(&h, una + 2 * MSS);
	rs_ack(&h, una + 2 * MSS);
	th_expect_none(&h);
	rs_ack(&h, una + 2 * MSS);
	th_expect(&h, TH_ACK, una + 2 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->st.fast_retransmits, 2);
	/* max(min(cwnd 5000, flight 8000) / 2, 2 SMSS) = 2500 */
	assert_int_equal(h.t->ccv.ssthresh, 2500);
	assert_int_equal(h.t->ccv.cwnd, 2500 + 3 * MSS);
	th_free(&h);
}

/* ---- NewReno ---- */

/* RFC 6582 3.2.  Step 1-2: fast retransmit as Reno, recover = the highest
 * sequence sent.  Step 4: dup ACKs inflate.  Step 5 (partial ACK):
 * retransmit the first unacked segment, cwnd = cwnd - acked + SMSS ("deflate
 * by the amount acked, add back one SMSS"), stay in recovery; dup ACKs in
 * recovery do not start another fast retransmit.  Step 3 (full ACK, ack
 * covers recover): cwnd = ssthresh (option 2), recovery ends. */
static void test_newreno_partial_and_full_ack(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "newreno", 10, false, false);
	una = rs_send(&h, 10, 10);                      /* segs 0 and 2 lost */
	for (int i = 0; i < 3; i++)
		rs_ack(&h, una);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_true(h.t->in_recovery);
	assert_int_equal(h.t->recover, una + 10 * MSS);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);
	assert_int_equal(h.t->ccv.cwnd, 8 * MSS);
	for (int i = 0; i < 4; i++)                     /* segs 4..9's dup ACKs */
		rs_ack(&h, una);
	th_expect_none(&h);                             /* nothing new to send */
	assert_int_equal(h.t->ccv.cwnd, 12 * MSS);
	assert_int_equal(h.t->st.fast_retransmits, 1);

	/* Step 5: the partial ACK acks 2000 (segs 0, 1). */
	rs_ack(&h, una + 2 * MSS);
	th_expect(&h, TH_ACK, una + 2 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_true(h.t->in_recovery);
	assert_int_equal(h.t->ccv.cwnd, 12 * MSS - 2 * MSS + MSS);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);
	assert_int_equal(h.t->partial_acks, 1);

	/* Dup ACKs for the partial ACK's point: inflate, no new fast
	 * retransmit (still in recovery for this window). */
	for (int i = 0; i < 3; i++)
		rs_ack(&h, una + 2 * MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->ccv.cwnd, 14 * MSS);
	assert_int_equal(h.t->st.fast_retransmits, 1);
	assert_true(h.t->in_recovery);

	/* Step 3: the ACK covering recover ends recovery, cwnd = ssthresh. */
	rs_ack(&h, una + 10 * MSS);
	assert_false(h.t->in_recovery);
	assert_int_equal(h.t->ccv.cwnd, 5 * MSS);
	th_expect_none(&h);
	th_free(&h);
}

/* RFC 6582 3.2 step 1 (and 4: after a retransmission timeout, recover =
 * the highest sequence sent): duplicate ACKs that do not cover more than
 * recover do not start a fast retransmit - they are the echoes of the
 * window being recovered, not a new loss. */
static void test_newreno_no_fast_retransmit_below_recover(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "newreno", 10, false, false);
	una = rs_send(&h, 10, 10);
	/* the RTO (1 s initially) fires: seg 0 again, cwnd 1 SMSS */
	th_run(&h, 1100 * SIM_MS);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_true(h.t->in_loss);
	assert_int_equal(h.t->recover, una + 10 * MSS);
	assert_int_equal(h.t->ccv.cwnd, MSS);

	/* seg 0 acked (slow start: cwnd 2, segs 1, 2 go back), then three
	 * dup ACKs below recover: no fast retransmit */
	rs_ack(&h, una + MSS);
	th_expect(&h, TH_ACK, una + MSS, h.p_nxt, MSS);
	th_expect(&h, TH_ACK, una + 2 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	for (int i = 0; i < 3; i++)
		rs_ack(&h, una + MSS);
	th_expect_none(&h);
	assert_false(h.t->in_recovery);
	assert_int_equal(h.t->st.fast_retransmits, 0);
	assert_int_equal(h.t->ccv.cwnd, 2 * MSS);
	th_free(&h);
}

/* RFC 5681 3.1: ssthresh is set by an RTO only when "the given segment has
 * not yet been resent by way of the retransmission timer": 10 segments in
 * flight, first RTO: ssthresh = 5 SMSS, cwnd = 1; the same segment times
 * out again (backed off, 2 s later): ssthresh stays 5, not 2 SMSS. */
static void test_rto_twice_keeps_ssthresh(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "newreno", 10, false, false);
	una = rs_send(&h, 10, 10);
	th_run(&h, 1100 * SIM_MS);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->st.timeouts, 1);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);
	th_run(&h, 2100 * SIM_MS);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	assert_int_equal(h.t->st.timeouts, 2);
	assert_int_equal(h.t->ccv.cwnd, MSS);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);
	th_free(&h);
}

/* An RTO during NewReno fast recovery halves the recovery window
 * (ssthresh), not cwnd inflated by duplicate ACKs; and the timer is reset
 * by the first partial ACK only (RFC 6582 4.1 "Impatient"), so with many
 * holes it fires about one RTO after that first partial ACK. */
static void test_newreno_rto_in_recovery(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "newreno", 20, false, false);
	una = rs_send(&h, 20, 20);
	/* segments 0, 2, 4, ... lost: duplicate ACKs of una */
	th_run(&h, 10 * SIM_MS);
	for (int i = 0; i < 9; i++)
		rs_ack(&h, una);
	assert_true(h.t->in_recovery);
	assert_int_equal(h.t->ccv.ssthresh, 10 * MSS);
	assert_true(h.t->ccv.cwnd > 15 * MSS);          /* inflated */
	th_drain(&h);
	/* partial ACKs every 50 ms: only the first one restarts the timer */
	sim_time_t first = h.s->now + 50 * SIM_MS;
	for (int k = 1; k < 4; k++) {
		th_run(&h, 50 * SIM_MS);
		rs_ack(&h, una + (uint32_t)(2 * k - 1) * MSS);
		th_drain(&h);
	}
	assert_int_equal(h.t->st.timeouts, 0);
	assert_true(h.t->in_recovery);
	/* 15 segments in flight, cwnd inflated to 17: halving those would
	 * give 7.5; the recovery window of 10 gives 5 */
	assert_int_equal(h.t->snd_max - h.t->snd_una, 15 * MSS);
	assert_int_equal(h.t->ccv.cwnd, 17 * MSS);
	th_run_until(&h, first + h.t->rto_cur - SIM_MS);
	assert_int_equal(h.t->st.timeouts, 0);
	th_run(&h, 2 * SIM_MS);
	assert_int_equal(h.t->st.timeouts, 1);
	assert_int_equal(h.t->ccv.cwnd, MSS);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);   /* half of 10, not of cwnd */
	th_free(&h);
}

/* RFC 6582 3.2 step 1: no fast retransmit unless the cumulative ACK
 * "covers more than recover".  segsim keeps recover = SND.MAX at the
 * start of recovery and, like ns-2 and FreeBSD, reads an ACK of exactly
 * that as not covering more. */
static void test_newreno_fast_retransmit_at_recover(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "newreno", 10, false, false);
	una = rs_send(&h, 20, 10);
	for (int i = 0; i < 3; i++)
		rs_ack(&h, una);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	for (int i = 0; i < 3; i++)                     /* cwnd 11: seg 10 */
		rs_ack(&h, una);
	th_expect(&h, TH_ACK, una + 10 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	rs_ack(&h, una + 10 * MSS);                     /* full ACK */
	assert_false(h.t->in_recovery);
	th_drain(&h);                                   /* segs 11..14 */
	/* Three duplicate ACKs exactly at recover (the ACK that ended the
	 * recovery): no second fast retransmit.  As ns-2's bugfix
	 * (highest_ack_ > recover_) and FreeBSD, a new one needs an ACK
	 * beyond recover; RFC 6582's "covers more than recover" is read
	 * the same way.  Such dup ACKs are what Tahoe's go-back-N resends
	 * draw, and a fast retransmit there would be spurious. */
	for (int i = 0; i < 3; i++)
		rs_ack(&h, una + 10 * MSS);
	assert_int_equal(h.t->st.fast_retransmits, 1);
	th_free(&h);
}

/* ---- Tahoe ---- */

/* 4.3BSD-Tahoe (Jacobson 1988; Fall & Floyd 1996 2): the third duplicate
 * ACK retransmits, sets ssthresh as RFC 5681 eq. 4 and cwnd = 1 SMSS, and
 * goes back: snd_nxt = snd_una, so slow start resends from there even
 * segments the receiver holds.  Later dup ACKs of the same window start no
 * further fast retransmit. */
static void test_tahoe_fast_retransmit_go_back(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "tahoe", 10, false, false);
	una = rs_send(&h, 10, 10);
	for (int i = 0; i < 2; i++)
		rs_ack(&h, una);
	th_expect_none(&h);
	rs_ack(&h, una);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->st.fast_retransmits, 1);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);
	assert_int_equal(h.t->ccv.cwnd, MSS);
	assert_int_equal(h.t->snd_nxt, una + MSS);      /* went back to una */
	assert_false(h.t->in_recovery);                 /* no fast recovery */

	/* more dup ACKs: nothing, no inflation, no second retransmit */
	for (int i = 0; i < 4; i++)
		rs_ack(&h, una);
	th_expect_none(&h);
	assert_int_equal(h.t->ccv.cwnd, MSS);
	assert_int_equal(h.t->st.fast_retransmits, 1);

	/* seg 0 acked: slow start (cwnd 2) from snd_una - segs 1 and 2 go
	 * again although the receiver holds them */
	rs_ack(&h, una + MSS);
	assert_int_equal(h.t->ccv.cwnd, 2 * MSS);
	th_expect(&h, TH_ACK, una + MSS, h.p_nxt, MSS);
	th_expect(&h, TH_ACK, una + 2 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);

	/* dup ACKs below the old window's end: still no fast retransmit */
	for (int i = 0; i < 3; i++)
		rs_ack(&h, una + MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->st.fast_retransmits, 1);
	th_free(&h);
}

/* ---- SACK ---- */

/* RFC 6675 5 with two holes in one window: segs 0 and 3 lost, the peer
 * SACKs 1-2 and 4-9.  IsLost(seg 0) (8 segments SACKed above: more than
 * (DupThresh - 1) * SMSS) starts recovery at the first duplicate ACK
 * (RFC 6675 5: "or IsLost(HighACK + 1)"); ssthresh = cwnd = 5 SMSS (step
 * 4.2); NextSeg rule 1 names the holes - both are retransmitted at once,
 * no partial ACK waited for - then new data while cwnd - pipe >= 1 SMSS
 * (step C).  A partial ACK keeps recovery; the ACK covering RecoveryPoint
 * ends it (5 "leaving"), cwnd = ssthresh. */
static void test_sack_two_holes_one_rtt(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "sack", 10, false, true);
	una = rs_send(&h, 20, 10);
	{
		const uint32_t b[] = { una + 4 * MSS, una + 10 * MSS, una + MSS, una + 3 * MSS };

		rs_ack_sack(&h, 0, una, 2, b);
	}
	assert_int_equal(h.t->dupacks, 1);
	assert_true(h.t->in_recovery);
	assert_int_equal(h.t->recover, una + 10 * MSS);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);
	assert_int_equal(h.t->ccv.cwnd, 5 * MSS);
	/* rule 1: the holes, lowest first */
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	th_expect(&h, TH_ACK, una + 3 * MSS, h.p_nxt, MSS);
	/* pipe = 2 (the retransmissions): three new segments */
	th_expect(&h, TH_ACK, una + 10 * MSS, h.p_nxt, MSS);
	th_expect(&h, TH_ACK, una + 11 * MSS, h.p_nxt, MSS);
	th_expect(&h, TH_ACK, una + 12 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(tcp_sack_pipe(h.t), 5 * MSS);
	assert_int_equal(h.t->high_rxt, una + 4 * MSS);

	/* seg 0's retransmission arrives: partial ACK to seg 3 - no
	 * retransmission of seg 3 again (HighRxt is past it); pipe drops by
	 * one, so one new segment */
	{
		const uint32_t b[] = { una + 4 * MSS, una + 10 * MSS };

		rs_ack_sack(&h, 0, una + 3 * MSS, 1, b);
	}
	assert_true(h.t->in_recovery);
	assert_int_equal(h.t->ccv.cwnd, 5 * MSS);
	th_expect(&h, TH_ACK, una + 13 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);

	/* seg 3's retransmission: the ACK covers RecoveryPoint */
	rs_ack_sack(&h, 0, una + 10 * MSS, 0, NULL);
	assert_false(h.t->in_recovery);
	assert_int_equal(h.t->ccv.cwnd, 5 * MSS);
	assert_int_equal(h.t->sb.n, 0);
	/* flight 4 (segs 10..13), cwnd 5: one more */
	th_expect(&h, TH_ACK, una + 14 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->st.fast_retransmits, 1);
	th_free(&h);
}

/* RFC 6675 5: no recovery while IsLost(HighACK + 1) is false and fewer
 * than DupThresh dup ACKs came - one SACKed segment is a reordering, not
 * a loss; 4 (IsLost): DupThresh discontiguous SACKed sequences above also
 * make it lost. */
static void test_sack_islost_threshold(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "sack", 10, false, true);
	una = rs_send(&h, 10, 10);
	{
		const uint32_t b[] = { una + MSS, una + 3 * MSS };      /* 2 SMSS */

		rs_ack_sack(&h, 0, una, 1, b);
	}
	assert_false(h.t->in_recovery);
	assert_false(tcp_sack_is_lost(h.t, una));
	th_expect_none(&h);
	/* three discontiguous blocks above seg 0, 3 SMSS in all... */
	{
		const uint32_t b[] = { una + 5 * MSS, una + 6 * MSS, una + 1 * MSS,
				       una + 3 * MSS };

		rs_ack_sack(&h, 0, una, 2, b);
	}
	assert_true(tcp_sack_is_lost(h.t, una));
	assert_true(h.t->in_recovery);
	assert_int_equal(h.t->dupacks, 2);              /* before the third */
	th_free(&h);
}

/* RFC 6675 5 step 4.3: on entering recovery, "retransmit the first data
 * segment presumed dropped" - unconditionally, before (C)'s cwnd - pipe
 * check; HighRxt then covers it.  The brief's case: seg 0 lost, segs 1..4
 * SACKed of 10 in flight.  ssthresh = cwnd = 5 SMSS, and pipe (segs 5..9
 * not lost) = 5 SMSS, so segsim, which retransmits only through
 * sack_recovery_output's cwnd - pipe >= SMSS loop (tcp_input.c
 * enter_recovery, CC_RECOVERY_SACK case), sends nothing: the fast
 * retransmit waits for more dup ACKs (here 1 more; with 3 dup ACKs each
 * SACKing one segment, pipe is 6 SMSS and it waits for 2). */
static void test_sack_enter_retransmits_at_once(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "sack", 10, false, true);
	una = rs_send(&h, 20, 10);
	{
		const uint32_t b[] = { una + MSS, una + 5 * MSS };

		rs_ack_sack(&h, 0, una, 1, b);
	}
	assert_true(h.t->in_recovery);
	assert_int_equal(h.t->ccv.cwnd, 5 * MSS);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	th_expect_none(&h);
	th_free(&h);
}

/* RFC 6675 5 (C) with the brief's case, where the rule-(C) loop agrees
 * with 4.3: seg 0 lost, segs 1..4 SACKed; each further SACK (segs 5, 6...)
 * takes one segment out of pipe.  Once cwnd - pipe >= SMSS NextSeg rule 1
 * names seg 0 (the only hole), then rule 2 new data - never a SACKed
 * segment. */
static void test_sack_pipe_clocks_out(void **state)
{
	struct th h;
	uint32_t una;
	uint64_t r0;

	(void)state;
	rs_setup(&h, "sack", 10, false, true);
	una = rs_send(&h, 20, 10);
	{
		const uint32_t b[] = { una + MSS, una + 5 * MSS };

		rs_ack_sack(&h, 0, una, 1, b);
	}
	assert_true(h.t->in_recovery);                  /* 1st dup ACK */
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);
	assert_int_equal(h.t->ccv.cwnd, 5 * MSS);
	r0 = h.t->st.retransmits;      /* RFC 6675 4.3: seg 0 goes at entry */
	assert_int_equal(r0, 1);
	/* segs 5..9 in flight, and seg 0 again (below HighRxt: SetPipe
	 * counts a retransmitted segment) */
	assert_int_equal(tcp_sack_pipe(h.t), 6 * MSS);
	th_drain(&h);
	{
		const uint32_t b[] = { una + MSS, una + 6 * MSS };

		rs_ack_sack(&h, 0, una, 1, b);
	}
	/* seg 5 SACKed: pipe 5 MSS = cwnd, nothing may go (rule C) */
	th_expect_none(&h);
	assert_int_equal(h.t->high_rxt, una + MSS);
	assert_int_equal(tcp_sack_pipe(h.t), 5 * MSS);
	{
		const uint32_t b[] = { una + MSS, una + 7 * MSS };

		rs_ack_sack(&h, 0, una, 1, b);
	}
	/* seg 6 SACKed: pipe 4 MSS, one segment - the only hole is already
	 * retransmitted, so NextSeg rule 2: new data, never a SACKed one */
	th_expect(&h, TH_ACK, una + 10 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(tcp_sack_pipe(h.t), 5 * MSS);
	assert_true(SEQ_GEQ(h.t->snd_max, una + 11 * MSS));
	assert_int_equal(h.t->st.fast_retransmits, 1);
	th_free(&h);
}

/* ---- Limited Transmit ---- */

/* RFC 3042 2: on each of the first two duplicate ACKs one new segment
 * goes (if the peer's window allows), cwnd unchanged; the third starts
 * fast retransmit as usual, FlightSize now counting those two segments
 * (segsim: min(cwnd, FlightSize) = cwnd is halved). */
static void test_limited_transmit(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "reno", 10, true, false);
	una = rs_send(&h, 20, 10);
	rs_ack(&h, una);
	th_expect(&h, TH_ACK, una + 10 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->ccv.cwnd, 10 * MSS);
	rs_ack(&h, una);
	th_expect(&h, TH_ACK, una + 11 * MSS, h.p_nxt, MSS);
	th_expect_none(&h);
	assert_int_equal(h.t->ccv.cwnd, 10 * MSS);
	assert_int_equal(h.t->st.limited_transmits, 2);
	rs_ack(&h, una);
	th_expect(&h, TH_ACK, una, h.p_nxt, MSS);       /* fast retransmit */
	th_expect_none(&h);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);   /* min(10000, 12000) / 2 */
	assert_int_equal(h.t->ccv.cwnd, 8 * MSS);
	assert_int_equal(h.t->lt_extra, 0);
	th_free(&h);
}

/* RFC 3042 2: the extra segments are new data only and the limit is
 * cwnd + 2 SMSS, never more - with nothing more written, nothing goes. */
static void test_limited_transmit_needs_new_data(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup(&h, "reno", 10, true, false);
	una = rs_send(&h, 10, 10);
	rs_ack(&h, una);
	rs_ack(&h, una);
	th_expect_none(&h);
	assert_int_equal(h.t->ccv.cwnd, 10 * MSS);
	assert_int_equal(h.t->st.limited_transmits, 0);
	th_free(&h);
}

/* ---- ECN ---- */

static void rs_setup_ecn(struct th *h, uint32_t iw)
{
	th_init(h);
	snprintf(h->conf.cc, sizeof h->conf.cc, "%s", "reno");
	h->conf.mss = MSS;
	h->conf.opt_ts = false;
	h->conf.init_cwnd = iw;
	h->conf.limited_transmit = false;
	h->conf.ecn = true;
	h->popt.mss = MSS;
	h->popt.present &= ~TCPOF_SACK_PERM;
	th_listen(h);
	/* RFC 3168 6.1.1: an ECN-setup SYN (ECE, CWR), answered by an
	 * ECN-setup SYN-ACK (ECE alone) */
	th_send_syn(h, TH_SYN | TH_ECE | TH_CWR, 0);
	h->t = th_lookup(h);
	assert_non_null(h->t);
	th_expect(h, TH_SYN | TH_ACK | TH_ECE, h->conf.isn, h->p_iss + 1, 0);
	h->p_ack = h->conf.isn + 1;
	th_send_next(h, 0, 0);
	assert_int_equal(h->t->state, TCPS_ESTABLISHED);
	assert_true(h->t->ecn_on);
	th_expect_none(h);
}

/* RFC 3168 6.1.2: an ECE ACK is a congestion signal: ssthresh =
 * max(FlightSize / 2, 2 SMSS) (segsim: min(cwnd, FlightSize)), cwnd =
 * ssthresh, nothing retransmitted; at most once per window of data (a
 * second ECE before the reduction's window is acked does nothing); the
 * first new data segment after it carries CWR (6.1.2, 6.1.5: exactly
 * one).  6.1.5: new data is ECT, retransmissions are not. */
static void test_ecn_ece_halves_once(void **state)
{
	struct th h;
	struct packet *p;
	uint32_t una, ssthresh;

	(void)state;
	rs_setup_ecn(&h, 10);
	assert_int_equal(tcp_write(h.s, h.t, 20 * MSS, true, false), 20 * MSS);
	una = h.p_ack;
	for (uint32_t i = 0; i < 10; i++) {
		p = th_expect(&h, TH_ACK, una + i * MSS, h.p_nxt, MSS);
		assert_int_equal(p->ecn, ECN_ECT0);
		assert_false(p->tcp.flags & TH_CWR);
	}
	th_expect_none(&h);

	/* an ECE on a duplicate-free ACK that acks nothing new would be a
	 * dup ACK; put it on the ACK of seg 0 */
	rs_ack_sack(&h, TH_ECE, una + MSS, 0, NULL);
	assert_int_equal(h.t->st.ecn_reductions, 1);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);  /* min(10000, 10000) / 2 */
	ssthresh = h.t->ccv.ssthresh;
	assert_true(h.t->ccv.cwnd >= ssthresh);
	th_expect_none(&h);                             /* flight 9 > cwnd: none */
	assert_int_equal(h.t->st.retransmits, 0);

	/* segs 1..5 acked: room for new data; the first carries CWR */
	rs_ack(&h, una + 6 * MSS);
	p = th_expect(&h, TH_ACK | TH_CWR, una + 10 * MSS, h.p_nxt, MSS);
	assert_int_equal(p->ecn, ECN_ECT0);
	while ((p = th_pop(&h)) != NULL) {
		assert_false(p->tcp.flags & TH_CWR);
		assert_int_equal(p->ecn, ECN_ECT0);
	}
	assert_int_equal(h.t->st.cwr_sent, 1);

	/* a second ECE within the same window (snd_una below the point the
	 * reduction was made at): no second reduction */
	rs_ack_sack(&h, TH_ECE, una + 7 * MSS, 0, NULL);
	assert_int_equal(h.t->st.ecn_reductions, 1);
	assert_int_equal(h.t->ccv.ssthresh, ssthresh);
	th_drain(&h);
	th_free(&h);
}

/* RFC 3168 6.1.2: "the TCP source halves the congestion window ... The
 * sending TCP SHOULD NOT increase the congestion window in response to
 * the receipt of an ECN-Echo ACK packet."  segsim halves in ack_input
 * (cwnd = ssthresh), then new_ack() grows it again for the same ACK's
 * acked bytes (cc->ack_received, congestion avoidance: + SMSS^2/cwnd). */
static void test_ecn_ece_ack_does_not_grow_cwnd(void **state)
{
	struct th h;
	uint32_t una;

	(void)state;
	rs_setup_ecn(&h, 10);
	una = rs_send(&h, 20, 10);
	rs_ack_sack(&h, TH_ECE, una + MSS, 0, NULL);
	assert_int_equal(h.t->ccv.ssthresh, 5 * MSS);
	assert_int_equal(h.t->ccv.cwnd, 5 * MSS);
	th_free(&h);
}

/* RFC 3168 6.1.5: "the TCP data sender MUST NOT set either ECT codepoint
 * in the IP header of retransmitted data packets"; a fast retransmit
 * after ECN-capable data is Not-ECT. */
static void test_ecn_retransmission_not_ect(void **state)
{
	struct th h;
	struct packet *p;
	uint32_t una;

	(void)state;
	rs_setup_ecn(&h, 10);
	assert_int_equal(tcp_write(h.s, h.t, 10 * MSS, true, false), 10 * MSS);
	una = h.p_ack;
	for (uint32_t i = 0; i < 10; i++) {
		p = th_expect(&h, TH_ACK, una + i * MSS, h.p_nxt, MSS);
		assert_int_equal(p->ecn, ECN_ECT0);
	}
	for (int i = 0; i < 3; i++)
		rs_ack(&h, una);
	p = th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	assert_int_equal(p->ecn, ECN_NOT_ECT);
	assert_false(p->tcp.flags & TH_CWR);
	th_expect_none(&h);
	/* and the RTO's retransmission too */
	th_run(&h, 1100 * SIM_MS);
	p = th_expect(&h, TH_ACK, una, h.p_nxt, MSS);
	assert_int_equal(p->ecn, ECN_NOT_ECT);
	th_free(&h);
}

/* RFC 6675 SetPipe walked a segment at a time, as the RFC reads: the
 * reference tcp_sack_pipe's counting must equal to the octet. */
static uint32_t ref_pipe(const struct tcb *t)
{
	uint32_t pipe = 0, seg = t->mss;

	for (uint32_t s = t->snd_una; SEQ_LT(s, t->snd_max); ) {
		uint32_t len = t->snd_max - s < seg ? t->snd_max - s : seg;

		if (!tcp_sack_is_sacked(t, s)) {
			if (!tcp_sack_is_lost(t, s))
				pipe += len;
			if (SEQ_LT(s, t->high_rxt))
				pipe += len;
		}
		s += len;
	}
	return pipe;
}

static void test_sack_pipe_counted_as_walked(void **state)
{
	struct tcp_conf conf;
	struct tcb *t = calloc(1, sizeof *t);
	uint64_t x = 88172645463325252ull;      /* xorshift64 */
	(void)state;

#define NEXT() (x ^= x << 13, x ^= x >> 7, x ^= x << 17, x)
	assert_non_null(t);
	tcp_conf_defaults(&conf);
	t->conf = &conf;
	for (int c = 0; c < 200000; c++) {
		uint32_t w, pos;

		conf.dupthresh = 1 + (uint32_t)(NEXT() % 4);
		t->mss = 1 + (uint32_t)(NEXT() % 1500);
		t->snd_una = (uint32_t)NEXT();          /* wraps, too */
		w = (uint32_t)(NEXT() % (40u * t->mss + 1));
		t->snd_max = t->snd_una + w;
		t->high_rxt = t->snd_una + (uint32_t)(NEXT() % (w + 2)) - 1;
		/* sorted disjoint ranges, some starting below snd_una */
		t->sb.n = 0;
		pos = (uint32_t)(NEXT() % (t->mss + 1));
		while (t->sb.n < TCP_SB_MAX && w && pos < w) {
			uint32_t gap = (uint32_t)(NEXT() % (2 * t->mss + 1));
			uint32_t len = 1 + (uint32_t)(NEXT() % (3 * t->mss));

			if (pos + gap >= w)
				break;
			if (pos + gap + len > w)
				len = w - pos - gap;
			t->sb.r[t->sb.n].start = t->snd_una + pos + gap;
			t->sb.r[t->sb.n].end = t->snd_una + pos + gap + len;
			if (t->sb.n == 0 && NEXT() % 8 == 0)
				t->sb.r[0].start -= 5;  /* straddles snd_una */
			t->sb.n++;
			pos += gap + len + 1;
		}
		if (tcp_sack_pipe(t) != ref_pipe(t))
			fail_msg("case %d: pipe %u, walked %u (mss %u, window %u, %u ranges)", c,
				 tcp_sack_pipe(t), ref_pipe(t), t->mss, w, t->sb.n);
	}
#undef NEXT
	free(t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_reno_fast_recovery),
		cmocka_unit_test(test_reno_partial_ack_leaves_recovery),
		cmocka_unit_test(test_newreno_partial_and_full_ack),
		cmocka_unit_test(test_newreno_no_fast_retransmit_below_recover),
		cmocka_unit_test(test_rto_twice_keeps_ssthresh),
		cmocka_unit_test(test_newreno_rto_in_recovery),
		cmocka_unit_test(test_newreno_fast_retransmit_at_recover),
		cmocka_unit_test(test_tahoe_fast_retransmit_go_back),
		cmocka_unit_test(test_sack_two_holes_one_rtt),
		cmocka_unit_test(test_sack_islost_threshold),
		cmocka_unit_test(test_sack_enter_retransmits_at_once),
		cmocka_unit_test(test_sack_pipe_clocks_out),
		cmocka_unit_test(test_sack_pipe_counted_as_walked),
		cmocka_unit_test(test_limited_transmit),
		cmocka_unit_test(test_limited_transmit_needs_new_data),
		cmocka_unit_test(test_ecn_ece_halves_once),
		cmocka_unit_test(test_ecn_ece_ack_does_not_grow_cwnd),
		cmocka_unit_test(test_ecn_retransmission_not_ect),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
