/*
 * test_path_delay.c - validation: store-and-forward delay across three hops
 * is exactly sum_i (L / R_i + d_i) (+ d_proc per router), to the nanosecond.
 *
 * Path h1 -(10 Mb/s, 1 ms)- r1 -(1 Mb/s, 5 ms)- r2 -(100 Mb/s, 2 ms)- h2 and
 * one datagram of 1000 payload bytes = 1028 bytes of IP packet:
 *   L/R = 822400 + 8224000 + 82240 ns, d = 1 + 5 + 2 ms  ->  17 128 640 ns.
 * A second datagram sent right behind the first is held up only by the
 * slowest link: it arrives L/R_min = 8 224 000 ns after the first (the
 * pipelining of the course notes' d_end-end formula).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <string.h>
#include <stdio.h>
#include <cmocka.h>
#include "app.h"
#include "build.h"
#include "scenario.h"

static const char *path_yaml =
	"nodes: [h1, {name: r1, proc_delay: %s}, {name: r2, proc_delay: %s}, h2]\n"
	"links:\n"
	"  - {between: [h1, r1], bandwidth: 10Mbps, delay: 1ms}\n"
	"  - {between: [r1, r2], bandwidth: 1Mbps, delay: 5ms}\n"
	"  - {between: [r2, h2], bandwidth: 100Mbps, delay: 2ms}\n"
	"flows: [{name: u, udp: {from: h1, to: h2}, start: 1s,\n"
	"         app: {type: cbr, rate: 1Gbps, size: 1000B, count: %d}}]\n"
	"duration: 5s\n";

static void run_path(const char *proc, int count, sim_time_t *first, sim_time_t *last,
		     sim_time_t *transit_last)
{
	char yaml[1024];
	struct scenario sc;
	struct scn_error err;
	struct run r;

	snprintf(yaml, sizeof yaml, path_yaml, proc, proc, count);
	if (scn_load_buffer("path.yaml", yaml, strlen(yaml), NULL, 0, &sc, &err) < 0)
		fail_msg("%s", err.msg);
	assert_int_equal(build_run(&r, &sc, NULL), 0);
	sim_run(&r.sim, sc.duration);
	const struct app *a = run_app(&r, 0);
	assert_int_equal(a->st.pkts_recv, (uint64_t)count);
	*first = a->st.first_rx;
	*last = a->st.last_rx;
	*transit_last = a->last_transit;
	run_free(&r);
	scn_free(&sc);
}

static void test_one_packet_three_hops(void **st)
{
	sim_time_t first, last, transit;
	(void)st;
	run_path("0", 1, &first, &last, &transit);
	assert_int_equal(first - SIM_S, 822400 + 8224000 + 82240 + 8 * SIM_MS);
	assert_int_equal(transit, 822400 + 8224000 + 82240 + 8 * SIM_MS);
}

static void test_pipelined_second_packet(void **st)
{
	sim_time_t first, last, transit;
	(void)st;
	/* At 1 Gb/s the source emits the second datagram 8000 ns after the
	 * first; the 10 Mb/s link serialises them 822400 ns apart, and the
	 * 1 Mb/s link 8224000 ns apart: that spacing survives to h2. */
	run_path("0", 2, &first, &last, &transit);
	assert_int_equal(last - first, 8224000);
}

static void test_processing_delay(void **st)
{
	sim_time_t first, last, transit;
	(void)st;
	run_path("10us", 1, &first, &last, &transit);
	assert_int_equal(first - SIM_S, 822400 + 8224000 + 82240 + 8 * SIM_MS + 2 * 10 * SIM_US);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_packet_three_hops),
		cmocka_unit_test(test_pipelined_second_packet),
		cmocka_unit_test(test_processing_delay),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
