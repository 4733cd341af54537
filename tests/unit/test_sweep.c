/*
 * test_sweep.c - the sweep: section (sim/scenario_sweep.c) and the pure
 * parts of `segsim sweep` (sim/sweep.c): grid order, metric paths into a
 * summary.json, and the 95% confidence interval against hand computation.
 * The command end to end (child processes, -j, reruns, MPI) is
 * tests/sweep/run.sh.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "scenario.h"
#include "sweep.h"

static struct scenario sc;
static struct scn_error err;

static int teardown(void **state)
{
	(void)state;
	scn_free(&sc);
	return 0;
}

static void load_sets(const char *yaml, const struct scn_set *sets, int n)
{
	if (scn_load_buffer("t.yaml", yaml, strlen(yaml), sets, n, &sc, &err) != 0)
		fail_msg("load failed: %s\n--- yaml:\n%s", err.msg, yaml);
}

/* ---- the sweep: section --------------------------------------------------- */

static void test_section_absent(void **state)
{
	(void)state;
	load_sets("nodes: [a]\nseed: 7\n", NULL, 0);
	assert_false(sc.sweep.present);
	assert_int_equal(sc.sweep.n_params, 0);
	assert_int_equal(sc.sweep.n_seeds, 1);         /* the scenario's seed */
	assert_int_equal(sc.sweep.seeds[0], 7);
	assert_int_equal(sc.sweep.n_metrics, 0);
	assert_true(sc.sweep.plot);
}

static void test_section_full(void **state)
{
	(void)state;
	load_sets("nodes: [a, b]\n"
		  "seed: 10\n"
		  "sweep:\n"
		  "  params:\n"
		  "    links.0.queue.limit: [10, 25]\n"
		  "    links.0.queue: [{type: red, limit: 50}, droptail, 'x, y', \"it's\"]\n"
		  "    trace.flows: [[f1, f2], all]\n"
		  "  seeds: 3\n"
		  "  metrics: [flows.f1.goodput_bps, queues.a-b.dropped]\n"
		  "  plot: {x: links.0.queue, y: queues.a-b.dropped}\n", NULL, 0);
	assert_true(sc.sweep.present);
	assert_int_equal(sc.sweep.n_params, 3);
	assert_string_equal(sc.sweep.params[0].key, "links.0.queue.limit");
	assert_int_equal(sc.sweep.params[0].n_values, 2);
	assert_string_equal(sc.sweep.params[0].values[1], "25");
	/* Lists and maps come back in flow style; a scalar quoted in the file
	 * that would not read back the same is quoted again. */
	assert_int_equal(sc.sweep.params[1].n_values, 4);
	assert_string_equal(sc.sweep.params[1].values[0], "{type: red, limit: 50}");
	assert_string_equal(sc.sweep.params[1].values[1], "droptail");
	assert_string_equal(sc.sweep.params[1].values[2], "'x, y'");
	assert_string_equal(sc.sweep.params[1].values[3], "'it''s'");
	assert_string_equal(sc.sweep.params[2].values[0], "[f1, f2]");
	/* seeds: 3 counts from the scenario's seed */
	assert_int_equal(sc.sweep.n_seeds, 3);
	assert_int_equal(sc.sweep.seeds[0], 10);
	assert_int_equal(sc.sweep.seeds[2], 12);
	assert_int_equal(sc.sweep.n_metrics, 2);
	assert_string_equal(sc.sweep.metrics[1], "queues.a-b.dropped");
	assert_string_equal(sc.sweep.plot_x, "links.0.queue");
	assert_string_equal(sc.sweep.plot_y, "queues.a-b.dropped");
}

static void test_section_seeds_and_sets(void **state)
{
	const struct scn_set sets[] = {
		{ .key = "seed", .value = "100" },
		{ .key = "sweep.plot", .value = "false" },
	};
	const struct scn_set list[] = { { .key = "sweep.seeds", .value = "[5, 3, 9]" } };

	(void)state;
	/* --set seed moves a counted range; --set reaches the section too */
	load_sets("nodes: [a]\nsweep: {seeds: 2}\n", sets, 2);
	assert_int_equal(sc.sweep.n_seeds, 2);
	assert_int_equal(sc.sweep.seeds[0], 100);
	assert_int_equal(sc.sweep.seeds[1], 101);
	assert_false(sc.sweep.plot);
	scn_free(&sc);
	load_sets("nodes: [a]\n", list, 1);
	assert_true(sc.sweep.present);
	assert_int_equal(sc.sweep.n_seeds, 3);
	assert_int_equal(sc.sweep.seeds[0], 5);
	assert_int_equal(sc.sweep.seeds[1], 3);
	assert_int_equal(sc.sweep.seeds[2], 9);
}

static void test_section_errors_leave_nothing(void **state)
{
	const char *bad[] = {
		"nodes: [a]\nsweep: {params: {links.0.delay: [1ms, 2ms, 1ms]}}\n",
		"nodes: [a]\nsweep: {params: {a.b: [1], c: [2, ~]}}\n",
		"nodes: [a]\nsweep: {metrics: [x, x]}\n",
		"nodes: [a]\nsweep: {seeds: [1, 2, 1]}\n",
		"nodes: [a]\nseed: 18446744073709551615\nsweep: {seeds: 2}\n",
		"nodes: [a]\nsweep: {params: {sweep.seeds: [1, 2]}}\n",
		"nodes: [a]\nsweep: {plot: {x: a}}\n",
	};
	const char *want[] = {
		"t.yaml:2:44: error: links.0.delay: value '1ms' is listed twice",
		"t.yaml:2:35: error: c: a value is empty",
		"t.yaml:2:22: error: metric 'x' is listed twice",
		"t.yaml:2:23: error: seed 1 is listed twice",
		"t.yaml:3:16: error: seeds: 2 seeds from seed 18446744073709551615 go past",
		"t.yaml:2:18: error: a sweep parameter cannot change the sweep section",
		"t.yaml:2:19: error: plot x 'a' is not one of the sweep's params",
	};

	(void)state;
	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		memset(&err, 0, sizeof err);
		assert_int_equal(scn_load_buffer("t.yaml", bad[i], strlen(bad[i]), NULL, 0,
						 &sc, &err), -1);
		if (strncmp(err.msg, want[i], strlen(want[i])) != 0)
			fail_msg("case %zu: got '%s', want '%s...'", i, err.msg, want[i]);
		assert_null(sc.sweep.params);
		assert_null(sc.sweep.seeds);
		assert_null(sc.sweep.metrics);
	}
}

/* ---- grid order ------------------------------------------------------------ */

static void test_grid_order(void **state)
{
	const int n_values[] = { 3, 2 };
	int ix[2], seed_ix;

	(void)state;
	/* 3 x 2 points x 2 seeds: seed fastest, then the last param */
	sweep_grid_point(0, n_values, 2, 2, ix, &seed_ix);
	assert_true(ix[0] == 0 && ix[1] == 0 && seed_ix == 0);
	sweep_grid_point(1, n_values, 2, 2, ix, &seed_ix);
	assert_true(ix[0] == 0 && ix[1] == 0 && seed_ix == 1);
	sweep_grid_point(2, n_values, 2, 2, ix, &seed_ix);
	assert_true(ix[0] == 0 && ix[1] == 1 && seed_ix == 0);
	sweep_grid_point(4, n_values, 2, 2, ix, &seed_ix);
	assert_true(ix[0] == 1 && ix[1] == 0 && seed_ix == 0);
	sweep_grid_point(11, n_values, 2, 2, ix, &seed_ix);
	assert_true(ix[0] == 2 && ix[1] == 1 && seed_ix == 1);
	/* no params: the run is the seed */
	sweep_grid_point(4, NULL, 0, 5, ix, &seed_ix);
	assert_int_equal(seed_ix, 4);
}

/* ---- metric paths ---------------------------------------------------------- */

static const char summary[] =
	"{\n"
	"  \"scenario\": \"t\",\n"
	"  \"seed\": 3,\n"
	"  \"flows\": [\n"
	"    {\n"
	"      \"name\": \"f1\",\n"
	"      \"goodput_bps\": 3190590.74,\n"
	"      \"integrity\": null,\n"
	"      \"tcp\": {\"cwnd\": 18537, \"srtt_s\": 0.105580279}\n"
	"    },\n"
	"    {\"name\": \"lan.f2\", \"goodput_bps\": 1.5e-05}\n"
	"  ],\n"
	"  \"queues\": [\n"
	"    {\"name\": \"r1-r2\", \"type\": \"red\", \"dropped\": 233}\n"
	"  ]\n"
	"}\n";

static void test_json_values(void **state)
{
	const char *paths[] = { "flows.f1.goodput_bps", "flows.0.tcp.cwnd", "seed",
		"flows.lan.f2.goodput_bps", "queues.r1-r2.dropped", "queues.r1-r2.type",
		"flows.f1.integrity", "flows.f3.goodput_bps", "flows.f1.tcp", "flows.9.name",
		"flows" };
	char *v[11];

	(void)state;
	assert_int_equal(sweep_json_values(summary, strlen(summary), paths, 11, v), 7);
	assert_string_equal(v[0], "3190590.74");        /* the text, not a double */
	assert_string_equal(v[1], "18537");
	assert_string_equal(v[2], "3");
	assert_string_equal(v[3], "1.5e-05");           /* a name with a dot */
	assert_string_equal(v[4], "233");
	assert_string_equal(v[5], "red");
	assert_string_equal(v[6], "null");
	assert_null(v[7]);                              /* no such flow */
	assert_null(v[8]);                              /* a map, not a value */
	assert_null(v[9]);                              /* no item 9 */
	assert_null(v[10]);                             /* a list */
	for (int i = 0; i < 11; i++)
		free(v[i]);
	assert_int_equal(sweep_json_values("{\"a\": [1,", 9, paths, 1, v), -1);
	assert_null(v[0]);
}

/* ---- statistics ------------------------------------------------------------ */

static void test_stats_by_hand(void **state)
{
	const double five[] = { 1, 2, 3, 4, 5 };
	const double two[] = { 10, 12 };
	double mean, ci;

	(void)state;
	/* n = 5: mean 3, s = sqrt(10 / 4) = 1.5811388, t(0.975, 4) = 2.7764451
	 * (tables: 2.776), half-width 2.7764451 * 1.5811388 / sqrt(5) = 1.9632432 */
	sweep_stats(five, 5, &mean, &ci);
	assert_true(fabs(mean - 3.0) < 1e-12);
	assert_true(fabs(ci - 1.9632432) < 1e-6);
	/* n = 2: s = sqrt(2), t(0.975, 1) = 12.706205: half-width 12.706205 */
	sweep_stats(two, 2, &mean, &ci);
	assert_true(fabs(mean - 11.0) < 1e-12);
	assert_true(fabs(ci - 12.706205) < 1e-5);
	/* one value: no interval; none: no mean either */
	sweep_stats(two, 1, &mean, &ci);
	assert_true(mean == 10.0 && isnan(ci));
	sweep_stats(two, 0, &mean, &ci);
	assert_true(isnan(mean) && isnan(ci));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_teardown(test_section_absent, teardown),
		cmocka_unit_test_teardown(test_section_full, teardown),
		cmocka_unit_test_teardown(test_section_seeds_and_sets, teardown),
		cmocka_unit_test_teardown(test_section_errors_leave_nothing, teardown),
		cmocka_unit_test(test_grid_order),
		cmocka_unit_test(test_json_values),
		cmocka_unit_test(test_stats_by_hand),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
