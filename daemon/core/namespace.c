// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * A set of absolute names: open addressing keyed by a per-segment hash (see
 * namespace.h; the table is in ns-table.h), segments in one growable array,
 * path strings in chunks that never move (ns_entry.path must stay valid).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "namespace.h"
#include "ns-table.h"
#include "text.h"

#define NS_CHUNK 16384

struct ns_chunk {
	struct ns_chunk *next;
	size_t used;
	char text[NS_CHUNK];
};

static uint64_t ns_serials;	/* the last ns_serial() given */

static struct ns *ns_alloc(bool pathless, size_t expect)
{
	struct ns *ns = calloc(1, sizeof(*ns));

	if (!ns)
		return NULL;
	ns->cap = 64;
	ns->shift = 64 - 6;
	while (ns->cap < 2 * expect && ns->cap < (1u << 22)) {
		ns->cap *= 2;
		ns->shift--;
	}
	ns->slots = calloc(ns->cap, sizeof(*ns->slots));
	if (!ns->slots) {
		free(ns);
		return NULL;
	}
	ns->pathless = pathless;
	ns->serial = ++ns_serials;
	return ns;
}

struct ns *ns_new(void)
{
	return ns_alloc(false, 0);
}

struct ns *ns_new_pathless(size_t expect)
{
	return ns_alloc(true, expect);
}

void ns_free(struct ns *ns)
{
	if (!ns)
		return;
	while (ns->chunks) {
		struct ns_chunk *c = ns->chunks;

		ns->chunks = c->next;
		free(c);
	}
	for (size_t i = 0; i < ns->nblocks; i++)
		free(ns->blocks[i]);
	free(ns->blocks);
	free(ns->segs);
	free(ns->slots);
	free(ns);
}

uint64_t ns_serial(const struct ns *ns)
{
	return ns->serial;
}

size_t ns_count(const struct ns *ns)
{
	return ns->count;
}

const struct ns_entry *ns_get_parts(const struct ns *ns, uint64_t hash, const uint32_t *a,
				    size_t na, const uint8_t *b, size_t nb)
{
	return ns_find(ns, hash, a, na, b, nb);
}

struct ns_entry *ns_get_parts_mut(struct ns *ns, uint64_t hash, const uint32_t *a, size_t na,
				  const uint8_t *b, size_t nb)
{
	return (struct ns_entry *)ns_get_parts(ns, hash, a, na, b, nb);
}

void ns_truncate(struct ns *ns, size_t count)
{
	/* An entry's probe sequence crosses only the slots of entries added
	 * before it (grow() adds them again in that order): clearing the
	 * later ones' slots leaves every earlier entry found. */
	for (size_t k = count; k < ns->count; k++) {
		size_t i = ns_slot_index(ns, ns_item_at(ns, (uint32_t)k)->hash);

		while (ns->slots[i] != ns_item_at(ns, (uint32_t)k))
			i = (i + 1) & (ns->cap - 1);
		ns->slots[i] = NULL;
	}
	if (count < ns->count) {
		ns->nsegs = ns_item_at(ns, (uint32_t)count)->segoff;
		ns->count = count;
	}
	ns->serial = ++ns_serials;
}

static int grow(struct ns *ns)
{
	size_t ncap = ns->cap * 2;
	struct ns_item **n = calloc(ncap, sizeof(*n));

	if (!n)
		return -1;
	free(ns->slots);
	ns->slots = n;
	ns->cap = ncap;
	ns->shift--;
	for (uint32_t k = 0; k < ns->count; k++) {
		size_t j = ns_slot_index(ns, ns_item_at(ns, k)->hash);

		while (n[j])
			j = (j + 1) & (ncap - 1);
		n[j] = ns_item_at(ns, k);
	}
	return 0;
}

static char *path_alloc(struct ns *ns, size_t n)
{
	struct ns_chunk *c = ns->chunks;

	if (!c || NS_CHUNK - c->used < n) {
		c = malloc(sizeof(*c));
		if (!c)
			return NULL;
		c->next = ns->chunks;
		c->used = 0;
		ns->chunks = c;
	}
	c->used += n;
	return c->text + c->used - n;
}

int ns_add_parts(struct ns *ns, uint64_t hash, const uint32_t *a, size_t na, const uint8_t *b,
		 size_t nb, uint8_t type, uint8_t argc)
{
	size_t n = na + nb, i;
	struct ns_item *it;

	if (n > NS_MAX_SEGS || ns->count >= UINT32_MAX - 1)
		return -1;
	if ((ns->count + 1) * 2 > ns->cap && grow(ns))
		return -1;
	i = ns_slot_index(ns, hash);
	while (ns->slots[i]) {
		if (ns_item_matches(ns, ns->slots[i], hash, a, na, b, nb))
			return 0;
		i = (i + 1) & (ns->cap - 1);
	}
	if (ns->count == ns->nblocks * NS_BLOCK) {
		struct ns_item **v = realloc(ns->blocks, (ns->nblocks + 1) * sizeof(*v));

		if (!v)
			return -1;
		ns->blocks = v;
		v[ns->nblocks] = malloc(NS_BLOCK * sizeof(**v));
		if (!v[ns->nblocks])
			return -1;
		ns->nblocks++;
	}
	if (ns->segcap - ns->nsegs < n) {
		size_t ncap = ns->segcap ? ns->segcap * 2 : 1024;
		uint32_t *v;

		while (ncap - ns->nsegs < n)
			ncap *= 2;
		if (ncap > UINT32_MAX)
			return -1;
		v = realloc(ns->segs, ncap * sizeof(*v));
		if (!v)
			return -1;
		ns->segs = v;
		ns->segcap = ncap;
	}
	it = ns_item_at(ns, (uint32_t)ns->count);
	it->hash = hash;
	it->segoff = (uint32_t)ns->nsegs;
	it->nseg = (uint8_t)n;
	/* A few segments: a loop beats a call to memcpy. */
	for (size_t k = 0; k < na; k++)
		ns->segs[ns->nsegs + k] = a[k];
	for (size_t k = 0; k < nb; k++)
		memcpy(&ns->segs[ns->nsegs + na + k], b + 4 * k, 4);
	it->e.type = type;
	it->e.argc = argc;
	it->e.path = NULL;
	if (!ns->pathless) {
		char *t = path_alloc(ns, n ? 5 * n + 1 : 2);

		if (!t)
			return -1;
		aml_path_text(ns->segs + it->segoff, n, t);
		it->e.path = t;
	}
	ns->nsegs += n;
	ns->slots[i] = it;
	ns->count++;
	return 1;
}

/*
 * Parse an absolute path, normalized ("\_SB_.PCI0") or display form
 * ("\_SB.PCI0": segments shorter than 4 are padded with '_').
 */
static int parse_abs(const char *path, uint32_t *segs, size_t *n)
{
	const char *s = path;

	*n = 0;
	if (*s++ != '\\')
		return -1;
	while (*s) {
		uint8_t seg[4] = { '_', '_', '_', '_' };
		size_t k = 0;

		/* The normalized form: a valid NameSeg, then '.' or the end (the
		 * check stops at the first byte that is not a name character). */
		if (aml_nameseg_valid((const uint8_t *)s) && (!s[4] || s[4] == '.')) {
			if (*n == NS_MAX_SEGS)
				return -1;
			memcpy(&segs[(*n)++], s, 4);
			s += 4;
			if (*s == '.' && !*++s)
				return -1;
			continue;
		}
		while (*s && *s != '.') {
			if (k == 4)
				return -1;
			seg[k++] = (uint8_t)*s++;
		}
		if (!k || !aml_nameseg_valid(seg) || *n == NS_MAX_SEGS)
			return -1;
		memcpy(&segs[(*n)++], seg, 4);
		if (*s == '.' && !*++s)
			return -1;
	}
	return 0;
}

static uint64_t hash_segs(uint64_t h, const uint32_t *segs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		h = ns_hash_seg(h, segs[i]);
	return h;
}

int ns_add(struct ns *ns, const char *path, uint8_t type, uint8_t argc)
{
	uint32_t segs[NS_MAX_SEGS];
	size_t n;

	if (parse_abs(path, segs, &n)) {
		errno = EINVAL;
		return -1;
	}
	return ns_add_segs(ns, segs, n, type, argc);
}

int ns_add_segs(struct ns *ns, const uint32_t *segs, size_t n, uint8_t type, uint8_t argc)
{
	return ns_add_parts(ns, hash_segs(NS_HASH_ROOT, segs, n), segs, n, NULL, 0, type, argc);
}

const struct ns_entry *ns_get_segs(const struct ns *ns, const uint32_t *segs, size_t n)
{
	return ns_get_parts(ns, hash_segs(NS_HASH_ROOT, segs, n), segs, n, NULL, 0);
}

const struct ns_entry *ns_get(const struct ns *ns, const char *path)
{
	uint32_t segs[NS_MAX_SEGS];
	size_t n;

	if (parse_abs(path, segs, &n))
		return NULL;
	return ns_get_segs(ns, segs, n);
}

int ns_add_info(struct ns *ns, const struct aml_info *info)
{
	for (size_t i = 0; i < info->nobjs; i++) {
		if (info->objs[i].type == AML_OBJ_EXTERNAL)
			continue;
		if (ns_add_segs(ns, info->objs[i].seg, info->objs[i].nseg, info->objs[i].type,
				info->objs[i].argc) < 0)
			return -1;
	}
	return 0;
}

static const struct ns_entry *get_any(const struct ns *const *spaces, size_t nspaces,
				      uint64_t h, const uint32_t *a, size_t na,
				      const uint32_t *b, size_t nb)
{
	for (size_t i = 0; i < nspaces; i++) {
		const struct ns_entry *e;

		if (!spaces[i])
			continue;
		e = ns_get_parts(spaces[i], h, a, na, (const uint8_t *)b, nb);
		if (e)
			return e;
	}
	return NULL;
}

bool ns_resolve(const struct ns *const *spaces, size_t nspaces, const char *scope,
		const char *name, char *out)
{
	uint32_t sc[NS_MAX_SEGS], nm[NS_MAX_SEGS];
	size_t nsc, nnm = 0, carets = 0, base;
	bool root = false;
	const char *s = name;
	uint64_t h;

	if (parse_abs(scope, sc, &nsc))
		return false;
	if (*s == '\\') {
		root = true;
		s++;
	} else {
		while (*s == '^') {
			carets++;
			s++;
		}
	}
	if (*s) {
		char tmp[AML_PATH_MAX];

		/* Reuse the absolute parser on "\" + the segments. */
		if (strlen(s) + 2 > sizeof(tmp))
			return false;
		tmp[0] = '\\';
		strcpy(tmp + 1, s);
		if (parse_abs(tmp, nm, &nnm))
			return false;
	}
	if (!root && !carets && nnm == 1) {
		/* A lone NameSeg searches the scope, then each parent up to the root. */
		for (size_t lvl = nsc + 1; lvl-- > 0;) {
			h = ns_hash_seg(hash_segs(NS_HASH_ROOT, sc, lvl), nm[0]);
			if (get_any(spaces, nspaces, h, sc, lvl, nm, 1)) {
				if (out) {
					uint32_t full[NS_MAX_SEGS];

					memcpy(full, sc, lvl * 4);
					full[lvl] = nm[0];
					aml_path_text(full, lvl + 1, out);
				}
				return true;
			}
		}
		return false;
	}
	if (root)
		base = 0;
	else if (carets > nsc)
		return false;
	else
		base = nsc - carets;
	if (base + nnm > NS_MAX_SEGS)
		return false;
	h = hash_segs(hash_segs(NS_HASH_ROOT, sc, base), nm, nnm);
	if (!get_any(spaces, nspaces, h, sc, base, nm, nnm))
		return false;
	if (out) {
		uint32_t full[NS_MAX_SEGS];

		memcpy(full, sc, base * 4);
		memcpy(full + base, nm, nnm * 4);
		aml_path_text(full, base + nnm, out);
	}
	return true;
}

static int checksum_ok(const uint8_t *p, size_t n)
{
	uint8_t sum = 0;

	for (size_t i = 0; i < n; i++)
		sum = (uint8_t)(sum + p[i]);
	return sum == 0;
}

static bool is_aml_sig(const uint8_t *p)
{
	return !memcmp(p, "DSDT", 4) || !memcmp(p, "SSDT", 4);
}

#define NS_MAX_TABLES 64

int ns_load_image(struct ns *ns, const uint8_t *img, size_t len, struct findings *f)
{
	size_t off[NS_MAX_TABLES], tlen[NS_MAX_TABLES], n = 0;
	int loaded = 0;

	if (len >= 36 && is_aml_sig(img) && le32(img + 4) == len) {
		if (!checksum_ok(img, len)) {
			findings_add(f, FINDING_MALFORMED, "table-checksum", 0,
				     "%.4s table checksum does not sum to zero", (const char *)img);
			return -1;
		}
		off[0] = 0;
		tlen[0] = len;
		n = 1;
	} else {
		/* An hvmloader image: tables embedded at arbitrary offsets. */
		for (size_t i = 0; len >= 36 && i <= len - 36 && n < NS_MAX_TABLES; i++) {
			uint32_t l;

			if ((img[i] != 'D' && img[i] != 'S') || !is_aml_sig(img + i))
				continue;
			l = le32(img + i + 4);
			if (l < 36 || l > len - i || !checksum_ok(img + i, l))
				continue;
			off[n] = i;
			tlen[n] = l;
			n++;
			i += l - 1;
		}
	}
	if (!n) {
		findings_add(f, FINDING_MALFORMED, "ns-no-tables", 0,
			     "no DSDT or SSDT found (not an AML table or hvmloader image)");
		return -1;
	}
	/* DSDTs first: SSDTs refer to what they define. */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i < n; i++) {
			struct aml_info info;
			int rc;

			if ((img[off[i]] == 'D') != (pass == 0))
				continue;
			aml_info_init(&info);
			rc = aml_parse_table(img + off[i], tlen[i], off[i], ns, &info, f);
			if (!rc)
				rc = ns_add_info(ns, &info);
			aml_info_free(&info);
			if (rc)
				return -1;
			loaded++;
		}
	}
	return loaded;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct ns_entry *x = *(const struct ns_entry *const *)a;
	const struct ns_entry *y = *(const struct ns_entry *const *)b;

	return strcmp(x->path, y->path);
}

void ns_foreach_sorted(const struct ns *ns,
		       void (*fn)(const struct ns_entry *e, void *ctx), void *ctx)
{
	const struct ns_entry **v;
	size_t n = 0;

	if (!ns->count || ns->pathless)
		return;
	v = malloc(ns->count * sizeof(*v));
	if (!v)
		return;
	for (uint32_t i = 0; i < ns->count; i++)
		v[n++] = &ns_item_at(ns, i)->e;
	qsort(v, n, sizeof(*v), cmp_entry);
	for (size_t i = 0; i < n; i++)
		fn(v[i], ctx);
	free(v);
}
