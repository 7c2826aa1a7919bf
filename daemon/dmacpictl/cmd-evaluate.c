// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until `dmacpictl evaluate` lands. */
#include <stdio.h>

#include "commands.h"

int cmd_evaluate(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dmacpictl: evaluate is not implemented yet\n");
	return EXIT_USAGE;
}
