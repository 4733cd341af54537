/*
 * tcp_cc.c - the registry of congestion control algorithms (tcp_cc.h).
 * Adding an algorithm: its cc_NAME.c and one line here.
 */
#include <string.h>
#include "tcp_cc.h"

const struct tcp_cc_ops *const tcp_cc_registry[] = {
	&reno_cc_ops,
	&tahoe_cc_ops,
	&newreno_cc_ops,
	&sack_cc_ops,
	&cubic_cc_ops,
	&vegas_cc_ops,
	&fixed_cc_ops,
	NULL,
};

const struct tcp_cc_ops *tcp_cc_find(const char *name)
{
	for (int i = 0; tcp_cc_registry[i]; i++) {
		const struct tcp_cc_ops *o = tcp_cc_registry[i];
		/* Like tcp_register_congestion_control(): a table without
		 * its required hooks is never handed out. */
		if (strcmp(o->name, name) == 0 && o->init && o->ack_received &&
		    o->cong_signal)
			return o;
	}
	return NULL;
}
