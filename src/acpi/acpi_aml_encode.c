/* The AML encoder of the definition-block tree: name strings, package lengths,
 * objects and the table header. Opcodes: ACPI 6.4, 20.2 "AML Grammar Definition". */
#include "acpi/acpi_aml_encode.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_aml_ops.h"
#include "acpi/acpi_path.h"
#include "util/cleanup.h"

static size_t raw_pkglen(size_t v, uint8_t out[4])
{
	if (v <= 0x3F) {
		out[0] = (uint8_t)v;
		return 1;
	}
	for (size_t n = 2; n <= 4; n++) {
		if (v < (size_t)1 << (4 + 8 * (n - 1))) {
			out[0] = (uint8_t)(((n - 1) << 6) | (v & 0x0F));
			for (size_t k = 1; k < n; k++)
				out[k] = (uint8_t)(v >> (4 + 8 * (k - 1)));
			return n;
		}
	}
	return 0;
}

size_t aml_pkglen(size_t body, uint8_t out[4])
{
	for (size_t n = 1; n <= 4; n++) {
		uint8_t tmp[4];
		size_t got = raw_pkglen(body + n, tmp);
		if (got == n) {
			memcpy(out, tmp, n);
			return n;
		}
	}
	return 0;
}

size_t aml_namestring(const char *path, uint8_t *out, size_t cap)
{
	_cleanup_free_ struct acpi_path *p = malloc(sizeof(*p));
	struct err e;
	size_t o = 0;
	if (!p)
		return 0;
	if (acpi_path_parse(path, strlen(path), p, &e) < 0)
		return 0;
#define PUT(b) do { if (o >= cap) return 0; out[o++] = (uint8_t)(b); } while (0)
	if (p->root)
		PUT('\\');
	for (unsigned i = 0; i < p->parents; i++)
		PUT('^');
	if (p->n == 0)
		PUT(0x00);
	else if (p->n == 2)
		PUT(0x2E);
	else if (p->n > 2) {
		PUT(0x2F);
		PUT(p->n);
	}
	for (unsigned s = 0; s < p->n; s++)
		for (int k = 0; k < 4; k++)
			PUT(p->seg[s][k]);
#undef PUT
	return o;
}

struct enc {
	struct buf b;
	const char *why;
	bool skip_externals; /* already emitted at the top of the table */
};

static void enc_done(struct enc *x) { buf_free(&x->b); }

static void put(struct enc *x, const void *p, size_t n) { buf_append(&x->b, p, n); }
static void put1(struct enc *x, uint8_t v) { put(x, &v, 1); }

static void put_int(struct enc *x, uint64_t v)
{
	uint8_t b[9];
	size_t n;
	if (v == 0 || v == 1) {
		put1(x, (uint8_t)v); /* ZeroOp, OneOp */
		return;
	}
	if (v == UINT64_MAX) {
		put1(x, 0xFF); /* OnesOp */
		return;
	}
	if (v <= 0xFF)
		b[0] = 0x0A, n = 1;
	else if (v <= 0xFFFF)
		b[0] = 0x0B, n = 2;
	else if (v <= 0xFFFFFFFF)
		b[0] = 0x0C, n = 4;
	else
		b[0] = 0x0E, n = 8;
	for (size_t i = 0; i < n; i++)
		b[1 + i] = (uint8_t)(v >> (8 * i));
	put(x, b, n + 1);
}

static int put_name(struct enc *x, const char *path)
{
	uint8_t tmp[4 + 2 * 255 + 4 * 255];
	size_t n = path ? aml_namestring(path, tmp, sizeof(tmp)) : 0;
	if (!n) {
		x->why = "invalid name path in the tree";
		return -EINVAL;
	}
	put(x, tmp, n);
	return 0;
}

static int encode(struct enc *x, const struct aml_node *n);

static int encode_list(struct enc *x, const struct aml_node *n, size_t from)
{
	for (size_t i = from; i < n->n_kids; i++) {
		int r = encode(x, n->kids[i]);
		if (r < 0)
			return r;
	}
	return 0;
}

/* opcode bytes, then PkgLength over what body() writes. */
static int with_pkglen(struct enc *x, const uint8_t *op, size_t oplen, const struct aml_node *n,
		       int (*body)(struct enc *, const struct aml_node *))
{
	_cleanup_(enc_done) struct enc inner = { .skip_externals = x->skip_externals };
	int r = body(&inner, n);
	if (r < 0 || inner.b.oom) {
		x->why = inner.why;
		return r < 0 ? r : -ENOMEM;
	}
	uint8_t pl[4];
	size_t pn = aml_pkglen(inner.b.len, pl);
	if (!pn) {
		x->why = "object larger than 256 MiB";
		return -EINVAL;
	}
	put(x, op, oplen);
	put(x, pl, pn);
	put(x, inner.b.s, inner.b.len);
	return 0;
}

/* Every External in the tree, in order (borrowed pointers). */
static void collect_externals(struct aml_node *ext, const struct aml_node *n)
{
	for (size_t i = 0; i < n->n_kids; i++) {
		const struct aml_node *k = n->kids[i];
		if (!k)
			continue;
		if (k->kind == AML_EXTERNAL)
			aml_add(ext, (struct aml_node *)k);
		else
			collect_externals(ext, k);
	}
}

static int body_named_block(struct enc *x, const struct aml_node *n)
{
	int r = put_name(x, n->name);
	return r < 0 ? r : encode_list(x, n, 0);
}

static int body_method(struct enc *x, const struct aml_node *n)
{
	int r = put_name(x, n->name);
	if (r < 0)
		return r;
	if (n->value > 7) {
		x->why = "method with more than 7 arguments";
		return -EINVAL;
	}
	put1(x, (uint8_t)(n->value | (n->serialized ? 0x08 : 0)));
	return encode_list(x, n, 0);
}

static int body_pred_block(struct enc *x, const struct aml_node *n)
{
	if (n->n_kids < 1) {
		x->why = "If/While without a predicate";
		return -EINVAL;
	}
	return encode_list(x, n, 0);
}

static int body_buffer(struct enc *x, const struct aml_node *n)
{
	if (n->n_kids == 1) {
		return encode(x, n->kids[0]);
	}
	put_int(x, n->value);
	if (n->data_len)
		put(x, n->data, n->data_len);
	return 0;
}

static int body_package(struct enc *x, const struct aml_node *n)
{
	if (n->n_kids > 255) {
		x->why = "package with more than 255 elements";
		return -EINVAL;
	}
	put1(x, (uint8_t)n->n_kids);
	return encode_list(x, n, 0);
}

static int body_field(struct enc *x, const struct aml_node *n)
{
	int r = put_name(x, n->name);
	if (r < 0)
		return r;
	put1(x, (uint8_t)(n->value & 0x0F)); /* NoLock, Preserve */
	for (size_t i = 0; i < n->n_kids; i++) {
		const struct aml_node *u = n->kids[i];
		uint8_t pl[4];
		size_t pn = raw_pkglen(u->value, pl);
		if (u->kind != AML_FIELD_UNIT || !pn) {
			x->why = "bad field unit";
			return -EINVAL;
		}
		if (u->name) {
			struct acpi_path p;
			struct err e;
			if (acpi_path_parse(u->name, strlen(u->name), &p, &e) < 0 || p.n != 1 || p.root || p.parents) {
				x->why = "field unit name must be one segment";
				return -EINVAL;
			}
			put(x, p.seg[0], 4);
		} else {
			put1(x, 0x00);
		}
		put(x, pl, pn);
	}
	return 0;
}

static int encode(struct enc *x, const struct aml_node *n)
{
	static const uint8_t scope_op[] = { 0x10 }, device_op[] = { 0x5B, 0x82 }, method_op[] = { 0x14 },
			     if_op[] = { 0xA0 }, while_op[] = { 0xA2 }, buffer_op[] = { 0x11 },
			     package_op[] = { 0x12 }, field_op[] = { 0x5B, 0x81 };
	int r;
	if (!n) {
		x->why = "missing operand";
		return -EINVAL;
	}
	if (n->broken) {
		x->why = "out of memory while building the table";
		return -ENOMEM;
	}
	switch (n->kind) {
	case AML_INT:
		put_int(x, n->value);
		return 0;
	case AML_STR:
		put1(x, 0x0D);
		put(x, n->name, strlen(n->name) + 1);
		return 0;
	case AML_LOCAL:
	case AML_ARG:
		if (n->value > (n->kind == AML_LOCAL ? 7u : 6u)) {
			x->why = "no such Local/Arg";
			return -EINVAL;
		}
		put1(x, (uint8_t)((n->kind == AML_LOCAL ? 0x60 : 0x68) + n->value));
		return 0;
	case AML_REF:
		return put_name(x, n->name);
	case AML_CALL:
		r = put_name(x, n->name);
		return r < 0 ? r : encode_list(x, n, 0);
	case AML_BUFFER:
		return with_pkglen(x, buffer_op, 1, n, body_buffer);
	case AML_PACKAGE:
		return with_pkglen(x, package_op, 1, n, body_package);
	case AML_OP: {
		const struct aml_opinfo *oi = &aml_ops[n->op];
		size_t want = oi->nargs + (oi->target ? 1 : 0);
		if (n->n_kids != want) {
			x->why = "operator with the wrong number of operands";
			return -EINVAL;
		}
		put1(x, oi->code);
		for (size_t i = 0; i < oi->nargs; i++)
			if ((r = encode(x, n->kids[i])) < 0)
				return r;
		if (oi->target) {
			if (n->kids[oi->nargs])
				return encode(x, n->kids[oi->nargs]);
			put1(x, 0x00); /* NullName: no target */
		}
		return 0;
	}
	case AML_SCOPE:
		return with_pkglen(x, scope_op, 1, n, body_named_block);
	case AML_DEVICE:
		return with_pkglen(x, device_op, 2, n, body_named_block);
	case AML_METHOD:
		return with_pkglen(x, method_op, 1, n, body_method);
	case AML_NAME:
		put1(x, 0x08);
		if ((r = put_name(x, n->name)) < 0)
			return r;
		if (n->n_kids != 1) {
			x->why = "Name without a value";
			return -EINVAL;
		}
		return encode(x, n->kids[0]);
	case AML_EXTERNAL:
		if (x->skip_externals)
			return 0;
		put1(x, 0x15);
		if ((r = put_name(x, n->name)) < 0)
			return r;
		put1(x, (uint8_t)n->value);
		put1(x, 0); /* argument count (methods only) */
		return 0;
	case AML_IF:
		return with_pkglen(x, if_op, 1, n, body_pred_block);
	case AML_WHILE:
		return with_pkglen(x, while_op, 1, n, body_pred_block);
	case AML_REGION:
		put1(x, 0x5B);
		put1(x, 0x80);
		if ((r = put_name(x, n->name)) < 0)
			return r;
		put1(x, (uint8_t)n->value);
		return encode_list(x, n, 0);
	case AML_FIELD:
		return with_pkglen(x, field_op, 2, n, body_field);
	case AML_FIELD_UNIT:
		break;
	}
	x->why = "node out of place";
	return -EINVAL;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

int aml_encode_table(const struct aml_table_id *id, const struct aml_node *root, uint8_t **ret,
		     size_t *ret_len, const char **why)
{
	_cleanup_(enc_done) struct enc x = {0};
	uint8_t hdr[36] = {0};
	int r;

	*why = NULL;
	put(&x, hdr, sizeof(hdr));
	if (root->broken) {
		*why = "out of memory while building the table";
		return -ENOMEM;
	}
	/* Externals go first, inside If (Zero) { } as iasl emits them: the
	 * interpreter then never executes them (ACPICA would otherwise try to
	 * create the named objects at load time). */
	struct aml_node ext = { .kind = AML_IF };
	struct aml_node *zero = aml_int(0);
	r = zero ? 0 : -ENOMEM;
	aml_add(&ext, zero);
	collect_externals(&ext, root);
	if (r == 0 && ext.broken)
		r = -ENOMEM;
	if (r == 0 && ext.n_kids > 1)
		r = encode(&x, &ext);
	aml_free(zero);
	free(ext.kids);
	x.skip_externals = true;
	if (r == 0)
		r = encode_list(&x, root, 0);
	if (r == 0 && x.b.oom)
		r = -ENOMEM;
	if (r == 0 && x.b.len > UINT32_MAX)
		r = -EFBIG;
	if (r < 0) {
		*why = x.why ? x.why : "out of memory";
		return r;
	}
	uint8_t *t = (uint8_t *)x.b.s;
	memcpy(t, id->signature, 4);
	put_le32(t + 4, (uint32_t)x.b.len);
	t[8] = id->revision;
	memset(t + 10, ' ', 6 + 8);
	memcpy(t + 10, id->oem_id, strnlen(id->oem_id, 6));
	memcpy(t + 16, id->oem_table_id, strnlen(id->oem_table_id, 8));
	put_le32(t + 24, id->oem_revision);
	memcpy(t + 28, "OPTG", 4); /* creator id */
	put_le32(t + 32, 1);        /* creator revision */
	uint8_t sum = 0;
	for (size_t i = 0; i < x.b.len; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)(0x100 - sum);
	*ret_len = x.b.len;
	*ret = (uint8_t *)TAKE_PTR(x.b.s);
	return 0;
}
