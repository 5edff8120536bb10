#include "libvirt/qemu_args.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "util/buf.h"
#include "util/cleanup.h"

static int push_buf(struct strv *out, struct buf *b)
{
	if (out->n >= QEMU_MAX_ARGS) {
		buf_free(b);
		return -E2BIG;
	}
	char *s = b->s ? buf_steal(b) : strdup("");
	*b = (struct buf){0};
	return strv_push_take(out, s);
}

/* One line as ps (or a shell script) shows it: POSIX shell quoting, no expansion. */
static int shell_split(const char *s, size_t len, const char *name, struct strv *out, struct err *e)
{
	struct buf b = {0};
	bool in_word = false;
	int rc = 0;
	for (size_t i = 0; i < len && rc == 0; i++) {
		char c = s[i];
		if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
			if (in_word)
				rc = push_buf(out, &b);
			in_word = false;
			continue;
		}
		if (c == '\\' && i + 1 < len && s[i + 1] == '\n') { /* continuation */
			i++;
			continue;
		}
		in_word = true;
		if (c == '\\') {
			if (i + 1 < len)
				buf_append(&b, &s[++i], 1);
		} else if (c == '\'') {
			size_t j = i + 1;
			while (j < len && s[j] != '\'')
				j++;
			if (j >= len) {
				err_set(e, "%s: offset %zu: a single quote is never closed; quote the command line as ps or a shell shows it", name, i);
				rc = -EINVAL;
				break;
			}
			buf_append(&b, s + i + 1, j - i - 1);
			i = j;
		} else if (c == '"') {
			size_t j = i + 1;
			for (; j < len && s[j] != '"'; j++) {
				if (s[j] == '\\' && j + 1 < len && strchr("\"\\$`\n", s[j + 1]))
					j++;
				buf_append(&b, &s[j], 1);
			}
			if (j >= len) {
				err_set(e, "%s: offset %zu: a double quote is never closed; quote the command line as ps or a shell shows it", name, i);
				rc = -EINVAL;
				break;
			}
			i = j;
		} else {
			buf_append(&b, &c, 1);
		}
	}
	if (rc == 0 && in_word)
		rc = push_buf(out, &b);
	buf_free(&b);
	if (rc == -E2BIG)
		err_set(e, "%s: more than %d arguments", name, QEMU_MAX_ARGS);
	return rc;
}

int qemu_args_split(const char *text, size_t len, const char *name, struct strv *ret, struct err *e)
{
	int rc = 0;
	*ret = (struct strv){0};
	if (memchr(text, 0, len)) { /* /proc/PID/cmdline */
		for (size_t i = 0; i < len && rc == 0;) {
			const char *z = memchr(text + i, 0, len - i);
			size_t n = z ? (size_t)(z - (text + i)) : len - i;
			struct buf b = {0};
			buf_append(&b, text + i, n);
			rc = push_buf(ret, &b);
			i += n + 1;
		}
	} else {
		/* Count the lines that carry something once continuations are joined. */
		size_t lines = 0;
		bool content = false;
		for (size_t i = 0; i < len; i++) {
			if (text[i] == '\\' && i + 1 < len && text[i + 1] == '\n') {
				i++;
				continue;
			}
			if (text[i] == '\n') {
				lines += content;
				content = false;
			} else if (text[i] != ' ' && text[i] != '\t' && text[i] != '\r') {
				content = true;
			}
		}
		lines += content;
		if (lines <= 1)
			return shell_split(text, len, name, ret, e) < 0 ? (strv_clear(ret), -EINVAL) : 0;
		for (size_t i = 0; i < len && rc == 0;) { /* one argument per line */
			const char *nl = memchr(text + i, '\n', len - i);
			size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
			size_t a = i, z = i + n;
			while (a < z && (text[a] == ' ' || text[a] == '\t'))
				a++;
			while (z > a && (text[z - 1] == ' ' || text[z - 1] == '\t' || text[z - 1] == '\r'))
				z--;
			if (z > a) {
				struct buf b = {0};
				buf_append(&b, text + a, z - a);
				rc = push_buf(ret, &b);
			}
			i += n + 1;
		}
	}
	if (rc < 0) {
		strv_clear(ret);
		if (rc == -E2BIG)
			err_set(e, "%s: more than %d arguments", name, QEMU_MAX_ARGS);
	}
	return rc;
}

int qemu_opts_split(const char *arg, struct strv *out)
{
	struct buf b = {0};
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
				if (!has_eq) {
					struct buf k = {0};
					buf_puts(&k, "=");
					if (b.s)
						buf_puts(&k, b.s);
					buf_free(&b);
					b = k;
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
	buf_free(&b);
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
	*ret_alias = strndup(a, (size_t)(dot - a));
	*ret_prop = strndup(dot + 1, (size_t)(eq - dot - 1));
	*ret_value = strdup(eq + 1);
	if (!*ret_alias || !*ret_prop || !*ret_value) {
		free(*ret_alias);
		free(*ret_prop);
		free(*ret_value);
		*ret_alias = *ret_prop = *ret_value = NULL;
		return -ENOMEM;
	}
	return 0;
}

int qemu_acpitable_files(const char *arg, struct strv *out)
{
	struct strv items = {0};
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
	strv_clear(&items);
	return rc;
}
