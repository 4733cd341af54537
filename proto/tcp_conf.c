/*
 * tcp_conf.c - the defaults of a TCP endpoint (tcp_conf.h).
 *
 * Chosen as an ns-3 or Linux user would expect, with the RFC's values where
 * an RFC sets one: RTO 1 s initial and minimum, 60 s maximum (RFC 6298
 * 2.1, 2.4, 2.5), delayed ACK 200 ms and at least every second full-sized
 * segment (RFC 1122 4.2.3.2, RFC 5681 4.2), BSD's 75 s connect timeout and
 * keepalive after 2 hours (RFC 1122 4.2.3.6), MSL 30 s (BSD).
 */
#include <string.h>
#include "tcp_conf.h"

void tcp_conf_defaults(struct tcp_conf *c)
{
	memset(c, 0, sizeof *c);
	c->mss = 1460;
	c->opt_mss = true;
	c->opt_wscale = true;
	c->opt_ts = true;
	c->opt_sack = true;
	c->tfo = false;
	c->sndbuf = 256 * 1024;
	c->rcvbuf = 256 * 1024;
	c->rx_mode = TCP_RX_REASSEMBLE;
	c->nodelay = false;
	c->sws_receiver = true;
	c->sws_sender = true;
	c->delack = 200000000;
	c->ack_every = 2;
	c->isn_mode = TCP_ISN_RANDOM;
	c->msl = 30000000000LL;
	c->connect_timeout = 75000000000LL;
	c->fin_wait2_timeout = 60000000000LL;
	c->max_retries = 15;
	c->backlog = 128;
	c->syn_backlog = 128;
	c->keepalive = false;
	c->keepalive_idle = 7200000000000LL;
	c->keepalive_intvl = 75000000000LL;
	c->keepalive_probes = 9;
	strcpy(c->rtt.name, "rfc6298");
	c->rtt.rto_initial = 1000000000;
	c->rtt.rto_min = 1000000000;
	c->rtt.rto_max = 60000000000LL;
	c->rtt.granularity = 1000000;
	c->rtt.alpha = 0.875;
	c->rtt.beta = 2.0;
	c->timer_tick = 0;
	strcpy(c->cc, "reno");
	c->init_cwnd = 0;
	c->init_ssthresh = 0;
	c->dupthresh = 3;
	c->abc = false;
	c->limited_transmit = true;
	c->ecn = false;
	c->cwv = TCP_CWV_RFC5681;
	c->cwv_nvp = 300000000000LL;    /* RFC 7661: five minutes */
}
