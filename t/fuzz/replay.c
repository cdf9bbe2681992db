/* replay.c - run a fuzz harness over saved inputs without libFuzzer, for make check under gcc.
 * Usage: replay-<harness> FILE|DIR...: every file (directories: their files, sorted) once. */
#include <dirent.h>
#include <stdio.h>
#include "fuzz.h"
#include "sbuf.h"
#include "strlist.h"

/* Harnesses that need set-up define it; the others leave it NULL. */
int LLVMFuzzerInitialize(int *argc, char ***argv) __attribute__((weak));

static int replay_file(const char *path)
{
	struct sbuf sb = SBUF_INIT;

	if (sbuf_read_file(&sb, path, (size_t)16 << 20) < 0) {
		sbuf_release(&sb);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)sb.buf, sb.len);
	sbuf_release(&sb);
	return 0;
}

static int replay_dir(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	struct strlist names = STRLIST_INIT;
	struct dirent *e;
	int ret = 0;

	if (!d)
		return replay_file(dir) < 0 ? -1 : (++*count, 0);
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			strlist_append(&names, e->d_name);
	closedir(d);
	strlist_sort(&names);
	for (size_t i = 0; i < names.nr && !ret; i++) {
		struct sbuf path = SBUF_INIT;

		sbuf_addf(&path, "%s/%s", dir, names.items[i]);
		ret = replay_file(path.buf);
		sbuf_release(&path);
		++*count;
	}
	strlist_release(&names);
	return ret;
}

int main(int argc, char **argv)
{
	size_t count = 0;

	if (LLVMFuzzerInitialize)
		LLVMFuzzerInitialize(&argc, &argv);
	for (int i = 1; i < argc; i++)
		if (replay_dir(argv[i], &count) < 0)
			return 1;
	printf("replayed %zu inputs\n", count);
	return 0;
}
