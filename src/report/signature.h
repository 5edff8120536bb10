/* Log signatures: known failure (and success) lines, loaded from signatures/NN-*.ini. */
#pragma once
#include <regex.h>
#include <stdbool.h>
#include <stddef.h>

#include "plan/plan.h"   /* enum severity */
#include "util/err.h"
#include "util/strv.h"

enum log_kind { LOG_KERNEL, LOG_XORG, LOG_ANY };

#define SIGNATURE_MAX_PATTERN 256
#define SIGNATURE_MAX_ID 48
#define SIGNATURE_FILE_MAX (1u << 20)

struct signature {
	char *id;          /* the section name */
	enum log_kind log; /* which logs it applies to */
	char *pattern;     /* POSIX ERE, as written */
	enum severity severity;
	char *diagnosis;
	char *fix;
	char *confirms;    /* check id or matrix row name, NULL */
	char *file;        /* where it was defined, for messages */
	unsigned line;
	regex_t re;
	bool compiled;
	char **literals;   /* NULL-terminated; every match contains one of them (the pre-filter); NULL if none */
	size_t n_literals;
	size_t *literal_len;
};

struct signature_set {
	struct signature *v;
	size_t n, cap;
};

/* Parse one file's text (NAME for messages) and add its signatures to SET. Errors are
 * "NAME:LINE: what; what to do" in E, return -EINVAL (or -ENOMEM). No I/O. */
int signature_set_parse(struct signature_set *set, const char *text, size_t len, const char *name, struct err *e);
/* The same, and every error (at most ERR_LIST_MAX per file, then a count) is
 * added to ERRORS; E still holds the first. */
int signature_set_parse_all(struct signature_set *set, const char *text, size_t len, const char *name,
			    struct err *e, struct strv *errors);
/* Load the .ini files in DIR in versionsort order. */
int signature_set_load_dir(struct signature_set *set, const char *dir, struct err *e);
/* The same, reading on past a bad file and adding every error to ERRORS. */
int signature_set_load_dir_all(struct signature_set *set, const char *dir, struct err *e, struct strv *errors);
void signature_set_clear(struct signature_set *set);

/* Does the signature apply to a log of KIND (LOG_ANY: a log of unknown kind, every signature)? */
bool signature_applies(const struct signature *s, enum log_kind kind);
/* LINE is NUL-terminated, LEN its length, no embedded NUL. */
bool signature_match(const struct signature *s, const char *line, size_t len);

const char *log_kind_name(enum log_kind k);
/* Literals one of which every match of the ERE PATTERN contains (each at least 3 bytes, at
 * most 8 of them), as a NULL-terminated array; NULL when none can be proved (a branch with
 * nothing literal, everything optional, ...). Free with signature_literals_free. */
char **signature_literals(const char *pattern);
void signature_literals_free(char **v);
/* Estimated size of the compiled pattern (repetitions unrolled); SIZE_MAX when unbounded. */
size_t signature_pattern_cost(const char *pattern);
#define SIGNATURE_MAX_COST 4096
/* Offset of an unbounded repetition of something that holds one ("(a+)+", "a+*"), or -1. */
long signature_nested_repeat(const char *pattern);
