/*
 * test_units.c - sim/units.c: every unit, rounding, boundaries, rejects,
 * and the printers (which must read back to the same value).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>
#include <cmocka.h>

#include "units.h"

static char err[256];

static uint64_t rate(const char *s)
{
	uint64_t v = 12345;
	err[0] = '\0';
	if (units_rate(s, &v, err, sizeof(err)) != 0)
		fail_msg("units_rate(\"%s\") failed: %s", s, err);
	return v;
}

static int64_t tm(const char *s)
{
	int64_t v = 12345;
	err[0] = '\0';
	if (units_time(s, &v, err, sizeof(err)) != 0)
		fail_msg("units_time(\"%s\") failed: %s", s, err);
	return v;
}

static uint64_t size(const char *s)
{
	uint64_t v = 12345;
	err[0] = '\0';
	if (units_size(s, &v, err, sizeof(err)) != 0)
		fail_msg("units_size(\"%s\") failed: %s", s, err);
	return v;
}

/* A reject: the value is untouched and err contains `want`. */
static void rate_bad(const char *s, const char *want)
{
	uint64_t v = 777;
	err[0] = '\0';
	assert_int_equal(units_rate(s, &v, err, sizeof(err)), -1);
	assert_int_equal(v, 777);
	if (!strstr(err, want))
		fail_msg("units_rate(\"%s\"): message '%s' lacks '%s'", s, err, want);
}

static void time_bad(const char *s, const char *want)
{
	int64_t v = 777;
	err[0] = '\0';
	assert_int_equal(units_time(s, &v, err, sizeof(err)), -1);
	assert_int_equal(v, 777);
	if (!strstr(err, want))
		fail_msg("units_time(\"%s\"): message '%s' lacks '%s'", s, err, want);
}

static void size_bad(const char *s, const char *want)
{
	uint64_t v = 777;
	err[0] = '\0';
	assert_int_equal(units_size(s, &v, err, sizeof(err)), -1);
	assert_int_equal(v, 777);
	if (!strstr(err, want))
		fail_msg("units_size(\"%s\"): message '%s' lacks '%s'", s, err, want);
}

static void test_rate_units(void **state)
{
	(void)state;
	assert_int_equal(rate("9600"), 9600);
	assert_int_equal(rate("9600bps"), 9600);
	assert_int_equal(rate("64Kbps"), 64000);
	assert_int_equal(rate("64kbps"), 64000);
	assert_int_equal(rate("10Mbps"), 10000000);
	assert_int_equal(rate("1.5Gbps"), 1500000000);
	assert_int_equal(rate("10Tbps"), 10000000000000ULL);
	assert_int_equal(rate("1.544Mbps"), 1544000);
	assert_int_equal(rate("10 Mbps"), 10000000);        /* one space */
	assert_int_equal(rate(".5Mbps"), 500000);
	assert_int_equal(rate("5.Kbps"), 5000);
	assert_int_equal(rate("1e6"), 1000000);
	assert_int_equal(rate("2.5e-3Mbps"), 2500);
	assert_int_equal(rate("0"), 0);                     /* range is the caller's */
	assert_int_equal(rate("18446744073709551615"), UINT64_MAX);
}

static void test_rate_rounding(void **state)
{
	(void)state;
	assert_int_equal(rate("0.4bps"), 0);
	assert_int_equal(rate("0.5bps"), 1);                /* halves up */
	assert_int_equal(rate("1.4999"), 1);
	assert_int_equal(rate("1.0004Kbps"), 1000);
	assert_int_equal(rate("1.0005Kbps"), 1001);
	assert_int_equal(rate("1e-400"), 0);                /* underflow is 0 */
	/* more digits than a uint64 holds: still exact where it matters */
	assert_int_equal(rate("1.00000000000000000000001Mbps"), 1000000);
	assert_int_equal(rate("0.000000000000000000000000001Tbps"), 0);
}

static void test_rate_rejects(void **state)
{
	(void)state;
	rate_bad("fast", "expected a rate like 10Mbps, got 'fast'");
	rate_bad("", "got an empty value");
	rate_bad("-5Mbps", "cannot be negative");
	rate_bad("-0", "cannot be negative");
	rate_bad("nan", "got 'nan'");
	rate_bad("inf", "got 'inf'");
	rate_bad("NaNbps", "got 'NaNbps'");
	rate_bad("10Mbit", "unknown rate unit 'Mbit'");
	rate_bad("10Mbit", "valid units: bps, Kbps");
	rate_bad("10mbps", "did you mean 'Mbps'?");
	rate_bad("10MB", "unknown rate unit 'MB'");
	rate_bad("0x10", "unknown rate unit 'x10'");
	rate_bad("1,5Mbps", "unknown rate unit ',5Mbps'");
	rate_bad("10  Mbps", "unexpected space");
	rate_bad(" 10Mbps", "got ' 10Mbps'");
	rate_bad("10Mbps ", "unknown rate unit");
	rate_bad("10 ", "expected a unit after the space");
	rate_bad("18446744073709551616", "too large");
	rate_bad("18446744073709552Kbps", "too large");
	rate_bad("1e30bps", "too large");
	rate_bad("1e99999999999Tbps", "too large");
	rate_bad("1e", "unknown rate unit 'e'");
	rate_bad("\x01\xff", "got '\\x01\\xff'");           /* escaped, not raw */
}

static void test_time_units(void **state)
{
	(void)state;
	assert_int_equal(tm("2"), 2000000000);               /* plain = seconds */
	assert_int_equal(tm("1.5s"), 1500000000);
	assert_int_equal(tm("20ms"), 20000000);
	assert_int_equal(tm("250us"), 250000);
	assert_int_equal(tm("100ns"), 100);
	assert_int_equal(tm("0.1s"), 100000000);             /* exact, no float */
	assert_int_equal(tm("1.000000001"), 1000000001);
	assert_int_equal(tm("1.0000000014"), 1000000001);
	assert_int_equal(tm("1.0000000015"), 1000000002);
	assert_int_equal(tm("0.4ns"), 0);
	assert_int_equal(tm("0"), 0);
	assert_int_equal(tm("5 ms"), 5000000);
	assert_int_equal(tm("1e-3"), 1000000);
	assert_int_equal(tm("9223372036854775807ns"), INT64_MAX);
	assert_int_equal(tm("9223372036.854775807"), INT64_MAX);
}

static void test_time_rejects(void **state)
{
	(void)state;
	time_bad("9223372036854775808ns", "too large");
	time_bad("9223372037s", "too large");
	time_bad("-1ms", "cannot be negative");
	time_bad("soon", "expected a time like 20ms, got 'soon'");
	time_bad("5sec", "unknown time unit 'sec'");
	time_bad("5sec", "valid units: ns, us, ms, s");
	time_bad("5MS", "did you mean 'ms'?");
	time_bad("5m", "unknown time unit 'm'");
	time_bad("5h", "unknown time unit 'h'");
	time_bad("1:30", "unknown time unit ':30'");
	time_bad("infs", "got 'infs'");
	time_bad(NULL, "empty");
}

static void test_size_units(void **state)
{
	(void)state;
	assert_int_equal(size("1460"), 1460);
	assert_int_equal(size("1500B"), 1500);
	assert_int_equal(size("64KB"), 64000);
	assert_int_equal(size("64kB"), 64000);
	assert_int_equal(size("64KiB"), 65536);
	assert_int_equal(size("20MB"), 20000000);
	assert_int_equal(size("1MiB"), 1048576);
	assert_int_equal(size("2GB"), 2000000000);
	assert_int_equal(size("1GiB"), 1073741824);
	assert_int_equal(size("1.5KiB"), 1536);
	assert_int_equal(size("0.1KiB"), 102);               /* 102.4 */
	assert_int_equal(size("0.00048828125KiB"), 1);      /* exactly 0.5 B: up */
	assert_int_equal(size("0.00048828124KiB"), 0);
	assert_int_equal(size("0.0009765625KiB"), 1);       /* exactly 1 B */
	assert_int_equal(size("1 KiB"), 1024);
	assert_int_equal(size("17179869183.999999999GiB"), UINT64_MAX);
	assert_int_equal(size("18446744073709551615B"), UINT64_MAX);
}

static void test_size_rejects(void **state)
{
	(void)state;
	size_bad("17179869184GiB", "too large");
	size_bad("18446744073709551616", "too large");
	size_bad("big", "expected a size like 1500B, got 'big'");
	size_bad("10Kib", "did you mean 'KiB'?");
	size_bad("10b", "did you mean 'B'?");
	size_bad("10bytes", "valid units: B, KB, KiB, MB, MiB, GB, GiB");
	size_bad("-1B", "cannot be negative");
}

static void test_has_size_suffix(void **state)
{
	(void)state;
	assert_true(units_has_size_suffix("64KiB"));
	assert_true(units_has_size_suffix("1500B"));
	assert_true(units_has_size_suffix("1.5 MB"));
	assert_false(units_has_size_suffix("100"));
	assert_false(units_has_size_suffix("100pkts"));
	assert_false(units_has_size_suffix("10Mbps"));
	assert_false(units_has_size_suffix("KiB"));
	assert_false(units_has_size_suffix(""));
	assert_false(units_has_size_suffix(NULL));
}

static void test_format(void **state)
{
	char b[32];
	(void)state;
	units_fmt_rate(10000000, b, sizeof(b));
	assert_string_equal(b, "10Mbps");
	units_fmt_rate(1500000000, b, sizeof(b));
	assert_string_equal(b, "1.5Gbps");
	units_fmt_rate(1544000, b, sizeof(b));
	assert_string_equal(b, "1.544Mbps");
	units_fmt_rate(9600, b, sizeof(b));
	assert_string_equal(b, "9.6Kbps");
	units_fmt_rate(1234567, b, sizeof(b));
	assert_string_equal(b, "1234567bps");               /* exact, not rounded */
	units_fmt_rate(0, b, sizeof(b));
	assert_string_equal(b, "0bps");
	units_fmt_rate(UINT64_MAX, b, sizeof(b));
	assert_string_equal(b, "18446744073709551615bps");
	units_fmt_time(20000000, b, sizeof(b));
	assert_string_equal(b, "20ms");
	units_fmt_time(1500000000, b, sizeof(b));
	assert_string_equal(b, "1.5s");
	units_fmt_time(250000, b, sizeof(b));
	assert_string_equal(b, "250us");
	units_fmt_time(100, b, sizeof(b));
	assert_string_equal(b, "100ns");
	units_fmt_time(0, b, sizeof(b));
	assert_string_equal(b, "0s");
	units_fmt_time(-5000000, b, sizeof(b));
	assert_string_equal(b, "-5ms");
	units_fmt_time(INT64_MIN, b, sizeof(b));
	assert_string_equal(b, "-9223372036854775808ns");
	units_fmt_size(1536, b, sizeof(b));
	assert_string_equal(b, "1.5KiB");
	units_fmt_size(1500, b, sizeof(b));
	assert_string_equal(b, "1.5KB");
	units_fmt_size(65536, b, sizeof(b));
	assert_string_equal(b, "64KiB");
	units_fmt_size(20000000, b, sizeof(b));
	assert_string_equal(b, "20MB");
	units_fmt_size(65535, b, sizeof(b));
	assert_string_equal(b, "65535B");
	/* a short buffer is cut, never overrun */
	memset(b, 'x', sizeof(b));
	units_fmt_rate(10000000, b, 4);
	assert_string_equal(b, "10M");
	assert_int_equal(b[4], 'x');
}

/* Whatever the printers produce parses back to the same number. */
static void test_round_trip(void **state)
{
	static const uint64_t vals[] = { 1, 999, 1000, 1001, 1024, 1536, 9600,
		65535, 65536, 1000000, 1048576, 1544000, 123456789, 1000000000,
		1073741824, 2500000000000ULL, 10000000000000ULL,
		9223372036854775807ULL };
	char b[64];
	size_t i;
	(void)state;
	for (i = 0; i < sizeof(vals) / sizeof(vals[0]); i++) {
		units_fmt_rate(vals[i], b, sizeof(b));
		assert_int_equal(rate(b), vals[i]);
		units_fmt_size(vals[i], b, sizeof(b));
		assert_int_equal(size(b), vals[i]);
		units_fmt_time((int64_t)vals[i], b, sizeof(b));
		assert_int_equal(tm(b), (int64_t)vals[i]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rate_units),
		cmocka_unit_test(test_rate_rounding),
		cmocka_unit_test(test_rate_rejects),
		cmocka_unit_test(test_time_units),
		cmocka_unit_test(test_time_rejects),
		cmocka_unit_test(test_size_units),
		cmocka_unit_test(test_size_rejects),
		cmocka_unit_test(test_has_size_suffix),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
