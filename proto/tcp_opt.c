/*
 * tcp_opt.c - TCP options: parse the option bytes of a received segment into
 * a struct tcp_opts, and build the option bytes of a segment to send.
 *
 * Called from the input path, tcp_opt_parse() once per segment with the
 * bytes between the fixed header and the data offset; from the output path,
 * tcp_opt_build() once per segment with what the caller wants to say.  The
 * caller decides what is allowed where (MSS, window scale, SACK-permitted
 * only on SYNs; Fast Open only on SYNs; TSecr meaningful only with ACK):
 * this file only encodes and decodes.
 *
 * The list (RFC 9293 3.1): kind 0 ends it, kind 1 is a one-byte NOP, every
 * other kind is followed by a length byte counting kind, length and data.
 * A TCP MUST ignore options it does not know, provided they carry a length
 * (RFC 9293 3.2, MUST-6), and MUST survive an illegal length (RFC 9293 3.2
 * MUST-7, RFC 1122 4.2.2.5).  Two kinds of damage are told apart:
 *
 *   - the list itself is broken (a length below 2, or running past the end):
 *     nothing after it can be framed, so parsing stops; what came before is
 *     kept and `malformed` is set;
 *   - a known kind carries the wrong length (MSS not 4, ...): the list can
 *     still be walked, so that option alone is dropped, `malformed` is set,
 *     and parsing goes on.
 *
 * A kind that appears twice is taken from its last occurrence (as Linux's
 * tcp_parse_options() does): a later SACK option replaces the blocks of an
 * earlier one.
 */
#include <string.h>
#include "tcp_opt.h"

/* Lengths in the option's own length byte. */
enum {
	TCPOLEN_MSS = 4,                /* RFC 9293 3.2 */
	TCPOLEN_WSCALE = 3,             /* RFC 7323 2.2 */
	TCPOLEN_SACK_PERM = 2,          /* RFC 2018 2 */
	TCPOLEN_SACK_BASE = 2,          /* RFC 2018 3: 2 + 8 n */
	TCPOLEN_SACK_BLOCK = 8,
	TCPOLEN_TS = 10,                /* RFC 7323 3.2 */
	TCPOLEN_TFO_BASE = 2,           /* RFC 7413 4.1.1 (erratum 4238) */
	TCPOLEN_TFO_COOKIE_MIN = 4,
};

#define TCP_OPT_SPACE 40                /* data offset 15 words - 5 */

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

/* RFC 7413 4.1.1 as corrected by erratum 4238: length 2 (a cookie request,
 * no cookie) or 6..18, even - a cookie of 4 to 16 bytes. */
static bool tfo_len_ok(uint32_t olen)
{
	uint32_t clen = olen - TCPOLEN_TFO_BASE;

	if (clen == 0)
		return true;
	return clen >= TCPOLEN_TFO_COOKIE_MIN && clen <= TCP_TFO_COOKIE_MAX &&
	       clen % 2 == 0;
}

/* One option of kind `kind` whose length byte `olen` is already known to be
 * >= 2 and within the list.  Returns false if the length is wrong for the
 * kind (the option is then ignored). */
static bool parse_one(uint8_t kind, const uint8_t *p, uint32_t olen,
		      struct tcp_opts *o)
{
	switch (kind) {
	case TCPOPT_MSS:
		if (olen != TCPOLEN_MSS)
			return false;
		o->mss = (uint16_t)(p[2] << 8 | p[3]);
		o->present |= TCPOF_MSS;
		return true;
	case TCPOPT_WSCALE:
		if (olen != TCPOLEN_WSCALE)
			return false;
		/* RFC 7323 2.3: a shift above 14 is used as 14 - the
		 * caller's job, so that it can also log it. */
		o->wscale = p[2];
		o->present |= TCPOF_WSCALE;
		return true;
	case TCPOPT_SACK_PERM:
		if (olen != TCPOLEN_SACK_PERM)
			return false;
		o->present |= TCPOF_SACK_PERM;
		return true;
	case TCPOPT_SACK: {
		/* RFC 2018 3: 8 n + 2 bytes; 40 bytes of options hold at
		 * most 4 blocks. */
		uint32_t n = (olen - TCPOLEN_SACK_BASE) / TCPOLEN_SACK_BLOCK;

		if (olen < TCPOLEN_SACK_BASE + TCPOLEN_SACK_BLOCK ||
		    (olen - TCPOLEN_SACK_BASE) % TCPOLEN_SACK_BLOCK != 0 ||
		    n > TCP_MAX_SACK)
			return false;
		for (uint32_t i = 0; i < n; i++) {
			const uint8_t *b = p + TCPOLEN_SACK_BASE +
					   i * TCPOLEN_SACK_BLOCK;
			o->sack[i].start = get32(b);
			o->sack[i].end = get32(b + 4);
		}
		o->nsack = (uint8_t)n;
		o->present |= TCPOF_SACK;
		return true;
	}
	case TCPOPT_TS:
		if (olen != TCPOLEN_TS)
			return false;
		o->ts_val = get32(p + 2);
		o->ts_ecr = get32(p + 6);
		o->present |= TCPOF_TS;
		return true;
	case TCPOPT_TFO:
		if (!tfo_len_ok(olen))
			return false;
		o->tfo_len = (uint8_t)(olen - TCPOLEN_TFO_BASE);
		memcpy(o->tfo_cookie, p + TCPOLEN_TFO_BASE, o->tfo_len);
		o->present |= TCPOF_TFO;
		return true;
	default:
		return true;    /* RFC 9293 3.2 MUST-6: skip by its length */
	}
}

void tcp_opt_parse(const uint8_t *opt, uint32_t len, struct tcp_opts *o)
{
	uint32_t i = 0;

	memset(o, 0, sizeof *o);
	while (i < len) {
		uint8_t kind = opt[i];
		uint32_t olen;

		if (kind == TCPOPT_EOL)
			break;
		if (kind == TCPOPT_NOP) {
			i++;
			continue;
		}
		/* A length byte must follow, be at least 2 (kind and length
		 * themselves) and not run past the end: otherwise the rest
		 * of the list cannot be framed (RFC 9293 3.2 MUST-7). */
		if (len - i < 2) {
			o->malformed = true;
			break;
		}
		olen = opt[i + 1];
		if (olen < 2 || olen > len - i) {
			o->malformed = true;
			break;
		}
		if (!parse_one(kind, opt + i, olen, o))
			o->malformed = true;
		i += olen;
	}
}

/* ---- building ---- */

/* Bytes of the TFO option with the NOPs that align it, 0 if absent.  A
 * cookie longer than the option can carry is cut to TCP_TFO_COOKIE_MAX. */
static uint32_t tfo_space(const struct tcp_opts *o, uint32_t *clen)
{
	uint32_t n;

	*clen = o->tfo_len > TCP_TFO_COOKIE_MAX ? TCP_TFO_COOKIE_MAX : o->tfo_len;
	if (!(o->present & TCPOF_TFO))
		return 0;
	n = TCPOLEN_TFO_BASE + *clen;
	return (n + 3) & ~3u;
}

uint32_t tcp_opt_build(uint8_t *buf, const struct tcp_opts *o)
{
	uint8_t *p = buf;
	uint32_t fixed = 0, tfo_clen, tfo_bytes, nsack = 0;
	bool ts = o->present & TCPOF_TS;
	bool sack_perm = o->present & TCPOF_SACK_PERM;

	/* Everything but the SACK blocks has a fixed size, and at most 40
	 * bytes together (4 + 12 + 4 + 20); the blocks get what is left. */
	if (o->present & TCPOF_MSS)
		fixed += 4;
	if (ts)
		fixed += 12;
	else if (sack_perm)
		fixed += 4;
	if (o->present & TCPOF_WSCALE)
		fixed += 4;
	tfo_bytes = tfo_space(o, &tfo_clen);
	fixed += tfo_bytes;

	/* RFC 2018 3: 4 blocks without timestamps, 3 with them (NOP NOP
	 * kind length = 4 bytes, then 8 per block); RFC 2018 4: the first
	 * block is the most recent, so the last ones go. */
	if ((o->present & TCPOF_SACK) && fixed + 4 + TCPOLEN_SACK_BLOCK <= TCP_OPT_SPACE) {
		nsack = o->nsack > TCP_MAX_SACK ? TCP_MAX_SACK : o->nsack;
		if (nsack > (TCP_OPT_SPACE - fixed - 4) / TCPOLEN_SACK_BLOCK)
			nsack = (TCP_OPT_SPACE - fixed - 4) / TCPOLEN_SACK_BLOCK;
	}

	/* The layouts of Linux's tcp_options_write(): every option starts
	 * where its fields fall on natural boundaries (RFC 7323 appendix A). */
	if (o->present & TCPOF_MSS) {
		*p++ = TCPOPT_MSS;
		*p++ = TCPOLEN_MSS;
		*p++ = (uint8_t)(o->mss >> 8);
		*p++ = (uint8_t)o->mss;
	}
	if (ts) {
		/* SACK-permitted, when sent too, fills the two bytes that
		 * would otherwise be NOPs. */
		if (sack_perm) {
			*p++ = TCPOPT_SACK_PERM;
			*p++ = TCPOLEN_SACK_PERM;
		} else {
			*p++ = TCPOPT_NOP;
			*p++ = TCPOPT_NOP;
		}
		*p++ = TCPOPT_TS;
		*p++ = TCPOLEN_TS;
		put32(p, o->ts_val);
		put32(p + 4, o->ts_ecr);
		p += 8;
	} else if (sack_perm) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_SACK_PERM;
		*p++ = TCPOLEN_SACK_PERM;
	}
	if (o->present & TCPOF_WSCALE) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_WSCALE;
		*p++ = TCPOLEN_WSCALE;
		*p++ = o->wscale;
	}
	if (nsack > 0) {
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_SACK;
		*p++ = (uint8_t)(TCPOLEN_SACK_BASE + nsack * TCPOLEN_SACK_BLOCK);
		for (uint32_t i = 0; i < nsack; i++) {
			put32(p, o->sack[i].start);
			put32(p + 4, o->sack[i].end);
			p += 8;
		}
	}
	if (tfo_bytes > 0) {
		/* NOPs first, so that the cookie ends on a word boundary. */
		for (uint32_t i = TCPOLEN_TFO_BASE + tfo_clen; i < tfo_bytes; i++)
			*p++ = TCPOPT_NOP;
		*p++ = TCPOPT_TFO;
		*p++ = (uint8_t)(TCPOLEN_TFO_BASE + tfo_clen);
		memcpy(p, o->tfo_cookie, tfo_clen);
		p += tfo_clen;
	}
	return (uint32_t)(p - buf);
}
