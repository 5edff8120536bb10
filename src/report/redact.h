/* Redaction for bug reports: host names, user names, MAC addresses, serial numbers, UUIDs and
 * IP addresses become stable placeholders (<host-1>, <user-1>, <mac-1>, <serial-1>, <uuid-1>,
 * <ip-1>): the same
 * value always gets the same placeholder within one report, numbered in order of first
 * appearance in it.
 *
 * Two steps: learn (from the root's files and from every text the report will show), then
 * redact. MACs, UUIDs and IP addresses are recognised by shape (src/report/redact_ip.h says
 * which dotted quads are versions, not addresses); host, user and serial values must be learnt. */
#pragma once
#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

#include "util/root.h"

enum redact_kind { RK_HOST, RK_USER, RK_MAC, RK_SERIAL, RK_UUID, RK_IP, RK__N };

#define REDACT_MAX_PER_KIND 64
#define REDACT_MAX_VALUE 128

struct redact_entry {
	char *value;
	enum redact_kind kind;
	unsigned n;           /* placeholder number, given at first replacement; 0 before */
	unsigned long hits;   /* replacements made */
};

struct redactor {
	bool enabled;
	struct redact_entry *v;
	size_t n, cap;
	unsigned next[RK__N];   /* values learnt per kind (capped at REDACT_MAX_PER_KIND) */
	unsigned used[RK__N];   /* placeholder numbers handed out per kind */
};

void redact_init(struct redactor *r, bool enabled);
void redact_clear(struct redactor *r);

/* Learn one value of KIND; junk values ("localhost", "To be filled by O.E.M.", too short)
 * are ignored. 0 or -ENOMEM. */
int redact_learn(struct redactor *r, enum redact_kind kind, const char *value);
/* etc/hostname, proc/sys/kernel/hostname, DMI serials and uuid, home/<user> under the root. */
void redact_learn_root(struct redactor *r, const struct root *root);
/* Values a line gives away: syslog host field, Xorg's "Current Operating System: Linux HOST",
 * /home/NAME, "Serial Number: X", MACs and UUIDs. Cheap enough for every log line. */
void redact_learn_text(struct redactor *r, const char *s, size_t len);
/* Every string in J (values, not keys). */
void redact_learn_json(struct redactor *r, const json_t *j);

/* Redacted copy of S (malloc'd), or a plain copy when disabled. NULL only on OOM. */
char *redact_text(struct redactor *r, const char *s);
/* Redacted copy of S, the value of the field named KEY: a field whose name ends in "version"
 * holds a version, so a dotted quad in it is left alone. */
char *redact_field(struct redactor *r, const char *key, const char *s);
/* Redact every string value in J in place (each as redact_field of its object key). */
int redact_json(struct redactor *r, json_t *j);

/* Distinct values of KIND that were replaced at least once. */
size_t redact_count(const struct redactor *r, enum redact_kind kind);
const char *redact_kind_name(enum redact_kind k);   /* "host name" ... */
