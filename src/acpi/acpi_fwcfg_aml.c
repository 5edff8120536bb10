/* _ROM reading the VBIOS from a QEMU fw_cfg file at run time.
 *
 * fw_cfg on x86 (QEMU docs/specs/fw_cfg.rst): 16-bit selector port 0x510,
 * 8-bit data port 0x511; selecting an item resets its read offset to 0 and
 * each data read returns the next byte. Item 0x0000 is the signature "QEMU",
 * item 0x0019 the file directory: a big-endian u32 count, then per file a
 * big-endian u32 size, u16 select, u16 reserved and a 56-byte NUL-padded name.
 * The first _ROM call finds the file and selects it; every call then reads on
 * from where the last one stopped, into OGFB, up to the end of the bytes it
 * returns, and slices OGFB. Skipping to an offset through the data port would
 * cost a read per byte on every call; reading the whole file on the first call
 * is one loop of a read per byte, which ACPICA aborts after 30 s
 * (AE_AML_LOOP_TIMEOUT: seen with a 200 KB file on a TCG guest). Read in
 * order, as drivers do, each call reads at most 4 KiB. */
#include <errno.h>
#include <string.h>

#include "acpi/acpi_rom_aml.h"

#define L(n) aml_local(n)
#define A(n) aml_arg(n)
#define I(v) aml_int(v)

#define FW_CFG_SIGNATURE 0x0000
#define FW_CFG_FILE_DIR 0x0019
#define FW_CFG_NAME_LEN 56
#define QEMU_SIG_BE 0x51454D55 /* "QEMU" read as a big-endian u32 */

/* OGWS (selector) and OGRD () -> next data byte. */
static void transport(struct aml_node *s, enum acpi_fwcfg_transport t)
{
	struct aml_node *ws = aml_method("OGWS", 1, false), *rd;
	if (t == ACPI_FWCFG_IOPORT) {
		aml_add(s, aml_region("OGFR", AML_SPACE_IO, 0x510, 2));
		struct aml_node *f = aml_field("OGFR", AML_ACC_WORD);
		aml_add(f, aml_field_unit("OGFS", 16));
		aml_add(s, f);
		f = aml_field("OGFR", AML_ACC_BYTE);
		aml_add(f, aml_field_unit(NULL, 8));
		aml_add(f, aml_field_unit("OGFD", 8));
		aml_add(s, f);
		aml_add(ws, aml_store(A(0), aml_ref("OGFS")));
		rd = aml_method("OGRD", 0, false);
		aml_add(rd, aml_return(aml_ref("OGFD")));
	} else {
		/* Test stand-in for acpiexec: \OGTD is a Package of byte images:
		 * [0] the signature item, [1] the directory, [2 + i] the item with
		 * selector 0x20 + i. OGTK is the selected item, OGTP the offset. */
		aml_add(s, aml_external("\\OGTD", AML_OBJ_PACKAGE));
		aml_add(s, aml_name("OGTK", I(0)));
		aml_add(s, aml_name("OGTP", I(0)));
		aml_add(ws, aml_store(A(0), aml_ref("OGTK")));
		aml_add(ws, aml_store(I(0), aml_ref("OGTP")));
		rd = aml_method("OGRD", 0, true);
		aml_add(rd, aml_store(aml_op(OP_SUBTRACT, aml_ref("OGTK"), I(0x1E), NULL), L(0)));
		struct aml_node *dir = aml_if(aml_op(OP_LEQUAL, aml_ref("OGTK"), I(FW_CFG_FILE_DIR)));
		aml_add(dir, aml_store(I(1), L(0)));
		aml_add(rd, dir);
		struct aml_node *sig = aml_if(aml_op(OP_LEQUAL, aml_ref("OGTK"), I(FW_CFG_SIGNATURE)));
		aml_add(sig, aml_store(I(0), L(0)));
		aml_add(rd, sig);
		struct aml_node *have = aml_if(aml_op(OP_LLESS, L(0), aml_op(OP_SIZEOF, aml_ref("\\OGTD"))));
		aml_add(have, aml_store(aml_op(OP_DEREFOF, aml_op(OP_INDEX, aml_ref("\\OGTD"), L(0), NULL)), L(1)));
		struct aml_node *inr = aml_if(aml_op(OP_LLESS, aml_ref("OGTP"), aml_op(OP_SIZEOF, L(1))));
		aml_add(inr, aml_store(aml_op(OP_DEREFOF, aml_op(OP_INDEX, L(1), aml_ref("OGTP"), NULL)), L(2)));
		aml_add(inr, aml_op(OP_INCREMENT, aml_ref("OGTP")));
		aml_add(inr, aml_return(L(2)));
		aml_add(have, inr);
		aml_add(rd, have);
		aml_add(rd, aml_return(I(0)));
	}
	aml_add(s, ws);
	aml_add(s, rd);
}

int rom_aml_fwcfg(struct aml_node *s, const char *name, enum acpi_fwcfg_transport t)
{
	size_t len = strlen(name);
	if (len == 0 || len >= FW_CFG_NAME_LEN)
		return -EINVAL;
	transport(s, t);
	aml_add(s, aml_name("OGFI", I(0)));
	aml_add(s, aml_name("OGFL", I(0)));
	aml_add(s, aml_name("OGFP", I(0)));
	static const uint8_t zero[1] = { 0 };
	aml_add(s, aml_name("OGFB", aml_buffer(1, zero, 1)));
	struct aml_node *fn = aml_name("OGFN", aml_buffer(FW_CFG_NAME_LEN, (const uint8_t *)name, len));
	aml_comment(fn, name);
	aml_add(s, fn);

	/* OGRB (n): n data bytes as a Buffer */
	struct aml_node *rb = aml_method("OGRB", 1, true);
	aml_add(rb, aml_store(aml_buffer_dyn(A(0)), L(0)));
	aml_add(rb, aml_store(I(0), L(1)));
	struct aml_node *w = aml_while(aml_op(OP_LLESS, L(1), A(0)));
	aml_add(w, aml_store(aml_call("OGRD", 0), aml_op(OP_INDEX, L(0), L(1), NULL)));
	aml_add(w, aml_op(OP_INCREMENT, L(1)));
	aml_add(rb, w);
	aml_add(rb, aml_return(L(0)));
	aml_add(s, rb);

	/* OGRN (n): n data bytes as a big-endian integer */
	struct aml_node *rn = aml_method("OGRN", 1, true);
	aml_add(rn, aml_store(I(0), L(0)));
	aml_add(rn, aml_store(I(0), L(1)));
	w = aml_while(aml_op(OP_LLESS, L(1), A(0)));
	aml_add(w, aml_store(aml_op(OP_OR, aml_op(OP_SHIFTLEFT, L(0), I(8), NULL), aml_call("OGRD", 0), NULL), L(0)));
	aml_add(w, aml_op(OP_INCREMENT, L(1)));
	aml_add(rn, w);
	aml_add(rn, aml_return(L(0)));
	aml_add(s, rn);

	/* OGFT (n): read the selected file on into OGFB until its first n bytes are there */
	struct aml_node *ft = aml_method("OGFT", 1, true);
	w = aml_while(aml_op(OP_LLESS, aml_ref("OGFP"), A(0)));
	aml_add(w, aml_store(aml_call("OGRD", 0), aml_op(OP_INDEX, aml_ref("OGFB"), aml_ref("OGFP"), NULL)));
	aml_add(w, aml_op(OP_INCREMENT, aml_ref("OGFP")));
	aml_add(ft, w);
	aml_add(s, ft);

	/* OGLD (): the file's length, finding it on the first call */
	struct aml_node *ld = aml_method("OGLD", 0, true);
	aml_comment(ld, "OGLD (): find the fw_cfg file by name and select it, once; its length");
	struct aml_node *done = aml_if(aml_ref("OGFI"));
	aml_add(done, aml_return(aml_ref("OGFL")));
	aml_add(ld, done);
	aml_add(ld, aml_store(I(1), aml_ref("OGFI")));
	aml_add(ld, aml_call("OGWS", 1, I(FW_CFG_SIGNATURE)));
	struct aml_node *nosig = aml_if(aml_op(OP_LNOT, aml_op(OP_LEQUAL, aml_call("OGRN", 1, I(4)), I(QEMU_SIG_BE))));
	aml_add(nosig, aml_return(I(0)));
	aml_add(ld, nosig);
	aml_add(ld, aml_call("OGWS", 1, I(FW_CFG_FILE_DIR)));
	aml_add(ld, aml_store(aml_call("OGRN", 1, I(4)), L(0)));
	struct aml_node *insane = aml_if(aml_op(OP_LGREATER, L(0), I(0x1000)));
	aml_add(insane, aml_return(I(0)));
	aml_add(ld, insane);
	aml_add(ld, aml_store(I(0), L(1)));
	w = aml_while(aml_op(OP_LLESS, L(1), L(0)));
	aml_add(w, aml_store(aml_call("OGRN", 1, I(4)), L(2)));
	aml_add(w, aml_store(aml_call("OGRN", 1, I(2)), L(3)));
	aml_add(w, aml_call("OGRN", 1, I(2)));
	struct aml_node *hit = aml_if(aml_op(OP_LEQUAL, aml_call("OGRB", 1, I(FW_CFG_NAME_LEN)), aml_ref("OGFN")));
	struct aml_node *big = aml_if(aml_op(OP_LGREATER, L(2), I(ACPI_FWCFG_MAX)));
	aml_add(big, aml_return(I(0)));
	aml_add(hit, big);
	aml_add(hit, aml_call("OGWS", 1, L(3)));
	struct aml_node *nonempty = aml_if(L(2));
	aml_add(nonempty, aml_op(OP_COPYOBJECT, aml_buffer_dyn(L(2)), aml_ref("OGFB")));
	aml_add(hit, nonempty);
	aml_add(hit, aml_store(L(2), aml_ref("OGFL")));
	aml_add(hit, aml_return(L(2)));
	aml_add(w, hit);
	aml_add(w, aml_op(OP_INCREMENT, L(1)));
	aml_add(ld, w);
	aml_add(ld, aml_return(I(0)));
	aml_add(s, ld);

	/* _ROM (offset, length) */
	struct aml_node *m = aml_method("_ROM", 2, true);
	aml_comment(m, "_ROM (offset, length): min (length, 4096) bytes from offset, zero-padded");
	rom_aml_clamp_len(m);
	struct aml_node *in = aml_if(aml_op(OP_LLESS, A(0), aml_call("OGLD", 0)));
	aml_add(in, aml_store(aml_op(OP_ADD, A(0), L(0), NULL), L(1)));
	struct aml_node *past = aml_if(aml_op(OP_LGREATER, L(1), aml_ref("OGFL")));
	aml_add(past, aml_store(aml_ref("OGFL"), L(1)));
	aml_add(in, past);
	aml_add(in, aml_call("OGFT", 1, L(1)));
	aml_add(in, aml_store(aml_op(OP_MID, aml_ref("OGFB"), A(0), L(0), NULL), L(2)));
	rom_aml_pad_return(in);
	aml_add(m, in);
	aml_add(m, aml_return(aml_buffer_dyn(L(0))));
	aml_add(s, m);
	return 0;
}
