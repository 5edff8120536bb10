#include "model/providers.h"

#include <stdio.h>

#include "util/cleanup.h"

static const char *const cap_words[] = { "Source Output", "Sink Output", "Source Offload", "Sink Offload" };

const char *provider_cap_word(unsigned bit)
{
	for (unsigned i = 0; i < ARRAY_SIZE(cap_words); i++)
		if (bit == 1u << i)
			return cap_words[i];
	return NULL;
}

const char *provider_caps_text(unsigned caps, char *buf, size_t size)
{
	size_t off = 0;
	if (!size)
		return buf;
	buf[0] = 0;
	for (unsigned i = 0; i < ARRAY_SIZE(cap_words); i++)
		if (caps & (1u << i) && off < size)
			off += (size_t)snprintf(buf + off, size - off, "%s%s", off ? ", " : "", cap_words[i]);
	if (!off)
		snprintf(buf, size, "none");
	return buf;
}
