/*
 * tcp_seq.h - sequence number arithmetic modulo 2^32 (RFC 9293 3.4).
 *
 * Sequence numbers are compared only through these macros: a difference
 * taken as a signed 32-bit value orders two numbers correctly as long as
 * they are less than 2^31 apart, which TCP's windows guarantee, across the
 * wrap from 2^32 - 1 to 0.
 */
#ifndef SEGSIM_TCP_SEQ_H
#define SEGSIM_TCP_SEQ_H

#include <stdint.h>

#define SEQ_DIFF(a, b)  ((int32_t)((uint32_t)(a) - (uint32_t)(b)))
#define SEQ_LT(a, b)    (SEQ_DIFF(a, b) < 0)
#define SEQ_LEQ(a, b)   (SEQ_DIFF(a, b) <= 0)
#define SEQ_GT(a, b)    (SEQ_DIFF(a, b) > 0)
#define SEQ_GEQ(a, b)   (SEQ_DIFF(a, b) >= 0)
#define SEQ_MAX(a, b)   (SEQ_GT(a, b) ? (a) : (b))
#define SEQ_MIN(a, b)   (SEQ_LT(a, b) ? (a) : (b))
/* a <= x < b, modulo 2^32 */
#define SEQ_IN(x, a, b) (SEQ_LEQ(a, x) && SEQ_LT(x, b))

#endif
