/* _ROM for the embedded carrier, and the fake battery. */
#include <errno.h>
#include <stdio.h>

#include "acpi/acpi_rom_aml.h"

#define L(n) aml_local(n)
#define A(n) aml_arg(n)
#define I(v) aml_int(v)

void rom_aml_clamp_len(struct aml_node *m)
{
	aml_add(m, aml_store(A(1), L(0)));
	struct aml_node *clamp = aml_if(aml_op(OP_LGREATER, L(0), I(ACPI_ROM_CHUNK)));
	aml_add(clamp, aml_store(I(ACPI_ROM_CHUNK), L(0)));
	aml_add(m, clamp);
}

void rom_aml_pad_return(struct aml_node *blk)
{
	aml_add(blk, aml_store(aml_op(OP_SIZEOF, L(2)), L(3)));
	struct aml_node *pad = aml_if(aml_op(OP_LLESS, L(3), L(0)));
	aml_add(pad, aml_store(aml_op(OP_CONCAT, L(2), aml_buffer_dyn(aml_op(OP_SUBTRACT, L(0), L(3), NULL)), NULL),
			       L(2)));
	aml_add(blk, pad);
	aml_add(blk, aml_return(L(2)));
}

int rom_aml_embedded(struct aml_node *scope, size_t rom_len, size_t nchunks, char (*packages)[8],
		     const size_t *counts, size_t npackages)
{
	aml_add(scope, aml_name("OGRS", I(rom_len)));
	aml_add(scope, aml_name("OGRC", I(nchunks)));

	/* OGCH (i): the i-th 4 KiB chunk, wherever its table put it. */
	struct aml_node *ch = aml_method("OGCH", 1, false);
	aml_comment(ch, "OGCH (i): chunk i (bytes i*4096 ...) from the package of the table holding it");
	size_t first = 0;
	for (size_t p = 0; p < npackages; p++) {
		if (!counts[p])
			continue;
		struct aml_node *sel = aml_if(aml_op(OP_LLESS, A(0), I(first + counts[p])));
		struct aml_node *idx = first ? aml_op(OP_SUBTRACT, A(0), I(first), NULL) : A(0);
		aml_add(sel, aml_return(aml_op(OP_DEREFOF, aml_op(OP_INDEX, aml_ref(packages[p]), idx, NULL))));
		aml_add(ch, sel);
		first += counts[p];
	}
	if (first != nchunks)
		return -EINVAL;
	static const uint8_t zero[1] = { 0 };
	aml_add(ch, aml_return(aml_buffer(1, zero, 1)));
	aml_add(scope, ch);

	/* _ROM (offset, length) */
	struct aml_node *m = aml_method("_ROM", 2, true);
	aml_comment(m, "_ROM (offset, length): min (length, 4096) bytes from offset, zero-padded");
	rom_aml_clamp_len(m);
	struct aml_node *in = aml_if(aml_op(OP_LLESS, A(0), aml_ref("OGRS")));
	aml_add(in, aml_store(aml_op(OP_SHIFTRIGHT, A(0), I(12), NULL), L(1)));
	aml_add(in, aml_store(aml_op(OP_MID, aml_call("OGCH", 1, L(1)), aml_op(OP_AND, A(0), I(0xFFF), NULL), L(0), NULL),
			      L(2)));
	aml_add(in, aml_store(aml_op(OP_SIZEOF, L(2)), L(3)));
	/* crosses into the next chunk */
	struct aml_node *more = aml_if(aml_op(OP_LLESS, L(3), L(0)));
	struct aml_node *next = aml_if(aml_op(OP_LLESS, aml_op(OP_ADD, L(1), I(1), NULL), aml_ref("OGRC")));
	aml_add(next, aml_store(aml_op(OP_CONCAT, L(2),
				       aml_op(OP_MID, aml_call("OGCH", 1, aml_op(OP_ADD, L(1), I(1), NULL)), I(0),
					      aml_op(OP_SUBTRACT, L(0), L(3), NULL), NULL),
				       NULL),
				L(2)));
	aml_add(more, next);
	aml_add(in, more);
	rom_aml_pad_return(in);
	aml_add(m, in);
	aml_add(m, aml_return(aml_buffer_dyn(L(0))));
	aml_add(scope, m);
	return 0;
}

struct aml_node *rom_aml_battery(void)
{
	struct aml_node *d = aml_device("\\_SB.OGBT");
	aml_comment(d, "Fake battery: the Windows NVIDIA driver wants a battery on a notebook GPU");
	struct aml_node *hid = aml_name("_HID", I(0x0A0CD041));
	aml_comment(hid, "EisaId (\"PNP0C0A\"): Control Method Battery");
	aml_add(d, hid);
	aml_add(d, aml_name("_UID", I(1)));
	aml_add(d, aml_name("_STA", I(0x1F))); /* present, enabled, shown, functioning, battery present */
	struct aml_node *bif = aml_package();
	const uint64_t bif_int[] = {
		1,      /* power unit: mA / mAh */
		5000,   /* design capacity */
		5000,   /* last full charge capacity */
		1,      /* rechargeable */
		12000,  /* design voltage, mV */
		500,    /* warning level */
		200,    /* low level */
		10, 10, /* granularity 1, 2 */
	};
	for (size_t i = 0; i < sizeof(bif_int) / sizeof(bif_int[0]); i++)
		aml_add(bif, I(bif_int[i]));
	aml_add(bif, aml_str("OGBAT"));         /* model */
	aml_add(bif, aml_str("0001"));          /* serial */
	aml_add(bif, aml_str("LION"));          /* type */
	aml_add(bif, aml_str("optimus-guest")); /* OEM */
	aml_add(d, aml_name("_BIF", bif));
	struct aml_node *bst = aml_package();
	aml_add(bst, I(0));     /* state: neither charging nor discharging (full, on AC) */
	aml_add(bst, I(0));     /* present rate */
	aml_add(bst, I(5000));  /* remaining capacity */
	aml_add(bst, I(12000)); /* present voltage */
	aml_add(d, aml_name("_BST", bst));
	return d;
}
