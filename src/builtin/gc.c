/* placeholder */
#include "builtin.h"
int cmd_gc(int argc, const char **argv, git_repository *repo) { return 1; }
