/*
 * summary.c - summary.json (contract in DESIGN.md) and the results table.
 */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include "summary.h"
#include "link.h"
#include "node.h"
#include "queue.h"
#include "route.h"

void summary_kv_int(struct summary_kv *kv, int *n, const char *key, uint64_t v)
{
	if (*n < SUMMARY_MAX_KV)
		kv[(*n)++] = (struct summary_kv){ .key = key, .u = v };
}

void summary_kv_real(struct summary_kv *kv, int *n, const char *key, double v)
{
	if (*n < SUMMARY_MAX_KV)
		kv[(*n)++] = (struct summary_kv){ .key = key, .is_real = true, .d = v };
}

static void json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_real(FILE *f, double d)
{
	if (!isfinite(d))
		fputs("null", f);
	else
		fprintf(f, "%.9g", d);
}

static void json_kvs(FILE *f, const struct summary_kv *kv, int n, const char *indent)
{
	for (int i = 0; i < n; i++) {
		fprintf(f, "%s\"%s\": ", indent, kv[i].key);
		if (kv[i].is_real)
			json_real(f, kv[i].d);
		else
			fprintf(f, "%" PRIu64, kv[i].u);
		fputs(i + 1 < n ? ",\n" : "\n", f);
	}
}

static void write_flows(FILE *f, const struct summary *sm)
{
	fputs("  \"flows\": [", f);
	for (int i = 0; i < sm->n_flows; i++) {
		const struct summary_flow *fl = &sm->flows[i];

		fputs(i ? ",\n    {\n" : "\n    {\n", f);
		fputs("      \"name\": ", f); json_str(f, fl->name);
		fputs(",\n      \"proto\": ", f); json_str(f, fl->proto);
		fputs(",\n      \"app\": ", f); json_str(f, fl->app);
		fputs(",\n      \"from\": ", f); json_str(f, fl->from);
		fputs(",\n      \"to\": ", f); json_str(f, fl->to);
		fprintf(f, ",\n      \"bytes_sent\": %" PRIu64, fl->bytes_sent);
		fprintf(f, ",\n      \"bytes_delivered\": %" PRIu64, fl->bytes_delivered);
		fputs(",\n      \"goodput_bps\": ", f); json_real(f, fl->goodput_bps);
		fprintf(f, ",\n      \"retransmits\": %" PRIu64, fl->retransmits);
		fprintf(f, ",\n      \"timeouts\": %" PRIu64, fl->timeouts);
		fprintf(f, ",\n      \"fast_retransmits\": %" PRIu64, fl->fast_retransmits);
		fputs(",\n      \"final_state\": ", f); json_str(f, fl->final_state);
		fputs(",\n      \"integrity\": ", f); json_str(f, fl->integrity);
		if (fl->extra_name) {
			fprintf(f, ",\n      \"%s\": {\n", fl->extra_name);
			json_kvs(f, fl->extra, fl->n_extra, "        ");
			fputs("      }", f);
		}
		fputs("\n    }", f);
	}
	fputs(sm->n_flows ? "\n  ],\n" : "],\n", f);
}

static void write_queues(FILE *f, const struct sim *s)
{
	bool first = true;

	fputs("  \"queues\": [", f);
	for (int i = 0; i < s->n_links; i++)
		for (int k = 0; k < 2; k++) {
			const struct queue *q = s->links[i]->dir[k].q;
			double waited = (double)q->dequeued;

			fputs(first ? "\n    {" : ",\n    {", f);
			first = false;
			fputs("\"name\": ", f); json_str(f, q->name);
			fputs(", \"type\": ", f); json_str(f, q->ops->name);
			fprintf(f, ", \"enqueued\": %" PRIu64 ", \"dropped\": %" PRIu64
				", \"marked\": %" PRIu64, q->enqueued, q->dropped, q->marked);
			fputs(", \"avg_len_pkts\": ", f);
			json_real(f, queue_avg_len_pkts(q, s->now));
			fputs(", \"mean_wait_s\": ", f);
			json_real(f, waited > 0 ? q->wait_sum_ns / waited / 1e9 : 0.0);
			fprintf(f, ", \"dropped_early\": %" PRIu64 ", \"dropped_forced\": %" PRIu64 "}",
				q->dropped_early, q->dropped_forced);
		}
	fputs(first ? "],\n" : "\n  ],\n", f);
}

static void write_links(FILE *f, const struct sim *s)
{
	bool first = true;

	fputs("  \"links\": [", f);
	for (int i = 0; i < s->n_links; i++)
		for (int k = 0; k < 2; k++) {
			const struct link_dir *d = &s->links[i]->dir[k];

			fputs(first ? "\n    {" : ",\n    {", f);
			first = false;
			fputs("\"name\": ", f); json_str(f, d->name);
			fputs(", \"utilization\": ", f); json_real(f, link_utilization(d, s->now));
			fprintf(f, ", \"tx_packets\": %" PRIu64 ", \"tx_bytes\": %" PRIu64
				", \"lost\": %" PRIu64 ", \"duplicated\": %" PRIu64
				", \"reordered\": %" PRIu64 ", \"corrupted\": %" PRIu64
				", \"lost_link_down\": %" PRIu64 "}",
				d->tx_pkts, d->tx_bytes, d->faults.lost, d->faults.duplicated,
				d->faults.reordered, d->faults.corrupted, d->lost_down);
		}
	fputs(first ? "],\n" : "\n  ],\n", f);
}

static void write_nodes(FILE *f, const struct sim *s, const struct summary *sm)
{
	fputs("  \"nodes\": [", f);
	for (int i = 0; i < s->n_nodes; i++) {
		const struct node *n = s->nodes[i];

		fprintf(f, "%s    {\n      \"name\": ", i ? ",\n" : "\n");
		json_str(f, n->name);
		fprintf(f, ",\n      \"addr\": \"%u.%u.%u.%u\"", n->addr >> 24,
			(n->addr >> 16) & 255, (n->addr >> 8) & 255, n->addr & 255);
		fprintf(f, ",\n      \"forwarded\": %" PRIu64 ",\n      \"no_route\": %" PRIu64
			",\n      \"ttl_expired\": %" PRIu64, n->forwarded, n->no_route, n->ttl_expired);
		if (sm->nodes && sm->nodes[i].n) {
			fputs(",\n", f);
			json_kvs(f, sm->nodes[i].kv, sm->nodes[i].n, "      ");
			fputs("    }", f);
		} else {
			fputs("\n    }", f);
		}
	}
	fputs(s->n_nodes ? "\n  ]\n" : "]\n", f);
}

int summary_write_json(const struct sim *s, const struct summary *sm, const char *dir)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof path, "%s/summary.json", dir);
	if (!(f = fopen(path, "w"))) {
		fprintf(stderr, "segsim: error: cannot write %s\n", path);
		return -1;
	}
	fputs("{\n  \"scenario\": ", f);
	json_str(f, sm->scenario);
	fprintf(f, ",\n  \"seed\": %" PRIu64 ",\n  \"duration_s\": ", sm->seed);
	json_real(f, sim_sec(sm->duration));
	fprintf(f, ",\n  \"events\": %" PRIu64 ",\n", s->events_run);
	write_flows(f, sm);
	write_queues(f, s);
	write_links(f, s);
	write_nodes(f, s, sm);
	fputs("}\n", f);
	return fclose(f) == 0 ? 0 : -1;
}

void summary_print(FILE *f, const struct sim *s, const struct summary *sm)
{
	fprintf(f, "scenario %s  seed %" PRIu64 "  simulated %.3f s  events %" PRIu64 "\n",
		sm->scenario, sm->seed, sim_sec(sm->duration), s->events_run);
	if (sm->n_flows) {
		fprintf(f, "\n%-14s %-5s %-12s %14s %14s %12s\n", "flow", "proto", "app",
			"sent B", "delivered B", "goodput Mb/s");
		for (int i = 0; i < sm->n_flows; i++) {
			const struct summary_flow *fl = &sm->flows[i];

			fprintf(f, "%-14s %-5s %-12s %14" PRIu64 " %14" PRIu64 " %12.3f\n",
				fl->name, fl->proto, fl->app, fl->bytes_sent,
				fl->bytes_delivered, fl->goodput_bps / 1e6);
		}
	}
	fprintf(f, "\n%-20s %-9s %10s %9s %8s %9s %7s\n", "queue", "type", "enqueued",
		"dropped", "marked", "avg pkts", "util");
	for (int i = 0; i < s->n_links; i++)
		for (int k = 0; k < 2; k++) {
			const struct link_dir *d = &s->links[i]->dir[k];
			const struct queue *q = d->q;

			if (q->enqueued == 0 && q->dropped == 0)
				continue;       /* idle directions are noise */
			fprintf(f, "%-20s %-9s %10" PRIu64 " %9" PRIu64 " %8" PRIu64
				" %9.3f %6.1f%%\n", q->name, q->ops->name, q->enqueued,
				q->dropped, q->marked, queue_avg_len_pkts(q, s->now),
				100.0 * link_utilization(d, s->now));
		}
}
