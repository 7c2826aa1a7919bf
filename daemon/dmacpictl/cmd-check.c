// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmacpictl check [-v] [--dropin DIR] [POLICY]: parse a policy as the daemon
 * would, print every error as file:line:col, and with -v the normalized
 * policy.  Without POLICY: the installed policy and its policy.d.  POLICY
 * "-" reads standard input.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "commands.h"
#include "policy.h"

#define CHECK_STDIN_MAX (4u * 1024 * 1024)

static struct policy *load_stdin(const char *dropin, struct diags *d)
{
	size_t len = 0, cap = 0;
	char *buf = NULL;
	struct policy *p;

	for (;;) {
		size_t got;

		if (len == cap) {
			char *nb;

			if (cap >= CHECK_STDIN_MAX) {
				fprintf(stderr, "dmacpictl: standard input is larger than 4M\n");
				free(buf);
				return NULL;
			}
			cap = cap ? cap * 2 : 4096;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		got = fread(buf + len, 1, cap - len, stdin);
		len += got;
		if (got == 0)
			break;
	}
	if (ferror(stdin)) {
		perror("dmacpictl: standard input");
		free(buf);
		return NULL;
	}
	p = policy_load_text("<stdin>", buf, len, dropin, d);
	free(buf);
	return p;
}

/* A directory named with --dropin must be there: only the installed
 * policy.d may be missing. */
static bool is_dir(const char *path)
{
	struct stat st;

	if (stat(path, &st))
		return false;
	if (!S_ISDIR(st.st_mode))
		errno = ENOTDIR;
	return S_ISDIR(st.st_mode);
}

int cmd_check(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "verbose", no_argument, NULL, 'v' },
		{ "dropin", required_argument, NULL, 'd' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *file = POLICY_DIR "/dmacpid.policy";
	const char *dropin = NULL;
	bool verbose = false, dflt;
	struct policy *p;
	struct diags d;
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "vd:h", opts, NULL)) != -1) {
		switch (c) {
		case 'v':
			verbose = true;
			break;
		case 'd':
			dropin = optarg;
			break;
		case 'h':
			printf("Usage: dmacpictl check [-v] [--dropin DIR] [POLICY]\n"
			       "Without POLICY: %s/dmacpid.policy and %s/policy.d/*.policy.\n",
			       POLICY_DIR, POLICY_DIR);
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (argc - optind > 1) {
		fprintf(stderr, "dmacpictl check: one policy file at most\n");
		return EXIT_USAGE;
	}
	if (dropin && !is_dir(dropin)) {
		fprintf(stderr, "%s: cannot read the directory: %s\n", dropin, strerror(errno));
		return EXIT_NO;
	}
	dflt = optind == argc;
	if (!dflt)
		file = argv[optind];
	else if (!dropin)
		dropin = POLICY_DIR "/policy.d";

	diags_init(&d);
	if (!strcmp(file, "-"))
		p = load_stdin(dropin, &d);
	else
		p = policy_load(file, dropin, &d);
	diags_print(&d, stderr);
	fflush(stderr);
	if (!p) {
		if (d.errors)
			fprintf(stderr, "%zu error%s, %zu warning%s\n", d.errors,
				d.errors == 1 ? "" : "s", d.warnings, d.warnings == 1 ? "" : "s");
		diags_free(&d);
		return EXIT_NO;
	}
	if (verbose)
		policy_print(p, stdout);
	else
		printf("policy OK: %zu rule%s\n", policy_rule_count(p),
		       policy_rule_count(p) == 1 ? "" : "s");
	policy_free(p);
	diags_free(&d);
	return fflush(stdout) ? EXIT_USAGE : 0;
}
