#include "util/json.h"

#include <stdio.h>

json_t *json_str_or_null(const char *s)
{
	return s ? json_string(s) : json_null();
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
		json_array_append_new(a, json_string(v->v[i]));
	return a;
}
