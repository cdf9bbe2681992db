#include "builtin.h"
int cmd_record(int argc, const char **argv, git_repository *repo) { return 1; }
