// SPDX-License-Identifier: GPL-2.0-or-later
/* The normalized policy: every setting spelled out, rules in one canonical
 * form that parses back to the same policy. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "aml.h"
#include "policy-int.h"
#include "text.h"

const char *cmp_op_name(enum cmp_op op)
{
	static const char *const names[] = { "==", "!=", "<", "<=", ">", ">=" };

	return (unsigned)op < 6 ? names[op] : "?";
}

void policy_print_size(char *out, size_t outlen, uint64_t bytes)
{
	static const struct { uint64_t mul; char unit; } units[] = {
		{ 1024ull * 1024 * 1024, 'G' }, { 1024 * 1024, 'M' }, { 1024, 'K' },
	};

	for (size_t i = 0; i < 3; i++) {
		if (bytes && bytes % units[i].mul == 0) {
			snprintf(out, outlen, "%" PRIu64 "%c", bytes / units[i].mul, units[i].unit);
			return;
		}
	}
	snprintf(out, outlen, "%" PRIu64, bytes);
}

void policy_print_time(char *out, size_t outlen, uint32_t ms)
{
	if (ms % 1000 == 0)
		snprintf(out, outlen, "%us", ms / 1000);
	else
		snprintf(out, outlen, "%ums", ms);
}

static bool is_keyword(const char *s)
{
	static const char *const words[] = { "if", "to", "reason", "label", "and", "or", "not" };

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (!strcmp(s, words[i]))
			return true;
	return false;
}

/* A word stays bare when it lexes back as the same word. */
static void print_word(FILE *out, const char *s)
{
	bool bare = *s && *s != '#' && !is_keyword(s);

	for (const char *p = s; *p && bare; p++)
		bare = *p > ' ' && *p < 0x7f && *p != '"' && *p != '(' && *p != ')';
	if (bare)
		fputs(s, out);
	else
		text_print_quoted(out, s);
}

static void print_cond(FILE *out, const struct cond *c, bool nested)
{
	char num[32];

	switch (c->kind) {
	case COND_AND:
	case COND_OR:
		if (nested)
			fputc('(', out);
		for (size_t i = 0; i < c->nkids; i++) {
			if (i)
				fputs(c->kind == COND_AND ? " and " : " or ", out);
			/* "and" binds tighter than "or": only an "or" inside an "and" needs parentheses. */
			print_cond(out, c->kids[i], c->kind == COND_AND && c->kids[i]->kind == COND_OR);
		}
		if (nested)
			fputc(')', out);
		break;
	case COND_NOT:
		fputs("not ", out);
		print_cond(out, c->kids[0], true);
		break;
	case COND_DOMAIN_NAME:
		fputs("domain-name ", out);
		text_print_quoted(out, c->str);
		break;
	case COND_DOMAIN_KEY:
		fputs("domain-key ", out);
		print_word(out, c->str);
		if (c->value) {
			fputs(" == ", out);
			text_print_quoted(out, c->value);
		}
		break;
	case COND_SIZE:
		policy_print_size(num, sizeof(num), c->num);
		fprintf(out, "size %s %s", cmp_op_name(c->op), num);
		break;
	case COND_REVISION:
		fprintf(out, "revision %s %" PRIu64, cmp_op_name(c->op), c->num);
		break;
	case COND_OEM_ID:
		fputs("oem-id ", out);
		text_print_quoted(out, c->str);
		break;
	case COND_OEM_TABLE_ID:
		fputs("oem-table-id ", out);
		text_print_quoted(out, c->str);
		break;
	case COND_HID:
		fputs("hid ", out);
		text_print_quoted(out, c->str);
		break;
	}
}

static void print_rule(FILE *out, const struct rule *r)
{
	fprintf(out, "# %s:%u\n%s ", r->file, r->line, action_name(r->action));
	if (r->sel == SEL_ANY)
		fputs("any", out);
	else
		fputs(r->sel == SEL_TABLE ? "table" : "device", out);
	for (size_t i = 0; i < r->npats; i++) {
		fputc(' ', out);
		print_word(out, r->pats[i]);
	}
	if (r->action == ACTION_RENAME)
		fprintf(out, " to %s", r->new_name);
	if (r->action == ACTION_SET_OEM) {
		fputs(" to ", out);
		text_print_quoted(out, r->oem_id);
		if (r->has_oem_table_id) {
			fputc(' ', out);
			text_print_quoted(out, r->oem_table_id);
		}
	}
	if (r->cond) {
		fputs(" if ", out);
		print_cond(out, r->cond, false);
	}
	if (r->reason) {
		fputs(" reason ", out);
		text_print_quoted(out, r->reason);
	}
	if (r->label) {
		fputs(" label ", out);
		text_print_quoted(out, r->label);
	}
	fputc('\n', out);
}

void policy_print(const struct policy *p, FILE *out)
{
	const struct policy_settings *s = &p->settings;
	char buf[32];

	fprintf(out, "mode %s\n", s->mode == MODE_PERMISSIVE ? "permissive" : "enforce");
	policy_print_size(buf, sizeof(buf), s->max_area);
	fprintf(out, "max-area %s\n", buf);
	fprintf(out, "max-blobs %u\n", s->max_blobs);
	policy_print_time(buf, sizeof(buf), s->input_timeout_ms);
	fprintf(out, "input-timeout %s\n", buf);
	fprintf(out, "on-invalid %s\n", s->on_invalid == ON_INVALID_DROP ? "drop" : "reject");
	if (p->ns_none)
		fputs("xen-namespace none\n", out);
	for (size_t i = 0; i < p->nns_paths; i++) {
		fputs("xen-namespace ", out);
		/* A file named none, quoted, is not the keyword. */
		if (!strcmp(p->ns_paths[i].path, "none"))
			text_print_quoted(out, "none");
		else
			print_word(out, p->ns_paths[i].path);
		fputc('\n', out);
	}
	for (size_t i = 0; i < p->ncalls; i++) {
		char shown[AML_PATH_MAX];

		aml_path_display(p->calls[i], shown, sizeof(shown));
		fprintf(out, "allow-call %s\n", shown);
	}
	fprintf(out, "gate %s\n", s->gate == GATE_PAUSE ? "pause" : "none");
	policy_print_time(buf, sizeof(buf), s->gate_timeout_ms);
	fprintf(out, "gate-timeout %s\n", buf);
	if (s->log_limit) {
		policy_print_time(buf, sizeof(buf), s->log_window_ms);
		fprintf(out, "log-limit %" PRIu32 "/%s\n", s->log_limit, buf);
	} else {
		fputs("log-limit none\n", out);
	}
	if (p->nrules)
		fputs("\n# rules, first match wins; a blob no rule matches is denied\n", out);
	for (size_t i = 0; i < p->nrules; i++)
		print_rule(out, &p->rules[i]);
}
