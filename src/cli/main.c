/* optimus-guest: options, dispatch, exit codes. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "cli/commands.h"
#include "cli/conventions.h"
#include "util/cleanup.h"

#ifdef OG_HELPER
/* optimus-guest-libvirt: the same front end over the helper's table */
#define commands helper_commands
#endif

#ifndef VERSION
#define VERSION "0.0.0"
#endif

static void print_help(FILE *f)
{
	fputs("Usage: optimus-guest [GLOBAL OPTIONS] COMMAND [ARGS]\n"
	      "\n"
	      "Make a VM guest's display stack work with an Intel GVT-g vGPU and a\n"
	      "passed-through muxless NVIDIA GPU.\n"
	      "\n"
	      "Global options (before or after the command):\n"
	      "  --root DIR         read the guest below DIR instead of / (a recorded tree)\n"
	      "  --snapshot FILE    replay a snapshot written by 'probe --json' instead of probing\n"
	      "  --providers FILE   RandR providers as 'xrandr --listproviders' prints them\n"
	      "  --display NAME     X display to ask for RandR providers (default $DISPLAY)\n"
	      "  --data-dir DIR     profiles, snippets and signatures from DIR (e.g. the source tree)\n"
	      "  --json             machine-readable output\n"
	      "  -h, --help         this help; 'optimus-guest COMMAND --help' for a command\n"
	      "  -V, --version      print the version\n"
	      "\n"
	      "Commands:\n", f);
	for (const struct command *c = commands; c->name; c++)
		fprintf(f, "  %-16s %s\n", c->name, c->summary);
	fputs("\nExit status: 0 success, 1 error, 2 usage error, 3 refused (known-broken\n"
	      "topology, or nothing in the matrix works on this guest).\n", f);
}

void cli_put_indented(FILE *f, const char *text, int indent)
{
	for (const char *p = text; *p;) {
		const char *nl = strchr(p, '\n');
		size_t n = nl ? (size_t)(nl - p) : strlen(p);
		fwrite(p, 1, n, f);
		if (!nl)
			break;
		fprintf(f, "\n%*s", indent, "");
		p = nl + 1;
	}
}

static void vmsg(const struct options *o, const char *kind, const char *fmt, va_list ap)
{
	char *msg = NULL;
	fprintf(stderr, "%s: %s", o && o->prog ? o->prog : "optimus-guest", kind);
	/* a multi-line text (a fix with a command on its own line) stays under the message */
	if (vasprintf(&msg, fmt, ap) >= 0) {
		cli_put_indented(stderr, msg, 4);
		free(msg);
	}
	fputc('\n', stderr);
}

void cli_error(const struct options *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(o, "", fmt, ap);
	va_end(ap);
}

void cli_warn(const struct options *o, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vmsg(o, "warning: ", fmt, ap);
	va_end(ap);
}

int cli_usage_error(const struct options *o, const char *cmd, const char *fmt, ...)
{
	va_list ap;
	char msg[512];
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (cmd)
		fprintf(stderr, "%s: %s; see '%s %s --help'\n", o->prog, msg, o->prog, cmd);
	else
		fprintf(stderr, "%s: %s; see '%s --help'\n", o->prog, msg, o->prog);
	return EXIT_USAGE;
}

struct global_opt {
	const char *name;
	const char **slot;   /* value option */
	bool *flag;          /* flag option */
};

/* Take a global option at argv[*i] if it is one; 1 taken, 0 not ours, -1 usage error. */
static int take_global(struct options *o, int argc, char **argv, int *i, const char *cmd)
{
	const struct global_opt g[] = {
		{ "--root", &o->root_path, NULL },
		{ "--snapshot", &o->snapshot_path, NULL },
		{ "--providers", &o->providers_path, NULL },
		{ "--display", &o->display, NULL },
		{ "--data-dir", &o->data_dir, NULL },
		{ "--json", NULL, &o->json },
	};
	const char *a = argv[*i];
	for (size_t k = 0; k < sizeof(g) / sizeof(g[0]); k++) {
		size_t n = strlen(g[k].name);
		if (strncmp(a, g[k].name, n) != 0 || (a[n] && a[n] != '='))
			continue;
		if (g[k].flag) {
			if (a[n] == '=') {
				cli_usage_error(o, cmd, "option '%s' takes no value", g[k].name);
				return -1;
			}
			*g[k].flag = true;
			return 1;
		}
		if (a[n] == '=') {
			*g[k].slot = a + n + 1;
		} else if (*i + 1 < argc) {
			*g[k].slot = argv[++*i];
		} else {
			cli_usage_error(o, cmd, "option '%s' needs a value", g[k].name);
			return -1;
		}
		if (!**g[k].slot) {
			cli_usage_error(o, cmd, "option '%s' needs a non-empty value", g[k].name);
			return -1;
		}
		if (g[k].slot == &o->root_path)
			o->root_given = true;
		return 1;
	}
	return 0;
}

/* Run from the source tree (build/optimus-guest, build-san/...): the data beside it, the
 * profiles/ and xorg-snippets/ of that tree. An installed binary keeps its compiled-in paths.
 * noinline: its buffers are gone before the command runs, not in main's frame beneath it. */
static __attribute__((noinline)) char *source_tree_data(void)
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n <= 0)
		return NULL;
	exe[n] = 0;
	char *slash = strrchr(exe, '/');
	if (!slash || slash == exe)
		return NULL;
	*slash = 0;                       /* .../build */
	char *dir = strrchr(exe, '/');
	if (!dir || (strcmp(dir, "/build") && strcmp(dir, "/build-san") && strcmp(dir, "/build-fuzz")))
		return NULL;
	*dir = 0;                         /* the tree */
	char probe[4200];
	static const char *const beside[] = { "profiles", "xorg-snippets", "signatures", "src/cli/main.c" };
	for (size_t i = 0; i < sizeof(beside) / sizeof(beside[0]); i++) {
		snprintf(probe, sizeof(probe), "%s/%s", exe[0] ? exe : "/", beside[i]);
		if (access(probe, F_OK) != 0)
			return NULL;
	}
	return strdup(exe[0] ? exe : "/");
}

int main(int argc, char **argv)
{
	struct options o = {
		.prog = "optimus-guest",
		.root_path = "/",
	};
	_cleanup_free_ char *tree = NULL;
	const char *nc = getenv("NO_COLOR");
	o.color = isatty(STDOUT_FILENO) && !(nc && *nc);

	const struct command *cmd = NULL;
	_cleanup_free_ char **cargv = calloc((size_t)argc + 1, sizeof(char *));
	int cargc = 0;
	bool verbatim = false, help = false;
	if (!cargv)
		return EXIT_FAIL;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (verbatim) {
			cargv[cargc++] = argv[i];
			continue;
		}
		if (strcmp(a, "--") == 0) {
			if (!cmd)
				return cli_usage_error(&o, NULL, "'--' before a command");
			verbatim = true;
			cargv[cargc++] = argv[i];
			continue;
		}
		int t = take_global(&o, argc, argv, &i, cmd ? cmd->name : NULL);
		if (t < 0)
			return EXIT_USAGE;
		if (t > 0)
			continue;
		if (!cmd) {
			if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				help = true;
				continue;
			}
			if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
				printf("optimus-guest %s\n", VERSION);
				return EXIT_OK;
			}
			if (a[0] == '-')
				return cli_unknown_option(&o, NULL, NULL, NULL, a);
			const char *names[64];
			size_t n = 0;
			for (const struct command *c = commands; c->name; c++) {
				if (strcmp(c->name, a) == 0)
					cmd = c;
				if (n < 63)
					names[n++] = c->name;
			}
			names[n] = NULL;
			if (!cmd)
				return cli_unknown_word(&o, NULL, "command", a, names);
			cargv[cargc++] = argv[i];
			continue;
		}
		if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
			help = true;
			continue;
		}
		if (strcmp(a, "-V") == 0 || strcmp(a, "--version") == 0) {
			printf("optimus-guest %s\n", VERSION);
			return EXIT_OK;
		}
		cargv[cargc++] = argv[i];
		/* after run's program name (an operand that is no option's value) everything is the program's */
		if (cli_starts_verbatim(cmd, cargv, cargc))
			verbatim = true;
	}

	if (help) {
		if (cmd)
			fputs(cmd->usage, stdout);
		else
			print_help(stdout);
		return EXIT_OK;
	}
	if (!cmd) {
		print_help(stderr);
		return EXIT_USAGE;
	}
	if (o.json && !cmd->json)
		return cli_no_json(&o, cmd->name, cmd->name);
	/* run from a source tree, the data beside it; --data-dir and OPTIMUS_GUEST_DATA_DIR win
	 * (asked only now: reading /proc/self/exe is the dearest system call of a short run) */
	const char *env_data = getenv("OPTIMUS_GUEST_DATA_DIR");
	if (!o.data_dir && !(env_data && *env_data) && (tree = source_tree_data()))
		o.data_dir = tree;
	int chk = cli_check_args(&o, cmd, cargc, cargv);
	if (chk != EXIT_OK)
		return chk;
	optind = 0;
	opterr = 0;  /* commands say what is wrong in one line of their own */
	return cmd->run(&o, cargc, cargv);
}
