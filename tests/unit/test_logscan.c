/* The log scanner on healthy logs, hostile input (1 MB lines, binary garbage, invalid UTF-8,
 * NULs, FIFOs) and its bounds; the log sources under a root. */
#include "testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "report/litmatch.h"
#include "report/logscan.h"
#include "report/logsrc.h"
#include "util/buf.h"
#include "util/cleanup.h"

static struct signature_set sigs;

static int setup(void **state)
{
	(void)state;
	struct err e = {0};
	const char *top = getenv("TOP");
	char dir[4096];
	snprintf(dir, sizeof(dir), "%s/signatures", top ? top : ".");
	if (signature_set_load_dir(&sigs, dir, &e) < 0) {
		fprintf(stderr, "%s\n", e.msg);
		return -1;
	}
	return 0;
}

static int teardown(void **state)
{
	(void)state;
	signature_set_clear(&sigs);
	return 0;
}

static void scan_buf(const void *buf, size_t n, enum log_kind kind, struct findings *f, struct logscan_stats *st)
{
	struct logscan *ls = malloc(sizeof(*ls));
	assert_non_null(ls);
	logscan_init(ls, &sigs, kind, "test.log", f);
	logscan_feed(ls, buf, n);
	assert_int_equal(logscan_finish(ls), 0);
	if (st)
		*st = ls->st;
	free(ls);
}

static const struct finding *find(const struct findings *f, const char *id)
{
	for (size_t i = 0; i < f->n; i++)
		if (strcmp(f->v[i].id, id) == 0)
			return &f->v[i];
	return NULL;
}

static char *slurp(const char *rel, size_t *len)
{
	const char *top = getenv("TOP");
	char path[4096];
	snprintf(path, sizeof(path), "%s/%s", top ? top : ".", rel);
	FILE *fp = fopen(path, "rb");
	assert_non_null(fp);
	char *s = malloc(1 << 20);
	assert_non_null(s);
	*len = fread(s, 1, (1 << 20) - 1, fp);
	fclose(fp);
	return s;
}

static void test_healthy_logs(void **state)
{
	(void)state;
	static const struct { const char *path; enum log_kind kind; } logs[] = {
		{ "tests/logs/healthy/kern.log", LOG_KERNEL },
		{ "tests/logs/healthy/Xorg.0.log", LOG_XORG },
	};
	for (size_t i = 0; i < ARRAY_SIZE(logs); i++) {
		size_t len;
		_cleanup_free_ char *s = slurp(logs[i].path, &len);
		struct findings f = {0};
		struct logscan_stats st;
		scan_buf(s, len, logs[i].kind, &f, &st);
		assert_true(st.lines > 20);
		assert_int_equal(findings_count(&f, SEV_ERROR), 0);
		assert_int_equal(findings_count(&f, SEV_WARNING), 0);
		/* also with every signature (as for --log files) */
		struct findings g = {0};
		scan_buf(s, len, LOG_ANY, &g, NULL);
		assert_int_equal(findings_count(&g, SEV_ERROR) + findings_count(&g, SEV_WARNING), 0);
		if (logs[i].kind == LOG_KERNEL)
			assert_non_null(find(&f, "gvt-vgpu-detected"));
		findings_clear(&f);
		findings_clear(&g);
	}
}

static const char bad_line[] = "nouveau 0000:01:00.0: bios: unable to locate usable image";

static void test_line_numbers_and_dedupe(void **state)
{
	(void)state;
	struct buf b = {0};
	buf_puts(&b, "first\nsecond\n");
	for (int i = 0; i < 5; i++)
		buf_printf(&b, "%s\n", bad_line);
	struct findings f = {0};
	scan_buf(b.s, b.len, LOG_KERNEL, &f, NULL);
	const struct finding *x = find(&f, "nouveau-vbios-not-found");
	assert_non_null(x);
	assert_int_equal(x->line, 3);
	assert_int_equal(x->count, 5);
	assert_string_equal(x->text, bad_line);
	assert_string_equal(x->source, "test.log");
	assert_string_equal(x->confirms, "efi-rom-handover");
	assert_int_equal(f.n, 1);
	findings_clear(&f);
	buf_free(&b);
}

static void test_megabyte_line(void **state)
{
	(void)state;
	size_t big = 1 << 20;
	struct buf b = {0};
	buf_puts(&b, bad_line);   /* the signature at the start of a 1 MB line is still seen */
	char *pad = malloc(big);
	assert_non_null(pad);
	memset(pad, 'x', big);
	buf_append(&b, pad, big);
	buf_puts(&b, "\nqxl 0000:00:03.0: swiotlb buffer is full (sz: 299008 bytes)\n");
	free(pad);
	struct findings f = {0};
	struct logscan_stats st;
	scan_buf(b.s, b.len, LOG_KERNEL, &f, &st);
	assert_int_equal(st.lines, 2);
	assert_int_equal(st.truncated, 1);
	const struct finding *x = find(&f, "nouveau-vbios-not-found");
	assert_non_null(x);
	assert_int_equal(x->line, 1);
	assert_true(strlen(x->text) <= FINDING_MAX_TEXT);
	x = find(&f, "qxl-swiotlb-full");
	assert_non_null(x);
	assert_int_equal(x->line, 2);
	findings_clear(&f);
	buf_free(&b);
}

static void test_binary_garbage(void **state)
{
	(void)state;
	size_t n = 256 * 1024;
	unsigned char *g = malloc(n);
	assert_non_null(g);
	unsigned x = 12345;
	for (size_t i = 0; i < n; i++) {
		x = x * 1103515245u + 12345u;
		g[i] = (unsigned char)(x >> 16);
	}
	struct findings f = {0};
	struct logscan_stats st;
	scan_buf(g, n, LOG_ANY, &f, &st);
	assert_true(st.binary > 0);
	assert_true(st.nul_bytes > 0);
	assert_int_equal(f.n, 0);
	/* garbage, then a real line: the real line is still found */
	struct buf b = {0};
	buf_append(&b, (const char *)g, 4096);
	buf_printf(&b, "\n%s\n", bad_line);
	scan_buf(b.s, b.len, LOG_KERNEL, &f, NULL);
	assert_non_null(find(&f, "nouveau-vbios-not-found"));
	findings_clear(&f);
	buf_free(&b);
	free(g);
}

static bool valid_utf8(const char *s)
{
	char *c = strdup(s);
	size_t bad = logscan_sanitize(c, strlen(c));
	free(c);
	return bad == 0;
}

static void test_invalid_utf8_and_nul(void **state)
{
	(void)state;
	/* an invalid byte, an overlong '/', a lone surrogate, a cut sequence, and a NUL run (the
	 * zero fill after an unclean shutdown) in front of the line */
	static const char t[] = "\0\0\0\0[    2.690] \xff\xc0\xaf\xed\xa0\x80 nouveau 0000:01:00.0: bios: unable to locate usable image \xe2\x82\n"
				"caf\xc3\xa9 ok\n";
	struct findings f = {0};
	struct logscan_stats st;
	scan_buf(t, sizeof(t) - 1, LOG_KERNEL, &f, &st);
	assert_int_equal(st.nul_bytes, 4);
	assert_int_equal(st.invalid_utf8, 1);
	assert_int_equal(st.binary, 0);
	const struct finding *x = find(&f, "nouveau-vbios-not-found");
	assert_non_null(x);
	assert_true(valid_utf8(x->text));
	assert_null(strchr(x->text, '\xff'));
	findings_clear(&f);
}

static void test_crlf_and_no_final_newline(void **state)
{
	(void)state;
	static const char t[] = "a\r\n(EE) modeset(0): No modes.\r\n[    49.893] no screens found";
	struct findings f = {0};
	scan_buf(t, sizeof(t) - 1, LOG_XORG, &f, NULL);
	assert_non_null(find(&f, "xorg-modeset-no-modes"));
	const struct finding *x = find(&f, "xorg-no-screens");
	assert_non_null(x);
	assert_int_equal(x->line, 3);
	assert_null(strchr(find(&f, "xorg-modeset-no-modes")->text, '\r'));
	findings_clear(&f);
}

static void test_byte_by_byte(void **state)
{
	(void)state;
	size_t len;
	_cleanup_free_ char *s = slurp("tests/fixtures/no-efi-handover/var/log/kern.log", &len);
	struct findings a = {0}, b = {0};
	scan_buf(s, len, LOG_KERNEL, &a, NULL);
	struct logscan *ls = malloc(sizeof(*ls));
	logscan_init(ls, &sigs, LOG_KERNEL, "test.log", &b);
	for (size_t i = 0; i < len; i++)
		logscan_feed(ls, s + i, 1);
	logscan_finish(ls);
	free(ls);
	assert_int_equal(a.n, b.n);
	assert_true(a.n >= 3);
	for (size_t i = 0; i < a.n; i++) {
		assert_string_equal(a.v[i].id, b.v[i].id);
		assert_int_equal(a.v[i].line, b.v[i].line);
		assert_string_equal(a.v[i].text, b.v[i].text);
	}
	findings_clear(&a);
	findings_clear(&b);
}

static void test_findings_cap(void **state)
{
	(void)state;
	struct findings f = {0};
	for (int i = 0; i < FINDINGS_MAX + 44; i++) {
		char src[32];
		snprintf(src, sizeof(src), "log%d", i);
		assert_int_equal(findings_add(&f, "x", SEV_ERROR, "m", "f", NULL, src, 1, "t"), 0);
	}
	assert_int_equal(f.n, FINDINGS_MAX);
	assert_int_equal(f.dropped, 44);
	findings_clear(&f);
}

static void test_kmsg_record(void **state)
{
	(void)state;
	static const char rec[] = "3,912,2690000,-;nouveau 0000:01:00.0: bios: unable to locate usable image\n SUBSYSTEM=pci\n DEVICE=+pci:0000:01:00.0\n";
	struct findings f = {0};
	struct logscan *ls = malloc(sizeof(*ls));
	logscan_init(ls, &sigs, LOG_KERNEL, "/dev/kmsg", &f);
	logscan_kmsg_record(ls, rec, sizeof(rec) - 1);
	logscan_kmsg_record(ls, "garbage without a semicolon", 27);
	logscan_finish(ls);
	assert_int_equal(ls->st.lines, 1);
	free(ls);
	assert_non_null(find(&f, "nouveau-vbios-not-found"));
	assert_string_equal(f.v[0].text, bad_line);
	findings_clear(&f);
}

static void test_sources_fifo_and_dirs(void **state)
{
	(void)state;
	char tmpl[] = "/tmp/og-logscan-XXXXXX";
	char *dir = mkdtemp(tmpl);
	assert_non_null(dir);
	char p[4200];
	snprintf(p, sizeof(p), "%s/var", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/var/log", dir);
	assert_int_equal(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/var/log/kern.log", dir);
	assert_int_equal(mkfifo(p, 0644), 0);        /* a FIFO where a log should be: no hang */
	snprintf(p, sizeof(p), "%s/var/log/Xorg.0.log", dir);
	assert_int_equal(mkdir(p, 0755), 0);         /* a directory too */
	snprintf(p, sizeof(p), "%s/var/log/Xorg.1.log", dir);
	FILE *fp = fopen(p, "w");
	assert_non_null(fp);
	fputs("[  1537.967] (EE) modeset(0): No modes.\n", fp);
	fclose(fp);

	struct root r = { .fd = -1 };
	struct err e = {0};
	assert_int_equal(root_open_dir(&r, dir, &e), 0);
	struct log_scan ls = { .sigs = &sigs };
	assert_int_equal(logsrc_scan_root(&ls, &r), 0);
	assert_int_equal(ls.n, 3);
	size_t notes = 0;
	for (size_t i = 0; i < ls.n; i++)
		notes += ls.v[i].note != NULL;
	assert_int_equal(notes, 2);
	assert_non_null(find(&ls.findings, "xorg-modeset-no-modes"));
	assert_string_equal(ls.findings.v[0].source, "var/log/Xorg.1.log");

	/* --log: a FIFO is refused at once, a missing file says so */
	snprintf(p, sizeof(p), "%s/var/log/kern.log", dir);
	assert_int_equal(logsrc_scan_path(&ls, p, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "is not a regular file"));
	assert_int_equal(logsrc_scan_path(&ls, "/nonexistent/x.log", &e), -ENOENT);
	log_scan_clear(&ls);
	root_close(&r);

	char cmd[4300];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* ---- the fast path (one literal pass per block) against every line through the regexes ---- */

struct scan_result {
	struct findings f;
	struct logscan_stats st;
	unsigned long learned;   /* on_line calls */
};

static void count_line(void *user, const char *line, size_t len)
{
	(void)line;
	(void)len;
	(*(unsigned long *)user)++;
}

static void scan_mode(const char *buf, size_t n, size_t chunk, enum log_kind kind, bool each_line,
		      const char *learn, struct scan_result *r)
{
	struct logscan *ls = malloc(sizeof(*ls));
	assert_non_null(ls);
	memset(r, 0, sizeof(*r));
	logscan_init(ls, &sigs, kind, "test.log", &r->f);
	ls->each_line = each_line;
	if (learn) {
		ls->on_line = count_line;
		static const char *list[2];
		list[0] = learn;
		ls->on_line_literals = list;
		ls->user = &r->learned;
	}
	for (size_t off = 0; off < n; off += chunk)
		logscan_feed(ls, buf + off, n - off < chunk ? n - off : chunk);
	assert_int_equal(logscan_finish(ls), 0);
	r->st = ls->st;
	free(ls);
}

static void same_results(const struct scan_result *a, const struct scan_result *b, const char *what)
{
	if (a->f.n != b->f.n || memcmp(&a->st, &b->st, sizeof(a->st)) != 0)
		fail_msg("%s: %zu findings and %lu lines (%lu cut, %lu binary, %lu invalid, %lu NUL) in one pass, "
			 "%zu and %lu lines (%lu, %lu, %lu, %lu) line by line", what, a->f.n, a->st.lines,
			 a->st.truncated, a->st.binary, a->st.invalid_utf8, a->st.nul_bytes, b->f.n, b->st.lines,
			 b->st.truncated, b->st.binary, b->st.invalid_utf8, b->st.nul_bytes);
	for (size_t i = 0; i < a->f.n; i++) {
		const struct finding *x = &a->f.v[i], *y = &b->f.v[i];
		if (strcmp(x->id, y->id) != 0 || x->line != y->line || x->count != y->count || strcmp(x->text, y->text) != 0)
			fail_msg("%s: finding %zu is %s line %u x%u, line by line %s line %u x%u", what, i, x->id, x->line,
				 x->count, y->id, y->line, y->count);
	}
}

/* A log of real lines, the signatures' own lines, and the damage real logs have. */
static void hostile_log(struct buf *b, unsigned seed)
{
	static const char *const files[] = {
		"tests/logs/healthy/kern.log", "tests/logs/healthy/Xorg.0.log",
		"tests/logs/broken/kern.log", "tests/logs/broken/Xorg.0.log",
		"tests/fixtures/no-efi-handover/var/log/kern.log",
	};
	static const char *const extra[] = {
		"nouveau 0000:01:00.0: bios: unable to locate usable image",
		"[    49.893] (EE) no screens found(EE)",
		"NVRM: GPU 0000:07:00.0: Failed to copy vbios to system memory.",
		"qxl 0000:00:01.0: swiotlb buffer is full (sz: 299008 bytes)",
		"[    12.000] Current Operating System: Linux guest 6.1.0 #1 SMP",
		"unable to locate usable imag",           /* a literal cut one byte short */
		"xorg: modeset(0): No modes.",             /* the literal, not the regex */
	};
	unsigned x = seed;
#define RND() (x = x * 1103515245u + 12345u, x >> 16)
	for (size_t f = 0; f < ARRAY_SIZE(files); f++) {
		size_t len;
		_cleanup_free_ char *s = slurp(files[f], &len);
		for (size_t i = 0; i < len; i++) {
			buf_append(b, s + i, 1);
			if (s[i] != '\n')
				continue;
			switch (RND() % 40) {
			case 0: buf_printf(b, "%s\n", extra[RND() % ARRAY_SIZE(extra)]); break;
			case 1: buf_printf(b, "%s\r\n", extra[RND() % ARRAY_SIZE(extra)]); break;
			case 2: buf_append(b, "\0\0\0", 3); break;
			case 3: buf_printf(b, "caf\xc3\xa9 \xff %s\n", extra[RND() % ARRAY_SIZE(extra)]); break;
			case 4: {   /* a long line with a signature before and after the cut */
				buf_puts(b, extra[0]);
				for (int k = 0; k < 5000; k++)
					buf_puts(b, "x");
				buf_printf(b, "%s\n", extra[3]);
				break;
			}
			case 5: {
				char g[64];
				for (size_t k = 0; k < sizeof(g); k++)
					g[k] = (char)RND();
				buf_append(b, g, sizeof(g));
				buf_puts(b, "\n");
				break;
			}
			case 6: buf_puts(b, "\n\n"); break;
			default: break;
			}
		}
	}
	buf_puts(b, extra[RND() % ARRAY_SIZE(extra)]);   /* no final newline */
#undef RND
}

static void test_fast_equals_each_line(void **state)
{
	(void)state;
	static const size_t chunks[] = { 1, 7, 100, 4096, 65536, SIZE_MAX };
	static const enum log_kind kinds[] = { LOG_KERNEL, LOG_XORG, LOG_ANY };
	for (unsigned seed = 1; seed <= 3; seed++) {
		struct buf b = {0};
		hostile_log(&b, seed);
		assert_false(b.oom);
		for (size_t k = 0; k < ARRAY_SIZE(kinds); k++)
			for (size_t c = 0; c < ARRAY_SIZE(chunks); c++) {
				if (chunks[c] == 1 && seed > 1)
					continue;
				struct scan_result fast, slow;
				char what[96];
				snprintf(what, sizeof(what), "seed %u, %s log, chunks of %zu", seed, log_kind_name(kinds[k]), chunks[c]);
				scan_mode(b.s, b.len, chunks[c], kinds[k], false, "Current Operating System: ", &fast);
				scan_mode(b.s, b.len, chunks[c], kinds[k], true, "Current Operating System: ", &slow);
				same_results(&fast, &slow, what);
				assert_true(fast.f.n >= 3);
				assert_true(fast.learned > 0 && fast.learned <= slow.learned);
				findings_clear(&fast.f);
				findings_clear(&slow.f);
			}
		buf_free(&b);
	}
}

/* on_line sees the lines with its literal (redaction learns host names from them). */
static void test_on_line_literal(void **state)
{
	(void)state;
	static const char t[] = "a\nCurrent Operating System: Linux myhost 6.1\nb\nc Current Operating System: x\n";
	struct scan_result r;
	scan_mode(t, sizeof(t) - 1, SIZE_MAX, LOG_XORG, false, "Current Operating System: ", &r);
	assert_int_equal(r.learned, 2);
	assert_int_equal(r.st.lines, 4);
	findings_clear(&r.f);
}

static const char *naive_find(const char *const *lits, size_t n, const char *p, const char *e)
{
	for (; p < e; p++)
		for (size_t i = 0; i < n; i++)
			if ((size_t)(e - p) >= strlen(lits[i]) && memcmp(p, lits[i], strlen(lits[i])) == 0)
				return p;
	return NULL;
}

/* The matcher finds the leftmost literal, as a plain search does, on text made of few letters
 * (many near misses, overlaps, literals at both ends). */
static void test_litmatch(void **state)
{
	(void)state;
	static const char *const lits[] = { "abab", "bba", "aab", "baab", "abbbbbbb" };
	size_t lens[ARRAY_SIZE(lits)];
	for (size_t i = 0; i < ARRAY_SIZE(lits); i++)
		lens[i] = strlen(lits[i]);
	struct litmatch *m = malloc(sizeof(*m));
	assert_non_null(m);
	assert_int_equal(litmatch_build(m, lits, lens, ARRAY_SIZE(lits)), 0);
	assert_int_equal(m->m, 3);
	unsigned x = 7;
	char text[64];
	for (int round = 0; round < 20000; round++) {
		size_t n = (x = x * 1103515245u + 12345u, x >> 16) % sizeof(text);
		for (size_t i = 0; i < n; i++)
			text[i] = "ab\n"[(x = x * 1103515245u + 12345u, x >> 16) % 3];
		const char *want = naive_find(lits, ARRAY_SIZE(lits), text, text + n);
		const char *got = litmatch_find(m, text, text + n);
		if (got != want)
			fail_msg("round %d: '%.*s': found at %td, wanted %td", round, (int)n, text, got ? got - text : -1,
				 want ? want - text : -1);
	}
	/* refused: no literal, a literal of one byte */
	assert_int_equal(litmatch_build(m, lits, lens, 0), -EINVAL);
	const char *one[] = { "x" };
	size_t onel[] = { 1 };
	assert_int_equal(litmatch_build(m, one, onel, 1), -EINVAL);
	free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_healthy_logs),
		cmocka_unit_test(test_line_numbers_and_dedupe),
		cmocka_unit_test(test_megabyte_line),
		cmocka_unit_test(test_binary_garbage),
		cmocka_unit_test(test_invalid_utf8_and_nul),
		cmocka_unit_test(test_crlf_and_no_final_newline),
		cmocka_unit_test(test_byte_by_byte),
		cmocka_unit_test(test_findings_cap),
		cmocka_unit_test(test_kmsg_record),
		cmocka_unit_test(test_sources_fifo_and_dirs),
		cmocka_unit_test(test_fast_equals_each_line),
		cmocka_unit_test(test_on_line_literal),
		cmocka_unit_test(test_litmatch),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
