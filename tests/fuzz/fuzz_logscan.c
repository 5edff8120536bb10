/* libFuzzer: the log scanner on a memory buffer fed in fuzzer-chosen chunks, then redaction
 * of what it found. Findings must stay within their bounds and be valid UTF-8 text, and the
 * one-pass scan must find exactly what scanning every line finds. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "report/logscan.h"
#include "report/redact.h"

static const char sigs_text[] =
	"[a]\nlog = kernel\npattern = nouveau.*unable to locate usable image\nseverity = error\ndiagnosis = d\nfix = f\nconfirms = efi-rom-handover\n"
	"[b]\nlog = xorg\npattern = (^|[] )])no screens found\nseverity = error\ndiagnosis = d\nfix = f\n"
	"[c]\nlog = any\npattern = AttachOutputGPU: Assertion .new->current_(master|primary) == pScreen. failed\nseverity = error\ndiagnosis = d\nfix = f\n"
	"[d]\nlog = kernel\npattern = NVRM: (GPU [0-9a-fA-F:.]+: )?[Ff]ailed to copy vbios\nseverity = warning\ndiagnosis = d\nfix = f\n"
	"[e]\nlog = any\npattern = (abc|[xy]z{1}q)+\nseverity = info\ndiagnosis = d\nfix = f\n";

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct signature_set set = {0};
	struct err e = {0};
	if (signature_set_parse(&set, sigs_text, sizeof(sigs_text) - 1, "fuzz.ini", &e) < 0)
		abort();
	if (size == 0) {
		signature_set_clear(&set);
		return 0;
	}
	enum log_kind kind = (enum log_kind)(data[0] % 3);
	size_t chunk = 1 + (data[0] >> 2);
	data++;
	size--;
	struct findings f = {0};
	struct logscan *ls = malloc(sizeof(*ls));
	if (!ls)
		abort();
	logscan_init(ls, &set, kind, "fuzz.log", &f);
	for (size_t off = 0; off < size; off += chunk)
		logscan_feed(ls, data + off, size - off < chunk ? size - off : chunk);
	logscan_finish(ls);
	/* the one-pass scan finds what looking at every line finds */
	struct findings g = {0};
	struct logscan *ref = malloc(sizeof(*ref));
	if (!ref)
		abort();
	logscan_init(ref, &set, kind, "fuzz.log", &g);
	ref->each_line = true;
	logscan_feed(ref, data, size);
	logscan_finish(ref);
	if (g.n != f.n || memcmp(&ref->st, &ls->st, sizeof(ls->st)) != 0)
		abort();
	for (size_t i = 0; i < f.n; i++)
		if (strcmp(f.v[i].id, g.v[i].id) != 0 || f.v[i].line != g.v[i].line || f.v[i].count != g.v[i].count ||
		    strcmp(f.v[i].text, g.v[i].text) != 0)
			abort();
	findings_clear(&g);
	free(ref);
	struct redactor r;
	redact_init(&r, true);
	for (size_t i = 0; i < f.n; i++) {
		const struct finding *x = &f.v[i];
		size_t n = strlen(x->text);
		if (n > FINDING_MAX_TEXT || x->line == 0 || x->line > ls->st.lines || x->count == 0)
			abort();
		char *t = strdup(x->text);
		if (t && logscan_sanitize(t, n) != 0)
			abort();   /* the kept text is already clean */
		free(t);
		redact_learn_text(&r, x->text, n);
		char *red = redact_text(&r, x->text);
		free(red);
	}
	redact_clear(&r);
	free(ls);
	findings_clear(&f);
	signature_set_clear(&set);
	return 0;
}
