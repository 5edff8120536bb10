/* libFuzzer: the signature file parser (our line reader + inih) on arbitrary text, and the
 * pre-filter's soundness: a line the regex matches always contains one of the derived literals. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/signature.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct signature_set set = {0};
	struct err e = {0};
	if (signature_set_parse(&set, (const char *)data, size, "fuzz/10-x.ini", &e) < 0) {
		if (strncmp(e.msg, "fuzz/10-x.ini:", 14) != 0)
			abort();   /* every error names the file and line */
		signature_set_clear(&set);
		return 0;
	}
	/* each line of the input against each parsed signature */
	char *copy = malloc(size + 1);
	if (!copy)
		return 0;
	memcpy(copy, data, size);
	copy[size] = 0;
	for (char *line = copy, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		size_t len = strlen(line);
		for (size_t i = 0; i < set.n; i++) {
			const struct signature *s = &set.v[i];
			bool lit = s->n_literals == 0;
			for (size_t k = 0; k < s->n_literals; k++)
				lit |= strstr(line, s->literals[k]) != NULL;
			if (!lit && regexec(&s->re, line, 0, NULL, 0) == 0) {
				fprintf(stderr, "pre-filter '%s'... of pattern '%s' misses matching line '%s'\n", s->literals[0], s->pattern, line);
				abort();
			}
			(void)signature_match(s, line, len);
		}
	}
	free(copy);
	signature_set_clear(&set);
	return 0;
}
