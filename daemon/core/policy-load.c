// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Loading a policy: the main file and the *.policy files of policy.d in name order, each
 * parsed on its own, then Xen's namespace from the xen-namespace files.
 * Diagnostics are collected, never printed here.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "namespace.h"
#include "policy-int.h"
#include "readfile.h"

void diags_init(struct diags *d)
{
	memset(d, 0, sizeof(*d));
}

void diags_free(struct diags *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].file);
		free(d->v[i].message);
	}
	free(d->v);
	diags_init(d);
}

void diags_add(struct diags *d, const char *file, unsigned line, unsigned col, bool warning,
	       const char *fmt, ...)
{
	struct diag *v, *x;
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* Count even when memory runs out, so an error is never lost as "valid". */
	if (warning)
		d->warnings++;
	else
		d->errors++;
	v = realloc(d->v, (d->n + 1) * sizeof(*v));
	if (!v)
		return;
	d->v = v;
	x = &v[d->n];
	x->file = strdup(file);
	x->message = strdup(msg);
	if (!x->file || !x->message) {
		free(x->file);
		free(x->message);
		return;
	}
	x->line = line;
	x->col = col;
	x->warning = warning;
	d->n++;
}

void diags_print(const struct diags *d, FILE *out)
{
	for (size_t i = 0; i < d->n; i++) {
		const struct diag *x = &d->v[i];

		if (x->line)
			fprintf(out, "%s:%u:%u: %s%s\n", x->file, x->line, x->col,
				x->warning ? "warning: " : "", x->message);
		else
			fprintf(out, "%s: %s%s\n", x->file, x->warning ? "warning: " : "", x->message);
	}
}

/* Order diagnostics by file (in parse order), line and column. */
static void diags_sort(struct diags *d, size_t from, char *const *files, size_t nfiles)
{
	for (size_t i = from + 1; i < d->n; i++) {
		struct diag x = d->v[i];
		size_t j = i, rank_x = nfiles;

		for (size_t k = 0; k < nfiles; k++)
			if (!strcmp(files[k], x.file))
				rank_x = k;
		while (j > from) {
			const struct diag *y = &d->v[j - 1];
			size_t rank_y = nfiles;

			for (size_t k = 0; k < nfiles; k++)
				if (!strcmp(files[k], y->file))
					rank_y = k;
			if (rank_y < rank_x || (rank_y == rank_x && (y->line < x.line ||
			    (y->line == x.line && y->col <= x.col))))
				break;
			d->v[j] = *y;
			j--;
		}
		d->v[j] = x;
	}
}

struct policy *policy_new(void)
{
	struct policy *p = calloc(1, sizeof(*p));

	if (!p)
		return NULL;
	p->settings.mode = MODE_ENFORCE;
	p->settings.max_area = 1024 * 1024;
	p->settings.max_blobs = 64;
	p->settings.input_timeout_ms = 10 * 1000;
	p->settings.on_invalid = ON_INVALID_REJECT;
	p->settings.gate = GATE_NONE;
	p->settings.gate_timeout_ms = 30 * 1000;
	p->settings.log_limit = 10;
	p->settings.log_window_ms = 60 * 1000;
	return p;
}

void policy_free(struct policy *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->nrules; i++)
		policy_rule_free(&p->rules[i]);
	free(p->rules);
	for (size_t i = 0; i < p->nns_paths; i++)
		free(p->ns_paths[i].path);
	free(p->ns_paths);
	for (size_t i = 0; i < p->ncalls; i++)
		free(p->calls[i]);
	free(p->calls);
	for (size_t i = 0; i < p->nfiles; i++)
		free(p->files[i]);
	free(p->files);
	for (size_t i = 0; i < p->nkeys; i++)
		free(p->keys[i]);
	free(p->keys);
	if (p->xen)
		ns_free(p->xen);
	free(p);
}

const struct policy_settings *policy_settings(const struct policy *p)
{
	return &p->settings;
}

const struct ns *policy_xen_namespace(const struct policy *p)
{
	return p->xen;
}

size_t policy_domain_keys(const struct policy *p, const char *const **keys)
{
	*keys = (const char *const *)p->keys;
	return p->nkeys;
}

bool policy_tests_domain_name(const struct policy *p)
{
	return p->tests_name;
}

size_t policy_rule_count(const struct policy *p)
{
	return p->nrules;
}

/* Read every xen-namespace file into one namespace. */
static void load_namespace(struct policy *p, struct diags *d)
{
	if (!p->nns_paths)
		return;
	p->xen = ns_new();
	if (!p->xen) {
		diags_add(d, p->ns_paths[0].file, p->ns_paths[0].line, p->ns_paths[0].col, false,
			  "out of memory");
		return;
	}
	for (size_t i = 0; i < p->nns_paths; i++) {
		const struct ns_path *np = &p->ns_paths[i];
		struct findings f;
		uint8_t *buf;
		size_t len;

		if (read_file(np->path, POLICY_NS_FILE_MAX, &buf, &len)) {
			diags_add(d, np->file, np->line, np->col, false, "cannot read %s: %s",
				  np->path, errno == EFBIG ? "file larger than 64M" : read_file_strerror(errno));
			continue;
		}
		findings_init(&f);
		if (ns_load_image(p->xen, buf, len, &f) <= 0) {
			const struct finding *x = f.n ? &f.v[0] : NULL;

			diags_add(d, np->file, np->line, np->col, false,
				  "cannot read Xen's namespace from %s: %s", np->path,
				  x ? x->message : "it holds no DSDT or SSDT");
		}
		findings_free(&f);
		free(buf);
	}
}

/*
 * The xen-namespace paths still relative (to the working directory) made
 * absolute: so that the policy means the same whatever the directory, and
 * `check -v` prints a policy that parses back alike wherever it is saved.
 * One left relative when the directory cannot be had (the daemon's is /).
 */
static void absolute_paths(struct policy *p, struct diags *d)
{
	char cwd[4096];
	bool have_cwd = false;

	for (size_t i = 0; i < p->nns_paths; i++) {
		struct ns_path *np = &p->ns_paths[i];
		char *abs;

		if (np->path[0] == '/')
			continue;
		if (!have_cwd && !(have_cwd = getcwd(cwd, sizeof(cwd)) != NULL))
			return;
		abs = malloc(strlen(cwd) + 1 + strlen(np->path) + 1);
		if (!abs) {
			diags_add(d, np->file, np->line, np->col, false, "out of memory");
			continue;
		}
		sprintf(abs, "%s/%s", cwd, np->path);
		free(np->path);
		np->path = abs;
	}
}

static struct policy *finish(struct policy *p, struct diags *d, size_t first_diag, bool load_ns)
{
	/* Without Xen's namespace a device model could define a device Xen
	 * already has: say so unless the policy asks for that in so many words. */
	if (p->ns_none && p->nns_paths)
		diags_add(d, p->ns_paths[0].file, p->ns_paths[0].line, p->ns_paths[0].col, false,
			  "xen-namespace none and xen-namespace files contradict each other");
	else if (!p->ns_none && !p->nns_paths && p->nfiles && !d->errors)
		diags_add(d, p->files[0], 0, 0, true,
			  "no xen-namespace: collisions with Xen's own ACPI namespace are NOT checked; name hvmloader (or its .aml tables), or write 'xen-namespace none'");
	absolute_paths(p, d);
	if (load_ns)
		load_namespace(p, d);
	diags_sort(d, first_diag, p->files, p->nfiles);
	if (d->errors) {
		policy_free(p);
		return NULL;
	}
	return p;
}

static void parse_dropins(struct policy *p, const char *dropin_dir, struct diags *d);

static struct policy *parse_buffer(const char *name, const char *text, size_t len,
				   const char *dropin_dir, struct diags *d, bool load_ns)
{
	struct policy *p = policy_new();
	size_t first = d->n;

	if (!p) {
		diags_add(d, name, 0, 0, false, "out of memory");
		return NULL;
	}
	policy_parse_into(p, name, text, len, d);
	parse_dropins(p, dropin_dir, d);
	return finish(p, d, first, load_ns);
}

struct policy *policy_parse_buffer(const char *name, const char *text, size_t len,
				   struct diags *d)
{
	return parse_buffer(name, text, len, NULL, d, true);
}

struct policy *policy_parse_buffer_offline(const char *name, const char *text, size_t len,
					   struct diags *d)
{
	return parse_buffer(name, text, len, NULL, d, false);
}

struct policy *policy_load_text(const char *name, const char *text, size_t len,
				const char *dropin_dir, struct diags *d)
{
	return parse_buffer(name, text, len, dropin_dir, d, true);
}

static void parse_file(struct policy *p, const char *path, struct diags *d)
{
	uint8_t *buf;
	size_t len;

	if (read_file(path, POLICY_FILE_MAX, &buf, &len)) {
		diags_add(d, path, 0, 0, false, "cannot read: %s",
			  errno == EFBIG ? "file larger than 4M" : read_file_strerror(errno));
		return;
	}
	policy_parse_into(p, path, (const char *)buf, len, d);
	free(buf);
}

static int select_policy(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return e->d_name[0] != '.' && n > 7 && !strcmp(e->d_name + n - 7, ".policy");
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

static void parse_dropins(struct policy *p, const char *dropin_dir, struct diags *d)
{
	struct dirent **ents = NULL;
	int n;

	if (!dropin_dir)
		return;
	n = scandir(dropin_dir, &ents, select_policy, by_name);
	if (n < 0 && errno != ENOENT)
		diags_add(d, dropin_dir, 0, 0, false, "cannot read the directory: %s",
			  strerror(errno));
	for (int i = 0; i < n; i++) {
		char *path = malloc(strlen(dropin_dir) + strlen(ents[i]->d_name) + 2);

		if (path) {
			sprintf(path, "%s/%s", dropin_dir, ents[i]->d_name);
			parse_file(p, path, d);
		} else {
			diags_add(d, dropin_dir, 0, 0, false, "out of memory");
		}
		free(path);
		free(ents[i]);
	}
	free(ents);
}

struct policy *policy_load(const char *main_file, const char *dropin_dir, struct diags *d)
{
	struct policy *p = policy_new();
	size_t first = d->n;

	if (!p) {
		diags_add(d, main_file, 0, 0, false, "out of memory");
		return NULL;
	}
	parse_file(p, main_file, d);
	parse_dropins(p, dropin_dir, d);
	return finish(p, d, first, true);
}
