#include "host/host_mdevctl.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

bool mdevctl_is_uuid(const char *s)
{
	static const int dash[] = { 8, 13, 18, 23 };
	if (strlen(s) != 36)
		return false;
	for (int i = 0, k = 0; i < 36; i++) {
		if (k < 4 && i == dash[k]) {
			if (s[i] != '-')
				return false;
			k++;
		} else if (!isxdigit((unsigned char)s[i])) {
			return false;
		}
	}
	return true;
}

/* A type name as sysfs has them: printable, no blanks, at most 64 bytes. */
static bool type_name_ok(json_t *t)
{
	if (!json_is_string(t) || !json_string_length(t) || json_string_length(t) > 64)
		return false;
	if (strlen(json_string_value(t)) != json_string_length(t))
		return false;
	for (const char *p = json_string_value(t); *p; p++)
		if (!isgraph((unsigned char)*p) || *p == '/')
			return false;
	return true;
}

int mdevctl_parse(const char *text, size_t len, const char *file, const char *parent, const char *uuid,
		  struct mdevctl_def *ret, struct err *e)
{
	json_error_t je;
	memset(ret, 0, sizeof(*ret));
	json_t *j = json_loadb(text, len, 0, &je);
	if (!j) {
		err_set(e, "%s:%d:%d: not an mdevctl definition: %s; fix or remove the file ('mdevctl list --defined' shows what mdevctl makes of it)",
			file, je.line, je.column, je.text);
		return -EINVAL;
	}
	int rc = -EINVAL;
	json_t *type = json_object_get(j, "mdev_type"), *start = json_object_get(j, "start");
	json_t *attrs = json_object_get(j, "attrs");
	if (!json_is_object(j))
		err_set(e, "%s: not an mdevctl definition: a JSON object is expected; fix or remove the file", file);
	else if (!type_name_ok(type))
		err_set(e, "%s: \"mdev_type\" is missing or not a type name sysfs could have; recreate the definition with 'mdevctl define'", file);
	else if (!start)
		err_set(e, "%s: \"start\" is missing (mdevctl calls the file invalid json); set it with 'mdevctl modify --auto -u %s'", file, uuid);
	else if (attrs && !json_is_array(attrs))
		err_set(e, "%s: \"attrs\" is not an array; recreate the definition with 'mdevctl define'", file);
	else
		rc = 0;
	if (rc == 0) {
		ret->parent = strdup(parent);
		ret->uuid = strdup(uuid);
		ret->type = strdup(json_string_value(type));
		/* as mdevctl: anything but "auto" is manual */
		ret->autostart = json_is_string(start) && strcmp(json_string_value(start), "auto") == 0;
		if (!ret->parent || !ret->uuid || !ret->type) {
			mdevctl_def_clear(ret);
			rc = -ENOMEM;
		}
	}
	json_decref(j);
	return rc;
}

void mdevctl_def_clear(struct mdevctl_def *d)
{
	free(d->parent);
	free(d->uuid);
	free(d->type);
	memset(d, 0, sizeof(*d));
}
