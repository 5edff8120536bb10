/* Writing a domain back as text, so that a fixed domain differs from the input only where it was
 * fixed. Each element of the input remembers where it sat in the text (its span, found by a small
 * scanner that walks the start and end tags in document order, as libxml2 builds the tree); an
 * element the fix did not touch is copied from the input byte for byte, with its attribute order,
 * line breaks inside tags, comments and blank lines. Only elements the fix made or changed are
 * written anew, in the quote style the input uses (libxml2's own serializer would turn virsh's
 * single quotes into double quotes). Text before and after the root element is kept as it is. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "libvirt/domain_xml.h"
#include "util/buf.h"
#include "util/cleanup.h"

static void escape(struct buf *b, const xmlChar *s, char quote)
{
	for (const char *p = (const char *)s; p && *p; p++) {
		switch (*p) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '\'': buf_puts(b, quote == '\'' ? "&apos;" : "'"); break;
		case '"': buf_puts(b, quote == '"' ? "&quot;" : "\""); break;
		case '\n': buf_puts(b, quote ? "&#10;" : "\n"); break;
		case '\r': buf_puts(b, "&#13;"); break;
		case '\t': buf_puts(b, quote ? "&#9;" : "\t"); break;
		default: buf_append(b, p, 1);
		}
	}
}

static void qname(struct buf *b, xmlNsPtr ns, const xmlChar *name)
{
	if (ns && ns->prefix)
		buf_printf(b, "%s:", (const char *)ns->prefix);
	buf_puts(b, (const char *)name);
}

/* Start of line LINE (1-based) of the input, NULL past its end. */
static const char *line_at(const struct lv_doc *d, long line)
{
	if (!d->text || line < 1 || (size_t)line > d->n_lines)
		return NULL;
	return d->text + d->line_start[line - 1];
}

/* The quote an element was written with in the input: the first "='" or "=\"" after its
 * name on its line; DEF for elements the fix made. */
static char quote_of(const struct lv_doc *d, xmlNodePtr n, char def)
{
	const char *p = line_at(d, xmlGetLineNo(n));
	if (!p || (!n->properties && !n->nsDef))
		return def;
	const char *end = strchr(p, '\n');
	const char *name = strstr(p, (const char *)n->name);
	if (!name || (end && name > end))
		return def;
	for (const char *c = name; *c && c != end && *c != '>'; c++)
		if (c[0] == '=' && (c[1] == '\'' || c[1] == '"'))
			return c[1];
	return def;
}

/* ---- spans ---- */

struct lv_span {
	size_t begin, tag_end, end; /* '<' of the start tag, after its '>', after the element */
	int flags;                  /* LV_DIRTY_* */
};

static bool name_start(char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == ':' || (unsigned char)c >= 0x80;
}

/* After the '>' that ends the tag starting at I (quotes respected); 0 when it does not end. */
static size_t tag_close(const char *t, size_t len, size_t i)
{
	char q = 0;
	for (; i < len; i++) {
		if (q) {
			if (t[i] == q)
				q = 0;
		} else if (t[i] == '\'' || t[i] == '"') {
			q = t[i];
		} else if (t[i] == '>') {
			return i + 1;
		}
	}
	return 0;
}

static size_t skip_past(const char *t, size_t len, size_t i, const char *end)
{
	const char *p = memmem(t + i, len - i, end, strlen(end));
	return p ? (size_t)(p - t) + strlen(end) : 0;
}

/* Elements in document order, as the tree holds them. */
static size_t count_elements(xmlNodePtr n, xmlNodePtr *out, size_t cap, size_t k, int depth)
{
	for (xmlNodePtr c = n; c && depth < 256; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (out && k < cap)
			out[k] = c;
		k++;
		k = count_elements(c->children, out, cap, k, depth + 1);
	}
	return k;
}

void lv_spans_free(struct lv_doc *d)
{
	free(d->spans);
	d->spans = NULL;
}

/* Tie each element to its place in the input text; leave every span unset when the text and
 * the tree do not agree (a DOCTYPE with entities, an encoding other than UTF-8). */
int lv_spans_build(struct lv_doc *d)
{
	xmlNodePtr root = xmlDocGetRootElement(d->doc);
	size_t n = count_elements(root, NULL, 0, 0, 0);
	_cleanup_free_ xmlNodePtr *els = calloc(n ? n : 1, sizeof(*els));
	_cleanup_free_ struct lv_span *sp = calloc(n ? n : 1, sizeof(*sp));
	_cleanup_free_ size_t *stack = calloc(n ? n : 1, sizeof(*stack));
	if (!els || !sp || !stack)
		return -ENOMEM;
	count_elements(root, els, n, 0, 0);
	const char *t = d->text;
	size_t len = d->len, k = 0, depth = 0;
	bool ok = true;
	size_t i = 0;
	while (ok && i < len) {
		if (t[i] != '<') {
			i++;
			continue;
		}
		size_t next = i + 1;
		if (i + 4 <= len && memcmp(t + i, "<!--", 4) == 0) {
			next = skip_past(t, len, i + 4, "-->");
		} else if (i + 9 <= len && memcmp(t + i, "<![CDATA[", 9) == 0) {
			next = skip_past(t, len, i + 9, "]]>");
		} else if (i + 1 < len && t[i + 1] == '?') {
			next = skip_past(t, len, i + 2, "?>");
		} else if (i + 1 < len && t[i + 1] == '!') {
			next = 0; /* DOCTYPE: entities may add elements the text does not show */
		} else if (i + 1 < len && t[i + 1] == '/') {
			next = tag_close(t, len, i);
			if (next && depth > 0)
				sp[stack[--depth]].end = next;
			else
				next = 0;
		} else if (i + 1 < len && name_start(t[i + 1]) && k < n) {
			next = tag_close(t, len, i);
			/* the name must be the element's (qualified) name */
			xmlNodePtr el = els[k];
			char qn[300];
			snprintf(qn, sizeof(qn), "%s%s%s", el->ns && el->ns->prefix ? (const char *)el->ns->prefix : "",
				 el->ns && el->ns->prefix ? ":" : "", (const char *)el->name);
			size_t ql = strlen(qn);
			if (!next || i + 1 + ql >= len || memcmp(t + i + 1, qn, ql) != 0 ||
			    !strchr(" \t\r\n/>", t[i + 1 + ql])) {
				next = 0;
			} else {
				sp[k] = (struct lv_span){ .begin = i, .tag_end = next, .end = next };
				if (t[next - 2] != '/')
					stack[depth++] = k;
				k++;
			}
		} else {
			next = 0;
		}
		ok = next != 0;
		i = next;
	}
	ok = ok && k == n && depth == 0;
	if (ok)
		for (size_t j = 0; j < n; j++)
			els[j]->_private = &sp[j];
	d->spans = ok ? TAKE_PTR(sp) : NULL;
	return 0;
}

void lv_mark(void *node, int flags)
{
	xmlNodePtr n = node;
	if (n && n->type == XML_ELEMENT_NODE && n->_private)
		((struct lv_span *)n->_private)->flags |= flags;
	for (xmlNodePtr p = n ? n->parent : NULL; p && p->type == XML_ELEMENT_NODE; p = p->parent)
		if (p->_private)
			((struct lv_span *)p->_private)->flags |= LV_DIRTY_KIDS;
}

static void node(struct buf *b, const struct lv_doc *d, xmlNodePtr n, char q, int depth)
{
	switch (n->type) {
	case XML_ELEMENT_NODE: {
		const struct lv_span *sp = d->spans ? n->_private : NULL;
		q = quote_of(d, n, q); /* a new element takes its parent's quotes */
		if (sp && !sp->flags) { /* untouched: as it was */
			buf_append(b, d->text + sp->begin, sp->end - sp->begin);
			return;
		}
		bool empty_tag = sp && d->text[sp->tag_end - 2] == '/';
		if (sp && !(sp->flags & LV_DIRTY_TAG) && (!empty_tag || !n->children)) {
			buf_append(b, d->text + sp->begin, sp->tag_end - sp->begin);
			if (empty_tag)
				return;
			goto children;
		}
		buf_puts(b, "<");
		qname(b, n->ns, n->name);
		for (xmlAttrPtr a = n->properties; a; a = a->next) {
			buf_puts(b, " ");
			qname(b, a->ns, a->name);
			buf_printf(b, "=%c", q);
			for (xmlNodePtr t = a->children; t; t = t->next) {
				if (t->type == XML_TEXT_NODE)
					escape(b, t->content, q);
				else if (t->type == XML_ENTITY_REF_NODE)
					buf_printf(b, "&%s;", (const char *)t->name);
			}
			buf_append(b, &q, 1);
		}
		for (xmlNsPtr ns = n->nsDef; ns; ns = ns->next) {
			buf_printf(b, " xmlns%s%s=%c", ns->prefix ? ":" : "", ns->prefix ? (const char *)ns->prefix : "", q);
			escape(b, ns->href, q);
			buf_append(b, &q, 1);
		}
		if (!n->children) {
			buf_puts(b, "/>");
			return;
		}
		buf_puts(b, ">");
	children:
		if (depth < 256)
			for (xmlNodePtr c = n->children; c; c = c->next)
				node(b, d, c, q, depth + 1);
		buf_puts(b, "</");
		qname(b, n->ns, n->name);
		buf_puts(b, ">");
		return;
	}
	case XML_TEXT_NODE:
		escape(b, n->content, 0);
		return;
	case XML_CDATA_SECTION_NODE:
		buf_printf(b, "<![CDATA[%s]]>", n->content ? (const char *)n->content : "");
		return;
	case XML_COMMENT_NODE:
		buf_printf(b, "<!--%s-->", n->content ? (const char *)n->content : "");
		return;
	case XML_PI_NODE:
		buf_printf(b, "<?%s%s%s?>", (const char *)n->name, n->content ? " " : "", n->content ? (const char *)n->content : "");
		return;
	case XML_ENTITY_REF_NODE:
		buf_printf(b, "&%s;", (const char *)n->name);
		return;
	default: { /* DTD and the rest: libxml2's own form */
		xmlBufferPtr xb = xmlBufferCreate();
		if (xb && xmlNodeDump(xb, n->doc, n, 0, 0) >= 0)
			buf_puts(b, (const char *)xmlBufferContent(xb));
		xmlBufferFree(xb);
	}
	}
}

int lv_doc_write(const struct lv_doc *d, char **ret, size_t *ret_len)
{
	xmlDocPtr doc = d->doc;
	_cleanup_buf_ struct buf b = {0};
	xmlNodePtr root = xmlDocGetRootElement(doc);
	const struct lv_span *rs = d->spans && root ? root->_private : NULL;
	if (rs) { /* the text around the root (declaration, comments, blank lines) as it was */
		buf_append(&b, d->text, rs->begin);
		node(&b, d, root, d->quote, 0);
		buf_append(&b, d->text + rs->end, d->len - rs->end);
		goto out;
	}
	if (d->had_decl)
		buf_printf(&b, "<?xml version=\"%s\"%s?>\n", doc->version ? (const char *)doc->version : "1.0",
			   doc->encoding ? " encoding=\"UTF-8\"" : "");
	for (xmlNodePtr c = doc->children; c; c = c->next) {
		/* blank lines the input had before a top-level node (after the header comment) */
		long line = c->prev ? xmlGetLineNo(c) : 0;
		int blanks = 0;
		for (long k = line - 1; k >= 1 && blanks < 8; k--, blanks++) {
			const char *p = line_at(d, k);
			while (p && (*p == ' ' || *p == '\t' || *p == '\r'))
				p++;
			if (!p || *p != '\n')
				break;
		}
		for (int k = 0; k < blanks; k++)
			buf_puts(&b, "\n");
		node(&b, d, c, d->quote, 0);
		buf_puts(&b, "\n");
	}
out:
	if (b.oom)
		return -ENOMEM;
	*ret_len = b.len;
	*ret = buf_steal(&b);
	return *ret ? 0 : -ENOMEM;
}
