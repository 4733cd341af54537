/*
 * tcp.h - TCP (RFC 9293, with RFC 1122, 6298, 7323, 2018, 5961, 7413):
 * configuration, the control block, and the user calls.
 *
 * Files, in the order a segment meets them:
 *   tcp.c         control block lifecycle, demultiplexing, user calls
 *                 (listen/connect/write/read/shutdown/close/abort)
 *   tcp_input.c   tcp_input(): the state machine, RFC 9293 3.10.7
 *   tcp_output.c  tcp_output(): what to send now (data, SYN, FIN, ACK, window
 *                 updates, probes), Nagle, sender SWS avoidance, options
 *   tcp_timer.c   retransmission, persist, delayed ACK, keepalive, 2MSL,
 *                 FIN_WAIT_2 and connect timers; the coarse BSD tick
 *   tcp_rtt.c     RTT estimators (tcp_rtt.h)
 *   tcp_opt.c     option parsing and building (tcp_opt.h)
 *   tcp_reass.c   out-of-order queue and the SACK blocks we send
 *   cc_*.c        congestion control (tcp_cc.h)
 *   tcp_trace.c   flows/NAME.tsv rows on every change of a traced variable
 *
 * Data is virtual, like UDP's: the application writes byte counts; a segment
 * carries (stream id, stream offset, length) whose bytes are a fixed function
 * of the stream, so checksums and pcap bytes are real and the receiver can
 * check it got exactly the stream that was written, byte for byte, in order.
 * The protocol never reads a clock: time comes from the scheduler (s->now).
 */
#ifndef SEGSIM_TCP_H
#define SEGSIM_TCP_H

#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include "sim.h"
#include "node.h"
#include "tcp_fsm.h"
#include "tcp_seq.h"
#include "tcp_opt.h"
#include "tcp_rtt.h"
#include "tcp_cc.h"
#include "tcp_conf.h"
#include "tcp_cwv.h"
#include <gsl/gsl_rng.h>

/* ---- the control block ---- */

struct tcb;
struct sim;

/* What the application is told (all optional). */
struct tcp_user_ops {
	/* the connection reached ESTABLISHED (active or passive side) */
	void (*connected)(struct sim *s, struct tcb *t);
	/* a SYN made `child` (SYN-RECEIVED) at the listener: the application
	 * may hand it to another of its users (user_ctx, flow, trace and
	 * payload streams), for listeners several flows share */
	void (*syn)(struct sim *s, struct tcb *listener, struct tcb *child);
	/* a listener has a new connection (already ESTABLISHED) */
	void (*accepted)(struct sim *s, struct tcb *listener, struct tcb *child);
	/* new in-order data can be read (tcp_read); urgent: an urgent pointer
	 * arrived, `urg_off` is the stream offset just past the urgent byte */
	void (*readable)(struct sim *s, struct tcb *t);
	void (*urgent)(struct sim *s, struct tcb *t, uint64_t urg_off);
	/* send-buffer space was freed */
	void (*writable)(struct sim *s, struct tcb *t);
	/* the peer's FIN arrived: no more data will come */
	void (*peer_closed)(struct sim *s, struct tcb *t);
	/* the connection is gone (the tcb is freed right after the call) */
	void (*closed)(struct sim *s, struct tcb *t, int reason);
};

enum tcp_close_reason {
	TCP_CLOSED_NORMAL = 0,          /* orderly close completed */
	TCP_CLOSED_RESET,               /* RST received */
	TCP_CLOSED_REFUSED,             /* RST in answer to our SYN */
	TCP_CLOSED_TIMEOUT,             /* retransmissions exhausted */
	TCP_CLOSED_CONNECT_TIMEOUT,     /* no answer to our SYNs */
	TCP_CLOSED_KEEPALIVE,           /* keepalive probes unanswered */
	TCP_CLOSED_FIN_WAIT2,           /* FIN_WAIT_2 timer */
	TCP_CLOSED_ABORT,               /* tcp_abort() */
	TCP_CLOSED_CRASH,               /* the host crashed (node event) */
};

struct tcp_stats {
	uint64_t segs_out, segs_in, bytes_out, bytes_in;        /* payload */
	uint64_t retransmits;           /* data segments sent again */
	uint64_t bytes_retransmitted;
	uint64_t timeouts;              /* retransmission timer expirations */
	uint64_t fast_retransmits;
	uint64_t dupacks_in;
	uint64_t syn_retransmits;
	uint64_t window_probes;
	uint64_t zero_windows;          /* zero windows advertised */
	uint64_t keepalive_probes;
	uint64_t challenge_acks;        /* RFC 5961 */
	uint64_t rst_out, rst_in;
	uint64_t bad_csum, paws_drops, ooo_segs, dup_segs, gbn_discards;
	uint64_t bad_options;
	uint64_t rtt_samples;
	uint64_t bytes_read;            /* by the application */
	uint64_t ctl_out;               /* segments sent without data */
	uint64_t ce_received;           /* data segments that arrived CE */
	uint64_t ece_received;          /* ACKs with ECE acted upon */
	uint64_t ecn_reductions;        /* cwnd cuts for ECE */
	uint64_t cwr_sent;
	uint64_t limited_transmits;     /* RFC 3042 segments */
	uint64_t sack_recoveries;       /* RFC 6675 recovery episodes */
	uint64_t cwv_nvp_entries;       /* RFC 7661 non-validated phases */
	uint64_t cwv_reductions;        /* RFC 7661 cuts after five minutes */
	uint64_t cwv_loss_cuts;         /* RFC 7661 cuts after a loss in the NVP */
};

#define TCP_REASS_MAX 64                /* out-of-order ranges kept */

struct tcp_reass {
	uint32_t n;
	struct sack_block r[TCP_REASS_MAX];     /* sorted, disjoint */
	/* SACK blocks to report, most recent first (RFC 2018 4) */
	uint32_t nsack;
	struct sack_block sack[TCP_MAX_SACK];
};

#define TCP_SB_MAX 64                   /* SACKed ranges on the scoreboard */

struct tcp_scoreboard {
	uint32_t n;
	struct sack_block r[TCP_SB_MAX];        /* sorted, disjoint, > snd_una */
};

/* Congestion state, for traces (Linux's TCP_CA_* names). */
enum tcp_cstate { TCP_CS_OPEN = 0, TCP_CS_DISORDER, TCP_CS_CWR, TCP_CS_RECOVERY, TCP_CS_LOSS };
extern const char *const tcp_cstate_names[];
struct tcb;
enum tcp_cstate tcp_cstate_of(const struct tcb *t);

struct tcp_stack;

struct tcb {
	struct sim *sim;
	struct node *node;
	struct tcp_stack *stack;
	const struct tcp_conf *conf;
	enum tcp_state state;
	uint32_t laddr, raddr;
	uint16_t lport, rport;
	struct tcb *hnext;              /* demux hash chain */

	/* passive open */
	struct tcb *listener;           /* the LISTEN tcb this came from */
	uint32_t syn_queued;            /* listener: children in SYN_RECEIVED */
	uint32_t accept_queued;         /* listener: established, not accepted */
	uint64_t syn_dropped;           /* listener: SYNs dropped, queue full */

	/* send sequence space (RFC 9293 3.3.1) */
	uint32_t iss;
	uint32_t snd_una, snd_nxt, snd_max;
	uint64_t snd_una64;             /* sequence numbers from iss to snd_una */
	uint32_t snd_wnd;               /* peer's window, bytes (scaled) */
	uint32_t snd_wl1, snd_wl2;
	uint64_t urg_off;               /* stream offset past the urgent byte */
	bool urg_pending;               /* urgent data not yet all sent */
	uint64_t psh_off;               /* PSH on the segment ending here */
	uint32_t max_sndwnd;
	uint32_t mss;                   /* effective send MSS (payload bytes) */
	uint8_t snd_wscale, rcv_wscale; /* shifts in force */
	uint32_t recover;               /* RFC 6582 recovery point */

	/* send buffer: the stream is [0, snd_written); acknowledged below
	 * snd_una's offset */
	uint64_t snd_written;
	bool fin_queued;                /* the application shut down writing */
	bool tfo_data_in_syn;

	/* receive sequence space */
	uint32_t irs;
	uint32_t rcv_nxt;
	uint64_t rcv_nxt64;             /* sequence numbers from irs to rcv_nxt */
	uint32_t rcv_wnd;
	uint32_t rcv_adv;               /* right edge advertised */
	uint32_t rcv_up;
	uint64_t rcv_delivered;         /* in-order bytes received (stream offset) */
	uint64_t rcv_read;              /* stream offset the application read to */
	uint64_t rcv_urg_off;           /* last urgent offset reported */
	bool fin_received;
	uint32_t rx_stream, tx_stream;  /* payload stream ids */
	struct tcp_reass reass;

	/* options in force */
	bool ts_on, sack_on, ws_on, tfo_on;
	uint32_t ts_recent;             /* RFC 7323 4.3 */
	sim_time_t ts_recent_age;
	uint32_t peer_mss;

	/* timers */
	struct event rexmt, persist, delack, keep, twait, conn, out, eof;
	sim_time_t rexmt_at;            /* the rexmt timer's deadline (lazy) */
	int rxtshift;                   /* consecutive retransmission timeouts */
	int persist_shift;
	uint32_t keep_probes;

	/* RTT measurement (Karn: one timed segment when no timestamps) */
	const struct tcp_rtt_ops *rtt_ops;
	struct tcp_rtt rtt;
	bool rtt_timing;
	uint32_t rtt_seq;
	sim_time_t rtt_start;
	sim_time_t rto_cur;             /* the RTO the timer was last armed with */

	/* congestion control */
	const struct tcp_cc_ops *cc;
	struct cc_var ccv;
	uint64_t cc_priv[8];
	uint32_t dupacks;
	bool in_recovery;
	enum cc_recovery recovery;      /* in force for this connection */
	struct tcp_scoreboard sb;       /* SACK scoreboard (RFC 6675) */
	uint32_t high_rxt;              /* RFC 6675 HighRxt */
	uint32_t lt_extra;              /* RFC 3042 limited transmit allowance */
	bool in_loss;                   /* after an RTO, until recover is acked */
	enum tcp_cstate cstate;
	/* ECN (RFC 3168) */
	bool ecn_on;                    /* negotiated */
	bool ece_pending;               /* receiver: echo ECE until CWR */
	bool cwr_pending;               /* sender: set CWR on the next data */
	uint32_t ecn_recover;           /* react to ECE once per window */
	uint32_t ecn_cwr_until;         /* cstate CWR until snd_una passes it */
	bool recover_valid;             /* `recover` holds a recovery point */
	uint32_t partial_acks;          /* NewReno: in this recovery */
	sim_time_t last_send;           /* for idle restart */
	struct tcp_cwv cwv;             /* RFC 7661 state (tcp_cwv.c) */

	/* delayed ACK */
	uint32_t segs_unacked;
	bool ack_now;

	/* application */
	const struct tcp_user_ops *user;
	void *user_ctx;
	uint16_t flow;                  /* for traces and packets */

	/* integrity: the first stream offset where delivered data was not
	 * what was sent; UINT64_MAX: none */
	uint64_t integrity_bad_off;

	struct tcp_stats st;
	FILE *trace;                    /* flows/NAME.tsv, or NULL */
	uint64_t trace_last[12];        /* values last written */
	int close_reason;
	bool freed_pending;             /* closed; freed by a zero-delay event */
	bool accepted;                  /* passive: reached the accept queue */
	bool user_closed;               /* tcp_close(): no more reading */
	bool probing;                   /* a zero-window probe is outstanding */
	bool tfo_early;                 /* passive: accepted at a Fast Open SYN */
	bool win_update;                /* the application read: maybe update */
	bool force;                     /* persist timeout: send what fits */
};

/* Per-node TCP state: the demultiplexing table and counters. */
#define TCP_HASH 1024
struct tcp_stack {
	struct node *node;
	struct tcb *bucket[TCP_HASH];
	uint64_t no_socket;             /* segments for no connection (RST sent) */
	uint64_t bad_csum;
	uint64_t rst_out;
	uint16_t next_port;             /* ephemeral ports */
	uint32_t tfo_secret;
	/* TFO cookies learnt, by server address */
	uint32_t tfo_cache_addr[16];
	uint8_t tfo_cache_cookie[16][8];
	uint32_t tfo_cache_n;
	gsl_rng *rng;                   /* ISNs */
	uint32_t bsd_conns;             /* isn: bsd - connections numbered */
	struct tcb *dead;               /* dropped, freed by `reap` */
	struct event reap;
};

/* ---- user calls ---- */

struct tcp_stack *tcp_stack_create(struct sim *s, struct node *n);
void tcp_stack_destroy(struct tcp_stack *st);

/* Passive open on port. */
struct tcb *tcp_listen(struct sim *s, struct node *n, uint16_t port,
		       const struct tcp_conf *conf, const struct tcp_user_ops *user,
		       void *ctx);
/* The listener on port at node n, or NULL. */
struct tcb *tcp_listener_at(struct sim *s, struct node *n, uint16_t port);
/* Active open (lport 0: an ephemeral port).  With conf->tfo and a cookie for
 * raddr, the first `tfo_bytes` written before the call... see tcp_write. */
struct tcb *tcp_connect(struct sim *s, struct node *n, uint16_t lport,
			uint32_t raddr, uint16_t rport, const struct tcp_conf *conf,
			const struct tcp_user_ops *user, void *ctx);
/* Queue up to `bytes` for sending; returns how many fit in the send buffer.
 * `push` sets PSH on the last segment; `urgent` marks the last byte urgent.
 * Before the connection is established the data waits (and with TFO and a
 * cookie goes in the SYN). */
uint32_t tcp_write(struct sim *s, struct tcb *t, uint32_t bytes, bool push, bool urgent);
/* Free space in the send buffer. */
uint32_t tcp_send_space(const struct tcb *t);
/* In-order bytes waiting to be read. */
uint32_t tcp_readable(const struct tcb *t);
/* Consume up to max bytes; may open the window (and send an update). */
uint32_t tcp_read(struct sim *s, struct tcb *t, uint32_t max);
/* No more data from us: FIN after what is queued (half-close). */
void tcp_shutdown(struct sim *s, struct tcb *t);
/* Close: shutdown, and stop reading (FIN_WAIT_2 timer applies). */
void tcp_close(struct sim *s, struct tcb *t);
/* Abort: RST, and the tcb is gone. */
void tcp_abort(struct sim *s, struct tcb *t);

/* The host crashed and rebooted: every connection on it vanishes without a
 * segment sent (listeners survive, as if the servers restarted); the peers
 * find out when they next send (RFC 793 3.4, half-open connections). */
void tcp_node_crash(struct sim *s, struct node *n);

/* Called by ip_input for a TCP segment addressed to n. */
void tcp_input(struct sim *s, struct node *n, struct packet *p);

#endif
