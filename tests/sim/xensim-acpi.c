// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xensim hvmloader: what a patched hvmloader does with the verdict (SPEC
 * section 3, docs/protocol.md section 4): wait for it, check it against the
 * inputs, copy the area out of guest RAM and check the verdict's SHA-256
 * digest on the copy, and assemble from that copy Xen's DSDT + the approved
 * tables + one SSDT wrapping the approved devices under \_SB.  The digest is
 * computed here with libcrypto, not with the daemon's code: an independent
 * consumer.
 *
 * xensim oracle: load such a set with ACPICA's acpiexec and report what it
 * says (it always exits 0, so its output is what counts).
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <openssl/evp.h>
#include <xenstore.h>
#include <zlib.h>

#include "area.h"
#include "findings.h"
#include "xensim.h"

#ifndef XENSIM_DEFAULT_DSDT
#define XENSIM_DEFAULT_DSDT "tests/data/xen/DSDT_20920.aml"
#endif

#define MAX_AREA (16u << 20)
#define MAX_BLOBS 4096
#define ACPI_HEADER_SIZE 36u
#define PKGLEN_MAX ((1u << 28) - 1)

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* ---- AML encoding of the device SSDT ------------------------------------ */

struct bytes {
	uint8_t *v;
	size_t n, cap;
	int oom;
};

static void put_bytes(struct bytes *b, const void *p, size_t n)
{
	if (b->oom)
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *nv;

		while (cap < b->n + n)
			cap *= 2;
		nv = realloc(b->v, cap);
		if (!nv) {
			b->oom = 1;
			return;
		}
		b->v = nv;
		b->cap = cap;
	}
	memcpy(b->v + b->n, p, n);
	b->n += n;
}

static void put_u8(struct bytes *b, uint8_t v)
{
	put_bytes(b, &v, 1);
}

/* A PkgLength for content bytes that follow it; the length counts itself. */
static int put_pkglength(struct bytes *b, size_t content)
{
	size_t k, total;

	for (k = 1; k <= 4; k++) {
		total = content + k;
		if ((k == 1 && total <= 63) || (k > 1 && total < (size_t)1 << (4 + 8 * (k - 1))))
			break;
	}
	if (k > 4 || total > PKGLEN_MAX)
		return -1;
	if (k == 1) {
		put_u8(b, (uint8_t)total);
		return 0;
	}
	put_u8(b, (uint8_t)(((k - 1) << 6) | (total & 0x0f)));
	for (size_t i = 1; i < k; i++)
		put_u8(b, (uint8_t)(total >> (4 + 8 * (i - 1))));
	return 0;
}

static void put_le32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
	p[2] = (uint8_t)(v >> 16);
	p[3] = (uint8_t)(v >> 24);
}

/* SSDT { Scope(\_SB) { Device(NAME) { body } ... } } over the device blobs. */
static int build_device_ssdt(const struct area *a, struct bytes *out)
{
	static const uint8_t sb[5] = { '\\', '_', 'S', 'B', '_' };
	struct bytes devs = { 0 };
	uint8_t hdr[ACPI_HEADER_SIZE] = { 0 };
	uint8_t sum = 0;
	size_t i;

	for (i = 0; i < a->count; i++) {
		const struct blob *bl = &a->blobs[i];

		if (bl->type != BLOB_DEVICE)
			continue;
		put_u8(&devs, 0x5b);
		put_u8(&devs, 0x82);
		if (put_pkglength(&devs, bl->data_len) != 0)
			goto fail;
		put_bytes(&devs, bl->data, bl->data_len);	/* NameSeg, then the body */
	}
	memcpy(hdr, "SSDT", 4);
	hdr[8] = 2;
	memcpy(hdr + 10, "Xen   ", 6);
	memcpy(hdr + 16, "HVM     ", 8);
	memcpy(hdr + 28, "XSIM", 4);
	put_bytes(out, hdr, sizeof(hdr));
	put_u8(out, 0x10);
	if (put_pkglength(out, sizeof(sb) + devs.n) != 0)
		goto fail;
	put_bytes(out, sb, sizeof(sb));
	put_bytes(out, devs.v, devs.n);
	if (out->oom || devs.oom || out->n > UINT32_MAX)
		goto fail;
	put_le32(out->v + 4, (uint32_t)out->n);
	for (i = 0; i < out->n; i++)
		sum = (uint8_t)(sum + out->v[i]);
	out->v[9] = (uint8_t)(0 - sum);
	free(devs.v);
	return 0;
fail:
	free(devs.v);
	return -1;
}

/* ---- hvmloader ----------------------------------------------------------- */

static char *read_key(struct xs_handle *h, uint32_t d, const char *rel)
{
	char p[256];

	snprintf(p, sizeof(p), "/local/domain/%u/hvmloader/%s", d, rel);
	return sim_read(h, p);
}

/* "a:l:c" (c may be empty) against the current inputs, numerically. */
static int input_matches(const char *input, const char *addr, const char *len, const char *count)
{
	char buf[256], *f[3] = { NULL, NULL, NULL };
	uint64_t x, y;
	int i = 0;

	if (!input || !addr || !len || strlen(input) >= sizeof(buf))
		return 0;
	snprintf(buf, sizeof(buf), "%s", input);
	f[0] = buf;
	for (char *c = buf; *c && i < 2; c++) {
		if (*c == ':') {
			*c = '\0';
			f[++i] = c + 1;
		}
	}
	if (i != 2 || strchr(f[2], ':'))
		return 0;
	if (sim_parse_u64(f[0], &x) || sim_parse_u64(addr, &y) || x != y)
		return 0;
	if (sim_parse_u64(f[1], &x) || sim_parse_u64(len, &y) || x != y)
		return 0;
	if (!count || !*count)
		return *f[2] == '\0';
	return !sim_parse_u64(f[2], &x) && !sim_parse_u64(count, &y) && x == y;
}

/* READY, when not NULL, is created once the watch is registered: from then
 * on no verdict can be missed. */
static int wait_verdict(struct xs_handle *h, uint32_t d, double timeout, const char *ready,
			char **state)
{
	char path[256];
	double end = mono() + timeout;
	int fd;

	snprintf(path, sizeof(path), "/local/domain/%u/hvmloader/dm-acpi-verdict/state", d);
	if (!xs_watch(h, path, "verdict")) {
		sim_err("watch %s: %s", path, strerror(errno));
		return XS_EXIT_REFUSED;
	}
	if (ready) {
		fd = open(ready, O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
		if (fd < 0) {
			sim_err("%s: %s", ready, strerror(errno));
			return XS_EXIT_USAGE;
		}
		close(fd);
	}
	for (;;) {
		struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
		char **ev;
		double left;

		*state = sim_read(h, path);
		if (*state && strcmp(*state, "pending"))
			return 0;
		free(*state);
		*state = NULL;
		left = end - mono();
		if (left <= 0)
			return XS_EXIT_TIMEOUT;
		if (poll(&p, 1, (int)(left * 1000) + 1) > 0)
			while ((ev = xs_check_watch(h)))
				free(ev);
	}
}

static int clear_out_dir(const char *dir)
{
	DIR *dp;
	struct dirent *e;

	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		sim_err("%s: %s", dir, strerror(errno));
		return -1;
	}
	dp = opendir(dir);
	if (!dp)
		return -1;
	while ((e = readdir(dp))) {
		size_t n = strlen(e->d_name);

		if (n > 7 && e->d_name[0] >= '0' && e->d_name[0] <= '9' &&
		    !strcmp(e->d_name + n - 4, ".aml")) {
			char p[PATH_MAX];

			snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
			unlink(p);
		}
	}
	closedir(dp);
	return 0;
}

static int emit(const char *dir, int idx, const char *sig, const uint8_t *data, size_t len)
{
	char p[PATH_MAX], name[5];
	FILE *fp;
	int i;

	for (i = 0; i < 4; i++) {
		char c = sig[i];

		name[i] = ((c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) ? c : '_';
	}
	name[4] = '\0';
	if (!dir)
		return 0;
	snprintf(p, sizeof(p), "%s/%02d-%s.aml", dir, idx, name);
	fp = fopen(p, "wb");
	if (!fp || fwrite(data, 1, len, fp) != len) {
		sim_err("%s: %s", p, strerror(errno));
		if (fp)
			fclose(fp);
		return -1;
	}
	return fclose(fp);
}

/* "sha256:" and 64 lower-case hex digits, nothing else. */
static int digest_well_formed(const char *s)
{
	if (!s || strncmp(s, "sha256:", 7) || strlen(s) != 7 + 64)
		return 0;
	for (s += 7; *s; s++)
		if (!((*s >= '0' && *s <= '9') || (*s >= 'a' && *s <= 'f')))
			return 0;
	return 1;
}

/* The digest of p[0..len) as the verdict writes it; -1 if libcrypto fails. */
static int sha256_text(const uint8_t *p, size_t len, char out[7 + 64 + 1])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	if (!EVP_Digest(p, len, md, &n, EVP_sha256(), NULL) || n != 32)
		return -1;
	memcpy(out, "sha256:", 7);
	for (unsigned int i = 0; i < n; i++)
		snprintf(out + 7 + 2 * i, 3, "%02x", md[i]);
	return 0;
}

int cmd_hvmloader(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "timeout", required_argument, NULL, 't' },
		{ "out", required_argument, NULL, 'o' },
		{ "dsdt", required_argument, NULL, 's' },
		{ "as-dom0", no_argument, NULL, '0' },
		{ "crc-only", no_argument, NULL, 'c' },
		{ "ready", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *out = NULL, *ready = NULL, *dsdt = getenv("XENSIM_DSDT");
	char *state = NULL, *v_addr = NULL, *v_len = NULL, *v_count = NULL, *v_sum = NULL;
	char *v_input = NULL, *v_reason = NULL, *i_addr = NULL, *i_len = NULL, *i_count = NULL;
	char *v_digest = NULL, have[7 + 64 + 1];
	double timeout = XENSIM_WAIT_SECONDS;
	int as_dom0 = 0, crc_only = 0, c, rc = XS_EXIT_REFUSED, idx = 0, ntables = 0, ndevices = 0;
	uint64_t addr, len, count = 0, sum;
	uint8_t *ram = NULL, *dsdt_buf = NULL;
	size_t dsdt_len, i;
	struct xs_handle *h;
	struct area a = { 0 };
	struct findings f;
	struct bytes ssdt = { 0 };
	uint32_t d;
	uint64_t dv;

	findings_init(&f);
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 't': timeout = atof(optarg); break;
		case 'o': out = optarg; break;
		case 's': dsdt = optarg; break;
		case '0': as_dom0 = 1; break;
		case 'c': crc_only = 1; break;
		case 'r': ready = optarg; break;
		default: return XS_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || sim_parse_u64(argv[optind], &dv) || dv >= 0x7ff0) {
		sim_err("usage: xensim hvmloader D [--timeout S] [--ready FILE] [--out DIR] [--dsdt FILE] "
			"[--as-dom0] [--crc-only]");
		return XS_EXIT_USAGE;
	}
	d = (uint32_t)dv;
	if (!dsdt)
		dsdt = XENSIM_DEFAULT_DSDT;
	dsdt_buf = sim_slurp(dsdt, 1u << 20, &dsdt_len);
	if (!dsdt_buf)
		return XS_EXIT_USAGE;
	/* The real one reads xenstore as the guest itself. */
	h = sim_connect(as_dom0 ? -1 : (long)d);
	if (!h) {
		free(dsdt_buf);
		return XS_EXIT_USAGE;
	}
	c = wait_verdict(h, d, timeout, ready, &state);
	if (c == XS_EXIT_TIMEOUT) {
		printf("timeout: no verdict for domain %u within %gs; no device-model ACPI\n", d, timeout);
		rc = XS_EXIT_TIMEOUT;
		goto out;
	}
	if (c)
		goto out;
	v_reason = read_key(h, d, "dm-acpi-verdict/reason");
	if (strcmp(state, "approved")) {
		printf("refused: verdict %s (%s); no device-model ACPI\n", state,
		       v_reason ? v_reason : "no reason given");
		goto out;
	}
	v_addr = read_key(h, d, "dm-acpi-verdict/address");
	v_len = read_key(h, d, "dm-acpi-verdict/length");
	v_count = read_key(h, d, "dm-acpi-verdict/count");
	v_sum = read_key(h, d, "dm-acpi-verdict/checksum");
	v_digest = read_key(h, d, "dm-acpi-verdict/digest");
	v_input = read_key(h, d, "dm-acpi-verdict/input");
	i_addr = read_key(h, d, "dm-acpi/address");
	i_len = read_key(h, d, "dm-acpi/length");
	i_count = read_key(h, d, "dm-acpi/count");
	if (!input_matches(v_input, i_addr, i_len, i_count)) {
		printf("refused: stale verdict: input '%s' but inputs are now '%s:%s:%s'\n",
		       v_input ? v_input : "", i_addr ? i_addr : "", i_len ? i_len : "",
		       i_count ? i_count : "");
		goto out;
	}
	if (sim_parse_u64(v_addr, &addr) || sim_parse_u64(v_len, &len) ||
	    (v_count && sim_parse_u64(v_count, &count)) ||
	    (crc_only ? sim_parse_u64(v_sum, &sum) || sum > UINT32_MAX
		      : !digest_well_formed(v_digest)) ||
	    addr > UINT32_MAX || len > MAX_AREA || len > (1ull << 32) - addr) {
		printf("refused: malformed verdict (address '%s', length '%s', count '%s', %s '%s')\n",
		       v_addr ? v_addr : "", v_len ? v_len : "", v_count ? v_count : "",
		       crc_only ? "checksum" : "digest",
		       crc_only ? (v_sum ? v_sum : "") : (v_digest ? v_digest : ""));
		goto out;
	}
	/* One copy; everything below reads only the copy, never guest RAM again. */
	ram = malloc(len ? len : 1);
	if (!ram || sim_ram_read(d, addr, ram, len)) {
		printf("refused: cannot read the approved area from guest RAM\n");
		goto out;
	}
	if (crc_only) {
		/* A consumer from before the digest: the CRC-32 is forgeable. */
		if (crc32(crc32(0L, Z_NULL, 0), ram, (uInt)len) != sum) {
			printf("refused: CRC mismatch: guest RAM has 0x%08lx, verdict says 0x%08" PRIx64
			       "\n", crc32(crc32(0L, Z_NULL, 0), ram, (uInt)len), sum);
			goto out;
		}
	} else if (sha256_text(ram, len, have) < 0) {
		printf("refused: cannot compute SHA-256 (libcrypto failed)\n");
		goto out;
	} else if (strcmp(have, v_digest)) {
		printf("refused: digest mismatch: the copy of guest RAM has %s, verdict says %s;"
		       " no device-model ACPI\n", have, v_digest);
		goto out;
	}
	if (area_parse(ram, len, v_count ? (long long)count : -1, MAX_BLOBS, &a, &f) != 0) {
		const struct finding *bad = findings_first(&f, FINDING_MALFORMED);

		printf("refused: approved area is malformed: %s\n", bad ? bad->message : "?");
		goto out;
	}
	if (out && clear_out_dir(out))
		goto out;
	if (emit(out, idx++, "DSDT", dsdt_buf, dsdt_len))
		goto out;
	for (i = 0; i < a.count; i++) {
		if (a.blobs[i].type != BLOB_TABLE) {
			ndevices++;
			continue;
		}
		if (emit(out, idx++, a.blobs[i].name, a.blobs[i].data, a.blobs[i].data_len))
			goto out;
		ntables++;
	}
	if (ndevices) {
		if (build_device_ssdt(&a, &ssdt) || emit(out, idx++, "SSDT", ssdt.v, ssdt.n)) {
			printf("refused: cannot assemble the device SSDT\n");
			goto out;
		}
	}
	printf("approved: loaded %d table(s) and %d device(s) from 0x%" PRIx64 "+%" PRIu64 "%s%s\n",
	       ntables, ndevices, addr, len, out ? " into " : "", out ? out : "");
	rc = XS_EXIT_OK;
out:
	area_free(&a);
	findings_free(&f);
	free(ssdt.v);
	free(ram);
	free(dsdt_buf);
	free(state);
	free(v_addr);
	free(v_len);
	free(v_count);
	free(v_sum);
	free(v_digest);
	free(v_input);
	free(v_reason);
	free(i_addr);
	free(i_len);
	free(i_count);
	xs_close(h);
	return rc;
}

/* ---- oracle ------------------------------------------------------------- */

static int cmp_names(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

static int is_aml_signature(const char sig[4])
{
	return !memcmp(sig, "DSDT", 4) || !memcmp(sig, "SSDT", 4) || !memcmp(sig, "PSDT", 4) ||
	       !memcmp(sig, "OSDT", 4) || !memcmp(sig, "OEM", 3);
}

static int is_dsdt_file(const char *path)
{
	FILE *fp = fopen(path, "rb");
	char sig[4] = { 0 };
	int yes = 0;

	if (fp) {
		yes = fread(sig, 1, 4, fp) == 4 && !memcmp(sig, "DSDT", 4);
		fclose(fp);
	}
	return yes;
}

static char *run_acpiexec(char **files, size_t n, size_t *out_len)
{
	const char *exe = getenv("ACPIEXEC");
	char **args = calloc(n + 4, sizeof(*args));
	struct bytes out = { 0 };
	int pfd[2], status;
	double end = mono() + 60;
	pid_t pid;
	size_t i;

	if (!args || pipe(pfd) != 0) {
		free(args);
		return NULL;
	}
	args[0] = (char *)(exe && *exe ? exe : "acpiexec");
	args[1] = (char *)"-b";
	args[2] = (char *)"namespace";
	for (i = 0; i < n; i++)
		args[3 + i] = files[i];
	pid = fork();
	if (pid == 0) {
		int null = open("/dev/null", O_RDONLY);

		dup2(null, 0);
		dup2(pfd[1], 1);
		dup2(pfd[1], 2);
		close(pfd[0]);
		execvp(args[0], args);
		fprintf(stderr, "xensim oracle: exec %s: %s\n", args[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	free(args);
	if (pid < 0) {
		close(pfd[0]);
		return NULL;
	}
	for (;;) {
		struct pollfd p = { .fd = pfd[0], .events = POLLIN };
		char buf[65536];
		ssize_t r;
		double left = end - mono();

		if (left <= 0 || poll(&p, 1, (int)(left * 1000) + 1) <= 0) {
			kill(pid, SIGKILL);
			break;
		}
		r = read(pfd[0], buf, sizeof(buf));
		if (r <= 0)
			break;
		if (out.n < (64u << 20))
			put_bytes(&out, buf, (size_t)r);
	}
	close(pfd[0]);
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
		free(out.v);
		return NULL;
	}
	put_u8(&out, 0);
	if (out.oom) {
		free(out.v);
		return NULL;
	}
	*out_len = out.n - 1;
	return (char *)out.v;
}

/*
 * Xen's part of the namespace after loading: acpiexec runs every _INI
 * before it prints the namespace, so a device-model table whose _INI
 * writes one of Xen's objects shows as a change against the DSDT loaded on
 * its own.  An object is its path, type and value, with the addresses and
 * reference counts that differ from run to run left out.
 */
struct ns_line {
	char *path;	/* "\_SB_.PCI0" */
	char *what;	/* "Device", "Integer = 0000000000000001" */
};

struct ns_dump {
	struct ns_line *v;
	size_t n, cap;
};

static void ns_dump_free(struct ns_dump *d)
{
	for (size_t i = 0; i < d->n; i++) {
		free(d->v[i].path);
		free(d->v[i].what);
	}
	free(d->v);
	memset(d, 0, sizeof(*d));
}

static int cmp_ns_line(const void *x, const void *y)
{
	return strcmp(((const struct ns_line *)x)->path, ((const struct ns_line *)y)->path);
}

/* "  1    PCI0 Device       0x55f7cf984580 001 rest": the namespace lines. */
static int ns_dump_parse(const char *text, struct ns_dump *d)
{
	char segs[32][5];
	const char *line = strstr(text, "ACPI Namespace (from Namespace Root):");

	memset(d, 0, sizeof(*d));
	while (line && (line = strchr(line, '\n'))) {
		char name[5], type[32], what[512], path[32 * 5 + 2];
		unsigned depth, refs;
		unsigned long long addr;
		int used = 0;
		size_t o = 0, w = 0;
		const char *end = strchr(++line, '\n'), *rest;

		if (sscanf(line, " %u %4s %31s 0x%llx %u%n", &depth, name, type, &addr, &refs, &used) != 5 ||
		    depth >= 32 || strlen(name) != 4)
			continue;
		memcpy(segs[depth], name, 5);
		path[o++] = '\\';
		for (unsigned k = 0; k <= depth; k++)
			o += (size_t)snprintf(path + o, sizeof(path) - o, "%s%s", k ? "." : "", segs[k]);
		/* The value, without pointers ("0x" and 8 or more hex digits). */
		w = (size_t)snprintf(what, sizeof(what), "%s", type);
		for (rest = line + used; rest < (end ? end : rest + strlen(rest)) && w + 2 < sizeof(what);) {
			size_t hex = 0;

			if (rest[0] == '0' && rest[1] == 'x') {
				while (strchr("0123456789abcdefABCDEF", rest[2 + hex]) && rest[2 + hex])
					hex++;
				if (hex >= 8) {
					rest += 2 + hex;
					continue;
				}
			}
			if (*rest == ' ' && w && what[w - 1] == ' ') {
				rest++;
				continue;
			}
			what[w++] = *rest++;
		}
		while (w && what[w - 1] == ' ')
			w--;
		what[w] = '\0';
		if (d->n == d->cap) {
			struct ns_line *nv = realloc(d->v, (d->cap = d->cap ? d->cap * 2 : 256) * sizeof(*nv));

			if (!nv)
				return -1;
			d->v = nv;
		}
		d->v[d->n].path = strdup(path);
		d->v[d->n].what = strdup(what);
		if (!d->v[d->n].path || !d->v[d->n].what)
			return -1;
		d->n++;
	}
	qsort(d->v, d->n, sizeof(*d->v), cmp_ns_line);
	return 0;
}

/* Print and count every object of base whose type or value differs in full. */
static int ns_dump_changes(const struct ns_dump *base, const struct ns_dump *full)
{
	int changes = 0;

	for (size_t i = 0; i < base->n; i++) {
		const struct ns_line *o = bsearch(&base->v[i], full->v, full->n, sizeof(*full->v),
						  cmp_ns_line);

		if (!o)
			printf("changed: %s (%s) is gone once the device-model tables ran\n",
			       base->v[i].path, base->v[i].what);
		else if (strcmp(o->what, base->v[i].what))
			printf("changed: %s was %s, is %s once the device-model tables ran\n",
			       base->v[i].path, base->v[i].what, o->what);
		else
			continue;
		changes++;
	}
	return changes;
}

int cmd_oracle(int argc, char **argv)
{
	char **files = NULL, *text, *line, *save = NULL;
	size_t n = 0, cap = 0, i, text_len, aml = 0;
	long loaded = -1;
	int problems = 0;
	DIR *dp;
	struct dirent *e;

	if (argc != 2) {
		sim_err("usage: xensim oracle DIR");
		return XS_EXIT_USAGE;
	}
	dp = opendir(argv[1]);
	if (!dp) {
		sim_err("%s: %s", argv[1], strerror(errno));
		return XS_EXIT_USAGE;
	}
	while ((e = readdir(dp))) {
		size_t l = strlen(e->d_name);
		char sig[4] = { 0 };
		FILE *fp;

		if (l < 5 || strcmp(e->d_name + l - 4, ".aml"))
			continue;
		if (n == cap) {
			char **nf = realloc(files, (cap = cap ? cap * 2 : 16) * sizeof(*files));

			if (!nf)
				break;
			files = nf;
		}
		if (asprintf(&files[n], "%s/%s", argv[1], e->d_name) < 0)
			break;
		fp = fopen(files[n], "rb");
		if (fp) {
			if (fread(sig, 1, 4, fp) == 4 && is_aml_signature(sig))
				aml++;
			fclose(fp);
		}
		n++;
	}
	closedir(dp);
	if (n == 0) {
		sim_err("%s: no .aml files", argv[1]);
		free(files);
		return XS_EXIT_USAGE;
	}
	qsort(files, n, sizeof(*files), cmp_names);
	/* The DSDT goes first, wherever its name sorts. */
	for (i = 0; i < n; i++) {
		FILE *fp = fopen(files[i], "rb");
		char sig[4] = { 0 };
		int is_dsdt = 0;

		if (fp) {
			is_dsdt = fread(sig, 1, 4, fp) == 4 && !memcmp(sig, "DSDT", 4);
			fclose(fp);
		}
		if (is_dsdt) {
			char *t = files[i];

			memmove(files + 1, files, i * sizeof(*files));
			files[0] = t;
			break;
		}
	}
	text = run_acpiexec(files, n, &text_len);
	/* Xen's DSDT on its own, when there is one and something else. */
	if (text && n > 1 && is_dsdt_file(files[0])) {
		size_t base_len;
		char *base = run_acpiexec(files, 1, &base_len);
		struct ns_dump b = { 0 }, all = { 0 };

		if (!base || ns_dump_parse(base, &b) || ns_dump_parse(text, &all)) {
			sim_err("cannot read acpiexec's namespace");
			free(base);
			free(text);
			text = NULL;
		} else {
			if (!b.n)
				printf("error: acpiexec printed no namespace for the DSDT alone\n");
			problems += b.n ? ns_dump_changes(&b, &all) : 1;
			free(base);
		}
		ns_dump_free(&b);
		ns_dump_free(&all);
	}
	for (i = 0; i < n; i++)
		free(files[i]);
	free(files);
	if (!text) {
		sim_err("cannot run acpiexec (install acpica-tools or set ACPIEXEC)");
		return XS_EXIT_USAGE;
	}
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		const char *what = NULL;
		long k;

		if (strstr(line, "AE_ALREADY_EXISTS") && strstr(line, "Failure creating"))
			what = "collision";
		else if (strstr(line, "AE_ALREADY_EXISTS"))
			continue;	/* the follow-up line of a collision */
		else if (strstr(line, "AE_NOT_FOUND"))
			what = "not-found";
		else if (strstr(line, "Incorrect checksum"))
			what = "checksum";
		else if (strstr(line, "install failed") || strstr(line, "Could not load"))
			what = "load-failure";
		else if (strstr(line, "ACPI Error") || strstr(line, "Firmware Error") ||
			 strstr(line, "ACPI Exception"))
			what = "error";
		else if (sscanf(line, "ACPI: %ld ACPI AML tables successfully acquired and loaded", &k) == 1)
			loaded = k;
		if (what) {
			printf("%s: %s\n", what, line);
			problems++;
		}
	}
	free(text);
	if (loaded != (long)aml) {
		printf("load-failure: acpiexec loaded %ld of %zu AML tables\n", loaded, aml);
		problems++;
	}
	if (problems)
		return XS_EXIT_REFUSED;
	printf("clean: %zu tables (%zu with AML) loaded without errors\n", n, aml);
	return 0;
}
