/*
 * units.c - parse and print quantities with units ("10Mbps", "20ms", "64KiB").
 *
 * Parsing is exact: the number is read as a decimal mantissa and a power of
 * ten, never through a double, so "0.1s" is exactly 100000000 ns and
 * "18446744073709551615" bytes is exactly UINT64_MAX.  Decimal unit prefixes
 * only shift the power of ten; binary ones (Ki, Mi, Gi) multiply by a power
 * of two.  The result is rounded to the nearest integer, halves up.
 *
 * Grammar: DIGITS [. DIGITS] [e [+-] DIGITS] [one space] [UNIT]
 * (".5s" and "5." are fine; "-1", "nan", "inf", "0x10", "1,5" are not).
 *
 * Call order: any function, any time; there is no state.
 */
#include "units.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

struct unit {
	const char *name;
	int exp10;              /* decimal prefix: value *= 10^exp10 */
	int exp2;               /* binary prefix: value *= 2^exp2 */
};

/* Empty name = a plain number.  Listed largest first, for the printers. */
static const struct unit rate_units[] = {
	{ "Tbps", 12, 0 }, { "Gbps", 9, 0 }, { "Mbps", 6, 0 },
	{ "Kbps", 3, 0 }, { "kbps", 3, 0 }, { "bps", 0, 0 }, { "", 0, 0 },
};
static const struct unit time_units[] = {
	{ "s", 9, 0 }, { "ms", 6, 0 }, { "us", 3, 0 }, { "ns", 0, 0 },
	{ "", 9, 0 },
};
static const struct unit size_units[] = {
	{ "GiB", 0, 30 }, { "GB", 9, 0 }, { "MiB", 0, 20 }, { "MB", 6, 0 },
	{ "KiB", 0, 10 }, { "KB", 3, 0 }, { "kB", 3, 0 }, { "B", 0, 0 },
	{ "", 0, 0 },
};
#define N_UNITS(t) (sizeof(t) / sizeof((t)[0]))

struct quantity {
	const char *what;       /* "rate", for messages */
	const char *example;    /* "10Mbps" */
	const char *valid;      /* "bps, Kbps, Mbps, Gbps, Tbps" */
	const struct unit *units;
	size_t n_units;
	uint64_t max;           /* largest value the result type holds */
	const char *max_text;   /* how to say it */
};

static const struct quantity q_rate = {
	"rate", "10Mbps", "bps, Kbps (or kbps), Mbps, Gbps, Tbps",
	rate_units, N_UNITS(rate_units), UINT64_MAX, "18446744073709551615bps",
};
static const struct quantity q_time = {
	"time", "20ms", "ns, us, ms, s",
	time_units, N_UNITS(time_units), INT64_MAX, "about 292 years",
};
static const struct quantity q_size = {
	"size", "1500B", "B, KB, KiB, MB, MiB, GB, GiB",
	size_units, N_UNITS(size_units), UINT64_MAX, "18446744073709551615B",
};

/* Copy s into out for a message: at most 40 characters, control and
 * non-ASCII bytes as \xNN, so a binary value cannot garble a terminal. */
static void quote(const char *s, char *out, size_t len)
{
	size_t o = 0, i;

	for (i = 0; s[i] && o + 5 < len; i++) {
		unsigned char ch = (unsigned char)s[i];
		if (i == 40) {
			o += (size_t)snprintf(out + o, len - o, "...");
			break;
		}
		if (ch >= 0x20 && ch < 0x7f)
			out[o++] = (char)ch;
		else
			o += (size_t)snprintf(out + o, len - o, "\\x%02x", ch);
	}
	out[o < len ? o : len - 1] = '\0';
}

/* The number at the start of s: mant * 10^exp10, exact to 19 significant
 * digits; further digits after the point are dropped (far below the
 * rounding to an integer), further digits before it only raise exp10 and
 * set *big: the integer part alone is then above UINT64_MAX.  Returns the
 * end of the number, or NULL if s does not start with one. */
static const char *scan_number(const char *s, uint64_t *mant, int *exp10,
			       bool *big)
{
	uint64_t m = 0;
	int e = 0, digits = 0;
	const char *p = s;

	*big = false;
	for (; isdigit((unsigned char)*p); p++, digits++) {
		unsigned d = (unsigned)(*p - '0');
		if (!*big && m <= (UINT64_MAX - d) / 10) {
			m = m * 10 + d;
		} else {
			*big = true;
			e++;
		}
	}
	if (*p == '.') {
		bool full = *big;
		for (p++; isdigit((unsigned char)*p); p++, digits++) {
			unsigned d = (unsigned)(*p - '0');
			if (!full && m <= (UINT64_MAX - d) / 10) {
				m = m * 10 + d;
				e--;
			} else {
				full = true;
			}
		}
	}
	if (digits == 0)
		return NULL;
	if ((*p == 'e' || *p == 'E') &&
	    (isdigit((unsigned char)p[1]) ||
	     ((p[1] == '+' || p[1] == '-') && isdigit((unsigned char)p[2])))) {
		int sign = 1, x = 0;
		p++;
		if (*p == '+' || *p == '-')
			sign = *p++ == '-' ? -1 : 1;
		for (; isdigit((unsigned char)*p); p++)
			if (x < 100000)         /* beyond this only over/underflow */
				x = x * 10 + (*p - '0');
		e += sign * x;
	}
	*mant = m;
	*exp10 = e;
	return p;
}

/* mant * 10^exp10 * 2^exp2, rounded to nearest; -1 if above max.  big:
 * digits were dropped from the integer part, which was above UINT64_MAX
 * (a negative exponent may still bring it into range). */
static int scale(uint64_t mant, int exp10, int exp2, bool big, uint64_t max,
		 uint64_t *out)
{
	uint64_t mul = (uint64_t)1 << exp2, q, r, d, frac;
	int i;

	if (mant == 0) {
		*out = 0;
		return 0;
	}
	if (big && exp10 > 0)
		return -1;
	for (; exp10 > 0; exp10--) {
		if (mant > UINT64_MAX / 10)
			return -1;
		mant *= 10;
	}
	/* Dividing by more than 10^18 would overflow d; such tiny fractions
	 * are first rounded away one digit at a time. */
	for (; exp10 < -18 && mant; exp10++)
		mant = mant / 10 + (mant % 10 >= 5);
	if (mant == 0) {
		*out = 0;
		return 0;
	}
	for (d = 1; exp10 < 0; exp10++)
		d *= 10;
	q = mant / d;
	r = mant % d;
	/* frac = r * mul / d by long division, one bit of mul at a time, so
	 * r * mul never has to fit in 64 bits (r < d <= 10^18). */
	for (frac = 0, i = 0; i < exp2; i++) {
		r *= 2;
		frac *= 2;
		if (r >= d) {
			r -= d;
			frac++;
		}
	}
	if (r >= d - r)                 /* remainder >= half: round up */
		frac++;
	if (q > UINT64_MAX / mul || q * mul > UINT64_MAX - frac ||
	    q * mul + frac > max)
		return -1;
	*out = q * mul + frac;
	return 0;
}

/* Unit of s (after the number) in q's table, or NULL. */
static const struct unit *find_unit(const struct quantity *q, const char *u)
{
	size_t i;

	for (i = 0; i < q->n_units; i++)
		if (strcmp(q->units[i].name, u) == 0)
			return &q->units[i];
	return NULL;
}

static int parse(const struct quantity *q, const char *s, uint64_t *out,
		 char *err, size_t errlen)
{
	char qs[200];
	const char *p, *u;
	const struct unit *unit;
	uint64_t mant;
	int exp10;
	bool big;
	size_t i;

	if (!s)
		s = "";
	quote(s, qs, sizeof(qs));
	if (*s == '\0') {
		snprintf(err, errlen, "expected a %s like %s, got an empty value",
			 q->what, q->example);
		return -1;
	}
	if (*s == '-' && scan_number(s + 1, &mant, &exp10, &big)) {
		snprintf(err, errlen, "a %s cannot be negative, got '%s'", q->what, qs);
		return -1;
	}
	p = scan_number(s, &mant, &exp10, &big);
	if (!p) {
		snprintf(err, errlen, "expected a %s like %s, got '%s'",
			 q->what, q->example, qs);
		return -1;
	}
	u = p;
	if (*u == ' ')
		u++;
	if (*u == '\0' && u != p) {
		snprintf(err, errlen, "expected a unit after the space in '%s' (%s)",
			 qs, q->valid);
		return -1;
	}
	unit = find_unit(q, u);
	if (!unit) {
		char qu[200];
		quote(u, qu, sizeof(qu));
		if (isspace((unsigned char)*u)) {
			snprintf(err, errlen, "unexpected space in '%s' (at most one "
				 "space may separate number and unit)", qs);
			return -1;
		}
		/* "mbps", "MS": say what was probably meant. */
		for (i = 0; i < q->n_units; i++) {
			if (*q->units[i].name && strcasecmp(q->units[i].name, u) == 0) {
				snprintf(err, errlen, "unknown %s unit '%s' in '%s' (did you "
					 "mean '%s'? valid units: %s)", q->what, qu, qs,
					 q->units[i].name, q->valid);
				return -1;
			}
		}
		snprintf(err, errlen, "unknown %s unit '%s' in '%s' (valid units: %s)",
			 q->what, qu, qs, q->valid);
		return -1;
	}
	if (scale(mant, exp10 + unit->exp10, unit->exp2, big, q->max, out) < 0) {
		snprintf(err, errlen, "%s '%s' is too large (the limit is %s)",
			 q->what, qs, q->max_text);
		return -1;
	}
	return 0;
}

int units_rate(const char *s, uint64_t *bps, char *err, size_t errlen)
{
	return parse(&q_rate, s, bps, err, errlen);
}

int units_time(const char *s, int64_t *ns, char *err, size_t errlen)
{
	uint64_t v;

	if (parse(&q_time, s, &v, err, errlen) < 0)
		return -1;
	*ns = (int64_t)v;               /* <= INT64_MAX: q_time.max */
	return 0;
}

int units_size(const char *s, uint64_t *bytes, char *err, size_t errlen)
{
	return parse(&q_size, s, bytes, err, errlen);
}

bool units_has_size_suffix(const char *s)
{
	const struct unit *unit;
	uint64_t mant;
	int exp10;
	bool big;
	const char *p;

	if (!s || !(p = scan_number(s, &mant, &exp10, &big)))
		return false;
	if (*p == ' ')
		p++;
	unit = find_unit(&q_size, p);
	return unit && *unit->name;
}

/*
 * Printing: the largest unit in which the value is a whole number, or has
 * at most 3 decimals (1/8 steps for binary units) and at most 4 significant
 * digits; otherwise a smaller unit.  So "1.5Mbps", "1.544Mbps", "20ms",
 * "1.5KiB", but "1234567bps" rather than a rounded "1.23Mbps": printed
 * values read back to exactly the same number.
 */
struct fmt_unit { const char *name; uint64_t mul; };

static void fmt(uint64_t v, const struct fmt_unit *t, size_t n, const char *sign,
		char *out, size_t len)
{
	size_t i;

	if (len == 0)
		return;
	for (i = 0; i + 1 < n; i++) {
		uint64_t mul = t[i].mul;
		/* binary multiples are powers of 2: eighths print in 3 decimals */
		uint64_t step = (mul & (mul - 1)) == 0 ? mul / 8 : mul / 1000;
		char num[40], *e;
		int sig = 0;

		if (v < mul)
			continue;
		if (v % mul == 0) {
			snprintf(out, len, "%s%" PRIu64 "%s", sign, v / mul, t[i].name);
			return;
		}
		if (v % step != 0)
			continue;
		snprintf(num, sizeof(num), "%" PRIu64 ".%03" PRIu64, v / mul,
			 (v % mul) * 1000 / mul);
		for (e = num + strlen(num) - 1; *e == '0'; e--)
			*e = '\0';
		for (e = num; *e; e++)
			sig += isdigit((unsigned char)*e) != 0;
		if (sig > 4)
			continue;
		snprintf(out, len, "%s%s%s", sign, num, t[i].name);
		return;
	}
	snprintf(out, len, "%s%" PRIu64 "%s", sign, v, t[n - 1].name);
}

void units_fmt_rate(uint64_t bps, char *out, size_t len)
{
	static const struct fmt_unit t[] = {
		{ "Tbps", 1000000000000ULL }, { "Gbps", 1000000000ULL },
		{ "Mbps", 1000000ULL }, { "Kbps", 1000ULL }, { "bps", 1 },
	};
	fmt(bps, t, N_UNITS(t), "", out, len);
}

void units_fmt_time(int64_t ns, char *out, size_t len)
{
	static const struct fmt_unit t[] = {
		{ "s", 1000000000ULL }, { "ms", 1000000ULL }, { "us", 1000ULL },
		{ "ns", 1 },
	};
	/* negate in unsigned arithmetic: -INT64_MIN does not fit in int64 */
	uint64_t mag = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;

	if (ns == 0) {
		snprintf(out, len, "0s");
		return;
	}
	fmt(mag, t, N_UNITS(t), ns < 0 ? "-" : "", out, len);
}

void units_fmt_size(uint64_t bytes, char *out, size_t len)
{
	static const struct fmt_unit t[] = {
		{ "GiB", 1ULL << 30 }, { "GB", 1000000000ULL },
		{ "MiB", 1ULL << 20 }, { "MB", 1000000ULL },
		{ "KiB", 1ULL << 10 }, { "KB", 1000ULL }, { "B", 1 },
	};
	fmt(bytes, t, N_UNITS(t), "", out, len);
}
