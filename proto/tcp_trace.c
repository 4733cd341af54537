/*
 * tcp_trace.c - flows/NAME.tsv: one row whenever a traced variable changes.
 *
 * Columns (contract, DESIGN.md, extended by the congestion-control issue):
 * time cwnd ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight state
 * cstate.  Sizes in bytes; snd_una and snd_nxt
 * relative to the ISN; srtt, rttvar and rto in seconds; ssthresh "inf"
 * while unlimited (gnuplot leaves a gap); rwnd is the window the peer
 * offers; inflight is snd_max - snd_una; state is the RFC name; cstate the
 * congestion state (Linux's names): open, disorder (duplicate ACKs below
 * the threshold), cwr (after an ECN reduction), recovery (fast recovery),
 * loss (after a timeout, or Tahoe's fast retransmit).
 */

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include "tcp_internal.h"
#include "trace.h"

enum tcp_cstate tcp_cstate_of(const struct tcb *t)
{
	if (t->in_loss)
		return TCP_CS_LOSS;
	if (t->in_recovery)
		return TCP_CS_RECOVERY;
	if (t->ecn_on && SEQ_LT(t->snd_una, t->ecn_cwr_until))
		return TCP_CS_CWR;
	if (t->dupacks > 0)
		return TCP_CS_DISORDER;
	return TCP_CS_OPEN;
}

void tcp_trace_row(struct sim *s, struct tcb *t)
{
	uint64_t v[12];
	bool same = true;

	if (!t->trace)
		return;
	v[0] = t->ccv.cwnd;
	v[1] = t->ccv.ssthresh;
	v[2] = (uint64_t)t->rtt.srtt;
	v[3] = (uint64_t)t->rtt.rttvar;
	v[4] = (uint64_t)t->rto_cur;
	v[5] = t->snd_una - t->iss;
	v[6] = t->snd_nxt - t->iss;
	v[7] = t->snd_wnd;
	v[8] = t->snd_max - t->snd_una;
	v[9] = (uint64_t)t->state;
	v[10] = 1;                      /* marks "written once" */
	v[11] = tcp_cstate_of(t);
	for (int i = 0; i < 12; i++)
		if (v[i] != t->trace_last[i])
			same = false;
	if (same)
		return;
	for (int i = 0; i < 12; i++)
		t->trace_last[i] = v[i];
	/* One row, built by hand and written once (no printf: this runs on
	 * every ACK of every traced flow). */
	char row[256], *p = row;
	const char *w;

	p = trace_put_time(p, s->now);
	*p++ = '\t';
	p = trace_put_u64(p, t->ccv.cwnd);
	*p++ = '\t';
	if (t->ccv.ssthresh == UINT32_MAX) {
		memcpy(p, "inf", 3);
		p += 3;
	} else {
		p = trace_put_u64(p, t->ccv.ssthresh);
	}
	*p++ = '\t';
	p = trace_put_time(p, t->rtt.srtt);
	*p++ = '\t';
	p = trace_put_time(p, t->rtt.rttvar);
	*p++ = '\t';
	p = trace_put_time(p, t->rto_cur);
	*p++ = '\t';
	p = trace_put_u64(p, t->snd_una - t->iss);
	*p++ = '\t';
	p = trace_put_u64(p, t->snd_nxt - t->iss);
	*p++ = '\t';
	p = trace_put_u64(p, t->snd_wnd);
	*p++ = '\t';
	p = trace_put_u64(p, t->snd_max - t->snd_una);
	*p++ = '\t';
	for (w = tcp_state_names[t->state]; *w; w++)
		*p++ = *w;
	*p++ = '\t';
	for (w = tcp_cstate_names[tcp_cstate_of(t)]; *w; w++)
		*p++ = *w;
	*p++ = '\n';
	fwrite(row, 1, (size_t)(p - row), t->trace);
}
