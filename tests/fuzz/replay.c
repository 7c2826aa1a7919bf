// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Without libFuzzer, a fuzz target links this driver: it feeds every file
 * named on the command line (directories are walked one level) to the
 * target, so `make check` replays the committed corpus under the normal
 * (or sanitizer) build, and prints one TAP line per target.
 */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int run_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!fp)
		return -1;
	if (fseek(fp, 0, SEEK_END) || (n = ftell(fp)) < 0 || fseek(fp, 0, SEEK_SET)) {
		fclose(fp);
		return -1;
	}
	buf = malloc(n ? (size_t)n : 1);
	if (!buf || fread(buf, 1, (size_t)n, fp) != (size_t)n) {
		free(buf);
		fclose(fp);
		return -1;
	}
	fclose(fp);
	LLVMFuzzerTestOneInput(buf, (size_t)n);
	free(buf);
	return 0;
}

int main(int argc, char **argv)
{
	unsigned files = 0, bad = 0;
	char dflt[4096];
	char *dflt_argv[2] = { argv[0], dflt };

	/* Run by `make check` without arguments: replay this target's corpus,
	 * tests/fuzz/corpus/<name without "fuzz_">. */
	if (argc == 1) {
		const char *top = getenv("top_srcdir");
		const char *name = strrchr(argv[0], '/');

		name = name ? name + 1 : argv[0];
		if (!strncmp(name, "fuzz_", 5))
			name += 5;
		snprintf(dflt, sizeof(dflt), "%s/tests/fuzz/corpus/%s", top ? top : ".", name);
		argv = dflt_argv;
		argc = 2;
	}
	for (int i = 1; i < argc; i++) {
		struct stat st;
		DIR *d;
		struct dirent *e;

		if (stat(argv[i], &st)) {
			bad++;
			continue;
		}
		if (!S_ISDIR(st.st_mode)) {
			bad += run_file(argv[i]) != 0;
			files++;
			continue;
		}
		d = opendir(argv[i]);
		if (!d) {
			bad++;
			continue;
		}
		while ((e = readdir(d))) {
			char p[4096];

			if (e->d_name[0] == '.')
				continue;
			snprintf(p, sizeof(p), "%s/%s", argv[i], e->d_name);
			bad += run_file(p) != 0;
			files++;
		}
		closedir(d);
	}
	printf("1..1\n%s 1 - replayed %u inputs%s\n", bad || !files ? "not ok" : "ok", files,
	       bad ? " (some unreadable)" : "");
	return 0;
}
