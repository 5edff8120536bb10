/* libFuzzer: the profile parser (pre-scan + inih) on arbitrary text. */
#include <stddef.h>
#include <stdint.h>

#include "plan/checks.h"
#include "plan/profile.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct strv tpl = {0};
	strv_push(&tpl, "gvt-primary");
	struct profile_rules rules = { .check_ids = check_ids, .templates = &tpl };
	struct profile p = {0};
	struct err e = {0};
	if (profile_parse((const char *)data, size, "fuzz/10-row.ini", &rules, &p, &e) == 0)
		profile_clear(&p);
	strv_clear(&tpl);
	return 0;
}
