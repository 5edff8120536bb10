/* Templates: @VAR@ substitution and @if COND@ ... @endif@ blocks (own lines). Pure. */
#include "apply/render.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/classify.h"
#include "probe/probe.h"
#include "util/buf.h"
#include "util/cleanup.h"

struct vars {
	const char *profile, *status;
	char gvt_busid[32], nvidia_busid[32];
	const char *gvt_slot, *nvidia_slot;
	char emulated[256];
};

static void busid(const struct snapshot *s, const char *slot, char *out, size_t n)
{
	const struct pci_device *d = slot ? snapshot_find_slot(s, slot) : NULL;
	if (d)
		snprintf(out, n, "PCI:%u@%u:%u:%u", d->bus, d->domain, d->dev, d->func);
}

static const char *lookup(const struct vars *v, const char *name, size_t len)
{
#define IS(x) (len == strlen(x) && !strncmp(name, x, len))
	if (IS("PROFILE"))
		return v->profile;
	if (IS("STATUS"))
		return v->status;
	if (IS("GVT_BUSID"))
		return *v->gvt_busid ? v->gvt_busid : NULL;
	if (IS("NVIDIA_BUSID"))
		return *v->nvidia_busid ? v->nvidia_busid : NULL;
	if (IS("GVT_SLOT"))
		return v->gvt_slot;
	if (IS("NVIDIA_SLOT"))
		return v->nvidia_slot;
	if (IS("EMULATED"))
		return *v->emulated ? v->emulated : NULL;
	return NULL;
#undef IS
}

static bool condition(const struct vars *v, const char *c, bool *ok)
{
	*ok = true;
	if (!strcmp(c, "emulated"))
		return *v->emulated;
	if (!strcmp(c, "nvidia"))
		return v->nvidia_slot;
	*ok = false;
	return false;
}

static int expand(const char *tpl_name, const char *text, const struct vars *v, struct buf *out, struct err *e)
{
	int depth = 0, skip = 0;
	unsigned lineno = 0;
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		lineno++;
		if (n >= 4 && !strncmp(p, "@if ", 4) && p[n - 1] == '@') {
			char cond[64];
			bool ok;
			snprintf(cond, sizeof(cond), "%.*s", (int)(n - 5), p + 4);
			bool val = condition(v, cond, &ok);
			if (!ok) {
				err_set(e, "xorg-snippets/%s.conf.in:%u: unknown condition '%s'", tpl_name, lineno, cond);
				return -EINVAL;
			}
			depth++;
			if (skip || !val)
				skip++;
		} else if (n == 7 && !strncmp(p, "@endif@", 7)) {
			if (!depth) {
				err_set(e, "xorg-snippets/%s.conf.in:%u: @endif@ without @if@", tpl_name, lineno);
				return -EINVAL;
			}
			depth--;
			if (skip)
				skip--;
		} else if (!skip) {
			for (size_t i = 0; i < n; i++) {
				if (p[i] != '@') {
					buf_append(out, p + i, 1);
					continue;
				}
				const char *close = memchr(p + i + 1, '@', n - i - 1);
				if (!close) {
					err_set(e, "xorg-snippets/%s.conf.in:%u: unmatched '@'", tpl_name, lineno);
					return -EINVAL;
				}
				size_t vl = (size_t)(close - (p + i + 1));
				const char *val = lookup(v, p + i + 1, vl);
				if (!val) {
					err_set(e, "xorg-snippets/%s.conf.in:%u: @%.*s@ has no value for profile %s (unknown name, or the device is absent)",
						tpl_name, lineno, (int)vl, p + i + 1, v->profile);
					return -EINVAL;
				}
				buf_puts(out, val);
				i += vl + 1;
			}
			buf_puts(out, "\n");
		}
		p = nl ? nl + 1 : p + n;
	}
	if (depth) {
		err_set(e, "xorg-snippets/%s.conf.in: @if@ without @endif@", tpl_name);
		return -EINVAL;
	}
	return out->oom ? -ENOMEM : 0;
}

int render_decision(const struct decision *d, const struct snapshot *s, const struct template_text *tpl,
		    size_t n_tpl, struct rendered *ret, struct err *e)
{
	struct vars v = { .profile = d->profile, .status = d->status, .gvt_slot = d->gvt_slot, .nvidia_slot = d->nvidia_slot };
	struct rendered r = {0};
	int rc = 0;

	memset(ret, 0, sizeof(*ret));
	if (!d->profile || d->refused) {
		err_set(e, "nothing to render: the plan was refused");
		return -EINVAL;
	}
	busid(s, d->gvt_slot, v.gvt_busid, sizeof(v.gvt_busid));
	busid(s, d->nvidia_slot, v.nvidia_busid, sizeof(v.nvidia_busid));
	size_t off = 0;
	for (size_t i = 0; i < s->n_pci && off < sizeof(v.emulated) - 40; i++)
		if (role_is_emulated(s->pci[i].role))
			off += (size_t)snprintf(v.emulated + off, sizeof(v.emulated) - off, "%s%s %s", off ? ", " : "",
						s->pci[i].role, s->pci[i].slot);
	r.profile = strdup(d->profile);
	if (d->n_files && !(r.files = calloc(d->n_files, sizeof(*r.files))))
		rc = -ENOMEM;
	for (size_t i = 0; rc == 0 && i < d->n_files; i++) {
		const struct template_text *t = NULL;
		for (size_t k = 0; k < n_tpl; k++)
			if (!strcmp(tpl[k].name, d->files[i].template))
				t = &tpl[k];
		if (!t) {
			err_set(e, "template '%s' (xorg-snippets/%s.conf.in) not found", d->files[i].template, d->files[i].template);
			rc = -ENOENT;
			break;
		}
		struct buf b = {0};
		buf_printf(&b, "# %s for profile %s (%s).\n"
			       "# Replaced by 'optimus-guest apply' (and its boot service), removed by\n"
			       "# 'optimus-guest revert'. Put local changes in a file of your own.\n",
			   OG_HEADER_MARK, d->profile, d->status);
		rc = expand(t->name, t->text, &v, &b, e);
		if (rc < 0) {
			buf_free(&b);
			break;
		}
		r.files[i].len = b.len;
		r.files[i].content = buf_steal(&b);
		r.files[i].name = strdup(d->files[i].name);
		r.n_files++;
		if (!r.files[i].content || !r.files[i].name)
			rc = -ENOMEM;
	}
	if (rc < 0) {
		rendered_clear(&r);
		return rc;
	}
	*ret = r;
	return 0;
}

void rendered_clear(struct rendered *r)
{
	for (size_t i = 0; i < r->n_files; i++) {
		free(r->files[i].name);
		free(r->files[i].content);
	}
	free(r->files);
	free(r->profile);
	memset(r, 0, sizeof(*r));
}
