/* A QEMU command line: splitting the text people paste (one argument per line, /proc/PID/cmdline
 * with NULs, or one line as ps shows it, with shell quoting) and reading what the matrix cares
 * about from it (-device vfio-pci,... in the key=value or the JSON form, -machine, -bios, pflash,
 * -kernel, -acpitable, -set, displays). No I/O. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

#include "libvirt/vmconf.h"
#include "util/err.h"
#include "util/strv.h"

#define QEMU_MAX_ARGS 100000

/* TEXT (LEN bytes, may hold NULs) into arguments; NAME for messages. The forms: /proc/PID/cmdline
 * (NUL-separated), one argument per line, or shell: one line as ps shows it, or a launch script
 * (comments, '\' continuations, VAR=value assignments and $VAR/${VAR} expansion, env assignments
 * and wrappers such as taskset before the program): then the words of the qemu-system-* command.
 * Variables it cannot expand are kept as written and named in UNEXPANDED (may be NULL).
 * -EINVAL on bad quoting, or a script with no QEMU command in it. */
int qemu_args_split_script(const char *text, size_t len, const char *name, struct strv *ret, struct strv *unexpanded,
			   struct err *e);
int qemu_args_split(const char *text, size_t len, const char *name, struct strv *ret, struct err *e);
/* WORD names a QEMU program (qemu-system-*, qemu-kvm, kvm, qemu; any directory). */
bool qemu_program_name(const char *word);
/* The facts of ARGS (argv[0] may be the program). -EINVAL when ARGS are not a QEMU command line at
 * all (none of QEMU's options in them). */
int qemu_args_read(const struct strv *args, struct vmconf *ret, struct err *e);
/* The same for extra arguments added to a libvirt domain (<qemu:commandline>): no QEMU defaults
 * are implied and nothing is refused. */
int qemu_args_read_fragment(const struct strv *args, struct vmconf *ret, struct err *e);

/* "device.ALIAS.PROP=VALUE" (the argument of -set): 0, or -EINVAL when not that form. */
int qemu_parse_set(const char *arg, char **ret_alias, char **ret_prop, char **ret_value);
/* Append the files of an -acpitable argument ("file=a.aml:b.aml,sig=..." or "data=..."). */
int qemu_acpitable_files(const char *arg, struct strv *out);
/* Split a QEMU option argument "a,b=c,,d" into key=value items (",," is a literal comma).
 * An item without '=' is stored as "=value" (the implied key). */
int qemu_opts_split(const char *arg, struct strv *out);
/* Value of KEY in items from qemu_opts_split (KEY "" = the implied one); NULL when absent. */
const char *qemu_opt(const struct strv *items, const char *key);
