/* libFuzzer: snapshot JSON reader, the round trip of what it accepts, and what a replayed
 * snapshot goes through next: the planner (auto-selection and every shipped profile by name)
 * and the renderer, with the shipped profiles and templates (read once from OG_DATA, default
 * the current directory, which is the source tree when run by tests/fuzz-smoke.sh). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "apply/render.h"
#include "model/snapshot_json.h"
#include "plan/plan.h"
#include "plan/plan_json.h"
#include "plan/profile_load.h"

/* Loaded once, read-only afterwards. */
static struct profile_set set;
static struct templates tpl;
static struct template_text *view;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	struct err e = {0};
	const char *data = getenv("OG_DATA") ? getenv("OG_DATA") : ".";
	if (templates_load(data, &tpl, &e) < 0 || profiles_load(data, NULL, &tpl, &set, &e) < 0 ||
	    !(view = templates_view(&tpl)) || set.n == 0) {
		fprintf(stderr, "fuzz_snapshot: cannot load the shipped profiles and templates from '%s': %s "
			"(run from the source tree or set OG_DATA)\n", data, e.msg);
		abort();
	}
	return 0;
}

static void plan_and_render(const struct snapshot *s, const char *only)
{
	struct decision d = {0};
	if (plan_evaluate(s, &set, only, &d) < 0)
		abort();  /* only allocation failures may fail, and libFuzzer does not make them */
	if (!d.refused && !d.profile)
		abort();  /* a decision either names a profile or is refused */
	if (d.refused && !d.explanation)
		abort();  /* a refusal always says why */
	json_t *j = decision_to_json(&d);
	if (!j)
		abort();
	json_decref(j);
	if (!d.refused) {
		struct rendered r = {0};
		struct err e = {0};
		if (render_decision(&d, s, view, tpl.names.n, &r, &e) == 0)
			rendered_clear(&r);
	}
	decision_clear(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct snapshot *s = NULL;
	struct err e = {0};
	if (snapshot_from_string((const char *)data, size, "fuzz.json", &s, &e) == 0) {
		char *a = snapshot_to_string(s);
		struct snapshot *s2 = NULL;
		if (a && snapshot_from_string(a, strlen(a), "again.json", &s2, &e) == 0) {
			char *b = snapshot_to_string(s2);
			if (b && strcmp(a, b) != 0)
				abort();  /* the round trip must be byte-identical */
			free(b);
			snapshot_free(s2);
		}
		free(a);
		plan_and_render(s, NULL);
		for (size_t i = 0; i < set.n; i++)
			plan_and_render(s, set.v[i].name);
		snapshot_free(s);
	}
	return 0;
}
