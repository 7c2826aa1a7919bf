// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmacpictl decode: list the blobs of an area file with the verdict of the
 * built-in checks (no policy).  With --xen-namespace, collisions with the
 * names Xen's tables define are checked too.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "commands.h"
#include "namespace.h"
#include "readfile.h"
#include "text.h"
#include "validate.h"

#define DECODE_MAX_FILE (64u << 20)
#define DECODE_DEFAULT_MAX_BLOBS 64	/* the policy's default max-blobs */

struct decode_opts {
	bool json;
	long long count;
	size_t max_blobs;
	const char *xen_namespace;
	const char *area;
};

static const char usage[] =
	"Usage: dmacpictl decode [--json] [--count N] [--max-blobs N] [--xen-namespace FILE] AREA\n";

static void usage_error(const char *msg, const char *arg)
{
	if (arg)
		fprintf(stderr, "dmacpictl decode: %s '%s'\n", msg, arg);
	else
		fprintf(stderr, "dmacpictl decode: %s\n", msg);
	fputs(usage, stderr);
}

static int parse_args(int argc, char **argv, struct decode_opts *o)
{
	static const struct option longopts[] = {
		{ "json", no_argument, NULL, 'j' },
		{ "count", required_argument, NULL, 'c' },
		{ "max-blobs", required_argument, NULL, 'm' },
		{ "xen-namespace", required_argument, NULL, 'x' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	unsigned long long v;
	int opt;

	o->json = false;
	o->count = -1;
	o->max_blobs = DECODE_DEFAULT_MAX_BLOBS;
	o->xen_namespace = NULL;
	opterr = 0;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "+", longopts, NULL)) != -1) {
		switch (opt) {
		case 'j':
			o->json = true;
			break;
		case 'c': {
			uint64_t n;

			/* As the daemon reads the device model's count. */
			if (!parse_input_number(optarg, &n) || n > INT32_MAX) {
				usage_error("bad --count", optarg);
				return -1;
			}
			o->count = (long long)n;
			break;
		}
		case 'm':
			if (cli_uint(optarg, UINT32_MAX, &v) < 0) {
				usage_error("bad --max-blobs", optarg);
				return -1;
			}
			o->max_blobs = (size_t)v;
			break;
		case 'x':
			o->xen_namespace = optarg;
			break;
		case 'h':
			fputs(usage, stdout);
			return 1;
		default:
			usage_error("unknown or incomplete option",
				    optind > 1 ? argv[optind - 1] : NULL);
			return -1;
		}
	}
	if (argc - optind != 1) {
		usage_error(argc - optind ? "expects one AREA file" : "missing AREA file", NULL);
		return -1;
	}
	o->area = argv[optind];
	return 0;
}

static struct ns *load_xen(const char *path)
{
	uint8_t *img;
	size_t len;
	struct ns *ns;
	struct findings f;

	if (read_file(path, DECODE_MAX_FILE, &img, &len) < 0) {
		fprintf(stderr, "dmacpictl decode: %s: %s\n", path, read_file_strerror(errno));
		return NULL;
	}
	ns = ns_new();
	if (!ns) {
		free(img);
		fprintf(stderr, "dmacpictl decode: out of memory\n");
		return NULL;
	}
	findings_init(&f);
	if (ns_load_image(ns, img, len, &f) < 0) {
		if (f.n)
			fprintf(stderr, "dmacpictl decode: %s: builtin:%s @0x%zx: %s\n", path,
				f.v[0].check, f.v[0].offset, f.v[0].message);
		else
			fprintf(stderr, "dmacpictl decode: %s: no AML table found\n", path);
		ns_free(ns);
		ns = NULL;
	}
	findings_free(&f);
	free(img);
	return ns;
}

/* Printable copy of an id with its NUL and space padding trimmed. */
static void id_text(char *dst, size_t dstlen, const char *id)
{
	size_t n = strlen(id);

	while (n && id[n - 1] == ' ')
		n--;
	text_escape(dst, dstlen, (const uint8_t *)id, n);
}

static const char *kind_name(uint32_t type)
{
	return type == BLOB_TABLE ? "table" : "device";
}

/* Messages come from checks of hostile bytes: keep the output one line. */
static void text_str(FILE *out, const char *s)
{
	for (; *s; s++)
		fputc((unsigned char)*s >= 0x20 && (unsigned char)*s < 0x7f ? *s : '?', out);
}

static void text_findings(FILE *out, const struct findings *f)
{
	if (!findings_total(f)) {
		fputs("ok", out);
		return;
	}
	for (size_t i = 0; i < f->n; i++) {
		fprintf(out, "%sbuiltin:%s @0x%zx: ", i ? "; " : "", f->v[i].check, f->v[i].offset);
		text_str(out, f->v[i].message);
	}
	if (f->lost)
		fprintf(out, "%s(%zu more)", f->n ? "; " : "", f->lost);
}

static void json_findings(FILE *out, const struct findings *f)
{
	fputs("\"findings\":[", out);
	for (size_t i = 0; i < f->n; i++) {
		char check[64];

		snprintf(check, sizeof(check), "builtin:%s", f->v[i].check);
		fputs(i ? ",{\"check\":" : "{\"check\":", out);
		text_print_json(out, check);
		fprintf(out, ",\"kind\":\"%s\",\"offset\":%zu,\"message\":",
			f->v[i].kind == FINDING_FORBIDDEN ? "forbidden" : "malformed",
			f->v[i].offset);
		text_print_json(out, f->v[i].message);
		fputc('}', out);
	}
	fprintf(out, "],\"findings_lost\":%zu", f->lost);
}

static const char *blob_verdict(const struct findings *f)
{
	if (findings_have(f, FINDING_MALFORMED) || (f->lost && !f->n))
		return "malformed";
	if (findings_have(f, FINDING_FORBIDDEN))
		return "forbidden";
	return "ok";
}

static void print_blob(FILE *out, bool json, size_t i, const struct blob_check *c)
{
	const struct blob *b = c->blob;
	char oem[32], oem_table[48], creator[24];

	if (c->has_header) {
		id_text(oem, sizeof(oem), c->hdr.oem_id);
		id_text(oem_table, sizeof(oem_table), c->hdr.oem_table_id);
		id_text(creator, sizeof(creator), c->hdr.creator_id);
	}
	if (!json) {
		fprintf(out, "%zu 0x%08zx %-6s %-4s %8zu ", i, b->offset, kind_name(b->type),
			c->object, b->size);
		if (c->has_header)
			fprintf(out, "\"%s\" \"%s\" ", oem, oem_table);
		else
			fputs("- - ", out);
		text_findings(out, &c->findings);
		fputc('\n', out);
		return;
	}
	fprintf(out, "%s{\"index\":%zu,\"kind\":\"%s\",\"object\":", i ? "," : "", i,
		kind_name(b->type));
	text_print_json(out, c->object);
	fprintf(out, ",\"offset\":%zu,\"size\":%zu", b->offset, b->size);
	if (c->has_header) {
		fputs(",\"oem_id\":", out);
		text_print_json(out, oem);
		fputs(",\"oem_table_id\":", out);
		text_print_json(out, oem_table);
		fprintf(out, ",\"oem_revision\":%" PRIu32 ",\"revision\":%u,\"creator_id\":",
			c->hdr.oem_revision, c->hdr.revision);
		text_print_json(out, creator);
		fprintf(out, ",\"creator_revision\":%" PRIu32, c->hdr.creator_revision);
	}
	if (b->type == BLOB_DEVICE && c->has_aml && c->aml.hid[0]) {
		char hid[sizeof(c->aml.hid) * 4];

		text_escape(hid, sizeof(hid), (const uint8_t *)c->aml.hid, strlen(c->aml.hid));
		fputs(",\"hid\":", out);
		text_print_json(out, hid);
	}
	fprintf(out, ",\"verdict\":\"%s\",", blob_verdict(&c->findings));
	json_findings(out, &c->findings);
	fputc('}', out);
}

int cmd_decode(int argc, char **argv)
{
	struct decode_opts o;
	struct ns *xen = NULL;
	uint8_t *buf;
	size_t len;
	struct area a;
	struct findings af;
	struct blob_check *checks;
	bool valid;
	int parsed;
	FILE *out = stdout;

	switch (parse_args(argc, argv, &o)) {
	case -1:
		return EXIT_USAGE;
	case 1:
		return 0;	/* --help */
	}
	if (read_file(o.area, DECODE_MAX_FILE, &buf, &len) < 0) {
		fprintf(stderr, "dmacpictl decode: %s: %s\n", o.area, read_file_strerror(errno));
		return EXIT_USAGE;
	}
	if (o.xen_namespace && !(xen = load_xen(o.xen_namespace))) {
		free(buf);
		return EXIT_USAGE;
	}

	findings_init(&af);
	parsed = area_parse(buf, len, o.count, o.max_blobs, &a, &af);
	checks = calloc(a.count ? a.count : 1, sizeof(*checks));
	if (!checks) {
		fprintf(stderr, "dmacpictl decode: out of memory\n");
		area_free(&a);
		findings_free(&af);
		if (xen)
			ns_free(xen);
		free(buf);
		return EXIT_USAGE;
	}
	valid = parsed == 0;
	for (size_t i = 0; i < a.count; i++) {
		validate_blob(&a.blobs[i], xen, &checks[i]);
		if (findings_total(&checks[i].findings))
			valid = false;
	}

	if (o.json) {
		fprintf(out, "{\"verdict\":\"%s\",\"length\":%zu,\"count\":%zu,",
			valid ? "ok" : "invalid", len, a.count);
		if (o.count >= 0)
			fprintf(out, "\"expected_count\":%lld,", o.count);
		fprintf(out, "\"max_blobs\":%zu,\"well_formed\":%s,", o.max_blobs,
			parsed == 0 ? "true" : "false");
		json_findings(out, &af);
		fputs(",\"blobs\":[", out);
		for (size_t i = 0; i < a.count; i++)
			print_blob(out, true, i, &checks[i]);
		fputs("]}\n", out);
	} else {
		for (size_t i = 0; i < a.count; i++)
			print_blob(out, false, i, &checks[i]);
		if (findings_total(&af)) {
			fputs("area: ", out);
			text_findings(out, &af);
			fputc('\n', out);
		}
		fprintf(out, "area: %zu bytes, %zu blob%s: %s\n", len, a.count,
			a.count == 1 ? "" : "s", valid ? "ok" : "invalid");
	}

	for (size_t i = 0; i < a.count; i++)
		blob_check_free(&checks[i]);
	free(checks);
	area_free(&a);
	findings_free(&af);
	if (xen)
		ns_free(xen);
	free(buf);
	if (fflush(out) || ferror(out)) {
		fprintf(stderr, "dmacpictl decode: write error: %s\n", strerror(errno));
		return EXIT_USAGE;
	}
	return valid ? 0 : EXIT_NO;
}
