#include "libvirt/qemu_args.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/cleanup.h"

/* B's text onto OUT, leaving B empty; B as it was when OUT is full. */
static int push_buf(struct strv *out, struct buf *b)
{
	if (out->n >= QEMU_MAX_ARGS)
		return -E2BIG;
	char *s = b->s ? buf_steal(b) : strdup("");
	*b = (struct buf){0};
	return strv_push_take(out, s);
}

/* ---- a shell script or one line as ps shows it ---- */

struct sh {
	const char *s;
	size_t len, i;
	const char *name;
	struct strv vars;       /* "NAME=value" assigned earlier in the script */
	struct strv *unexpanded;
	struct err *e;
};

static bool name_char(char c, bool first)
{
	return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (!first && c >= '0' && c <= '9');
}

static const char *var_value(const struct sh *p, const char *n, size_t k)
{
	for (size_t i = p->vars.n; i-- > 0;)
		if (strncmp(p->vars.v[i], n, k) == 0 && p->vars.v[i][k] == '=')
			return p->vars.v[i] + k + 1;
	return NULL;
}

static int note_unexpanded(struct sh *p, const char *what, size_t n)
{
	char buf[80];
	snprintf(buf, sizeof(buf), "%.*s", (int)(n < 70 ? n : 70), what);
	if (!p->unexpanded || strv_contains(p->unexpanded, buf))
		return 0;
	return strv_push(p->unexpanded, buf);
}

/* At p->s[p->i] == '$': expand a known variable into B, or keep the text and name it. */
static int dollar(struct sh *p, struct buf *b)
{
	const char *s = p->s;
	size_t i = p->i, start = i;
	if (i + 1 < p->len && (s[i + 1] == '(' || s[i + 1] == '{')) {
		char open = s[i + 1], close = open == '(' ? ')' : '}';
		size_t j = i + 2;
		int depth = 1;
		while (j < p->len && depth) {
			depth += s[j] == open;
			depth -= s[j] == close;
			j++;
		}
		const char *n = s + i + 2;
		size_t k = 0;
		while (open == '{' && n + k < s + j - 1 && name_char(n[k], k == 0))
			k++;
		const char *v = open == '{' && n + k == s + j - 1 && k ? var_value(p, n, k) : NULL;
		if (v)
			buf_puts(b, v);
		else
			buf_append(b, s + start, j - start);
		p->i = j - 1;
		return v ? 0 : note_unexpanded(p, s + start, j - start);
	}
	size_t k = 0;
	while (i + 1 + k < p->len && name_char(s[i + 1 + k], k == 0))
		k++;
	if (k == 0) {
		buf_append(b, "$", 1);
		return 0;
	}
	const char *v = var_value(p, s + i + 1, k);
	if (v)
		buf_puts(b, v);
	else
		buf_append(b, s + start, k + 1);
	p->i = i + k;
	return v ? 0 : note_unexpanded(p, s + start, k + 1);
}

/* The words of one command (up to an unquoted newline, ';', '&', '|'); *END true at the end. */
static int sh_command(struct sh *p, struct strv *words, bool *end)
{
	_cleanup_buf_ struct buf b = {0};
	bool in_word = false;
	int rc = 0;
	const char *s = p->s;
	for (; p->i < p->len && rc == 0; p->i++) {
		char c = s[p->i];
		if (c == '\\' && p->i + 1 < p->len && s[p->i + 1] == '\n') { /* continuation */
			p->i++;
			continue;
		}
		if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == ';' || c == '&' || c == '|') {
			if (in_word)
				rc = push_buf(words, &b);
			in_word = false;
			if (c == '\n' || c == ';' || c == '&' || c == '|') {
				p->i++;
				break;
			}
			continue;
		}
		if (c == '#' && !in_word) { /* comment to the end of the line */
			while (p->i < p->len && s[p->i] != '\n')
				p->i++;
			p->i--;
			continue;
		}
		in_word = true;
		if (c == '\\') {
			if (p->i + 1 < p->len)
				buf_append(&b, &s[++p->i], 1);
		} else if (c == '\'') {
			size_t j = p->i + 1;
			while (j < p->len && s[j] != '\'')
				j++;
			if (j >= p->len) {
				err_set(p->e, "%s: offset %zu: a single quote is never closed; quote the command line as ps or a shell shows it", p->name, p->i);
				rc = -EINVAL;
				break;
			}
			buf_append(&b, s + p->i + 1, j - p->i - 1);
			p->i = j;
		} else if (c == '"') {
			size_t j = p->i + 1;
			for (; j < p->len && s[j] != '"' && rc == 0; j++) {
				if (s[j] == '\\' && j + 1 < p->len && strchr("\"\\$`\n", s[j + 1])) {
					j++;
					if (s[j] != '\n')
						buf_append(&b, &s[j], 1);
				} else if (s[j] == '$') {
					p->i = j;
					rc = dollar(p, &b);
					j = p->i;
				} else {
					buf_append(&b, &s[j], 1);
				}
			}
			if (rc == 0 && j >= p->len) {
				err_set(p->e, "%s: offset %zu: a double quote is never closed; quote the command line as ps or a shell shows it", p->name, p->i);
				rc = -EINVAL;
				break;
			}
			p->i = j;
		} else if (c == '$') {
			rc = dollar(p, &b);
		} else if (c == '`') {
			size_t j = p->i + 1;
			while (j < p->len && s[j] != '`')
				j++;
			size_t n = (j < p->len ? j + 1 : j) - p->i;
			buf_append(&b, s + p->i, n);
			rc = note_unexpanded(p, s + p->i, n);
			p->i += n - 1;
		} else {
			buf_append(&b, &c, 1);
		}
	}
	if (rc == 0 && in_word)
		rc = push_buf(words, &b);
	*end = p->i >= p->len;
	return rc;
}

static bool is_assignment(const char *w)
{
	size_t k = 0;
	while (name_char(w[k], k == 0))
		k++;
	return k > 0 && w[k] == '=';
}

bool qemu_program_name(const char *w)
{
	const char *base = strrchr(w, '/');
	base = base ? base + 1 : w;
	return strncmp(base, "qemu-system-", 12) == 0 || strcmp(base, "qemu-kvm") == 0 || strcmp(base, "kvm") == 0 ||
	       strcmp(base, "qemu") == 0;
}

/* A script or one command line: the words of the QEMU command in it (the program first). */
static int script_split(const char *text, size_t len, const char *name, struct strv *out, struct strv *unexpanded,
			struct err *e)
{
	struct sh p = { .s = text, .len = len, .name = name, .unexpanded = unexpanded, .e = e };
	_cleanup_strv_ struct strv first = {0};
	size_t commands = 0;
	bool end = false, found = false;
	int rc = 0;
	while (!end && !found && rc == 0) {
		_cleanup_strv_ struct strv w = {0};
		rc = sh_command(&p, &w, &end);
		size_t k = 0;
		if (rc == 0 && w.n && strcmp(w.v[0], "export") == 0)
			k = 1;
		for (; rc == 0 && k < w.n && is_assignment(w.v[k]); k++)
			rc = strv_push(&p.vars, w.v[k]);
		for (size_t i = k; rc == 0 && i < w.n && !found; i++) {
			if (!qemu_program_name(w.v[i]))
				continue;
			found = true;
			for (size_t j = i; rc == 0 && j < w.n; j++)
				rc = out->n >= QEMU_MAX_ARGS ? -E2BIG : strv_push(out, w.v[j]);
		}
		if (rc == 0 && w.n > k && commands++ == 0)
			for (size_t j = k; rc == 0 && j < w.n; j++)
				rc = strv_push(&first, w.v[j]);
	}
	/* no QEMU program named (a pasted argument list): the words as they are, if that was all */
	if (rc == 0 && !found && commands == 1) {
		*out = TAKE_STRUCT(first);
	} else if (rc == 0 && !found && commands > 1) {
		err_set(e, "%s: no qemu-system-* (or qemu-kvm) command in it; give the QEMU command line: the script that starts "
			   "QEMU, one argument per line, or /proc/PID/cmdline", name);
		rc = -EINVAL;
	}
	strv_clear(&p.vars);
	if (rc == -E2BIG)
		err_set(e, "%s: more than %d arguments", name, QEMU_MAX_ARGS);
	return rc;
}

/* A line "-machine q35 -m 4096": more than one option on it. */
static bool several_options(const char *s, size_t len)
{
	size_t n = 0;
	while (n < len && s[n] != '\n')
		n++;
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	for (size_t i = 1; i + 1 < n; i++)
		if ((s[i] == ' ' || s[i] == '\t') && s[i + 1] == '-')
			return true;
	return false;
}

int qemu_args_split_script(const char *text, size_t len, const char *name, struct strv *ret, struct strv *unexpanded,
			   struct err *e)
{
	_cleanup_strv_ struct strv args = {0};
	int rc = 0;
	*ret = (struct strv){0};
	if (memchr(text, 0, len)) { /* /proc/PID/cmdline */
		for (size_t i = 0; i < len && rc == 0;) {
			const char *z = memchr(text + i, 0, len - i);
			size_t n = z ? (size_t)(z - (text + i)) : len - i;
			_cleanup_buf_ struct buf b = {0};
			buf_append(&b, text + i, n);
			rc = push_buf(&args, &b);
			i += n + 1;
		}
	} else {
		/* One argument per line (tr '\0' '\n' < /proc/PID/cmdline) unless it looks like a shell
		 * command: a '\' continuation, a comment, or a line with several words starting with a
		 * QEMU program or an option. */
		size_t lines = 0;
		bool content = false, script = false;
		for (size_t i = 0; i < len; i++) {
			if (text[i] == '\\' && i + 1 < len && text[i + 1] == '\n') {
				script = true;
				i++;
				continue;
			}
			if (text[i] == '\n') {
				lines += content;
				content = false;
			} else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') {
				if (!content && (text[i] == '#' || (text[i] == '-' && several_options(text + i, len - i))))
					script = true;
				content = true;
			}
		}
		lines += content;
		if (!script && lines > 1) {
			/* a first line "qemu-system-x86_64 -m 4096": a command, not an argument */
			size_t n = strcspn(text, "\n");
			const char *sp = memchr(text, ' ', n);
			if (sp) {
				char prog[256];
				snprintf(prog, sizeof(prog), "%.*s", (int)(sp - text < 255 ? sp - text : 255), text);
				script = qemu_program_name(prog);
			}
		}
		if (script || lines <= 1) {
			rc = script_split(text, len, name, &args, unexpanded, e);
			if (rc == 0)
				*ret = TAKE_STRUCT(args);
			return rc;
		}
		for (size_t i = 0; i < len && rc == 0;) { /* one argument per line */
			const char *nl = memchr(text + i, '\n', len - i);
			size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
			size_t a = i, z = i + n;
			while (a < z && (text[a] == ' ' || text[a] == '\t'))
				a++;
			while (z > a && (text[z - 1] == ' ' || text[z - 1] == '\t' || text[z - 1] == '\r'))
				z--;
			if (z > a) {
				_cleanup_buf_ struct buf b = {0};
				buf_append(&b, text + a, z - a);
				rc = push_buf(&args, &b);
			}
			i += n + 1;
		}
	}
	if (rc == -E2BIG)
		err_set(e, "%s: more than %d arguments", name, QEMU_MAX_ARGS);
	if (rc == 0)
		*ret = TAKE_STRUCT(args);
	return rc;
}

int qemu_args_split(const char *text, size_t len, const char *name, struct strv *ret, struct err *e)
{
	return qemu_args_split_script(text, len, name, ret, NULL, e);
}

int qemu_opts_split(const char *arg, struct strv *out)
{
	_cleanup_buf_ struct buf b = {0};
	int rc = 0;
	bool has_eq = false;
	for (const char *p = arg;; p++) {
		if (*p == ',' && p[1] == ',') {
			buf_append(&b, ",", 1);
			p++;
			continue;
		}
		if (*p == ',' || !*p) {
			if (b.len || *p) {
				if (!has_eq) { /* "=" before the text: a value without a key */
					struct buf k = {0};
					buf_puts(&k, "=");
					if (b.s)
						buf_puts(&k, b.s);
					buf_free(&b);
					b = TAKE_STRUCT(k);
				}
				rc = push_buf(out, &b);
			}
			has_eq = false;
			if (!*p || rc < 0)
				break;
			continue;
		}
		if (*p == '=')
			has_eq = true;
		buf_append(&b, p, 1);
	}
	return rc;
}

const char *qemu_opt(const struct strv *items, const char *key)
{
	size_t k = strlen(key);
	for (size_t i = 0; i < items->n; i++)
		if (strncmp(items->v[i], key, k) == 0 && items->v[i][k] == '=')
			return items->v[i] + k + 1;
	return NULL;
}

int qemu_parse_set(const char *arg, char **ret_alias, char **ret_prop, char **ret_value)
{
	if (strncmp(arg, "device.", 7) != 0)
		return -EINVAL;
	const char *a = arg + 7;
	const char *eq = strchr(a, '=');
	if (!eq)
		return -EINVAL;
	const char *dot = NULL;
	for (const char *p = a; p < eq; p++)
		if (*p == '.')
			dot = p;
	if (!dot || dot == a || dot + 1 == eq)
		return -EINVAL;
	_cleanup_free_ char *alias = strndup(a, (size_t)(dot - a));
	_cleanup_free_ char *prop = strndup(dot + 1, (size_t)(eq - dot - 1));
	_cleanup_free_ char *value = strdup(eq + 1);
	if (!alias || !prop || !value) {
		*ret_alias = *ret_prop = *ret_value = NULL;
		return -ENOMEM;
	}
	*ret_alias = TAKE_PTR(alias);
	*ret_prop = TAKE_PTR(prop);
	*ret_value = TAKE_PTR(value);
	return 0;
}

int qemu_acpitable_files(const char *arg, struct strv *out)
{
	_cleanup_strv_ struct strv items = {0};
	int rc = qemu_opts_split(arg, &items);
	const char *f = rc == 0 ? qemu_opt(&items, "file") : NULL;
	if (!f && rc == 0)
		f = qemu_opt(&items, "data");
	if (f) {
		_cleanup_free_ char *copy = strdup(f);
		char *save = NULL;
		rc = copy ? 0 : -ENOMEM;
		for (char *t = copy ? strtok_r(copy, ":", &save) : NULL; t && rc == 0; t = strtok_r(NULL, ":", &save))
			rc = strv_push(out, t);
	}
	return rc;
}
