/* The Markdown report, laid out for a GitHub issue. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "model/classify.h"
#include "report/finding.h"
#include "report/report.h"
#include "model/snapshot_json.h"
#include "util/cleanup.h"

/* Table cell / running text: no '|' or newline breaks the table, no '<' becomes HTML.
 * With LINES, a line break (a fix with a command on its own line) becomes <br> and the next
 * line's indentation non-breaking spaces, which hold in a table cell and a paragraph. */
static void md_text_ex(struct buf *b, const char *s, bool lines)
{
	if (!s) {
		buf_puts(b, "-");
		return;
	}
	for (; *s; s++) {
		if (lines && *s == '\n') {
			buf_puts(b, "<br>");
			while (s[1] == ' ') {
				buf_puts(b, "&nbsp;");
				s++;
			}
			continue;
		}
		switch (*s) {
		case '|': buf_puts(b, "\\|"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '&': buf_puts(b, "&amp;"); break;
		case '\n': case '\r': buf_puts(b, " "); break;
		case '*': case '_': case '`': case '[': case ']': case '\\':
			buf_printf(b, "\\%c", *s);
			break;
		default: buf_append(b, s, 1); break;
		}
	}
}

static void md_text(struct buf *b, const char *s)
{
	md_text_ex(b, s, false);
}

/* A fix or diagnosis: its line breaks kept. */
static void md_lines(struct buf *b, const char *s)
{
	md_text_ex(b, s, true);
}

/* A guest value: redacted, then escaped. */
static void md_val(struct buf *b, struct redactor *r, const char *s)
{
	if (!s) {
		buf_puts(b, "-");
		return;
	}
	_cleanup_free_ char *t = redact_text(r, s);
	md_text(b, t ? t : "?");
}

/* A version: redacted, but its dotted quads are versions, not IP addresses. */
static void md_version(struct buf *b, struct redactor *r, const char *s)
{
	if (!s) {
		buf_puts(b, "-");
		return;
	}
	_cleanup_free_ char *t = redact_field(r, "version", s);
	md_text(b, t ? t : "?");
}

/* A fenced block whose fence is longer than any backtick run inside. */
static void md_block(struct buf *b, const char *lang, const char *text)
{
	size_t run = 0, max = 0;
	for (const char *p = text; *p; p++) {
		run = *p == '`' ? run + 1 : 0;
		if (run > max)
			max = run;
	}
	size_t n = max >= 3 ? max + 1 : 3;
	char fence[64];
	if (n >= sizeof(fence))
		n = sizeof(fence) - 1;
	memset(fence, '`', n);
	fence[n] = 0;
	buf_printf(b, "%s%s\n%s%s%s\n\n", fence, lang, text, *text && text[strlen(text) - 1] == '\n' ? "" : "\n", fence);
}

static void md_strv(struct buf *b, struct redactor *r, const struct strv *v)
{
	if (!v->n)
		buf_puts(b, "-");
	for (size_t i = 0; i < v->n; i++) {
		if (i)
			buf_puts(b, " ");
		md_val(b, r, v->v[i]);
	}
}

static void decision_md(struct buf *b, const struct report_input *in)
{
	const struct decision *d = in->decision;
	buf_puts(b, "### Decision\n\n");
	if (!d) {
		buf_puts(b, "No decision: ");
		md_text(b, in->plan_error ? in->plan_error : "the planner did not run");
		buf_puts(b, "\n\n");
		return;
	}
	if (d->refused) {
		buf_puts(b, "**Refused:** ");
		md_text(b, d->explanation ? d->explanation : "nothing in the matrix works on this guest");
		buf_puts(b, "\n\n");
	}
	if (d->profile) {
		buf_puts(b, "**Profile:** ");
		md_text(b, d->profile);
		buf_puts(b, " (");
		md_text(b, d->status);
		buf_puts(b, ") — ");
		md_text(b, d->summary);
		buf_puts(b, "\n\n");
	}
	if (d->refused && d->fix) {
		buf_puts(b, "**Fix:** ");
		md_lines(b, d->fix);
		buf_puts(b, "\n\n");
	}
	if (d->n_checks) {
		buf_puts(b, "| | Check | Severity | Result | Fix |\n|---|---|---|---|---|\n");
		for (size_t i = 0; i < d->n_checks; i++) {
			const struct check_result *c = &d->checks[i];
			buf_printf(b, "| %s | %s | %s | ", c->passed ? "✅" : report_severity_icon(c->severity), c->id,
				   severity_name(c->severity));
			md_text(b, c->message);   /* log lines it quotes were redacted before planning */
			buf_puts(b, " | ");
			md_lines(b, c->fix ? c->fix : "");
			buf_puts(b, " |\n");
		}
		buf_puts(b, "\n");
	}
	/* the planner hook, as the report shows it: log lines that confirm a check or a row */
	const struct findings *f = &in->logs->findings;
	bool any = false;
	for (size_t i = 0; i < f->n; i++) {
		if (!f->v[i].confirms)
			continue;
		if (!any)
			buf_puts(b, "Log evidence:\n\n");
		any = true;
		enum evidence ev = report_evidence(d, &f->v[i]);
		buf_printf(b, "- %s%s confirms %s (", ev == EV_CONTRADICTS ? "**" : "", f->v[i].id, f->v[i].confirms);
		md_val(b, in->red, f->v[i].source);
		buf_printf(b, " line %lu): %s%s\n", f->v[i].line, report_evidence_words(ev), ev == EV_CONTRADICTS ? "**" : "");
	}
	if (any)
		buf_puts(b, "\n");
	if (d->offload_env.n) {
		buf_puts(b, "Render offload environment: ");
		for (size_t i = 0; i < d->offload_env.n; i++) {
			buf_puts(b, i ? " " : "");
			md_text(b, d->offload_env.v[i]);
		}
		buf_puts(b, "\n\n");
	}
	if (d->n_rejected) {
		buf_printf(b, "<details><summary>Profiles not chosen (%zu)</summary>\n\n", d->n_rejected);
		for (size_t i = 0; i < d->n_rejected; i++) {
			const struct rejection *r = &d->rejected[i];
			buf_puts(b, "- ");
			md_text(b, r->profile);
			buf_puts(b, " (");
			md_text(b, r->status);
			buf_puts(b, "): ");
			for (size_t k = 0; k < r->reasons.n; k++) {
				buf_puts(b, k ? "; " : "");
				md_text(b, r->reasons.v[k]);
			}
			buf_puts(b, "\n");
		}
		buf_puts(b, "\n</details>\n\n");
	}
}

static void devices_md(struct buf *b, const struct report_input *in)
{
	const struct snapshot *s = in->snap;
	buf_puts(b, "### Devices\n\n");
	if (!s->n_pci) {
		buf_puts(b, "No PCI devices recorded.\n\n");
		return;
	}
	buf_puts(b, "| Slot | Class | Vendor | ID | Subsystem | Driver | Role | DRM | Notes |\n"
		    "|---|---|---|---|---|---|---|---|---|\n");
	for (size_t i = 0; i < s->n_pci; i++) {
		const struct pci_device *d = &s->pci[i];
		buf_printf(b, "| %s | %s (%06x) | %s | %04x:%04x | %04x:%04x | ", d->slot, report_class_name(d->class), d->class,
			   report_vendor_name(d->vendor), d->vendor, d->device, d->subsystem_vendor, d->subsystem_device);
		md_val(b, in->red, d->driver);
		buf_puts(b, " | ");
		md_text(b, d->role);
		buf_puts(b, " | ");
		struct strv nodes = {0};
		for (size_t k = 0; k < d->drm_cards.n; k++)
			strv_push(&nodes, d->drm_cards.v[k]);
		for (size_t k = 0; k < d->drm_renders.n; k++)
			strv_push(&nodes, d->drm_renders.v[k]);
		md_strv(b, in->red, &nodes);
		strv_clear(&nodes);
		buf_puts(b, " | ");
		bool first = true;
#define NOTE(...) do { buf_puts(b, first ? "" : ", "); first = false; buf_printf(b, __VA_ARGS__); } while (0)
		if (d->boot_vga == 1)
			NOTE("boot VGA");
		if (d->rom)
			NOTE("ROM");
		for (size_t k = 0; k < d->n_connectors; k++) {
			NOTE("%s", "");
			md_val(b, in->red, d->connectors[k].name);
			buf_puts(b, " ");
			md_val(b, in->red, d->connectors[k].status);
		}
#undef NOTE
		buf_puts(b, first ? "- |\n" : " |\n");
	}
	buf_puts(b, "\n");
}

static void findings_md(struct buf *b, const struct report_input *in)
{
	const struct findings *f = &in->logs->findings;
	size_t ne = findings_count(f, SEV_ERROR), nw = findings_count(f, SEV_WARNING);
	buf_printf(b, "### Log findings (%zu error%s, %zu warning%s, %zu info)\n\n", ne, ne == 1 ? "" : "s", nw,
		   nw == 1 ? "" : "s", findings_count(f, SEV_INFO));
	if (!f->n)
		buf_puts(b, "No known failure (or success) line in the logs scanned.\n\n");
	for (size_t i = 0; i < f->n; i++) {
		const struct finding *x = &f->v[i];
		buf_printf(b, "**%s %s `%s`** — ", report_severity_icon(x->severity), severity_name(x->severity), x->id);
		md_val(b, in->red, x->source);
		buf_printf(b, " line %lu", x->line);
		if (x->count > 1)
			buf_printf(b, " (and %lu more matching line%s)", x->count - 1, x->count > 2 ? "s" : "");
		if (x->confirms)
			buf_printf(b, " · confirms `%s`", x->confirms);
		buf_puts(b, "\n\n");
		_cleanup_free_ char *t = redact_text(in->red, x->text);
		md_block(b, "", t ? t : "?");
		md_lines(b, x->message);
		buf_puts(b, "\n\n**Fix:** ");
		md_lines(b, x->fix);
		buf_puts(b, "\n\n");
	}
	if (f->dropped)
		buf_printf(b, "%lu more matching lines were not kept (more than %d distinct findings).\n\n", f->dropped, FINDINGS_MAX);
}

static void logs_md(struct buf *b, const struct report_input *in)
{
	const struct log_scan *ls = in->logs;
	buf_puts(b, "### Logs scanned\n\n");
	if (!ls->n) {
		buf_puts(b, "No logs found (Xorg.*.log, kern.log, dmesg under the root; add one with --log FILE).\n\n");
		return;
	}
	buf_puts(b, "| Log | Kind | Lines | Notes |\n|---|---|---|---|\n");
	for (size_t i = 0; i < ls->n; i++) {
		const struct log_source *s = &ls->v[i];
		buf_puts(b, "| ");
		md_val(b, in->red, s->name);
		buf_printf(b, " | %s | %lu | ", log_kind_name(s->kind), s->st.lines);
		bool first = true;
#define NOTE(...) do { buf_puts(b, first ? "" : "; "); first = false; buf_printf(b, __VA_ARGS__); } while (0)
		if (s->st.truncated)
			NOTE("%lu lines longer than %d bytes cut", s->st.truncated, LOGSCAN_MAX_LINE);
		if (s->st.binary)
			NOTE("%lu binary lines skipped", s->st.binary);
		if (s->st.invalid_utf8)
			NOTE("%lu lines with invalid UTF-8 repaired", s->st.invalid_utf8);
		if (s->st.nul_bytes)
			NOTE("%lu NUL bytes dropped", s->st.nul_bytes);
		if (s->note) {
			NOTE("%s", "");
			md_val(b, in->red, s->note);
		}
#undef NOTE
		buf_puts(b, first ? "- |\n" : " |\n");
	}
	buf_puts(b, "\n");
}

static void row(struct buf *b, const char *name)
{
	buf_printf(b, "| %s | ", name);
}

static void env_md(struct buf *b, const struct report_input *in)
{
	const struct environment *e = &in->snap->env;
	struct redactor *r = in->red;
	buf_puts(b, "### Environment\n\n| | |\n|---|---|\n");
	row(b, "Hypervisor");
	buf_puts(b, classify_in_vm(in->snap) ? "yes" : "no");
	if (e->dmi_sys_vendor) {
		buf_puts(b, " (");
		md_val(b, r, e->dmi_sys_vendor);
		buf_puts(b, ", ");
		md_val(b, r, e->dmi_product_name);
		buf_puts(b, ")");
	}
	buf_puts(b, " |\n");
	row(b, "Machine type");
	md_val(b, r, e->machine);
	buf_puts(b, " (");
	md_version(b, r, e->dmi_product_version);
	buf_puts(b, ") |\n");
	row(b, "Firmware");
	md_val(b, r, e->firmware);
	buf_puts(b, " (");
	md_val(b, r, e->dmi_bios_vendor);
	buf_puts(b, ") |\n");
	row(b, "EFI PCI ROM hand-over");
	buf_puts(b, e->efi_pci_rom ? "yes" : "no");
	buf_puts(b, " (setup_data types: ");
	md_strv(b, r, &e->setup_data_types);
	buf_puts(b, ") |\n");
	row(b, "Kernel");
	md_val(b, r, e->kernel_release);
	buf_puts(b, " |\n");
	row(b, "Command line");
	md_val(b, r, e->cmdline);
	buf_puts(b, " |\n");
	row(b, "Modules");
	md_strv(b, r, &e->modules);
	buf_puts(b, " |\n");
	row(b, "Xorg drivers");
	md_strv(b, r, &e->xorg_drivers);
	buf_puts(b, " |\n");
	row(b, "Xorg version");
	md_version(b, r, e->xorg_version);
	buf_puts(b, " |\n");
	row(b, "Session type");
	md_val(b, r, e->session_type);
	buf_puts(b, " |\n");
	row(b, "ACPI tables");
	if (!e->n_acpi_tables)
		buf_puts(b, "-");
	for (size_t i = 0; i < e->n_acpi_tables; i++) {
		const struct acpi_table *t = &e->acpi_tables[i];
		buf_puts(b, i ? ", " : "");
		md_val(b, r, t->name);
		buf_puts(b, " (");
		md_val(b, r, t->oem_id);
		buf_puts(b, "/");
		md_val(b, r, t->oem_table_id);
		buf_puts(b, ")");
	}
	buf_puts(b, " |\n");
	const struct providers *p = &in->snap->providers;
	row(b, "RandR providers");
	if (!p->source)
		buf_puts(b, "not asked");
	for (size_t i = 0; i < p->n; i++) {
		buf_puts(b, i ? ", " : "");
		md_val(b, r, p->v[i].name);
		buf_printf(b, " (caps 0x%x", p->v[i].caps);
		if (p->v[i].pci_slot)
			buf_printf(b, ", %s", p->v[i].pci_slot);
		buf_puts(b, ")");
	}
	buf_puts(b, " |\n\n");
}

static void xorg_md(struct buf *b, const struct report_input *in)
{
	const struct snapshot *s = in->snap;
	buf_puts(b, "### Xorg configuration\n\n");
	for (int ours = 1; ours >= 0; ours--) {
		size_t n = 0;
		for (size_t i = 0; i < s->n_xorg; i++)
			n += s->xorg[i].ours == (bool)ours;
		buf_printf(b, "%s:%s\n\n", ours ? "Written by optimus-guest" : "Written by others", n ? "" : " none");
		for (size_t i = 0; i < s->n_xorg; i++) {
			const struct xorg_file *x = &s->xorg[i];
			if (x->ours != (bool)ours)
				continue;
			buf_puts(b, "- ");
			md_val(b, in->red, x->path);
			buf_puts(b, "\n\n");
			struct buf t = {0};
			buf_puts(&t, "");
			for (size_t k = 0; k < x->n_lines; k++) {
				_cleanup_free_ char *l = redact_text(in->red, x->lines[k].text);
				buf_printf(&t, "%4u: %s\n", x->lines[k].line, l ? l : "?");
			}
			_cleanup_free_ char *text = buf_steal(&t);
			if (text && *text) {
				struct buf ind = {0};
				md_block(&ind, "", text);
				_cleanup_free_ char *blk = buf_steal(&ind);
				/* indent the block under the list item */
				for (char *l = blk; l && *l;) {
					char *nl = strchr(l, '\n');
					size_t len = nl ? (size_t)(nl - l) : strlen(l);
					if (len)
						buf_puts(b, "  ");
					buf_append(b, l, len);
					buf_puts(b, "\n");
					l = nl ? nl + 1 : NULL;
				}
			}
		}
	}
}

static void redaction_md(struct buf *b, const struct redactor *r)
{
	if (!r->enabled) {
		buf_puts(b, "Not redacted (--no-redact): host names, user names, MAC addresses, serial numbers, UUIDs and IP addresses appear as they are.\n\n");
		return;
	}
	size_t total = 0;
	for (int k = 0; k < RK__N; k++)
		total += redact_count(r, (enum redact_kind)k);
	if (!total) {
		buf_puts(b, "Redaction on: no host name, user name, MAC address, serial number, UUID or IP address was found to replace.\n\n");
		return;
	}
	buf_puts(b, "Redacted: ");
	bool first = true;
	int example = -1;
	for (int k = 0; k < RK__N; k++) {
		size_t n = redact_count(r, (enum redact_kind)k);
		if (!n)
			continue;
		const char *name = redact_kind_name((enum redact_kind)k);
		bool sibilant = name[0] && name[strlen(name) - 1] == 's';   /* "MAC address" -> "MAC addresses" */
		buf_printf(b, "%s%zu %s%s", first ? "" : ", ", n, name, n == 1 ? "" : sibilant ? "es" : "s");
		first = false;
		if (example < 0)
			example = k;
	}
	static const char *const ph[RK__N] = { "host-1", "user-1", "mac-1", "serial-1", "uuid-1", "ip-1" };
	buf_printf(b, ", replaced by placeholders such as &lt;%s&gt;. Run with --no-redact to keep them.\n\n", ph[example]);
}

int report_markdown(const struct report_input *in, struct buf *out)
{
	struct buf body = {0};
	buf_puts(&body, "");
	decision_md(&body, in);
	devices_md(&body, in);
	findings_md(&body, in);
	logs_md(&body, in);
	env_md(&body, in);
	xorg_md(&body, in);
	json_t *j = snapshot_to_json(in->snap);
	if (!j) {
		buf_free(&body);
		return -ENOMEM;
	}
	int rc = redact_json(in->red, j);
	_cleanup_free_ char *js = rc == 0 ? json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(j);
	buf_puts(&body, "<details><summary>Snapshot (JSON, as 'optimus-guest probe --json' prints it)</summary>\n\n");
	md_block(&body, "json", js ? js : "null");
	buf_puts(&body, "</details>\n");

	_cleanup_free_ char *summary = report_summary(in);
	buf_puts(out, "## optimus-guest report\n\n**Summary:** ");
	md_text(out, summary ? summary : "?");
	buf_printf(out, "\n\noptimus-guest %s. ", in->version ? in->version : "?");
	redaction_md(out, in->red);
	if (body.s)
		buf_append(out, body.s, body.len);
	buf_free(&body);
	return out->oom || !js ? -ENOMEM : 0;
}
