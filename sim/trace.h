/*
 * trace.h - per-packet event trace (packets.tsv) and trace file helpers.
 *
 * Columns (contract, DESIGN.md): time event node link flow seq ack len flags
 *   event: '+' enqueue, '-' dequeue (start of transmission), 'r' receive
 *          (end of propagation, at the far node), 'd' drop, 'm' ECN mark.
 * Files are fully buffered; nothing is flushed until the run ends.
 */
#ifndef SEGSIM_TRACE_H
#define SEGSIM_TRACE_H

#include <stdio.h>
#include "sim.h"

struct link_dir;

struct trace {
	FILE *packets;          /* packets.tsv or NULL */
};

/* Open a trace file under dir (creating subdirectories), big buffer, header
 * line "# col col ...".  NULL with a message on stderr on failure. */
FILE *trace_open(const char *dir, const char *rel, const char *header);
void trace_close(FILE *f);

void trace_pkt_write(struct sim *s, char ev, const struct node *n,
		     const struct link_dir *d, const struct packet *p);

static inline void trace_pkt(struct sim *s, char ev, const struct node *n,
			     const struct link_dir *d, const struct packet *p)
{
	if (s->trace && s->trace->packets)
		trace_pkt_write(s, ev, n, d, p);
}

/* "%.9f" of a time in seconds, without going through floating point. */
int trace_fmt_time(char *buf, sim_time_t t);
/* The same without a terminator, and an unsigned number: fast row
 * building (each returns the end of what it wrote). */
char *trace_put_time(char *p, sim_time_t t);
char *trace_put_u64(char *p, uint64_t v);

#endif
