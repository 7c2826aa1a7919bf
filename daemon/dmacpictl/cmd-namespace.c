// SPDX-License-Identifier: GPL-2.0-or-later
/* dmacpictl namespace FILE...: the absolute names AML tables or hvmloader
 * images define, one per line, sorted. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>

#include "aml.h"
#include "commands.h"
#include "findings.h"
#include "namespace.h"
#include "readfile.h"

#define NAMESPACE_FILE_MAX (64u << 20)

struct names {
	char **v;
	size_t n;
	bool failed;
};

static void collect(const struct ns_entry *e, void *ctx)
{
	struct names *names = ctx;
	char disp[AML_PATH_MAX];

	aml_path_display(e->path, disp, sizeof(disp));
	names->v[names->n] = strdup(disp);
	if (names->v[names->n])
		names->n++;
	else
		names->failed = true;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Sorted in display form, which is what an administrator reads. */
static int print_sorted(const struct ns *ns)
{
	struct names names = { calloc(ns_count(ns) + 1, sizeof(char *)), 0, false };

	if (!names.v)
		return -1;
	ns_foreach_sorted(ns, collect, &names);
	qsort(names.v, names.n, sizeof(*names.v), cmp_str);
	for (size_t i = 0; i < names.n; i++) {
		if (!names.failed)
			puts(names.v[i]);
		free(names.v[i]);
	}
	free(names.v);
	return names.failed ? -1 : 0;
}

int cmd_namespace(int argc, char **argv)
{
	static const char usage[] = "Usage: dmacpictl namespace FILE...\n";
	struct ns *ns;
	int rc = 0;

	if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		fputs(usage, stdout);
		return 0;
	}
	if (argc < 2 || argv[1][0] == '-') {
		fputs(usage, stderr);
		return EXIT_USAGE;
	}
	ns = ns_new();
	if (!ns) {
		fprintf(stderr, "dmacpictl: out of memory\n");
		return EXIT_USAGE;
	}
	for (int i = 1; i < argc && !rc; i++) {
		struct findings f;
		uint8_t *buf;
		size_t len;

		if (read_file(argv[i], NAMESPACE_FILE_MAX, &buf, &len)) {
			fprintf(stderr, "dmacpictl: %s: %s\n", argv[i], read_file_strerror(errno));
			rc = EXIT_USAGE;
			break;
		}
		findings_init(&f);
		if (ns_load_image(ns, buf, len, &f) < 0) {
			const struct finding *x = findings_first(&f, FINDING_MALFORMED);

			if (x)
				fprintf(stderr, "dmacpictl: %s: offset %zu: builtin:%s: %s\n",
					argv[i], x->offset, x->check, x->message);
			else
				fprintf(stderr, "dmacpictl: %s: no AML tables could be loaded\n",
					argv[i]);
			rc = EXIT_USAGE;
		}
		findings_free(&f);
		free(buf);
	}
	if (!rc && print_sorted(ns)) {
		fprintf(stderr, "dmacpictl: out of memory\n");
		rc = EXIT_USAGE;
	}
	ns_free(ns);
	return rc;
}
