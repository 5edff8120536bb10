#include "plan/profile.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/classify.h"
#include "util/array.h"
#include "util/cleanup.h"

/* inih's compiled-in line buffer (INI_MAX_LINE 200 in Debian's build) */
#define MAX_LINE 199

struct keydef {
	const char *section, *key;
};

static const struct keydef keys[] = {
	{ "profile", "name" }, { "profile", "status" }, { "profile", "summary" }, { "profile", "priority" },
	{ "match", "roles" }, { "match", "absent_roles" }, { "match", "any_roles" },
	{ "match", "render_node" },
	{ "checks", "require" },
	{ "write", "files" },
	{ "offload", "env" },
	{ "session", "links" },
	{ "topology", "primary" }, { "topology", "renderer" },
	{ "explain", "reason" }, { "explain", "fix" },
};

static const char *const sections[] = { "profile", "match", "checks", "write", "offload", "session", "topology", "explain" };

static const char *const roles[] = {
	ROLE_INTEL_IGPU, ROLE_GVT, ROLE_NVIDIA_MUXLESS, ROLE_NVIDIA_OUTPUTS, ROLE_QXL,
	ROLE_VIRTIO_GPU, ROLE_BOCHS, ROLE_CIRRUS, ROLE_VMWARE, ROLE_UNKNOWN,
};

static const char *const status_names[_STATUS_MAX] = {
	[STATUS_WORKS] = "works",
	[STATUS_NEEDS_PATCH] = "needs-patch",
	[STATUS_UNTESTED] = "untested",
	[STATUS_BROKEN] = "broken",
	[STATUS_NEVER] = "never",
};

const char *profile_status_name(enum profile_status s)
{
	return (unsigned)s < _STATUS_MAX ? status_names[s] : "unknown";
}

int profile_status_from_string(const char *s, enum profile_status *ret)
{
	for (unsigned i = 0; i < _STATUS_MAX; i++)
		if (strcmp(s, status_names[i]) == 0) {
			*ret = (enum profile_status)i;
			return 0;
		}
	return -EINVAL;
}

static size_t edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b), prev[64], cur[64];
	if (la >= 63 || lb >= 63)
		return 99;
	for (size_t j = 0; j <= lb; j++)
		prev[j] = j;
	for (size_t i = 1; i <= la; i++) {
		cur[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t c = prev[j - 1] + (a[i - 1] != b[j - 1]);
			if (prev[j] + 1 < c)
				c = prev[j] + 1;
			if (cur[j - 1] + 1 < c)
				c = cur[j - 1] + 1;
			cur[j] = c;
		}
		memcpy(prev, cur, (lb + 1) * sizeof(size_t));
	}
	return prev[lb];
}

static bool known_key(const char *section, const char *key, const char **suggest)
{
	size_t best = 3;
	*suggest = NULL;
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++) {
		if (strcmp(keys[i].section, section) != 0)
			continue;
		if (strcmp(keys[i].key, key) == 0)
			return true;
		size_t d = edit_distance(keys[i].key, key);
		if (d < best) {
			best = d;
			*suggest = keys[i].key;
		}
	}
	return false;
}

/* Where each section starts; filled by the pre-scan. */
struct scan {
	unsigned sec_line[ARRAY_SIZE(sections)];
	unsigned key_line[ARRAY_SIZE(keys)];
};

static int section_index(const char *name)
{
	for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
		if (strcmp(sections[i], name) == 0)
			return (int)i;
	return -1;
}

static int key_index(const char *section, const char *key)
{
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		if (strcmp(keys[i].section, section) == 0 && strcmp(keys[i].key, key) == 0)
			return (int)i;
	return -1;
}

/* Line-level checks inih cannot make: long lines, unknown/repeated sections and keys,
 * empty sections, stray text. Records where sections and keys are. Every bad line is said;
 * keys under a section that cannot be used are skipped rather than blamed again. */
#define SKIP_SECTION (-2)
static void prescan(const char *text, size_t len, const char *path, struct scan *sc, struct err_list *pe)
{
	unsigned lineno = 0;
	int cur = -1;
	unsigned cur_keys = 0, cur_line = 0;
	int last_key = -1;
	const char *p = text, *end = text + len;
	memset(sc, 0, sizeof(*sc));
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
		const char *at = p;
		char line[MAX_LINE + 2];
		lineno++;
		p = nl ? nl + 1 : end;
		if (memchr(at, 0, n)) {
			err_list_add(pe, "%s:%u: NUL byte; a profile is a text file", path, lineno);
			continue;
		}
		if (n > MAX_LINE) {
			err_list_add(pe, "%s:%u: line longer than %d characters; continue the value on an indented line",
				 path, lineno, MAX_LINE);
			continue;
		}
		memcpy(line, at, n);
		line[n] = 0;
		if (n && line[n - 1] == '\r')
			line[--n] = 0;
		char *s = line;
		bool indented = isspace((unsigned char)*s);
		while (isspace((unsigned char)*s))
			s++;
		if (!*s || *s == '#' || *s == ';')
			continue;
		if (*s == '[') {
			char *close = strchr(s, ']');
			if (cur >= 0 && !cur_keys)
				err_list_add(pe, "%s:%u: empty section [%s]; remove it or add its keys", path, cur_line, sections[cur]);
			cur = SKIP_SECTION;
			cur_keys = 0;
			cur_line = lineno;
			if (indented || !close || close[1]) {
				err_list_add(pe, "%s:%u: malformed section header '%s'; write [name] at the start of the line",
					 path, lineno, s);
				continue;
			}
			*close = 0;
			int idx = section_index(s + 1);
			if (idx < 0) {
				err_list_add(pe, "%s:%u: unknown section [%s]; sections are [profile] [match] [checks] [write] [offload] [session] [topology] [explain]",
					 path, lineno, s + 1);
				continue;
			}
			if (sc->sec_line[idx]) {
				err_list_add(pe, "%s:%u: section [%s] repeated (first at line %u); merge them", path, lineno,
					 sections[idx], sc->sec_line[idx]);
				continue;
			}
			if (idx > 0 && !sc->sec_line[0])
				err_list_add(pe, "%s:%u: [%s] before [profile]; start the file with [profile]", path, lineno, sections[idx]);
			cur = idx;
			sc->sec_line[cur] = lineno;
			continue;
		}
		if (indented) {
			if (!cur_keys && cur != SKIP_SECTION)
				err_list_add(pe, "%s:%u: indented line with no key above it; indentation continues a value", path, lineno);
			else if (*s == '|' && last_key != key_index("explain", "reason") && last_key != key_index("explain", "fix"))
				err_list_add(pe, "%s:%u: a '|' line (a line break kept in the text) is allowed only in [explain] reason "
					 "and fix; continue this value without '|'", path, lineno);
			continue;
		}
		char *eq = strchr(s, '=');
		if (!eq) {
			err_list_add(pe, "%s:%u: expected 'key = value', have '%s'", path, lineno, s);
			continue;
		}
		last_key = -1;
		if (cur == SKIP_SECTION) {
			cur_keys++;
			continue;
		}
		if (cur < 0) {
			err_list_add(pe, "%s:%u: key outside a section; put it under [profile] or another section", path, lineno);
			continue;
		}
		*eq = 0;
		size_t kl = strlen(s);
		while (kl && isspace((unsigned char)s[kl - 1]))
			s[--kl] = 0;
		const char *suggest;
		cur_keys++;
		if (!known_key(sections[cur], s, &suggest)) {
			if (suggest)
				err_list_add(pe, "%s:%u: unknown key '%s' in [%s]; did you mean '%s'?", path, lineno, s,
					 sections[cur], suggest);
			else
				err_list_add(pe, "%s:%u: unknown key '%s' in [%s]; see profiles/README for the keys of each section",
					 path, lineno, s, sections[cur]);
			continue;
		}
		int k = key_index(sections[cur], s);
		last_key = k;
		if (sc->key_line[k]) {
			err_list_add(pe, "%s:%u: key '%s' repeated in [%s] (first at line %u); keep one", path, lineno, s,
				 sections[cur], sc->key_line[k]);
			continue;
		}
		sc->key_line[k] = lineno;
	}
	if (cur >= 0 && !cur_keys)
		err_list_add(pe, "%s:%u: empty section [%s]; remove it or add its keys", path, cur_line, sections[cur]);
}

struct parse_ctx {
	struct profile *p;
	char *vals[ARRAY_SIZE(keys)];
};

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parse_ctx *c = user;
	int k = key_index(section, name);
	if (k < 0)
		return 0;  /* the pre-scan already refused it */
	if (c->vals[k]) {
		/* an indented continuation line: joined with a space, or on a line of its own
		 * when it starts with '|' (the pre-scan allows that in [explain] only) */
		char *joined = NULL;
		bool own_line = value[0] == '|';
		if (own_line)
			value += value[1] == ' ' ? 2 : 1;
		if (asprintf(&joined, "%s%s%s", c->vals[k], own_line ? "\n" : " ", value) < 0)
			return 0;
		free(c->vals[k]);
		c->vals[k] = joined;
	} else if (!(c->vals[k] = strdup(value))) {
		return 0;
	}
	return 1;
}

static int split_words(const char *v, struct strv *out)
{
	_cleanup_free_ char *copy = strdup(v ? v : "");
	if (!copy)
		return -ENOMEM;
	for (char *tok = strtok(copy, " \t,"); tok; tok = strtok(NULL, " \t,"))
		if (strv_push(out, tok) < 0)
			return -ENOMEM;
	return 0;
}

static bool known_role(const char *r)
{
	for (size_t i = 0; i < ARRAY_SIZE(roles); i++)
		if (strcmp(roles[i], r) == 0)
			return true;
	return false;
}

static bool in_list(const char *const *list, const char *s)
{
	for (; list && *list; list++)
		if (strcmp(*list, s) == 0)
			return true;
	return false;
}

#define KEYLINE(sec, key) (sc.key_line[key_index(sec, key)] ? sc.key_line[key_index(sec, key)] : sc.sec_line[section_index(sec)])

int profile_parse_all(const char *text, size_t len, const char *path, const struct profile_rules *rules,
		      struct profile *ret, struct err *e, struct strv *errors)
{
	struct scan sc;
	struct parse_ctx c = {0};
	struct profile p = {0};
	struct err_list pe;
	err_list_begin(&pe, e, errors);
	int rc = -EINVAL;
	prescan(text, len, path, &sc, &pe);
	unsigned scan_errors = pe.n;
	_cleanup_free_ char *copy = strndup(text, len);
	if (!copy)
		return -ENOMEM;
	c.p = &p;
	int line = ini_parse_string(copy, handler, &c);
	/* the pre-scan names the line better when it saw one */
	if (line != 0 && !scan_errors)
		err_list_add(&pe, "%s:%d: cannot parse this line; write 'key = value' under a [section]", path, line);
#define V(sec, key) c.vals[key_index(sec, key)]
#define SECLINE(sec) (sc.sec_line[section_index(sec)] ? sc.sec_line[section_index(sec)] : 1)
#define NEED(sec, key)                                                                              \
	if (sc.sec_line[section_index(sec)] && (!V(sec, key) || !*V(sec, key)))                     \
		err_list_add(&pe, "%s:%u: [%s] needs '%s = ...'; see profiles/README", path, SECLINE(sec), sec, key);
	if (!sc.sec_line[0])
		err_list_add(&pe, "%s:1: no [profile] section; a profile starts with [profile] name/status/summary/priority", path);
	NEED("profile", "name");
	NEED("profile", "status");
	NEED("profile", "summary");
	NEED("profile", "priority");
	p.name = TAKE_PTR(V("profile", "name"));
	p.summary = TAKE_PTR(V("profile", "summary"));
	p.source = strdup(path);
	bool have_status = false;
	if (V("profile", "status") && *V("profile", "status")) {
		if (profile_status_from_string(V("profile", "status"), &p.status) < 0)
			err_list_add(&pe, "%s:%u: status '%s' is not one of works, needs-patch, untested, broken, never", path,
				 KEYLINE("profile", "status"), V("profile", "status"));
		else
			have_status = true;
	}
	const char *base = strrchr(path, '/');
	base = base ? base + 1 : path;
	if (p.name && *p.name && isdigit((unsigned char)base[0]) && isdigit((unsigned char)base[1]) && base[2] == '-') {
		size_t bl = strlen(base + 3);
		if (bl < 5 || strcmp(base + 3 + bl - 4, ".ini") != 0 || strlen(p.name) != bl - 4 ||
		    strncmp(base + 3, p.name, bl - 4) != 0)
			err_list_add(&pe, "%s:%u: name '%s' does not match the file name; name the file NN-%s.ini", path,
				 KEYLINE("profile", "name"), p.name, p.name);
	}
	if (V("profile", "priority") && *V("profile", "priority")) {
		char *endp;
		long prio = strtol(V("profile", "priority"), &endp, 10);
		if (*endp || prio < 0 || prio > 1000)
			err_list_add(&pe, "%s:%u: priority '%s' is not a number from 0 to 1000", path, KEYLINE("profile", "priority"),
				 V("profile", "priority"));
		else
			p.priority = (int)prio;
	}
	if (!sc.sec_line[section_index("match")])
		err_list_add(&pe, "%s:1: no [match] section; say which devices the row needs (roles = ...)", path);
	if (split_words(V("match", "roles"), &p.roles) < 0 || split_words(V("match", "absent_roles"), &p.absent_roles) < 0 ||
	    split_words(V("match", "any_roles"), &p.any_roles) < 0 ||
	    split_words(V("checks", "require"), &p.checks) < 0 || split_words(V("write", "files"), &p.files) < 0 ||
	    split_words(V("offload", "env"), &p.env) < 0 || split_words(V("session", "links"), &p.links) < 0) {
		rc = -ENOMEM;
		goto out;
	}
	const struct strv *lists[] = { &p.roles, &p.absent_roles, &p.any_roles };
	static const char *const list_keys[] = { "roles", "absent_roles", "any_roles" };
	for (size_t l = 0; l < ARRAY_SIZE(lists); l++)
		for (size_t i = 0; i < lists[l]->n; i++)
			if (!known_role(lists[l]->v[i]))
				err_list_add(&pe, "%s:%u: unknown role '%s'; roles are gvt, intel-igpu, nvidia-muxless, nvidia-outputs, qxl, virtio-gpu, bochs, cirrus, vmware-svga, unknown",
					 path, KEYLINE("match", list_keys[l]), lists[l]->v[i]);
	if (V("match", "render_node")) {
		if (strcmp(V("match", "render_node"), "yes") && strcmp(V("match", "render_node"), "no"))
			err_list_add(&pe, "%s:%u: render_node must be yes or no", path, KEYLINE("match", "render_node"));
		p.render_node = strcmp(V("match", "render_node"), "yes") == 0;
	}
	if (sc.sec_line[section_index("match")] && !p.roles.n && !p.any_roles.n && !p.render_node)
		err_list_add(&pe, "%s:%u: [match] needs 'roles = ...', 'any_roles = ...' or 'render_node = yes'", path,
			 sc.sec_line[section_index("match")]);
	for (size_t i = 0; rules && rules->check_ids && i < p.checks.n; i++)
		if (!in_list(rules->check_ids, p.checks.v[i]))
			err_list_add(&pe, "%s:%u: unknown check id '%s'; 'optimus-guest profiles list --checks' lists them", path,
				 KEYLINE("checks", "require"), p.checks.v[i]);
	for (size_t i = 0; i < p.files.n; i++) {
		const char *f = p.files.v[i], *colon = strchr(f, ':');
		if (!colon || colon == f || !colon[1] || strchr(f, '/') || !strstr(f, "optimus-guest") ||
		    (size_t)(colon - f) < 6 || strncmp(colon - 5, ".conf", 5) != 0)
			err_list_add(&pe, "%s:%u: files entry '%s' is not NAME.conf:TEMPLATE with 'optimus-guest' in NAME", path,
				 KEYLINE("write", "files"), f);
		else if (rules && rules->templates && !strv_contains(rules->templates, colon + 1))
			err_list_add(&pe, "%s:%u: template '%s' does not exist in xorg-snippets/ (%s.conf.in)", path,
				 KEYLINE("write", "files"), colon + 1, colon + 1);
	}
	for (size_t i = 0; i < p.env.n; i++) {
		const char *v = p.env.v[i];
		size_t n = strspn(v, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz_0123456789");
		if (!n || v[n] != '=' || isdigit((unsigned char)v[0]))
			err_list_add(&pe, "%s:%u: env entry '%s' is not VAR=value", path, KEYLINE("offload", "env"), v);
	}
	for (size_t i = 0; i < p.links.n; i++) {
		char kind[32], a[32], b[32];
		if (sscanf(p.links.v[i], "%31[^:]:%31[^:]:%31s", kind, a, b) != 3 ||
		    (strcmp(kind, "output-source") && strcmp(kind, "offload-sink")) || !known_role(a) || !known_role(b))
			err_list_add(&pe, "%s:%u: link '%s' is not output-source|offload-sink:ROLE:ROLE", path,
				 KEYLINE("session", "links"), p.links.v[i]);
	}
	p.primary = TAKE_PTR(V("topology", "primary"));
	p.renderer = TAKE_PTR(V("topology", "renderer"));
	if ((p.primary && !known_role(p.primary)) || (p.renderer && !known_role(p.renderer)))
		err_list_add(&pe, "%s:%u: [topology] names an unknown role", path, SECLINE("topology"));
	p.explanation = TAKE_PTR(V("explain", "reason"));
	p.fix = TAKE_PTR(V("explain", "fix"));
	if (have_status && (p.status == STATUS_BROKEN || p.status == STATUS_NEVER) && (!p.explanation || !p.fix))
		err_list_add(&pe, "%s:%u: a %s row needs [explain] reason and fix (the matrix's words)", path,
			 SECLINE("explain"), profile_status_name(p.status));
	err_list_end(&pe, path);
	if (pe.n)
		goto out;
	if (!p.source) {
		rc = -ENOMEM;
		goto out;
	}
	*ret = p;
	memset(&p, 0, sizeof(p));
	rc = 0;
out:
	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		free(c.vals[i]);
	profile_clear(&p);
	return rc;
#undef V
#undef NEED
#undef SECLINE
}

int profile_parse(const char *text, size_t len, const char *path, const struct profile_rules *rules,
		  struct profile *ret, struct err *e)
{
	return profile_parse_all(text, len, path, rules, ret, e, NULL);
}

void profile_clear(struct profile *p)
{
	free(p->name);
	free(p->summary);
	free(p->source);
	strv_clear(&p->roles);
	strv_clear(&p->absent_roles);
	strv_clear(&p->any_roles);
	strv_clear(&p->checks);
	strv_clear(&p->files);
	strv_clear(&p->env);
	strv_clear(&p->links);
	free(p->primary);
	free(p->renderer);
	free(p->explanation);
	free(p->fix);
	memset(p, 0, sizeof(*p));
}

int profile_set_add(struct profile_set *s, struct profile *p)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, p->name) == 0) {
			profile_clear(&s->v[i]);
			s->v[i] = *p;
			memset(p, 0, sizeof(*p));
			return 0;
		}
	if (array_grow(s->v, s->n, s->cap, 16) < 0)
		return -ENOMEM;
	s->v[s->n++] = *p;
	memset(p, 0, sizeof(*p));
	return 0;
}

const struct profile *profile_set_find(const struct profile_set *s, const char *name)
{
	for (size_t i = 0; i < s->n; i++)
		if (strcmp(s->v[i].name, name) == 0)
			return &s->v[i];
	return NULL;
}

void profile_set_clear(struct profile_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		profile_clear(&s->v[i]);
	free(s->v);
	strv_clear(&s->errors);
	memset(s, 0, sizeof(*s));
}
