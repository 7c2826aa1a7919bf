/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stands in for hvmloader's util.h when its SHA-256 and blob walk are
 * compiled on the host: they need memcpy and friends, nothing else.
 */
#include <stdint.h>
#include <string.h>
