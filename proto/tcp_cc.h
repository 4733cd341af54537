/*
 * tcp_cc.h - congestion control behind an ops table.
 *
 * Modelled on FreeBSD's cc_algo and Linux's tcp_congestion_ops: an algorithm
 * sees a narrow `struct cc_var` (the window variables it may change and the
 * facts it may read), never the whole control block, and is told what
 * happened through a typed signal.  The mechanics of loss recovery (counting
 * duplicate ACKs, retransmitting, the recovery point) live in tcp_input.c;
 * the algorithm decides the window arithmetic.  Reno's rules are exported as
 * helpers (cc_reno_*) for algorithms that reuse them.
 *
 * Hooks marked (required) must be set; tcp_cc_find() only returns tables
 * that have them.  Adding an algorithm = one cc_NAME.c + one registry line.
 */
#ifndef SEGSIM_TCP_CC_H
#define SEGSIM_TCP_CC_H

#include <stdint.h>
#include <stdbool.h>
#include "sim.h"

enum cc_signal {
	CC_NDUPACK,             /* dupthresh duplicate ACKs: fast retransmit */
	CC_RTO,                 /* retransmission timeout */
	CC_ECN,                 /* ECN-Echo: reduce at most once per window */
};

struct cc_var {
	/* the algorithm's to change */
	uint32_t cwnd;          /* bytes */
	uint32_t ssthresh;      /* bytes; UINT32_MAX: unlimited */
	/* facts */
	uint32_t mss;           /* sender MSS, bytes */
	uint32_t flight;        /* bytes in flight when the hook is called */
	uint32_t init_cwnd;     /* initial window, bytes (RFC 5681 3.1 IW) */
	sim_time_t now;
	sim_time_t srtt;        /* 0 before the first sample */
	sim_time_t last_rtt;    /* the latest RTT sample (0: none yet) */
	sim_time_t min_rtt;     /* the smallest RTT sample seen (0: none) */
	uint32_t snd_una, snd_nxt; /* sequence numbers, for once-per-RTT logic */
	uint32_t rwnd;          /* the peer's window, bytes */
	bool abc;               /* RFC 3465 byte counting */
	uint32_t bytes_acked;   /* ABC accumulator in congestion avoidance */
	uint32_t ca_rem;        /* congestion avoidance: the fraction of a
				   byte owed, as a remainder of SMSS^2/cwnd */
	void *priv;             /* ops->priv_size bytes */
};

/* How losses signalled by duplicate ACKs are recovered from (the core's
 * mechanics; the algorithm's window arithmetic is the hooks below). */
enum cc_recovery {
	CC_RECOVERY_RENO = 0,   /* fast retransmit + fast recovery, leave it on
				   the first new ACK (RFC 5681 3.2) */
	CC_RECOVERY_TAHOE,      /* fast retransmit, then cwnd = 1 MSS and go
				   back to snd_una (4.3BSD-Tahoe) */
	CC_RECOVERY_NEWRENO,    /* partial ACKs keep recovery going (RFC 6582) */
	CC_RECOVERY_SACK,       /* RFC 6675 on the SACK scoreboard (NewReno
				   when the peer does not do SACK) */
};

struct tcp_cc_ops {
	const char *name;
	size_t priv_size;
	enum cc_recovery recovery;
	/* (required) set cwnd and ssthresh for a new connection */
	void (*init)(struct cc_var *cv);
	/* (required) `acked` bytes of new data were acknowledged outside loss
	 * recovery: grow the window */
	void (*ack_received)(struct cc_var *cv, uint32_t acked);
	/* (required) congestion was detected */
	void (*cong_signal)(struct cc_var *cv, enum cc_signal sig);
	/* (optional) loss recovery ended (the recovery point was acked) */
	void (*post_recovery)(struct cc_var *cv);
	/* (optional) the connection was idle for more than an RTO */
	void (*after_idle)(struct cc_var *cv);
	/* (optional) a new RTT sample (last_rtt, min_rtt already updated) */
	void (*rtt_sample)(struct cc_var *cv);
};

extern const struct tcp_cc_ops *const tcp_cc_registry[];
const struct tcp_cc_ops *tcp_cc_find(const char *name);

/* Reno's rules (RFC 5681), for reuse. */
void cc_reno_init(struct cc_var *cv);
void cc_reno_ack_received(struct cc_var *cv, uint32_t acked);
void cc_reno_cong_signal(struct cc_var *cv, enum cc_signal sig);
void cc_reno_post_recovery(struct cc_var *cv);
void cc_reno_after_idle(struct cc_var *cv);

extern const struct tcp_cc_ops reno_cc_ops;
extern const struct tcp_cc_ops tahoe_cc_ops;
extern const struct tcp_cc_ops newreno_cc_ops;
extern const struct tcp_cc_ops sack_cc_ops;
extern const struct tcp_cc_ops cubic_cc_ops;    /* cc_cubic.c, RFC 9438 */
extern const struct tcp_cc_ops vegas_cc_ops;    /* cc_vegas.c */
extern const struct tcp_cc_ops fixed_cc_ops;    /* cc_fixed.c */

#endif
