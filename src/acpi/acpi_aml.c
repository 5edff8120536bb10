/* The definition-block tree: its nodes and the constructors (acpi_aml_encode.c
 * turns it into AML, acpi_asl.c into ASL). Opcodes: ACPI 6.4, 20.2 "AML Grammar
 * Definition". */
#include "acpi/acpi_aml.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "acpi/acpi_aml_ops.h"

const struct aml_opinfo aml_ops[OP__MAX] = {
	[OP_STORE] = { "Store", 0x70, 2, false },
	[OP_COPYOBJECT] = { "CopyObject", 0x9D, 2, false },
	[OP_ADD] = { "Add", 0x72, 2, true },
	[OP_SUBTRACT] = { "Subtract", 0x74, 2, true },
	[OP_SHIFTLEFT] = { "ShiftLeft", 0x79, 2, true },
	[OP_SHIFTRIGHT] = { "ShiftRight", 0x7A, 2, true },
	[OP_AND] = { "And", 0x7B, 2, true },
	[OP_OR] = { "Or", 0x7D, 2, true },
	[OP_LNOT] = { "LNot", 0x92, 1, false },
	[OP_LEQUAL] = { "LEqual", 0x93, 2, false },
	[OP_LGREATER] = { "LGreater", 0x94, 2, false },
	[OP_LLESS] = { "LLess", 0x95, 2, false },
	[OP_MID] = { "Mid", 0x9E, 3, true },
	[OP_CONCAT] = { "Concatenate", 0x73, 2, true },
	[OP_SIZEOF] = { "SizeOf", 0x87, 1, false },
	[OP_DEREFOF] = { "DerefOf", 0x83, 1, false },
	[OP_INDEX] = { "Index", 0x88, 2, true },
	[OP_RETURN] = { "Return", 0xA4, 1, false },
	[OP_INCREMENT] = { "Increment", 0x75, 1, false },
	[OP_BREAK] = { "Break", 0xA5, 0, false },
};

/* ---- tree ---------------------------------------------------------------- */

static struct aml_node *node_new(enum aml_kind kind)
{
	struct aml_node *n = calloc(1, sizeof(*n));
	if (n)
		n->kind = kind;
	return n;
}

static struct aml_node *node_named(enum aml_kind kind, const char *name)
{
	struct aml_node *n = node_new(kind);
	if (n && name && !(n->name = strdup(name))) {
		free(n);
		return NULL;
	}
	return n;
}

/* Push a child; NULL is kept as a NULL slot only when allow_null. */
static void push(struct aml_node *parent, struct aml_node *child, bool allow_null)
{
	if (!parent) {
		aml_free(child);
		return;
	}
	if (!child && !allow_null) {
		parent->broken = true;
		return;
	}
	if (parent->n_kids == parent->cap_kids) {
		size_t cap = parent->cap_kids ? parent->cap_kids * 2 : 4;
		struct aml_node **k = realloc(parent->kids, cap * sizeof(*k));
		if (!k) {
			parent->broken = true;
			aml_free(child);
			return;
		}
		parent->kids = k;
		parent->cap_kids = cap;
	}
	parent->kids[parent->n_kids++] = child;
}

void aml_add(struct aml_node *parent, struct aml_node *child)
{
	push(parent, child, false);
}

void aml_comment(struct aml_node *n, const char *text)
{
	if (!n)
		return;
	free(n->comment);
	n->comment = strdup(text);
	if (!n->comment)
		n->broken = true;
}

void aml_free(struct aml_node *n)
{
	if (!n)
		return;
	for (size_t i = 0; i < n->n_kids; i++)
		aml_free(n->kids[i]);
	free(n->kids);
	free(n->name);
	free(n->comment);
	free(n);
}

struct aml_node *aml_int(uint64_t v)
{
	struct aml_node *n = node_new(AML_INT);
	if (n)
		n->value = v;
	return n;
}

struct aml_node *aml_str(const char *s) { return node_named(AML_STR, s); }
struct aml_node *aml_ref(const char *path) { return node_named(AML_REF, path); }

struct aml_node *aml_local(unsigned i)
{
	struct aml_node *n = node_new(AML_LOCAL);
	if (n)
		n->value = i;
	return n;
}

struct aml_node *aml_arg(unsigned i)
{
	struct aml_node *n = node_new(AML_ARG);
	if (n)
		n->value = i;
	return n;
}

struct aml_node *aml_call(const char *path, size_t argc, ...)
{
	struct aml_node *n = node_named(AML_CALL, path);
	va_list ap;
	va_start(ap, argc);
	for (size_t i = 0; i < argc; i++)
		push(n, va_arg(ap, struct aml_node *), false);
	va_end(ap);
	return n;
}

struct aml_node *aml_buffer(uint64_t size, const uint8_t *data, size_t len)
{
	struct aml_node *n = node_new(AML_BUFFER);
	if (n) {
		n->value = size;
		n->data = data;
		n->data_len = len;
		if (len > size)
			n->broken = true;
	}
	return n;
}

struct aml_node *aml_buffer_dyn(struct aml_node *size)
{
	struct aml_node *n = node_new(AML_BUFFER);
	push(n, size, false);
	return n;
}

struct aml_node *aml_package(void) { return node_new(AML_PACKAGE); }

struct aml_node *aml_op(enum aml_opid op, ...)
{
	struct aml_node *n = node_new(AML_OP);
	va_list ap;
	if (n)
		n->op = op;
	va_start(ap, op);
	for (unsigned i = 0; i < aml_ops[op].nargs; i++)
		push(n, va_arg(ap, struct aml_node *), false);
	if (aml_ops[op].target)
		push(n, va_arg(ap, struct aml_node *), true);
	va_end(ap);
	return n;
}

struct aml_node *aml_scope(const char *path) { return node_named(AML_SCOPE, path); }
struct aml_node *aml_device(const char *path) { return node_named(AML_DEVICE, path); }

struct aml_node *aml_method(const char *name, unsigned argc, bool serialized)
{
	struct aml_node *n = node_named(AML_METHOD, name);
	if (n) {
		n->value = argc;
		n->serialized = serialized;
	}
	return n;
}

struct aml_node *aml_name(const char *name, struct aml_node *value)
{
	struct aml_node *n = node_named(AML_NAME, name);
	push(n, value, false);
	return n;
}

struct aml_node *aml_external(const char *path, unsigned type)
{
	struct aml_node *n = node_named(AML_EXTERNAL, path);
	if (n)
		n->value = type;
	return n;
}

struct aml_node *aml_if(struct aml_node *pred)
{
	struct aml_node *n = node_new(AML_IF);
	push(n, pred, false);
	return n;
}

struct aml_node *aml_while(struct aml_node *pred)
{
	struct aml_node *n = node_new(AML_WHILE);
	push(n, pred, false);
	return n;
}

struct aml_node *aml_region(const char *name, unsigned space, uint64_t offset, uint64_t length)
{
	struct aml_node *n = node_named(AML_REGION, name);
	if (n)
		n->value = space;
	push(n, aml_int(offset), false);
	push(n, aml_int(length), false);
	return n;
}

struct aml_node *aml_field(const char *region, unsigned access)
{
	struct aml_node *n = node_named(AML_FIELD, region);
	if (n)
		n->value = access;
	return n;
}

struct aml_node *aml_field_unit(const char *name, unsigned bits)
{
	struct aml_node *n = node_named(AML_FIELD_UNIT, name);
	if (n)
		n->value = bits;
	return n;
}
