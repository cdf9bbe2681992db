/* placeholder */
#include "builtin.h"
int cmd_hook(int argc, const char **argv, git_repository *repo) { return 1; }
