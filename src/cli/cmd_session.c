#include "cli/cli.h"
int cmd_session(struct options *o, int argc, char **argv) { (void)o; (void)argc; (void)argv; return 1; }
