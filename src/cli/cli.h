/* Command-line plumbing shared by every command. */
#pragma once
#include <stdbool.h>
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
};

/* Print "PROG: msg" on stderr. */
void cli_error(const struct options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cli_warn(const struct options *o, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Unknown option or bad operand: one line naming what to type; returns EXIT_USAGE. */
int cli_usage_error(const struct options *o, const char *cmd, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* The snapshot every guest command works on: --snapshot replays, otherwise probe --root. */
int cli_load_snapshot(const struct options *o, struct snapshot **ret);

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
int cmd_host(struct options *o, int argc, char **argv);
/* Runs optimus-guest-libvirt with the same options and arguments. */
int cmd_libvirt_helper(struct options *o, int argc, char **argv);
