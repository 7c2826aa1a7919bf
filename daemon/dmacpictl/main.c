// SPDX-License-Identifier: GPL-2.0-or-later
/* dmacpictl: check and try policies offline, build and inspect blob areas,
 * read verdicts, reload the daemon. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "commands.h"

static const struct {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
} commands[] = {
	{ "check", cmd_check, "check [-v] [--dropin DIR] [POLICY]" },
	{ "evaluate", cmd_evaluate,
	  "evaluate --policy FILE [--dropin DIR] [--domain-name N] [--domain-key K=V]...\n"
	  "           [--domid D] [--count N] [--permissive] [--json] [--out FILE] AREA" },
	{ "pack", cmd_pack, "pack [--table FILE]... [--device NAME=FILE]... [--devices-from SSDT]... -o AREA" },
	{ "decode", cmd_decode, "decode [--json] [--count N] [--max-blobs N] [--xen-namespace FILE] AREA" },
	{ "namespace", cmd_namespace, "namespace FILE..." },
	{ "status", cmd_status, "status [DOMID] [--json]" },
	{ "reload", cmd_reload, "reload" },
};

int cli_uint(const char *s, unsigned long long max, unsigned long long *out)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	*out = strtoull(s, &end, 10);
	return errno || *end || *out > max ? -1 : 0;
}

static void usage(FILE *out)
{
	fprintf(out, "Usage: dmacpictl COMMAND [ARGS]\n\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  dmacpictl %s\n", commands[i].synopsis);
	fprintf(out, "\n  dmacpictl COMMAND --help | dmacpictl --version\n"
		     "\nExit status: 0 success, 1 invalid or rejected, 2 usage or I/O error.\n");
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help")) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version")) {
		printf("dmacpictl %s\n", PACKAGE_VERSION);
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(argv[1], commands[i].name))
			return commands[i].run(argc - 1, argv + 1);
	fprintf(stderr, "dmacpictl: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
