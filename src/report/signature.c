/* Signature files: INI through inih, strict (libinput quirks style). A section is one
 * signature; its name is the id. Our own line reader feeds inih one physical line at a time,
 * so we know each line's number and whether it is an indented continuation. */
#include "report/signature.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/finding.h"
#include "util/array.h"
#include "util/root.h"
#include "util/buf.h"
#include "util/cleanup.h"

enum key { K_LOG, K_PATTERN, K_SEVERITY, K_DIAGNOSIS, K_FIX, K_CONFIRMS, K__N };
static const char *const key_names[K__N] = { "log", "pattern", "severity", "diagnosis", "fix", "confirms" };
#define KEYS_HELP "log, pattern, severity, diagnosis, fix, confirms"

/* inih's line buffer (INI_MAX_LINE 200, less '\r', '\n' and NUL). */
#define MAX_PHYS_LINE 196

struct parser {
	struct signature_set *set;
	const char *name;
	const char *p, *end;   /* input left */
	unsigned lineno;       /* physical line just handed to inih */
	bool continuation;     /* that line is indented (continues the previous value) */
	bool failed;           /* the file has an error: nothing of it is added */
	bool sec_bad;          /* the section being read has one: skip it, read on */
	struct err_list errs;
	/* section being read */
	bool in_section;
	char id[SIGNATURE_MAX_ID + 1];
	unsigned section_line;
	struct buf val[K__N];
	bool seen[K__N];
	unsigned key_line[K__N];
	int last_key;          /* -1: none yet in this section */
};

static int fail(struct parser *ps, unsigned line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(struct parser *ps, unsigned line, const char *fmt, ...)
{
	char msg[768];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	err_list_add(&ps->errs, "%s:%u: %s", ps->name, line, msg);
	ps->failed = true;
	ps->sec_bad = true;
	return 0;
}

const char *log_kind_name(enum log_kind k)
{
	switch (k) {
	case LOG_KERNEL: return "kernel";
	case LOG_XORG: return "xorg";
	case LOG_ANY: return "any";
	default: return "unknown";
	}
}

static bool valid_id(const char *s)
{
	if (!*s || !islower((unsigned char)*s))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '-')
			return false;
	return true;
}

static void reset_section(struct parser *ps)
{
	for (int k = 0; k < K__N; k++) {
		buf_free(&ps->val[k]);
		ps->seen[k] = false;
		ps->key_line[k] = 0;
	}
	ps->last_key = -1;
	ps->in_section = false;
	ps->sec_bad = false;
}

/* Is a back-reference (\1..\9) in the pattern? glibc matches those by backtracking. */
static bool has_backref(const char *p)
{
	for (; *p; p++)
		if (*p == '\\' && p[1]) {
			if (p[1] >= '1' && p[1] <= '9')
				return true;
			p++;
		}
	return false;
}

static int sig_add(struct signature_set *set, struct signature *s)
{
	if (array_grow(set->v, set->n, set->cap, 32) < 0)
		return -ENOMEM;
	set->v[set->n++] = *s;
	return 0;
}

static void sig_clear(struct signature *s)
{
	free(s->id);
	free(s->pattern);
	free(s->diagnosis);
	free(s->fix);
	free(s->confirms);
	free(s->file);
	signature_literals_free(s->literals);
	free(s->literal_len);
	if (s->compiled)
		regfree(&s->re);
	memset(s, 0, sizeof(*s));
}

/* Check a pattern on its own; false (and the error said) when it cannot be used. */
static bool pattern_ok(struct parser *ps, const char *v, unsigned pl)
{
	if (strlen(v) > SIGNATURE_MAX_PATTERN)
		return fail(ps, pl, "pattern of [%s] is longer than %d characters; split the signature", ps->id, SIGNATURE_MAX_PATTERN);
	for (const char *c = v; *c; c++)
		if ((unsigned char)*c < 0x20 || (unsigned char)*c > 0x7e)
			return fail(ps, pl, "pattern of [%s] has a byte 0x%02x that is not printable ASCII; write non-ASCII text as '.'",
				    ps->id, (unsigned char)*c);
	if (has_backref(v))
		return fail(ps, pl, "pattern of [%s] uses a back-reference; they are not allowed (they make matching slow), rewrite without \\1..\\9",
			    ps->id);
	if (signature_pattern_cost(v) > SIGNATURE_MAX_COST)
		return fail(ps, pl, "pattern of [%s] is too complex (nested or large repetitions make the regex compiler use huge memory); simplify it",
			    ps->id);
	long nested = signature_nested_repeat(v);
	if (nested >= 0)
		return fail(ps, pl, "pattern of [%s] repeats a repetition at column %ld ('%.12s'): nested quantifiers such as "
			    "'(a+)+' make regular expression matching explode; repeat a single atom instead ('(ab)+' or 'a+')",
			    ps->id, nested + 1, v + nested);
	return true;
}

/* The section is complete: check every value (each error is said) and add it to the set
 * when nothing in it was wrong. */
static int finish_section(struct parser *ps)
{
	if (!ps->in_section)
		return 0;
	bool bad = ps->sec_bad;
	static const enum key required[] = { K_LOG, K_PATTERN, K_SEVERITY, K_DIAGNOSIS, K_FIX };
	int any = 0;
	for (int k = 0; k < K__N; k++)
		any |= ps->seen[k];
	if (!any)
		return fail(ps, ps->section_line, "[%s] is empty; give it %s", ps->id, KEYS_HELP);
	char missing[64] = "";
	unsigned nmissing = 0;
	for (size_t i = 0; i < ARRAY_SIZE(required); i++)
		if (!ps->seen[required[i]]) {
			size_t ml = strlen(missing);
			snprintf(missing + ml, sizeof(missing) - ml, "%s'%s'", nmissing++ ? ", " : "", key_names[required[i]]);
		}
	if (nmissing)
		bad = !fail(ps, ps->section_line, "[%s] has no %s; add %s (every signature needs log, pattern, severity, diagnosis and fix)",
			    ps->id, missing, nmissing == 1 ? "it" : "them");
	for (int k = 0; k < K__N; k++)
		if (ps->seen[k] && ps->val[k].oom)
			return fail(ps, ps->key_line[k], "out of memory");

	struct signature s = { .line = ps->section_line };
	const char *v;

	if ((v = ps->val[K_LOG].s)) {
		if (strcmp(v, "kernel") == 0)
			s.log = LOG_KERNEL;
		else if (strcmp(v, "xorg") == 0)
			s.log = LOG_XORG;
		else if (strcmp(v, "any") == 0)
			s.log = LOG_ANY;
		else
			bad = !fail(ps, ps->key_line[K_LOG], "log '%s' in [%s] is not a log kind; use kernel, xorg or any", v, ps->id);
	}
	if ((v = ps->val[K_SEVERITY].s) && severity_parse(v, &s.severity) < 0)
		bad = !fail(ps, ps->key_line[K_SEVERITY], "severity '%s' in [%s] is not one; use error, warning or info", v, ps->id);
	if (ps->seen[K_CONFIRMS] && !valid_id(ps->val[K_CONFIRMS].s))
		bad = !fail(ps, ps->key_line[K_CONFIRMS], "confirms '%s' in [%s] is not a check id or matrix row name (lowercase letters, digits, '-')",
			    ps->val[K_CONFIRMS].s, ps->id);
	for (size_t i = 0; ps->id[0] && i < ps->set->n; i++)
		if (strcmp(ps->set->v[i].id, ps->id) == 0)
			bad = !fail(ps, ps->section_line, "signature [%s] is already defined at %s:%u; ids must be unique, rename one",
				    ps->id, ps->set->v[i].file, ps->set->v[i].line);

	unsigned pl = ps->key_line[K_PATTERN];
	if (!(v = ps->val[K_PATTERN].s) || !pattern_ok(ps, v, pl))
		return 0;
	int rc = regcomp(&s.re, v, REG_EXTENDED | REG_NOSUB);
	if (rc != 0) {
		char msg[256];
		regerror(rc, &s.re, msg, sizeof(msg));
		return fail(ps, pl, "pattern of [%s] is not a POSIX extended regular expression: %s; fix the pattern", ps->id, msg);
	}
	s.compiled = true;
	if (regexec(&s.re, "", 0, NULL, 0) == 0) {
		regfree(&s.re);
		return fail(ps, pl, "pattern of [%s] matches an empty line, so it would match every line; make it require some text", ps->id);
	}
	if (bad) {
		regfree(&s.re);
		return 0;
	}

	s.id = strdup(ps->id);
	s.file = strdup(ps->name);
	s.pattern = buf_steal(&ps->val[K_PATTERN]);
	s.diagnosis = buf_steal(&ps->val[K_DIAGNOSIS]);
	s.fix = buf_steal(&ps->val[K_FIX]);
	if (ps->seen[K_CONFIRMS])
		s.confirms = buf_steal(&ps->val[K_CONFIRMS]);
	s.literals = signature_literals(s.pattern ? s.pattern : "");
	while (s.literals && s.literals[s.n_literals])
		s.n_literals++;
	s.literal_len = s.n_literals ? calloc(s.n_literals, sizeof(*s.literal_len)) : NULL;
	for (size_t i = 0; s.literal_len && i < s.n_literals; i++)
		s.literal_len[i] = strlen(s.literals[i]);
	if ((s.n_literals && !s.literal_len) || !s.id || !s.file || !s.pattern || !s.diagnosis || !s.fix || (ps->seen[K_CONFIRMS] && !s.confirms) ||
	    sig_add(ps->set, &s) < 0) {
		sig_clear(&s);
		return fail(ps, ps->section_line, "out of memory");
	}
	reset_section(ps);
	return 1;
}

static bool blank(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isspace((unsigned char)s[i]))
			return false;
	return true;
}

/* inih's fgets: one physical line per call; checks what inih would silently accept. */
/* A line that failed its check goes to inih as a blank one, so reading goes on and the
 * file's later errors are found too. */
static char *skip_line(char *str)
{
	str[0] = '\n';
	str[1] = 0;
	return str;
}

static char *reader(char *str, int num, void *stream)
{
	struct parser *ps = stream;
	if (ps->p >= ps->end) {
		finish_section(ps);
		return NULL;
	}
	const char *nl = memchr(ps->p, '\n', (size_t)(ps->end - ps->p));
	size_t n = nl ? (size_t)(nl - ps->p) : (size_t)(ps->end - ps->p);
	const char *line = ps->p;
	ps->p += n + (nl ? 1 : 0);
	ps->lineno++;
	if (n && line[n - 1] == '\r')
		n--;
	if (memchr(line, '\0', n)) {
		fail(ps, ps->lineno, "NUL byte in the line; signature files are text");
		return skip_line(str);
	}
	if (n > MAX_PHYS_LINE || (int)n + 2 > num) {
		fail(ps, ps->lineno, "line is %zu characters long, more than %d; continue the value on an indented next line",
		     n, MAX_PHYS_LINE);
		return skip_line(str);
	}
	size_t ws = 0;
	while (ws < n && (line[ws] == ' ' || line[ws] == '\t'))
		ws++;
	bool is_blank = blank(line, n);
	bool comment = !is_blank && (line[ws] == '#' || line[ws] == ';');
	ps->continuation = false;
	if (!is_blank && !comment) {
		if (ws > 0) {
			if (ps->last_key < 0) {
				fail(ps, ps->lineno, "indented line with no key before it; start keys and [id] headers in the first column");
				return skip_line(str);
			}
			ps->continuation = true;
		}
		if (line[ws] == '[') {
			finish_section(ps);
			reset_section(ps);
			/* whatever is wrong with the header, what follows belongs to it, not to
			 * the section before: read on in a section that will be skipped */
			ps->in_section = true;
			ps->section_line = ps->lineno;
			ps->id[0] = 0;
			if (ws > 0) {
				fail(ps, ps->lineno, "indented section header; start '[signature-id]' in the first column");
				return skip_line(str);
			}
			const char *close = memchr(line, ']', n);
			if (!close || !blank(close + 1, n - (size_t)(close + 1 - line))) {
				fail(ps, ps->lineno, "section header is not '[id]' alone on its line; write it as '[signature-id]'");
				return skip_line(str);
			}
			size_t idlen = (size_t)(close - line - 1);
			if (idlen > SIGNATURE_MAX_ID) {
				fail(ps, ps->lineno, "signature id is longer than %d characters; shorten it", SIGNATURE_MAX_ID);
				return skip_line(str);
			}
			memcpy(ps->id, line + 1, idlen);
			ps->id[idlen] = 0;
			if (!valid_id(ps->id)) {
				fail(ps, ps->lineno, "signature id '%s' must be lowercase letters, digits and '-', starting with a letter", ps->id);
				return skip_line(str);
			}
		}
		if (!ps->continuation && line[ws] != '[') {
			const char *eq = memchr(line, '=', n), *colon = memchr(line, ':', n);
			if (!eq || (colon && colon < eq)) {
				fail(ps, ps->lineno, "not a 'key = value' line, a '[signature-id]' header or a comment; fix the line");
				return skip_line(str);
			}
		}
		for (size_t i = 1; i < n; i++)
			if (line[i] == ';' && (line[i - 1] == ' ' || line[i - 1] == '\t')) {
				fail(ps, ps->lineno, "' ;' inside a line would start a comment and cut the value; remove the space before ';' or reword");
				return skip_line(str);
			}
	}
	memcpy(str, line, n);
	str[n] = '\n';
	str[n + 1] = 0;
	return str;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
	struct parser *ps = user;
	(void)section;  /* ours is ps->in_section: a bad header still opens a (skipped) section */
	if (!ps->in_section)
		return fail(ps, ps->lineno, "'%s' outside a section; put it under a '[signature-id]' header", name);
	int k = -1;
	for (int i = 0; i < K__N; i++)
		if (strcmp(name, key_names[i]) == 0)
			k = i;
	if (k < 0)
		return fail(ps, ps->lineno, "unknown key '%s' in [%s]; keys are %s", name, ps->id, KEYS_HELP);
	if (ps->continuation) {
		if (k != ps->last_key)
			return fail(ps, ps->lineno, "continuation line does not follow '%s'", name);
		if (k == K_PATTERN || k == K_LOG || k == K_SEVERITY || k == K_CONFIRMS)
			return fail(ps, ps->lineno, "'%s' in [%s] cannot continue on the next line; write it on one line", name, ps->id);
		/* '|' keeps a line break (a command on its own line, say) */
		if (value[0] == '|') {
			buf_puts(&ps->val[k], "\n");
			buf_puts(&ps->val[k], value + (value[1] == ' ' ? 2 : 1));
		} else {
			buf_puts(&ps->val[k], " ");
			buf_puts(&ps->val[k], value);
		}
		return 1;
	}
	if (ps->seen[k])
		return fail(ps, ps->lineno, "'%s' is repeated in [%s] (first at line %u); keep one", name, ps->id, ps->key_line[k]);
	if (!*value)
		return fail(ps, ps->lineno, "'%s' in [%s] is empty; give it a value", name, ps->id);
	ps->seen[k] = true;
	ps->key_line[k] = ps->lineno;
	ps->last_key = k;
	buf_puts(&ps->val[k], value);
	return 1;
}

int signature_set_parse_all(struct signature_set *set, const char *text, size_t len, const char *name,
			     struct err *e, struct strv *errors)
{
	struct parser ps = { .set = set, .name = name, .p = text, .end = text + len, .last_key = -1 };
	err_list_begin(&ps.errs, e, errors);
	size_t before = set->n;
	if (len >= 3 && memcmp(text, "\xef\xbb\xbf", 3) == 0)
		ps.p += 3;
	int rc = ini_parse_stream(reader, &ps, handler, &ps);
	if (!ps.failed && rc > 0)
		fail(&ps, (unsigned)rc, "not a 'key = value' line, a '[signature-id]' header or a comment; fix the line");
	if (!ps.failed && rc < 0)
		fail(&ps, ps.lineno, "cannot parse (inih error %d)", rc);
	reset_section(&ps);
	err_list_end(&ps.errs, name);
	if (ps.failed) {
		while (set->n > before)
			sig_clear(&set->v[--set->n]);
		return -EINVAL;
	}
	return 0;
}

int signature_set_parse(struct signature_set *set, const char *text, size_t len, const char *name, struct err *e)
{
	return signature_set_parse_all(set, text, len, name, e, NULL);
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t a = strlen(s), b = strlen(suffix);
	return a >= b && strcmp(s + a - b, suffix) == 0;
}

int signature_set_load_dir(struct signature_set *set, const char *dir, struct err *e)
{
	return signature_set_load_dir_all(set, dir, e, NULL);
}

int signature_set_load_dir_all(struct signature_set *set, const char *dir, struct err *e, struct strv *errors)
{
	int bad = 0;
	struct root r = { .fd = -1 };
	int rc = root_open_dir(&r, dir, e);
	if (rc < 0) {
		err_set(e, "cannot open signature directory '%s': %s; is --data-dir the source tree or the installed data directory?",
			dir, strerror(-rc));
		return rc;
	}
	char **names = NULL;
	size_t n = 0;
	rc = root_list(&r, ".", &names, &n, e);
	for (size_t i = 0; rc == 0 && i < n; i++) {
		if (!ends_with(names[i], ".ini"))
			continue;
		_cleanup_free_ char *text = NULL, *path = NULL;
		size_t len = 0;
		if (asprintf(&path, "%s/%s", dir, names[i]) < 0) {
			rc = -ENOMEM;
			break;
		}
		struct err fe = {0};
		rc = root_read_file(&r, names[i], SIGNATURE_FILE_MAX, &text, &len, &fe);
		if (rc < 0) {
			err_set(&fe, "cannot read signature file '%s': %s", path,
				rc == -EFBIG ? "larger than 1 MiB; split it" : strerror(-rc));
			if (errors && strv_push(errors, fe.msg) < 0)
				rc = -ENOMEM;
		} else {
			rc = signature_set_parse_all(set, text, len, path, &fe, errors);
		}
		if (rc < 0 && !bad++)
			*e = fe;
		/* when every error is wanted, a bad file does not hide the files after it */
		if (rc < 0 && errors && rc != -ENOMEM)
			rc = 0;
	}
	root_list_free(names, n);
	root_close(&r);
	return rc < 0 ? rc : bad ? -EINVAL : 0;
}

void signature_set_clear(struct signature_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		sig_clear(&set->v[i]);
	free(set->v);
	memset(set, 0, sizeof(*set));
}

bool signature_applies(const struct signature *s, enum log_kind kind)
{
	return kind == LOG_ANY || s->log == LOG_ANY || s->log == kind;
}

bool signature_match(const struct signature *s, const char *line, size_t len)
{
	if (!s->compiled)
		return false;
	if (s->n_literals) {
		size_t i = 0;
		while (i < s->n_literals && !memmem(line, len, s->literals[i], s->literal_len[i]))
			i++;
		if (i == s->n_literals)
			return false;
	}
	return regexec(&s->re, line, 0, NULL, 0) == 0;
}
