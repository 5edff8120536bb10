/* Text is bytes: json_text keeps any byte string, json_text_dup gives back the very bytes,
 * and a hand-edited value that is not one of ours is refused, never misread. */
#include "testutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "util/cleanup.h"
#include "util/json.h"

static void round_trip(const char *s)
{
	json_t *j = json_text(s);
	assert_non_null(j);
	/* through text, as a snapshot file goes */
	char *dumped = json_dumps(j, JSON_ENCODE_ANY);
	assert_non_null(dumped);
	json_error_t je;
	json_t *back = json_loads(dumped, JSON_DECODE_ANY, &je);
	assert_non_null(back);
	char *out = NULL;
	assert_int_equal(json_text_dup(back, &out), 0);
	assert_string_equal(out, s);
	free(out);
	free(dumped);
	json_decref(back);
	json_decref(j);
}

static void test_valid_stays_a_string(void **st)
{
	json_t *j = json_text("caf\xc3\xa9 a\\b");
	assert_true(json_is_string(j));
	assert_string_equal(json_string_value(j), "caf\xc3\xa9 a\\b");
	json_decref(j);
	j = json_text(NULL);
	assert_true(json_is_null(j));
	json_decref(j);
}

static void test_invalid_is_escaped(void **st)
{
	json_t *j = json_text("Caf\xe9 a\\b \xc3\xa9 \xed\xa0\x80 \xc0\xaf \xf4\x90\x80\x80");
	assert_true(json_is_object(j));
	assert_string_equal(json_string_value(json_object_get(j, "escaped")),
			    "Caf\\xe9 a\\\\b \xc3\xa9 \\xed\\xa0\\x80 \\xc0\\xaf \\xf4\\x90\\x80\\x80");
	json_decref(j);
}

static void test_round_trips(void **st)
{
	round_trip("plain");
	round_trip("");
	round_trip("\xff");
	round_trip("\\x41 literally, and \xfe");
	round_trip("trail \xe2\x82");   /* a sequence cut at the end */
	/* every byte value in every position, with a stray byte to force the escaped form */
	char s[600];
	size_t n = 0;
	for (int b = 1; b < 256; b++) {
		s[n++] = (char)b;
		s[n++] = (char)(b * 7 + 1 ? b * 7 + 1 : 1);
	}
	for (size_t i = 0; i < n; i++)
		if (!s[i])
			s[i] = 'x';
	s[n] = 0;
	round_trip(s);
	srand(7);
	for (int k = 0; k < 2000; k++) {
		size_t len = (size_t)(rand() % 24);
		for (size_t i = 0; i < len; i++)
			s[i] = (char)(1 + rand() % 255);
		s[len] = 0;
		round_trip(s);
	}
}

static void test_hostile_values_refused(void **st)
{
	static const char *const bad[] = {
		"{\"escaped\": \"a\\\\x4\"}",       /* cut escape */
		"{\"escaped\": \"a\\\\q\"}",        /* unknown escape */
		"{\"escaped\": \"a\\\\\"}",         /* lone backslash at the end */
		"{\"escaped\": \"a\\\\x00b\"}",     /* a NUL would cut the string */
		"{\"escaped\": \"a\\\\xg0\"}",
		"{\"escaped\": 5}",
		"{\"escaped\": \"a\", \"more\": 1}",
		"{\"other\": \"a\"}",
		"[\"a\"]",
		"42",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(*bad); i++) {
		json_error_t je;
		json_t *v = json_loads(bad[i], JSON_DECODE_ANY, &je);
		assert_non_null(v);
		char *out = (char *)1;
		if (json_text_dup(v, &out) != -EINVAL)
			fail_msg("accepted %s", bad[i]);
		assert_null(out);
		json_decref(v);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_stays_a_string),
		cmocka_unit_test(test_invalid_is_escaped),
		cmocka_unit_test(test_round_trips),
		cmocka_unit_test(test_hostile_values_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
