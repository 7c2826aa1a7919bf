/* SPDX-License-Identifier: GPL-2.0-or-later */
/* Small text helpers: the pure modules', and text the daemon and dmacpictl
 * both read (input numbers, /proc/PID/stat). */
#ifndef DMACPI_TEXT_H
#define DMACPI_TEXT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * Copy n raw bytes from hostile input into dst as printable text: printable
 * ASCII is kept, anything else becomes \xNN.  dst is always NUL-terminated.
 */
void text_escape(char *dst, size_t dstlen, const uint8_t *src, size_t n);
/* Write s in double quotes with " and \\ escaped (the policy's strings). */
void text_print_quoted(FILE *out, const char *s);
/* Write s as a JSON string: quotes, backslashes and every byte outside
 * printable ASCII escaped, so hostile text stays one valid line. */
void text_print_json(FILE *out, const char *s);
/* snprintf(dst, size, "%s", src) without the format pass: src cut to fit,
 * dst always NUL-terminated (size > 0). */
void text_copy(char *dst, size_t size, const char *src);
/* v in decimal, NUL-terminated (21 bytes suffice); returns its length.
 * For text built on every decision, where printf's cost shows. */
size_t text_dec(char *out, uint64_t v);
/* v in lowercase hex, zero-padded to at least digits digits (at most 16),
 * NUL-terminated (17 bytes suffice); returns its length. */
size_t text_hex(char *out, uint64_t v, unsigned digits);
/*
 * A key value from the device model as a number: "0x" and 1-16 hex digits,
 * or decimal digits; no sign, no space, no trailing junk, no overflow.
 * (dmacpictl evaluate --count reads its argument so too.)
 */
bool parse_input_number(const char *s, uint64_t *out);
/*
 * The start time in the text of /proc/PID/stat (field 22, clock ticks
 * after boot).  The command name before it, in parentheses, may hold
 * spaces and parentheses: the fields are counted from the last ')'.
 */
bool proc_stat_start(const char *stat, uint64_t *start);

/* Little-endian loads; the caller has checked the bounds. */
static inline uint16_t le16(const uint8_t *p) { return (uint16_t)(p[0] | p[1] << 8); }
static inline uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}
static inline uint64_t le64(const uint8_t *p) { return le32(p) | (uint64_t)le32(p + 4) << 32; }
/*
 * Byte-parallel tests on 8 bytes at once (le64 order): 0x80 in each byte
 * that is outside printable ASCII 0x20..0x7e, or that is NUL.  Exact per
 * byte (no carry crosses a byte), so a mask also says where.  The table
 * and name checks run them on every blob.
 */
#define TEXT_BYTES_LOW7 UINT64_C(0x7f7f7f7f7f7f7f7f)
#define TEXT_BYTES_HIGH UINT64_C(0x8080808080808080)
#define TEXT_BYTES_ONE UINT64_C(0x0101010101010101)
static inline uint64_t text_unprintable_bytes(uint64_t x)
{
	uint64_t low7 = x & TEXT_BYTES_LOW7;

	/* Top bit set, below 0x20 (low7 + 0x60 keeps its top bit clear), or 0x7f. */
	return (x | ~(low7 + 0x60 * TEXT_BYTES_ONE) | (low7 + TEXT_BYTES_ONE)) & TEXT_BYTES_HIGH;
}
static inline uint64_t text_nul_bytes(uint64_t x)
{
	return ~(((x & TEXT_BYTES_LOW7) + TEXT_BYTES_LOW7) | x) & TEXT_BYTES_HIGH;
}
/* True when every byte is printable ASCII (0x20..0x7e).  Inline: with n
 * known (a signature, a name) it is a single step. */
static inline bool text_printable(const uint8_t *p, size_t n)
{
	for (; n >= 8; p += 8, n -= 8)
		if (text_unprintable_bytes(le64(p)))
			return false;
	if (n >= 4) {	/* a signature or a blob's name: one step */
		if (text_unprintable_bytes(le32(p)) & UINT64_C(0x80808080))
			return false;
		p += 4;
		n -= 4;
	}
	for (; n; p++, n--)
		if (*p < 0x20 || *p > 0x7e)
			return false;
	return true;
}
static inline void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

#endif
