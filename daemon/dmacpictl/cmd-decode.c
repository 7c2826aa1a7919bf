// SPDX-License-Identifier: GPL-2.0-or-later
/* Placeholder until `dmacpictl decode` lands. */
#include <stdio.h>

#include "commands.h"

int cmd_decode(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	fprintf(stderr, "dmacpictl: decode is not implemented yet\n");
	return EXIT_USAGE;
}
