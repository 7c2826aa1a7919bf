// SPDX-License-Identifier: GPL-2.0-or-later
/* The simulated domain table, shared by xensim and both preload libraries. */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <unistd.h>

#include "domtable.h"

const char *simdir(void)
{
	const char *d = getenv("XENSIM_DIR");

	return d && *d ? d : NULL;
}

static unsigned int parse_flags(const char *s)
{
	unsigned int f = 0;
	char buf[64], *tok, *save = NULL;

	snprintf(buf, sizeof(buf), "%s", s);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		if (!strcmp(tok, "hvm"))
			f |= SIMDOM_HVM;
		else if (!strcmp(tok, "dying"))
			f |= SIMDOM_DYING;
		else if (!strcmp(tok, "shutdown"))
			f |= SIMDOM_SHUTDOWN;
	}
	return f;
}

static void format_flags(unsigned int f, char *buf, size_t len)
{
	snprintf(buf, len, "%s%s%s", f & SIMDOM_HVM ? "hvm," : "",
		 f & SIMDOM_DYING ? "dying," : "", f & SIMDOM_SHUTDOWN ? "shutdown," : "");
	if (!buf[0])
		snprintf(buf, len, "-");
	else
		buf[strlen(buf) - 1] = '\0';
}

int domtable_load(const char *dir, struct domtable *t)
{
	char path[4096], line[256], flags[64];
	FILE *fp;

	t->n = 0;
	snprintf(path, sizeof(path), "%s/domains", dir);
	fp = fopen(path, "re");
	if (!fp)
		return -1;
	while (fgets(line, sizeof(line), fp)) {
		struct simdom *d;
		unsigned long long ram;

		if (line[0] == '#' || line[0] == '\n')
			continue;
		if (t->n == SIMDOM_MAX)
			break;
		d = &t->v[t->n];
		memset(d, 0, sizeof(*d));
		if (sscanf(line, "%" SCNu32 " %63s %u %llu %" SCNu32 " %63s", &d->domid, flags,
			   &d->pause, &ram, &d->dm, d->name) != 6)
			continue;
		d->ram = ram;
		d->flags = parse_flags(flags);
		t->n++;
	}
	fclose(fp);
	return 0;
}

static int domtable_save(const char *dir, const struct domtable *t)
{
	char path[4096], tmp[4096], flags[64];
	FILE *fp;
	size_t i;

	snprintf(path, sizeof(path), "%s/domains", dir);
	snprintf(tmp, sizeof(tmp), "%s/domains.tmp", dir);
	fp = fopen(tmp, "we");
	if (!fp)
		return -1;
	fprintf(fp, "# domid flags pause-count ram-bytes dm-domid name\n");
	for (i = 0; i < t->n; i++) {
		const struct simdom *d = &t->v[i];

		format_flags(d->flags, flags, sizeof(flags));
		fprintf(fp, "%" PRIu32 " %s %u %llu %" PRIu32 " %s\n", d->domid, flags, d->pause,
			(unsigned long long)d->ram, d->dm, d->name[0] ? d->name : "-");
	}
	if (fclose(fp) != 0)
		return -1;
	return rename(tmp, path);
}

int domtable_update(const char *dir, int (*fn)(struct domtable *t, void *arg), void *arg)
{
	char lock[4096];
	struct domtable *t;
	int fd, rc = -1, saved;

	snprintf(lock, sizeof(lock), "%s/domains.lock", dir);
	fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	t = malloc(sizeof(*t));
	if (!t)
		goto out;
	if (flock(fd, LOCK_EX) != 0)
		goto out;
	if (domtable_load(dir, t) != 0 && errno != ENOENT)
		goto out;
	if (fn(t, arg) != 0)
		goto out;
	rc = domtable_save(dir, t);
out:
	saved = errno;
	free(t);
	close(fd);
	errno = saved;
	return rc;
}

struct simdom *domtable_find(struct domtable *t, uint32_t domid)
{
	size_t i;

	for (i = 0; i < t->n; i++)
		if (t->v[i].domid == domid)
			return &t->v[i];
	return NULL;
}

int domtable_mark_dying(struct domtable *t, void *arg)
{
	struct simdom *d = domtable_find(t, *(uint32_t *)arg);

	if (!d) {
		errno = ESRCH;
		return -1;
	}
	d->flags |= SIMDOM_DYING;
	return 0;
}

int domtable_remove(struct domtable *t, uint32_t domid)
{
	struct simdom *d = domtable_find(t, domid);
	size_t i;

	if (!d)
		return -1;
	i = (size_t)(d - t->v);
	memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(t->v[0]));
	t->n--;
	return 0;
}

int simdom_frame_is_hole(const char *dir, uint32_t domid, uint64_t pfn)
{
	char path[4096], line[128];
	FILE *fp;
	int hole = 0;

	snprintf(path, sizeof(path), "%s/dom%" PRIu32 ".holes", dir, domid);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	while (!hole && fgets(line, sizeof(line), fp)) {
		unsigned long long first, count;

		if (sscanf(line, "%lli %lli", (long long *)&first, (long long *)&count) != 2)
			continue;
		if (pfn >= first && pfn - first < count)
			hole = 1;
	}
	fclose(fp);
	return hole;
}
