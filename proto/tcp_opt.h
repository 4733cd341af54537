/*
 * tcp_opt.h - TCP options: parsing received option bytes and building them.
 *
 * Kinds: 0 EOL, 1 NOP (RFC 9293 3.2), 2 MSS (RFC 9293 3.7.1), 3 window
 * scale (RFC 7323 2), 4 SACK-permitted and 5 SACK (RFC 2018), 8 timestamps
 * (RFC 7323 3), 34 TCP Fast Open cookie (RFC 7413 4.1.1).  Unknown kinds
 * are skipped by their length.  A malformed list (a length below 2, or
 * running past the end) stops parsing: what was parsed before it is kept,
 * and `malformed` is set so the caller can count it (RFC 1122 4.2.2.5:
 * handle an illegal option length without crashing).  A known kind with
 * the wrong length (MSS not 4, ...) is skipped, sets `malformed` too, and
 * parsing goes on.
 */
#ifndef SEGSIM_TCP_OPT_H
#define SEGSIM_TCP_OPT_H

#include <stdint.h>
#include <stdbool.h>

enum {
	TCPOPT_EOL = 0, TCPOPT_NOP = 1, TCPOPT_MSS = 2, TCPOPT_WSCALE = 3,
	TCPOPT_SACK_PERM = 4, TCPOPT_SACK = 5, TCPOPT_TS = 8, TCPOPT_TFO = 34,
};

enum {
	TCPOF_MSS = 1u << 0, TCPOF_WSCALE = 1u << 1, TCPOF_SACK_PERM = 1u << 2,
	TCPOF_SACK = 1u << 3, TCPOF_TS = 1u << 4, TCPOF_TFO = 1u << 5,
};

#define TCP_MAX_SACK 4
#define TCP_TFO_COOKIE_MAX 16

struct sack_block {
	uint32_t start, end;    /* [start, end) in sequence space */
};

struct tcp_opts {
	uint32_t present;       /* TCPOF_* */
	uint16_t mss;
	uint8_t wscale;         /* as received; the caller clamps to 14 */
	uint32_t ts_val, ts_ecr;
	uint8_t nsack;
	struct sack_block sack[TCP_MAX_SACK];
	uint8_t tfo_len;        /* 0 with TCPOF_TFO: a cookie request */
	uint8_t tfo_cookie[TCP_TFO_COOKIE_MAX];
	bool malformed;
};

/* Parse len option bytes.  Always fills *o (zeroed first). */
void tcp_opt_parse(const uint8_t *opt, uint32_t len, struct tcp_opts *o);
/* Build the options in *o into buf (at most 40 bytes), padded with NOPs to a
 * multiple of 4, in the layout Linux uses (SYN: MSS, SACK-permitted +
 * timestamps, NOP + window scale; others: NOP NOP timestamps, NOP NOP SACK;
 * Fast Open last, NOPs before it to a 4-byte boundary).
 * SACK blocks that do not fit are left out, the first ones kept (RFC 2018
 * 4: the most recent block first).  Returns the length. */
uint32_t tcp_opt_build(uint8_t *buf, const struct tcp_opts *o);

#endif
