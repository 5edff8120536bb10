#include "report/redact.h"

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "report/redact_ip.h"
#include "util/array.h"
#include "util/buf.h"
#include "util/cleanup.h"

static const char *const placeholder[RK__N] = { "host", "user", "mac", "serial", "uuid", "ip" };

const char *redact_kind_name(enum redact_kind k)
{
	switch (k) {
	case RK_HOST: return "host name";
	case RK_USER: return "user name";
	case RK_MAC: return "MAC address";
	case RK_SERIAL: return "serial number";
	case RK_UUID: return "UUID";
	case RK_IP: return "IP address";
	default: return "unknown";
	}
}

void redact_init(struct redactor *r, bool enabled)
{
	memset(r, 0, sizeof(*r));
	r->enabled = enabled;
}

void redact_clear(struct redactor *r)
{
	for (size_t i = 0; i < r->n; i++)
		free(r->v[i].value);
	free(r->v);
	memset(r, 0, sizeof(*r));
}

static bool junk(enum redact_kind kind, const char *v)
{
	static const char *const junk_hosts[] = { "localhost", "localhost.localdomain", "(none)", "kernel", "linux" };
	static const char *const junk_users[] = { "root", "user", "home", "lost+found", "gdm", "lightdm", "sddm" };
	static const char *const junk_serials[] = {
		"none", "not specified", "to be filled by o.e.m.", "default string", "system serial number",
		"not applicable", "n/a", "0123456789", "chassis serial number", "base board serial number",
		"not available", "unknown",
	};
	size_t n = strlen(v);
	if (n < 3 || n > REDACT_MAX_VALUE)
		return true;
	if (kind == RK_IP)
		return redact_ip_unremarkable(v, n);
	const char *const *list = NULL;
	size_t m = 0;
	if (kind == RK_HOST) {
		list = junk_hosts;
		m = ARRAY_SIZE(junk_hosts);
	} else if (kind == RK_USER) {
		list = junk_users;
		m = ARRAY_SIZE(junk_users);
	} else if (kind == RK_SERIAL) {
		list = junk_serials;
		m = ARRAY_SIZE(junk_serials);
		bool all_zero = true;
		for (const char *c = v; *c; c++)
			all_zero &= *c == '0';
		if (all_zero)
			return true;
	}
	for (size_t i = 0; i < m; i++)
		if (strcasecmp(v, list[i]) == 0)
			return true;
	for (const char *c = v; *c; c++)
		if ((unsigned char)*c <= ' ' || *c == '<' || *c == '>')
			return true;
	return false;
}

static struct redact_entry *find(struct redactor *r, const char *v, size_t len)
{
	for (size_t i = 0; i < r->n; i++)
		if (strlen(r->v[i].value) == len && strncasecmp(r->v[i].value, v, len) == 0)
			return &r->v[i];
	return NULL;
}

static int learn_capped(struct redactor *r, enum redact_kind kind, const char *value, size_t len, bool capped)
{
	/* a syslog line from a remote host names it by address: an address, not a host name */
	if (kind == RK_HOST && len && (redact_ipv4_at(value, len, value) == len || redact_ipv6_at(value, len, value) == len))
		kind = RK_IP;
	if (len > REDACT_MAX_VALUE || find(r, value, len) || (capped && r->next[kind] >= REDACT_MAX_PER_KIND))
		return 0;
	_cleanup_free_ char *v = strndup(value, len);
	if (!v)
		return -ENOMEM;
	if (junk(kind, v))
		return 0;
	if (array_grow(r->v, r->n, r->cap, 16) < 0)
		return -ENOMEM;
	r->v[r->n++] = (struct redact_entry){ .value = TAKE_PTR(v), .kind = kind };
	r->next[kind]++;
	return 0;
}

/* Values learnt from whole logs are capped per kind (each costs time on every redacted
 * character); see redact() for the one kind that is not. */
static int learn_n(struct redactor *r, enum redact_kind kind, const char *value, size_t len)
{
	return learn_capped(r, kind, value, len, true);
}

int redact_learn(struct redactor *r, enum redact_kind kind, const char *value)
{
	return value ? learn_n(r, kind, value, strlen(value)) : 0;
}

static void learn_file(struct redactor *r, const struct root *root, const char *rel, enum redact_kind kind)
{
	_cleanup_free_ char *s = NULL;
	struct err e = {0};
	if (root_read_line(root, rel, &s, &e) == 0)
		redact_learn(r, kind, s);
}

void redact_learn_root(struct redactor *r, const struct root *root)
{
	learn_file(r, root, "etc/hostname", RK_HOST);
	learn_file(r, root, "proc/sys/kernel/hostname", RK_HOST);
	learn_file(r, root, "sys/class/dmi/id/product_serial", RK_SERIAL);
	learn_file(r, root, "sys/class/dmi/id/board_serial", RK_SERIAL);
	learn_file(r, root, "sys/class/dmi/id/chassis_serial", RK_SERIAL);
	learn_file(r, root, "sys/class/dmi/id/product_uuid", RK_UUID);
	char **names = NULL;
	size_t n = 0;
	struct err e = {0};
	if (root_list(root, "home", &names, &n, &e) == 0) {
		for (size_t i = 0; i < n; i++)
			redact_learn(r, RK_USER, names[i]);
		root_list_free(names, n);
	}
}

static bool hexc(char c)
{
	return isxdigit((unsigned char)c);
}

/* A MAC "xx:xx:xx:xx:xx:xx" (or with '-') at S? Returns its length (17) or 0. */
static size_t mac_at(const char *s, size_t left, const char *start)
{
	if (left < 17 || (s > start && (hexc(s[-1]) || s[-1] == ':' || s[-1] == '-')))
		return 0;
	char sep = s[2];
	if (sep != ':' && sep != '-')
		return 0;
	for (int i = 0; i < 6; i++) {
		if (!hexc(s[i * 3]) || !hexc(s[i * 3 + 1]))
			return 0;
		if (i < 5 && s[i * 3 + 2] != sep)
			return 0;
	}
	if (left > 17 && (hexc(s[17]) || s[17] == ':' || s[17] == '-'))
		return 0;
	return 17;
}

/* A UUID 8-4-4-4-12 at S? Returns 36 or 0. */
static size_t uuid_at(const char *s, size_t left, const char *start)
{
	static const int groups[] = { 8, 4, 4, 4, 12 };
	if (left < 36 || (s > start && (hexc(s[-1]) || s[-1] == '-')))
		return 0;
	size_t k = 0;
	for (int g = 0; g < 5; g++) {
		for (int i = 0; i < groups[g]; i++, k++)
			if (!hexc(s[k]))
				return 0;
		if (g < 4 && s[k++] != '-')
			return 0;
	}
	if (left > 36 && (hexc(s[36]) || s[36] == '-'))
		return 0;
	return 36;
}

static bool wordc(char c)
{
	return isalnum((unsigned char)c) || c == '_' || c == '-';
}

/* Token after KEY at P (spaces, ':' or '=' skipped), up to whitespace or one of ",;)\"'". */
static void learn_after(struct redactor *r, enum redact_kind kind, const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == ':' || *p == '=' || *p == '\t' || *p == '"'))
		p++;
	const char *q = p;
	while (q < end && !isspace((unsigned char)*q) && !strchr(",;)\"'/", *q))
		q++;
	while (q > p && q[-1] == '.')
		q--;
	if (q > p)
		learn_n(r, kind, p, (size_t)(q - p));
}

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static bool namec(char c)
{
	return isalnum((unsigned char)c) || c == '-' || c == '_' || c == '.';
}

/* After a time stamp at H: "HOST kernel:" or "HOST prog[pid]:" (journalctl -o short-precise,
 * short-monotonic: "[    2.690123] HOST kernel: ..."). A dmesg line ("[    2.690] nouveau 0000:...")
 * has no such program field, so nothing is learnt from it. */
static void learn_host_before_prog(struct redactor *r, const char *h, const char *end)
{
	const char *q = h;
	while (q < end && namec(*q))
		q++;
	if (q == h || q >= end || *q != ' ')
		return;
	const char *g = q + 1, *e = g;
	while (e < end && *e != ' ' && *e != ':')
		e++;
	if (e < end && *e == ':' && e > g && (((size_t)(e - g) == 6 && !memcmp(g, "kernel", 6)) || e[-1] == ']'))
		learn_n(r, RK_HOST, h, (size_t)(q - h));
}

/* Shell prompts pasted with the output: "alice@myhost:~$ dmesg", "[alice@myhost ~]$ dmesg". */
static void learn_prompt(struct redactor *r, const char *s, const char *end)
{
	for (const char *at = s; (at = memchr(at, '@', (size_t)(end - at))); at++) {
		const char *u = at;
		while (u > s && namec(u[-1]))
			u--;
		const char *h = at + 1, *q = h;
		while (q < end && namec(*q))
			q++;
		if (u == at || q == h || q + 1 >= end || (u > s && u[-1] != '[' && u[-1] != ' '))
			continue;
		bool colon_form = *q == ':' && (q[1] == '~' || q[1] == '/');
		bool bracket_form = u > s && u[-1] == '[' && *q == ' ' && (q[1] == '~' || q[1] == '/' || namec(q[1]));
		if (!colon_form && !bracket_form)
			continue;
		learn_n(r, RK_USER, u, (size_t)(at - u));
		learn_n(r, RK_HOST, h, (size_t)(q - h));
	}
}

void redact_learn_text(struct redactor *r, const char *s, size_t len)
{
	const char *end = s + len, *p;
	/* syslog: "Nov 20 10:01:02 HOST kernel: ..." */
	if (len > 16 && s[3] == ' ' && s[6] == ' ' && s[9] == ':' && s[12] == ':' && s[15] == ' ') {
		char mon[4] = { s[0], s[1], s[2], 0 };
		if (strstr(months, mon) && ((size_t)(strstr(months, mon) - months)) % 3 == 0) {
			const char *h = s + 16, *q = h;
			while (q < end && *q != ' ')
				q++;
			if (q < end && q > h)
				learn_n(r, RK_HOST, h, (size_t)(q - h));
		}
	}
	/* journalctl -o short-precise: "Nov 20 10:01:02.123456 HOST kernel: ..." */
	if (len > 17 && s[3] == ' ' && s[6] == ' ' && s[9] == ':' && s[12] == ':' && s[15] == '.') {
		const char *h = s + 16;
		while (h < end && isdigit((unsigned char)*h))
			h++;
		if (h < end && *h == ' ')
			learn_host_before_prog(r, h + 1, end);
	}
	/* journalctl -o short-monotonic: "[    2.690123] HOST kernel: ..." */
	if (len > 4 && s[0] == '[' && (p = memchr(s, ']', len)) && p + 2 < end && p[1] == ' ') {
		bool stamp = p > s + 1;
		for (const char *q = s + 1; q < p && stamp; q++)
			stamp = *q == ' ' || *q == '.' || isdigit((unsigned char)*q);
		if (stamp)
			learn_host_before_prog(r, p + 2, end);
	}
	/* NixOS: the system's store path carries the host name, "/nix/store/HASH-nixos-system-HOST-23.05..." */
	for (p = s; (p = memmem(p, (size_t)(end - p), "-nixos-system-", 14)); p += 14) {
		const char *h = p + 14, *q = h;
		while (q < end && namec(*q) && !(*q == '-' && q + 1 < end && isdigit((unsigned char)q[1])))
			q++;
		if (q > h && q < end && *q == '-')
			learn_n(r, RK_HOST, h, (size_t)(q - h));
	}
	/* display managers: "session opened for user alice(uid=1000)", LightDM's "username 'alice'" */
	static const char *const user_keys[] = { "session opened for user ", "session closed for user ", "username '" };
	for (size_t k = 0; k < ARRAY_SIZE(user_keys); k++)
		for (p = s; (p = memmem(p, (size_t)(end - p), user_keys[k], strlen(user_keys[k]))); p++) {
			const char *u = p + strlen(user_keys[k]), *q = u;
			while (q < end && namec(*q))
				q++;
			if (q > u)
				learn_n(r, RK_USER, u, (size_t)(q - u));
		}
	learn_prompt(r, s, end);
	/* RFC 3339 journal/syslog: "2024-05-14T12:05:40.454049+01:00 HOST kernel: ..." */
	if (len > 20 && s[4] == '-' && s[7] == '-' && s[10] == 'T') {
		const char *h = memchr(s, ' ', len);
		if (h) {
			const char *q = ++h;
			while (q < end && *q != ' ')
				q++;
			if (q < end && q > h)
				learn_n(r, RK_HOST, h, (size_t)(q - h));
		}
	}
	static const char cos[] = "Current Operating System: Linux ";
	if ((p = memmem(s, len, cos, sizeof(cos) - 1))) {
		const char *h = p + sizeof(cos) - 1, *q = h;
		while (q < end && *q != ' ')
			q++;
		if (q > h)
			learn_n(r, RK_HOST, h, (size_t)(q - h));
	}
	for (p = s; (p = memmem(p, (size_t)(end - p), "/home/", 6)); p += 6) {
		const char *u = p + 6, *q = u;
		while (q < end && *q != '/' && !isspace((unsigned char)*q) && !strchr("\"',;:)", *q))
			q++;
		if (q > u)
			learn_n(r, RK_USER, u, (size_t)(q - u));
	}
	static const char *const serial_keys[] = { "Serial Number", "serial number", "SerialNumber", "Serial No", "Serial#" };
	for (size_t k = 0; k < ARRAY_SIZE(serial_keys); k++)
		for (p = s; (p = memmem(p, (size_t)(end - p), serial_keys[k], strlen(serial_keys[k]))); p++)
			learn_after(r, RK_SERIAL, p + strlen(serial_keys[k]), end);
	/* MACs and UUIDs are recognised by shape; learning them fixes their numbers in order */
	for (p = s; p < end; p++) {
		if (!hexc(*p))
			continue;
		size_t n;
		if ((n = uuid_at(p, (size_t)(end - p), s)) || (n = mac_at(p, (size_t)(end - p), s))) {
			learn_n(r, n == 36 ? RK_UUID : RK_MAC, p, n);
			p += n - 1;
		}
	}
}

void redact_learn_json(struct redactor *r, const json_t *j)
{
	if (json_is_string(j)) {
		redact_learn_text(r, json_string_value(j), json_string_length(j));
	} else if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach((json_t *)j, k, v)
			redact_learn_json(r, v);
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			redact_learn_json(r, v);
	}
}

static struct redact_entry *learnt_at(struct redactor *r, const char *s, const char *p, size_t left)
{
	/* a NixOS system path names the host between dashes: "-nixos-system-HOST-23.05..." */
	bool nix = p - s >= 13 && memcmp(p - 13, "nixos-system-", 13) == 0;
	if (p > s && wordc(p[-1]) && !nix)
		return NULL;
	struct redact_entry *best = NULL;
	size_t best_len = 0;
	for (size_t i = 0; i < r->n; i++) {
		if (r->v[i].kind == RK_IP)
			continue;   /* by shape only: the shape test knows a version from an address */
		const char *v = r->v[i].value;
		size_t n = strlen(v);
		if (n > left || n <= best_len || strncasecmp(p, v, n) != 0)
			continue;
		/* host "guest" must not eat "optimus-guest" or "guests"; "guest." and "guest.lan" go */
		if (n < left && wordc(p[n]) && !(nix && p[n] == '-' && n + 1 < left && isdigit((unsigned char)p[n + 1])))
			continue;
		best = &r->v[i];
		best_len = n;
	}
	return best;
}

static char *redact(struct redactor *r, const char *s, bool ips)
{
	if (!s)
		return NULL;
	if (!r->enabled)
		return strdup(s);
	struct buf b = {0};
	size_t len = strlen(s);
	buf_puts(&b, "");
	for (const char *p = s; *p;) {
		size_t left = len - (size_t)(p - s);
		size_t n = 0;
		struct redact_entry *e = NULL;
		/* shapes found in the very text being redacted are learnt without the cap, or the
		 * 65th MAC, UUID or address would pass */
		if (hexc(*p) && ((n = uuid_at(p, left, s)) || (n = mac_at(p, left, s)))) {
			learn_capped(r, n == 36 ? RK_UUID : RK_MAC, p, n, false);
			e = find(r, p, n);
		}
		if (!e && ips && ((n = redact_ipv4_at(p, left, s)) || (n = redact_ipv6_at(p, left, s)))) {
			if (redact_ip_unremarkable(p, n)) {   /* 127.0.0.1, ::1, 255.255.255.0 stay */
				buf_append(&b, p, n);
				p += n;
				continue;
			}
			learn_capped(r, RK_IP, p, n, false);
			e = find(r, p, n);
		}
		if (!e) {
			e = learnt_at(r, s, p, left);
			n = e ? strlen(e->value) : 0;
		}
		if (e) {
			if (!e->n)
				e->n = ++r->used[e->kind];  /* numbered in order of first appearance */
			e->hits++;
			buf_printf(&b, "<%s-%u>", placeholder[e->kind], e->n);
			p += n;
		} else {
			buf_append(&b, p, 1);
			p++;
		}
	}
	return buf_steal(&b);
}

char *redact_text(struct redactor *r, const char *s)
{
	return redact(r, s, true);
}

char *redact_field(struct redactor *r, const char *key, const char *s)
{
	size_t k = key ? strlen(key) : 0;
	return redact(r, s, !(k >= 7 && strcasecmp(key + k - 7, "version") == 0));
}

static int redact_json_field(struct redactor *r, const char *key, json_t *j)
{
	if (json_is_string(j)) {
		_cleanup_free_ char *t = redact_field(r, key, json_string_value(j));
		if (!t)
			return -ENOMEM;
		return json_string_set(j, t) == 0 ? 0 : -ENOMEM;
	}
	int rc = 0;
	if (json_is_object(j)) {
		const char *k;
		json_t *v;
		json_object_foreach(j, k, v)
			if (rc == 0)
				rc = redact_json_field(r, k, v);
	} else if (json_is_array(j)) {
		size_t i;
		json_t *v;
		json_array_foreach(j, i, v)
			if (rc == 0)
				rc = redact_json_field(r, key, v);
	}
	return rc;
}

int redact_json(struct redactor *r, json_t *j)
{
	return r->enabled ? redact_json_field(r, NULL, j) : 0;
}

size_t redact_count(const struct redactor *r, enum redact_kind kind)
{
	size_t n = 0;
	for (size_t i = 0; i < r->n; i++)
		n += r->v[i].kind == kind && r->v[i].hits > 0;
	return n;
}
