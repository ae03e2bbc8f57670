/* replay: run files through a fuzz target without libFuzzer, for
 * `make test` (tests/run's fuzz section). Arguments are files or
 * directories (every regular file in them, in name order). Prints one TAP
 * line "ok N - PATH" per file on stdout after the target returned, and the
 * name of each file on stderr before it runs, so a crash names its input. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "lib/strbuf.h"
#include "tests/fuzz/fuzz.h"

static int count;

/* Read path whole; NULL when it cannot be read. */
static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	struct strbuf sb = STRBUF_INIT;
	char buf[4096];
	size_t n;
	while ((n = fread(buf, 1, sizeof buf, f)) > 0)
		sb_addn(&sb, buf, n);
	int bad = ferror(f);
	fclose(f);
	*len = sb.len;
	if (bad) {
		sb_release(&sb);
		return NULL;
	}
	return (uint8_t *)sb_detach(&sb);
}

/* Run one file; returns 0, or -1 when it cannot be read. */
static int run_file(const char *path)
{
	size_t len = 0;
	uint8_t *data = read_all(path, &len);
	if (!data) {
		printf("not ok %d - %s: cannot read\n", ++count, path);
		return -1;
	}
	fprintf(stderr, "# %s\n", path);
	/* A copy of exactly len bytes, so reading past the input is caught. */
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, data, len);
	free(data);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
	printf("ok %d - %s\n", ++count, path);
	fflush(stdout);
	return 0;
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Run every regular file of dir in name order. */
static int run_dir(const char *dir)
{
	DIR *d = opendir(dir);
	if (!d)
		return 0;   /* no corpus or no regressions yet: nothing to run */
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof *names);
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof *names, name_cmp);
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct strbuf p = STRBUF_INIT;
		sb_addf(&p, "%s/%s", dir, names[i]);
		struct stat st;
		if (stat(p.buf, &st) == 0 && S_ISREG(st.st_mode) && run_file(p.buf) < 0)
			rc = -1;
		sb_release(&p);
		free(names[i]);
	}
	free(names);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct stat st;
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
			rc |= run_dir(argv[i]);
		else if (run_file(argv[i]) < 0)
			rc = -1;
	}
	printf("1..%d\n", count);
	return rc ? 1 : 0;
}
