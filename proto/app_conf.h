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
enum app_reqresp_mode { REQRESP_SEPARATE = 0, REQRESP_PERSISTENT, REQRESP_PIPELINED };
enum app_server_close { SERVER_CLOSE_ON_EOF = 0, SERVER_CLOSE_AT_STOP, SERVER_CLOSE_NEVER };

struct app_conf {
	char type[24];          /* UDP: "cbr", "onoff", "poisson", "udp-reqresp";
				   TCP: "bulk", "reqresp", "interactive" */
	uint64_t rate_bps;      /* cbr, onoff (rate while on), poisson (mean) */
	uint32_t size;          /* datagram payload bytes (mean for exp sizes);
				   reqresp: request bytes; interactive: bytes
				   per keystroke */
	bool size_exp;          /* poisson: exponential sizes */
	sim_time_t on_mean;     /* onoff: mean on period (exponential) */
	sim_time_t off_mean;    /* onoff: mean off period (exponential) */
	uint64_t count;         /* stop after N datagrams / queries / objects /
				   keystrokes (0: no limit) */
	uint32_t response;      /* udp-reqresp: answer payload bytes */
	sim_time_t interval;    /* udp-reqresp, reqresp: think time after an
				   answer; interactive: mean keystroke gap */
	sim_time_t timeout;     /* udp-reqresp: resend the query after this */
	uint32_t retries;       /* udp-reqresp: resends before giving up */

	/* TCP applications */
	uint64_t bytes;         /* bulk: bytes to send (0: unlimited) */
	uint64_t write_rate_bps;/* bulk: the sender writes at most this fast
				   (0: as fast as the buffer allows) */
	uint32_t write_size;    /* bulk: bytes per write call (0: fill) */
	uint64_t read_rate_bps; /* receiving application reads at most this
				   fast (0: reads at once) */
	uint32_t read_size;     /* bytes per read call (0: all available) */
	uint64_t object_size;   /* reqresp: response (object) bytes */
	enum app_reqresp_mode mode; /* reqresp: connection per object,
				   persistent, or pipelined */
	bool echo;              /* interactive: the server echoes keystrokes */
	bool close_when_done;   /* bulk: close after `bytes` (true) */
	bool close_abort;       /* bulk: ... by tcp_abort() (close: abort) */
	bool no_listen;         /* bulk: nobody listens at `to` (listen: false):
				   the SYN is answered with a reset */
	bool simultaneous;      /* bulk: both ends open actively at the start
				   (open: simultaneous) */
	enum app_server_close server_close; /* bulk: when the server end
				   closes: when the client's data ended (on_eof),
				   at the flow's stop, or never */
	uint64_t reply;         /* bulk: bytes the server sends back once the
				   client has shut down its side (half-close) */
	sim_time_t interrupt;   /* interactive: the first keystroke at or after
				   this time is urgent data, like telnet's
				   interrupt (0: none) */
};

#endif
