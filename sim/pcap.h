/*
 * pcap.h - classic libpcap capture files, one per node.
 *
 * LINKTYPE_RAW (101): each record is a bare IPv4 datagram with real IPv4,
 * TCP/UDP headers, options, payload bytes and checksums, readable by
 * tcpdump, tshark and Wireshark.  Timestamps are the simulated time in
 * microseconds (the classic format's resolution).
 */
#ifndef SEGSIM_PCAP_H
#define SEGSIM_PCAP_H

#include <stdint.h>
#include "sim.h"

struct pcap_file;

/* snaplen 0 (or more than 65535) means 65535.  NULL with a message on
 * stderr on failure. */
struct pcap_file *pcap_open(const char *path, uint32_t snaplen);
void pcap_write(struct pcap_file *f, sim_time_t t, const struct packet *p);
/* Flush and close; -1 (reported on stderr) if any write failed. */
int pcap_close(struct pcap_file *f);

#endif
