#include "util/json.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "util/buf.h"

/* Length of the valid UTF-8 sequence at S (N bytes left), 0 when invalid (overlong forms,
 * surrogates and code points past U+10FFFF are invalid, as jansson holds). */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	if (s[0] < 0x80)
		return 1;
	size_t len = s[0] >= 0xc2 && s[0] <= 0xdf ? 2 : s[0] >= 0xe0 && s[0] <= 0xef ? 3 : s[0] >= 0xf0 && s[0] <= 0xf4 ? 4 : 0;
	if (!len || len > n)
		return 0;
	for (size_t i = 1; i < len; i++)
		if ((s[i] & 0xc0) != 0x80)
			return 0;
	if ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] > 0x9f) || (s[0] == 0xf0 && s[1] < 0x90) ||
	    (s[0] == 0xf4 && s[1] > 0x8f))
		return 0;
	return len;
}

json_t *json_text(const char *s)
{
	if (!s)
		return json_null();
	json_t *j = json_string(s);
	if (j)
		return j;
	size_t n = strlen(s);
	struct buf b = {0};
	for (size_t i = 0; i < n;) {
		size_t k = utf8_len((const unsigned char *)s + i, n - i);
		if (k) {
			if (s[i] == '\\')
				buf_puts(&b, "\\\\");
			else
				buf_append(&b, s + i, k);
			i += k;
		} else {
			buf_printf(&b, "\\x%02x", (unsigned char)s[i]);
			i++;
		}
	}
	j = b.oom ? NULL : json_pack("{s:s}", "escaped", b.s ? b.s : "");
	buf_free(&b);
	return j;
}

bool json_is_text(const json_t *v)
{
	return json_is_string(v) ||
	       (json_is_object(v) && json_object_size(v) == 1 && json_is_string(json_object_get(v, "escaped")));
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int json_text_dup(const json_t *v, char **out)
{
	*out = NULL;
	if (json_is_null(v))
		return 0;
	if (json_is_string(v))
		return (*out = strdup(json_string_value(v))) ? 0 : -ENOMEM;
	if (!json_is_text(v))
		return -EINVAL;
	const char *t = json_string_value(json_object_get(v, "escaped"));
	size_t n = strlen(t), o = 0;
	char *r = malloc(n + 1);
	if (!r)
		return -ENOMEM;
	for (size_t i = 0; i < n; i++) {
		if (t[i] != '\\') {
			r[o++] = t[i];
		} else if (t[i + 1] == '\\') {
			r[o++] = '\\';
			i++;
		} else if (t[i + 1] == 'x' && hexval(t[i + 2]) >= 0 && hexval(t[i + 3]) >= 0 &&
			   (hexval(t[i + 2]) << 4 | hexval(t[i + 3])) != 0) {
			r[o++] = (char)(hexval(t[i + 2]) << 4 | hexval(t[i + 3]));
			i += 3;
		} else {
			free(r);
			return -EINVAL;
		}
	}
	r[o] = 0;
	*out = r;
	return 0;
}

json_t *json_hex(unsigned v, int width)
{
	char b[16];
	snprintf(b, sizeof(b), "0x%0*x", width, v);
	return json_string(b);
}

json_t *json_strv(const struct strv *v)
{
	json_t *a = json_array();
	for (size_t i = 0; i < v->n; i++)
		json_array_append_new(a, json_text(v->v[i]));
	return a;
}
