/*
 * trace.c - trace files: opening with a header, the per-packet trace.
 *
 * Times are printed as seconds with nine decimals straight from the integer
 * nanoseconds, so no floating-point rounding can differ between machines.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "trace.h"
#include "node.h"
#include "link.h"

#define TRACE_BUF (1u << 20)

/* Digits of v at p, no terminator; returns the end.  Traces write one row
 * per ACK, and printf's format parsing was a third of a traced run. */
char *trace_put_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* Seconds with nine decimals ("12.000000500"), no terminator. */
char *trace_put_time(char *p, sim_time_t t)
{
	uint64_t u = (uint64_t)t;

	if (t < 0) {
		*p++ = '-';
		u = (uint64_t)0 - u;
	}
	p = trace_put_u64(p, u / (uint64_t)SIM_S);
	*p++ = '.';
	/* nine digits, last first: divisions by the constant 10 are
	 * multiplications */
	uint32_t f = (uint32_t)(u % (uint64_t)SIM_S);

	for (int i = 8; i >= 0; i--) {
		p[i] = (char)('0' + f % 10);
		f /= 10;
	}
	return p + 9;
}

int trace_fmt_time(char *buf, sim_time_t t)
{
	char *e = trace_put_time(buf, t);

	*e = '\0';
	return (int)(e - buf);
}

/* mkdir -p for the directories in path (not the last component). */
static int mkdirs_for(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0777) < 0 && errno != EEXIST) {
			*p = '/';
			return -1;
		}
		*p = '/';
	}
	return 0;
}

FILE *trace_open(const char *dir, const char *rel, const char *header)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	if (mkdirs_for(path) < 0 || !(f = fopen(path, "w"))) {
		fprintf(stderr, "segsim: error: cannot write %s: %s\n", path, strerror(errno));
		return NULL;
	}
	setvbuf(f, NULL, _IOFBF, TRACE_BUF);
	if (header)
		fprintf(f, "# %s\n", header);
	return f;
}

void trace_close(FILE *f)
{
	if (f)
		fclose(f);
}

static void flags_str(const struct packet *p, char *out)
{
	static const char names[] = "FSRPAUEC";
	int n = 0;

	if (p->proto == IPPROTO_TCP_)
		for (int i = 0; i < 8; i++)
			if (p->tcp.flags & (1u << i))
				out[n++] = names[i];
	if (p->ecn == ECN_CE)
		out[n++] = '*';
	if (n == 0)
		out[n++] = '-';
	out[n] = '\0';
}

void trace_pkt_write(struct sim *s, char ev, const struct node *n,
		     const struct link_dir *d, const struct packet *p)
{
	char t[32], fl[12];
	const char *flow = p->flow < s->n_flows ? s->flow_names[p->flow] : "-";
	FILE *f = s->trace->packets;

	trace_fmt_time(t, s->now);
	flags_str(p, fl);
	if (p->proto == IPPROTO_TCP_)
		fprintf(f, "%s\t%c\t%s\t%s\t%s\t%" PRIu32 "\t%" PRIu32 "\t%" PRIu32 "\t%s\n",
			t, ev, n->name, d ? d->name : "-", flow,
			p->tcp.seq, p->tcp.ack, p->payload_len, fl);
	else
		fprintf(f, "%s\t%c\t%s\t%s\t%s\t%" PRIu32 "\t-\t%" PRIu32 "\t%s\n",
			t, ev, n->name, d ? d->name : "-", flow,
			p->app_seq, p->payload_len, fl);
}
