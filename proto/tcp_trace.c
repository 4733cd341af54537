/*
 * tcp_trace.c - flows/NAME.tsv: one row whenever a traced variable changes.
 *
 * Columns (contract, DESIGN.md): time cwnd ssthresh srtt rttvar rto snd_una
 * snd_nxt rwnd inflight state.  Sizes in bytes; snd_una and snd_nxt
 * relative to the ISN; srtt, rttvar and rto in seconds; ssthresh "inf"
 * while unlimited (gnuplot leaves a gap); rwnd is the window the peer
 * offers; inflight is snd_max - snd_una; state is the RFC name.
 */
#include <inttypes.h>
#include <stdio.h>
#include "tcp_internal.h"
#include "trace.h"

void tcp_trace_row(struct sim *s, struct tcb *t)
{
	uint64_t v[11];
	char ts[32], srtt[32], rttvar[32], rto[32], ssth[24];
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
	for (int i = 0; i < 11; i++)
		if (v[i] != t->trace_last[i])
			same = false;
	if (same)
		return;
	for (int i = 0; i < 11; i++)
		t->trace_last[i] = v[i];
	trace_fmt_time(ts, s->now);
	trace_fmt_time(srtt, t->rtt.srtt);
	trace_fmt_time(rttvar, t->rtt.rttvar);
	trace_fmt_time(rto, t->rto_cur);
	if (t->ccv.ssthresh == UINT32_MAX)
		snprintf(ssth, sizeof ssth, "inf");
	else
		snprintf(ssth, sizeof ssth, "%" PRIu32, t->ccv.ssthresh);
	fprintf(t->trace, "%s\t%" PRIu32 "\t%s\t%s\t%s\t%s\t%" PRIu32 "\t%" PRIu32
		"\t%" PRIu32 "\t%" PRIu32 "\t%s\n", ts, t->ccv.cwnd, ssth, srtt, rttvar, rto,
		t->snd_una - t->iss, t->snd_nxt - t->iss, t->snd_wnd,
		t->snd_max - t->snd_una, tcp_state_names[t->state]);
}
