/*
 * tcp_internal.h - what the tcp_*.c files share and nobody else uses.
 */
#ifndef SEGSIM_TCP_INTERNAL_H
#define SEGSIM_TCP_INTERNAL_H

#include "tcp.h"

/* Stream offset <-> sequence number.  Our data starts one past the ISN (the
 * SYN takes that number), and likewise for the peer's.  snd_una64 and
 * rcv_nxt64 count sequence numbers since the ISN without wrapping, so
 * streams longer than 4 GiB map correctly; a sequence number is placed
 * relative to them (within 2^31, which TCP's windows guarantee). */
static inline uint64_t tcp_snd_off(const struct tcb *t, uint32_t seq)
{
	return (uint64_t)((int64_t)t->snd_una64 + SEQ_DIFF(seq, t->snd_una) - 1);
}
static inline uint32_t tcp_snd_seq(const struct tcb *t, uint64_t off)
{
	return t->iss + 1 + (uint32_t)off;
}
static inline uint64_t tcp_rcv_off(const struct tcb *t, uint32_t seq)
{
	return (uint64_t)((int64_t)t->rcv_nxt64 + SEQ_DIFF(seq, t->rcv_nxt) - 1);
}
/* Advance snd_una / rcv_nxt, keeping the 64-bit counters in step. */
static inline void tcp_set_snd_una(struct tcb *t, uint32_t ack)
{
	t->snd_una64 += (uint32_t)(ack - t->snd_una);
	t->snd_una = ack;
}
static inline void tcp_advance_rcv_nxt(struct tcb *t, uint32_t n)
{
	t->rcv_nxt += n;
	t->rcv_nxt64 += n;
}
/* Sequence number of our FIN (valid once fin_queued). */
static inline uint32_t tcp_fin_seq(const struct tcb *t)
{
	return tcp_snd_seq(t, t->snd_written);
}

/* tcp.c */
struct tcp_stack *tcp_stack_of(struct sim *s, struct node *n);
struct tcb *tcp_lookup(struct tcp_stack *st, uint32_t raddr, uint16_t lport, uint16_t rport);
struct tcb *tcp_tcb_new(struct sim *s, struct node *n, const struct tcp_conf *conf,
			const struct tcp_user_ops *user, void *ctx);
uint32_t tcp_choose_isn(struct sim *s, struct tcb *t);
void tcp_cc_start(struct tcb *t);
void tcp_drop(struct sim *s, struct tcb *t, int reason);
void tcp_set_state(struct tcb *t, enum tcp_state st);
void tcp_hash_insert(struct tcb *t);
/* TFO (RFC 7413): the server makes and checks cookies, the client keeps
 * them per server.  get returns the cookie length, 0 if none is known. */
uint8_t tcp_tfo_cookie_make(const struct tcb *t, uint8_t *out);
bool tcp_tfo_cookie_ok(const struct tcb *t, const struct tcp_opts *o);
uint8_t tcp_tfo_cookie_get(const struct tcb *t, uint8_t *out);
void tcp_tfo_cookie_store(struct tcb *t, const struct tcp_opts *o);

/* tcp_output.c */
void tcp_output(struct sim *s, struct tcb *t);
/* Send an ACK now (challenge ACKs, answers to unacceptable segments). */
void tcp_send_ack(struct sim *s, struct tcb *t);
/* A reset not tied to a tcb (RFC 9293 3.10.7.1). */
void tcp_send_rst(struct sim *s, struct node *n, uint32_t src, uint32_t dst,
		  uint16_t sport, uint16_t dport, uint32_t seq, uint32_t ack,
		  bool with_ack, uint16_t flow);
/* Retransmit the oldest unacknowledged segment (fast retransmit). */
void tcp_retransmit_una(struct sim *s, struct tcb *t);
/* Send a keepalive probe or a zero-window probe. */
void tcp_send_keepalive(struct sim *s, struct tcb *t);
void tcp_send_window_probe(struct sim *s, struct tcb *t);
/* Window we would advertise now, in bytes (unscaled). */
uint32_t tcp_rcv_window(const struct tcb *t);
/* Timestamp clock (RFC 7323 5.4): milliseconds. */
static inline uint32_t tcp_ts_now(const struct sim *s) { return (uint32_t)(s->now / 1000000); }

/* tcp_timer.c */
void tcp_timers_init(struct tcb *t);
void tcp_timers_cancel(struct sim *s, struct tcb *t);
/* Arm ev `delay` from now, on the coarse tick when one is configured. */
void tcp_timer_arm(struct sim *s, struct tcb *t, struct event *ev, sim_time_t delay);
/* (Re)start the retransmission timer with the current RTO. */
void tcp_rexmt_restart(struct sim *s, struct tcb *t);
void tcp_persist_start(struct sim *s, struct tcb *t);
void tcp_keepalive_reset(struct sim *s, struct tcb *t);
void tcp_enter_time_wait(struct sim *s, struct tcb *t);

/* tcp_reass.c */
/* Insert [start, end) into n sorted, disjoint ranges (capacity cap),
 * merging what overlaps or touches; false if a new range had no room. */
bool tcp_ranges_insert(struct sack_block *r, uint32_t *n, uint32_t cap,
		       uint32_t start, uint32_t end);
/* Add [seq, seq+len) above rcv_nxt; false if there was no room. */
bool tcp_reass_insert(struct tcb *t, uint32_t seq, uint32_t len);
/* Pull what became contiguous with rcv_nxt; returns bytes advanced. */
uint32_t tcp_reass_pull(struct tcb *t);
/* Bytes held out of order. */
uint32_t tcp_reass_bytes(const struct tcb *t);
/* Note a newly arrived block for SACK reporting (RFC 2018 4). */
void tcp_sack_note(struct tcb *t, uint32_t start, uint32_t end);
/* Drop SACK blocks now below rcv_nxt. */
void tcp_sack_trim(struct tcb *t);

/* tcp_sack.c (sender side, RFC 6675) */
void tcp_sack_clear(struct tcb *t);
void tcp_sack_update(struct tcb *t, const struct tcp_opts *o);
bool tcp_sack_is_sacked(const struct tcb *t, uint32_t seq);
bool tcp_sack_is_lost(const struct tcb *t, uint32_t seq);
uint32_t tcp_sack_pipe(const struct tcb *t);
bool tcp_sack_next_seg(const struct tcb *t, uint32_t *seq, uint32_t *len, uint32_t seg);
/* Send one segment [seq, seq+len) again (recovery). */
void tcp_retransmit_range(struct sim *s, struct tcb *t, uint32_t seq, uint32_t len);

/* tcp_trace.c */
void tcp_trace_row(struct sim *s, struct tcb *t);
static inline void tcp_trace(struct sim *s, struct tcb *t)
{
	if (t->trace)
		tcp_trace_row(s, t);
}

#endif
