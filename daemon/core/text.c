// SPDX-License-Identifier: GPL-2.0-or-later
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "text.h"

void text_copy(char *dst, size_t size, const char *src)
{
	size_t n = strnlen(src, size - 1);

	memcpy(dst, src, n);
	dst[n] = '\0';
}

size_t text_dec(char *out, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

size_t text_hex(char *out, uint64_t v, unsigned digits)
{
	size_t n = 1;

	while (n < 16 && (n < digits || v >> (4 * n)))
		n++;
	for (size_t i = 0; i < n; i++)
		out[i] = "0123456789abcdef"[(v >> (4 * (n - 1 - i))) & 0xf];
	out[n] = '\0';
	return n;
}

void text_escape(char *dst, size_t dstlen, const uint8_t *src, size_t n)
{
	size_t o = 0;

	if (!dstlen)
		return;
	/* Every blob's name: four bytes, almost always plain. */
	if (n == 4 && dstlen > 4 && text_printable(src, 4) &&
	    !(text_nul_bytes(le32(src) ^ UINT32_C(0x5c5c5c5c)) & UINT64_C(0x80808080))) {
		memcpy(dst, src, 4);
		dst[4] = '\0';
		return;
	}
	/* Once per blob and per finding: no formatting call per byte. */
	for (size_t i = 0; i < n; i++) {
		uint8_t c = src[i];
		bool plain = c >= 0x20 && c <= 0x7e && c != '\\';

		if (o + (plain ? 1 : 4) >= dstlen)
			break;
		if (plain) {
			dst[o++] = (char)c;
			continue;
		}
		dst[o++] = '\\';
		dst[o++] = 'x';
		dst[o++] = "0123456789abcdef"[c >> 4];
		dst[o++] = "0123456789abcdef"[c & 0xf];
	}
	dst[o] = '\0';
}

void text_print_quoted(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fputc('\\', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

void text_print_json(FILE *out, const char *s)
{
	fputc('"', out);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c < 0x20 || c > 0x7e)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

bool parse_input_number(const char *s, uint64_t *out)
{
	uint64_t v = 0;

	/* No number needs more than 20 characters; a longer value (leading
	 * zeros) would not fit the verdict's `input` text untruncated. */
	if (!s || !*s || strlen(s) > 20)
		return false;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		size_t digits = 0;

		for (s += 2; *s; s++, digits++) {
			int c = tolower((unsigned char)*s);

			if (!isxdigit(c) || digits == 16)
				return false;
			v = v << 4 | (uint64_t)(isdigit(c) ? c - '0' : c - 'a' + 10);
		}
		if (!digits)
			return false;
	} else {
		for (; *s; s++) {
			if (*s < '0' || *s > '9')
				return false;
			if (v > (UINT64_MAX - (uint64_t)(*s - '0')) / 10)
				return false;
			v = v * 10 + (uint64_t)(*s - '0');
		}
	}
	*out = v;
	return true;
}

bool proc_stat_start(const char *stat, uint64_t *start)
{
	const char *p = strrchr(stat, ')');
	char digits[21];
	size_t n;

	if (!p)
		return false;
	p++;
	/* Past fields 3 (state) to 21 (itrealvalue). */
	for (int field = 3; field < 22; field++) {
		p += strspn(p, " ");
		if (!*p)
			return false;
		p += strcspn(p, " ");
	}
	p += strspn(p, " ");
	n = strspn(p, "0123456789");
	if (!n || n >= sizeof(digits) || (p[n] && p[n] != ' ' && p[n] != '\n'))
		return false;
	memcpy(digits, p, n);
	digits[n] = 0;
	return parse_input_number(digits, start);
}
