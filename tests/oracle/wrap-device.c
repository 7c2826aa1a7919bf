// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Test helper: carve a device out of an SSDT (as `pack --devices-from`
 * does), wrap it back into an SSDT as the consumer does,
 * Scope (\_SB) { Device (NAME) { body } }, and write that table.  With -x,
 * also report every object of the wrapped device that already exists in the
 * namespace of the given tables (the collision check), one per line.
 *
 *   wrap-device [-n NEWNAME] [-x XEN.aml]... SSDT OUT.aml
 * Exit: 0 written, no collision; 1 collision found; 2 error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "aml.h"
#include "carve.h"
#include "namespace.h"
#include "readfile.h"
#include "text.h"

static size_t put_pkglength(uint8_t *o, size_t content)
{
	for (unsigned n = 0; n < 4; n++) {
		size_t v = content + 1 + n;

		if (n == 0 && v <= 63) {
			o[0] = (uint8_t)v;
			return 1;
		}
		if (n && v < ((size_t)1 << (4 + 8 * n))) {
			o[0] = (uint8_t)(n << 6 | (v & 0x0f));
			for (unsigned i = 1; i <= n; i++)
				o[i] = (uint8_t)(v >> (4 + 8 * (i - 1)));
			return 1 + n;
		}
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *rename = NULL;
	const char *xen[8];
	size_t nxen = 0, len, dlen, off;
	struct carved_device *devs;
	struct findings f;
	uint8_t *in, *t;
	uint8_t sum = 0;
	int c, n, rc = 0;
	FILE *fp;

	while ((c = getopt(argc, argv, "n:x:")) != -1) {
		if (c == 'n' && strlen(optarg) == 4)
			rename = optarg;
		else if (c == 'x' && nxen < 8)
			xen[nxen++] = optarg;
		else
			return 2;
	}
	if (argc - optind != 2 || read_file(argv[optind], 1 << 24, &in, &len))
		return 2;
	findings_init(&f);
	n = carve_devices(in, len, &devs, &f);
	free(in);
	if (n < 1) {
		fprintf(stderr, "wrap-device: no device carved\n");
		return 2;
	}
	if (rename)
		memcpy(devs[0].name, rename, 4);
	/* 10 PkgLength "\_SB_" 5B 82 PkgLength NAME body */
	dlen = devs[0].len;
	t = calloc(1, 36 + 16 + dlen);
	if (!t)
		return 2;
	{
		uint8_t dev[8], scope[8];
		size_t dl = put_pkglength(dev, 4 + dlen);
		size_t inner = 2 + dl + 4 + dlen;
		size_t sl = put_pkglength(scope, 5 + inner);

		off = 36;
		t[off++] = 0x10;
		memcpy(t + off, scope, sl);
		off += sl;
		memcpy(t + off, "\\_SB_", 5);
		off += 5;
		t[off++] = 0x5b;
		t[off++] = 0x82;
		memcpy(t + off, dev, dl);
		off += dl;
		memcpy(t + off, devs[0].name, 4);
		off += 4;
		memcpy(t + off, devs[0].body, dlen);
		off += dlen;
	}
	memcpy(t, "SSDT", 4);
	put_le32(t + 4, (uint32_t)off);
	t[8] = 2;
	memcpy(t + 10, "DMACPI", 6);
	memcpy(t + 16, "WRAPDEV ", 8);
	put_le32(t + 24, 1);
	memcpy(t + 28, "DMAC", 4);
	put_le32(t + 32, 1);
	for (size_t i = 0; i < off; i++)
		sum = (uint8_t)(sum + t[i]);
	t[9] = (uint8_t)-sum;
	fp = fopen(argv[optind + 1], "wb");
	if (!fp || fwrite(t, 1, off, fp) != off || fclose(fp)) {
		fprintf(stderr, "wrap-device: cannot write %s\n", argv[optind + 1]);
		return 2;
	}
	if (nxen) {
		struct ns *ns = ns_new();
		struct aml_info info;

		for (size_t i = 0; i < nxen; i++) {
			uint8_t *x;
			size_t xl;

			if (!ns || read_file(xen[i], 1 << 24, &x, &xl) ||
			    ns_load_image(ns, x, xl, &f) < 0)
				return 2;
			free(x);
		}
		aml_info_init(&info);
		if (aml_parse_table(t, off, 0, ns, &info, &f))
			return 2;
		for (size_t i = 0; i < info.nobjs; i++) {
			char path[AML_PATH_MAX];

			aml_path_text(info.objs[i].seg, info.objs[i].nseg, path);
			if (ns_get(ns, path)) {
				printf("collision %s\n", path);
				rc = 1;
			}
		}
		aml_info_free(&info);
		ns_free(ns);
	}
	free(t);
	carve_free(devs, (size_t)n);
	findings_free(&f);
	return rc;
}
