/* The command line's conventions in one place, driven by the command table (commands.c):
 * every command's options are checked here before it runs, so a misspelled option or
 * command gets "did you mean", every error names an option the same way ("unknown option",
 * "needs a value", "takes no value", "unexpected operand"), and --json is refused by a
 * command that has no machine-readable output instead of being ignored. A new command gets
 * all of it by filling .options, .shortopts, .json and .subcommands in its table entry. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "cli/conventions.h"

/* Optimal string alignment distance (a swap of two neighbours counts one), bounded words. */
static size_t distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t d[65][65];
	for (size_t i = 0; i <= la; i++)
		d[i][0] = i;
	for (size_t j = 0; j <= lb; j++)
		d[0][j] = j;
	for (size_t i = 1; i <= la; i++)
		for (size_t j = 1; j <= lb; j++) {
			size_t cost = a[i - 1] != b[j - 1];
			size_t v = d[i - 1][j] + 1;
			if (d[i][j - 1] + 1 < v)
				v = d[i][j - 1] + 1;
			if (d[i - 1][j - 1] + cost < v)
				v = d[i - 1][j - 1] + cost;
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && d[i - 2][j - 2] + 1 < v)
				v = d[i - 2][j - 2] + 1;
			d[i][j] = v;
		}
	return d[la][lb];
}

const char *cli_suggest(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1, len = strlen(word);
	if (len <= 2)   /* "-x": any other letter is as close; no guess */
		return NULL;
	size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
	for (size_t i = 0; i < n; i++) {
		if (!cands[i])
			continue;
		size_t d = distance(word, cands[i]);
		size_t cl = strlen(cands[i]);
		/* "--no-redac" and "--verb": a prefix of the candidate is close too */
		if (len >= 3 && cl > len && strncmp(word, cands[i], len) == 0 && d > 1)
			d = 1;
		if (d <= limit && d < best_d) {
			best = cands[i];
			best_d = d;
		}
	}
	return best;
}

int cli_unknown_word(const struct options *o, const char *cmd, const char *kind, const char *word, const char *const *cands)
{
	size_t n = 0;
	while (cands && cands[n])
		n++;
	const char *s = cands ? cli_suggest(word, cands, n) : NULL;
	char list[256] = "";
	for (size_t i = 0; i < n && strlen(list) < sizeof(list) - 40; i++)
		snprintf(list + strlen(list), sizeof(list) - strlen(list), "%s%s", i ? (i + 1 == n ? " or " : ", ") : "", cands[i]);
	if (s)
		return cli_usage_error(o, cmd, "unknown %s '%s' (did you mean '%s'?)", kind, word, s);
	if (n && n <= 6)   /* a short list helps; the commands are in --help */
		return cli_usage_error(o, cmd, "unknown %s '%s' (%s)", kind, word, list);
	return cli_usage_error(o, cmd, "unknown %s '%s'", kind, word);
}

int cli_no_json(const struct options *o, const char *cmd, const char *what)
{
	return cli_usage_error(o, cmd, "'%s' has no machine-readable output, so --json means nothing to it", what);
}

/* "--name" forms of a getopt table and a short option string, plus the global options. */
static size_t option_names(const struct option *lo, const char *shortopts, char names[][48], size_t max)
{
	static const char *const globals[] = { "--root", "--snapshot", "--providers", "--display", "--data-dir", "--json", "--help", "--version" };
	size_t n = 0;
	for (size_t i = 0; lo && lo[i].name && n < max; i++)
		snprintf(names[n++], 48, "--%s", lo[i].name);
	for (const char *s = shortopts ? shortopts : ""; *s && n < max; s++)
		if (*s != ':' && *s != '+')
			snprintf(names[n++], 48, "-%c", *s);
	for (size_t i = 0; i < sizeof(globals) / sizeof(globals[0]) && n < max; i++)
		snprintf(names[n++], 48, "%s", globals[i]);
	return n;
}

int cli_unknown_option(const struct options *o, const char *cmd, const struct option *lo, const char *shortopts, const char *arg)
{
	char names[64][48];
	const char *ptrs[64];
	char word[48];
	size_t n = option_names(lo, shortopts, names, 64);
	for (size_t i = 0; i < n; i++)
		ptrs[i] = names[i];
	size_t wl = strcspn(arg, "=");
	snprintf(word, sizeof(word), "%.*s", (int)(wl < sizeof(word) ? wl : sizeof(word) - 1), arg);
	const char *s = cli_suggest(word, ptrs, n);
	if (s)
		return cli_usage_error(o, cmd, "unknown option '%s' (did you mean '%s'?)", word, s);
	return cli_usage_error(o, cmd, "unknown option '%s'", word);
}

int cli_extra_operand(const struct options *o, const char *cmd, const char *arg)
{
	if (arg[0] == '-' && arg[1])
		return cli_unknown_option(o, cmd, NULL, NULL, arg);
	return cli_usage_error(o, cmd, "unexpected operand '%s'", arg);
}

/* Long option ARG ("--name" or "--name=value", the dashes stripped) in LO: exact, else the
 * only one it abbreviates (as getopt_long takes them). NULL: unknown or ambiguous. */
static const struct option *find_long(const struct option *lo, const char *name, size_t len)
{
	const struct option *hit = NULL;
	size_t hits = 0;
	for (size_t i = 0; lo && lo[i].name; i++) {
		if (strncmp(lo[i].name, name, len) != 0)
			continue;
		if (strlen(lo[i].name) == len)
			return &lo[i];
		hit = &lo[i];
		hits++;
	}
	return hits == 1 ? hit : NULL;
}

int cli_check_args(const struct options *o, const struct command *c, int argc, char **argv)
{
	if (!c->options && !c->shortopts)
		return EXIT_OK;   /* the command checks its arguments itself */
	bool operand_seen = false;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--") == 0)
			return EXIT_OK;
		if (a[0] != '-' || !a[1]) {
			if (c->args_verbatim)   /* run: the program's name; the rest is its own */
				return EXIT_OK;
			if (!operand_seen && c->subcommands) {
				bool known = false;
				for (size_t k = 0; c->subcommands[k] && !known; k++)
					known = strcmp(c->subcommands[k], a) == 0;
				if (!known)
					return cli_unknown_word(o, c->name, "sub-command", a, c->subcommands);
			}
			operand_seen = true;
			continue;
		}
		if (a[1] == '-') {
			size_t len = strcspn(a + 2, "=");
			const struct option *opt = find_long(c->options, a + 2, len);
			if (!opt)
				return cli_unknown_option(o, c->name, c->options, c->shortopts, a);
			bool has_value = a[2 + len] == '=';
			if (opt->has_arg == no_argument && has_value)
				return cli_usage_error(o, c->name, "option '--%s' takes no value", opt->name);
			if (opt->has_arg == required_argument && !has_value && ++i >= argc)
				return cli_usage_error(o, c->name, "option '--%s' needs a value", opt->name);
			continue;
		}
		for (const char *s = a + 1; *s; s++) {
			const char *def = *s != ':' && *s != '+' && c->shortopts ? strchr(c->shortopts, *s) : NULL;
			char shortname[3] = { '-', *s, 0 };
			if (!def)
				return cli_unknown_option(o, c->name, c->options, c->shortopts, shortname);
			if (def[1] == ':') {
				if (!s[1] && ++i >= argc)
					return cli_usage_error(o, c->name, "option '%s' needs a value", shortname);
				break;
			}
		}
	}
	return EXIT_OK;
}

/* Where the command's own arguments end and a verbatim program begins (run): the first
 * operand that is not an option's value. */
bool cli_starts_verbatim(const struct command *c, char **cargv, int cargc)
{
	if (!c->args_verbatim || cargc < 2)
		return false;
	const char *a = cargv[cargc - 1];
	if (a[0] == '-' && a[1])
		return false;
	if (cargc >= 3) {   /* the value of the option before it? */
		const char *prev = cargv[cargc - 2];
		if (prev[0] == '-' && prev[1] == '-' && !strchr(prev, '=')) {
			const struct option *opt = find_long(c->options, prev + 2, strlen(prev + 2));
			if (opt && opt->has_arg == required_argument)
				return false;
		} else if (prev[0] == '-' && prev[1] && prev[1] != '-' && c->shortopts) {
			const char *def = strchr(c->shortopts, prev[strlen(prev) - 1]);
			if (def && def[1] == ':')
				return false;
		}
	}
	return true;
}
