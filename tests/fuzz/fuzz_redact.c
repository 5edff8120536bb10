/* libFuzzer: redaction of arbitrary text, line by line as the report does it. Every line is
 * learnt from, then redacted as running text and as a version field; the result is a string,
 * and what was recognised as an IP address, MAC or UUID never survives in the output. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/redact.h"
#include "report/redact_ip.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = 0;
	struct redactor r;
	redact_init(&r, true);
	for (char *line = text, *next; line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = 0;
		size_t n = strlen(line);
		redact_learn_text(&r, line, n);
		char *a = redact_text(&r, line);
		char *b = redact_field(&r, "xorg_version", line);
		if (!a || !b)
			abort();
		/* an address found at the start of the line is gone from the redacted copy */
		size_t k = redact_ipv4_at(line, n, line);
		if (!k)
			k = redact_ipv6_at(line, n, line);
		if (k && k <= n && !redact_ip_unremarkable(line, k) && strncmp(a, line, k) == 0 && a[k] == line[k])
			abort();
		free(a);
		free(b);
	}
	redact_clear(&r);
	free(text);
	return 0;
}
