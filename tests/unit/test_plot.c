/*
 * test_plot.c - plot_dir() end to end on tests/plots/, and its pieces.
 *
 * The end-to-end tests copy the sample output directory tests/plots/ (made
 * by tests/plots/gen.py: a RED queue r1-r2, a drop-tail queue r2-h2, UDP
 * flows u1 and u2, packets.tsv with drops, summary.json with duration_s 4.1)
 * into a fresh temporary directory, run the real gnuplot through the
 * repository's plots/ scripts (SEGSIM_PLOTS), and check what lands in
 * plots/.  The TCP kinds run on tests/plots/tcp/, a real segsim run
 * (tests/plots/tcp/scenario.yaml, one Reno flow with drops, fast
 * retransmits and a timeout), and on hand-made traces.  Run from the
 * repository root.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <cmocka.h>
#include "plot.h"

#define SAMPLE "tests/plots"
#define PATH_LEN 4096

static char repo_plots[PATH_LEN];       /* absolute path of plots/ */

/* ---- helpers ------------------------------------------------------------ */

static void pathf(char *buf, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, PATH_LEN, fmt, ap);
	va_end(ap);
	assert_true(n > 0 && n < PATH_LEN);
}

static void copy_file(const char *src, const char *dst)
{
	FILE *in = fopen(src, "rb"), *out = fopen(dst, "wb");
	char buf[65536];
	size_t n;

	assert_non_null(in);
	assert_non_null(out);
	while ((n = fread(buf, 1, sizeof buf, in)) > 0)
		assert_int_equal(fwrite(buf, 1, n, out), n);
	fclose(in);
	assert_int_equal(fclose(out), 0);
}

/* cp -R src/. dst, without a shell. */
static void copy_tree(const char *src, const char *dst)
{
	DIR *d = opendir(src);
	struct dirent *e;

	assert_non_null(d);
	while ((e = readdir(d))) {
		char s[PATH_LEN], t[PATH_LEN];
		struct stat st;

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		pathf(s, "%s/%s", src, e->d_name);
		pathf(t, "%s/%s", dst, e->d_name);
		assert_int_equal(stat(s, &st), 0);
		if (S_ISDIR(st.st_mode)) {
			assert_int_equal(mkdir(t, 0777), 0);
			copy_tree(s, t);
		} else if (S_ISREG(st.st_mode)) {
			copy_file(s, t);
		}
	}
	closedir(d);
}

static void remove_tree(const char *path)
{
	DIR *d = opendir(path);
	struct dirent *e;

	if (!d) {
		unlink(path);
		return;
	}
	while ((e = readdir(d))) {
		char p[PATH_LEN];

		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		pathf(p, "%s/%s", path, e->d_name);
		remove_tree(p);
	}
	closedir(d);
	rmdir(path);
}

/* A fresh temporary directory, optionally filled with the sample. */
static void make_tmp(char *dir, bool with_sample)
{
	const char *tmp = getenv("TMPDIR");

	pathf(dir, "%s/segsim-plot-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	if (with_sample)
		copy_tree(SAMPLE, dir);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	assert_int_equal(fclose(f), 0);
}

static long file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static bool starts_with(const char *path, const char *magic, size_t n)
{
	char buf[64];
	FILE *f = fopen(path, "rb");
	size_t got;

	if (!f)
		return false;
	got = fread(buf, 1, n, f);
	fclose(f);
	return got == n && memcmp(buf, magic, n) == 0;
}

static bool exists(const char *path)
{
	return access(path, F_OK) == 0;
}

/* stderr of the code under test, captured into a buffer: the error tests
 * check the message, and the expected errors stay out of the test log. */
struct capture {
	int saved;
	FILE *f;
	char text[8192];
};

static void capture_start(struct capture *c)
{
	fflush(stderr);
	c->f = tmpfile();
	assert_non_null(c->f);
	c->saved = dup(2);
	assert_true(c->saved >= 0);
	assert_true(dup2(fileno(c->f), 2) >= 0);
}

static void capture_end(struct capture *c)
{
	size_t n;

	fflush(stderr);
	dup2(c->saved, 2);
	close(c->saved);
	rewind(c->f);
	n = fread(c->text, 1, sizeof c->text - 1, c->f);
	c->text[n] = '\0';
	fclose(c->f);
}

/* ---- end to end --------------------------------------------------------- */

static const char *const sample_plots[] = {
	"queue-r1-r2", "queue-r2-h2", "throughput", "delay",
};

static void check_format(const char *fmt, const char *magic, const char *alt_magic)
{
	char dir[PATH_LEN], p[PATH_LEN];
	struct capture c;
	int n;

	make_tmp(dir, true);
	capture_start(&c);
	n = plot_dir(dir, PLOT_ALL, fmt, "segsim");
	capture_end(&c);
	assert_int_equal(n, 4);
	/* A clean run: gnuplot had nothing to warn about. */
	assert_string_equal(c.text, "");
	for (size_t i = 0; i < sizeof sample_plots / sizeof sample_plots[0]; i++) {
		pathf(p, "%s/plots/%s.%s", dir, sample_plots[i], fmt);
		assert_true(exists(p));
		/* Real plots of this data are tens of kilobytes; an empty
		 * frame or an error page is a few. */
		assert_true(file_size(p) > 8000);
		assert_true(starts_with(p, magic, strlen(magic)) ||
			    (alt_magic && starts_with(p, alt_magic, strlen(alt_magic))));
		/* No leftover from the write-then-rename. */
		pathf(p, "%s/plots/.data/%s.%s.part", dir, sample_plots[i], fmt);
		assert_false(exists(p));
	}
	remove_tree(dir);
}

static void test_png(void **state)
{
	(void)state;
	check_format("png", "\x89PNG\r\n\x1a\n", NULL);
}

static void test_svg(void **state)
{
	(void)state;
	check_format("svg", "<?xml", "<svg");
}

static void test_pdf(void **state)
{
	(void)state;
	check_format("pdf", "%PDF", NULL);
}

static void test_kinds_mask(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN];

	(void)state;
	make_tmp(dir, true);
	assert_int_equal(plot_dir(dir, PLOT_QUEUE, "png", "segsim"), 2);
	pathf(p, "%s/plots/queue-r1-r2.png", dir);
	assert_true(exists(p));
	pathf(p, "%s/plots/throughput.png", dir);
	assert_false(exists(p));
	assert_int_equal(plot_dir(dir, PLOT_THROUGHPUT | PLOT_DELAY, "png", "segsim"), 2);
	assert_int_equal(plot_dir(dir, 0, "png", "segsim"), 0);
	remove_tree(dir);
}

/* The drop marks come from packets.tsv 'd' rows on that link only. */
static void test_queue_drops(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], line[256];
	FILE *f;
	long rows = 0, want = 0;

	(void)state;
	make_tmp(dir, true);
	assert_int_equal(plot_dir(dir, PLOT_QUEUE, "png", "segsim"), 2);

	pathf(p, "%s/packets.tsv", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		char t[32], ev[4], node[32], link[32];

		if (line[0] != '#' && sscanf(line, "%31s %3s %31s %31s", t, ev, node, link) == 4 &&
		    !strcmp(ev, "d") && !strcmp(link, "r1-r2"))
			want++;
	}
	fclose(f);
	assert_true(want > 0);

	pathf(p, "%s/plots/.data/drops-r1-r2.tsv", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f))
		rows++;
	fclose(f);
	assert_int_equal(rows, want);
	/* Nothing marked: no marks file, no marks in the key. */
	pathf(p, "%s/plots/.data/marks-r1-r2.tsv", dir);
	assert_false(exists(p));
	remove_tree(dir);
}

/* ---- throughput binning ------------------------------------------------- */

static void test_parse_time(void **state)
{
	int64_t ns;

	(void)state;
	assert_int_equal(plot_parse_time_ns("1.5", &ns), 0);
	assert_true(ns == 1500000000);
	assert_int_equal(plot_parse_time_ns("0.000000001", &ns), 0);
	assert_true(ns == 1);
	assert_int_equal(plot_parse_time_ns("12.345678901", &ns), 0);
	assert_true(ns == INT64_C(12345678901));
	assert_int_equal(plot_parse_time_ns("3", &ns), 0);
	assert_true(ns == INT64_C(3000000000));
	assert_int_equal(plot_parse_time_ns("1.2345678901", &ns), -1);
	assert_int_equal(plot_parse_time_ns("-1.0", &ns), -1);
	assert_int_equal(plot_parse_time_ns("1.0s", &ns), -1);
	assert_int_equal(plot_parse_time_ns("", &ns), -1);
}

static void test_bin_width(void **state)
{
	(void)state;
	/* duration/200, to the nearest 1-2-5 value on a log scale */
	assert_true(plot_bin_width_ns(INT64_C(4100000000)) == 20000000);   /* 20.5 ms */
	assert_true(plot_bin_width_ns(INT64_C(10000000000)) == 50000000);  /* 50 ms */
	assert_true(plot_bin_width_ns(INT64_C(3000000000)) == 20000000);   /* 15 ms -> 20 */
	assert_true(plot_bin_width_ns(INT64_C(2600000000)) == 10000000);   /* 13 ms -> 10 */
	assert_true(plot_bin_width_ns(INT64_C(60000000000)) == 200000000); /* 300 ms -> 200 */
	assert_true(plot_bin_width_ns(INT64_C(80000000000)) == 500000000); /* 400 ms -> 500 */
	assert_true(plot_bin_width_ns(INT64_C(200000000)) == 1000000);     /* 1 ms */
	assert_true(plot_bin_width_ns(1000) == 1000);                      /* floor 1 us */
	assert_true(plot_bin_width_ns(0) == 1000);
}

static void test_bin_add(void **state)
{
	/* 100 ms bins.  Edges belong to the bin they open: 0.1 s exactly is
	 * in bin 1, 0.199999999 s still in bin 1, 0.2 s in bin 2. */
	const int64_t t[] = { 0, 50000000, 100000000, 199999999, 200000000,
			      350000000, 400000000, -1 };
	const uint32_t len[] = { 1000, 500, 250, 125, 2000, 1500, 9999, 9999 };
	uint64_t bytes[4] = { 0 };

	(void)state;
	plot_bin_add(bytes, 4, 100000000, t, len, 8);
	assert_true(bytes[0] == 1500);
	assert_true(bytes[1] == 375);
	assert_true(bytes[2] == 2000);
	assert_true(bytes[3] == 1500);          /* 0.4 s and -1 are outside */
	/* 1500 B in 100 ms = 12000 bit / 0.1 s = 0.12 Mb/s */
	assert_true(fabs(plot_bin_mbps(bytes[0], 100000000) - 0.12) < 1e-12);
	assert_true(fabs(plot_bin_mbps(bytes[1], 100000000) - 0.03) < 1e-12);
	/* 1250 B in 10 ms = 1 Mb/s */
	assert_true(fabs(plot_bin_mbps(1250, 10000000) - 1.0) < 1e-12);
}

struct tp_table {
	size_t rows;
	double t[512], u1[512], u2[512], all[512];
};

static void read_throughput(const char *dir, struct tp_table *tp)
{
	char p[PATH_LEN], line[256];
	FILE *f;

	pathf(p, "%s/plots/.data/throughput.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	assert_non_null(fgets(line, sizeof line, f));
	assert_string_equal(line, "# bin_start_s u1_mbps u2_mbps aggregate_mbps\n");
	tp->rows = 0;
	while (fgets(line, sizeof line, f)) {
		size_t i = tp->rows++;

		assert_true(tp->rows < 512);
		assert_int_equal(sscanf(line, "%lf %lf %lf %lf", &tp->t[i], &tp->u1[i],
					&tp->u2[i], &tp->all[i]), 4);
	}
	fclose(f);
}

/* Bytes of a udp trace received in [from, to) seconds, summed from the raw
 * file with plain floating-point comparisons: an independent count. */
static double udp_bytes(const char *dir, const char *flow, double from, double to)
{
	char p[PATH_LEN], line[256];
	double sum = 0, t, d;
	long seq, len;
	FILE *f;

	pathf(p, "%s/udp/%s.tsv", dir, flow);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f))
		if (line[0] != '#' && sscanf(line, "%lf %ld %lf %ld", &t, &seq, &d, &len) == 4 &&
		    t >= from && t < to)
			sum += (double)len;
	fclose(f);
	return sum;
}

static void test_throughput_sample(void **state)
{
	char dir[PATH_LEN];
	struct tp_table tp;
	double total1 = 0, total2 = 0;

	(void)state;
	make_tmp(dir, true);
	assert_int_equal(plot_dir(dir, PLOT_THROUGHPUT, "png", "segsim"), 1);
	read_throughput(dir, &tp);

	/* duration_s 4.1 -> 20 ms bins: 205 bins plus the closing row at 4.1. */
	assert_int_equal(tp.rows, 206);
	assert_true(fabs(tp.t[1] - 0.02) < 1e-12);
	assert_true(fabs(tp.t[205] - 4.1) < 1e-12);

	/* Hand-computed: u1 sends 1000 B every 10 ms and, before u2 starts at
	 * 1 s, arrives 23.440421 ms later, so bin 0 [0, 20 ms) is empty and every
	 * bin from 20 ms up to 1 s holds exactly two datagrams:
	 * 2 * 1000 B * 8 / 20 ms = 0.8 Mb/s.  u2 has not started. */
	assert_true(tp.u1[0] == 0.0);
	for (size_t k = 1; k < 50; k++) {
		assert_true(fabs(tp.u1[k] - 0.8) < 1e-9);
		assert_true(tp.u2[k] == 0.0);
	}
	/* u1's last datagram (sent 3.99 s) arrives 4.013 s: the bins after
	 * it are empty, and the run ends at 4.1 s with bin 204. */
	assert_true(tp.u1[204] == 0.0);

	for (size_t k = 0; k < 205; k++) {
		/* The aggregate is the sum of the flows... */
		assert_true(fabs(tp.all[k] - tp.u1[k] - tp.u2[k]) < 1e-5);
		/* ...and each bin matches an independent count of the raw
		 * trace.  No arrival in this sample falls on a bin edge,
		 * so float comparisons agree with exact ones. */
		double from = 0.02 * (double)k, to = 0.02 * (double)(k + 1);

		assert_true(fabs(tp.u1[k] - udp_bytes(dir, "u1", from, to) * 8 / 0.02 / 1e6) < 1e-5);
		assert_true(fabs(tp.u2[k] - udp_bytes(dir, "u2", from, to) * 8 / 0.02 / 1e6) < 1e-5);
		total1 += tp.u1[k] * 0.02 * 1e6 / 8;
		total2 += tp.u2[k] * 0.02 * 1e6 / 8;
	}
	/* Nothing lost or counted twice. */
	assert_true(fabs(total1 - udp_bytes(dir, "u1", 0, 1e9)) < 0.5);
	assert_true(fabs(total2 - udp_bytes(dir, "u2", 0, 1e9)) < 0.5);
	remove_tree(dir);
}

/* Without summary.json only whole bins before the last datagram (4.0134 s)
 * are drawn: a bin [4.0, 4.0134) would show two datagrams in 13 ms as
 * 1.19 Mb/s for a 0.8 Mb/s flow. */
static void test_throughput_no_summary(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN];
	struct tp_table tp;

	(void)state;
	make_tmp(dir, true);
	pathf(p, "%s/summary.json", dir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(plot_dir(dir, PLOT_THROUGHPUT, "png", "segsim"), 1);
	read_throughput(dir, &tp);
	assert_int_equal(tp.rows, 201);
	assert_true(fabs(tp.t[200] - 4.0) < 1e-12);
	/* The closing row repeats the last bin. */
	assert_true(tp.u1[200] == tp.u1[199]);
	remove_tree(dir);
}

/* A last bin cut short by the end of the run is divided by its length. */
static void test_throughput_short_last_bin(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN];
	struct tp_table tp;

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/udp", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	/* 2.005 s -> 10 ms bins, 201 of them, the last [2.0, 2.005) half
	 * long. */
	pathf(p, "%s/summary.json", dir);
	write_file(p, "{\"duration_s\": 2.005}\n");
	pathf(p, "%s/udp/u1.tsv", dir);
	write_file(p, "# time seq delay_s len\n"
		   "0.001000000\t0\t0.001\t1250\n"
		   "2.001000000\t1\t0.001\t625\n"
		   "2.005000000\t2\t0.001\t625\n");
	pathf(p, "%s/udp/u2.tsv", dir);
	write_file(p, "# time seq delay_s len\n");
	assert_int_equal(plot_dir(dir, PLOT_THROUGHPUT, "png", "segsim"), 1);
	read_throughput(dir, &tp);
	assert_int_equal(tp.rows, 202);
	/* 1250 B in 10 ms = 1 Mb/s */
	assert_true(fabs(tp.u1[0] - 1.0) < 1e-9);
	/* 1250 B (one at the very end included) in 5 ms = 2 Mb/s */
	assert_true(fabs(tp.u1[200] - 2.0) < 1e-9);
	assert_true(fabs(tp.t[201] - 2.005) < 1e-12);
	/* u2 received nothing: zero throughput, and no delay plot for it. */
	assert_true(tp.u2[0] == 0.0);
	assert_int_equal(plot_dir(dir, PLOT_DELAY, "png", "segsim"), 1);

	/* A run of exactly 2 s: the datagram received at 2.0 s, the very
	 * end, counts in the last bin [1.99, 2.0) though bins are
	 * half-open.  1250 B in 10 ms = 1 Mb/s. */
	pathf(p, "%s/summary.json", dir);
	write_file(p, "{\"duration_s\": 2}\n");
	pathf(p, "%s/udp/u1.tsv", dir);
	write_file(p, "# time seq delay_s len\n"
		   "2.000000000\t0\t0.001\t1250\n");
	assert_int_equal(plot_dir(dir, PLOT_THROUGHPUT, "png", "segsim"), 1);
	read_throughput(dir, &tp);
	assert_int_equal(tp.rows, 201);
	assert_true(fabs(tp.u1[199] - 1.0) < 1e-9);
	remove_tree(dir);
}

/* ---- awkward inputs ----------------------------------------------------- */

/* Names go through gnuplot's quoting: a flow called "it's a b" plots. */
static void test_quoted_names(void **state)
{
	char dir[PATH_LEN], src[PATH_LEN], dst[PATH_LEN];

	(void)state;
	make_tmp(dir, true);
	pathf(src, "%s/udp/u1.tsv", dir);
	pathf(dst, "%s/udp/it's a b.tsv", dir);
	copy_file(src, dst);
	pathf(src, "%s/queues/r1-r2.tsv", dir);
	pathf(dst, "%s/queues/q'1.tsv", dir);
	copy_file(src, dst);
	assert_int_equal(plot_dir(dir, PLOT_ALL, "png", "segsim"), 5);
	pathf(dst, "%s/plots/queue-q'1.png", dir);
	assert_true(file_size(dst) > 8000);
	remove_tree(dir);
}

/* A long queue trace is plotted from a reduced copy that keeps every
 * slice's extremes; thousands of drops are thinned along the top. */
static void test_long_queue(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], line[256];
	FILE *f;
	long rows = 0, drops = 0;
	unsigned long lo = ~0ul, hi = 0, q;
	double t, first_t = -1, last_t = -1;

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/queues", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/queues/x-y.tsv", dir);
	assert_non_null(f = fopen(p, "w"));
	fprintf(f, "# time len_pkts len_bytes avg_pkts\n"
		"# queue x-y type=droptail limit_pkts=200 limit_bytes=0\n");
	/* 100000 rows over 100 s; one spike to 150 and one dip to 0 that a
	 * plain every-k-th thinning would lose. */
	for (long k = 0; k < 100000; k++) {
		unsigned long v = 50 + (unsigned long)(k % 7);

		if (k == 31415)
			v = 150;
		if (k == 77777)
			v = 0;
		fprintf(f, "%ld.%03ld000000\t%lu\t%lu\t%lu\n", k / 1000, k % 1000, v,
			v * 1000, v);
	}
	assert_int_equal(fclose(f), 0);
	pathf(p, "%s/packets.tsv", dir);
	assert_non_null(f = fopen(p, "w"));
	fprintf(f, "# time event node link flow seq ack len flags\n");
	for (long k = 0; k < 10000; k++)
		fprintf(f, "%ld.%04ld00000\td\tx\tx-y\tu1\t%ld\t-\t1000\t-\n",
			k / 100, (k % 100) * 100, k);
	assert_int_equal(fclose(f), 0);

	assert_int_equal(plot_dir(dir, PLOT_QUEUE, "png", "segsim"), 1);
	pathf(p, "%s/plots/queue-x-y.png", dir);
	assert_true(file_size(p) > 8000);

	pathf(p, "%s/plots/.data/queue-x-y.tsv", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%lf %lu", &t, &q), 2);
		assert_true(t > last_t);        /* still in time order */
		if (first_t < 0)
			first_t = t;
		last_t = t;
		lo = q < lo ? q : lo;
		hi = q > hi ? q : hi;
		rows++;
	}
	fclose(f);
	assert_true(rows <= 4 * 2000);
	assert_true(rows >= 2000);
	assert_true(lo == 0 && hi == 150);
	assert_true(first_t == 0.0 && fabs(last_t - 99.999) < 1e-9);

	pathf(p, "%s/plots/.data/drops-x-y.tsv", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f))
		drops++;
	fclose(f);
	assert_true(drops > 1000 && drops <= 2000);
	remove_tree(dir);
}

static void test_nothing_to_plot(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN];

	(void)state;
	make_tmp(dir, false);
	assert_int_equal(plot_dir(dir, PLOT_ALL, "png", "segsim"), 0);
	/* No traces, so not even the plots directory. */
	pathf(p, "%s/plots", dir);
	assert_false(exists(p));
	/* A queue that never changed and a flow that received nothing. */
	pathf(p, "%s/queues", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/queues/a-b.tsv", dir);
	write_file(p, "# time len_pkts len_bytes avg_pkts\n"
		   "# queue a-b type=droptail limit_pkts=10 limit_bytes=0\n");
	pathf(p, "%s/udp", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/udp/u1.tsv", dir);
	write_file(p, "# time seq delay_s len\n");
	assert_int_equal(plot_dir(dir, PLOT_ALL, "png", "segsim"), 0);
	remove_tree(dir);
}

static void test_missing_gnuplot(void **state)
{
	char dir[PATH_LEN], empty[PATH_LEN], p[PATH_LEN], *path;
	struct capture c;
	int n;

	(void)state;
	make_tmp(dir, true);
	make_tmp(empty, false);
	path = strdup(getenv("PATH"));
	assert_non_null(path);
	setenv("PATH", empty, 1);
	capture_start(&c);
	n = plot_dir(dir, PLOT_ALL, "png", "segsim");
	capture_end(&c);
	setenv("PATH", path, 1);
	free(path);
	assert_int_equal(n, -1);
	assert_non_null(strstr(c.text, "segsim: error: gnuplot not found; install it with: "
			       "apt-get install gnuplot-nox"));
	pathf(p, "%s/plots", dir);
	assert_false(exists(p));
	remove_tree(dir);
	remove_tree(empty);
}

/* A script gnuplot rejects: -1, the script's name and gnuplot's own
 * message on stderr, and no half-written plot left behind. */
static void test_gnuplot_error(void **state)
{
	char dir[PATH_LEN], scripts[PATH_LEN], p[PATH_LEN];
	struct capture c;
	int n;

	(void)state;
	make_tmp(dir, true);
	make_tmp(scripts, false);
	pathf(p, "%s/style.gp", repo_plots);
	{
		char q[PATH_LEN];

		pathf(q, "%s/style.gp", scripts);
		copy_file(p, q);
		pathf(q, "%s/queue.gp", scripts);
		write_file(q, "load plotdir . '/style.gp'\nplot infile using 1:2 with linez\n");
	}
	setenv("SEGSIM_PLOTS", scripts, 1);
	capture_start(&c);
	n = plot_dir(dir, PLOT_QUEUE, "png", "segsim");
	capture_end(&c);
	setenv("SEGSIM_PLOTS", repo_plots, 1);
	assert_int_equal(n, -1);
	assert_non_null(strstr(c.text, "gnuplot failed on queue.gp for queues/r1-r2.tsv"));
	assert_non_null(strstr(c.text, "linez"));
	pathf(p, "%s/plots/queue-r1-r2.png", dir);
	assert_false(exists(p));
	pathf(p, "%s/plots/.data/queue-r1-r2.png.part", dir);
	assert_false(exists(p));
	remove_tree(dir);
	remove_tree(scripts);
}

static void test_bad_input(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN];
	struct capture c;
	int n;

	(void)state;
	make_tmp(dir, true);
	capture_start(&c);
	n = plot_dir(dir, PLOT_ALL, "gif", "segsim");
	capture_end(&c);
	assert_int_equal(n, -1);
	assert_non_null(strstr(c.text, "unknown plot format 'gif'"));

	pathf(p, "%s/nonexistent", dir);
	capture_start(&c);
	n = plot_dir(p, PLOT_ALL, "png", "segsim");
	capture_end(&c);
	assert_int_equal(n, -1);
	assert_non_null(strstr(c.text, "not a directory"));

	/* A udp trace without the len column. */
	pathf(p, "%s/udp/u1.tsv", dir);
	write_file(p, "# time seq delay_s\n1.000000000\t0\t0.01\n");
	capture_start(&c);
	n = plot_dir(dir, PLOT_THROUGHPUT, "png", "segsim");
	capture_end(&c);
	assert_int_equal(n, -1);
	assert_non_null(strstr(c.text, "u1.tsv: expected a header naming the columns"));
	remove_tree(dir);
}

/* ---- TCP: cwnd, rtt, seq ------------------------------------------------- */

#define TCP_SAMPLE SAMPLE "/tcp"

/* An integer field "key": N of the first flow in a summary.json. */
static long summary_field(const char *dir, const char *key)
{
	char p[PATH_LEN], buf[8192], pat[64], *at;
	FILE *f;
	size_t n;

	pathf(p, "%s/summary.json", dir);
	assert_non_null(f = fopen(p, "r"));
	n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	snprintf(pat, sizeof pat, "\"%s\": ", key);
	at = strstr(buf, pat);
	assert_non_null(at);
	return strtol(at + strlen(pat), NULL, 10);
}

/* A file's lines (comments left out) into a buffer, joined with '\n'. */
static void read_rows(const char *path, char *buf, size_t len)
{
	char line[512];
	FILE *f = fopen(path, "r");
	size_t used = 0;

	assert_non_null(f);
	buf[0] = '\0';
	while (fgets(line, sizeof line, f)) {
		size_t l = strlen(line);

		if (line[0] == '#')
			continue;
		assert_true(used + l < len);
		memcpy(buf + used, line, l + 1);
		used += l;
	}
	fclose(f);
}

static const char *const tcp_plots[] = { "queue-r-b", "cwnd-f1", "rtt-f1", "seq-f1",
					 "tcp-throughput" };

static void check_tcp_format(const char *fmt, const char *magic, const char *alt_magic)
{
	char dir[PATH_LEN], p[PATH_LEN];
	struct capture c;
	int n;

	make_tmp(dir, false);
	copy_tree(TCP_SAMPLE, dir);
	capture_start(&c);
	n = plot_dir(dir, PLOT_ALL, fmt, "segsim");
	capture_end(&c);
	assert_string_equal(c.text, "");
	/* The server end sent no data: no cwnd, rtt or seq plot for it, and
	 * with one end left no cwnd-all. */
	assert_int_equal(n, 5);
	for (size_t i = 0; i < sizeof tcp_plots / sizeof tcp_plots[0]; i++) {
		pathf(p, "%s/plots/%s.%s", dir, tcp_plots[i], fmt);
		assert_true(exists(p));
		assert_true(file_size(p) > 8000);
		assert_true(starts_with(p, magic, strlen(magic)) ||
			    (alt_magic && starts_with(p, alt_magic, strlen(alt_magic))));
	}
	pathf(p, "%s/plots/cwnd-f1.server.%s", dir, fmt);
	assert_false(exists(p));
	pathf(p, "%s/plots/seq-f1.server.%s", dir, fmt);
	assert_false(exists(p));
	pathf(p, "%s/plots/cwnd-all.%s", dir, fmt);
	assert_false(exists(p));
	remove_tree(dir);
}

static void test_tcp_png(void **state)
{
	(void)state;
	check_tcp_format("png", "\x89PNG\r\n\x1a\n", NULL);
}

static void test_tcp_svg(void **state)
{
	(void)state;
	check_tcp_format("svg", "<?xml", "<svg");
}

static void test_tcp_pdf(void **state)
{
	(void)state;
	check_tcp_format("pdf", "%PDF", NULL);
}

static void test_tcp_kinds_mask(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN];

	(void)state;
	make_tmp(dir, false);
	copy_tree(TCP_SAMPLE, dir);
	assert_int_equal(plot_dir(dir, PLOT_CWND, "png", "segsim"), 1);
	assert_int_equal(plot_dir(dir, PLOT_RTT | PLOT_SEQ, "png", "segsim"), 2);
	pathf(p, "%s/plots/queue-r-b.png", dir);
	assert_false(exists(p));
	/* Without packets.tsv: no seq plot; the others do not need it. */
	pathf(p, "%s/packets.tsv", dir);
	assert_int_equal(unlink(p), 0);
	assert_int_equal(plot_dir(dir, PLOT_SEQ, "png", "segsim"), 0);
	assert_int_equal(plot_dir(dir, PLOT_CWND | PLOT_RTT, "png", "segsim"), 2);
	remove_tree(dir);
}

static void test_cwnd_classify(void **state)
{
	/* MSS 1460; the row before the event: cwnd 80 KiB in congestion
	 * avoidance, RTO 1 s. */
	const struct plot_tcp_row prev = { .cwnd = 81920, .ssthresh = 40000,
		.rto_ns = 1000000000, .snd_una = 100001, .snd_nxt = 180001 };
	struct plot_tcp_row r;

	(void)state;
	/* Reno fast retransmit: ssthresh = flight/2, cwnd = ssthresh + 3 MSS. */
	r = prev;
	r.ssthresh = 40960;
	r.cwnd = 40960 + 3 * 1460;
	assert_int_equal(plot_cwnd_classify(&prev, &r), PLOT_CONG_FAST_RETRANSMIT);
	/* Timeout: cwnd = 1 MSS, the RTO backed off, snd_nxt pulled back. */
	r = prev;
	r.ssthresh = 40960;
	r.cwnd = 1460;
	r.rto_ns = 2000000000;
	r.snd_nxt = r.snd_una + 1460;
	assert_int_equal(plot_cwnd_classify(&prev, &r), PLOT_CONG_TIMEOUT);
	/* Either sign of a timeout is enough. */
	r.rto_ns = prev.rto_ns;
	assert_int_equal(plot_cwnd_classify(&prev, &r), PLOT_CONG_TIMEOUT);
	r.rto_ns = 2000000000;
	r.snd_nxt = prev.snd_nxt;
	assert_int_equal(plot_cwnd_classify(&prev, &r), PLOT_CONG_TIMEOUT);
	/* Tahoe's fast retransmit: cwnd to 1 MSS, but no backoff and snd_nxt
	 * where it was. */
	r.rto_ns = prev.rto_ns;
	assert_int_equal(plot_cwnd_classify(&prev, &r), PLOT_CONG_FAST_RETRANSMIT);
	/* With the cstate column: entering loss with the RTO backed off is
	 * a timeout; without backoff it is Tahoe's fast retransmit, although
	 * Tahoe too goes back to snd_una. */
	{
		struct plot_tcp_row a = prev, b;

		a.cstate = PLOT_CS_OPEN;
		b = a;
		b.cstate = PLOT_CS_LOSS;
		b.cwnd = 1460;
		b.ssthresh = 40960;
		b.snd_nxt = b.snd_una;
		assert_int_equal(plot_cwnd_classify(&a, &b), PLOT_CONG_FAST_RETRANSMIT);
		b.rto_ns = 2 * a.rto_ns;
		assert_int_equal(plot_cwnd_classify(&a, &b), PLOT_CONG_TIMEOUT);
	}
	/* ECN: cwnd cut to the new ssthresh, nothing retransmitted. */
	r = prev;
	r.ssthresh = r.cwnd = 40960;
	assert_int_equal(plot_cwnd_classify(&prev, &r), PLOT_CONG_REDUCTION);
	/* Leaving slow start (ssthresh set to the unchanged cwnd): no event. */
	r = prev;
	r.ssthresh = r.cwnd;
	assert_int_equal(plot_cwnd_classify(&prev, &r), PLOT_CONG_NONE);
	/* From unlimited to a number: the first loss is an event too. */
	{
		struct plot_tcp_row ss = prev, cur;

		ss.ssthresh = PLOT_TCP_INF;
		cur = ss;
		cur.ssthresh = 40960;
		cur.cwnd = 40960 + 3 * 1460;
		assert_int_equal(plot_cwnd_classify(&ss, &cur), PLOT_CONG_FAST_RETRANSMIT);
		/* Still unlimited: never an event; nor the first row. */
		cur = ss;
		cur.cwnd = 1460;
		cur.rto_ns *= 2;
		assert_int_equal(plot_cwnd_classify(&ss, &cur), PLOT_CONG_NONE);
		assert_int_equal(plot_cwnd_classify(NULL, &prev), PLOT_CONG_NONE);
	}
	/* The same segment timing out again: ssthresh (half of the unchanged
	 * flight) stays, the RTO doubles again. */
	{
		struct plot_tcp_row t1 = prev, t2;

		t1.ssthresh = 40960;
		t1.cwnd = 1460;
		t1.rto_ns = 2000000000;
		t1.snd_nxt = t1.snd_una + 1460;
		t2 = t1;
		t2.rto_ns = 4000000000;
		assert_int_equal(plot_cwnd_classify(&t1, &t2), PLOT_CONG_TIMEOUT);
		/* ...but an RTO grown by an RTT sample comes with an ACK. */
		t2.snd_una += 1460;
		t2.cwnd += 1460;
		assert_int_equal(plot_cwnd_classify(&t1, &t2), PLOT_CONG_NONE);
		/* Growing cwnd, same ssthresh: slow start, no event. */
		t2 = t1;
		t2.cwnd = 2920;
		assert_int_equal(plot_cwnd_classify(&t1, &t2), PLOT_CONG_NONE);
	}
}

/* Four states within a few pixels: three rows of labels, the fourth only
 * a tick (side 2); more than a dozen states: only ticks (no sides). */
static void test_cwnd_states(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], rows[4096];
	FILE *f;

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/flows", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/flows/s.tsv", dir);
	write_file(p, "# time cwnd ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight state\n"
		   "0.000000000\t4380\tinf\t0\t0\t1\t0\t1\t1460\t1\tSYN-SENT\n"
		   "0.020000000\t4380\tinf\t0.02\t0.01\t1\t1\t4001\t65535\t4000\tESTABLISHED\n"
		   "1.000000000\t4380\tinf\t0.02\t0.01\t1\t4001\t4002\t65535\t1\tFIN-WAIT-1\n"
		   "1.001000000\t4380\tinf\t0.02\t0.01\t1\t4002\t4002\t65535\t0\tFIN-WAIT-2\n"
		   "1.002000000\t4380\tinf\t0.02\t0.01\t1\t4002\t4002\t65535\t0\tTIME-WAIT\n"
		   "1.003000000\t4380\tinf\t0.02\t0.01\t1\t4002\t4002\t65535\t0\tCLOSED\n");
	assert_int_equal(plot_dir(dir, PLOT_CWND, "png", "segsim"), 1);
	pathf(p, "%s/plots/.data/cwnd-s-states.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_string_equal(rows,
		"0.000000000\tSYN-SENT\t0\t0\n"
		"0.020000000\tESTABLISHED\t1\t0\n"
		"1.000000000\tFIN-WAIT-1\t0\t1\n"
		"1.001000000\tFIN-WAIT-2\t1\t1\n"
		"1.002000000\tTIME-WAIT\t2\t1\n"
		"1.003000000\tCLOSED\t0\t2\n");

	/* 20 connections one after another: 60 state changes. */
	pathf(p, "%s/flows/s.tsv", dir);
	assert_non_null(f = fopen(p, "w"));
	fprintf(f, "# time cwnd ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight state\n");
	for (int i = 0; i < 20; i++)
		fprintf(f, "%d.000000000\t4380\tinf\t0\t0\t1\t0\t1\t1460\t1\tSYN-SENT\n"
			"%d.100000000\t4380\tinf\t0.02\t0.01\t1\t1\t4001\t65535\t4000\tESTABLISHED\n"
			"%d.500000000\t4380\tinf\t0.02\t0.01\t1\t4002\t4002\t65535\t0\tCLOSED\n",
			i, i, i);
	assert_int_equal(fclose(f), 0);
	assert_int_equal(plot_dir(dir, PLOT_CWND, "png", "segsim"), 1);
	pathf(p, "%s/plots/.data/cwnd-s-states.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_non_null(strstr(rows, "19.500000000\tCLOSED\t"));
	remove_tree(dir);
}

/* On the real sample the events found in flows/f1.tsv are exactly the ones
 * segsim counted (summary.json), and each has the window Reno gives it:
 * 1 MSS after a timeout, ssthresh + 3 MSS after a fast retransmit. */
static void test_cwnd_sample(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], line[256];
	long n[4] = { 0 };
	FILE *f;

	(void)state;
	make_tmp(dir, false);
	copy_tree(TCP_SAMPLE, dir);
	assert_int_equal(plot_dir(dir, PLOT_CWND, "png", "segsim"), 1);
	pathf(p, "%s/plots/.data/cwnd-f1-events.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		double t;
		unsigned long long before, cwnd, ssthresh;
		int cls;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%lf %llu %llu %llu %d", &t, &before, &cwnd,
					&ssthresh, &cls), 5);
		assert_true(cls >= 1 && cls <= 3);
		n[cls]++;
		/* (cwnd may rise: a fast retransmit soon after a recovery
		 * ended at a lower ssthresh.) */
		assert_true(before > 0);
		if (cls == PLOT_CONG_TIMEOUT)
			assert_true(cwnd == 1460);
		if (cls == PLOT_CONG_FAST_RETRANSMIT)
			assert_true(cwnd == ssthresh + 3 * 1460);
	}
	fclose(f);
	assert_true(summary_field(dir, "timeouts") > 0);
	assert_true(summary_field(dir, "fast_retransmits") > 0);
	assert_int_equal(n[PLOT_CONG_TIMEOUT], summary_field(dir, "timeouts"));
	assert_int_equal(n[PLOT_CONG_FAST_RETRANSMIT], summary_field(dir, "fast_retransmits"));
	assert_int_equal(n[PLOT_CONG_REDUCTION], 0);

	/* The states, each change once, in the order of the trace. */
	pathf(p, "%s/plots/.data/cwnd-f1-states.dat", dir);
	{
		char rows[1024];

		/* A label takes the first row where it overlaps no other
		 * (ESTABLISHED 22 ms after SYN-SENT would); labels in the
		 * left half of the plot (the trace ends at 1.73 s) start at
		 * their tick (side 0), in the right half end there (1). */
		read_rows(p, rows, sizeof rows);
		assert_string_equal(rows,
			"0.000000000\tSYN-SENT\t0\t0\n"
			"0.022105600\tESTABLISHED\t1\t0\n"
			"1.707976640\tFIN-WAIT-1\t0\t1\n"
			"1.731461600\tFIN-WAIT-2\t1\t1\n"
			"1.731503200\tTIME-WAIT\t2\t1\n");
	}
	remove_tree(dir);
}

static void test_seq_rel(void **state)
{
	(void)state;
	assert_true(plot_seq_rel(0, 1000, 1000) == 0);
	assert_true(plot_seq_rel(0, 2001, 1000) == 1001);
	/* Across the 32-bit wrap: ISN 2^32 - 256, seq 256 -> 512. */
	assert_true(plot_seq_rel(0, 256, 0xFFFFFF00u) == 512);
	assert_true(plot_seq_rel(300, 256, 0xFFFFFF00u) == 512);
	/* A retransmission lands below the reference. */
	assert_true(plot_seq_rel(5000, 2001, 1000) == 1001);
	/* Past 4 GiB the count goes on... */
	assert_true(plot_seq_rel(UINT64_C(0xFFFFF000), 0x1000, 0) == UINT64_C(0x100001000));
	assert_true(plot_seq_rel(UINT64_C(0x100001000), 0x2000, 0) == UINT64_C(0x100002000));
	/* ...and a retransmission from before the wrap stays before it. */
	assert_true(plot_seq_rel(UINT64_C(0x100001000), 0xFFFFF800u, 0) == UINT64_C(0xFFFFF800));
	/* Never below 0. */
	assert_true(plot_seq_rel(10, 5, 0) == 5);
	assert_true(plot_seq_rel(10, 0xFFFFFFF0u, 0) == 0xFFFFFFF0u);
}

/* A hand-made packets.tsv: client a (ISN 2^32 - 1296, so its data wraps
 * past 0), router r, server b (ISN 1000); a UDP flow in between; a dropped
 * and retransmitted segment each way, a duplicate ACK, an ECN mark, a pure
 * ACK dropped, and a second connection of the same flow. */
static const char handmade_packets[] =
	"# time event node link flow seq ack len flags\n"
	"0.000000000\t+\ta\ta-r\tf1\t4294966000\t0\t0\tS\n"
	"0.000000000\t-\ta\ta-r\tf1\t4294966000\t0\t0\tS\n"
	"0.000500000\t-\ta\ta-r\tu1\t0\t-\t100\t-\n"
	"0.001000000\tr\tr\ta-r\tf1\t4294966000\t0\t0\tS\n"
	"0.001000000\t-\tr\tr-b\tf1\t4294966000\t0\t0\tS\n"
	"0.002000000\tr\tb\tr-b\tf1\t4294966000\t0\t0\tS\n"
	"0.002000000\t-\tb\tb-r\tf1\t1000\t4294966001\t0\tSA\n"
	"0.003000000\t-\tr\tr-a\tf1\t1000\t4294966001\t0\tSA\n"
	"0.004000000\tr\ta\tr-a\tf1\t1000\t4294966001\t0\tSA\n"
	"0.004000000\t-\ta\ta-r\tf1\t4294966001\t1001\t1000\tA\n"
	"0.004100000\t-\ta\ta-r\tf1\t4294967001\t1001\t1000\tPA\n"
	"0.004200000\t-\ta\ta-r\tf1\t705\t1001\t1000\tA\n"
	"0.004500000\t-\tr\tr-b\tf1\t4294966001\t1001\t1000\tA\n"
	"0.005000000\td\tr\tr-b\tf1\t4294967001\t1001\t1000\tPA\n"
	"0.006000000\tr\ta\tr-a\tf1\t1001\t4294967001\t0\tA\n"
	"0.007000000\tr\ta\tr-a\tf1\t1001\t4294967001\t0\tA\n"
	"0.007500000\td\tr\tr-a\tf1\t1001\t4294967001\t0\tA\n"
	"0.008000000\t-\ta\ta-r\tf1\t4294967001\t1001\t1000\tA\n"
	"0.009000000\t-\tb\tb-r\tf1\t1001\t1705\t500\tPA\n"
	"0.009500000\td\tr\tr-a\tf1\t1001\t1705\t500\tPA\n"
	"0.010000000\tr\ta\tr-a\tf1\t1001\t1705\t0\tA\n"
	"0.011000000\t-\tb\tb-r\tf1\t1001\t1705\t500\tPA\n"
	"0.012000000\tr\tb\tr-b\tf1\t1705\t1501\t0\tA\n"
	"0.013000000\t-\ta\ta-r\tf1\t1705\t1501\t0\tFA\n"
	"0.014000000\tm\tr\tr-b\tf1\t1705\t1501\t0\tFA*\n"
	"0.020000000\t-\ta\ta-r\tf1\t5\t0\t0\tS\n"
	"0.021000000\t-\tb\tb-r\tf1\t77777\t6\t0\tSA\n"
	"0.022000000\tr\ta\tr-a\tf1\t77777\t6\t0\tSA\n"
	"0.022000000\t-\ta\ta-r\tf1\t6\t77778\t100\tPA\n";

static void test_seq_handmade(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], rows[4096];

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/packets.tsv", dir);
	write_file(p, handmade_packets);
	assert_int_equal(plot_dir(dir, PLOT_SEQ, "png", "segsim"), 2);
	pathf(p, "%s/plots/seq-f1.png", dir);
	assert_true(file_size(p) > 8000);
	pathf(p, "%s/plots/seq-f1.server.png", dir);
	assert_true(file_size(p) > 8000);

	/* The client's segments: only the dequeues at a (not r's), relative
	 * to its SYN across the wrap; the drop at r and the mark found to
	 * be the client's; the retransmission below the highest sent; the
	 * second connection starting again from 0, not a retransmission. */
	pathf(p, "%s/plots/.data/seq-f1.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_string_equal(rows,
		"0.000000000\t0\t0\t1\tS\n"
		"0.004000000\t0\t1\t1000\tA\n"
		"0.004100000\t0\t1001\t1000\tPA\n"
		"0.004200000\t0\t2001\t1000\tA\n"
		"0.005000000\t2\t1001\t1000\tPA\n"
		"0.008000000\t1\t1001\t1000\tA\n"
		"0.013000000\t0\t3001\t1\tFA\n"
		"0.014000000\t3\t3001\t1\tFA*\n"
		"0.020000000\t0\t0\t1\tS\n"
		"0.022000000\t0\t1\t100\tPA\n");
	/* ACKs arriving at a, dup included; a break before the second
	 * connection. */
	pathf(p, "%s/plots/.data/seq-f1-ack.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_string_equal(rows,
		"0.004000000\t1\n"
		"0.006000000\t1001\n"
		"0.007000000\t1001\n"
		"0.010000000\t3001\n"
		"\n"
		"0.022000000\t1\n");
	/* The server's data, its drop (told from the client's by seq and
	 * ack) and retransmission; the ACK that reached b. */
	pathf(p, "%s/plots/.data/seq-f1.server.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_string_equal(rows,
		"0.002000000\t0\t0\t1\tSA\n"
		"0.009000000\t0\t1\t500\tPA\n"
		"0.009500000\t2\t1\t500\tPA\n"
		"0.011000000\t1\t1\t500\tPA\n"
		"0.021000000\t0\t0\t1\tSA\n");
	pathf(p, "%s/plots/.data/seq-f1.server-ack.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_string_equal(rows, "0.012000000\t501\n");
	remove_tree(dir);
}

/* Both ends with ISN 0 (scenario `isn: 0`, for readable numbers): the
 * numbers cannot tell the two directions' segments apart, the links can.
 * h1 - r1 - r2 - h2; the directions of r1-r2 and r2-r1 are learnt by
 * following the SYN and the SYN-ACK from link to link.  A drop on a link
 * no segment was seen on stays out; a second SYN with the same ISN after
 * the first was acknowledged is a new connection, not a retransmission. */
static const char same_isn_packets[] =
	"# time event node link flow seq ack len flags\n"
	"0.000000000\t+\th1\th1-r1\tf\t0\t0\t0\tS\n"
	"0.000000000\t-\th1\th1-r1\tf\t0\t0\t0\tS\n"
	"0.001000000\tr\tr1\th1-r1\tf\t0\t0\t0\tS\n"
	"0.001000000\t+\tr1\tr1-r2\tf\t0\t0\t0\tS\n"
	"0.001000000\t-\tr1\tr1-r2\tf\t0\t0\t0\tS\n"
	"0.002000000\tr\tr2\tr1-r2\tf\t0\t0\t0\tS\n"
	"0.002000000\t+\tr2\tr2-h2\tf\t0\t0\t0\tS\n"
	"0.002000000\t-\tr2\tr2-h2\tf\t0\t0\t0\tS\n"
	"0.003000000\tr\th2\tr2-h2\tf\t0\t0\t0\tS\n"
	"0.003000000\t+\th2\th2-r2\tf\t0\t1\t0\tSA\n"
	"0.003000000\t-\th2\th2-r2\tf\t0\t1\t0\tSA\n"
	"0.004000000\tr\tr2\th2-r2\tf\t0\t1\t0\tSA\n"
	"0.004000000\t+\tr2\tr2-r1\tf\t0\t1\t0\tSA\n"
	"0.004000000\t-\tr2\tr2-r1\tf\t0\t1\t0\tSA\n"
	"0.005000000\tr\tr1\tr2-r1\tf\t0\t1\t0\tSA\n"
	"0.005000000\t+\tr1\tr1-h1\tf\t0\t1\t0\tSA\n"
	"0.005000000\t-\tr1\tr1-h1\tf\t0\t1\t0\tSA\n"
	"0.006000000\tr\th1\tr1-h1\tf\t0\t1\t0\tSA\n"
	"0.006000000\t-\th1\th1-r1\tf\t1\t1\t100\tPA\n"
	"0.007000000\t-\th2\th2-r2\tf\t1\t1\t100\tPA\n"
	"0.008000000\td\tr1\tr1-r2\tf\t1\t1\t100\tPA\n"
	"0.009000000\td\tr2\tr2-r1\tf\t1\t1\t100\tPA\n"
	"0.010000000\td\tr9\tr9-r8\tf\t1\t1\t100\tPA\n"
	"0.020000000\t-\th1\th1-r1\tf\t0\t0\t0\tS\n";

static void test_seq_same_isn(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], rows[4096];

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/packets.tsv", dir);
	write_file(p, same_isn_packets);
	assert_int_equal(plot_dir(dir, PLOT_SEQ, "png", "segsim"), 2);
	pathf(p, "%s/plots/.data/seq-f.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_string_equal(rows,
		"0.000000000\t0\t0\t1\tS\n"
		"0.006000000\t0\t1\t100\tPA\n"
		"0.008000000\t2\t1\t100\tPA\n"
		"0.020000000\t0\t0\t1\tS\n");
	pathf(p, "%s/plots/.data/seq-f.server.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_string_equal(rows,
		"0.003000000\t0\t0\t1\tSA\n"
		"0.007000000\t0\t1\t100\tPA\n"
		"0.009000000\t2\t1\t100\tPA\n");
	/* No ACK reached the server: its plot has no ACK line, and says so
	 * to gnuplot rather than hand it an empty file. */
	pathf(p, "%s/plots/seq-f.server.png", dir);
	assert_true(file_size(p) > 8000);
	remove_tree(dir);
}

/* On the real sample: every retransmission segsim counted is found, every
 * drop of the flow, and the whole stream (SYN + 400 kB + FIN) is sent and
 * acknowledged. */
static void test_seq_sample(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], line[256];
	long n[4] = { 0 }, drops = 0;
	unsigned long long top = 0, ack_top = 0;
	FILE *f;

	(void)state;
	make_tmp(dir, false);
	copy_tree(TCP_SAMPLE, dir);
	assert_int_equal(plot_dir(dir, PLOT_SEQ, "png", "segsim"), 1);
	pathf(p, "%s/plots/.data/seq-f1.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		double t;
		unsigned long long rel, len;
		int type;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%lf %d %llu %llu", &t, &type, &rel, &len), 4);
		assert_true(type >= 0 && type <= 3);
		n[type]++;
		if (rel + len > top)
			top = rel + len;
	}
	fclose(f);
	assert_int_equal(n[1], summary_field(dir, "retransmits"));
	pathf(p, "%s/packets.tsv", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		char t[32], ev[4];

		if (sscanf(line, "%31s %3s", t, ev) == 2 && !strcmp(ev, "d"))
			drops++;
	}
	fclose(f);
	assert_true(drops > 0);
	assert_int_equal(n[2], drops);
	assert_true(top == (unsigned long long)summary_field(dir, "bytes_sent") + 2);
	pathf(p, "%s/plots/.data/seq-f1-ack.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		double t;
		unsigned long long a;

		if (line[0] != '#' && sscanf(line, "%lf %llu", &t, &a) == 2 && a > ack_top)
			ack_top = a;
	}
	fclose(f);
	assert_true(ack_top == top);
	/* The window limit line from flows/f1.tsv. */
	pathf(p, "%s/plots/.data/seq-f1-win.dat", dir);
	assert_true(file_size(p) > 1000);
	remove_tree(dir);
}

/* Long TCP traces are plotted from reduced copies that keep every slice's
 * extremes; the congestion events come from the whole trace. */
static void test_tcp_long(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], line[256];
	FILE *f;
	long rows = 0, events = 0;
	unsigned long long lo = ~0ull, hi = 0;

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/flows", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/flows/x.tsv", dir);
	assert_non_null(f = fopen(p, "w"));
	fprintf(f, "# time cwnd ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight state\n");
	/* 100000 rows over 100 s: a sawtooth from 20000 up by 100 a row, a
	 * timeout every 1000 rows (cwnd 1460, ssthresh 10000 + k, RTO
	 * doubled for that row); one spike to 999999. */
	for (long k = 0; k < 100000; k++) {
		bool to = k % 1000 == 999;
		unsigned long cwnd = to ? 1460 : 20000 + 100 * (unsigned long)(k % 1000);

		if (k == 31415)
			cwnd = 999999;
		fprintf(f, "%ld.%03ld000000\t%lu\t%ld\t0.050000000\t0.001000000\t%s\t%ld\t%ld"
			"\t65535\t%lu\tESTABLISHED\n", k / 1000, k % 1000, cwnd,
			k < 999 ? 0 : 10000 + (k - 999) / 1000, to ? "2.000000000" : "1.000000000",
			1 + 1000 * k, 1 + 1000 * k + (long)cwnd, cwnd);
	}
	assert_int_equal(fclose(f), 0);
	/* ssthresh 0 before the first timeout would be an event at row 1;
	 * write inf there instead. */
	{
		char q[PATH_LEN];
		FILE *in, *out;

		pathf(q, "%s/flows/x.tmp", dir);
		assert_non_null(in = fopen(p, "r"));
		assert_non_null(out = fopen(q, "w"));
		while (fgets(line, sizeof line, in)) {
			char *tab1 = strchr(line, '\t'), *tab2 = tab1 ? strchr(tab1 + 1, '\t') : NULL;
			char *tab3 = tab2 ? strchr(tab2 + 1, '\t') : NULL;

			if (line[0] != '#' && tab3 && tab3 - tab2 == 2 && tab2[1] == '0')
				fprintf(out, "%.*s\tinf%s", (int)(tab2 - line), line, tab3);
			else
				fputs(line, out);
		}
		fclose(in);
		assert_int_equal(fclose(out), 0);
		assert_int_equal(rename(q, p), 0);
	}
	assert_int_equal(plot_dir(dir, PLOT_CWND | PLOT_RTT, "png", "segsim"), 2);
	pathf(p, "%s/plots/cwnd-x.png", dir);
	assert_true(file_size(p) > 8000);

	pathf(p, "%s/plots/.data/cwnd-x.tsv", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		double t;
		unsigned long long cwnd;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%lf %llu", &t, &cwnd), 2);
		lo = cwnd < lo ? cwnd : lo;
		hi = cwnd > hi ? cwnd : hi;
		rows++;
	}
	fclose(f);
	assert_true(rows >= 2000 && rows <= 8 * 2000);
	assert_true(lo == 1460 && hi == 999999);
	/* Every timeout found in the full trace. */
	pathf(p, "%s/plots/.data/cwnd-x-events.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		int cls;
		double t;
		unsigned long long a, b, c;

		if (line[0] != '#') {
			assert_int_equal(sscanf(line, "%lf %llu %llu %llu %d", &t, &a, &b, &c, &cls), 5);
			assert_int_equal(cls, PLOT_CONG_TIMEOUT);
			events++;
		}
	}
	fclose(f);
	assert_int_equal(events, 100);
	pathf(p, "%s/plots/.data/rtt-x.tsv", dir);
	assert_true(exists(p));
	remove_tree(dir);
}

/* 30000 segments: the seq data is reduced, but not its retransmissions. */
static void test_seq_long(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], line[256];
	FILE *f;
	long rows = 0, rexmit = 0;

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/packets.tsv", dir);
	assert_non_null(f = fopen(p, "w"));
	fprintf(f, "# time event node link flow seq ack len flags\n"
		"0.000000000\t-\ta\ta-r\tf\t100\t0\t0\tS\n");
	for (long k = 0; k < 30000; k++) {
		fprintf(f, "%ld.%06ld000\t-\ta\ta-r\tf\t%ld\t7\t1000\tA\n", k / 1000000 + 1,
			k % 1000000 * 30, 101 + 1000 * k);
		if (k % 1000 == 500)    /* a retransmission of the segment before */
			fprintf(f, "%ld.%06ld001\t-\ta\ta-r\tf\t%ld\t7\t1000\tA\n",
				k / 1000000 + 1, k % 1000000 * 30, 101 + 1000 * (k - 1));
	}
	assert_int_equal(fclose(f), 0);
	assert_int_equal(plot_dir(dir, PLOT_SEQ, "png", "segsim"), 1);
	pathf(p, "%s/plots/.data/seq-f.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		double t;
		int type;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%lf %d", &t, &type), 2);
		rexmit += type == 1;
		rows++;
	}
	fclose(f);
	assert_true(rows < 20000);
	assert_int_equal(rexmit, 30);
	remove_tree(dir);
}

static void test_tcp_bad_input(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN];
	struct capture c;
	int n;

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/flows", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/flows/f1.tsv", dir);
	write_file(p, "# time cwnd ssthresh\n0.1\t1460\tinf\n");
	capture_start(&c);
	n = plot_dir(dir, PLOT_CWND, "png", "segsim");
	capture_end(&c);
	assert_int_equal(n, -1);
	assert_non_null(strstr(c.text, "f1.tsv: expected the header \"# time cwnd ssthresh srtt"));

	write_file(p, "# time cwnd ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight state\n"
		   "0.1\t1460\tinf\t0\t0\t1\t0\t1\t0\t1\tSYN-SENT\n"
		   "0.2\tlots\tinf\t0\t0\t1\t0\t1\t0\t1\tSYN-SENT\n");
	capture_start(&c);
	n = plot_dir(dir, PLOT_RTT, "png", "segsim");
	capture_end(&c);
	assert_int_equal(n, -1);
	assert_non_null(strstr(c.text, "f1.tsv:3: malformed row"));

	/* Only the header, or an end that never sent data (the server of
	 * an upload: SYN-ACK and FIN only): no plot. */
	write_file(p, "# time cwnd ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight state\n");
	assert_int_equal(plot_dir(dir, PLOT_CWND | PLOT_RTT, "png", "segsim"), 0);
	write_file(p, "# time cwnd ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight state\n"
		   "0.011052800\t4380\tinf\t0.000000000\t0.000000000\t1.000000000\t0\t1\t65535\t1\tSYN-RECEIVED\n"
		   "0.034425600\t4381\tinf\t0.023000000\t0.011500000\t1.000000000\t1\t1\t262144\t0\tESTABLISHED\n"
		   "1.720374240\t4381\tinf\t0.023000000\t0.011500000\t1.000000000\t1\t2\t262144\t1\tLAST-ACK\n"
		   "1.742548960\t4382\tinf\t0.022875000\t0.008875000\t1.000000000\t2\t2\t262144\t0\tCLOSED\n");
	assert_int_equal(plot_dir(dir, PLOT_CWND | PLOT_RTT, "png", "segsim"), 0);
	pathf(p, "%s/plots/cwnd-f1.png", dir);
	assert_false(exists(p));
	pathf(p, "%s/plots/rtt-f1.png", dir);
	assert_false(exists(p));

	/* A TCP row of packets.tsv with a broken seq. */
	pathf(p, "%s/packets.tsv", dir);
	write_file(p, "# time event node link flow seq ack len flags\n"
		   "0.0\t-\ta\ta-b\tf1\t100\t0\t0\tS\n"
		   "0.1\t-\ta\ta-b\tf1\tx101\t0\t10\tA\n");
	capture_start(&c);
	n = plot_dir(dir, PLOT_SEQ, "png", "segsim");
	capture_end(&c);
	assert_int_equal(n, -1);
	assert_non_null(strstr(c.text, "packets.tsv:3: malformed row"));
	remove_tree(dir);
}

/* ---- finding the scripts ------------------------------------------------ */

static void test_script_dir(void **state)
{
	char buf[PATH_LEN], tree[PATH_LEN], p[PATH_LEN], style[PATH_LEN];
	const char *r;

	(void)state;
	/* $SEGSIM_PLOTS wins... */
	r = plot_script_dir("/nonexistent/segsim", buf, sizeof buf);
	assert_non_null(r);
	assert_string_equal(r, repo_plots);
	/* ...and is final: a directory without style.gp is no fallback. */
	setenv("SEGSIM_PLOTS", "/nonexistent", 1);
	assert_null(plot_script_dir("./segsim", buf, sizeof buf));

	/* Unset: next to the executable (a build tree: ./segsim, ./plots). */
	unsetenv("SEGSIM_PLOTS");
	r = plot_script_dir("./segsim", buf, sizeof buf);
	assert_non_null(r);
	assert_string_equal(r, "./plots");

	/* An installed tree: PREFIX/bin/segsim, PREFIX/share/segsim/plots. */
	make_tmp(tree, false);
	pathf(style, "%s/style.gp", repo_plots);
	pathf(p, "%s/bin", tree);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/share", tree);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/share/segsim", tree);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/share/segsim/plots", tree);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/share/segsim/plots/style.gp", tree);
	copy_file(style, p);
	pathf(p, "%s/bin/segsim", tree);
	r = plot_script_dir(p, buf, sizeof buf);
	assert_non_null(r);
	pathf(p, "%s/bin/../share/segsim/plots", tree);
	assert_string_equal(r, p);

	/* Through a symlink elsewhere: /x/link -> PREFIX/bin/segsim. */
	pathf(p, "%s/bin/segsim", tree);
	write_file(p, "");
	{
		char link[PATH_LEN];

		pathf(link, "%s/link", tree);
		assert_int_equal(symlink(p, link), 0);
		r = plot_script_dir(link, buf, sizeof buf);
		assert_non_null(r);
		pathf(p, "%s/bin/../share/segsim/plots", tree);
		assert_string_equal(r, p);
	}
	remove_tree(tree);
	setenv("SEGSIM_PLOTS", repo_plots, 1);
}

/* The scripts are found through argv0 when SEGSIM_PLOTS is not set. */
static void test_plot_via_argv0(void **state)
{
	char dir[PATH_LEN];

	(void)state;
	make_tmp(dir, true);
	unsetenv("SEGSIM_PLOTS");
	assert_int_equal(plot_dir(dir, PLOT_DELAY, "svg", "./segsim"), 1);
	setenv("SEGSIM_PLOTS", repo_plots, 1);
	remove_tree(dir);
}

/* ---- across flows: tcp-throughput, Jain's index, cwnd-all, --flows -------- */

#define TCP2_SAMPLE SAMPLE "/tcp2"

/* A whole (small) file into a malloc'ed string. */
static char *slurp(const char *path)
{
	FILE *f = fopen(path, "rb");
	char *buf;
	long n;

	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	n = ftell(f);
	assert_true(n >= 0);
	rewind(f);
	buf = malloc((size_t)n + 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, (size_t)n, f), (size_t)n);
	buf[n] = '\0';
	fclose(f);
	return buf;
}

static bool file_has(const char *path, const char *text)
{
	char *s = slurp(path);
	bool found = strstr(s, text) != NULL;

	free(s);
	return found;
}

static void test_jain(void **state)
{
	const double equal[] = { 3, 3, 3 }, one[] = { 5, 0, 0, 0 }, x[] = { 2, 1 },
		     zero[] = { 0, 0 };

	(void)state;
	assert_true(fabs(plot_jain(equal, 3) - 1) < 1e-12);
	assert_true(fabs(plot_jain(one, 4) - 0.25) < 1e-12);          /* 1/n */
	assert_true(fabs(plot_jain(x, 2) - 0.9) < 1e-12);             /* 9 / (2 * 5) */
	assert_true(isnan(plot_jain(zero, 2)));
}

#define TRACE_HDR "# time cwnd ssthresh srtt rttvar rto snd_una snd_nxt rwnd inflight state\n"

/* Two ends whose acknowledged bytes are known:
 *   f1: +1000 at 0.5 s, +3000 at 1.0, +2000 at 2.0, +1000 at 3.0
 *   f2: +2000 at 1.0, +1000 at 2.5, +6000 at 3.5
 * (the 0 -> 1 of the SYN not counted), and a server end that sent nothing.
 * Both move data from max(0.5, 1.0) = 1.0 s to min(3.0, 3.5) = 3.0 s; in
 * (1.0, 3.0] f1 has 3000 bytes, f2 1000: 12000 and 4000 b/s, and Jain's
 * index (16000)^2 / (2 (12000^2 + 4000^2)) = 256 / 320 = 0.8.  srtt 100 ms:
 * the 4 s run's 20 ms bins widen to 200 ms (two round trips). */
static void test_tcp_tput_handmade(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], rows[4096];

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/flows", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/summary.json", dir);
	write_file(p, "{\n  \"duration_s\": 4\n}\n");
	pathf(p, "%s/flows/f1.tsv", dir);
	write_file(p, TRACE_HDR
		"0.000000000\t1460\tinf\t0.000000000\t0.000000000\t1.000000000\t0\t1\t0\t1\tSYN-SENT\n"
		"0.100000000\t1460\tinf\t0.100000000\t0.050000000\t1.000000000\t1\t1\t9000\t0\tESTABLISHED\n"
		"0.500000000\t2920\tinf\t0.100000000\t0.050000000\t1.000000000\t1001\t4001\t9000\t3000\tESTABLISHED\n"
		"1.000000000\t2920\tinf\t0.100000000\t0.050000000\t1.000000000\t4001\t6001\t9000\t2000\tESTABLISHED\n"
		"2.000000000\t2920\tinf\t0.100000000\t0.050000000\t1.000000000\t6001\t7001\t9000\t1000\tESTABLISHED\n"
		"3.000000000\t2920\tinf\t0.100000000\t0.050000000\t1.000000000\t7001\t7001\t9000\t0\tESTABLISHED\n");
	pathf(p, "%s/flows/f2.tsv", dir);
	write_file(p, TRACE_HDR
		"0.400000000\t1460\tinf\t0.000000000\t0.000000000\t1.000000000\t0\t1\t0\t1\tSYN-SENT\n"
		"0.500000000\t1460\tinf\t0.100000000\t0.050000000\t1.000000000\t1\t2001\t9000\t2000\tESTABLISHED\n"
		"1.000000000\t1460\tinf\t0.100000000\t0.050000000\t1.000000000\t2001\t3001\t9000\t1000\tESTABLISHED\n"
		"2.500000000\t1460\tinf\t0.100000000\t0.050000000\t1.000000000\t3001\t9001\t9000\t6000\tESTABLISHED\n"
		"3.500000000\t1460\tinf\t0.100000000\t0.050000000\t1.000000000\t9001\t9001\t9000\t0\tESTABLISHED\n");
	pathf(p, "%s/flows/f1.server.tsv", dir);
	write_file(p, TRACE_HDR
		"0.050000000\t1460\tinf\t0.000000000\t0.000000000\t1.000000000\t0\t1\t0\t1\tSYN-RECEIVED\n"
		"0.100000000\t1460\tinf\t0.050000000\t0.025000000\t1.000000000\t1\t1\t9000\t0\tESTABLISHED\n");
	assert_int_equal(plot_dir(dir, PLOT_TCP_THROUGHPUT, "svg", "segsim"), 1);
	pathf(p, "%s/plots/tcp-throughput.svg", dir);
	assert_true(file_has(p, "bytes acknowledged per 200 ms bin"));
	assert_true(file_has(p, "fairness index 0.8000 (mean throughputs over 1.00"));
	assert_true(file_has(p, "3.00 s)"));
	/* The table: two ends (not the server), bytes per 200 ms bin as Mb/s:
	 * 1000 B in [0.4, 0.6) is 0.04; the edges 1.0 and 2.0 open bins. */
	pathf(p, "%s/plots/.data/tcp-throughput.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_non_null(strstr(rows, "0.400000000\t0.040000\t0.000000\t0.040000\n"));
	assert_non_null(strstr(rows, "1.000000000\t0.120000\t0.080000\t0.200000\n"));
	assert_non_null(strstr(rows, "2.000000000\t0.080000\t0.000000\t0.080000\n"));
	assert_non_null(strstr(rows, "2.400000000\t0.000000\t0.040000\t0.040000\n"));
	assert_non_null(strstr(rows, "3.400000000\t0.000000\t0.240000\t0.240000\n"));
	/* 20 bins and the closing row at 4 s. */
	assert_non_null(strstr(rows, "3.800000000\t0.000000\t0.000000\t0.000000\n"
				     "4.000000000\t0.000000\t0.000000\t0.000000\n"));

	/* Ends that never move data at the same time are compared over the
	 * whole run: f2 moved to after f1's last byte. */
	pathf(p, "%s/flows/f2.tsv", dir);
	write_file(p, TRACE_HDR
		"3.100000000\t1460\tinf\t0.000000000\t0.000000000\t1.000000000\t0\t1\t0\t1\tSYN-SENT\n"
		"3.200000000\t1460\tinf\t0.100000000\t0.050000000\t1.000000000\t1\t7001\t9000\t7000\tESTABLISHED\n"
		"3.500000000\t1460\tinf\t0.100000000\t0.050000000\t1.000000000\t7001\t7001\t9000\t0\tESTABLISHED\n");
	assert_int_equal(plot_dir(dir, PLOT_TCP_THROUGHPUT, "svg", "segsim"), 1);
	/* 7000 bytes each over the 4 s: equal. */
	pathf(p, "%s/plots/tcp-throughput.svg", dir);
	assert_true(file_has(p, "fairness index 1.0000 (mean throughputs over 0.00"));
	remove_tree(dir);
}

/* Independently of plot_tcp.c: per end, the snd_una increments between
 * synchronized rows; Jain's index over the common interval. */
static double sample_jain(const char *dir, int n_ends, const char *const *ends)
{
	int64_t first[4], last[4], from = 0, to = INT64_MAX;
	double x[4];

	assert_true(n_ends <= 4);
	for (int pass = 0; pass < 2; pass++)
		for (int e = 0; e < n_ends; e++) {
			char p[PATH_LEN], line[512];
			FILE *f;
			long long una = -1, in_window = 0;
			bool synced = false;

			pathf(p, "%s/flows/%s.tsv", dir, ends[e]);
			assert_non_null(f = fopen(p, "r"));
			first[e] = pass ? first[e] : -1;
			while (fgets(line, sizeof line, f)) {
				char t[32], state[32];
				long long u;
				int64_t ns;

				if (line[0] == '#')
					continue;
				assert_int_equal(sscanf(line, "%31s %*s %*s %*s %*s %*s %lld %*s %*s %*s %31s",
							t, &u, state), 3);
				assert_int_equal(plot_parse_time_ns(t, &ns), 0);
				if (!strcmp(state, "SYN-SENT") || !strcmp(state, "SYN-RECEIVED") ||
				    !strcmp(state, "CLOSED") || !strcmp(state, "LISTEN")) {
					synced = false;
					continue;
				}
				if (synced && u > una) {
					if (!pass) {
						if (first[e] < 0)
							first[e] = ns;
						last[e] = ns;
					} else if (ns > from && ns <= to) {
						in_window += u - una;
					}
				}
				synced = true;
				una = u;
			}
			fclose(f);
			if (!pass) {
				from = first[e] > from ? first[e] : from;
				to = last[e] < to ? last[e] : to;
			} else {
				x[e] = (double)in_window / ((double)(to - from) / 1e9);
			}
		}
	assert_true(to > from);
	return plot_jain(x, (size_t)n_ends);
}

/* The two-flow sample: the index in the title is the one computed here from
 * the traces, and the table has the two ends. */
static void test_tcp_tput_sample(void **state)
{
	static const char *const ends[] = { "f1", "f2" };
	char dir[PATH_LEN], p[PATH_LEN], want[128], line[512];
	double j;
	FILE *f;

	(void)state;
	make_tmp(dir, false);
	copy_tree(TCP2_SAMPLE, dir);
	assert_int_equal(plot_dir(dir, PLOT_TCP_THROUGHPUT, "svg", "segsim"), 1);
	j = sample_jain(dir, 2, ends);
	/* Two flows, one ahead: clearly below 1, clearly above 1/2. */
	assert_true(j > 0.55 && j < 0.99);
	snprintf(want, sizeof want, "fairness index %.4f (mean", j);
	pathf(p, "%s/plots/tcp-throughput.svg", dir);
	assert_true(file_has(p, want));
	pathf(p, "%s/plots/.data/tcp-throughput.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(strstr(line, "# bin_start_s end1_mbps end2_mbps aggregate_mbps"));
	fclose(f);
	remove_tree(dir);
}

static void test_cwnd_all(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN];

	(void)state;
	make_tmp(dir, false);
	copy_tree(TCP2_SAMPLE, dir);
	/* cwnd-f1, cwnd-f2 and cwnd-all */
	assert_int_equal(plot_dir(dir, PLOT_CWND, "svg", "segsim"), 3);
	pathf(p, "%s/plots/cwnd-all.svg", dir);
	assert_true(file_has(p, "cwnd of every TCP flow (2)"));
	assert_true(file_has(p, ">f1<"));
	assert_true(file_has(p, ">f2<"));
	/* Both flows had congestion events: their marks and the key entry. */
	assert_true(file_has(p, "congestion event"));
	remove_tree(dir);
}

static void test_flows_filter(void **state)
{
	static const char *const only_f2[] = { "f2" };
	static const char *const want[] = { "cwnd-f2", "rtt-f2", "seq-f2", "tcp-throughput",
					    "queue-r-b" };
	static const char *const not_want[] = { "cwnd-f1", "rtt-f1", "seq-f1", "cwnd-all" };
	struct plot_opts o = { .format = "png", .flows = only_f2, .n_flows = 1 };
	char dir[PATH_LEN], p[PATH_LEN], line[512];
	FILE *f;

	(void)state;
	make_tmp(dir, false);
	copy_tree(TCP2_SAMPLE, dir);
	assert_int_equal(plot_dir_opts(dir, PLOT_ALL, &o, "segsim"), 5);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		pathf(p, "%s/plots/%s.png", dir, want[i]);
		assert_true(exists(p));
	}
	for (size_t i = 0; i < sizeof not_want / sizeof not_want[0]; i++) {
		pathf(p, "%s/plots/%s.png", dir, not_want[i]);
		assert_false(exists(p));
	}
	/* The throughput table has f2 alone. */
	pathf(p, "%s/plots/.data/tcp-throughput.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	assert_non_null(fgets(line, sizeof line, f));
	assert_non_null(strstr(line, "# bin_start_s end1_mbps aggregate_mbps"));
	fclose(f);
	/* No data for f1 was made either. */
	pathf(p, "%s/plots/.data/seq-f1.dat", dir);
	assert_false(exists(p));

	/* A flow by another name: nothing of TCP. */
	{
		static const char *const other[] = { "nosuch" };
		struct plot_opts o2 = { .format = "png", .flows = other, .n_flows = 1 };
		char dir2[PATH_LEN];

		make_tmp(dir2, false);
		copy_tree(TCP2_SAMPLE, dir2);
		assert_int_equal(plot_dir_opts(dir2, PLOT_CWND | PLOT_RTT | PLOT_SEQ |
					       PLOT_TCP_THROUGHPUT, &o2, "segsim"), 0);
		assert_true(plot_dir_has_flow(dir2, "f1"));
		assert_false(plot_dir_has_flow(dir2, "nosuch"));
		remove_tree(dir2);
	}
	remove_tree(dir);
}

/* ---- overlays -------------------------------------------------------------- */

static void test_run_labels(void **state)
{
	const char *const dirs[] = { "/x/a/run", "/y/b/run/", "/z/c", "/w/a/run" };
	char *l[4];

	(void)state;
	plot_run_labels(dirs, 4, l);
	/* "run" three times: two components tell b from the a's, which need
	 * three. */
	assert_string_equal(l[0], "x/a/run");
	assert_string_equal(l[1], "b/run");
	assert_string_equal(l[2], "c");
	assert_string_equal(l[3], "w/a/run");
	for (int i = 0; i < 4; i++)
		free(l[i]);
}

/* The one-flow sample and the two-flow sample as two runs "reno" and
 * "newreno": one overlay per flow, link and kind, each run labelled. */
static void test_overlay(void **state)
{
	static const char *const both[] = { "overlay-cwnd-f1", "overlay-rtt-f1",
					    "overlay-seq-f1", "overlay-tcp-throughput" };
	char dir[PATH_LEN], a[PATH_LEN], b[PATH_LEN], p[PATH_LEN];
	const char *dirs[2] = { a, b };
	struct plot_opts o = { .format = "svg" };
	struct capture c;
	int n;

	(void)state;
	make_tmp(dir, false);
	pathf(a, "%s/reno", dir);
	pathf(b, "%s/newreno", dir);
	assert_int_equal(mkdir(a, 0777), 0);
	assert_int_equal(mkdir(b, 0777), 0);
	copy_tree(TCP_SAMPLE, a);
	copy_tree(TCP2_SAMPLE, b);
	capture_start(&c);
	n = plot_overlay(dirs, 2, PLOT_ALL, &o, "segsim");
	capture_end(&c);
	assert_string_equal(c.text, "");
	/* f1 in both runs (cwnd, rtt, seq), f2 only in newreno (cwnd, rtt,
	 * seq), the throughput of both; the queues are r-b in both. */
	assert_int_equal(n, 8);
	for (size_t i = 0; i < sizeof both / sizeof both[0]; i++) {
		pathf(p, "%s/plots/%s.svg", a, both[i]);
		assert_true(exists(p));
		assert_true(file_has(p, "reno"));
		assert_true(file_has(p, "newreno"));
	}
	pathf(p, "%s/plots/overlay-cwnd-f1.svg", a);
	assert_true(file_has(p, ">reno<"));
	assert_true(file_has(p, ">newreno<"));
	pathf(p, "%s/plots/overlay-cwnd-f2.svg", a);
	assert_true(file_has(p, ">newreno<"));
	assert_false(file_has(p, ">reno<"));
	pathf(p, "%s/plots/overlay-queue-r-b.svg", a);
	assert_true(file_has(p, ">reno<") && file_has(p, ">newreno<"));
	/* newreno has two ends: each is named, and its index is in the title;
	 * reno's one end has none. */
	pathf(p, "%s/plots/overlay-tcp-throughput.svg", a);
	assert_true(file_has(p, "newreno: f2"));
	assert_true(file_has(p, "fairness index: newreno 0."));
	assert_false(file_has(p, "reno 0.") && !file_has(p, "newreno 0."));
	/* Both runs' seq data, in their own directories. */
	pathf(p, "%s/plots/.data/overlay/run1/seq-f1.dat", a);
	assert_true(exists(p));
	pathf(p, "%s/plots/.data/overlay/run2/seq-f2.dat", a);
	assert_true(exists(p));
	/* Nothing of the runs' own plots. */
	pathf(p, "%s/plots/cwnd-f1.svg", a);
	assert_false(exists(p));
	pathf(p, "%s/plots", b);
	assert_false(exists(p));
	remove_tree(dir);
}

/* -o: elsewhere; --flows: those flows; two runs of one name: longer labels. */
static void test_overlay_outdir_flows(void **state)
{
	static const char *const only_f1[] = { "f1" };
	char dir[PATH_LEN], a[PATH_LEN], b[PATH_LEN], out[PATH_LEN], p[PATH_LEN];
	const char *dirs[2] = { a, b };
	struct plot_opts o = { .format = "svg", .flows = only_f1, .n_flows = 1, .outdir = out };

	(void)state;
	make_tmp(dir, false);
	pathf(a, "%s/x", dir);
	assert_int_equal(mkdir(a, 0777), 0);
	pathf(a, "%s/x/run", dir);
	pathf(b, "%s/y", dir);
	assert_int_equal(mkdir(b, 0777), 0);
	pathf(b, "%s/y/run", dir);
	assert_int_equal(mkdir(a, 0777), 0);
	assert_int_equal(mkdir(b, 0777), 0);
	copy_tree(TCP2_SAMPLE, a);
	copy_tree(TCP2_SAMPLE, b);
	pathf(out, "%s/cmp/sub", dir);
	/* f1 only: cwnd, rtt, seq, throughput; the queue too */
	assert_int_equal(plot_overlay(dirs, 2, PLOT_ALL, &o, "segsim"), 5);
	pathf(p, "%s/overlay-cwnd-f1.svg", out);
	assert_true(file_has(p, ">x/run<"));
	assert_true(file_has(p, ">y/run<"));
	pathf(p, "%s/overlay-cwnd-f2.svg", out);
	assert_false(exists(p));
	pathf(p, "%s/plots", a);
	assert_false(exists(p));
	remove_tree(dir);
}

/* ---- RTT samples and SACK blocks ------------------------------------------- */

/* Client c (ISN 1000) and server s (ISN 5000) of flow h: the SYN's round
 * trip (20 ms); two segments acknowledged by one ACK (timed from the older,
 * sent at 0.100: 50 ms); a retransmitted segment acknowledged (none, Karn);
 * a segment acknowledged in two parts (50 ms, from its sending); a
 * duplicate ACK (none).  The server's SYN-ACK: 20 ms. */
static const char rtt_packets[] =
	"# time event node link flow seq ack len flags\n"
	"0.000000000\t+\tc\tc-s\th\t1000\t0\t0\tS\n"
	"0.000000000\t-\tc\tc-s\th\t1000\t0\t0\tS\n"
	"0.010000000\tr\ts\tc-s\th\t1000\t0\t0\tS\n"
	"0.010000000\t+\ts\ts-c\th\t5000\t1001\t0\tSA\n"
	"0.010000000\t-\ts\ts-c\th\t5000\t1001\t0\tSA\n"
	"0.020000000\tr\tc\ts-c\th\t5000\t1001\t0\tSA\n"
	"0.020000000\t+\tc\tc-s\th\t1001\t5001\t0\tA\n"
	"0.030000000\tr\ts\tc-s\th\t1001\t5001\t0\tA\n"
	"0.100000000\t+\tc\tc-s\th\t1001\t5001\t100\tA\n"
	"0.110000000\t+\tc\tc-s\th\t1101\t5001\t100\tA\n"
	"0.120000000\t+\tc\tc-s\th\t1201\t5001\t100\tA\n"
	"0.150000000\tr\tc\ts-c\th\t5001\t1201\t0\tA\n"
	"0.200000000\t+\tc\tc-s\th\t1201\t5001\t100\tA\n"
	"0.260000000\tr\tc\ts-c\th\t5001\t1301\t0\tA\n"
	"0.300000000\t+\tc\tc-s\th\t1301\t5001\t100\tA\n"
	"0.330000000\tr\tc\ts-c\th\t5001\t1351\t0\tA\n"
	"0.350000000\tr\tc\ts-c\th\t5001\t1401\t0\tA\n"
	"0.360000000\tr\tc\ts-c\th\t5001\t1401\t0\tA\n";

static void test_rtt_samples_handmade(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], rows[1024];

	(void)state;
	make_tmp(dir, false);
	pathf(p, "%s/packets.tsv", dir);
	write_file(p, rtt_packets);
	pathf(p, "%s/flows", dir);
	assert_int_equal(mkdir(p, 0777), 0);
	pathf(p, "%s/flows/h.tsv", dir);
	write_file(p, TRACE_HDR
		"0.000000000\t1460\tinf\t0.000000000\t0.000000000\t1.000000000\t0\t1\t0\t1\tSYN-SENT\n"
		"0.020000000\t1460\tinf\t0.020000000\t0.010000000\t1.000000000\t1\t1\t9000\t0\tESTABLISHED\n"
		"0.120000000\t2920\tinf\t0.020000000\t0.010000000\t1.000000000\t1\t301\t9000\t300\tESTABLISHED\n"
		"0.350000000\t2920\tinf\t0.030000000\t0.010000000\t1.000000000\t401\t401\t9000\t0\tESTABLISHED\n");
	pathf(p, "%s/flows/h.server.tsv", dir);
	write_file(p, TRACE_HDR
		"0.010000000\t1460\tinf\t0.000000000\t0.000000000\t1.000000000\t0\t1\t0\t1\tSYN-RECEIVED\n"
		"0.030000000\t1460\tinf\t0.020000000\t0.010000000\t1.000000000\t1\t1\t9000\t0\tESTABLISHED\n");
	assert_int_equal(plot_dir(dir, PLOT_RTT, "svg", "segsim"), 1);
	pathf(p, "%s/plots/.data/rtt-h-samples.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_string_equal(rows,
		"0.020000000\t0.020000000\n"
		"0.150000000\t0.050000000\n"
		"0.350000000\t0.050000000\n");
	pathf(p, "%s/plots/.data/rtt-h.server-samples.dat", dir);
	read_rows(p, rows, sizeof rows);
	assert_string_equal(rows, "0.030000000\t0.020000000\n");
	pathf(p, "%s/plots/rtt-h.svg", dir);
	assert_true(file_has(p, "RTT sample, from packets.tsv (3)"));
	remove_tree(dir);
}

/* On the real sample: the first sample is the handshake's round trip,
 * which RFC 6298 2.2 makes the first srtt. */
static void test_rtt_samples_sample(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], line[256];
	long n = 0;
	FILE *f;

	(void)state;
	make_tmp(dir, false);
	copy_tree(TCP_SAMPLE, dir);
	assert_int_equal(plot_dir(dir, PLOT_RTT, "png", "segsim"), 1);
	pathf(p, "%s/plots/.data/rtt-f1-samples.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		double t, r;

		if (line[0] == '#')
			continue;
		assert_int_equal(sscanf(line, "%lf %lf", &t, &r), 2);
		if (n++ == 0)
			assert_string_equal(line, "0.022105600\t0.022105600\n");
		/* 20 ms of propagation there and back, at most a 15-packet
		 * queue at 10 Mb/s (18 ms) and delayed ACKs (200 ms). */
		assert_true(r >= 0.0221 && r < 0.25);
	}
	fclose(f);
	assert_true(n > 50);
	remove_tree(dir);
}

/* The sender a1 of the two-flow sample was captured (headers only): the
 * SACK blocks of the ACKs it got, relative to f1's ISN.  tcpdump -r
 * pcap/a1.pcap shows 186 blocks, the first sack 1 {207065:208513}. */
static void test_seq_sack_sample(void **state)
{
	char dir[PATH_LEN], p[PATH_LEN], line[256];
	long n = 0;
	FILE *f;

	(void)state;
	make_tmp(dir, false);
	copy_tree(TCP2_SAMPLE, dir);
	assert_int_equal(plot_dir(dir, PLOT_SEQ, "svg", "segsim"), 2);
	pathf(p, "%s/plots/.data/seq-f1-sack.dat", dir);
	assert_non_null(f = fopen(p, "r"));
	while (fgets(line, sizeof line, f)) {
		if (line[0] == '#')
			continue;
		if (n++ == 0)
			assert_string_equal(line, "0.289510000\t207065\t208513\n");
	}
	fclose(f);
	assert_int_equal(n, 186);
	pathf(p, "%s/plots/seq-f1.svg", dir);
	assert_true(file_has(p, "SACK block (186)"));
	/* f2's sender was not captured: no SACK blocks. */
	pathf(p, "%s/plots/.data/seq-f2-sack.dat", dir);
	assert_false(exists(p));
	pathf(p, "%s/plots/seq-f2.svg", dir);
	assert_false(file_has(p, "SACK block"));
	remove_tree(dir);
}

static int setup(void **state)
{
	char cwd[PATH_LEN];

	(void)state;
	if (!getcwd(cwd, sizeof cwd))
		return -1;
	if (snprintf(repo_plots, sizeof repo_plots, "%s/plots", cwd) >= (int)sizeof repo_plots)
		return -1;
	setenv("SEGSIM_PLOTS", repo_plots, 1);
	if (access(SAMPLE "/queues/r1-r2.tsv", R_OK) != 0) {
		fprintf(stderr, "test_plot: run from the repository root (no %s)\n", SAMPLE);
		return -1;
	}
	return 0;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_time),
		cmocka_unit_test(test_bin_width),
		cmocka_unit_test(test_bin_add),
		cmocka_unit_test(test_png),
		cmocka_unit_test(test_svg),
		cmocka_unit_test(test_pdf),
		cmocka_unit_test(test_kinds_mask),
		cmocka_unit_test(test_queue_drops),
		cmocka_unit_test(test_throughput_sample),
		cmocka_unit_test(test_throughput_no_summary),
		cmocka_unit_test(test_throughput_short_last_bin),
		cmocka_unit_test(test_quoted_names),
		cmocka_unit_test(test_long_queue),
		cmocka_unit_test(test_nothing_to_plot),
		cmocka_unit_test(test_missing_gnuplot),
		cmocka_unit_test(test_gnuplot_error),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_script_dir),
		cmocka_unit_test(test_plot_via_argv0),
		cmocka_unit_test(test_tcp_png),
		cmocka_unit_test(test_tcp_svg),
		cmocka_unit_test(test_tcp_pdf),
		cmocka_unit_test(test_tcp_kinds_mask),
		cmocka_unit_test(test_cwnd_classify),
		cmocka_unit_test(test_cwnd_sample),
		cmocka_unit_test(test_cwnd_states),
		cmocka_unit_test(test_seq_rel),
		cmocka_unit_test(test_seq_handmade),
		cmocka_unit_test(test_seq_same_isn),
		cmocka_unit_test(test_seq_sample),
		cmocka_unit_test(test_tcp_long),
		cmocka_unit_test(test_seq_long),
		cmocka_unit_test(test_tcp_bad_input),
		cmocka_unit_test(test_jain),
		cmocka_unit_test(test_tcp_tput_handmade),
		cmocka_unit_test(test_tcp_tput_sample),
		cmocka_unit_test(test_cwnd_all),
		cmocka_unit_test(test_flows_filter),
		cmocka_unit_test(test_run_labels),
		cmocka_unit_test(test_overlay),
		cmocka_unit_test(test_overlay_outdir_flows),
		cmocka_unit_test(test_rtt_samples_handmade),
		cmocka_unit_test(test_rtt_samples_sample),
		cmocka_unit_test(test_seq_sack_sample),
	};

	return cmocka_run_group_tests(tests, setup, NULL);
}
