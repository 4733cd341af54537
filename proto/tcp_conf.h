/*
 * tcp_conf.h - one TCP endpoint's settings: plain data, filled from the
 * scenario (sim/scenario.c) and read by proto/tcp*.c.  Defaults are in
 * tcp_conf_defaults() (tcp_conf.c); docs/scenario.md lists the YAML keys.
 */
#ifndef SEGSIM_TCP_CONF_H
#define SEGSIM_TCP_CONF_H

#include <stdint.h>
#include <stdbool.h>

typedef int64_t sim_time_t;

struct tcp_rtt_conf {
	char name[16];          /* "rfc6298" (default), "jacobson88", "rfc793" */
	sim_time_t rto_initial; /* default 1 s (RFC 6298 2.1) */
	sim_time_t rto_min;     /* default 1 s (RFC 6298 2.4) */
	sim_time_t rto_max;     /* default 60 s (RFC 6298 2.5) */
	sim_time_t granularity; /* G, default 1 ms */
	double alpha, beta;     /* rfc793: default 0.875 and 2.0 */
};

enum tcp_isn_mode { TCP_ISN_RANDOM = 0, TCP_ISN_CLOCK, TCP_ISN_FIXED, TCP_ISN_BSD };
enum tcp_rx_mode { TCP_RX_REASSEMBLE = 0, TCP_RX_GBN };
enum tcp_cwv_mode { TCP_CWV_RFC5681 = 0, TCP_CWV_RFC7661, TCP_CWV_NONE };

struct tcp_conf {
	/* segments and options (each negotiated only if both ends enable it) */
	uint32_t mss;                   /* MSS we advertise and use (1460) */
	bool opt_mss;                   /* send the MSS option (true); without
					   it the peer assumes 536 */
	bool opt_wscale;                /* RFC 7323 window scale (true) */
	bool opt_ts;                    /* RFC 7323 timestamps (true) */
	bool opt_sack;                  /* RFC 2018 SACK-permitted (true) */
	bool tfo;                       /* RFC 7413 Fast Open (false) */

	/* buffers and flow control */
	uint32_t sndbuf;                /* bytes (256 KiB) */
	uint32_t rcvbuf;                /* bytes (256 KiB) */
	enum tcp_rx_mode rx_mode;       /* reassemble, or gbn: discard out-of-order */
	bool nodelay;                   /* disable Nagle (false) */
	bool sws_receiver;              /* Clark: advertise in MSS or buf/2 steps */
	bool sws_sender;                /* RFC 1122 4.2.3.4 sender SWS avoidance */
	sim_time_t delack;              /* delayed ACK timeout, 0: ACK every segment
					   (200 ms) */
	uint32_t ack_every;             /* ACK at least every N full segments (2) */

	/* connection management */
	enum tcp_isn_mode isn_mode;     /* random (seeded RNG), clock (RFC 793:
					   one per 4 us), bsd (4.4BSD's tcp_iss),
					   fixed */
	uint32_t isn;                   /* the ISN with isn_mode fixed */
	sim_time_t msl;                 /* TIME-WAIT lasts 2*MSL (30 s) */
	sim_time_t connect_timeout;     /* give up an open after (75 s) */
	sim_time_t fin_wait2_timeout;   /* 0: wait forever (60 s, Linux) */
	uint32_t max_retries;           /* data retransmissions before abort (15) */
	uint32_t backlog;               /* accept queue (128) */
	uint32_t syn_backlog;           /* SYN queue (128) */
	bool keepalive;                 /* (false) */
	sim_time_t keepalive_idle;      /* (2 h) */
	sim_time_t keepalive_intvl;     /* (75 s) */
	uint32_t keepalive_probes;      /* (9) */

	/* timers */
	struct tcp_rtt_conf rtt;
	sim_time_t timer_tick;          /* 0: exact timers; else BSD-style coarse
					   tick, e.g. 500 ms */

	/* congestion control */
	char cc[16];                    /* "reno" */
	uint32_t init_cwnd;             /* segments; 0: RFC 3390 rule (4 KB) */
	uint32_t init_ssthresh;         /* bytes; 0: unlimited */
	uint32_t dupthresh;             /* duplicate ACKs for fast retransmit (3) */
	bool abc;                       /* RFC 3465 byte counting (false) */
	bool limited_transmit;          /* RFC 3042 (true) */
	bool ecn;                       /* RFC 3168 ECN (false) */
	enum tcp_cwv_mode cwv;          /* cwnd while unused (rfc5681 restart;
					   tcp_cwv.h) */
	sim_time_t cwv_nvp;             /* RFC 7661 Non-Validated Period (300 s) */
};

/* Every default (see the comments above); also the rtt part. */
void tcp_conf_defaults(struct tcp_conf *c);

#endif
