/* ASL text of a definition-block tree, in the classic (ASL 1.0 functional)
 * syntax that every iasl accepts. */
#include <errno.h>
#include <inttypes.h>
#include <string.h>

#include "acpi/acpi_asl.h"
#include "acpi/acpi_aml_ops.h"

static void indent(struct buf *o, int level)
{
	for (int i = 0; i < level; i++)
		buf_puts(o, "    ");
}

static void print_int(struct buf *o, uint64_t v)
{
	if (v == 0)
		buf_puts(o, "Zero");
	else if (v == 1)
		buf_puts(o, "One");
	else if (v == UINT64_MAX)
		buf_puts(o, "Ones");
	else if (v <= 0xFF)
		buf_printf(o, "0x%02" PRIX64, v);
	else if (v <= 0xFFFF)
		buf_printf(o, "0x%04" PRIX64, v);
	else if (v <= 0xFFFFFFFF)
		buf_printf(o, "0x%08" PRIX64, v);
	else
		buf_printf(o, "0x%016" PRIX64, v);
}

static int expr(struct buf *o, const struct aml_node *n, int level);
static int stmt(struct buf *o, const struct aml_node *n, int level);

static int body(struct buf *o, const struct aml_node *n, size_t from, int level)
{
	indent(o, level);
	buf_puts(o, "{\n");
	for (size_t i = from; i < n->n_kids; i++) {
		int r = stmt(o, n->kids[i], level + 1);
		if (r < 0)
			return r;
	}
	indent(o, level);
	buf_puts(o, "}");
	return 0;
}

static void print_bytes(struct buf *o, const uint8_t *d, size_t len, int level)
{
	for (size_t i = 0; i < len; i += 16) {
		indent(o, level);
		buf_printf(o, "/* %04zX */ ", i);
		for (size_t k = i; k < len && k < i + 16; k++)
			buf_printf(o, " 0x%02X%s", d[k], k + 1 < len ? "," : "");
		buf_puts(o, "\n");
	}
}

static const char *obj_type(uint64_t t)
{
	switch (t) {
	case AML_OBJ_INT: return "IntObj";
	case AML_OBJ_BUFFER: return "BuffObj";
	case AML_OBJ_PACKAGE: return "PkgObj";
	case AML_OBJ_DEVICE: return "DeviceObj";
	case AML_OBJ_METHOD: return "MethodObj";
	default: return NULL;
	}
}

/* An expression; multi-line values (Buffer with data, Package) continue at level. */
static int expr(struct buf *o, const struct aml_node *n, int level)
{
	int r;
	if (!n || n->broken)
		return -ENOMEM;
	switch (n->kind) {
	case AML_INT:
		print_int(o, n->value);
		return 0;
	case AML_STR:
		buf_printf(o, "\"%s\"", n->name);
		return 0;
	case AML_LOCAL:
		buf_printf(o, "Local%u", (unsigned)n->value);
		return 0;
	case AML_ARG:
		buf_printf(o, "Arg%u", (unsigned)n->value);
		return 0;
	case AML_REF:
		buf_puts(o, n->name);
		return 0;
	case AML_CALL:
		buf_printf(o, "%s (", n->name);
		for (size_t i = 0; i < n->n_kids; i++) {
			if (i)
				buf_puts(o, ", ");
			if ((r = expr(o, n->kids[i], level)) < 0)
				return r;
		}
		buf_puts(o, ")");
		return 0;
	case AML_BUFFER:
		buf_puts(o, "Buffer (");
		if (n->n_kids == 1) {
			if ((r = expr(o, n->kids[0], level)) < 0)
				return r;
		} else {
			print_int(o, n->value);
		}
		if (!n->data_len) {
			buf_puts(o, ") {}");
			return 0;
		}
		buf_puts(o, ")\n");
		indent(o, level);
		buf_puts(o, "{\n");
		print_bytes(o, n->data, n->data_len, level + 1);
		indent(o, level);
		buf_puts(o, "}");
		return 0;
	case AML_PACKAGE:
		buf_puts(o, "Package (");
		print_int(o, n->n_kids);
		buf_puts(o, ")\n");
		indent(o, level);
		buf_puts(o, "{\n");
		for (size_t i = 0; i < n->n_kids; i++) {
			indent(o, level + 1);
			if ((r = expr(o, n->kids[i], level + 1)) < 0)
				return r;
			buf_puts(o, i + 1 < n->n_kids ? ",\n" : "\n");
		}
		indent(o, level);
		buf_puts(o, "}");
		return 0;
	case AML_OP: {
		const struct aml_opinfo *oi = &aml_ops[n->op];
		buf_puts(o, oi->asl);
		if (oi->nargs == 0 && !oi->target)
			return 0;
		buf_puts(o, " (");
		for (size_t i = 0; i < n->n_kids; i++) {
			if (!n->kids[i])
				break; /* no target */
			if (i)
				buf_puts(o, ", ");
			if ((r = expr(o, n->kids[i], level)) < 0)
				return r;
		}
		buf_puts(o, ")");
		return 0;
	}
	default:
		return -EINVAL;
	}
}

static int stmt(struct buf *o, const struct aml_node *n, int level)
{
	int r = 0;
	if (!n || n->broken)
		return -ENOMEM;
	if (n->comment) {
		indent(o, level);
		buf_printf(o, "/* %s */\n", n->comment);
	}
	indent(o, level);
	switch (n->kind) {
	case AML_SCOPE:
	case AML_DEVICE:
		buf_printf(o, "%s (%s)\n", n->kind == AML_SCOPE ? "Scope" : "Device", n->name);
		r = body(o, n, 0, level);
		break;
	case AML_METHOD:
		buf_printf(o, "Method (%s, %u, %s)\n", n->name, (unsigned)n->value,
			   n->serialized ? "Serialized" : "NotSerialized");
		r = body(o, n, 0, level);
		break;
	case AML_IF:
	case AML_WHILE:
		buf_puts(o, n->kind == AML_IF ? "If (" : "While (");
		if (n->n_kids < 1)
			return -EINVAL;
		if ((r = expr(o, n->kids[0], level)) < 0)
			return r;
		buf_puts(o, ")\n");
		r = body(o, n, 1, level);
		break;
	case AML_NAME:
		buf_printf(o, "Name (%s, ", n->name);
		if (n->n_kids != 1)
			return -EINVAL;
		if ((r = expr(o, n->kids[0], level)) < 0)
			return r;
		buf_puts(o, ")");
		break;
	case AML_EXTERNAL:
		if (!obj_type(n->value))
			return -EINVAL;
		buf_printf(o, "External (%s, %s)", n->name, obj_type(n->value));
		break;
	case AML_REGION:
		buf_printf(o, "OperationRegion (%s, %s, ", n->name, n->value == AML_SPACE_IO ? "SystemIO" : "SystemMemory");
		if (n->n_kids != 2)
			return -EINVAL;
		if ((r = expr(o, n->kids[0], level)) < 0)
			return r;
		buf_puts(o, ", ");
		if ((r = expr(o, n->kids[1], level)) < 0)
			return r;
		buf_puts(o, ")");
		break;
	case AML_FIELD: {
		buf_printf(o, "Field (%s, %s, NoLock, Preserve)\n", n->name,
			   n->value == AML_ACC_WORD ? "WordAcc" : "ByteAcc");
		indent(o, level);
		buf_puts(o, "{\n");
		uint64_t bit = 0;
		for (size_t i = 0; i < n->n_kids; i++) {
			const struct aml_node *u = n->kids[i];
			bit += u->value;
			indent(o, level + 1);
			if (u->name)
				buf_printf(o, "%s, %u", u->name, (unsigned)u->value);
			else if (bit % 8 == 0)
				buf_printf(o, "Offset (0x%02X)", (unsigned)(bit / 8));
			else
				buf_printf(o, ", %u", (unsigned)u->value);
			buf_puts(o, i + 1 < n->n_kids ? ",\n" : "\n");
		}
		indent(o, level);
		buf_puts(o, "}");
		break;
	}
	default:
		r = expr(o, n, level);
	}
	buf_puts(o, "\n");
	return r;
}

int asl_print_table(const struct aml_table_id *id, const struct aml_node *root, struct buf *out)
{
	buf_printf(out, "DefinitionBlock (\"\", \"%s\", %u, \"%s\", \"%s\", 0x%08X)\n", id->signature, id->revision,
		   id->oem_id, id->oem_table_id, id->oem_revision);
	if (root->comment) {
		buf_printf(out, "/* %s */\n", root->comment);
	}
	int r = body(out, root, 0, 0);
	buf_puts(out, "\n");
	if (r == 0 && out->oom)
		r = -ENOMEM;
	return r;
}
