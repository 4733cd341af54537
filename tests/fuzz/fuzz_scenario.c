/*
 * fuzz_scenario.c - libFuzzer harness for the scenario loader.
 *
 * Each input is loaded as a scenario file.  When its first line looks like
 * "KEY=VALUE" (up to 200 bytes), the rest is loaded again with that line as
 * a --set, so the --set path walker and value parser get fuzzed too.  Any
 * crash, sanitizer report or leak is a bug; a rejected input is fine.
 * Built and run by tests/fuzz/run.sh.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "scenario.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct scenario sc;
	struct scn_error err;
	const char *buf = (const char *)data;
	const char *nl = memchr(buf, '\n', size < 200 ? size : 200);

	if (scn_load_buffer("fuzz.yaml", buf, size, NULL, 0, &sc, &err) == 0)
		scn_free(&sc);
	else if (strncmp(err.msg, "fuzz.yaml", 9) != 0)
		abort();        /* every file error names the file */

	if (nl && memchr(buf, '=', (size_t)(nl - buf))) {
		char line[201];
		struct scn_set set;
		size_t n = (size_t)(nl - buf);
		char *eq;

		memcpy(line, buf, n);
		line[n] = '\0';
		eq = memchr(line, '=', n);     /* strchr would stop at a NUL */
		*eq = '\0';
		set.key = line;
		set.value = eq + 1;
		if (scn_load_buffer("fuzz.yaml", nl + 1, size - n - 1, &set, 1, &sc,
				    &err) == 0)
			scn_free(&sc);
	}
	return 0;
}
