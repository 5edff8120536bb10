/* A small ACPI definition-block tree with two back ends: AML bytes (our own
 * encoder, so no acpica-tools are needed: acpi_aml_encode.h) and ASL text (for
 * iasl and people).
 * Only what the _ROM tables need: Scope, Device, Name, Method, External,
 * OperationRegion/Field, If/While, Buffer/Package and a few expression ops.
 *
 * Constructors never fail loudly: on allocation failure they return NULL, and
 * adding NULL to a node marks it broken; aml_encode()/asl_print() then return
 * -ENOMEM. */
#pragma once
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "util/buf.h"

enum aml_kind {
	AML_INT, AML_STR, AML_REF, AML_CALL, AML_LOCAL, AML_ARG, AML_BUFFER, AML_PACKAGE,
	AML_OP, AML_SCOPE, AML_DEVICE, AML_METHOD, AML_NAME, AML_EXTERNAL, AML_IF, AML_WHILE,
	AML_REGION, AML_FIELD, AML_FIELD_UNIT,
};

/* Expression/statement operators (AML_OP). */
enum aml_opid {
	OP_STORE, OP_COPYOBJECT, OP_ADD, OP_SUBTRACT, OP_SHIFTLEFT, OP_SHIFTRIGHT, OP_AND, OP_OR,
	OP_LNOT, OP_LEQUAL, OP_LGREATER, OP_LLESS, OP_MID, OP_CONCAT, OP_SIZEOF, OP_DEREFOF,
	OP_INDEX, OP_RETURN, OP_INCREMENT, OP_BREAK, OP__MAX,
};

/* External object types (ACPI ObjectType encoding). */
enum { AML_OBJ_INT = 1, AML_OBJ_BUFFER = 3, AML_OBJ_PACKAGE = 4, AML_OBJ_DEVICE = 6, AML_OBJ_METHOD = 8 };
/* Region spaces. */
enum { AML_SPACE_MEMORY = 0, AML_SPACE_IO = 1 };
/* Field access types (low nibble of FieldFlags). */
enum { AML_ACC_BYTE = 1, AML_ACC_WORD = 2 };

struct aml_node {
	enum aml_kind kind;
	enum aml_opid op;       /* AML_OP */
	uint64_t value;         /* INT value; LOCAL/ARG number; METHOD argc; EXTERNAL type;
				   REGION space; FIELD access; FIELD_UNIT bits; BUFFER size */
	bool serialized;        /* METHOD */
	bool broken;            /* a child could not be allocated */
	char *name;             /* name path (ASL spelling) or STR text */
	const uint8_t *data;    /* BUFFER initialiser (borrowed, data_len <= value) */
	size_t data_len;
	char *comment;          /* optional one-line ASL comment printed before the node */
	struct aml_node **kids; /* operands / body / elements */
	size_t n_kids, cap_kids;
};

/* Leaves. */
struct aml_node *aml_int(uint64_t v);
struct aml_node *aml_str(const char *s);
struct aml_node *aml_local(unsigned n);
struct aml_node *aml_arg(unsigned n);
struct aml_node *aml_ref(const char *path);                 /* a named object used as a value */
struct aml_node *aml_call(const char *path, size_t argc, ...); /* method invocation, argc operands */
/* Buffer (size) { data } : data may be shorter than size (zero tail), or NULL. */
struct aml_node *aml_buffer(uint64_t size, const uint8_t *data, size_t len);
struct aml_node *aml_buffer_dyn(struct aml_node *size);       /* Buffer (expr) {}: zero-filled */
struct aml_node *aml_package(void);                          /* elements added with aml_add */
/* Operator with its operands in ASL order; for ops with a Target, pass the
 * target last (NULL = none). */
struct aml_node *aml_op(enum aml_opid op, ...);
#define aml_store(src, dst) aml_op(OP_STORE, (src), (dst))
#define aml_return(v) aml_op(OP_RETURN, (v))

/* Named objects and blocks. */
struct aml_node *aml_scope(const char *path);
struct aml_node *aml_device(const char *path);
struct aml_node *aml_method(const char *name, unsigned argc, bool serialized);
struct aml_node *aml_name(const char *name, struct aml_node *value);
struct aml_node *aml_external(const char *path, unsigned type);
struct aml_node *aml_if(struct aml_node *predicate);
struct aml_node *aml_while(struct aml_node *predicate);
struct aml_node *aml_region(const char *name, unsigned space, uint64_t offset, uint64_t length);
struct aml_node *aml_field(const char *region, unsigned access);
/* name NULL: reserved bits (ASL Offset()). */
struct aml_node *aml_field_unit(const char *name, unsigned bits);

/* Append child to parent (blocks: body; package: element). NULL marks parent broken. */
void aml_add(struct aml_node *parent, struct aml_node *child);
/* Attach a comment (copied) shown in the ASL output. */
void aml_comment(struct aml_node *n, const char *text);
void aml_free(struct aml_node *n);
static inline void aml_freep(struct aml_node **n) { aml_free(*n); }

struct aml_table_id {
	char signature[5];      /* "SSDT" */
	char oem_id[7];         /* "OPTGST" */
	char oem_table_id[9];   /* "VBIOSROM" */
	uint32_t oem_revision;
	uint8_t revision;       /* 2: 64-bit integers */
};

