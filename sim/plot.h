/*
 * plot.h - render an output directory's traces as gnuplot plots.
 *
 * plot_dir() looks for the traces each plot kind reads (queues/, udp/, ...),
 * prepares small data files where the plot needs computed values (throughput
 * bins, drops per queue) under DIR/plots/.data/, and runs gnuplot once per
 * plot with one script per kind (plots/KIND.gp, sharing plots/style.gp).
 * Plots land in DIR/plots/: queue-NAME.FMT (one per queue), throughput.FMT,
 * delay.FMT.  docs/plots.md lists the variables each script receives.
 *
 * Call order: plot_dir() (it calls plot_script_dir() itself); the other
 * functions are exposed for the tests.
 */
#ifndef SEGSIM_PLOT_H
#define SEGSIM_PLOT_H

#include <stddef.h>
#include <stdint.h>

/* Same bits as SCN_PLOT_* in scenario.h, so a scenario's choice passes
 * straight through. */
enum {
	PLOT_QUEUE = 1u << 0,
	PLOT_THROUGHPUT = 1u << 1,
	PLOT_DELAY = 1u << 2,
	PLOT_ALL = PLOT_QUEUE | PLOT_THROUGHPUT | PLOT_DELAY,
};

/* Render the plots in `kinds` for the traces found in dir into dir/plots/ in
 * format "png" | "svg" | "pdf".  argv0 is the program path (to find the
 * scripts).  A kind with no input traces is skipped silently.  Returns the
 * number of plots written, or -1 with a message on stderr (gnuplot missing,
 * scripts not found, gnuplot failed: the script name and gnuplot's stderr). */
int plot_dir(const char *dir, unsigned kinds, const char *format, const char *argv0);

/* Where the .gp scripts are: $SEGSIM_PLOTS if set (and nothing else), else
 * <dir of executable>/plots, else <dir of executable>/../share/segsim/plots,
 * else PLOT_PREFIX/share/segsim/plots (PLOT_PREFIX defaults to /usr/local).
 * A directory counts only if it holds style.gp.  Writes the path into buf
 * and returns buf, or NULL if none. */
const char *plot_script_dir(const char *argv0, char *buf, size_t len);

/* Bin width for a run of duration_ns: duration/200 rounded to the nearest
 * (on a log scale) 1, 2 or 5 times a power of ten, at least 1 us, so bin
 * edges are round numbers and a plot has about 125 to 320 bins. */
int64_t plot_bin_width_ns(int64_t duration_ns);

/* Add n datagrams (receive time, payload bytes) to throughput bins: bin k
 * covers [k*width, (k+1)*width).  bytes[] accumulates per bin; datagrams
 * past the last bin or before 0 are ignored. */
void plot_bin_add(uint64_t *bytes, size_t nbins, int64_t width_ns,
		  const int64_t *time_ns, const uint32_t *len_bytes, size_t n);

/* A bin's byte count as Mb/s over width_ns. */
double plot_bin_mbps(uint64_t bytes, int64_t width_ns);

/* Parse a trace time "S.FFFFFFFFF" (up to nine decimals) exactly into
 * nanoseconds.  Returns 0, or -1 if s is not such a number. */
int plot_parse_time_ns(const char *s, int64_t *ns);

#endif
