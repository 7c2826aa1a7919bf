// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Carving devices out of an SSDT: the parser finds the devices directly
 * under \_SB and the root-level Names; each device body is cut out by its
 * PkgLength, and the root Names it reaches by a lone NameSeg (QEMU's NVDR
 * reads MEMA) are copied in front of it.
 */
#include <stdlib.h>
#include <string.h>

#include "aml.h"
#include "carve.h"

#define CARVE_MAX_DEVICES 64

/* Skip 5B 82 PkgLength NameString of the Device op at off; body is the rest. */
static int device_body(const uint8_t *t, size_t len, size_t off, size_t *body, size_t *end)
{
	size_t pos = off + 2, v;
	unsigned n;

	if (len - off < 3 || t[off] != 0x5b || t[off + 1] != 0x82)
		return -1;
	n = t[pos] >> 6;
	if (len - pos < 1 + (size_t)n)
		return -1;
	v = n ? (t[pos] & 0x0f) : (t[pos] & 0x3f);
	for (unsigned i = 1; i <= n; i++)
		v |= (size_t)t[pos + i] << (4 + 8 * (i - 1));
	if (v > len - pos)
		return -1;
	*end = pos + v;
	pos += 1 + n;
	/* NameString: "\" or "^"s, then a NameSeg, Dual or Multi prefix. */
	while (pos < *end && (t[pos] == '\\' || t[pos] == '^'))
		pos++;
	if (pos >= *end)
		return -1;
	if (t[pos] == 0x2e)
		pos += 1 + 8;
	else if (t[pos] == 0x2f && pos + 1 < *end)
		pos += 2 + 4 * (size_t)t[pos + 1];
	else
		pos += 4;
	if (pos > *end)
		return -1;
	*body = pos;
	return 0;
}

struct root_name {
	uint8_t seg[4];
	size_t off, end;
};

int carve_devices(const uint8_t *table, size_t len, struct carved_device **out,
		  struct findings *f)
{
	struct aml_info info;
	struct root_name *names = NULL;
	struct carved_device *devs = NULL;
	size_t nnames = 0, ndevs = 0;

	*out = NULL;
	aml_info_init(&info);
	if (aml_parse_table(table, len, 0, NULL, &info, f))
		return -1;
	names = calloc(info.nobjs + 1, sizeof(*names));
	devs = calloc(CARVE_MAX_DEVICES, sizeof(*devs));
	if (!names || !devs)
		goto fail;
	for (size_t i = 0; i < info.nobjs; i++) {
		const struct aml_object *o = &info.objs[i];
		int rc;

		if (o->type != AML_OBJ_NAME || o->nseg != 1)
			continue;
		rc = aml_term_end(table, len, o->offset, &names[nnames].end);
		if (rc == -2)
			goto fail;
		if (!rc) {
			memcpy(names[nnames].seg, &o->seg[0], 4);
			names[nnames++].off = o->offset;
		}
	}
	for (size_t i = 0; i < info.nobjs; i++) {
		const struct aml_object *o = &info.objs[i];
		struct carved_device *d;
		struct aml_info dev;
		struct findings quiet;
		size_t body, end, size, used;
		uint8_t *blob;
		bool want[256] = { false }, nomem;

		if (o->type != AML_OBJ_DEVICE || o->nseg != 2 || memcmp(&o->seg[0], "_SB_", 4))
			continue;
		if (ndevs == CARVE_MAX_DEVICES || device_body(table, len, o->offset, &body, &end)) {
			char path[AML_PATH_MAX];

			aml_path_text(o->seg, o->nseg, path);
			findings_add(f, FINDING_MALFORMED, "aml-truncated", o->offset,
				     "cannot carve device %s", path);
			goto fail;
		}
		/* Which root Names does the body reach by a lone NameSeg? */
		size = end - body;
		blob = malloc(4 + size);
		if (!blob)
			goto fail;
		memcpy(blob, &o->seg[1], 4);
		memcpy(blob + 4, table + body, size);
		aml_info_init(&dev);
		findings_init(&quiet);
		if (!aml_parse_device(blob, 4 + size, 0, NULL, &dev, &quiet)) {
			for (size_t r = 0; r < dev.nrefs; r++)
				for (size_t k = 0; k < nnames && k < 256; k++)
					if (strlen(dev.refs[r].name) == 4 &&
					    !memcmp(dev.refs[r].name, names[k].seg, 4))
						want[k] = true;
		}
		/* A body that does not parse reaches no root Name, but one whose
		 * parse ran out of memory may: the device cannot be carved. */
		nomem = quiet.no_memory;
		aml_info_free(&dev);
		findings_free(&quiet);
		free(blob);
		if (nomem)
			goto fail;
		for (size_t k = 0; k < nnames && k < 256; k++)
			if (want[k])
				size += names[k].end - names[k].off;
		d = &devs[ndevs];
		d->body = malloc(size ? size : 1);
		if (!d->body)
			goto fail;
		ndevs++;
		memcpy(d->name, &o->seg[1], 4);
		d->name[4] = '\0';
		used = 0;
		for (size_t k = 0; k < nnames && k < 256; k++) {
			if (!want[k])
				continue;
			memcpy(d->body + used, table + names[k].off, names[k].end - names[k].off);
			used += names[k].end - names[k].off;
		}
		memcpy(d->body + used, table + body, end - body);
		d->len = used + end - body;
	}
	free(names);
	aml_info_free(&info);
	if (!ndevs) {
		free(devs);
		devs = NULL;
	}
	*out = devs;
	return (int)ndevs;
fail:
	free(names);
	aml_info_free(&info);
	carve_free(devs, ndevs);
	if (!findings_have(f, FINDING_MALFORMED))
		findings_add(f, FINDING_MALFORMED, "aml-limit", 0, "out of memory");
	return -1;
}

void carve_free(struct carved_device *devs, size_t n)
{
	if (!devs)
		return;
	for (size_t i = 0; i < n; i++)
		free(devs[i].body);
	free(devs);
}
