/*
 * units.h - quantities with units, as written in scenario files.
 *
 *   rate:  "10Mbps", "1.5Gbps", "64Kbps", "9600bps", "9600"  (bits per second)
 *   time:  "20ms", "1.5s", "250us", "100ns", "2"             (plain = seconds)
 *   size:  "1500B", "64KiB", "20MB", "1MiB", "1460"          (plain = bytes)
 * Decimal prefixes are powers of 1000, binary (Ki, Mi, Gi) of 1024.
 * Results are integers, rounded to the nearest unit; NaN, negative and
 * overflowing values are rejected with a message.
 */
#ifndef SEGSIM_UNITS_H
#define SEGSIM_UNITS_H

#include <stdint.h>
#include <stdbool.h>
#include <stddef.h>

/* Each returns 0 on success, or -1 with a reason in err. */
int units_rate(const char *s, uint64_t *bps, char *err, size_t errlen);
int units_time(const char *s, int64_t *ns, char *err, size_t errlen);
int units_size(const char *s, uint64_t *bytes, char *err, size_t errlen);
/* Does s carry a size unit (B, KB, KiB ...)? Used for queue limits, where a
 * plain number means packets. */
bool units_has_size_suffix(const char *s);

/* Human-readable forms for output: "10Mbps", "20ms", "1.5KiB". */
void units_fmt_rate(uint64_t bps, char *out, size_t len);
void units_fmt_time(int64_t ns, char *out, size_t len);
void units_fmt_size(uint64_t bytes, char *out, size_t len);

#endif
