/*
 * pcap.c - classic libpcap capture files (see pcap.h).
 *
 * Call order: pcap_open() when the run is built, pcap_write() for every
 * packet a node sends or receives, pcap_close() at the end.
 *
 * The format is the classic one (draft-ietf-opsawg-pcap, "PCAP Capture File
 * Format"; the Wireshark wiki's LibpcapFileFormat page): a 24-byte file
 * header (magic 0xa1b2c3d4, version 2.4, thiszone 0, sigfigs 0, snaplen,
 * link type), then per packet a 16-byte record header (seconds,
 * microseconds, captured length, original length) and the captured bytes.
 * Readers recognise the byte order from the magic number; we write
 * little-endian explicitly so the files are the same on every host.  The
 * link type is LINKTYPE_RAW (101): the record starts with the IPv4 header.
 *
 * Captures can be large (every packet of a node), so writes go through a
 * 1 MiB stdio buffer.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "pcap.h"
#include "packet.h"

#define PCAP_MAGIC        0xa1b2c3d4u   /* microsecond timestamps */
#define PCAP_VERSION_MAJOR 2
#define PCAP_VERSION_MINOR 4
#define PCAP_LINKTYPE_RAW 101
#define PCAP_MAX_SNAPLEN  65535u        /* an IPv4 datagram never exceeds it */
#define PCAP_BUF_BYTES    (1u << 20)

struct pcap_file {
	FILE *fp;
	char *buf;              /* stdio buffer, freed after fclose */
	char *path;             /* for error messages */
	uint32_t snaplen;
	int failed;             /* a write error was reported */
};

static void le16(uint8_t *b, uint16_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
}

static void le32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)v;
	b[1] = (uint8_t)(v >> 8);
	b[2] = (uint8_t)(v >> 16);
	b[3] = (uint8_t)(v >> 24);
}

static void pcap_fail(struct pcap_file *f)
{
	if (!f->failed)
		fprintf(stderr, "segsim: %s: write error: %s\n", f->path, strerror(errno));
	f->failed = 1;
}

static void pcap_free(struct pcap_file *f)
{
	free(f->buf);
	free(f->path);
	free(f);
}

struct pcap_file *pcap_open(const char *path, uint32_t snaplen)
{
	struct pcap_file *f = calloc(1, sizeof *f);
	uint8_t h[24];

	if (!f || !(f->path = strdup(path)) || !(f->buf = malloc(PCAP_BUF_BYTES))) {
		fprintf(stderr, "segsim: %s: out of memory\n", path);
		if (f)
			pcap_free(f);
		return NULL;
	}
	f->snaplen = (snaplen == 0 || snaplen > PCAP_MAX_SNAPLEN) ? PCAP_MAX_SNAPLEN : snaplen;
	f->fp = fopen(path, "wb");
	if (!f->fp) {
		fprintf(stderr, "segsim: %s: %s\n", path, strerror(errno));
		pcap_free(f);
		return NULL;
	}
	setvbuf(f->fp, f->buf, _IOFBF, PCAP_BUF_BYTES);

	le32(h, PCAP_MAGIC);
	le16(h + 4, PCAP_VERSION_MAJOR);
	le16(h + 6, PCAP_VERSION_MINOR);
	le32(h + 8, 0);                         /* thiszone: timestamps are UTC */
	le32(h + 12, 0);                        /* sigfigs: always 0 in practice */
	le32(h + 16, f->snaplen);
	le32(h + 20, PCAP_LINKTYPE_RAW);
	if (fwrite(h, sizeof h, 1, f->fp) != 1)
		pcap_fail(f);
	return f;
}

void pcap_write(struct pcap_file *f, sim_time_t t, const struct packet *p)
{
	uint8_t rec[16];
	uint8_t wire[PCAP_MAX_SNAPLEN];
	uint32_t orig = pkt_ip_len(p);
	uint32_t incl = orig < f->snaplen ? orig : f->snaplen;

	if (f->failed)
		return;
	if (t < 0)
		t = 0;
	incl = (uint32_t)pkt_write_wire(p, wire, incl);
	/* ns -> s + us, truncated: the classic format has microseconds. */
	le32(rec, (uint32_t)(t / SIM_S));
	le32(rec + 4, (uint32_t)(t % SIM_S / SIM_US));
	le32(rec + 8, incl);
	le32(rec + 12, orig);
	if (fwrite(rec, sizeof rec, 1, f->fp) != 1 || fwrite(wire, 1, incl, f->fp) != incl)
		pcap_fail(f);
}

int pcap_close(struct pcap_file *f)
{
	int rc;

	if (!f)
		return 0;
	if (fflush(f->fp) != 0)
		pcap_fail(f);
	if (fclose(f->fp) != 0)
		pcap_fail(f);
	rc = f->failed ? -1 : 0;
	pcap_free(f);
	return rc;
}
