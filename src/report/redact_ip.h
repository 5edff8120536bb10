/* IP addresses by shape, for redact.c. Each *_at function looks at S (LEFT bytes to the end of
 * the text that begins at START) and returns the length of the address that starts there, or 0. */
#pragma once
#include <stdbool.h>
#include <stddef.h>

/* "192.0.2.1": four octets 0-255 without leading zeros, not glued to a name or a longer
 * number ("mesa-23.1.2.1", "1.2.3.4.5") and not after a version word ("X Server 1.21.1.7",
 * "version 1.2.3.4"). */
size_t redact_ipv4_at(const char *s, size_t left, const char *start);
/* "2001:db8::1", "fe80::5054:ff:fe12:3456", "::ffff:192.0.2.1", eight groups without "::".
 * Not "0000:01:00.0", "10:01:02", "std::string"; with "::" it needs two groups, one of
 * them of three or more hex digits, and a decimal digit; no group mixes cases ("Bad::Face"). */
size_t redact_ipv6_at(const char *s, size_t left, const char *start);
/* Loopback, "this host", netmasks and broadcast: nothing to hide. */
bool redact_ip_unremarkable(const char *v, size_t n);
