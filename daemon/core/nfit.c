// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * NFIT structure checks (ACPI 6.5 section 5.2.26): the union of what Linux
 * (drivers/acpi/nfit) refuses and what fwts reports.  Every finding carries
 * the offset of the subtable it is about (the header's reserved dword: its
 * own offset).
 *
 * Subtable layouts used here (offsets within the subtable):
 *   0 SPA Range       56 (64 with flag bit 2, location cookie); index @4,
 *                     flags @6 (bits 0-2), reserved u32 @8
 *   1 Region Mapping  48; SPA index @12 (0: not mapped), DCR index @14,
 *                     state flags @44 (bits 0-6), reserved u16 @46
 *   2 Interleave      16 + 4 * lines; reserved u16 @6, lines u32 @8
 *   3 SMBIOS          >= 8; reserved u32 @4
 *   4 Control Region  80, or 32 when the number of block control windows
 *                     (u16 @30) is 0; index @4, valid fields u8 @18 (bit 0),
 *                     reserved u16 @22; long form: flags u16 @72 (bit 0),
 *                     reserved 6 bytes @74
 *   5 Block Data Win. 40
 *   6 Flush Hint      16 + 8 * hints; hints u16 @8, reserved 6 bytes @10
 *   7 Platform Caps   16; reserved 3 bytes @5, capabilities u32 @8 (bits
 *                     0-2, bit 0 only with bit 1), reserved u32 @12
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "nfit.h"
#include "text.h"

#define NFIT_HEADER_SIZE 40u
#define NFIT_SUB_HEADER 4u

enum {
	NFIT_SPA = 0,
	NFIT_MAP,
	NFIT_INTERLEAVE,
	NFIT_SMBIOS,
	NFIT_DCR,
	NFIT_BDW,
	NFIT_FLUSH,
	NFIT_CAPS,
	NFIT_TYPES,
};

static const char *const type_names[NFIT_TYPES] = {
	"SPA range", "region mapping", "interleave", "SMBIOS",
	"control region", "block data window", "flush hint", "platform capabilities",
};

/*
 * A set of 16-bit indices.  Real NFITs hold a handful, so a small array
 * serves; a hostile one with many switches to a bitmap (8 KiB).
 */
#define IDX_SMALL 32

struct idxset {
	uint16_t small[IDX_SMALL];
	size_t n;
	uint64_t *bits;
	bool nomem;
};

static bool idx_has(const struct idxset *s, uint16_t v)
{
	if (s->bits)
		return s->bits[v >> 6] >> (v & 63) & 1;
	for (size_t i = 0; i < s->n; i++)
		if (s->small[i] == v)
			return true;
	return false;
}

/* Returns false when v was already present. */
static bool idx_add(struct idxset *s, uint16_t v)
{
	if (idx_has(s, v))
		return false;
	if (!s->bits && s->n == IDX_SMALL) {
		s->bits = calloc(65536 / 64, sizeof(uint64_t));
		if (!s->bits) {
			s->nomem = true;
			return true;
		}
		for (size_t i = 0; i < s->n; i++)
			s->bits[s->small[i] >> 6] |= (uint64_t)1 << (s->small[i] & 63);
	}
	if (s->bits)
		s->bits[v >> 6] |= (uint64_t)1 << (v & 63);
	else
		s->small[s->n++] = v;
	return true;
}

static bool zero(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

struct nfit_ctx {
	size_t base;
	struct findings *f;
	int n;
	struct idxset spa, dcr;
};

static void reserved(struct nfit_ctx *c, const uint8_t *s, size_t off, size_t at, size_t n,
		     uint16_t type)
{
	if (zero(s + at, n))
		return;
	findings_add(c->f, FINDING_MALFORMED, "nfit-reserved", c->base + off,
		     "%s: reserved bytes %zu..%zu are not zero", type_names[type], at, at + n - 1);
	c->n++;
}

static void bad_flags(struct nfit_ctx *c, size_t off, uint16_t type, const char *what,
		      unsigned long v)
{
	findings_add(c->f, FINDING_MALFORMED, "nfit-flags", c->base + off,
		     "%s: %s 0x%lx has undefined bits set", type_names[type], what, v);
	c->n++;
}

static void bad_length(struct nfit_ctx *c, size_t off, uint16_t type, size_t len,
		       const char *want)
{
	findings_add(c->f, FINDING_MALFORMED, "nfit-length", c->base + off,
		     "%s of %zu bytes, expected %s", type_names[type], len, want);
	c->n++;
}

static void add_index(struct nfit_ctx *c, struct idxset *set, uint16_t v, size_t off,
		      uint16_t type)
{
	if (idx_add(set, v))
		return;
	findings_add(c->f, FINDING_MALFORMED, "nfit-duplicate-index", c->base + off,
		     "%s index %u is used twice", type_names[type], v);
	c->n++;
}

/* Length and field checks of one subtable; s points at it, slen >= 4. */
static void check_sub(struct nfit_ctx *c, const uint8_t *s, size_t off, uint16_t type,
		      size_t slen)
{
	/* An index is known even when the length is wrong, so that one bad
	 * structure is not also reported as every mapping's dangling target. */
	if (slen >= 6 && type == NFIT_SPA)
		add_index(c, &c->spa, le16(s + 4), off, type);
	else if (slen >= 6 && type == NFIT_DCR)
		add_index(c, &c->dcr, le16(s + 4), off, type);

	switch (type) {
	case NFIT_SPA: {
		uint16_t flags;

		if (slen != 56 && slen != 64) {
			bad_length(c, off, type, slen, "56, or 64 with a location cookie");
			return;
		}
		flags = le16(s + 6);
		if ((slen == 64) != !!(flags & 4)) {
			bad_length(c, off, type, slen, flags & 4 ?
				   "64 with the location-cookie flag" :
				   "56 without the location-cookie flag");
			return;
		}
		if (flags & ~7u)
			bad_flags(c, off, type, "flags", flags);
		reserved(c, s, off, 8, 4, type);
		break;
	}
	case NFIT_MAP:
		if (slen != 48) {
			bad_length(c, off, type, slen, "48");
			return;
		}
		if (le16(s + 44) & ~0x7fu)
			bad_flags(c, off, type, "state flags", le16(s + 44));
		reserved(c, s, off, 46, 2, type);
		break;
	case NFIT_INTERLEAVE: {
		uint64_t want;

		if (slen < 16) {
			bad_length(c, off, type, slen, "at least 16");
			return;
		}
		want = 16 + 4 * (uint64_t)le32(s + 8);
		if (want != slen) {
			findings_add(c->f, FINDING_MALFORMED, "nfit-length", c->base + off,
				     "interleave of %zu bytes describes %u lines (%llu bytes)",
				     slen, le32(s + 8), (unsigned long long)want);
			c->n++;
			return;
		}
		reserved(c, s, off, 6, 2, type);
		break;
	}
	case NFIT_SMBIOS:
		if (slen < 8) {
			bad_length(c, off, type, slen, "at least 8");
			return;
		}
		reserved(c, s, off, 4, 4, type);
		break;
	case NFIT_DCR: {
		uint16_t windows;

		if (slen != 80 && slen != 32) {
			bad_length(c, off, type, slen, "80, or 32 without block windows");
			return;
		}
		windows = le16(s + 30);
		if (slen == 32 && windows) {
			findings_add(c->f, FINDING_MALFORMED, "nfit-length", c->base + off,
				     "control region of 32 bytes has %u block control windows",
				     windows);
			c->n++;
			return;
		}
		if (s[18] & ~1u)
			bad_flags(c, off, type, "valid fields", s[18]);
		reserved(c, s, off, 22, 2, type);
		if (slen == 80) {
			if (le16(s + 72) & ~1u)
				bad_flags(c, off, type, "flags", le16(s + 72));
			reserved(c, s, off, 74, 6, type);
		}
		break;
	}
	case NFIT_BDW:
		if (slen != 40)
			bad_length(c, off, type, slen, "40");
		break;
	case NFIT_FLUSH: {
		size_t want;

		if (slen < 16) {
			bad_length(c, off, type, slen, "at least 16");
			return;
		}
		want = 16 + 8 * (size_t)le16(s + 8);
		if (want != slen) {
			findings_add(c->f, FINDING_MALFORMED, "nfit-length", c->base + off,
				     "flush hint of %zu bytes lists %u addresses (%zu bytes)",
				     slen, le16(s + 8), want);
			c->n++;
			return;
		}
		reserved(c, s, off, 10, 6, type);
		break;
	}
	case NFIT_CAPS: {
		uint32_t caps;

		if (slen != 16) {
			bad_length(c, off, type, slen, "16");
			return;
		}
		caps = le32(s + 8);
		if (caps & ~7u)
			bad_flags(c, off, type, "capabilities", caps);
		else if ((caps & 3) == 1) {
			findings_add(c->f, FINDING_MALFORMED, "nfit-flags", c->base + off,
				     "platform capabilities: CPU cache flush (bit 0) without "
				     "memory controller flush (bit 1)");
			c->n++;
		}
		reserved(c, s, off, 5, 3, type);
		reserved(c, s, off, 12, 4, type);
		break;
	}
	}
}

/* Region Mappings must name an SPA range (or 0) and a control region that exist. */
static void check_refs(struct nfit_ctx *c, const uint8_t *p, size_t len)
{
	for (size_t off = NFIT_HEADER_SIZE; off < len;) {
		uint16_t type = le16(p + off), slen = le16(p + off + 2);
		const uint8_t *s = p + off;

		if (type == NFIT_MAP && slen == 48) {
			uint16_t spa = le16(s + 12), dcr = le16(s + 14);

			if (spa && !c->spa.nomem && !idx_has(&c->spa, spa)) {
				findings_add(c->f, FINDING_MALFORMED, "nfit-spa-index",
					     c->base + off,
					     "region mapping refers to SPA range %u, which does not exist",
					     spa);
				c->n++;
			}
			if (!c->dcr.nomem && !idx_has(&c->dcr, dcr)) {
				findings_add(c->f, FINDING_MALFORMED, "nfit-dcr-index",
					     c->base + off,
					     "region mapping refers to control region %u, which does not exist",
					     dcr);
				c->n++;
			}
		}
		off += slen;
	}
}

int nfit_check(const uint8_t *p, size_t len, size_t base, struct findings *f)
{
	struct nfit_ctx c = { .base = base, .f = f };
	bool walked = true;

	if (len < NFIT_HEADER_SIZE) {
		findings_add(f, FINDING_MALFORMED, "nfit-header", base,
			     "NFIT of %zu bytes is shorter than its %u-byte header", len,
			     NFIT_HEADER_SIZE);
		return 1;
	}
	if (le32(p + 36)) {
		findings_add(f, FINDING_MALFORMED, "nfit-reserved", base + 36,
			     "NFIT header: reserved dword is 0x%08x, not 0", le32(p + 36));
		c.n++;
	}
	for (size_t off = NFIT_HEADER_SIZE; off < len;) {
		size_t left = len - off;
		uint16_t type, slen;

		if (left < NFIT_SUB_HEADER) {
			findings_add(f, FINDING_MALFORMED, "nfit-overrun", base + off,
				     "%zu trailing bytes cannot hold a subtable header", left);
			c.n++;
			walked = false;
			break;
		}
		type = le16(p + off);
		slen = le16(p + off + 2);
		if (!slen) {
			findings_add(f, FINDING_MALFORMED, "nfit-zero-length", base + off,
				     "subtable of type %u has length 0", type);
			c.n++;
			walked = false;
			break;
		}
		if (slen > left) {
			findings_add(f, FINDING_MALFORMED, "nfit-overrun", base + off,
				     "subtable of type %u and length %u runs %zu bytes past the table",
				     type, slen, slen - left);
			c.n++;
			walked = false;
			break;
		}
		if (type >= NFIT_TYPES) {
			findings_add(f, FINDING_MALFORMED, "nfit-type", base + off,
				     "unknown subtable type %u", type);
			c.n++;
		} else if (slen < NFIT_SUB_HEADER) {
			bad_length(&c, off, type, slen, "at least its 4-byte header");
		} else {
			check_sub(&c, p + off, off, type, slen);
		}
		off += slen;
	}
	/* After a broken walk, the structures a mapping names may lie past
	 * the break: only a complete walk can tell a dangling reference. */
	if (walked)
		check_refs(&c, p, len);
	/* Without its index set, duplicates and dangling references went
	 * unseen: these findings say nothing of the table. */
	if (c.spa.nomem || c.dcr.nomem) {
		findings_no_memory(f, "nfit-nomem", base);
		c.n++;
	}
	free(c.spa.bits);
	free(c.dcr.bits);
	return c.n;
}
