/*
 * tcp_fsm.h - the TCP connection states (RFC 9293 3.3.2) and who moves
 * between them.
 *
 * The order matters: states before ESTABLISHED have not synchronised, states
 * from ESTABLISHED on have (TCPS_HAVEESTABLISHED), and states after
 * CLOSE_WAIT have sent a FIN, as in BSD's tcp_fsm.h.
 *
 * Transitions and the function that performs each (proto/tcp_*.c):
 *   CLOSED      -> LISTEN       tcp_listen()                 (passive open)
 *   CLOSED      -> SYN_SENT     tcp_connect()                (active open)
 *   LISTEN      -> SYN_RECEIVED tcp_input() on a SYN         (child created)
 *   SYN_SENT    -> ESTABLISHED  tcp_input() on SYN,ACK
 *   SYN_SENT    -> SYN_RECEIVED tcp_input() on a bare SYN    (simultaneous open)
 *   SYN_RECEIVED-> ESTABLISHED  tcp_input() on the ACK of our SYN
 *   SYN_RECEIVED-> LISTEN       tcp_input() on RST, if it came from LISTEN
 *   ESTABLISHED -> FIN_WAIT_1   tcp_shutdown()/tcp_close() once the FIN is sent
 *   ESTABLISHED -> CLOSE_WAIT   tcp_input() on a FIN
 *   FIN_WAIT_1  -> FIN_WAIT_2   tcp_input(): our FIN acknowledged
 *   FIN_WAIT_1  -> CLOSING      tcp_input(): their FIN, ours not yet acked
 *   FIN_WAIT_1  -> TIME_WAIT    tcp_input(): their FIN acking ours
 *   FIN_WAIT_2  -> TIME_WAIT    tcp_input() on a FIN
 *   CLOSING     -> TIME_WAIT    tcp_input(): our FIN acknowledged
 *   CLOSE_WAIT  -> LAST_ACK     tcp_close() once the FIN is sent
 *   LAST_ACK    -> CLOSED       tcp_input(): our FIN acknowledged
 *   TIME_WAIT   -> CLOSED       tcp_timer: 2*MSL expired
 *   any         -> CLOSED       RST received, tcp_abort(), retransmission or
 *                               connect timeout, FIN_WAIT_2 or keepalive timeout
 */
#ifndef SEGSIM_TCP_FSM_H
#define SEGSIM_TCP_FSM_H

enum tcp_state {
	TCPS_CLOSED = 0,
	TCPS_LISTEN,
	TCPS_SYN_SENT,
	TCPS_SYN_RECEIVED,
	TCPS_ESTABLISHED,
	TCPS_CLOSE_WAIT,
	TCPS_FIN_WAIT_1,
	TCPS_CLOSING,
	TCPS_LAST_ACK,
	TCPS_FIN_WAIT_2,
	TCPS_TIME_WAIT,
	TCP_NSTATES
};

#define TCPS_HAVEESTABLISHED(s)  ((s) >= TCPS_ESTABLISHED)
#define TCPS_HAVERCVDFIN(s) \
	((s) == TCPS_CLOSE_WAIT || (s) == TCPS_CLOSING || \
	 (s) == TCPS_LAST_ACK || (s) == TCPS_TIME_WAIT)
/* We have sent (or are about to send) our FIN. */
#define TCPS_SENTFIN(s)  ((s) > TCPS_CLOSE_WAIT)

/* RFC names, for traces: "ESTABLISHED", "SYN-SENT", ... */
extern const char *const tcp_state_names[TCP_NSTATES];

#endif
