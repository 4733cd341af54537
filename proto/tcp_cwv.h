/*
 * tcp_cwv.h - what happens to cwnd while the sender does not use it:
 * congestion window validation, one of three policies (`cwv:` in YAML).
 *
 *   rfc5681  (default) restart from min(IW, cwnd) after an idle period
 *            longer than an RTO (RFC 5681 4.1), through the algorithm's
 *            after_idle hook (CUBIC and Vegas have their own)
 *   rfc7661  "New CWV": keep cwnd through rate-limited and idle periods
 *            for up to the Non-Validated Period (5 minutes), do not grow a
 *            window the sender is not using, and after a loss in that
 *            phase fall back to what was really in use
 *   none     keep cwnd, grow it regardless (ns-2's default, and what a
 *            teaching scenario may want to show the problem)
 *
 * The sender side only; tcp_input.c and tcp_output.c call the hooks below.
 */
#ifndef SEGSIM_TCP_CWV_H
#define SEGSIM_TCP_CWV_H

#include <stdint.h>
#include <stdbool.h>
#include "sim.h"
#include "tcp_conf.h"

struct tcb;

/* RFC 7661 state, inside the tcb (all zero: nothing measured yet). */
struct tcp_cwv {
	bool sampling;                  /* a pipeACK sample period is open */
	sim_time_t sample_start;
	uint32_t sample_una;            /* snd_una when it opened */
	/* running maximum of the pipeACK samples over the sampling period:
	 * best, second and third best in later and later windows (Nichols'
	 * windowed filter), each (time, bytes) */
	uint8_t nmax;                   /* 0: pipeACK undefined */
	sim_time_t max_t[3];
	uint32_t max_v[3];
	bool nvp;                       /* in the non-validated phase */
	sim_time_t nvp_since;
	bool loss_in_nvp;               /* a recovery began in the NVP */
	uint32_t loss_flight;           /* LossFlightSize */
	uint64_t loss_rexmit;           /* bytes retransmitted before it */
};

/* New data was acknowledged (snd_una already moved). */
void tcp_cwv_ack(struct sim *s, struct tcb *t);
/* May the congestion-avoidance/slow-start rules grow cwnd on this ACK? */
bool tcp_cwv_may_grow(const struct tcb *t);
/* New data is about to go out with nothing in flight. */
void tcp_cwv_before_send(struct sim *s, struct tcb *t);
/* Loss recovery begins / ended (after the algorithm set cwnd). */
void tcp_cwv_loss(struct tcb *t);
void tcp_cwv_recovered(struct sim *s, struct tcb *t);
/* The pipeACK variable in bytes (0 when undefined or expired). */
uint32_t tcp_cwv_pipeack(const struct tcb *t, sim_time_t now);

#endif
