/*
 * tcp_rtt.h - round-trip time estimators and the retransmission timeout,
 * behind an ops table (seed 000: original EWMA, Jacobson/Karels, RFC 6298).
 *
 *   rfc6298     SRTT/RTTVAR with gains 1/8 and 1/4, RTO = SRTT +
 *               max(G, 4 RTTVAR), clamped to [rto_min, rto_max]; backoff
 *               doubles the RTO (RFC 6298 2, 5.5).
 *   jacobson88  Jacobson & Karels 1988 as 4.3BSD-Reno implements it: the same
 *               gains, RTO = SRTT + 4 RTTVAR without G; before any sample
 *               SRTT = 0 and RTTVAR = rto_initial / 2, and the first timer is
 *               rto_initial - so with rto_initial 6 s a SYN is resent after
 *               6 s, then 24 s, then 48 s (seed 002, figure 18.6).
 *   rfc793      the original: SRTT = alpha SRTT + (1 - alpha) R,
 *               RTO = min(UBOUND, max(LBOUND, beta SRTT)) with LBOUND =
 *               rto_min and UBOUND = rto_max (RFC 793 3.7).
 * Karn's algorithm (no samples from retransmitted segments, unless from
 * timestamps) is the caller's: it only feeds valid samples.
 */
#ifndef SEGSIM_TCP_RTT_H
#define SEGSIM_TCP_RTT_H

#include <stdbool.h>
#include <stdint.h>
#include "sim.h"
#include "tcp_conf.h"

struct tcp_rtt {
	const struct tcp_rtt_conf *conf;
	sim_time_t srtt, rttvar;        /* 0 before the first sample (but
					   jacobson88: rttvar rto_initial / 2) */
	sim_time_t rto;                 /* current base RTO, not backed off */
	bool has_sample;
	uint64_t samples;
	sim_time_t last_sample;         /* the last R, for traces */
};

struct tcp_rtt_ops {
	const char *name;
	/* (required) state before any sample; sets rto */
	void (*init)(struct tcp_rtt *r);
	/* (required) a valid measurement R > 0 */
	void (*sample)(struct tcp_rtt *r, sim_time_t R);
	/* (required) the timeout after `shift` consecutive expirations */
	sim_time_t (*timeout)(const struct tcp_rtt *r, int shift);
};

extern const struct tcp_rtt_ops *const tcp_rtt_registry[];
const struct tcp_rtt_ops *tcp_rtt_find(const char *name);


#endif
