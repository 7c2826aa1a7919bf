// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmacpictl pack: build a blob area as a device model would, blobs in the
 * order of the arguments.  Nothing is validated (so that bad areas can be
 * built on purpose); `decode` tells what is wrong.  The output appears
 * whole or not at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "area.h"
#include "carve.h"
#include "commands.h"
#include "readfile.h"

#define PACK_MAX_FILE (64u << 20)

static void pack_usage(FILE *out)
{
	fprintf(out, "Usage: dmacpictl pack [--table FILE]... [--device NAME=FILE]... "
		"[--devices-from SSDT]... -o AREA\n");
}

static int pack_error(const char *what, const char *arg, const char *why)
{
	fprintf(stderr, "dmacpictl pack: %s%s%s%s%s\n", what, arg ? " '" : "", arg ? arg : "",
		arg ? "'" : "", why ? why : "");
	return -1;
}

static int add_table(struct area_builder *b, const char *path)
{
	uint8_t *buf;
	size_t len;
	int r;

	if (read_file(path, PACK_MAX_FILE, &buf, &len) < 0) {
		fprintf(stderr, "dmacpictl pack: %s: %s\n", path, read_file_strerror(errno));
		return -1;
	}
	r = area_add(b, BLOB_TABLE, buf, len);
	free(buf);
	if (r < 0)
		return pack_error("cannot add table", path, ": too large or out of memory");
	return 0;
}

/* NAME=FILE; NAME is 1-4 characters, padded with '_' as ASL pads NameSegs. */
static int add_device(struct area_builder *b, const char *spec)
{
	const char *eq = strchr(spec, '=');
	char name[4] = { '_', '_', '_', '_' };
	uint8_t *buf;
	size_t len, nlen;
	int r;

	if (!eq || eq == spec || eq[1] == '\0')
		return pack_error("--device wants NAME=FILE, not", spec, NULL);
	nlen = (size_t)(eq - spec);
	if (nlen > 4)
		return pack_error("device name longer than 4 characters in", spec, NULL);
	memcpy(name, spec, nlen);
	if (read_file(eq + 1, PACK_MAX_FILE, &buf, &len) < 0) {
		fprintf(stderr, "dmacpictl pack: %s: %s\n", eq + 1, read_file_strerror(errno));
		return -1;
	}
	r = area_add_device(b, name, buf, len);
	free(buf);
	if (r < 0)
		return pack_error("cannot add device", spec, ": too large or out of memory");
	return 0;
}

static int add_carved(struct area_builder *b, const char *path)
{
	struct carved_device *devs = NULL;
	struct findings f;
	uint8_t *buf;
	size_t len;
	int n, r = 0;

	if (read_file(path, PACK_MAX_FILE, &buf, &len) < 0) {
		fprintf(stderr, "dmacpictl pack: %s: %s\n", path, read_file_strerror(errno));
		return -1;
	}
	findings_init(&f);
	n = carve_devices(buf, len, &devs, &f);
	if (n < 0) {
		if (f.n)
			fprintf(stderr, "dmacpictl pack: %s: builtin:%s @0x%zx: %s\n", path,
				f.v[0].check, f.v[0].offset, f.v[0].message);
		else
			fprintf(stderr, "dmacpictl pack: %s: cannot carve devices\n", path);
		r = -1;
	} else if (n == 0) {
		r = pack_error("no Device under \\_SB in", path, NULL);
	}
	for (int i = 0; r == 0 && i < n; i++)
		if (area_add_device(b, devs[i].name, devs[i].body, devs[i].len) < 0)
			r = pack_error("cannot add a device carved from", path,
				       ": too large or out of memory");
	if (n > 0)
		carve_free(devs, (size_t)n);
	findings_free(&f);
	free(buf);
	return r;
}

static int write_all(int fd, const uint8_t *p, size_t len)
{
	while (len) {
		ssize_t w = write(fd, p, len);

		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		len -= (size_t)w;
	}
	return 0;
}

/* Write to a temporary file next to path, then rename it into place. */
static int write_atomic(const char *path, const uint8_t *p, size_t len)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof(".XXXXXX"));
	mode_t mask;
	int fd, saved;

	if (!tmp) {
		fprintf(stderr, "dmacpictl pack: out of memory\n");
		return -1;
	}
	memcpy(tmp, path, n);
	memcpy(tmp + n, ".XXXXXX", sizeof(".XXXXXX"));
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "dmacpictl pack: %s: %s\n", path, strerror(errno));
		free(tmp);
		return -1;
	}
	mask = umask(0);
	umask(mask);
	if (fchmod(fd, 0666 & ~mask) < 0 || write_all(fd, p, len) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) < 0)
		goto fail;
	free(tmp);
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(tmp);
	fprintf(stderr, "dmacpictl pack: %s: %s\n", path, strerror(saved));
	return -1;
}

int cmd_pack(int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "table", required_argument, NULL, 't' },
		{ "device", required_argument, NULL, 'd' },
		{ "devices-from", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct area_builder b;
	const char *output = NULL;
	int opt, r = 0;

	/* First pass: the arguments alone, so that a usage error reads no file. */
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+o:", longopts, NULL)) != -1) {
		if (opt == 'o') {
			if (output) {
				fprintf(stderr, "dmacpictl pack: -o given twice\n");
				pack_usage(stderr);
				return EXIT_USAGE;
			}
			output = optarg;
		} else if (opt == 'h') {
			pack_usage(stdout);
			return 0;
		} else if (opt == '?' || opt == ':') {
			fprintf(stderr, "dmacpictl pack: unknown or incomplete option '%s'\n",
				argv[optind - 1]);
			pack_usage(stderr);
			return EXIT_USAGE;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "dmacpictl pack: unexpected argument '%s'\n", argv[optind]);
		pack_usage(stderr);
		return EXIT_USAGE;
	}
	if (!output || !*output) {
		fprintf(stderr, "dmacpictl pack: missing -o AREA\n");
		pack_usage(stderr);
		return EXIT_USAGE;
	}

	area_builder_init(&b);
	optind = 1;
	while (r == 0 && (opt = getopt_long(argc, argv, "+o:", longopts, NULL)) != -1) {
		if (opt == 't')
			r = add_table(&b, optarg);
		else if (opt == 'd')
			r = add_device(&b, optarg);
		else if (opt == 's')
			r = add_carved(&b, optarg);
	}
	if (r == 0)
		r = write_atomic(output, b.buf ? b.buf : (const uint8_t *)"", b.len);
	area_builder_free(&b);
	return r == 0 ? 0 : EXIT_USAGE;
}
