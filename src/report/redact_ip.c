/* IPv4 and IPv6 addresses in log text, recognised by shape for redaction. What they must not
 * eat: version numbers (535.104.05, "X.Org X Server 1.21.1.7", mesa-23.1.2.1), PCI addresses
 * (0000:01:00.0), clock times (10:01:02.123456), time stamps ([    3.123456]), MACs, C++ and
 * Perl names (std::string). */
#include "report/redact_ip.h"

#include <ctype.h>
#include <stdbool.h>
#include <string.h>
#include <strings.h>

static bool digit(char c)
{
	return isdigit((unsigned char)c);
}

static bool hexc(char c)
{
	return isxdigit((unsigned char)c);
}

static bool alnum(char c)
{
	return isalnum((unsigned char)c);
}

/* Is the word before S (across one space, or ": ") one that introduces a version number? */
static bool after_version_word(const char *s, const char *start)
{
	static const char *const words[] = { "version", "server", "release", "mesa", "ver", "build", "firmware" };
	const char *e = s;
	if (e > start && e[-1] == ' ')
		e--;
	else
		return false;
	if (e > start && e[-1] == ':')
		e--;
	const char *w = e;
	while (w > start && isalpha((unsigned char)w[-1]))
		w--;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if ((size_t)(e - w) == strlen(words[i]) && strncasecmp(w, words[i], (size_t)(e - w)) == 0)
			return true;
	return false;
}

/* Four decimal octets "a.b.c.d" (0-255, no leading zeros) at S, nothing glued before or after.
 * Returns its length or 0. Does not look at what precedes S. */
static size_t quad(const char *s, size_t left)
{
	size_t k = 0;
	for (int o = 0; o < 4; o++) {
		size_t d = 0;
		unsigned v = 0;
		while (k + d < left && digit(s[k + d]) && d < 4)
			v = v * 10 + (unsigned)(s[k + d++] - '0');
		if (d == 0 || d > 3 || v > 255 || (d > 1 && s[k] == '0'))
			return 0;
		k += d;
		if (o < 3) {
			if (k >= left || s[k] != '.')
				return 0;
			k++;
		}
	}
	/* "1.2.3.4.5" and "1.2.3.4a" are not addresses; "1.2.3.4." ends a sentence */
	if (k < left && (alnum(s[k]) || s[k] == '_' || (s[k] == '.' && k + 1 < left && digit(s[k + 1]))))
		return 0;
	return k;
}

size_t redact_ipv4_at(const char *s, size_t left, const char *start)
{
	if (!digit(*s))
		return 0;
	/* glued to a name or a longer number: "mesa-23.1.2.1", "v1.2.3.4", "9.1.2.3.4" */
	if (s > start && (alnum(s[-1]) || strchr(".-_+~", s[-1])))
		return 0;
	if (after_version_word(s, start))
		return 0;
	return quad(s, left);
}

/* One to four hex digits at S followed by no fifth, not mixing cases ("Face" is a word);
 * returns their count or 0. *DEC is set when one is a decimal digit. */
static size_t group(const char *s, size_t left, bool *dec)
{
	size_t d = 0;
	bool upper = false, lower = false;
	while (d < left && hexc(s[d]) && d < 5) {
		upper |= isupper((unsigned char)s[d]);
		lower |= islower((unsigned char)s[d]);
		*dec |= digit(s[d]);
		d++;
	}
	return d >= 1 && d <= 4 && !(upper && lower) ? d : 0;
}

size_t redact_ipv6_at(const char *s, size_t left, const char *start)
{
	if (!hexc(*s) && *s != ':')
		return 0;
	if (s > start && (alnum(s[-1]) || strchr(":._-", s[-1])))
		return 0;
	size_t k = 0, groups = 0, digits = 0, widest = 0;
	bool dcolon = false, dec = false;
	if (left >= 2 && s[0] == ':' && s[1] == ':') {
		dcolon = true;
		k = 2;
	} else if (*s == ':') {
		return 0;
	}
	while (k < left && groups < 8) {
		/* an IPv4 tail takes the place of the last two groups: "::ffff:192.0.2.1" */
		size_t q = groups <= 6 ? quad(s + k, left - k) : 0;
		if (q && (groups > 0 || dcolon)) {
			k += q;
			groups += 2;
			digits += 4;
			widest = 4;
			dec = true;
			break;
		}
		size_t g = group(s + k, left - k, &dec);
		if (!g)
			break;
		k += g;
		groups++;
		digits += g;
		if (g > widest)
			widest = g;
		if (k + 1 < left && s[k] == ':' && s[k + 1] == ':' && !dcolon) {
			dcolon = true;
			k += 2;
		} else if (k + 1 < left && s[k] == ':' && hexc(s[k + 1])) {
			k++;
		} else {
			break;
		}
	}
	/* "ab::cd" or "dead::beef" are names more often than addresses: with "::", one group of
	 * three or more digits and one decimal digit */
	if (dcolon ? groups > 7 || groups < 2 || digits < 4 || widest < 3 || !dec : groups != 8)
		return 0;
	/* nothing glued after: "fe80::1x", "a::b::c", "1:2:3:4:5:6:7:8:9"; "fe80::1: text" is fine */
	bool more = k + 1 < left && (hexc(s[k + 1]) || s[k + 1] == ':');
	if (k < left && (alnum(s[k]) || s[k] == '_' || (s[k] == ':' && more) || (s[k] == '.' && k + 1 < left && alnum(s[k + 1]))))
		return 0;
	return k;
}

bool redact_ip_unremarkable(const char *v, size_t n)
{
	static const char *const plain[] = { "::1", "::", "0:0:0:0:0:0:0:1", "0:0:0:0:0:0:0:0" };
	for (size_t i = 0; i < sizeof(plain) / sizeof(plain[0]); i++)
		if (n == strlen(plain[i]) && strncmp(v, plain[i], n) == 0)
			return true;
	/* IPv4: this host (0/8), loopback (127/8) and netmasks / broadcast (255.x) say nothing */
	if (n >= 7 && digit(v[0]) && memchr(v, ':', n) == NULL) {
		unsigned first = 0;
		for (size_t i = 0; i < n && digit(v[i]); i++)
			first = first * 10 + (unsigned)(v[i] - '0');
		return first == 0 || first == 127 || first == 255;
	}
	return false;
}
