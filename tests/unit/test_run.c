/* run.c: a decision's offload variables reach the program; exit status and
 * signals pass through exec unchanged; quoting for eval. */
#include "testutil.h"

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "plan/plan.h"
#include "apply/run.h"

/* The decision the planner gives for gvt-nvidia-offload, built by hand. */
static void nvidia_decision(struct decision *d)
{
	memset(d, 0, sizeof(*d));
	strv_push(&d->offload_env, "__NV_PRIME_RENDER_OFFLOAD=1");
	strv_push(&d->offload_env, "__GLX_VENDOR_LIBRARY_NAME=nvidia");
	strv_push(&d->offload_env, "__VK_LAYER_NV_optimus=NVIDIA_only");
}

/* fork, run_exec in the child, return the raw wait status */
static int spawn(const struct strv *env, const char *script)
{
	char *argv[] = { "sh", "-c", (char *)script, NULL };
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct err e = {0};
		int rc = run_exec(env, argv, &e);
		_exit(rc == -ENOENT ? 127 : 126);
	}
	int st = 0;
	assert_int_equal(waitpid(pid, &st, 0), pid);
	return st;
}

static void test_env_passed(void **state)
{
	struct decision d;
	nvidia_decision(&d);
	int st = spawn(&d.offload_env, "test \"$__NV_PRIME_RENDER_OFFLOAD\" = 1 && test \"$__GLX_VENDOR_LIBRARY_NAME\" = nvidia"
				       " && test \"$__VK_LAYER_NV_optimus\" = NVIDIA_only && test -n \"$PATH\"");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 0);
	strv_clear(&d.offload_env);
}

static void test_exit_status(void **state)
{
	struct strv env = {0};
	strv_push(&env, "DRI_PRIME=pci-0000_01_00_0");
	int st = spawn(&env, "test \"$DRI_PRIME\" = pci-0000_01_00_0 || exit 1; exit 7");
	assert_true(WIFEXITED(st));
	assert_int_equal(WEXITSTATUS(st), 7);
	strv_clear(&env);
}

static void test_signal(void **state)
{
	struct strv env = {0};
	int st = spawn(&env, "kill -TERM $$");
	assert_true(WIFSIGNALED(st));   /* the program's own death, not an exit code of ours */
	assert_int_equal(WTERMSIG(st), SIGTERM);
}

static void test_exec_failure(void **state)
{
	struct strv env = {0};
	struct err e = {0};
	char *argv[] = { "/nonexistent/optimus-guest-test", NULL };
	assert_int_equal(run_exec(&env, argv, &e), -ENOENT);
	assert_non_null(strstr(e.msg, "cannot run '/nonexistent/optimus-guest-test'"));
	char *none[] = { NULL };
	assert_int_equal(run_exec(&env, none, &e), -EINVAL);
	strv_push(&env, "1BAD=x");
	assert_int_equal(run_exec(&env, argv, &e), -EINVAL);
	assert_non_null(strstr(e.msg, "'1BAD=x'"));
	strv_clear(&env);
	strv_push(&env, "NOEQUALS");
	assert_int_equal(run_env_check(&env, &e), -EINVAL);
	strv_clear(&env);
}

static void test_exports(void **state)
{
	struct strv env = {0};
	struct err e = {0};
	struct buf b = {0};
	strv_push(&env, "DRI_PRIME=pci-0000_01_00_0");
	strv_push(&env, "ODD=it's a $value");
	strv_push(&env, "EMPTY=");
	assert_int_equal(run_exports(&env, &b, &e), 0);
	assert_string_equal(b.s, "export DRI_PRIME=pci-0000_01_00_0\n"
				 "export ODD='it'\\''s a $value'\n"
				 "export EMPTY=''\n");
	buf_free(&b);
	strv_clear(&env);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_env_passed),
		cmocka_unit_test(test_exit_status),
		cmocka_unit_test(test_signal),
		cmocka_unit_test(test_exec_failure),
		cmocka_unit_test(test_exports),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
