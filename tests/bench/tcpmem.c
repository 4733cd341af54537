/*
 * tcpmem.c - memory per idle established TCP connection.
 *
 * Two hosts joined by a link; a listener on one, N connections from the
 * other, run until all are ESTABLISHED and idle.  Reports sizeof(struct
 * tcb) and the resident memory added per connection (both ends' tcbs, so
 * per connection it is two control blocks plus their share of the tables).
 *
 *   tcpmem [N]     default 10000
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "build.h"
#include "scenario.h"
#include "tcp.h"

static long rss_kb(void)
{
	FILE *f = fopen("/proc/self/statm", "r");
	long pages = 0, res = 0;

	if (f) {
		if (fscanf(f, "%ld %ld", &pages, &res) != 2)
			res = 0;
		fclose(f);
	}
	return res * 4;
}

static int established;
static void on_connected(struct sim *s, struct tcb *t)
{
	(void)s;
	(void)t;
	established++;
}
static const struct tcp_user_ops user = { .connected = on_connected };

int main(int argc, char **argv)
{
	int n = argc > 1 ? atoi(argv[1]) : 10000;
	const char *yaml = "nodes: [a, b]\nlinks: [{between: [a, b], bandwidth: 1Gbps, delay: 1ms,"
			   " queue: {type: droptail, limit: 100000}}]\nduration: 100s\n";
	struct scenario sc;
	struct scn_error err;
	struct run r;
	struct tcp_conf conf;
	long before;

	if (scn_load_buffer("mem.yaml", yaml, strlen(yaml), NULL, 0, &sc, &err) < 0 ||
	    build_run(&r, &sc, NULL) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 1;
	}
	tcp_conf_defaults(&conf);
	struct node *a = r.sim.nodes[0], *b = r.sim.nodes[1];
	tcp_listen(&r.sim, b, 80, &conf, NULL, NULL);
	conf.syn_backlog = conf.backlog = (uint32_t)n + 1;
	sim_run(&r.sim, SIM_S);
	before = rss_kb();
	for (int i = 0; i < n; i++)
		tcp_connect(&r.sim, a, 0, b->addr, 80, &conf, &user, NULL);
	sim_run(&r.sim, 10 * SIM_S);
	long after = rss_kb();
	printf("tcb_bytes=%zu connections=%d established=%d rss_per_connection_bytes=%.0f"
	       " (both ends)\n", sizeof(struct tcb), n, established,
	       (double)(after - before) * 1024.0 / n);
	run_free(&r);
	scn_free(&sc);
	return established == n ? 0 : 1;
}
