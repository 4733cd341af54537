/*
 * app_conf.h - an application's parameters: plain data shared by the
 * scenario loader (which fills it) and proto/app*.c (which use it).
 */
#ifndef SEGSIM_APP_CONF_H
#define SEGSIM_APP_CONF_H

#include <stdint.h>
#include <stdbool.h>

typedef int64_t sim_time_t;

/* Application parameters, as given in a scenario (docs/scenario.md says
 * which type uses which field). */
struct app_conf {
	char type[24];          /* "cbr", "onoff", "poisson", "udp-reqresp" */
	uint64_t rate_bps;      /* cbr, onoff (rate while on), poisson (mean) */
	uint32_t size;          /* datagram payload bytes (mean for exp sizes) */
	bool size_exp;          /* poisson: exponential sizes */
	sim_time_t on_mean;     /* onoff: mean on period (exponential) */
	sim_time_t off_mean;    /* onoff: mean off period (exponential) */
	uint64_t count;         /* stop after N datagrams / queries (0: none) */
	uint32_t response;      /* udp-reqresp: answer payload bytes */
	sim_time_t interval;    /* udp-reqresp: think time after an answer */
	sim_time_t timeout;     /* udp-reqresp: resend the query after this */
	uint32_t retries;       /* udp-reqresp: resends before giving up */
};

#endif
