// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Simulated hypervisor services for an unchanged dmacpid: the libxenctrl and
 * libxenforeignmemory calls it makes, answered from the state directory
 * $XENSIM_DIR (domain table "domains", guest RAM "domN.ram", unpopulated
 * frames "domN.holes").  Test only; never built with sanitizers, because it
 * is also preloaded into uninstrumented programs.
 *
 * Errors follow Xen: an unknown domain is ESRCH, unpausing a domain that is
 * not paused EINVAL, a frame beyond the RAM EFAULT, a frame in a hole ENOENT.
 *
 * Faults for the stress tests, also files in the state directory:
 * "domN.mapfault" makes every mapping of domain N fail (an errno number, or
 * "die": the domain dies just before it is mapped); "domN.mapwrite" ("PATH
 * VALUE") makes the next mapping of domain N write VALUE at PATH in
 * xenstore first, on a connection of its own; "crash-at" ("POINT
 * [DOMID]") kills the calling process with SIGKILL once at POINT: "pause"
 * (after a pause reference was taken), "unpause" (before one is dropped),
 * "map" (after a mapping was made), "unmap" (before a mapping is dropped);
 * "xs-eagain" (a number N) makes the next N commits of transactions that
 * wrote fail with EAGAIN, as xenstored answers a commit that conflicted,
 * each one logged to "xs-eagain.log" with the time; "xs-eagain-read" does
 * the same for transactions that only read, logged to "xs-eagain-read.log";
 * "xs-lost" (N) makes the next N commits of transactions that wrote a
 * verdict (its state key) go through and then fail with EIO, as a commit whose reply was lost with
 * the connection, logged to "xs-lost.log".  Those are libxenstore's, not
 * the hypervisor's: real conflicts and lost replies depend on timing,
 * these do not.
 * "list-fail" (a number N) makes the next N listings of domains (a
 * getinfolist call for more than one) fail with EIO, logged to
 * "list-fail.log"; "info-fail" (N) the same for the next N getinfolist
 * calls for one domain, logged to "info-fail.log".
 * An unpause of a domain that is not paused, which on Xen would drop a
 * reference someone else holds, appends the domid to "unpause-einval.log".
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenforeignmemory.h>
#include <xenstore.h>

#include "domtable.h"
#include "dominfo.h"

/* Upper bound on one mapping: plenty for a 4 GiB-limited blob area. */
#define MAX_MAP_PAGES (1u << 20)

struct xenforeignmemory_handle {
	int unused;
};

/* The domain of the latest mapping, for the "unmap" crash point. */
static uint32_t last_mapped = UINT32_MAX;

/* Die here, once, when crash-at names this point (and this domain). */
static void crash_point(const char *point, uint32_t domid)
{
	const char *dir = simdir();
	char path[4096], want[32] = "";
	unsigned long target = 0;
	int fields;
	FILE *fp;

	if (!dir)
		return;
	snprintf(path, sizeof(path), "%s/crash-at", dir);
	fp = fopen(path, "re");
	if (!fp)
		return;
	fields = fscanf(fp, "%31s %lu", want, &target);
	fclose(fp);
	if (fields < 1 || strcmp(want, point) || (fields == 2 && target != domid))
		return;
	/* One-shot: the restarted process must get past this point. */
	if (unlink(path) == 0)
		raise(SIGKILL);
}

xc_interface *xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	if (!simdir()) {
		errno = ENOENT;
		return NULL;
	}
	return calloc(1, 16);
}

int xc_interface_close(xc_interface *xch)
{
	free(xch);
	return 0;
}

/*
 * The domain table, parsed once per version of the file rather than on every
 * call (with hundreds of domains the parse dwarfed the daemon's own work).
 * Writers replace the file with rename(2) (domtable.c), so a new version is
 * a new inode.  The parsed version stays mapped, which keeps its inode, and
 * so its number, in use: a later version cannot reappear under the same
 * st_ino.  Size, modification and change times also catch an edit in place.
 */
struct table_cache {
	struct domtable table;
	struct stat key;	/* the version parsed, when valid */
	bool valid;
	void *pin;		/* one mapped byte of that version */
};

static struct table_cache cache;
static pthread_mutex_t cache_lock = PTHREAD_MUTEX_INITIALIZER;

static bool same_version(const struct stat *a, const struct stat *b)
{
	return a->st_dev == b->st_dev && a->st_ino == b->st_ino && a->st_size == b->st_size &&
	       a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec &&
	       a->st_ctim.tv_sec == b->st_ctim.tv_sec && a->st_ctim.tv_nsec == b->st_ctim.tv_nsec;
}

static void cache_forget(void)
{
	if (cache.pin)
		munmap(cache.pin, 1);
	cache.pin = NULL;
	cache.valid = false;
}

/*
 * Parse the version open on fd (described by opened) into the cache.  The
 * parser reads the file by name, so the result is kept only when the name
 * still leads to that version afterwards (fd keeps its inode number from
 * being reused meanwhile); otherwise it serves this call alone.
 */
static int cache_fill(const char *dir, const char *path, int fd, const struct stat *opened)
{
	struct stat after;

	cache_forget();
	if (domtable_load(dir, &cache.table) != 0)
		return -1;
	if (stat(path, &after) != 0 || !same_version(opened, &after) || opened->st_size == 0)
		return 0;
	cache.pin = mmap(NULL, 1, PROT_READ, MAP_SHARED, fd, 0);
	if (cache.pin == MAP_FAILED) {
		cache.pin = NULL;
		return 0;
	}
	cache.key = *opened;
	cache.valid = true;
	return 0;
}

/*
 * The current domain table, with cache_lock held until table_put(); NULL
 * (errno EPERM, lock not held) when there is none.
 */
static const struct domtable *table_get(void)
{
	const char *dir = simdir();
	char path[4096];
	struct stat st;
	int fd, rc;

	if (!dir)
		goto fail;
	snprintf(path, sizeof(path), "%s/domains", dir);
	pthread_mutex_lock(&cache_lock);
	if (stat(path, &st) == 0 && cache.valid && same_version(&st, &cache.key))
		return &cache.table;
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		cache_forget();
		pthread_mutex_unlock(&cache_lock);
		goto fail;
	}
	rc = cache_fill(dir, path, fd, &st);
	close(fd);
	if (rc == 0)
		return &cache.table;
	pthread_mutex_unlock(&cache_lock);
fail:
	errno = EPERM;
	return NULL;
}

static void table_put(void)
{
	pthread_mutex_unlock(&cache_lock);
}

static bool eagain_due(const char *dir, const char *name);

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain, unsigned int max_domains,
			  xc_domaininfo_t *info)
{
	const struct domtable *t;
	const char *dir = simdir();
	unsigned int n = 0;
	size_t i;

	if (dir && eagain_due(dir, max_domains > 1 ? "list-fail" : "info-fail")) {
		errno = EIO;
		return -1;
	}
	if (!(t = table_get()))
		return -1;
	for (i = 0; i < t->n && n < max_domains; i++) {
		const struct simdom *d = &t->v[i];

		if (d->domid < first_domain)
			continue;
		simdom_info(d, &info[n++]);
	}
	table_put();
	return (int)n;
}

int xc_domain_getinfo(xc_interface *xch, uint32_t first_domid, unsigned int max_doms,
		      xc_dominfo_t *info)
{
	const struct domtable *t = table_get();
	unsigned int n = 0;
	size_t i;

	if (!t)
		return -1;
	for (i = 0; i < t->n && n < max_doms; i++) {
		const struct simdom *d = &t->v[i];

		if (d->domid < first_domid)
			continue;
		memset(&info[n], 0, sizeof(info[n]));
		info[n].domid = d->domid;
		info[n].dying = !!(d->flags & SIMDOM_DYING);
		info[n].shutdown = !!(d->flags & SIMDOM_SHUTDOWN);
		info[n].hvm = !!(d->flags & SIMDOM_HVM);
		info[n].hap = info[n].hvm;
		info[n].paused = d->pause > 0;
		info[n].running = d->pause == 0;
		info[n].nr_pages = (unsigned long)(d->ram / SIM_PAGE_SIZE);
		info[n].max_memkb = (unsigned long)(d->ram / 1024);
		info[n].nr_online_vcpus = 1;
		n++;
	}
	table_put();
	return (int)n;
}

struct pause_op {
	uint32_t domid;
	int delta;
};

static int apply_pause(struct domtable *t, void *arg)
{
	const struct pause_op *op = arg;
	struct simdom *d = domtable_find(t, op->domid);

	if (!d) {
		errno = ESRCH;
		return -1;
	}
	if (op->delta < 0 && d->pause == 0) {
		errno = EINVAL;
		return -1;
	}
	d->pause = op->delta < 0 ? d->pause - 1 : d->pause + 1;
	return 0;
}

static int change_pause(uint32_t domid, int delta)
{
	struct pause_op op = { domid, delta };
	const char *dir = simdir();

	if (!dir) {
		errno = EPERM;
		return -1;
	}
	return domtable_update(dir, apply_pause, &op);
}

int xc_domain_pause(xc_interface *xch, uint32_t domid)
{
	int rc = change_pause(domid, 1);

	if (rc == 0)
		crash_point("pause", domid);
	return rc;
}

int xc_domain_unpause(xc_interface *xch, uint32_t domid)
{
	int rc;

	crash_point("unpause", domid);
	rc = change_pause(domid, -1);
	if (rc < 0 && errno == EINVAL) {
		/* On Xen this would have dropped another party's reference:
		 * the tests look for it here, not at a count that stays 0. */
		char path[4096];
		FILE *fp;

		snprintf(path, sizeof(path), "%s/unpause-einval.log", simdir());
		if ((fp = fopen(path, "ae"))) {
			fprintf(fp, "%" PRIu32 "\n", domid);
			fclose(fp);
		}
		errno = EINVAL;
	}
	return rc;
}

xenforeignmemory_handle *xenforeignmemory_open(struct xentoollog_logger *logger,
					       unsigned int open_flags)
{
	if (!simdir()) {
		errno = ENOENT;
		return NULL;
	}
	return calloc(1, sizeof(xenforeignmemory_handle));
}

int xenforeignmemory_close(xenforeignmemory_handle *fmem)
{
	free(fmem);
	return 0;
}

static int domain_exists(uint32_t dom)
{
	const struct domtable *t = table_get();
	int found = 0;
	size_t i;

	if (!t)
		return 0;
	for (i = 0; i < t->n && !found; i++)
		found = t->v[i].domid == dom;
	table_put();
	return found;
}

/* The domain dies now: dying in the table, then VIRQ_DOM_EXC (port 1) to
 * xenstored, which releases it, as `xensim domain kill` does. */
static void kill_domain(const char *dir, uint32_t dom)
{
	char path[4096];
	uint32_t port = 1;
	int fd;

	if (domtable_update(dir, domtable_mark_dying, &dom) != 0)
		return;
	snprintf(path, sizeof(path), "%s/evtchn", dir);
	fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd >= 0) {
		/* Best effort: without the event, xenstored notices the death
		 * at the next one. */
		ssize_t n = write(fd, &port, sizeof(port));

		(void)n;
		close(fd);
	}
}

/* An injected failure for mappings of dom: 0 none, else the errno. */
static int map_fault(const char *dir, uint32_t dom)
{
	char path[4096], what[32] = "";
	FILE *fp;

	snprintf(path, sizeof(path), "%s/dom%" PRIu32 ".mapfault", dir, dom);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	if (fscanf(fp, "%31s", what) != 1)
		what[0] = '\0';
	fclose(fp);
	if (!strcmp(what, "die")) {
		kill_domain(dir, dom);
		return ESRCH;
	}
	return atoi(what) > 0 ? atoi(what) : EIO;
}

typedef struct xs_handle *(*xs_open_fn)(unsigned long);
typedef void (*xs_close_fn)(struct xs_handle *);

/* The write domN.mapwrite asks for, once: the file goes with it. */
static void map_write(const char *dir, uint32_t dom)
{
	/* libxenstore's, found at run time: this library needs none itself. */
	xs_open_fn xopen = (xs_open_fn)dlsym(RTLD_DEFAULT, "xs_open");
	xs_close_fn xclose = (xs_close_fn)dlsym(RTLD_DEFAULT, "xs_close");
	char path[4096], line[4096], *value;
	struct xs_handle *xs;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/dom%" PRIu32 ".mapwrite", dir, dom);
	fp = fopen(path, "re");
	if (!fp)
		return;
	if (!fgets(line, sizeof(line), fp))
		line[0] = '\0';
	fclose(fp);
	unlink(path);
	line[strcspn(line, "\n")] = '\0';
	value = strchr(line, ' ');
	if (!value)
		return;
	*value++ = '\0';
	xs = xopen && xclose ? xopen(0) : NULL;
	if (!xs || !xs_write(xs, XBT_NULL, line, value, (unsigned)strlen(value)))
		fprintf(stderr, "xenhyp-preload: map-write %s: %s\n", line, strerror(errno));
	if (xs)
		xclose(xs);
}

void *xenforeignmemory_map(xenforeignmemory_handle *fmem, uint32_t dom, int prot, size_t pages,
			   const xen_pfn_t arr[], int err[])
{
	const char *dir = simdir();
	char path[4096];
	struct stat st;
	uint8_t *area;
	size_t i;
	int fd, first_err = 0;

	if (!dir || pages == 0 || pages > MAX_MAP_PAGES || !arr) {
		errno = EINVAL;
		return NULL;
	}
	if (!domain_exists(dom)) {
		errno = ESRCH;
		return NULL;
	}
	map_write(dir, dom);
	first_err = map_fault(dir, dom);
	if (first_err) {
		errno = first_err;
		return NULL;
	}
	snprintf(path, sizeof(path), "%s/dom%" PRIu32 ".ram", dir, dom);
	fd = open(path, (prot & PROT_WRITE ? O_RDWR : O_RDONLY) | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		if (fd >= 0)
			close(fd);
		errno = ESRCH;
		return NULL;
	}
	/* Reserve the whole range; frames that fail stay inaccessible, as in Xen. */
	area = mmap(NULL, pages * SIM_PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (area == MAP_FAILED) {
		close(fd);
		return NULL;
	}
	for (i = 0; i < pages; i++) {
		uint64_t pfn = arr[i];
		int e = 0;

		if (pfn >= (uint64_t)st.st_size / SIM_PAGE_SIZE)
			e = EFAULT;
		else if (simdom_frame_is_hole(dir, dom, pfn))
			e = ENOENT;
		else if (mmap(area + i * SIM_PAGE_SIZE, SIM_PAGE_SIZE, prot, MAP_SHARED | MAP_FIXED, fd,
			      (off_t)(pfn * SIM_PAGE_SIZE)) == MAP_FAILED)
			e = errno;
		if (err)
			err[i] = e;
		if (e && !first_err)
			first_err = e;
	}
	close(fd);
	if (first_err && !err) {
		munmap(area, pages * SIM_PAGE_SIZE);
		errno = first_err;
		return NULL;
	}
	last_mapped = dom;
	crash_point("map", dom);
	return area;
}

int xenforeignmemory_unmap(xenforeignmemory_handle *fmem, void *addr, size_t pages)
{
	crash_point("unmap", last_mapped);
	return munmap(addr, pages * SIM_PAGE_SIZE);
}

/* ---- libxenstore: injected transaction conflicts -------------------- */

typedef bool (*xs_transaction_end_fn)(struct xs_handle *, xs_transaction_t, bool);

/* Take one from the count in the file NAME; true when one was left (and
 * logged to NAME.log with the time). */
static bool eagain_due(const char *dir, const char *name)
{
	char path[4096], line[64];
	unsigned long left = 0;
	struct timespec now;
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	fp = fopen(path, "r+e");
	if (!fp)
		return false;
	if (fscanf(fp, "%lu", &left) != 1 || left == 0) {
		fclose(fp);
		return false;
	}
	rewind(fp);
	fprintf(fp, "%-20lu\n", left - 1);
	fclose(fp);
	clock_gettime(CLOCK_MONOTONIC, &now);
	snprintf(path, sizeof(path), "%s/%s.log", dir, name);
	fp = fopen(path, "ae");
	if (fp) {
		snprintf(line, sizeof(line), "%lld.%03ld\n", (long long)now.tv_sec,
			 now.tv_nsec / 1000000);
		fputs(line, fp);
		fclose(fp);
	}
	return true;
}

/* The open transactions that wrote, and whether they wrote a verdict's
 * state.  Ids are xenstored's, per connection: the processes tested hold
 * one connection that uses transactions. */
#define WROTE_MAX 64
static struct {
	xs_transaction_t t;
	bool verdict;
} wrote[WROTE_MAX];
static pthread_mutex_t wrote_lock = PTHREAD_MUTEX_INITIALIZER;

static void note_write(xs_transaction_t t, const char *path)
{
	const char *v = strstr(path, "/hvmloader/dm-acpi-verdict/state");
	bool verdict = v && !v[strlen("/hvmloader/dm-acpi-verdict/state")];

	if (t == XBT_NULL)
		return;
	pthread_mutex_lock(&wrote_lock);
	for (int i = 0; i < WROTE_MAX; i++) {
		if (wrote[i].t == t || wrote[i].t == XBT_NULL) {
			wrote[i].t = t;
			wrote[i].verdict |= verdict;
			break;
		}
	}
	pthread_mutex_unlock(&wrote_lock);
}

enum { WROTE_NONE, WROTE_KEYS, WROTE_VERDICT };

/* What t wrote.  It is forgotten: it is ending. */
static int take_write(xs_transaction_t t)
{
	int found = WROTE_NONE;

	pthread_mutex_lock(&wrote_lock);
	for (int i = 0; i < WROTE_MAX; i++) {
		if (wrote[i].t == t) {
			found = wrote[i].verdict ? WROTE_VERDICT : WROTE_KEYS;
			memmove(wrote + i, wrote + i + 1, (WROTE_MAX - 1 - (size_t)i) * sizeof(*wrote));
			wrote[WROTE_MAX - 1].t = XBT_NULL;
			wrote[WROTE_MAX - 1].verdict = false;
			break;
		}
	}
	pthread_mutex_unlock(&wrote_lock);
	return found;
}

#define REAL(name) \
	static name##_fn real; \
	if (!real) \
		real = (name##_fn)dlsym(RTLD_NEXT, #name); \
	if (!real) { \
		errno = ENOSYS; \
		return false; \
	}

typedef bool (*xs_write_fn)(struct xs_handle *, xs_transaction_t, const char *, const void *,
			    unsigned int);
typedef bool (*xs_rm_fn)(struct xs_handle *, xs_transaction_t, const char *);
typedef bool (*xs_mkdir_fn)(struct xs_handle *, xs_transaction_t, const char *);
typedef bool (*xs_set_permissions_fn)(struct xs_handle *, xs_transaction_t, const char *,
				      struct xs_permissions *, unsigned int);

bool xs_write(struct xs_handle *h, xs_transaction_t t, const char *path, const void *data,
	      unsigned int len)
{
	REAL(xs_write);
	note_write(t, path);
	return real(h, t, path, data, len);
}

bool xs_rm(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	REAL(xs_rm);
	note_write(t, path);
	return real(h, t, path);
}

bool xs_mkdir(struct xs_handle *h, xs_transaction_t t, const char *path)
{
	REAL(xs_mkdir);
	note_write(t, path);
	return real(h, t, path);
}

bool xs_set_permissions(struct xs_handle *h, xs_transaction_t t, const char *path,
			struct xs_permissions *perms, unsigned int num_perms)
{
	REAL(xs_set_permissions);
	note_write(t, path);
	return real(h, t, path, perms, num_perms);
}

bool xs_transaction_end(struct xs_handle *h, xs_transaction_t t, bool abort)
{
	const char *dir = simdir();
	int wrote_what = take_write(t);
	bool writer = wrote_what != WROTE_NONE;

	REAL(xs_transaction_end);
	if (!abort && dir && eagain_due(dir, writer ? "xs-eagain" : "xs-eagain-read")) {
		/* Discard it, and answer as xenstored does for a conflict. */
		real(h, t, true);
		errno = EAGAIN;
		return false;
	}
	if (!abort && wrote_what == WROTE_VERDICT && dir && eagain_due(dir, "xs-lost")) {
		/* Made, and no answer: as a reply lost with its connection. */
		if (real(h, t, false))
			errno = EIO;
		return false;
	}
	return real(h, t, abort);
}
