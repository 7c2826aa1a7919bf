// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * dmacpictl evaluate: decide a blob-area file offline with exactly the
 * daemon's code, print the decisions, optionally write the rewritten area.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "area.h"
#include "commands.h"
#include "evaluate.h"
#include "policy.h"
#include "readfile.h"
#include "text.h"

#define EVALUATE_AREA_MAX (256u * 1024 * 1024 + 1)
#define EVALUATE_MAX_KEYS 256

static const char *kind_name(uint32_t type)
{
	return type == BLOB_TABLE ? "table" : type == BLOB_DEVICE ? "device" : "unknown";
}

static void action_text(const struct blob_decision *b, char *out, size_t len)
{
	snprintf(out, len, "%s%s", b->would ? "would-" : "", action_name(b->action));
}

static void new_value(const struct blob_decision *b, char *out, size_t len)
{
	out[0] = '\0';
	if (b->action == ACTION_RENAME)
		snprintf(out, len, "%s", b->new_name);
	else if (b->action == ACTION_SET_OEM)
		snprintf(out, len, "%s%s%s", b->new_oem_id, b->new_oem_table_id[0] ? " " : "",
			 b->new_oem_table_id);
}

static void print_text(const struct verdict *v)
{
	for (size_t i = 0; i < v->nblobs; i++) {
		const struct blob_decision *b = &v->blobs[i];
		char act[32], to[32];

		action_text(b, act, sizeof(act));
		new_value(b, to, sizeof(to));
		printf("blob=%zu kind=%s object=", b->index, kind_name(b->type));
		text_print_quoted(stdout, b->object);
		printf(" offset=%zu size=%zu action=%s", b->offset, b->size, act);
		if (to[0]) {
			printf(" to=");
			text_print_quoted(stdout, to);
		}
		printf(" rule=%s reason=", b->rule);
		text_print_quoted(stdout, b->reason);
		if (b->label[0]) {
			printf(" label=");
			text_print_quoted(stdout, b->label);
		}
		putchar('\n');
	}
	if (v->approved) {
		printf("verdict=approved length=%zu count=%zu dropped=%zu checksum=0x%08x digest=%s"
		       " changed=%s\n", v->length, v->count, v->dropped, v->crc, v->digest,
		       v->changed ? "yes" : "no");
	} else {
		printf("verdict=rejected rule=%s reason=", v->rule);
		text_print_quoted(stdout, v->reason);
		putchar('\n');
	}
}

static void print_json(const struct verdict *v)
{
	printf("{\"verdict\":\"%s\",\"blobs\":[", v->approved ? "approved" : "rejected");
	for (size_t i = 0; i < v->nblobs; i++) {
		const struct blob_decision *b = &v->blobs[i];
		char to[32];

		new_value(b, to, sizeof(to));
		printf("%s{\"index\":%zu,\"kind\":\"%s\",\"object\":", i ? "," : "", b->index,
		       kind_name(b->type));
		text_print_json(stdout, b->object);
		printf(",\"offset\":%zu,\"size\":%zu,\"action\":\"%s\"", b->offset, b->size,
		       action_name(b->action));
		if (b->would)
			printf(",\"would\":true");
		if (to[0]) {
			printf(",\"to\":");
			text_print_json(stdout, to);
		}
		printf(",\"rule\":");
		text_print_json(stdout, b->rule);
		printf(",\"reason\":");
		text_print_json(stdout, b->reason);
		if (b->label[0]) {
			printf(",\"label\":");
			text_print_json(stdout, b->label);
		}
		putchar('}');
	}
	printf("],\"length\":%zu,\"count\":%zu,\"checksum\":\"0x%08x\"", v->length, v->count, v->crc);
	if (v->approved)
		printf(",\"digest\":\"%s\"", v->digest);
	if (!v->approved) {
		printf(",\"rule\":");
		text_print_json(stdout, v->rule);
		printf(",\"reason\":");
		text_print_json(stdout, v->reason);
	}
	printf("}\n");
}

static int write_area(const char *path, const uint8_t *p, size_t len)
{
	FILE *fp = fopen(path, "wb");

	if (!fp || (len && fwrite(p, 1, len, fp) != len)) {
		fprintf(stderr, "dmacpictl evaluate: %s: %s\n", path, strerror(errno));
		if (fp)
			fclose(fp);
		return -1;
	}
	if (fclose(fp)) {
		fprintf(stderr, "dmacpictl evaluate: %s: %s\n", path, strerror(errno));
		return -1;
	}
	return 0;
}

int cmd_evaluate(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "policy", required_argument, NULL, 'p' },
		{ "dropin", required_argument, NULL, 'D' },
		{ "domain-name", required_argument, NULL, 'n' },
		{ "domain-key", required_argument, NULL, 'k' },
		{ "domid", required_argument, NULL, 'd' },
		{ "count", required_argument, NULL, 'c' },
		{ "json", no_argument, NULL, 'j' },
		{ "out", required_argument, NULL, 'o' },
		{ "permissive", no_argument, NULL, 'P' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	struct domain_key keys[EVALUATE_MAX_KEYS];
	struct domain_facts dom = { .name = "" };
	const char *policy_file = NULL, *dropin = NULL, *out = NULL;
	bool json = false;
	unsigned flags = 0;
	long long count = -1;
	unsigned long long n;
	uint64_t c64;
	struct policy *p;
	struct diags d;
	struct verdict v;
	uint8_t *area;
	size_t len;
	int c, rc;

	optind = 1;
	while ((c = getopt_long(argc, argv, "p:D:n:k:d:c:jo:Ph", opts, NULL)) != -1) {
		switch (c) {
		case 'p':
			policy_file = optarg;
			break;
		case 'D':
			dropin = optarg;
			break;
		case 'n':
			dom.name = optarg;
			break;
		case 'k': {
			char *eq = strchr(optarg, '=');

			if (!eq || eq == optarg || dom.nkeys == EVALUATE_MAX_KEYS) {
				fprintf(stderr, "dmacpictl evaluate: --domain-key wants PATH=VALUE\n");
				return EXIT_USAGE;
			}
			*eq = '\0';
			keys[dom.nkeys].path = optarg;
			keys[dom.nkeys].value = eq + 1;
			dom.nkeys++;
			break;
		}
		case 'd':
			if (cli_uint(optarg, 0x7fef, &n)) {
				fprintf(stderr, "dmacpictl evaluate: bad domid '%s'\n", optarg);
				return EXIT_USAGE;
			}
			dom.domid = (unsigned)n;
			break;
		case 'c':
			/* As the daemon reads the device model's count. */
			if (!parse_input_number(optarg, &c64) || c64 > 1u << 30) {
				fprintf(stderr, "dmacpictl evaluate: bad count '%s'\n", optarg);
				return EXIT_USAGE;
			}
			count = (long long)c64;
			break;
		case 'j':
			json = true;
			break;
		case 'o':
			out = optarg;
			break;
		case 'P':
			flags |= EVALUATE_PERMISSIVE;
			break;
		case 'h':
			printf("Usage: dmacpictl evaluate --policy FILE [--dropin DIR] [--domain-name N]\n"
			       "         [--domain-key K=V]... [--domid D] [--count N] [--permissive]\n"
			       "         [--json] [--out FILE] AREA\n");
			return 0;
		default:
			return EXIT_USAGE;
		}
	}
	if (!policy_file || argc - optind != 1) {
		fprintf(stderr, "dmacpictl evaluate: needs --policy FILE and one AREA file\n");
		return EXIT_USAGE;
	}
	dom.keys = keys;

	diags_init(&d);
	p = policy_load(policy_file, dropin, &d);
	diags_print(&d, stderr);
	diags_free(&d);
	if (!p)
		return EXIT_USAGE;
	if (read_file(argv[optind], EVALUATE_AREA_MAX, &area, &len)) {
		fprintf(stderr, "dmacpictl evaluate: %s: %s\n", argv[optind], read_file_strerror(errno));
		policy_free(p);
		return EXIT_USAGE;
	}
	if (evaluate_ex(p, area, len, count, &dom, flags, &v)) {
		fprintf(stderr, "dmacpictl evaluate: out of memory\n");
		free(area);
		policy_free(p);
		return EXIT_USAGE;
	}
	if (json)
		print_json(&v);
	else
		print_text(&v);
	rc = v.approved ? 0 : EXIT_NO;
	if (out && v.approved && write_area(out, v.area, v.length))
		rc = EXIT_USAGE;
	if (fflush(stdout))
		rc = EXIT_USAGE;
	verdict_free(&v);
	free(area);
	policy_free(p);
	return rc;
}
