/*
 * plot.h - render output directories' traces as gnuplot plots.
 *
 * plot_dir() looks for the traces each plot kind reads (queues/, udp/,
 * flows/, packets.tsv), prepares small data files where the plot needs
 * computed values (throughput bins, drops per queue, congestion events,
 * relative sequence numbers, RTT samples) under DIR/plots/.data/, and runs
 * gnuplot once per plot with one script per kind (plots/KIND.gp, sharing
 * plots/style.gp).  Plots land in DIR/plots/: queue-NAME.FMT (one per
 * queue), throughput.FMT, delay.FMT (UDP), cwnd-NAME.FMT and rtt-NAME.FMT
 * (one per flows/NAME.tsv, the server ends' as NAME.server), cwnd-all.FMT
 * (every TCP end that sent data, when there are two or more),
 * tcp-throughput.FMT (bytes acknowledged per bin, with Jain's fairness
 * index), seq-NAME.FMT (one per direction of a TCP connection that carried
 * data, from packets.tsv).  plot_overlay() draws several output directories
 * (runs) in one figure per plot: overlay-cwnd-NAME.FMT and so on.
 * docs/plots.md lists the variables each script receives.
 *
 * Call order: plot_dir() or plot_overlay() (they call plot_script_dir()
 * themselves); the other functions are exposed for the tests.
 */
#ifndef SEGSIM_PLOT_H
#define SEGSIM_PLOT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Same bits as SCN_PLOT_* in scenario.h, so a scenario's choice passes
 * straight through. */
enum {
	PLOT_QUEUE = 1u << 0,
	PLOT_THROUGHPUT = 1u << 1,
	PLOT_DELAY = 1u << 2,
	PLOT_CWND = 1u << 3,
	PLOT_RTT = 1u << 4,
	PLOT_SEQ = 1u << 5,
	PLOT_TCP_THROUGHPUT = 1u << 6,
	PLOT_ALL = PLOT_QUEUE | PLOT_THROUGHPUT | PLOT_DELAY | PLOT_CWND | PLOT_RTT |
		   PLOT_SEQ | PLOT_TCP_THROUGHPUT,
};

/* Choices beyond the kinds; a zeroed struct means the defaults. */
struct plot_opts {
	const char *format;             /* "png" (NULL), "svg" or "pdf" */
	/* Plot only these flows (a TCP flow's server end NAME.server with
	 * NAME); queues are not flows and stay.  n_flows 0: every flow. */
	const char *const *flows;
	size_t n_flows;
	/* Where the plots go: NULL for DIR/plots/ (plot_dir()) or the first
	 * directory's plots/ (plot_overlay()).  Their data files go to
	 * OUTDIR/.data/. */
	const char *outdir;
};

/* Render the plots in `kinds` for the traces found in dir into dir/plots/ in
 * format "png" | "svg" | "pdf".  argv0 is the program path (to find the
 * scripts).  A kind with no input traces is skipped silently.  Returns the
 * number of plots written, or -1 with a message on stderr (gnuplot missing,
 * scripts not found, gnuplot failed: the script name and gnuplot's stderr). */
int plot_dir(const char *dir, unsigned kinds, const char *format, const char *argv0);

/* plot_dir() with the choices of opts (NULL: defaults). */
int plot_dir_opts(const char *dir, unsigned kinds, const struct plot_opts *opts,
		  const char *argv0);

/* Several output directories (runs of one scenario, say under different
 * congestion controls) overlaid, one figure per plot, each run in its own
 * colour and labelled by plot_run_labels():
 *   overlay-cwnd-NAME      cwnd of the end NAME in every run that has it
 *   overlay-rtt-NAME       its srtt
 *   overlay-seq-NAME       its time-sequence graph (data, retransmissions,
 *                          ACK line), from packets.tsv
 *   overlay-tcp-throughput bytes acknowledged per bin, each TCP end of each
 *                          run (the aggregate per run when that is over 12
 *                          lines), Jain's index per run in the title
 *   overlay-throughput     UDP received throughput likewise
 *   overlay-queue-LINK     queue length
 * into opts->outdir, default the first directory's plots/, data under its
 * .data/overlay/.  Every run is binned with the same width (from the
 * longest run).  Returns the number of plots written, or -1. */
int plot_overlay(const char *const *dirs, size_t n_dirs, unsigned kinds,
		 const struct plot_opts *opts, const char *argv0);

/* The legend label of each run: the directory's base name; where two runs
 * share it, the last two components, and so on until they differ (or the
 * whole path).  labels[i] are malloc'ed, freed by the caller. */
void plot_run_labels(const char *const *dirs, size_t n, char **labels);

/* Whether dir has a flow called name: a trace of it, or summary.json
 * naming it (for a warning about --flows). */
bool plot_dir_has_flow(const char *dir, const char *name);

/* Jain's fairness index (sum x)^2 / (n sum x^2) of n >= 1 values: 1 when all
 * are equal, 1/n when one has everything.  NaN when all are 0. */
double plot_jain(const double *x, size_t n);

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
/* The numbers of a TCP row of packets.tsv: time, seq, ack, length. */
int plot_pkt_nums(char **f, int64_t *t, unsigned long long *seq,
		  unsigned long long *ack, unsigned long long *len);

/* ---- TCP ---------------------------------------------------------------- */

/* ssthresh while unlimited ("inf" in the trace). */
#define PLOT_TCP_INF UINT64_MAX

/* The fields of a flows/NAME.tsv row that tell congestion events apart. */
struct plot_tcp_row {
	uint64_t cwnd;          /* bytes */
	uint64_t ssthresh;      /* bytes, PLOT_TCP_INF while unlimited */
	int64_t rto_ns;         /* current RTO, backoff included */
	uint64_t snd_una, snd_nxt;
	int cstate;             /* the cstate column: PLOT_CS_*, 0 if absent */
};

/* Congestion states of the trace's cstate column. */
enum { PLOT_CS_NONE = 0, PLOT_CS_OPEN, PLOT_CS_DISORDER, PLOT_CS_CWR,
       PLOT_CS_RECOVERY, PLOT_CS_LOSS };

enum plot_cong {
	PLOT_CONG_NONE = 0,
	PLOT_CONG_TIMEOUT = 1,          /* cwnd to the loss window (1 segment) */
	PLOT_CONG_FAST_RETRANSMIT = 2,  /* cwnd to ssthresh + 3 segments (or
					   1 segment without an RTO backoff:
					   Tahoe) */
	PLOT_CONG_REDUCTION = 3,        /* cwnd cut to ssthresh, nothing
					   retransmitted (ECN) */
};

/* What happened between two consecutive rows of a flow trace (prev NULL for
 * the first row):
 *   - ssthresh changed to a number: a congestion event.  cwnd above the new
 *     ssthresh is a fast retransmit (Reno's ssthresh + 3 segments); cwnd
 *     below it a timeout (cwnd = 1 segment, RTO backed off or snd_nxt
 *     pulled back; without either, Tahoe's fast retransmit); cwnd cut to
 *     exactly ssthresh a reduction (ECN).  ssthresh set at or above an
 *     unchanged cwnd (leaving slow start) is no event.
 *   - ssthresh unchanged, nothing acknowledged, cwnd not grown and below
 *     ssthresh, and the RTO grew: a repeated timeout (ssthresh is still
 *     half the old flight).
 * Pure arithmetic on the rows, for the tests. */
enum plot_cong plot_cwnd_classify(const struct plot_tcp_row *prev,
				  const struct plot_tcp_row *cur);

/* A 32-bit sequence number relative to isn, (seq - isn) mod 2^32, unwrapped
 * to the 64-bit value nearest to ref (the highest relative value seen so
 * far), so a transfer past 4 GiB keeps counting up and a retransmission
 * lands just below ref.  Never below 0. */
uint64_t plot_seq_rel(uint64_t ref, uint32_t seq, uint32_t isn);

#endif
