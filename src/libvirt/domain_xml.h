/* A libvirt domain document: parsing (from memory, never from the network), reading it into a
 * struct vmconf, and writing it back with the input's own quoting. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "libvirt/vmconf.h"
#include "util/err.h"

#define QEMU_NS_HREF "http://libvirt.org/schemas/domain/qemu/1.0"
#define LV_MAX_XML (16u << 20)

struct lv_doc {
	void *doc;        /* xmlDocPtr */
	char quote;       /* the quote the input uses for attributes: '\'' (virsh) or '"' */
	bool had_decl;    /* the input started with <?xml ...?> */
	char *text;       /* the input, to see each element's own quotes and blank lines */
	size_t len;
	size_t *line_start; /* offset of line N+1 in text */
	size_t n_lines;
	struct lv_span *spans; /* where each element sat in text (xml_write.c); NULL: write everything anew */
};

/* What a fix changed on an element: its start tag (attributes, namespaces), or something inside. */
#define LV_DIRTY_TAG 1
#define LV_DIRTY_KIDS 2
/* Mark NODE (an xmlNodePtr) changed; its ancestors are marked as holding a change. Call before
 * unlinking a node, on its parent. */
void lv_mark(void *node, int flags);
int lv_spans_build(struct lv_doc *d);
void lv_spans_free(struct lv_doc *d);

/* Parse BUF; NAME is used in messages. Malformed input: -EINVAL, "NAME:LINE:COL: what". */
int lv_doc_parse(const char *buf, size_t len, const char *name, struct lv_doc *ret, struct err *e);
void lv_doc_free(struct lv_doc *d);
/* Read the facts checks.c needs. */
int lv_doc_read(const struct lv_doc *d, struct vmconf *ret, struct err *e);
/* The document as text, in the input's style; caller frees. */
int lv_doc_write(const struct lv_doc *d, char **ret, size_t *ret_len);
