// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until `dmacpictl check` lands. */
#include <stdio.h>

#include "commands.h"

int cmd_check(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dmacpictl: check is not implemented yet\n");
	return EXIT_USAGE;
}
