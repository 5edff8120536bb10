#include "plan/plan_json.h"

#include "model/snapshot_json.h"

json_t *decision_to_json(const struct decision *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "profile", json_str_or_null(d->profile));
	json_object_set_new(o, "status", json_str_or_null(d->status));
	json_object_set_new(o, "summary", json_str_or_null(d->summary));
	json_object_set_new(o, "refused", json_boolean(d->refused));
	json_object_set_new(o, "explanation", json_str_or_null(d->explanation));
	json_object_set_new(o, "fix", json_str_or_null(d->fix));
	json_t *checks = json_array();
	for (size_t i = 0; i < d->n_checks; i++) {
		const struct check_result *c = &d->checks[i];
		json_array_append_new(checks, json_pack("{s:s, s:s, s:b, s:o, s:o}", "id", c->id, "severity",
							severity_name(c->severity), "passed", c->passed, "message",
							json_text(c->message), "fix", json_text(c->fix)));
	}
	json_object_set_new(o, "checks", checks);
	json_t *rej = json_array();
	for (size_t i = 0; i < d->n_rejected; i++)
		json_array_append_new(rej, json_pack("{s:o, s:s, s:o}", "profile", json_text(d->rejected[i].profile), "status",
						     d->rejected[i].status, "reasons", json_strv(&d->rejected[i].reasons)));
	json_object_set_new(o, "rejected", rej);
	json_object_set_new(o, "offload_env", json_strv(&d->offload_env));
	json_t *links = json_array();
	for (size_t i = 0; i < d->n_links; i++)
		json_array_append_new(links, json_pack("{s:o, s:o, s:o}", "kind", json_text(d->links[i].kind), "provider",
						       json_text(d->links[i].provider), "target", json_text(d->links[i].target)));
	json_object_set_new(o, "session_links", links);
	json_t *files = json_array();
	for (size_t i = 0; i < d->n_files; i++)
		json_array_append_new(files, json_pack("{s:o, s:o}", "name", json_text(d->files[i].name), "template", json_text(d->files[i].template)));
	json_object_set_new(o, "files", files);
	json_object_set_new(o, "devices", json_pack("{s:o, s:o}", "gvt", json_str_or_null(d->gvt_slot), "nvidia",
						    json_str_or_null(d->nvidia_slot)));
	return o;
}
