/* Writing a domain back as text. libxml2's own serializer would turn every attribute's single
 * quotes (virsh's style) into double quotes; this writes the input's quote character instead,
 * so a fixed domain differs from the input only where it was fixed. */
#include <errno.h>
#include <string.h>

#include <libxml/tree.h>

#include "libvirt/domain_xml.h"
#include "util/buf.h"

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

static void node(struct buf *b, const struct lv_doc *d, xmlNodePtr n, char q, int depth)
{
	switch (n->type) {
	case XML_ELEMENT_NODE:
		q = quote_of(d, n, d->quote);
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
		if (depth < 256)
			for (xmlNodePtr c = n->children; c; c = c->next)
				node(b, d, c, q, depth + 1);
		buf_puts(b, "</");
		qname(b, n->ns, n->name);
		buf_puts(b, ">");
		return;
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
	struct buf b = {0};
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
	if (b.oom) {
		buf_free(&b);
		return -ENOMEM;
	}
	*ret_len = b.len;
	*ret = buf_steal(&b);
	return *ret ? 0 : -ENOMEM;
}
