// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * The mutator behind the malformed corpus.  It walks the area leniently
 * (it must cope with what it broke itself), picks targets that the
 * validator has to get right -- header fields, NFIT structures, AML
 * opcodes, NameSegs, PkgLengths -- and often repairs checksums, chain sizes
 * or counts afterwards so that a mutation reaches the deeper checks instead
 * of stopping at the first one.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "hostile.h"
#include "mutate.h"
#include "table.h"
#include "text.h"

#define MUTANT_MAX (1u << 20)
#define MAX_SPANS 256
#define MAX_CANDIDATES 4096

static const char *const names[MUT_COUNT_OF_KINDS] = {
	"truncate", "blob-size", "blob-type", "acpi-length", "acpi-header", "nfit",
	"aml-opcode", "nameseg", "pkglength", "nested-pkglength", "count", "bytes",
	"splice", "shift",
};

const char *mutation_name(enum mutation k)
{
	return k < MUT_COUNT_OF_KINDS ? names[k] : "?";
}

/* Where a PkgLength follows an opcode that has one. */
struct pkg {
	size_t op, at;		/* the opcode, the PkgLength's lead byte */
	unsigned nbytes;	/* bytes after the lead byte */
	size_t value, end;	/* the length, and where the package ends */
};

/* A blob as the walk saw it: header at off, size as claimed (clipped to the area). */
struct span {
	size_t off, size;
	uint32_t type;
	bool clipped;
};

struct ctx {
	struct mutant *m;
	uint64_t rng;
	const struct seed_area *seeds;
	size_t nseeds;
	struct span spans[MAX_SPANS];
	size_t nspans;
	struct pkg *pkgs;	/* MAX_CANDIDATES of them, for the PkgLength mutations */
	bool oom;
};

static uint64_t below(struct ctx *c, uint64_t n)
{
	return n ? hx_below(&c->rng, n) : 0;
}

static bool chance(struct ctx *c, unsigned percent)
{
	return below(c, 100) < percent;
}

static void set32(struct mutant *m, size_t off, uint32_t v)
{
	if (off + 4 <= m->len)
		put_le32(m->buf + off, v);
}

static uint16_t get16(const struct mutant *m, size_t off)
{
	return off + 2 <= m->len ? le16(m->buf + off) : 0;
}

static void set16(struct mutant *m, size_t off, uint16_t v)
{
	if (off + 2 <= m->len) {
		m->buf[off] = (uint8_t)v;
		m->buf[off + 1] = (uint8_t)(v >> 8);
	}
}

static bool reserve(struct ctx *c, size_t len)
{
	uint8_t *nb;
	size_t cap;

	if (len <= c->m->cap)
		return true;
	cap = len + len / 2 + 64;
	nb = realloc(c->m->buf, cap);
	if (!nb) {
		c->oom = true;
		return false;
	}
	c->m->buf = nb;
	c->m->cap = cap;
	return true;
}

static void insert(struct ctx *c, size_t off, const uint8_t *src, size_t n)
{
	struct mutant *m = c->m;

	if (off > m->len || m->len + n > MUTANT_MAX || !reserve(c, m->len + n))
		return;
	memmove(m->buf + off + n, m->buf + off, m->len - off);
	if (src)
		memcpy(m->buf + off, src, n);
	else
		for (size_t i = 0; i < n; i++)
			m->buf[off + i] = (uint8_t)below(c, 256);
	m->len += n;
}

static void erase(struct mutant *m, size_t off, size_t n)
{
	if (off > m->len || n > m->len - off)
		return;
	memmove(m->buf + off, m->buf + off + n, m->len - off - n);
	m->len -= n;
}

static void walk(struct ctx *c)
{
	const struct mutant *m = c->m;
	size_t off = 0;

	c->nspans = 0;
	while (off + 8 <= m->len && c->nspans < MAX_SPANS) {
		struct span *s = &c->spans[c->nspans++];
		uint32_t size = le32(m->buf + off + 4);

		s->off = off;
		s->type = le32(m->buf + off);
		s->clipped = size < 8 || size > m->len - off;
		s->size = s->clipped ? m->len - off : size;
		if (s->clipped)
			break;
		off += size;
	}
}

static size_t complete_blobs(struct ctx *c)
{
	size_t n = 0;

	walk(c);
	for (size_t i = 0; i < c->nspans; i++)
		n += !c->spans[i].clipped;
	return n;
}

static bool is_table(const struct ctx *c, const struct span *s, size_t min_data)
{
	return s->type == 0 && s->size >= 8 + min_data;
}

static bool sig_is(const struct ctx *c, const struct span *s, const char *sig)
{
	return s->size >= 12 && !memcmp(c->m->buf + s->off + 8, sig, 4);
}

/* The AML bytes of a blob: a device body, or an AML table after its header. */
static bool aml_region(const struct ctx *c, const struct span *s, size_t *lo, size_t *hi)
{
	*hi = s->off + s->size;
	if (s->type == 1 && s->size > 12) {
		*lo = s->off + 12;
		return true;
	}
	if (is_table(c, s, ACPI_HEADER_SIZE + 1) && table_has_aml((const char *)c->m->buf + s->off + 8)) {
		*lo = s->off + 8 + ACPI_HEADER_SIZE;
		return true;
	}
	return false;
}

typedef bool (*span_pred)(const struct ctx *c, const struct span *s);

static struct span *pick(struct ctx *c, span_pred pred)
{
	size_t idx[MAX_SPANS], n = 0;

	walk(c);
	for (size_t i = 0; i < c->nspans; i++)
		if (!pred || pred(c, &c->spans[i]))
			idx[n++] = i;
	return n ? &c->spans[idx[below(c, n)]] : NULL;
}

static bool has_data(const struct ctx *c, const struct span *s)
{
	return s->size > 8;
}

static bool is_acpi_table(const struct ctx *c, const struct span *s)
{
	return is_table(c, s, ACPI_HEADER_SIZE);
}

static bool is_nfit(const struct ctx *c, const struct span *s)
{
	return is_table(c, s, 40) && sig_is(c, s, "NFIT");
}

static bool has_aml(const struct ctx *c, const struct span *s)
{
	size_t lo, hi;

	return aml_region(c, s, &lo, &hi) && lo < hi;
}

static void fix_table(struct ctx *c, const struct span *s, bool length)
{
	if (!is_acpi_table(c, s) || s->clipped)
		return;
	if (length)
		set32(c->m, s->off + 8 + 4, (uint32_t)(s->size - 8));
	table_fix_checksum(c->m->buf + s->off + 8, s->size - 8);
}

/* ---- the mutations ---------------------------------------------------- */

static bool m_truncate(struct ctx *c)
{
	struct mutant *m = c->m;
	struct span *s;
	size_t cut;

	switch (below(c, 3)) {
	case 0:
		if (m->len < 2)
			return false;
		m->len = 1 + below(c, m->len - 1);
		return true;
	case 1:
		s = pick(c, has_data);
		if (!s || s->clipped)
			return false;
		cut = 1 + below(c, s->size - 8);
		erase(m, s->off + s->size - cut, cut);
		set32(m, s->off + 4, (uint32_t)(s->size - cut));
		return true;
	default:
		s = pick(c, is_acpi_table);
		if (!s || s->clipped || s->size <= 8 + ACPI_HEADER_SIZE)
			return false;
		cut = 1 + below(c, s->size - 8 - ACPI_HEADER_SIZE);
		erase(m, s->off + s->size - cut, cut);
		s->size -= cut;
		set32(m, s->off + 4, (uint32_t)s->size);
		fix_table(c, s, true);
		return true;
	}
}

static bool m_blob_size(struct ctx *c)
{
	struct span *s = pick(c, NULL);
	uint32_t size, rest, v;

	if (!s)
		return false;
	size = (uint32_t)s->size;
	rest = (uint32_t)(c->m->len - s->off);
	{
		const uint32_t vals[] = { 0, 1, 7, 8, size - 1, size + 1, size + 4096, 0xffffffff,
					  0xfffffff8, 0x80000000, rest + 1, rest, size * 2,
					  (uint32_t)below(c, 0x10000) };

		v = vals[below(c, sizeof(vals) / sizeof(vals[0]))];
	}
	set32(c->m, s->off + 4, v);
	return true;
}

static bool m_blob_type(struct ctx *c)
{
	struct span *s = pick(c, NULL);
	const uint32_t vals[] = { 2, 3, 0xffffffff, 0x80000000, 0x100 };

	if (!s)
		return false;
	set32(c->m, s->off, chance(c, 30) ? s->type ^ 1 : vals[below(c, 5)]);
	return true;
}

static bool m_acpi_length(struct ctx *c)
{
	struct span *s = pick(c, is_acpi_table);
	uint32_t d, v;

	if (!s)
		return false;
	d = (uint32_t)(s->size - 8);
	{
		const uint32_t vals[] = { 0, 1, 35, 36, d - 1, d + 1, d + 8, 0xffffffff, 0x80000000,
					  d << 8, (uint32_t)below(c, 2 * (uint64_t)d + 1) };

		v = vals[below(c, sizeof(vals) / sizeof(vals[0]))];
	}
	set32(c->m, s->off + 12, v);
	if (chance(c, 70) && !s->clipped)
		table_fix_checksum(c->m->buf + s->off + 8, s->size - 8);
	return true;
}

static bool m_acpi_header(struct ctx *c)
{
	static const char *const sigs[] = { "RSDT", "XSDT", "FACS", "FACP", "DSDT", "RSD ", "ssdt",
					    "NF\x01T", "SSDT", "APIC", "OEM1", "PSDT" };
	static const uint8_t bad[] = { 0x00, 0x01, 0x1f, 0x7f, 0x80, 0xff };
	struct span *s = pick(c, is_acpi_table);
	uint8_t *t;

	if (!s)
		return false;
	t = c->m->buf + s->off + 8;
	switch (below(c, 6)) {
	case 0: memcpy(t, sigs[below(c, sizeof(sigs) / sizeof(sigs[0]))], 4); break;
	case 1: t[10 + below(c, 6)] = bad[below(c, sizeof(bad))]; break;
	case 2: t[16 + below(c, 8)] = bad[below(c, sizeof(bad))]; break;
	case 3: t[28 + below(c, 4)] = bad[below(c, sizeof(bad))]; break;
	case 4: t[9] = (uint8_t)(t[9] + (chance(c, 50) ? 1 : 0xff)); return true;
	default: t[8] = (uint8_t)below(c, 256); break;
	}
	if (chance(c, 60) && !s->clipped)
		table_fix_checksum(t, s->size - 8);
	return true;
}

static bool m_nfit(struct ctx *c)
{
	struct span *s = pick(c, is_nfit);
	size_t subs[256], nsubs = 0, base, end, p;
	struct mutant *m = c->m;

	if (!s || s->clipped)
		return false;
	base = s->off + 8;
	end = s->off + s->size;
	for (p = base + 40; p + 4 <= end && nsubs < 256;) {
		uint16_t len = get16(m, p + 2);

		subs[nsubs++] = p;
		if (len < 4 || len > end - p)
			break;
		p += len;
	}
	if (chance(c, 15) || !nsubs) {
		/* Append a structure: a known type with a wrong length, or an unknown type. */
		uint8_t st[16] = { 0 };

		st[0] = (uint8_t)(chance(c, 50) ? 8 + below(c, 4) : below(c, 8));
		st[2] = 16;
		insert(c, end, st, sizeof(st));
		set32(m, s->off + 4, (uint32_t)(s->size + sizeof(st)));
		s->size += sizeof(st);
		fix_table(c, s, true);
		return true;
	}
	p = subs[below(c, nsubs)];
	{
		uint16_t type = get16(m, p), len = get16(m, p + 2);
		const uint16_t lens[] = { 0, 1, 2, 3, 4, (uint16_t)(len - 1), (uint16_t)(len + 1),
					  (uint16_t)(len + 8), 0xffff, (uint16_t)(len * 2) };
		const uint16_t types[] = { 8, 9, 0xffff, 0x100, (uint16_t)below(c, 8) };

		switch (below(c, 5)) {
		case 0: set16(m, p + 2, lens[below(c, sizeof(lens) / sizeof(lens[0]))]); break;
		case 1: set16(m, p, types[below(c, 5)]); break;
		case 2:	/* a Region Mapping's SPA or Control Region index */
			if (type == 1 && len >= 16)
				set16(m, p + 12 + 2 * below(c, 2),
				      chance(c, 50) ? 0xffff : (uint16_t)below(c, 8));
			else
				set16(m, p + 4, (uint16_t)below(c, 0x10000));
			break;
		case 3: m->buf[base + 36 + below(c, 4)] = (uint8_t)(1 + below(c, 255)); break;
		default:
			if (p + len <= end && len > 4)
				m->buf[p + 4 + below(c, len - 4)] = (uint8_t)below(c, 256);
			break;
		}
	}
	if (chance(c, 80))
		fix_table(c, s, false);
	return true;
}

static bool m_aml_opcode(struct ctx *c)
{
	static const uint8_t ops[] = {
		0x00, 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08, 0x09, 0x0a, 0x0b, 0x0c,
		0x0d, 0x0e, 0x0f, 0x10, 0x11, 0x12, 0x13, 0x14, 0x15, 0x16, 0x2e, 0x2f, 0x40,
		0x5b, 0x5c, 0x5e, 0x60, 0x68, 0x70, 0x72, 0x7f, 0x86, 0x91, 0xa0, 0xa1, 0xa2,
		0xa4, 0xa5, 0xcc, 0xd0, 0xff,
	};
	static const uint8_t ext[] = {
		0x00, 0x01, 0x02, 0x03, 0x12, 0x13, 0x1f, 0x20, 0x21, 0x22, 0x23, 0x2a, 0x30,
		0x31, 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0xff,
	};
	struct span *s = pick(c, has_aml);
	size_t lo, hi, p;
	uint8_t *b = c->m->buf;

	if (!s || !aml_region(c, s, &lo, &hi) || lo >= hi)
		return false;
	p = lo + below(c, hi - lo);
	switch (below(c, 4)) {
	case 0:
		b[p] = ops[below(c, sizeof(ops))];
		break;
	case 1:
		if (p + 1 >= hi)
			return false;
		b[p] = 0x5b;
		b[p + 1] = ext[below(c, sizeof(ext))];
		break;
	case 2: {
		uint8_t t;

		if (p + 1 >= hi)
			return false;
		t = b[p];
		b[p] = b[p + 1];
		b[p + 1] = t;
		break;
	}
	default:	/* the Load family, where an opcode was */
		if (p + 1 >= hi)
			return false;
		b[p] = 0x5b;
		b[p + 1] = (const uint8_t[]){ 0x1f, 0x20, 0x2a }[below(c, 3)];
		break;
	}
	if (s->type == 0 && chance(c, 70))
		fix_table(c, s, false);
	return true;
}

static bool lead_char(uint8_t ch)
{
	return (ch >= 'A' && ch <= 'Z') || ch == '_';
}

static bool name_char(uint8_t ch)
{
	return lead_char(ch) || (ch >= '0' && ch <= '9');
}

static bool m_nameseg(struct ctx *c)
{
	static const char *const others[] = { "PCI0", "_SB_", "HPET", "NVDR", "_HID", "ISA_",
					      "LNKA", "PR00", "_S3_", "____", "NVD1", "RTC_" };
	static const uint8_t bad[] = { 'a', 'z', '-', '.', 0x00, 0x7f, 0xff, ' ', '\\', '^' };
	size_t cand[MAX_CANDIDATES], n = 0, lo, hi, p;
	struct span *s = pick(c, has_aml);
	uint8_t *b = c->m->buf;

	if (!s || !aml_region(c, s, &lo, &hi))
		return false;
	if (s->type == 1)
		cand[n++] = s->off + 8;	/* the device's own name */
	for (p = lo; p + 4 <= hi && n < MAX_CANDIDATES; p++)
		if (lead_char(b[p]) && name_char(b[p + 1]) && name_char(b[p + 2]) &&
		    name_char(b[p + 3]))
			cand[n++] = p;
	if (!n)
		return false;
	p = cand[below(c, n)];
	if (chance(c, 60)) {
		size_t i = below(c, 4);
		uint8_t v = bad[below(c, sizeof(bad))];

		b[p + i] = i == 0 && chance(c, 30) ? (uint8_t)('0' + below(c, 10)) : v;
	} else {
		memcpy(b + p, others[below(c, sizeof(others) / sizeof(others[0]))], 4);
	}
	if (s->type == 0 && chance(c, 70))
		fix_table(c, s, false);
	return true;
}

static size_t find_pkgs(const uint8_t *b, size_t lo, size_t hi, struct pkg *out, size_t max)
{
	size_t n = 0;

	for (size_t i = lo; i < hi && n < max; i++) {
		size_t at;
		struct pkg *k = &out[n];

		if (b[i] == 0x10 || b[i] == 0x11 || b[i] == 0x12 || b[i] == 0x13 || b[i] == 0x14 ||
		    b[i] == 0xa0 || b[i] == 0xa1 || b[i] == 0xa2)
			at = i + 1;
		else if (b[i] == 0x5b && i + 1 < hi && b[i + 1] >= 0x81 && b[i + 1] <= 0x87)
			at = i + 2;
		else
			continue;
		if (at >= hi)
			continue;
		k->op = i;
		k->at = at;
		k->nbytes = b[at] >> 6;
		if (at + k->nbytes >= hi)
			continue;
		if (k->nbytes == 0) {
			k->value = b[at] & 0x3f;
		} else {
			k->value = b[at] & 0x0f;
			for (unsigned j = 1; j <= k->nbytes; j++)
				k->value |= (size_t)b[at + j] << (4 + 8 * (j - 1));
		}
		k->end = at + k->value;
		n++;
	}
	return n;
}

static bool put_pkglength(uint8_t *b, const struct pkg *k, size_t value)
{
	if (k->nbytes == 0) {
		if (value > 0x3f)
			return false;
		b[k->at] = (uint8_t)value;
		return true;
	}
	if (value >= (size_t)1 << (4 + 8 * k->nbytes))
		return false;
	b[k->at] = (uint8_t)(k->nbytes << 6 | (value & 0x0f));
	for (unsigned j = 1; j <= k->nbytes; j++)
		b[k->at + j] = (uint8_t)(value >> (4 + 8 * (j - 1)));
	return true;
}

static bool m_pkglength(struct ctx *c)
{
	struct span *s = pick(c, has_aml);
	size_t lo, hi, n, max;
	uint8_t *b = c->m->buf;
	struct pkg *k;

	if (!s || !aml_region(c, s, &lo, &hi))
		return false;
	n = find_pkgs(b, lo, hi, c->pkgs, MAX_CANDIDATES);
	if (!n)
		return false;
	k = &c->pkgs[below(c, n)];
	max = k->nbytes ? ((size_t)1 << (4 + 8 * k->nbytes)) - 1 : 0x3f;
	switch (below(c, 5)) {
	case 0: put_pkglength(b, k, max); break;
	case 1:
		if (!put_pkglength(b, k, k->value + 1 + below(c, 16)))
			put_pkglength(b, k, max);
		break;
	case 2: b[k->at] = (uint8_t)(b[k->at] | 0xc0); break;	/* claims three more bytes */
	case 3: put_pkglength(b, k, below(c, k->nbytes + 1)); break;
	default: put_pkglength(b, k, 0); break;
	}
	if (s->type == 0 && chance(c, 70))
		fix_table(c, s, false);
	return true;
}

static bool m_nested_pkglength(struct ctx *c)
{
	struct span *s = pick(c, has_aml);
	size_t lo, hi, n, pairs[64][2], npairs = 0;
	const struct pkg *pkgs = c->pkgs;
	uint8_t *b = c->m->buf;

	if (!s || !aml_region(c, s, &lo, &hi))
		return false;
	n = find_pkgs(b, lo, hi, c->pkgs, MAX_CANDIDATES);
	for (size_t o = 0; o < n && npairs < 64; o++) {
		if (pkgs[o].end > hi || pkgs[o].end <= pkgs[o].at)
			continue;
		for (size_t i = o + 1; i < n && npairs < 64; i++)
			if (pkgs[i].op > pkgs[o].at + pkgs[o].nbytes && pkgs[i].at < pkgs[o].end &&
			    chance(c, 50)) {
				pairs[npairs][0] = o;
				pairs[npairs][1] = i;
				npairs++;
			}
	}
	if (!npairs)
		return m_pkglength(c);
	{
		size_t *pr = pairs[below(c, npairs)];
		const struct pkg *outer = &pkgs[pr[0]], *inner = &pkgs[pr[1]];
		/* Past the outer package's end by a byte or a few: still inside the blob. */
		size_t value = outer->end - inner->at + 1 + below(c, 4);

		if (!put_pkglength(b, inner, value))
			put_pkglength(b, inner, inner->nbytes ? ((size_t)1 << (4 + 8 * inner->nbytes)) - 1
							      : 0x3f);
	}
	if (s->type == 0 && chance(c, 70))
		fix_table(c, s, false);
	return true;
}

static bool m_bytes(struct ctx *c)
{
	size_t k = 1 + below(c, 8);

	for (size_t i = 0; i < k; i++)
		c->m->buf[below(c, c->m->len)] = (uint8_t)below(c, 256);
	return true;
}

static bool m_splice(struct ctx *c)
{
	struct mutant *m = c->m;
	struct span *s = pick(c, NULL), *t;
	uint8_t *copy;

	if (!s || s->clipped)
		return false;
	switch (below(c, 4)) {
	case 0:	/* the same blob twice */
		copy = malloc(s->size);
		if (!copy) {
			c->oom = true;
			return false;
		}
		memcpy(copy, m->buf + s->off, s->size);
		insert(c, chance(c, 50) ? s->off + s->size : m->len, copy, s->size);
		free(copy);
		return true;
	case 1: {	/* a blob from another seed, at a blob boundary */
		const struct seed_area *o = &c->seeds[below(c, c->nseeds)];
		size_t off = 0, want, i = 0;
		uint32_t size = 0;

		want = below(c, 8);
		while (off + 8 <= o->len) {
			size = le32(o->buf + off + 4);
			if (size < 8 || size > o->len - off)
				return false;
			if (i++ == want)
				break;
			off += size;
		}
		if (off + 8 > o->len)
			return false;
		insert(c, chance(c, 50) ? s->off : m->len, o->buf + off, size);
		return true;
	}
	case 2:	/* one blob fewer */
		if (c->nspans < 2)
			return false;
		erase(m, s->off, s->size);
		return true;
	default:	/* two neighbours swapped */
		t = s + 1;
		if (t >= c->spans + c->nspans || t->clipped)
			return false;
		copy = malloc(s->size);
		if (!copy) {
			c->oom = true;
			return false;
		}
		memcpy(copy, m->buf + s->off, s->size);
		memmove(m->buf + s->off, m->buf + t->off, t->size);
		memcpy(m->buf + s->off + t->size, copy, s->size);
		free(copy);
		return true;
	}
}

static bool m_shift(struct ctx *c)
{
	struct span *s = pick(c, has_data);
	size_t k = 1 + below(c, 16), p;

	if (!s || s->clipped)
		return false;
	p = s->off + 8 + below(c, s->size - 8);
	if (chance(c, 50)) {
		insert(c, p, NULL, k);
		s->size += k;
	} else {
		if (k > s->off + s->size - p)
			k = s->off + s->size - p;
		erase(c->m, p, k);
		s->size -= k;
	}
	if (chance(c, 80))
		set32(c->m, s->off + 4, (uint32_t)s->size);
	if (chance(c, 50))
		fix_table(c, s, chance(c, 50));
	return true;
}

typedef bool (*mutator)(struct ctx *c);

static const mutator mutators[MUT_COUNT_OF_KINDS] = {
	[MUT_TRUNCATE] = m_truncate,
	[MUT_BLOB_SIZE] = m_blob_size,
	[MUT_BLOB_TYPE] = m_blob_type,
	[MUT_ACPI_LENGTH] = m_acpi_length,
	[MUT_ACPI_HEADER] = m_acpi_header,
	[MUT_NFIT] = m_nfit,
	[MUT_AML_OPCODE] = m_aml_opcode,
	[MUT_NAMESEG] = m_nameseg,
	[MUT_PKGLEN] = m_pkglength,
	[MUT_NESTED_PKGLEN] = m_nested_pkglength,
	[MUT_COUNT] = NULL,	/* decided with the count, below */
	[MUT_BYTES] = m_bytes,
	[MUT_SPLICE] = m_splice,
	[MUT_SHIFT] = m_shift,
};

int mutant_make(const struct seed_area *seeds, size_t nseeds, uint64_t run_seed, uint64_t index,
		struct mutant *m)
{
	struct ctx c = { .m = m, .seeds = seeds, .nseeds = nseeds };
	const struct seed_area *from;
	size_t seed_count, nops;
	bool count_mutated = false;

	memset(m, 0, sizeof(*m));
	c.pkgs = malloc(MAX_CANDIDATES * sizeof(*c.pkgs));
	if (!c.pkgs)
		return -1;
	c.rng = run_seed * 0x9e3779b97f4a7c15ull + index;
	hx_rand(&c.rng);
	m->seed = below(&c, nseeds);
	from = &seeds[m->seed];
	if (!reserve(&c, from->len + 1))
		goto oom;
	memcpy(m->buf, from->buf, from->len);
	m->len = from->len;
	seed_count = complete_blobs(&c);

	nops = 1 + below(&c, 3);
	for (size_t i = 0; i < nops || !m->kinds; i++) {
		enum mutation k = (enum mutation)below(&c, MUT_COUNT_OF_KINDS);

		if (i > nops + 16)
			k = MUT_BYTES;	/* nothing else applied: never return the seed itself */
		if (k == MUT_COUNT) {
			count_mutated = true;
			m->kinds |= 1u << k;
			continue;
		}
		if (m->len && mutators[k](&c))
			m->kinds |= 1u << k;
		if (c.oom)
			goto oom;
		if (!m->len) {
			m->buf[0] = (uint8_t)below(&c, 256);
			m->len = 1;
		}
	}
	/* Reach past the checksum check most of the time. */
	if (chance(&c, m->kinds & (1u << MUT_ACPI_HEADER) ? 30 : 60)) {
		walk(&c);
		for (size_t i = 0; i < c.nspans; i++)
			fix_table(&c, &c.spans[i], false);
	}
	if (count_mutated) {
		size_t real = complete_blobs(&c);
		const long long vals[] = { (long long)real + 1, real ? (long long)real - 1 : 2, 0,
					   1 << 30, (long long)real + 64 };

		m->count = vals[below(&c, 5)];
	} else {
		switch (below(&c, 4)) {
		case 0: m->count = -1; break;
		case 1: m->count = (long long)seed_count; break;
		default: m->count = (long long)complete_blobs(&c); break;
		}
	}
	free(c.pkgs);
	return 0;
oom:
	free(c.pkgs);
	mutant_free(m);
	return -1;
}

void mutant_free(struct mutant *m)
{
	free(m->buf);
	memset(m, 0, sizeof(*m));
}
