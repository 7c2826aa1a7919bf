// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until `dmacpictl namespace` lands. */
#include <stdio.h>

#include "commands.h"

int cmd_namespace(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dmacpictl: namespace is not implemented yet\n");
	return EXIT_USAGE;
}
