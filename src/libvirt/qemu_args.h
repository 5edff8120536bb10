/* A QEMU command line: splitting the text people paste (one argument per line, /proc/PID/cmdline
 * with NULs, or one line as ps shows it, with shell quoting) and reading what the matrix cares
 * about from it (-device vfio-pci,... in the key=value or the JSON form, -machine, -bios, pflash,
 * -kernel, -acpitable, -set, displays). No I/O. */
#pragma once
#include <stddef.h>

#include "libvirt/vmconf.h"
#include "util/err.h"
#include "util/strv.h"

#define QEMU_MAX_ARGS 100000

/* TEXT (LEN bytes, may hold NULs) into arguments; NAME for messages. -EINVAL on bad quoting. */
int qemu_args_split(const char *text, size_t len, const char *name, struct strv *ret, struct err *e);
/* The facts of ARGS (argv[0] may be the program). */
int qemu_args_read(const struct strv *args, struct vmconf *ret, struct err *e);

/* "device.ALIAS.PROP=VALUE" (the argument of -set): 0, or -EINVAL when not that form. */
int qemu_parse_set(const char *arg, char **ret_alias, char **ret_prop, char **ret_value);
/* Append the files of an -acpitable argument ("file=a.aml:b.aml,sig=..." or "data=..."). */
int qemu_acpitable_files(const char *arg, struct strv *out);
/* Split a QEMU option argument "a,b=c,,d" into key=value items (",," is a literal comma).
 * An item without '=' is stored as "=value" (the implied key). */
int qemu_opts_split(const char *arg, struct strv *out);
/* Value of KEY in items from qemu_opts_split (KEY "" = the implied one); NULL when absent. */
const char *qemu_opt(const struct strv *items, const char *key);
