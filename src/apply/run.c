/* optimus-guest run: add the profile's offload variables and become the program.
 * execvp replaces this process, so the program's exit status and signals are
 * the caller's to see directly (a shell shows a SIGTERM death as 143). */
#include "apply/run.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static bool name_ok(const char *s, size_t n)
{
	if (!n || (s[0] >= '0' && s[0] <= '9'))
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = s[i];
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
			return false;
	}
	return true;
}

int run_env_check(const struct strv *env, struct err *e)
{
	for (size_t i = 0; i < env->n; i++) {
		const char *eq = strchr(env->v[i], '=');
		if (!eq || !name_ok(env->v[i], (size_t)(eq - env->v[i]))) {
			err_set(e, "offload variable '%s' is not NAME=value with a shell variable name; fix the profile", env->v[i]);
			return -EINVAL;
		}
	}
	return 0;
}

void run_shell_quote(struct buf *b, const char *s)
{
	bool bare = *s != 0;
	for (const char *p = s; *p && bare; p++)
		bare = strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.,:/@%+=", *p) != NULL;
	if (bare) {
		buf_puts(b, s);
		return;
	}
	buf_puts(b, "'");
	for (const char *p = s; *p; p++) {
		if (*p == '\'')
			buf_puts(b, "'\\''");
		else
			buf_append(b, p, 1);
	}
	buf_puts(b, "'");
}

int run_exports(const struct strv *env, struct buf *out, struct err *e)
{
	int rc = run_env_check(env, e);
	if (rc < 0)
		return rc;
	for (size_t i = 0; i < env->n; i++) {
		const char *eq = strchr(env->v[i], '=');
		buf_puts(out, "export ");
		buf_append(out, env->v[i], (size_t)(eq - env->v[i]) + 1);
		run_shell_quote(out, eq + 1);
		buf_puts(out, "\n");
	}
	return out->oom ? -ENOMEM : 0;
}

int run_exec(const struct strv *env, char *const argv[], struct err *e)
{
	int rc = run_env_check(env, e);
	if (rc < 0)
		return rc;
	if (!argv || !argv[0]) {
		err_set(e, "no program to run");
		return -EINVAL;
	}
	for (size_t i = 0; i < env->n; i++) {
		char *eq = strchr(env->v[i], '=');
		*eq = 0;
		int r = setenv(env->v[i], eq + 1, 1);
		*eq = '=';
		if (r < 0) {
			err_set(e, "cannot set %s: %s", env->v[i], strerror(errno));
			return -errno;
		}
	}
	execvp(argv[0], argv);
	int errsv = errno;
	err_set(e, "cannot run '%s': %s%s", argv[0], strerror(errsv),
		errsv == ENOENT ? " (not found in PATH)" : "");
	return -errsv;
}
