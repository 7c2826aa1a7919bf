/* SPDX-License-Identifier: GPL-2.0-or-later */
/*
 * Stands in for hvmloader's util.h when the series' new files are compiled
 * on the host: the C library, and hvmloader's services that consume.c
 * provides (a scripted xenstore, a fake clock, malloc).
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

const char *xenstore_read(const char *path, const char *default_resp);
const char *xenstore_read_perms(const char *path, uint32_t *len);
void *mem_alloc(uint32_t size, uint32_t align);
uint64_t get_system_time(void);
void msleep(unsigned int ms);
