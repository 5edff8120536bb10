/* Command-line conventions shared by every command (see conventions.c). */
#pragma once
#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>

#include "cli/cli.h"

/* The candidate closest to WORD (a typo or two away), or NULL. */
const char *cli_suggest(const char *word, const char *const *cands, size_t n);
/* "unknown KIND 'WORD'; did you mean 'X'?" (or the list of CANDS, NULL-terminated); EXIT_USAGE. */
int cli_unknown_word(const struct options *o, const char *cmd, const char *kind, const char *word, const char *const *cands);
/* "unknown option '--x'; did you mean '--y'?" from a getopt table; EXIT_USAGE. */
int cli_unknown_option(const struct options *o, const char *cmd, const struct option *lo, const char *shortopts, const char *arg);
/* --json given to a command (or sub-command WHAT) that has no machine-readable output. */
int cli_no_json(const struct options *o, const char *cmd, const char *what);
/* An operand the command does not take: "unexpected operand 'x'" ("unknown option" if it is one). */
int cli_extra_operand(const struct options *o, const char *cmd, const char *arg);
/* Check ARGV (ARGV[0] the command's name, global options already taken out) against the
 * command's table: EXIT_OK, or EXIT_USAGE after the message. */
int cli_check_args(const struct options *o, const struct command *c, int argc, char **argv);
/* run: does CARGV[CARGC-1] start the program (the first operand that is no option's value)? */
bool cli_starts_verbatim(const struct command *c, char **cargv, int cargc);
