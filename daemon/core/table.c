// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * ACPI table headers (ACPI 6.5 section 5.2.6).
 *
 * Checks (offsets are base + the field's offset in the table):
 *   table-length    MALFORMED: shorter than the header, or the header's
 *                   Length differs from the bytes given
 *   table-checksum  MALFORMED: byte sum not 0 mod 256 (not for FACS)
 *   table-ids       MALFORMED: signature not 4 printable ASCII bytes; OEM id,
 *                   OEM table id or creator id not printable ASCII (trailing
 *                   NUL padding is accepted: Xen's and QEMU's tables use it)
 *   table-xen-only  FORBIDDEN: RSDP ("RSD "), RSDT, XSDT, FACS, FACP, DSDT
 *
 * FACS has no standard header (ACPI 6.5 section 5.2.10): signature and a
 * 32-bit length, no checksum, no ids; it is at least 64 bytes long.
 */
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "table.h"
#include "text.h"

#define FACS_MIN_SIZE 64u

#define SIG(a, b, c, d) ((uint32_t)(a) | (uint32_t)(b) << 8 | (uint32_t)(c) << 16 | (uint32_t)(d) << 24)

bool table_is_xen_only(const char sig[4])
{
	switch (le32((const uint8_t *)sig)) {
	case SIG('R', 'S', 'D', ' '):
	case SIG('R', 'S', 'D', 'T'):
	case SIG('X', 'S', 'D', 'T'):
	case SIG('F', 'A', 'C', 'S'):
	case SIG('F', 'A', 'C', 'P'):
	case SIG('D', 'S', 'D', 'T'):
		return true;
	default:
		return false;
	}
}

bool table_has_aml(const char sig[4])
{
	uint32_t v = le32((const uint8_t *)sig);

	return v == SIG('D', 'S', 'D', 'T') || v == SIG('S', 'S', 'D', 'T') ||
	       v == SIG('P', 'S', 'D', 'T') || v == SIG('O', 'S', 'D', 'T') ||
	       (v & 0xffffff) == SIG('O', 'E', 'M', 0);
}

uint8_t table_sum_words(const uint8_t *p, size_t len)
{
	/* Add 8 bytes at a time into four 16-bit lanes (two lanes of even
	 * bytes, two of odd), folding before a lane can overflow (128 words *
	 * 2 * 255 < 65536). */
	const uint64_t even = 0x00ff00ff00ff00ffull;
	uint32_t acc = 0;

	while (len >= 8) {
		size_t words = len / 8 < 128 ? len / 8 : 128;
		uint64_t lanes = 0;

		for (size_t i = 0; i < words; i++) {
			uint64_t w;

			memcpy(&w, p + 8 * i, 8);
			lanes += (w & even) + ((w >> 8) & even);
		}
		lanes = (lanes & 0x0000ffff0000ffffull) + ((lanes >> 16) & 0x0000ffff0000ffffull);
		acc += (uint32_t)lanes + (uint32_t)(lanes >> 32);
		p += 8 * words;
		len -= 8 * words;
	}
	while (len--)
		acc += *p++;
	return (uint8_t)acc;
}

uint8_t table_sum(const uint8_t *p, size_t len)
{
#ifdef __SSE2__
	/* The checksum is the hot path of table validation: PSADBW adds 16
	 * bytes into two 64-bit lanes per instruction.  Only the sum's low
	 * byte matters, so the low 32 bits of each lane suffice. */
	static const uint8_t last_mask[32] = {
		[16] = 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	};
	const __m128i zero = _mm_setzero_si128();
	__m128i acc = zero;

	if (len < 16)
		return table_sum_words(p, len);
	for (; len >= 16; p += 16, len -= 16)
		acc = _mm_add_epi64(acc, _mm_sad_epu8(_mm_loadu_si128((const __m128i *)(const void *)p),
						      zero));
	if (len) {
		/* The 16 bytes that end the table, less those already added. */
		__m128i last = _mm_loadu_si128((const __m128i *)(const void *)(p + len - 16));

		last = _mm_and_si128(last, _mm_loadu_si128((const __m128i *)(const void *)(last_mask + len)));
		acc = _mm_add_epi64(acc, _mm_sad_epu8(last, zero));
	}
	return (uint8_t)((uint32_t)_mm_cvtsi128_si32(acc) +
			 (uint32_t)_mm_cvtsi128_si32(_mm_srli_si128(acc, 8)));
#else
	return table_sum_words(p, len);
#endif
}

void table_fix_checksum(uint8_t *p, size_t len)
{
	if (len < ACPI_HEADER_SIZE)
		return;
	p[9] = 0;
	p[9] = (uint8_t)(0x100 - table_sum(p, len));
}

static void copy_id(char *dst, const uint8_t *src, size_t n)
{
	memcpy(dst, src, n);
	dst[n] = '\0';
}

int table_header_read(const uint8_t *p, size_t len, struct acpi_header *h)
{
	if (len < ACPI_HEADER_SIZE)
		return -1;
	copy_id(h->signature, p, 4);
	h->length = le32(p + 4);
	h->revision = p[8];
	h->checksum = p[9];
	copy_id(h->oem_id, p + 10, 6);
	copy_id(h->oem_table_id, p + 16, 8);
	h->oem_revision = le32(p + 24);
	copy_id(h->creator_id, p + 28, 4);
	h->creator_revision = le32(p + 32);
	return 0;
}

/* Printable ASCII, optionally followed by NUL padding to the field's end;
 * n <= 8, and 8 bytes readable at p (ids sit inside the 36-byte header). */
static bool id_ok(const uint8_t *p, size_t n)
{
	uint64_t field = n == 8 ? TEXT_BYTES_HIGH : TEXT_BYTES_HIGH >> (64 - 8 * n);
	uint64_t x = le64(p);
	uint64_t bad = text_unprintable_bytes(x) & field, nul = text_nul_bytes(x) & field;

	/* Every unprintable byte a NUL, and every byte from the first NUL on
	 * (none: the lowest set bit of 0 is 0, and field & 0 is 0). */
	return bad == nul && nul == (field & ~((nul & -nul) - 1));
}

static inline int check_id(const uint8_t *p, size_t n, size_t at, size_t base, const char *what,
		    struct findings *f)
{
	char shown[4 * 8 + 1];

	if (id_ok(p + at, n))
		return 0;
	text_escape(shown, sizeof(shown), p + at, n);
	findings_add(f, FINDING_MALFORMED, "table-ids", base + at, "%s \"%s\" is not printable ASCII",
		     what, shown);
	return 1;
}

static int check_facs(const uint8_t *p, size_t len, size_t base, struct findings *f)
{
	uint32_t hlen;

	if (len < 8) {
		findings_add(f, FINDING_MALFORMED, "table-length", base,
			     "FACS of %zu bytes is shorter than its 8-byte header", len);
		return 1;
	}
	hlen = le32(p + 4);
	if (hlen != len) {
		findings_add(f, FINDING_MALFORMED, "table-length", base + 4,
			     "FACS length %u differs from the %zu bytes given", hlen, len);
		return 1;
	}
	if (len < FACS_MIN_SIZE) {
		findings_add(f, FINDING_MALFORMED, "table-length", base + 4,
			     "FACS length %u is below %u", hlen, FACS_MIN_SIZE);
		return 1;
	}
	return 0;
}

int table_check(const uint8_t *p, size_t len, size_t base, struct findings *f)
{
	int n = 0;
	uint32_t hlen;
	uint8_t sum;
	char sig[17];

	if (len < 4) {
		findings_add(f, FINDING_MALFORMED, "table-length", base,
			     "table of %zu bytes is shorter than the %u-byte header",
			     len, ACPI_HEADER_SIZE);
		return 1;
	}
	if (!text_printable(p, 4)) {
		text_escape(sig, sizeof(sig), p, 4);
		findings_add(f, FINDING_MALFORMED, "table-ids", base,
			     "signature \"%s\" is not printable ASCII", sig);
		n++;
	}
	if (table_is_xen_only((const char *)p)) {
		/* Xen's signatures are printable: shown as they are. */
		findings_add(f, FINDING_FORBIDDEN, "table-xen-only", base,
			     "%.4s is provided by Xen only", (const char *)p);
		n++;
	}
	if (!memcmp(p, "FACS", 4))
		return n + check_facs(p, len, base, f);

	if (len < ACPI_HEADER_SIZE) {
		findings_add(f, FINDING_MALFORMED, "table-length", base,
			     "table of %zu bytes is shorter than the %u-byte header",
			     len, ACPI_HEADER_SIZE);
		return n + 1;
	}
	n += check_id(p, 6, 10, base, "OEM id", f);
	n += check_id(p, 8, 16, base, "OEM table id", f);
	n += check_id(p, 4, 28, base, "creator id", f);

	hlen = le32(p + 4);
	if (hlen != len) {
		/* The bytes the checksum would cover are unknown: skip it. */
		findings_add(f, FINDING_MALFORMED, "table-length", base + 4,
			     "header length %u differs from the %zu bytes given", hlen, len);
		return n + 1;
	}
	sum = table_sum(p, len);
	if (sum) {
		findings_add(f, FINDING_MALFORMED, "table-checksum", base + 9,
			     "byte sum is 0x%02x, not 0", sum);
		n++;
	}
	return n;
}
