/* Command-line plumbing shared by every command. */
#pragma once
#include <stdbool.h>
#include <getopt.h>
#include <stdio.h>

#include "util/root.h"
#include "model/snapshot.h"

enum {
	EXIT_OK = 0,
	EXIT_FAIL = 1,    /* runtime error */
	EXIT_USAGE = 2,
	EXIT_REFUSED = 3, /* known-broken topology, or nothing works here */
};

struct options {
	const char *prog;
	const char *root_path;      /* --root, default "/" */
	bool root_given;            /* --root was on the command line */
	const char *snapshot_path;  /* --snapshot */
	const char *providers_path; /* --providers */
	const char *data_dir;       /* --data-dir */
	const char *display;        /* --display */
	bool json;
	bool color;                 /* stdout is a terminal and NO_COLOR unset */
};

struct command {
	const char *name;
	int (*run)(struct options *o, int argc, char **argv);
	const char *usage;    /* full --help text of the command */
	const char *summary;
	bool args_verbatim;   /* global options after the first operand belong to the operand (run) */
	/* The conventions (conventions.c) read these, so a command gets them by filling them in: */
	const struct option *options;     /* its long options: the getopt_long table it parses with */
	const char *shortopts;            /* its short options, getopt syntax ("o:d:l"); with options
	                                   * (either non-NULL) main checks every option before it runs */
	const char *const *subcommands;   /* what its first operand may be (NULL: anything) */
	bool json;                        /* --json gives machine-readable output; else a usage error */
};


/* The commands' getopt tables (defined beside each command, listed in commands.c). */
extern const struct option cli_apply_options[], cli_revert_options[], cli_plan_options[], cli_profiles_options[],
	cli_report_options[], cli_run_options[], cli_session_options[], cli_signatures_options[], cli_acpi_table_options[],
	cli_vbios_extract_options[], cli_vbios_inspect_options[], cli_libvirt_options[];

/* Print "PROG: msg" on stderr. */
void cli_error(const struct options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* TEXT with every line after the first indented by INDENT spaces (no newline at the end). */
void cli_put_indented(FILE *f, const char *text, int indent);
void cli_warn(const struct options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Unknown option or bad operand: one line naming what to type; returns EXIT_USAGE. */
int cli_usage_error(const struct options *o, const char *cmd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The snapshot every guest command works on: --snapshot replays, otherwise probe --root. */
int cli_load_snapshot(const struct options *o, struct snapshot **ret);
/* The same; KEEP (fd -1 on entry) gets the root it probed, open, for the caller to read on
 * and root_close; it stays fd -1 with --snapshot or on an error. */
int cli_load_snapshot_keep(const struct options *o, struct snapshot **ret, struct root *keep);

/* Write an output the user named (-o PATH): "-" is standard output, anything else goes
 * through file_output's rules (util/fileio.h). EXIT_OK, or EXIT_FAIL after the message. */
int cli_output(const struct options *o, const char *path, const void *data, size_t len);
/* The same rules checked before the work starts (the write checks again). */
int cli_output_check(const struct options *o, const char *path);

/* Directory of shipped data (profiles/, xorg-snippets/, signatures/). */
const char *cli_data_dir(const struct options *o);

/* Commands. */
int cmd_probe(struct options *o, int argc, char **argv);

/* Snapshot -> profiles -> decision -> rendered files: what plan, apply, run and report share. */
#include "plan/plan.h"
#include "plan/profile.h"
#include "plan/profile_load.h"
#include "apply/render.h"

struct plan_run {
	struct snapshot *snap;
	struct profile_set set;
	struct templates tpl;
	struct decision d;
	struct rendered r;   /* empty when refused */
};

/* EXIT_OK with RET filled (the decision may be refused), or EXIT_FAIL/EXIT_USAGE after a message. */
int cli_plan(const struct options *o, const char *only, struct plan_run *ret);
void plan_run_clear(struct plan_run *p);
/* What makes apply refuse a chosen profile (an admin's Xorg file that fights the topology), NULL
 * when nothing does; plan reports it with the same words and exit status as apply. */
const char *cli_apply_blocker(const struct decision *d);
/* Print that refusal as apply does (PREFIX "boot: " at boot, else ""). */
void cli_print_blocker(const struct options *o, const char *prefix, const char *blocker);
/* Human form of a decision (plan's output; apply and report reuse it). */
void cli_print_decision(FILE *f, const struct options *o, const struct decision *d);

int cmd_plan(struct options *o, int argc, char **argv);
int cmd_profiles(struct options *o, int argc, char **argv);
int cmd_apply(struct options *o, int argc, char **argv);
int cmd_revert(struct options *o, int argc, char **argv);
int cmd_run(struct options *o, int argc, char **argv);
int cmd_session(struct options *o, int argc, char **argv);
int cmd_acpi_table(struct options *o, int argc, char **argv);
int cmd_report(struct options *o, int argc, char **argv);
int cmd_vbios(struct options *o, int argc, char **argv);
int cmd_libvirt(struct options *o, int argc, char **argv);
int cmd_signatures(struct options *o, int argc, char **argv);
int cmd_host(struct options *o, int argc, char **argv);
/* Runs optimus-guest-libvirt with the same options and arguments. */
/* Runs the command in argv[0] in the helper binary of the host commands (execv). */
int cmd_host_helper(struct options *o, int argc, char **argv);
