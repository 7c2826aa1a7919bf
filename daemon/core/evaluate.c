// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Deciding an area (SPEC sections 5-7):
 *   1. the chain (area_parse): a broken chain refuses the whole area;
 *   2. each blob's own invariants (validate_blob): malformed blobs follow
 *      on-invalid, forbidden ones are denied;
 *   3. the rules, top to bottom, first match wins, "implicit" deny;
 *   4. among the approved blobs, renamed devices re-parsed under their new
 *      name, then collisions and unresolved references until nothing
 *      changes (denying one blob can unresolve another, or leave one it
 *      collided with free of collisions);
 *   5. the rewrite, in enforce mode.
 */
#include <fnmatch.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "area.h"
#include "namespace.h"
#include "policy-int.h"
#include "rewrite.h"
#include "text.h"
#include "check-cache.h"
#include "validate.h"

struct blob_state {
	struct blob_check check;
	struct aml_info renamed;	/* the device under its new name */
	bool has_renamed;
	bool decided;
};

const char *action_name(enum action a)
{
	switch (a) {
	case ACTION_ALLOW: return "allow";
	case ACTION_DENY: return "deny";
	case ACTION_REJECT: return "reject";
	case ACTION_RENAME: return "rename";
	case ACTION_SET_OEM: return "set-oem";
	}
	return "unknown";
}

static bool kept(const struct blob_decision *d)
{
	return d->action == ACTION_ALLOW || d->action == ACTION_RENAME ||
	       d->action == ACTION_SET_OEM;
}

__attribute__((format(printf, 4, 5)))
static void decide(struct blob_decision *d, enum action a, const char *rule, const char *fmt, ...)
{
	va_list ap;

	d->action = a;
	text_copy(d->rule, sizeof(d->rule), rule);
	va_start(ap, fmt);
	vsnprintf(d->reason, sizeof(d->reason), fmt, ap);
	va_end(ap);
}

static void decide_finding(struct blob_decision *d, enum action a, const struct finding *f)
{
	char rule[DECISION_TEXT_MAX];

	snprintf(rule, sizeof(rule), "builtin:%s", f->check);
	decide(d, a, rule, "%s (at offset %zu)", f->message, f->offset);
}

/* ---- rule matching -------------------------------------------------- */

struct blob_facts {
	const struct blob *blob;
	const struct blob_check *check;
	const struct domain_facts *dom;
};

static bool cmp_num(enum cmp_op op, uint64_t a, uint64_t b)
{
	switch (op) {
	case CMP_EQ: return a == b;
	case CMP_NE: return a != b;
	case CMP_LT: return a < b;
	case CMP_LE: return a <= b;
	case CMP_GT: return a > b;
	case CMP_GE: return a >= b;
	}
	return false;
}

/* OEM ids are space padded in the table; patterns match the trimmed id. */
static bool match_id(const char *pat, const char *id)
{
	char trimmed[16];
	size_t n = strnlen(id, sizeof(trimmed) - 1);

	memcpy(trimmed, id, n);
	while (n && trimmed[n - 1] == ' ')
		n--;
	trimmed[n] = '\0';
	return fnmatch(pat, trimmed, 0) == 0;
}

static bool cond_match(const struct cond *c, const struct blob_facts *f)
{
	const struct domain_facts *dom = f->dom;

	switch (c->kind) {
	case COND_AND:
		for (size_t i = 0; i < c->nkids; i++)
			if (!cond_match(c->kids[i], f))
				return false;
		return true;
	case COND_OR:
		for (size_t i = 0; i < c->nkids; i++)
			if (cond_match(c->kids[i], f))
				return true;
		return false;
	case COND_NOT:
		return !cond_match(c->kids[0], f);
	case COND_DOMAIN_NAME:
		return fnmatch(c->str, dom->name ? dom->name : "", 0) == 0;
	case COND_DOMAIN_KEY:
		for (size_t i = 0; i < dom->nkeys; i++) {
			if (dom->keys[i].path && !strcmp(dom->keys[i].path, c->str))
				return !c->value || (dom->keys[i].value &&
						     !strcmp(dom->keys[i].value, c->value));
		}
		return false;
	case COND_SIZE:
		return cmp_num(c->op, f->blob->size, c->num);
	case COND_OEM_ID:
		return f->check->has_header && match_id(c->str, f->check->hdr.oem_id);
	case COND_OEM_TABLE_ID:
		return f->check->has_header && match_id(c->str, f->check->hdr.oem_table_id);
	case COND_REVISION:
		return f->check->has_header && cmp_num(c->op, f->check->hdr.revision, c->num);
	case COND_HID:
		return f->blob->type == BLOB_DEVICE && f->check->has_aml &&
		       !strcmp(f->check->aml.hid, c->str);
	}
	return false;
}

static bool rule_match(const struct rule *r, const struct blob_facts *f)
{
	bool sel = r->sel == SEL_ANY;

	if ((r->sel == SEL_TABLE && f->blob->type == BLOB_TABLE) ||
	    (r->sel == SEL_DEVICE && f->blob->type == BLOB_DEVICE)) {
		for (size_t i = 0; i < r->npats && !sel; i++)
			sel = fnmatch(r->pats[i], f->blob->name, 0) == 0;
	}
	return sel && (!r->cond || cond_match(r->cond, f));
}

static const struct rule *first_match(const struct policy *p, const struct blob_facts *f)
{
	for (size_t i = 0; i < p->nrules; i++)
		if (rule_match(&p->rules[i], f))
			return &p->rules[i];
	return NULL;
}

static void apply_rule(struct blob_decision *d, const struct rule *r)
{
	char where[DECISION_TEXT_MAX];

	snprintf(where, sizeof(where), "%s:%u", r->file, r->line);
	if (r->action == ACTION_RENAME)
		decide(d, r->action, where, "%s", r->reason ? r->reason : "renamed");
	else
		decide(d, r->action, where, "%s", r->reason ? r->reason : "");
	if (r->label)
		text_copy(d->label, sizeof(d->label), r->label);
	memcpy(d->new_name, r->new_name, sizeof(d->new_name));
	memcpy(d->new_oem_id, r->oem_id, sizeof(d->new_oem_id));
	if (r->has_oem_table_id)
		memcpy(d->new_oem_table_id, r->oem_table_id, sizeof(d->new_oem_table_id));
}

/* The first FORBIDDEN finding besides collisions with Xen's namespace,
 * which step 4 decides for a device the rules rename (the rename refused,
 * or the renamed device checked again); NULL when there is none.  When
 * some were not kept, what they were is unknown: the first of all. */
static const struct finding *forbidden_besides_xen(const struct findings *f)
{
	for (size_t i = 0; i < f->n; i++)
		if (f->v[i].kind == FINDING_FORBIDDEN && strcmp(f->v[i].check, "ns-collision"))
			return &f->v[i];
	return f->lost_kinds & FINDING_FORBIDDEN ? findings_first(f, FINDING_FORBIDDEN) : NULL;
}

/* ---- step 4: the approved blobs among themselves ------------------- */

static const struct aml_info *effective_aml(const struct blob_state *st)
{
	if (st->has_renamed)
		return &st->renamed;
	return st->check.has_aml ? &st->check.aml : NULL;
}

/*
 * The device under its new name, checked again: what its AML names is
 * relative to the name (a reference to \_SB.OLD.X is outside \_SB.NEW),
 * so a built-in check it fails now denies it.  Through the check cache, as
 * any blob: the renamed bytes are what it keys.  A collision with Xen's
 * namespace is step 4's to decide (rename refused), not a finding here.
 */
static int rename_device(const struct blob *b, const struct ns *xen, struct check_cache *checks,
			 struct blob_state *st, const char new_name[4], struct blob_decision *d)
{
	uint8_t *copy = malloc(b->data_len);
	struct blob renamed = *b;
	const struct finding *why;
	struct blob_check c;

	if (!copy)
		return -1;
	memcpy(copy, b->data, b->data_len);
	memcpy(copy, new_name, 4);
	memcpy(renamed.name, new_name, 4);
	renamed.data = copy;
	check_cache_validate(checks, &renamed, xen, &c);
	if (c.findings.no_memory) {
		blob_check_free(&c);
		free(copy);
		return -1;
	}
	if ((why = forbidden_besides_xen(&c.findings)) ||
	    (why = findings_first(&c.findings, FINDING_MALFORMED)))
		decide_finding(d, ACTION_DENY, why);
	st->has_renamed = c.has_aml;
	if (c.has_aml) {	/* moved: c keeps only its findings */
		st->renamed = c.aml;
		aml_info_init(&c.aml);
	}
	blob_check_free(&c);
	free(copy);
	return 0;
}

static bool creates(const struct aml_object *o)
{
	return o->type != AML_OBJ_EXTERNAL && o->type != AML_OBJ_SCOPE;
}

/*
 * Bookkeeping per path among the approved blobs, keyed by the path's entry
 * in a namespace (entries never move): the first blob that defines it, how
 * many approved blobs still add it, and the references resolved to it.
 */
#define NO_INDEX SIZE_MAX

struct path_slot {
	const struct ns_entry *key;	/* NULL: free slot */
	size_t definer;
	size_t live;
	size_t deps;			/* first of a list in refs_state.deps */
};

struct path_map {
	struct path_slot *slots;
	size_t cap;			/* power of two, or 0 */
	size_t count;
};

static size_t slot_of(const struct path_map *m, const struct ns_entry *key)
{
	size_t i = (size_t)(((uintptr_t)key >> 3) * 0x9e3779b97f4a7c15ULL >> 20) & (m->cap - 1);

	while (m->slots[i].key && m->slots[i].key != key)
		i = (i + 1) & (m->cap - 1);
	return i;
}

static struct path_slot *path_find(const struct path_map *m, const struct ns_entry *key)
{
	size_t i;

	if (!m->cap || !key)
		return NULL;
	i = slot_of(m, key);
	return m->slots[i].key ? &m->slots[i] : NULL;
}

/* The slot of key, added when absent; NULL on no memory. */
static struct path_slot *path_get(struct path_map *m, const struct ns_entry *key)
{
	size_t i;

	if (!key)
		return NULL;
	if ((m->count + 1) * 2 > m->cap) {
		struct path_map n = { .cap = m->cap ? m->cap * 2 : 64, .count = m->count };

		n.slots = calloc(n.cap, sizeof(*n.slots));
		if (!n.slots)
			return NULL;
		for (size_t k = 0; k < m->cap; k++)
			if (m->slots[k].key)
				n.slots[slot_of(&n, m->slots[k].key)] = m->slots[k];
		free(m->slots);
		*m = n;
	}
	i = slot_of(m, key);
	if (!m->slots[i].key) {
		m->slots[i] = (struct path_slot){ .key = key, .definer = NO_INDEX, .deps = NO_INDEX };
		m->count++;
	}
	return &m->slots[i];
}

static void deny_collision(struct blob_decision *d, const struct aml_object *o, const char *where)
{
	char path[AML_PATH_MAX], shown[AML_PATH_MAX];
	bool renamed = d->action == ACTION_RENAME;

	aml_path_text(o->seg, o->nseg, path);
	aml_path_display(path, shown, sizeof(shown));
	if (renamed)
		decide(d, ACTION_DENY, "builtin:ns-collision", "rename to %s refused: %s already exists in %s",
		       d->new_name, shown, where);
	else
		decide(d, ACTION_DENY, "builtin:ns-collision", "%s already exists in %s", shown, where);
}

/* Does object o of blob i collide with Xen's namespace (the parser looked
 * it up there) or an earlier approved blob?  where names it: the blob that
 * first defines the path, or i itself when earlier blobs only open it as a
 * scope. */
static bool collides(size_t i, const struct ns *approved, const struct path_map *defs,
		     const struct aml_object *o, char where[64])
{
	const struct ns_entry *e;
	const struct path_slot *slot;

	if (o->in_known) {
		text_copy(where, 64, "Xen's namespace");
		return true;
	}
	e = approved ? ns_get_segs(approved, o->seg, o->nseg) : NULL;
	if (e) {
		slot = path_find(defs, e);
		snprintf(where, 64, "blob %zu", slot && slot->definer != NO_INDEX ? slot->definer : i);
		return true;
	}
	return false;
}

/* Note blob i as the definer of o's path (already in approved) if it is the first. */
static int note_definer(struct path_map *defs, const struct ns *approved,
			const struct aml_object *o, size_t i)
{
	struct path_slot *slot = path_get(defs, ns_get_segs(approved, o->seg, o->nseg));

	if (!slot)
		return -1;
	if (slot->definer == NO_INDEX)
		slot->definer = i;
	return 0;
}

/* Add the names of blob i (info: its AML) to approved. */
static int approve_names(const struct aml_info *info, size_t i, struct ns *approved,
			 struct path_map *defs)
{
	if (ns_add_info(approved, info) < 0)
		return -1;
	for (size_t k = 0; k < info->nobjs; k++)
		if (creates(&info->objs[k]) && note_definer(defs, approved, &info->objs[k], i) < 0)
			return -1;
	return 0;
}

/*
 * The approved blobs' namespace is needed to check them against each other
 * and to resolve their references: not for a lone blob with AML that
 * refers to nothing outside itself (QEMU's NVDIMM device).
 */
static bool need_approved_ns(const struct area *a, const struct blob_state *st,
			     const struct blob_decision *dec)
{
	size_t naml = 0;

	for (size_t i = 0; i < a->count; i++) {
		const struct aml_info *info = effective_aml(&st[i]);

		if (!kept(&dec[i]) || !info)
			continue;
		if (info->nrefs || (info->nobjs && ++naml > 1))
			return true;
	}
	return false;
}

/*
 * Collisions, in blob order: each approved blob against Xen's namespace
 * and the blobs approved before it.  A device blob's device is the first
 * of its objects (aml.h), so a clash on it names the device.  Denying a
 * blob never makes another collide, so one pass reaches the fixed point
 * (but see check_approved()).  At the first collision, *before (when
 * NULL) receives a copy of every decision as it was.
 * The namespace of the blobs still approved and its bookkeeping are
 * handed to check_references() in *approved and *defs, not built again
 * there (*approved is NULL when need_approved_ns() sees no use for it).
 * Returns 0, or -1 on no memory.
 */
static int check_collisions(const struct area *a, struct blob_state *st,
			    struct blob_decision *dec, struct ns **approved_out,
			    struct path_map *defs_out, struct blob_decision **before)
{
	struct ns *approved = NULL;
	struct path_map defs = { 0 };
	int ret = -1;

	if (need_approved_ns(a, st, dec) && !(approved = ns_new_pathless(0)))
		return -1;
	for (size_t i = 0; i < a->count; i++) {
		const struct aml_info *info = effective_aml(&st[i]);
		bool denied = false;

		if (!kept(&dec[i]) || !info)
			continue;
		for (size_t k = 0; k < info->nobjs && !denied; k++) {
			char where[64];

			if (!creates(&info->objs[k]) ||
			    !collides(i, approved, &defs, &info->objs[k], where))
				continue;
			if (!*before) {
				if (!(*before = malloc(a->count * sizeof(**before))))
					goto out;
				memcpy(*before, dec, a->count * sizeof(*dec));
			}
			deny_collision(&dec[i], &info->objs[k], where);
			denied = true;
		}
		if (!denied && approved && approve_names(info, i, approved, &defs) < 0)
			goto out;
	}
	*approved_out = approved;
	*defs_out = defs;
	return 0;
out:
	free(defs.slots);
	ns_free(approved);
	return ret;
}

/* A reference resolved to an approved path: to check again if that path
 * goes away. */
struct ref_dep {
	size_t blob, ref;
	size_t next;
};

struct refs_state {
	const struct ns *spaces[2];
	size_t nspaces;
	const struct ns *xen;
	struct ns *all;			/* every path the approved blobs add */
	struct path_map paths;		/* keyed by entries of all */
	struct ref_dep *deps;
	size_t ndeps, capdeps;
	struct ref_dep *todo, *next;	/* (blob, ref) to check this round, the next */
	size_t ntodo, nnext, captodo, capnext;
};

static int push(struct ref_dep **v, size_t *n, size_t *cap, size_t blob, size_t ref,
		size_t next)
{
	if (*n == *cap) {
		size_t ncap = *cap ? *cap * 2 : 256;
		struct ref_dep *nv = realloc(*v, ncap * sizeof(*nv));

		if (!nv)
			return -1;
		*v = nv;
		*cap = ncap;
	}
	(*v)[(*n)++] = (struct ref_dep){ blob, ref, next };
	return 0;
}

/* "\A.B.N" found at level 2: the search goes on from "\A", level 1. */
static bool scope_above(const char *found, char *scope)
{
	char *dot;

	text_copy(scope, AML_PATH_MAX, found);
	dot = strrchr(scope, '.');
	if (!dot)
		return false;	/* found at the root: nothing above */
	*dot = '\0';
	dot = strrchr(scope, '.');
	if (dot)
		*dot = '\0';
	else
		scope[1] = '\0';
	return true;
}

/*
 * Resolve r among the approved paths still live and Xen's namespace, as
 * ns_resolve() over a namespace of exactly those would.  *on is the
 * approved path it resolved to (NULL: Xen's, which stays).
 */
static bool resolve_live(const struct refs_state *rs, const struct aml_ref *r,
			 struct path_slot **on, char found[AML_PATH_MAX])
{
	bool lone = r->name[0] && !strpbrk(r->name, "\\^.");
	char scope[AML_PATH_MAX];

	text_copy(scope, sizeof(scope), r->scope);
	for (;;) {
		struct path_slot *slot;

		if (!ns_resolve(rs->spaces, rs->nspaces, scope, r->name, found))
			return false;
		if (rs->xen && ns_get(rs->xen, found)) {
			*on = NULL;
			return true;
		}
		slot = path_find(&rs->paths, ns_get(rs->all, found));
		if (slot && slot->live) {
			*on = slot;
			return true;
		}
		/* Found only where the approved no longer define it: a lone
		 * NameSeg searches on in the scopes above, anything else fails. */
		if (!lone || !scope_above(found, scope))
			return false;
	}
}

/* One approved blob more (by = +1) or less (by = -1) adds path; when none
 * adds it any more, the references resolved to it go to the next round. */
static int count_path(struct refs_state *rs, const struct aml_object *o, int by)
{
	struct path_slot *slot = path_get(&rs->paths, ns_get_segs(rs->all, o->seg, o->nseg));

	if (!slot)
		return -1;
	if (by > 0) {
		slot->live++;
		return 0;
	}
	if (--slot->live)
		return 0;
	for (size_t d = slot->deps; d != NO_INDEX; d = rs->deps[d].next)
		if (push(&rs->next, &rs->nnext, &rs->capnext, rs->deps[d].blob, rs->deps[d].ref,
			 NO_INDEX) < 0)
			return -1;
	slot->deps = NO_INDEX;
	return 0;
}

/* The paths blob i adds (check_collisions put them in rs->all): its
 * objects but External ones, its device first among them. */
static int count_names(struct refs_state *rs, const struct aml_info *info, int by)
{
	for (size_t k = 0; info && k < info->nobjs; k++)
		if (info->objs[k].type != AML_OBJ_EXTERNAL &&
		    count_path(rs, &info->objs[k], by) < 0)
			return -1;
	return 0;
}

static int by_blob_ref(const void *x, const void *y)
{
	const struct ref_dep *a = x, *b = y;

	if (a->blob != b->blob)
		return a->blob < b->blob ? -1 : 1;
	return a->ref < b->ref ? -1 : a->ref > b->ref;
}

/* The type of a path resolve_live() found. */
static uint8_t live_type(const struct refs_state *rs, const char *found)
{
	const struct ns_entry *e = rs->xen ? ns_get(rs->xen, found) : NULL;

	if (!e)
		e = ns_get(rs->all, found);
	return e ? e->type : 0;
}

static bool call_allowed(const struct policy *p, const char *path)
{
	for (size_t i = 0; i < p->ncalls; i++)
		if (!strcmp(p->calls[i], path))
			return true;
	return false;
}

/* A device body calling a method outside the device that no allow-call names. */
static bool outside_call(const struct policy *p, struct blob_decision *d, const struct aml_ref *r,
			 const char *path)
{
	char shown[AML_PATH_MAX], scope[AML_PATH_MAX];

	if (call_allowed(p, path))
		return false;
	aml_path_display(path, shown, sizeof(shown));
	aml_path_display(r->scope, scope, sizeof(scope));
	decide(d, ACTION_DENY, "builtin:aml-outside-call",
	       "%s calls %s, outside the device, which no allow-call names (at offset %zu)", scope,
	       shown, r->offset);
	return true;
}

/*
 * Unresolved references, in rounds: a round denies every approved blob
 * with a reference defined neither by the blobs approved at its start nor
 * by Xen (naming the first such reference), and the next round looks at
 * what those blobs defined.  Only references resolved to a path that went
 * away are checked again: the others still resolve.  Returns 0, or -1 on
 * no memory.
 */
static int check_references(const struct policy *p, const struct area *a,
			    struct blob_state *st, struct blob_decision *dec, const struct ns *xen,
			    struct ns *approved, struct path_map defs)
{
	struct refs_state rs = { .spaces = { NULL, xen }, .nspaces = xen ? 2 : 1, .xen = xen,
				 .all = approved, .paths = defs };
	size_t *denied = calloc(a->count ? a->count : 1, sizeof(*denied));
	size_t ndenied;
	int ret = -1;

	if (!denied)
		goto out;
	rs.spaces[0] = rs.all;
	for (size_t i = 0; i < a->count; i++) {
		const struct aml_info *info = effective_aml(&st[i]);

		if (!kept(&dec[i]))
			continue;
		if (count_names(&rs, info, 1) < 0)
			goto out;
		for (size_t k = 0; info && k < info->nrefs; k++)
			if (push(&rs.next, &rs.nnext, &rs.capnext, i, k, NO_INDEX) < 0)
				goto out;
	}
	while (rs.nnext) {
		struct ref_dep *v = rs.todo;
		size_t cap = rs.captodo;

		/* The last round's "next" is this round's list. */
		rs.todo = rs.next;
		rs.ntodo = rs.nnext;
		rs.captodo = rs.capnext;
		rs.next = v;
		rs.capnext = cap;
		rs.nnext = 0;
		qsort(rs.todo, rs.ntodo, sizeof(*rs.todo), by_blob_ref);
		ndenied = 0;
		for (size_t n = 0; n < rs.ntodo; n++) {
			size_t i = rs.todo[n].blob, k = rs.todo[n].ref;
			const struct aml_ref *r;
			struct path_slot *on;
			char scope[AML_PATH_MAX], found[AML_PATH_MAX];

			if (!kept(&dec[i]))
				continue;	/* denied this round or before */
			r = &effective_aml(&st[i])->refs[k];
			if (r->resolved) {
				if (r->call && outside_call(p, &dec[i], r, r->name))
					denied[ndenied++] = i;
				continue;
			}
			if (resolve_live(&rs, r, &on, found)) {
				if (r->call && live_type(&rs, found) == AML_OBJ_METHOD &&
				    outside_call(p, &dec[i], r, found)) {
					denied[ndenied++] = i;
					continue;
				}
				if (on) {
					if (push(&rs.deps, &rs.ndeps, &rs.capdeps, i, k, on->deps) < 0)
						goto out;
					on->deps = rs.ndeps - 1;
				}
				continue;
			}
			aml_path_display(r->scope, scope, sizeof(scope));
			decide(&dec[i], ACTION_DENY, "builtin:aml-unresolved",
			       "%s (used in %s) is defined nowhere (at offset %zu)",
			       r->name, scope, r->offset);
			denied[ndenied++] = i;
		}
		/* What the denied blobs added goes only now: the whole round is
		 * checked against the blobs approved at its start. */
		for (size_t n = 0; n < ndenied; n++) {
			size_t i = denied[n];

			if (count_names(&rs, effective_aml(&st[i]), -1) < 0)
				goto out;
		}
	}
	ret = 0;
out:
	free(denied);
	free(rs.todo);
	free(rs.next);
	free(rs.deps);
	free(rs.paths.slots);
	ns_free(rs.all);
	return ret;
}

/*
 * Step 4: collisions, then references.  A blob the references deny may be
 * one another blob was denied for colliding with: that other blob would
 * then collide with no approved blob (SPEC section 5).  So when both
 * happened, every decision goes back to what it was before this step but
 * the references' denials, which stay, and both checks run again; the
 * denials only grow, so it ends within a round per blob.  Returns 0, or
 * -1 on no memory.
 */
static int check_approved(const struct policy *p, const struct area *a, struct blob_state *st,
			  struct blob_decision *dec, const struct ns *xen)
{
	struct blob_decision *before = NULL;	/* at the first collision */
	bool *kept_refs = NULL, *by_refs = NULL;
	int ret = -1;

	for (;;) {
		struct ns *approved = NULL;
		struct path_map defs = { 0 };
		bool more = false;

		if (check_collisions(a, st, dec, &approved, &defs, &before) < 0)
			goto out;
		if (!approved) {
			ret = 0;
			goto out;
		}
		if (before && !kept_refs) {
			if (!(kept_refs = calloc(2 * a->count, sizeof(*kept_refs)))) {
				free(defs.slots);
				ns_free(approved);
				goto out;
			}
			by_refs = kept_refs + a->count;
		}
		for (size_t i = 0; before && i < a->count; i++)
			kept_refs[i] = kept(&dec[i]);
		if (check_references(p, a, st, dec, xen, approved, defs) < 0)
			goto out;
		for (size_t i = 0; before && i < a->count; i++)
			if (kept_refs[i] && !kept(&dec[i]))
				more = by_refs[i] = true;
		if (!more) {
			ret = 0;
			goto out;
		}
		for (size_t i = 0; i < a->count; i++)
			if (!by_refs[i])
				dec[i] = before[i];
	}
out:
	free(before);
	free(kept_refs);
	return ret;
}

/* ---- the pipeline --------------------------------------------------- */

static void reject_area(struct verdict *v, const char *rule, const char *reason)
{
	if (v->rule[0])
		return;	/* the first rejection is the one reported */
	text_copy(v->rule, sizeof(v->rule), rule);
	text_copy(v->reason, sizeof(v->reason), reason);
}

static bool is_builtin(const char *rule)
{
	return !strncmp(rule, "builtin:", 8);
}

/*
 * Permissive mode, before step 4: what the rules decided is kept aside in
 * ruled[] (NULL entries: decided by a built-in check) and every such blob
 * goes on as allowed, under its own name, so that step 4 checks the area
 * the guest will get.  Returns -1 on no memory.
 */
static int set_rules_aside(const struct area *a, struct blob_state *st, struct verdict *v,
			   struct blob_decision **ruled)
{
	*ruled = calloc(a->count ? a->count : 1, sizeof(**ruled));
	if (!*ruled)
		return -1;
	for (size_t i = 0; i < a->count; i++) {
		struct blob_decision *d = &v->blobs[i];

		if (is_builtin(d->rule)) {
			(*ruled)[i].rule[0] = '\0';
			continue;
		}
		(*ruled)[i] = *d;
		d->action = ACTION_ALLOW;
		d->new_name[0] = d->new_oem_id[0] = d->new_oem_table_id[0] = '\0';
		if (st[i].has_renamed) {
			aml_info_free(&st[i].renamed);
			st[i].has_renamed = false;
		}
	}
	return 0;
}

/*
 * Permissive mode, after step 4: a blob a built-in check denied stays
 * denied (or refuses the area); any other shows the rule's decision as
 * would-*, and goes into eff[] (the decisions applied) as allowed.
 */
static void bring_rules_back(const struct area *a, struct verdict *v,
			     const struct blob_decision *ruled, struct blob_decision *eff)
{
	v->rule[0] = v->reason[0] = '\0';
	for (size_t i = 0; i < a->count; i++) {
		struct blob_decision *d = &v->blobs[i];

		eff[i] = *d;
		if (is_builtin(d->rule)) {
			d->would = false;
			if (d->action == ACTION_REJECT)
				reject_area(v, d->rule, d->reason);
			continue;
		}
		*d = ruled[i];
		d->would = d->action != ACTION_ALLOW;
	}
}

void verdict_free(struct verdict *v)
{
	free(v->blobs);
	free(v->area);
	memset(v, 0, sizeof(*v));
}

static int approve_unchanged(const uint8_t *buf, size_t len, size_t count, struct verdict *v)
{
	v->area = malloc(len ? len : 1);
	if (!v->area)
		return -1;
	memcpy(v->area, buf, len);
	v->approved = true;
	v->length = len;
	v->count = count;
	v->dropped = 0;
	v->changed = false;
	v->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), v->area, (uInt)len);
	return digest_text(v->area, len, v->digest);
}

int evaluate_checked(const struct policy *p, const uint8_t *buf, size_t len, long long count,
		     const struct domain_facts *dom, unsigned flags, struct check_cache *checks,
		     struct verdict *v)
{
	const struct policy_settings *s = &p->settings;
	const struct ns *xen = p->xen;
	bool permissive = s->mode == MODE_PERMISSIVE || (flags & EVALUATE_PERMISSIVE);
	struct blob_state *st = NULL;
	struct blob_decision *ruled = NULL, *eff = NULL;	/* permissive mode */
	struct findings f;
	struct area a = { 0 };
	int ret = -1;

	memset(v, 0, sizeof(*v));
	findings_init(&f);
	/* The area itself: there is nothing to approve, even permissively. */
	if (len > s->max_area) {
		char why[DECISION_TEXT_MAX];

		snprintf(why, sizeof(why), "area of %zu bytes is larger than max-area (%llu bytes)",
			 len, (unsigned long long)s->max_area);
		reject_area(v, "builtin:area-max-area", why);
		return 0;
	}
	if (area_parse(buf, len, count, s->max_blobs, &a, &f)) {
		const struct finding *x = findings_first(&f, FINDING_MALFORMED);
		char rule[DECISION_TEXT_MAX], why[DECISION_TEXT_MAX];

		if (f.no_memory)	/* says nothing of the area */
			goto out;
		snprintf(rule, sizeof(rule), "builtin:%s", x ? x->check : "area");
		snprintf(why, sizeof(why), "%.120s (at offset %zu)", x ? x->message : "broken blob chain",
			 x ? x->offset : 0);
		reject_area(v, rule, why);
		ret = 0;
		goto out;
	}
	v->nblobs = a.count;
	v->blobs = calloc(a.count ? a.count : 1, sizeof(*v->blobs));
	st = calloc(a.count ? a.count : 1, sizeof(*st));
	if (!v->blobs || !st)
		goto out;

	/* 2 and 3: each blob on its own, then the rules. */
	for (size_t i = 0; i < a.count; i++) {
		const struct blob *b = &a.blobs[i];
		struct blob_decision *d = &v->blobs[i];
		const struct finding *bad, *forbidden;
		struct blob_facts bf;
		const struct rule *rule;

		check_cache_validate(checks, b, xen, &st[i].check);
		d->index = i;
		d->offset = b->offset;
		d->size = b->size;
		d->type = b->type;
		text_copy(d->object, sizeof(d->object), st[i].check.object);
		bf.blob = b;
		bf.check = &st[i].check;
		bf.dom = dom;

		/* Findings lost for memory say nothing of the bytes: an error. */
		if (st[i].check.findings.no_memory)
			goto out;
		bad = findings_first(&st[i].check.findings, FINDING_MALFORMED);
		if (bad) {
			bool rej = s->on_invalid == ON_INVALID_REJECT;

			decide_finding(d, rej ? ACTION_REJECT : ACTION_DENY, bad);
			if (rej)
				reject_area(v, d->rule, d->reason);
			continue;
		}
		rule = first_match(p, &bf);
		forbidden = findings_first(&st[i].check.findings, FINDING_FORBIDDEN);
		if (forbidden && !(b->type == BLOB_DEVICE && rule && rule->action == ACTION_RENAME &&
				   !forbidden_besides_xen(&st[i].check.findings))) {
			decide_finding(d, ACTION_DENY, forbidden);
			continue;
		}
		if (!rule) {
			decide(d, ACTION_DENY, "implicit", "no rule matches");
			continue;
		}
		apply_rule(d, rule);
		if (rule->action == ACTION_REJECT) {
			char why[DECISION_TEXT_MAX];

			snprintf(why, sizeof(why), "blob %zu (%.23s): %.100s", i, d->object,
				 d->reason[0] ? d->reason : "refused by the policy");
			reject_area(v, d->rule, why);
		}
		/* (Permissive mode applies no rename.) */
		if (rule->action == ACTION_RENAME && !permissive &&
		    rename_device(b, xen, checks, &st[i], rule->new_name, d))
			goto out;
	}

	/* Permissive: the rules decide nothing, the built-in checks still do. */
	if (permissive && (set_rules_aside(&a, st, v, &ruled) < 0 ||
			   !(eff = calloc(a.count ? a.count : 1, sizeof(*eff)))))
		goto out;

	/* 4: collisions and references among the approved, to a fixed point. */
	if (check_approved(p, &a, st, v->blobs, xen) < 0)
		goto out;

	/* 5: the verdict and the rewrite. */
	if (permissive) {
		bool dropping = false;

		bring_rules_back(&a, v, ruled, eff);
		for (size_t i = 0; i < a.count; i++)
			dropping |= !kept(&eff[i]);
		if (!v->rule[0] && !dropping) {
			ret = approve_unchanged(buf, len, a.count, v);
			goto out;
		}
	}
	if (v->rule[0]) {
		ret = 0;
		goto out;
	}
	v->area = malloc(len ? len : 1);
	if (!v->area)
		goto out;
	v->length = rewrite_area(buf, len, &a, eff ? eff : v->blobs, v->area, &v->count);
	v->dropped = a.count - v->count;
	v->changed = memcmp(v->area, buf, len) != 0;
	v->crc = (uint32_t)crc32(crc32(0L, Z_NULL, 0), v->area, (uInt)v->length);
	if (digest_text(v->area, v->length, v->digest) < 0)
		goto out;
	v->approved = true;
	ret = 0;
out:
	if (st) {
		for (size_t i = 0; i < a.count; i++) {
			blob_check_free(&st[i].check);
			if (st[i].has_renamed)
				aml_info_free(&st[i].renamed);
		}
		free(st);
	}
	free(ruled);
	free(eff);
	area_free(&a);
	findings_free(&f);
	if (ret < 0) {
		verdict_free(v);
		return -1;
	}
	return 0;
}

int evaluate_ex(const struct policy *p, const uint8_t *buf, size_t len, long long count,
		const struct domain_facts *d, unsigned flags, struct verdict *v)
{
	return evaluate_checked(p, buf, len, count, d, flags, NULL, v);
}

int evaluate(const struct policy *p, const uint8_t *buf, size_t len, long long count,
	     const struct domain_facts *d, struct verdict *v)
{
	return evaluate_ex(p, buf, len, count, d, 0, v);
}
