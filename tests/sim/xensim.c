// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * xensim: a simulated Xen host around Debian's real oxenstored.  One tool
 * with subcommands playing the toolstack (up/down, domain), the device model
 * (qemu), hvmloader and plain xenstore access.  See tests/sim/README.md.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <glob.h>
#include <inttypes.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>
#include <zlib.h>

#include "domtable.h"
#include "xenfile.h"
#include "xensim.h"

#define DEFAULT_RAM (32ull << 20)
#define DEFAULT_AREA_ADDR 0x100000ull
#define MAX_AREA (16u << 20)
#define DOM_EXC_PORT 1u

const char *sim_dir;

void sim_err(const char *fmt, ...)
{
	va_list ap;

	fputs("xensim: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

int sim_parse_u64(const char *s, uint64_t *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno || *end)
		return -1;
	*out = v;
	return 0;
}

static int parse_size(const char *s, uint64_t *out)
{
	char buf[64];
	size_t n = strlen(s);
	uint64_t mul = 1, v;

	if (n == 0 || n >= sizeof(buf))
		return -1;
	memcpy(buf, s, n + 1);
	switch (buf[n - 1]) {
	case 'K': case 'k': mul = 1ull << 10; break;
	case 'M': case 'm': mul = 1ull << 20; break;
	case 'G': case 'g': mul = 1ull << 30; break;
	default: mul = 1;
	}
	if (mul != 1)
		buf[n - 1] = '\0';
	if (sim_parse_u64(buf, &v) != 0 || v > UINT64_MAX / mul)
		return -1;
	*out = v * mul;
	return 0;
}

static int parse_domid(const char *s, uint32_t *out)
{
	uint64_t v;

	if (sim_parse_u64(s, &v) != 0 || v >= 0x7ff0) {
		sim_err("not a domain id: %s", s ? s : "(none)");
		return -1;
	}
	*out = (uint32_t)v;
	return 0;
}

static char *path_in_dir(const char *name)
{
	static char buf[8][PATH_MAX];
	static int i;

	i = (i + 1) % 8;
	snprintf(buf[i], sizeof(buf[i]), "%s/%s", sim_dir, name);
	return buf[i];
}

uint8_t *sim_slurp(const char *path, size_t max, size_t *len)
{
	FILE *fp = strcmp(path, "-") ? fopen(path, "rb") : stdin;
	uint8_t *buf = NULL;
	size_t n = 0, cap = 0;

	if (!fp) {
		sim_err("%s: %s", path, strerror(errno));
		return NULL;
	}
	for (;;) {
		size_t got;

		if (n == cap) {
			uint8_t *nb;

			if (cap >= max + 1)
				break;
			cap = cap ? cap * 2 : 65536;
			if (cap > max + 1)
				cap = max + 1;
			nb = realloc(buf, cap);
			if (!nb)
				break;
			buf = nb;
		}
		got = fread(buf + n, 1, cap - n, fp);
		n += got;
		if (got == 0)
			break;
	}
	if (fp != stdin)
		fclose(fp);
	if (n > max) {
		sim_err("%s: larger than %zu bytes", path, max);
		free(buf);
		return NULL;
	}
	if (!buf)
		buf = malloc(1);
	*len = n;
	return buf;
}

static int write_file(const char *path, const void *data, size_t len, mode_t mode)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);

	if (fd < 0 || write(fd, data, len) != (ssize_t)len) {
		sim_err("%s: %s", path, strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return close(fd);
}

/* ---- xenstore access ---------------------------------------------------- */

struct xs_handle *sim_connect(long as_domain)
{
	struct xs_handle *h;
	char name[32];
	const char *sock;

	if (as_domain < 0) {
		sock = path_in_dir("socket");
	} else {
		snprintf(name, sizeof(name), "dom%ld.sock", as_domain);
		sock = path_in_dir(name);
	}
	setenv("XENSTORED_PATH", sock, 1);
	h = xs_open(0);
	if (!h)
		sim_err("cannot connect to %s: %s", sock, strerror(errno));
	return h;
}

char *sim_read(struct xs_handle *h, const char *path)
{
	unsigned int len;

	return xs_read(h, XBT_NULL, path, &len);
}

static const char *perms_to_string(const struct xs_permissions *p, unsigned int n, char *buf,
				   size_t len)
{
	size_t used = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < n && used < len; i++) {
		char c;

		switch (p[i].perms & (XS_PERM_READ | XS_PERM_WRITE)) {
		case XS_PERM_READ: c = 'r'; break;
		case XS_PERM_WRITE: c = 'w'; break;
		case XS_PERM_READ | XS_PERM_WRITE: c = 'b'; break;
		default: c = 'n';
		}
		used += (size_t)snprintf(buf + used, len - used, "%s%c%u", i ? " " : "", c, p[i].id);
	}
	return buf;
}

/* Create (or overwrite) path with value and the given permissions. */
static int put(struct xs_handle *h, xs_transaction_t t, const char *path, const char *value,
	       const struct xs_permissions *perms, unsigned int nperms)
{
	if (!xs_write(h, t, path, value ? value : "", value ? strlen(value) : 0)) {
		sim_err("write %s: %s", path, strerror(errno));
		return -1;
	}
	if (perms && !xs_set_permissions(h, t, path, (struct xs_permissions *)perms, nperms)) {
		sim_err("set permissions of %s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/* ---- host lifecycle ------------------------------------------------------ */

static char self_dir[PATH_MAX];

static const char *exe_dir(void)
{
	ssize_t n;
	char *slash;

	if (self_dir[0])
		return self_dir;
	n = readlink("/proc/self/exe", self_dir, sizeof(self_dir) - 1);
	if (n <= 0)
		return ".";
	self_dir[n] = '\0';
	slash = strrchr(self_dir, '/');
	if (slash)
		*slash = '\0';
	return self_dir;
}

static const char *preload_path(const char *env, const char *name)
{
	static char buf[2][PATH_MAX];
	static int i;
	const char *e = getenv(env);

	if (e && *e)
		return e;
	i ^= 1;
	if (snprintf(buf[i], sizeof(buf[i]), "%s/%s", exe_dir(), name) >= (int)sizeof(buf[i]))
		return name;
	return buf[i];
}

/* DMACPI_OXENSTORED, else Debian's, fetched into the cache when missing. */
static const char *find_oxenstored(void)
{
	static char buf[PATH_MAX];

	if (xen_file(NULL, buf, sizeof(buf)) < 0)
		return NULL;
	return buf;
}

static int read_pid(void)
{
	char buf[32] = "";
	FILE *fp = fopen(path_in_dir("pid"), "re");
	int pid = 0;

	if (!fp)
		return 0;
	if (fgets(buf, sizeof(buf), fp))
		pid = atoi(buf);
	fclose(fp);
	return pid > 1 ? pid : 0;
}

/* Is pid a live (not zombie) process whose command line names our dir? */
static int ours_and_alive(int pid)
{
	char path[64], buf[4096], state = 0;
	size_t n, i;
	FILE *fp;
	int found = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	if (fgets(buf, sizeof(buf), fp)) {
		char *rp = strrchr(buf, ')');

		if (rp && rp[1] == ' ')
			state = rp[2];
	}
	fclose(fp);
	if (state == 0 || state == 'Z' || state == 'X')
		return 0;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", pid);
	fp = fopen(path, "re");
	if (!fp)
		return 0;
	n = fread(buf, 1, sizeof(buf) - 1, fp);
	fclose(fp);
	/* A process in the middle of execve() shows an empty command line. */
	if (n == 0)
		return 1;
	for (i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	found = strstr(buf, sim_dir) != NULL;
	return found;
}

static void print_env(void)
{
	printf("export XENSIM_DIR='%s'\n", sim_dir);
	printf("export XENSTORED_PATH='%s'\n", path_in_dir("socket"));
	printf("export XENSIM_PRELOAD='%s'\n",
	       preload_path("XENSIM_XENHYP_PRELOAD", "xenhyp-preload.so"));
	printf("# dmacpid runs on the simulated host with LD_PRELOAD=\"$XENSIM_PRELOAD\"\n");
}

/* extra: "key = value" lines from `up --set`, appended so that they win
 * (oxenstored applies the lines of its configuration in order). */
static int write_config(char **extra, int nextra, bool restart)
{
	char conf[8192];
	static const char zero_page[SIM_PAGE_SIZE];
	static const char initial_table[] =
		"# domid flags pause-count ram-bytes dm-domid name\n0 - 0 0 0 Domain-0\n";
	int n;

	n = snprintf(conf, sizeof(conf),
		     "# written by xensim up\n"
		     "merge-activate = true\n"
		     "perms-activate = true\n"
		     "perms-watch-activate = true\n"
		     "quota-activate = true\n"
		     "persistent = false\n"
		     "pid-file = %s\n"
		     "xenstored-log-file = %s\n"
		     "xenstored-log-level = warn\n"
		     "access-log-file = %s\n"
		     "xenstored-kva = %s\n"
		     "xenstored-port = %s\n",
		     path_in_dir("xenstored.pid"), path_in_dir("xenstored.log"),
		     path_in_dir("access.log"), path_in_dir("kva"), path_in_dir("port"));
	for (int i = 0; i < nextra && n >= 0 && (size_t)n < sizeof(conf); i++) {
		char *eq = strchr(extra[i], '=');

		n += snprintf(conf + n, sizeof(conf) - (size_t)n, "%.*s = %s\n",
			      (int)(eq - extra[i]), extra[i], eq + 1);
	}
	if (n < 0 || (size_t)n >= sizeof(conf))
		return -1;
	if (write_file(path_in_dir("oxenstored.conf"), conf, (size_t)n, 0644) ||
	    write_file(path_in_dir("kva"), zero_page, sizeof(zero_page), 0600) ||
	    /* oxenstored parses it with int_of_string: no newline. */
	    write_file(path_in_dir("port"), "1", 1, 0644))
		return -1;
	{
		glob_t g;
		size_t i;

		/* Sockets a killed instance left behind. */
		if (glob(path_in_dir("dom*.sock"), 0, NULL, &g) == 0) {
			for (i = 0; i < g.gl_pathc; i++)
				unlink(g.gl_pathv[i]);
			globfree(&g);
		}
	}
	unlink(path_in_dir("evtchn"));
	if (mkfifo(path_in_dir("evtchn"), 0600) != 0) {
		sim_err("mkfifo %s: %s", path_in_dir("evtchn"), strerror(errno));
		return -1;
	}
	/* A restart keeps the domains: they outlive xenstored. */
	if (restart && access(path_in_dir("domains"), F_OK) == 0)
		return 0;
	return write_file(path_in_dir("domains"), initial_table, strlen(initial_table), 0644);
}

static void exec_oxenstored(const char *bin, bool restart)
{
	int fd = open(path_in_dir("oxenstored.out"), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);

	if (fd >= 0) {
		dup2(fd, 1);
		dup2(fd, 2);
	}
	fd = open("/dev/null", O_RDONLY);
	if (fd >= 0)
		dup2(fd, 0);
	setenv("XENSIM_DIR", sim_dir, 1);
	setenv("LD_PRELOAD", preload_path("XENSIM_XSD_PRELOAD", "xsd-preload.so"), 1);
	/* --restart: read back the database it wrote when it was stopped. */
	execl(bin, "oxenstored", "--no-fork", "--config-file", path_in_dir("oxenstored.conf"),
	      restart ? "--restart" : (char *)NULL, (char *)NULL);
	fprintf(stderr, "xensim: exec %s: %s\n", bin, strerror(errno));
	_exit(127);
}

static int wait_ready(double timeout)
{
	double end = now() + timeout;

	while (now() < end) {
		int pid = read_pid();
		struct stat st;

		if (pid && !ours_and_alive(pid)) {
			sim_err("oxenstored (pid %d) died; see %s", pid, path_in_dir("oxenstored.out"));
			return -1;
		}
		if (stat(path_in_dir("socket"), &st) == 0) {
			struct xs_handle *h;

			setenv("XENSTORED_PATH", path_in_dir("socket"), 1);
			h = xs_open(0);
			if (h) {
				char *v = sim_read(h, "/local/domain/0/name");

				free(v);
				xs_close(h);
				return 0;
			}
		}
		sleep_ms(10);
	}
	sim_err("oxenstored did not come up within %.0fs", timeout);
	return -1;
}

static int cmd_up(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "foreground", no_argument, NULL, 'f' },
		{ "oxenstored", required_argument, NULL, 'o' },
		{ "set", required_argument, NULL, 's' },
		{ "restart", no_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	const char *bin = NULL;
	char *extra[32];
	int foreground = 0, nextra = 0, c;
	bool restart = false;
	char pidbuf[32];
	pid_t pid;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'f')
			foreground = 1;
		else if (c == 'r')
			restart = true;
		else if (c == 'o')
			bin = optarg;
		else if (c == 's' && nextra < 32 && strchr(optarg, '=') && optarg[0] != '=' &&
			 !strpbrk(optarg, "\n"))
			extra[nextra++] = optarg;
		else
			return XS_EXIT_USAGE;
	}
	if (optind + 1 != argc) {
		sim_err("usage: xensim up DIR [--foreground] [--oxenstored PATH] [--set KEY=VALUE]... "
			"[--restart]");
		return XS_EXIT_USAGE;
	}
	sim_dir = argv[optind];
	if (!bin && !(bin = find_oxenstored())) {
		sim_err("no oxenstored: tests/sim/get-oxenstored.sh cannot fetch xen-utils-4.17 "
			"(or set DMACPI_OXENSTORED)");
		return XS_EXIT_USAGE;
	}
	if (access(bin, X_OK) != 0) {
		sim_err("no oxenstored at %s", bin);
		return XS_EXIT_USAGE;
	}
	if (strlen(sim_dir) + sizeof("/dom32767.sock") > 108) {
		sim_err("%s: too long for unix socket names; use a short directory", sim_dir);
		return XS_EXIT_USAGE;
	}
	if (mkdir(sim_dir, 0700) != 0 && errno != EEXIST) {
		sim_err("%s: %s", sim_dir, strerror(errno));
		return XS_EXIT_USAGE;
	}
	if (read_pid() && ours_and_alive(read_pid())) {
		sim_err("%s: a host is already up (pid %d)", sim_dir, read_pid());
		return XS_EXIT_USAGE;
	}
	if (write_config(extra, nextra, restart) != 0)
		return XS_EXIT_USAGE;
	if (foreground) {
		/* The caller (a test's shell) becomes oxenstored's parent and reaps it. */
		snprintf(pidbuf, sizeof(pidbuf), "%d\n", (int)getpid());
		if (write_file(path_in_dir("pid"), pidbuf, strlen(pidbuf), 0644) != 0)
			return XS_EXIT_USAGE;
		exec_oxenstored(bin, restart);
	}
	pid = fork();
	if (pid < 0)
		return XS_EXIT_USAGE;
	if (pid == 0) {
		/* Detach twice so that oxenstored outlives us without a parent to reap it. */
		pid_t grandchild;

		setsid();
		grandchild = fork();
		if (grandchild < 0)
			_exit(1);
		if (grandchild > 0) {
			snprintf(pidbuf, sizeof(pidbuf), "%d\n", (int)grandchild);
			_exit(write_file(path_in_dir("pid"), pidbuf, strlen(pidbuf), 0644) ? 1 : 0);
		}
		while (!read_pid())
			sleep_ms(1);
		exec_oxenstored(bin, restart);
	}
	if (waitpid(pid, &c, 0) < 0 || !WIFEXITED(c) || WEXITSTATUS(c) != 0)
		return XS_EXIT_USAGE;
	if (wait_ready(XENSIM_WAIT_SECONDS) != 0)
		return XS_EXIT_USAGE;
	print_env();
	return 0;
}

static int cmd_ready(int argc, char **argv)
{
	double timeout = XENSIM_WAIT_SECONDS;

	if (argc < 2 || argc > 3) {
		sim_err("usage: xensim ready DIR [SECONDS]");
		return XS_EXIT_USAGE;
	}
	sim_dir = argv[1];
	if (argc == 3)
		timeout = atof(argv[2]);
	return wait_ready(timeout) ? XS_EXIT_TIMEOUT : 0;
}

static int cmd_env(int argc, char **argv)
{
	if (argc != 2) {
		sim_err("usage: xensim env DIR");
		return XS_EXIT_USAGE;
	}
	sim_dir = argv[1];
	print_env();
	return 0;
}

/* SIGTERM, a short grace period (oxenstored ignores SIGTERM while a
 * transaction is open or a target is set), then SIGKILL. */
static int stop_pid(int pid)
{
	double end;

	if (!ours_and_alive(pid))
		return 0;
	kill(pid, SIGTERM);
	for (end = now() + 0.5; now() < end; sleep_ms(5)) {
		waitpid(pid, NULL, WNOHANG);
		if (!ours_and_alive(pid))
			return 0;
	}
	kill(pid, SIGKILL);
	for (end = now() + 5; now() < end; sleep_ms(5)) {
		waitpid(pid, NULL, WNOHANG);
		if (!ours_and_alive(pid))
			return 0;
	}
	sim_err("pid %d does not die", pid);
	return -1;
}

static int cmd_down(int argc, char **argv)
{
	int pid;

	if (argc < 2 || argc > 3 || (argc == 3 && strcmp(argv[2], "--remove"))) {
		sim_err("usage: xensim down DIR [--remove]");
		return XS_EXIT_USAGE;
	}
	sim_dir = argv[1];
	pid = read_pid();
	if (pid && stop_pid(pid) != 0)
		return 1;
	if (argc == 3) {
		char cmd[PATH_MAX + 32];

		/* Only ever a directory we were pointed at and that holds our files. */
		if (access(path_in_dir("oxenstored.conf"), F_OK) == 0) {
			snprintf(cmd, sizeof(cmd), "rm -rf -- '%s'", sim_dir);
			if (strchr(sim_dir, '\'') == NULL && system(cmd) != 0)
				return 1;
		}
	}
	return 0;
}

/* ---- domains ---------------------------------------------------------- */

struct create_args {
	uint32_t domid;		/* in: 0 = pick; out: the new one */
	unsigned int flags;
	uint64_t ram;
	uint32_t dm;
	const char *name;
};

static int add_domain(struct domtable *t, void *arg)
{
	struct create_args *a = arg;
	struct simdom *d;
	size_t i;

	if (a->domid == 0) {
		/* Like Xen, never hand out a recently used domid again. */
		FILE *fp = fopen(path_in_dir("next-domid"), "re");
		unsigned int next = 1;

		if (fp) {
			if (fscanf(fp, "%u", &next) != 1 || next == 0)
				next = 1;
			fclose(fp);
		}
		for (i = 0; i < t->n; i++)
			if (t->v[i].domid >= next)
				next = t->v[i].domid + 1;
		a->domid = next;
		fp = fopen(path_in_dir("next-domid"), "we");
		if (fp) {
			fprintf(fp, "%u\n", next + 1);
			fclose(fp);
		}
	} else if (domtable_find(t, a->domid)) {
		errno = EEXIST;
		return -1;
	}
	if (t->n == SIMDOM_MAX) {
		errno = ENOSPC;
		return -1;
	}
	for (i = 0; i < t->n && t->v[i].domid < a->domid; i++)
		;
	memmove(&t->v[i + 1], &t->v[i], (t->n - i) * sizeof(t->v[0]));
	t->n++;
	d = &t->v[i];
	memset(d, 0, sizeof(*d));
	d->domid = a->domid;
	d->flags = a->flags;
	d->ram = a->ram;
	d->dm = a->dm;
	if (a->name)
		snprintf(d->name, sizeof(d->name), "%s", a->name);
	else
		snprintf(d->name, sizeof(d->name), "guest%u", a->domid);
	return 0;
}

static int remove_domain(struct domtable *t, void *arg)
{
	if (domtable_remove(t, *(uint32_t *)arg) != 0) {
		errno = ESRCH;
		return -1;
	}
	return 0;
}

struct set_dm_args {
	uint32_t guest, dm;
};

static int set_dm(struct domtable *t, void *arg)
{
	struct set_dm_args *a = arg;
	struct simdom *d = domtable_find(t, a->guest);

	if (!d) {
		errno = ESRCH;
		return -1;
	}
	d->dm = a->dm;
	return 0;
}

static int lookup_domain(uint32_t domid, struct simdom *out)
{
	struct domtable *t = malloc(sizeof(*t));
	struct simdom *d;
	int rc = -1;

	if (!t)
		return -1;
	if (domtable_load(sim_dir, t) == 0 && (d = domtable_find(t, domid))) {
		*out = *d;
		rc = 0;
	}
	free(t);
	if (rc)
		sim_err("no domain %u on this host", domid);
	return rc;
}

static void uuid_of(uint32_t domid, char *buf, size_t len)
{
	snprintf(buf, len, "00000000-0000-4000-8000-%012x", domid);
}

/* The xenstore side of libxl__domain_make and friends, in one transaction. */
static int xs_make_domain(struct xs_handle *h, uint32_t d, const char *name, bool hvm, uint32_t dm,
			  uint64_t ram, char **keys, int nkeys)
{
	struct xs_permissions roperm[2] = { { 0, XS_PERM_NONE }, { d, XS_PERM_READ } };
	struct xs_permissions rwperm[1] = { { d, XS_PERM_NONE } };
	struct xs_permissions dmperm[2] = { { dm, XS_PERM_NONE }, { d, XS_PERM_READ } };
	static const char *const ro_dirs[] = { "cpu", "memory", "device", "control" };
	static const char *const rw_dirs[] = { "control/shutdown", "data", "drivers", "feature",
					       "attr", "error" };
	char dom[64], vm[96], uuid[64], p[512], v[64];
	int attempt, i;

	snprintf(dom, sizeof(dom), "/local/domain/%u", d);
	uuid_of(d, uuid, sizeof(uuid));
	snprintf(vm, sizeof(vm), "/vm/%s", uuid);
	for (attempt = 0; attempt < 20; attempt++) {
		xs_transaction_t t = xs_transaction_start(h);
		int bad = 0;

		if (t == XBT_NULL)
			return -1;
		xs_rm(h, t, dom);
		bad |= put(h, t, dom, "", roperm, 2);
		bad |= put(h, t, vm, "", roperm, 2);
		snprintf(p, sizeof(p), "%s/uuid", vm);
		bad |= put(h, t, p, uuid, NULL, 0);
		snprintf(p, sizeof(p), "%s/name", vm);
		bad |= put(h, t, p, name, NULL, 0);
		snprintf(p, sizeof(p), "%s/vm", dom);
		bad |= put(h, t, p, vm, NULL, 0);
		snprintf(p, sizeof(p), "%s/name", dom);
		bad |= put(h, t, p, name, NULL, 0);
		snprintf(p, sizeof(p), "%s/domid", dom);
		snprintf(v, sizeof(v), "%u", d);
		bad |= put(h, t, p, v, NULL, 0);
		for (i = 0; i < (int)(sizeof(ro_dirs) / sizeof(ro_dirs[0])); i++) {
			snprintf(p, sizeof(p), "%s/%s", dom, ro_dirs[i]);
			bad |= put(h, t, p, "", roperm, 2);
		}
		for (i = 0; i < (int)(sizeof(rw_dirs) / sizeof(rw_dirs[0])); i++) {
			snprintf(p, sizeof(p), "%s/%s", dom, rw_dirs[i]);
			bad |= put(h, t, p, "", rwperm, 1);
		}
		snprintf(p, sizeof(p), "%s/memory/static-max", dom);
		snprintf(v, sizeof(v), "%" PRIu64, ram / 1024);
		bad |= put(h, t, p, v, NULL, 0);
		snprintf(p, sizeof(p), "%s/memory/target", dom);
		bad |= put(h, t, p, v, NULL, 0);
		if (hvm) {
			snprintf(p, sizeof(p), "%s/hvmloader", dom);
			bad |= put(h, t, p, "", roperm, 2);
			/* Where the device model writes its inputs: its own, D reads. */
			snprintf(p, sizeof(p), "%s/hvmloader/dm-acpi", dom);
			bad |= put(h, t, p, "", dmperm, 2);
			snprintf(p, sizeof(p), "%s/hvmloader/bios", dom);
			bad |= put(h, t, p, "seabios", NULL, 0);
			snprintf(p, sizeof(p), "%s/platform", dom);
			bad |= put(h, t, p, "", roperm, 2);
			snprintf(p, sizeof(p), "%s/platform/acpi", dom);
			bad |= put(h, t, p, "1", NULL, 0);
			snprintf(p, sizeof(p), "%s/platform/device-model", dom);
			bad |= put(h, t, p, "qemu_xen", NULL, 0);
			snprintf(p, sizeof(p), "/local/domain/%u/device-model/%u", dm, d);
			bad |= put(h, t, p, "", dmperm, 2);
		}
		if (dm != 0) {
			snprintf(p, sizeof(p), "%s/image/device-model-domid", dom);
			snprintf(v, sizeof(v), "%u", dm);
			bad |= put(h, t, p, v, NULL, 0);
		}
		for (i = 0; i < nkeys; i++) {
			char *eq = strchr(keys[i], '=');

			if (!eq) {
				sim_err("--key wants K=V, not %s", keys[i]);
				bad = 1;
				break;
			}
			*eq = '\0';
			snprintf(p, sizeof(p), "%s/%s", dom, keys[i]);
			bad |= put(h, t, p, eq + 1, roperm, 2);
			*eq = '=';
		}
		if (bad) {
			xs_transaction_end(h, t, true);
			return -1;
		}
		if (xs_transaction_end(h, t, false))
			return 0;
		if (errno != EAGAIN)
			break;
	}
	sim_err("domain %u: transaction failed: %s", d, strerror(errno));
	return -1;
}

static int domain_create(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "hvm", no_argument, NULL, 'h' },
		{ "name", required_argument, NULL, 'n' },
		{ "ram", required_argument, NULL, 'r' },
		{ "dm-domid", required_argument, NULL, 'm' },
		{ "target", required_argument, NULL, 't' },
		{ "domid", required_argument, NULL, 'i' },
		{ "key", required_argument, NULL, 'k' },
		{ NULL, 0, NULL, 0 },
	};
	struct create_args a = { .ram = DEFAULT_RAM };
	char *keys[64];
	int nkeys = 0, c, fd;
	long target = -1;
	uint32_t u;
	struct xs_handle *h;
	struct simdom dmdom;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'h': a.flags |= SIMDOM_HVM; break;
		case 'n': a.name = optarg; break;
		case 'r':
			if (parse_size(optarg, &a.ram) || a.ram % SIM_PAGE_SIZE || a.ram > (64ull << 30)) {
				sim_err("--ram: a multiple of 4K up to 64G, not %s", optarg);
				return XS_EXIT_USAGE;
			}
			break;
		case 'm':
			if (parse_domid(optarg, &a.dm))
				return XS_EXIT_USAGE;
			break;
		case 't':
			if (parse_domid(optarg, &u))
				return XS_EXIT_USAGE;
			target = u;
			break;
		case 'i':
			if (parse_domid(optarg, &a.domid) || a.domid == 0)
				return XS_EXIT_USAGE;
			break;
		case 'k':
			if (nkeys == 64)
				return XS_EXIT_USAGE;
			keys[nkeys++] = optarg;
			break;
		default:
			return XS_EXIT_USAGE;
		}
	}
	if (a.name && (strlen(a.name) >= SIMDOM_NAME_MAX || strpbrk(a.name, " \t\n") || !*a.name)) {
		sim_err("--name: a short name without blanks");
		return XS_EXIT_USAGE;
	}
	if (a.dm && lookup_domain(a.dm, &dmdom))
		return XS_EXIT_USAGE;
	if (target >= 0 && lookup_domain((uint32_t)target, &dmdom))
		return XS_EXIT_USAGE;
	if (domtable_update(sim_dir, add_domain, &a) != 0) {
		sim_err("domain table: %s", strerror(errno));
		return 1;
	}
	{
		char name[32];

		snprintf(name, sizeof(name), "dom%u.ram", a.domid);
		fd = open(path_in_dir(name), O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
		if (fd < 0 || ftruncate(fd, (off_t)a.ram) != 0) {
			sim_err("%s: %s", path_in_dir(name), strerror(errno));
			return 1;
		}
		close(fd);
	}
	h = sim_connect(-1);
	if (!h)
		return 1;
	if (!a.name) {
		static char gen[32];

		snprintf(gen, sizeof(gen), "guest%u", a.domid);
		a.name = gen;
	}
	if (xs_make_domain(h, a.domid, a.name, a.flags & SIMDOM_HVM, a.dm, a.ram, keys, nkeys))
		goto fail;
	/* The ring frame and port are arbitrary: the preload maps a fresh page. */
	if (!xs_introduce_domain(h, a.domid, 0xfeffc + a.domid, 1)) {
		sim_err("introduce %u: %s", a.domid, strerror(errno));
		goto fail;
	}
	if (a.dm && !xs_set_target(h, a.dm, a.domid)) {
		sim_err("set target %u -> %u: %s", a.dm, a.domid, strerror(errno));
		goto fail;
	}
	if (target >= 0) {
		struct set_dm_args s = { (uint32_t)target, a.domid };
		struct xs_permissions dmperm[2] = { { a.domid, XS_PERM_NONE },
						    { (uint32_t)target, XS_PERM_READ } };
		char p[128], v[16];

		if (!xs_set_target(h, a.domid, (uint32_t)target)) {
			sim_err("set target %u -> %ld: %s", a.domid, target, strerror(errno));
			goto fail;
		}
		snprintf(p, sizeof(p), "/local/domain/%ld/image/device-model-domid", target);
		snprintf(v, sizeof(v), "%u", a.domid);
		if (put(h, XBT_NULL, p, v, NULL, 0))
			goto fail;
		snprintf(p, sizeof(p), "/local/domain/%u/device-model/%ld", a.domid, target);
		if (put(h, XBT_NULL, p, "", dmperm, 2))
			goto fail;
		snprintf(p, sizeof(p), "/local/domain/%ld/hvmloader/dm-acpi", target);
		if (!xs_set_permissions(h, XBT_NULL, p, dmperm, 2)) {
			sim_err("set permissions of %s: %s", p, strerror(errno));
			goto fail;
		}
		domtable_update(sim_dir, set_dm, &s);
	}
	xs_close(h);
	printf("%u\n", a.domid);
	return 0;
fail:
	xs_close(h);
	return 1;
}

static int signal_dom_exc(void)
{
	uint32_t port = DOM_EXC_PORT;
	int fd = open(path_in_dir("evtchn"), O_WRONLY | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0) {
		sim_err("%s: %s (is the host up?)", path_in_dir("evtchn"), strerror(errno));
		return -1;
	}
	if (write(fd, &port, sizeof(port)) != sizeof(port)) {
		sim_err("signal port 1: %s", strerror(errno));
		close(fd);
		return -1;
	}
	return close(fd);
}

static int domain_destroy(uint32_t d)
{
	struct xs_handle *h;
	struct simdom sd;
	char p[128], *dm;
	uint32_t dmid = 0;

	if (lookup_domain(d, &sd))
		return 1;
	h = sim_connect(-1);
	if (!h)
		return 1;
	/*
	 * As on Xen, the domain is dying before xenstored releases it: whoever
	 * lists the domains on @releaseDomain must not find it alive.
	 */
	if (domtable_update(sim_dir, domtable_mark_dying, &d) != 0) {
		sim_err("no domain %u", d);
		xs_close(h);
		return 1;
	}
	/*
	 * A killed domain is already gone from oxenstored, and so is one that
	 * it noticed dying (port 1 signalled meanwhile): EINVAL is fine then.
	 */
	if (!xs_release_domain(h, d) && errno != EINVAL)
		sim_err("release %u: %s", d, strerror(errno));
	snprintf(p, sizeof(p), "/local/domain/%u/image/device-model-domid", d);
	dm = sim_read(h, p);
	if (dm)
		dmid = (uint32_t)strtoul(dm, NULL, 10);
	free(dm);
	snprintf(p, sizeof(p), "/local/domain/%u/device-model/%u", dmid, d);
	xs_rm(h, XBT_NULL, p);
	snprintf(p, sizeof(p), "/local/domain/%u", d);
	xs_rm(h, XBT_NULL, p);
	uuid_of(d, p + 64, 64);
	{
		char vm[160];

		snprintf(vm, sizeof(vm), "/vm/%s", p + 64);
		xs_rm(h, XBT_NULL, vm);
	}
	xs_close(h);
	if (domtable_update(sim_dir, remove_domain, &d) != 0)
		return 1;
	snprintf(p, sizeof(p), "dom%u.ram", d);
	unlink(path_in_dir(p));
	snprintf(p, sizeof(p), "dom%u.holes", d);
	unlink(path_in_dir(p));
	return 0;
}

static int domain_list(void)
{
	char line[256];
	FILE *fp = fopen(path_in_dir("domains"), "re");

	if (!fp) {
		sim_err("%s: %s", path_in_dir("domains"), strerror(errno));
		return 1;
	}
	while (fgets(line, sizeof(line), fp))
		fputs(line, stdout);
	fclose(fp);
	return 0;
}

static int cmd_domain(int argc, char **argv)
{
	uint32_t d;

	if (argc >= 2 && !strcmp(argv[1], "create"))
		return domain_create(argc - 1, argv + 1);
	if (argc == 2 && !strcmp(argv[1], "list"))
		return domain_list();
	if (argc == 3 && !strcmp(argv[1], "destroy")) {
		if (parse_domid(argv[2], &d))
			return XS_EXIT_USAGE;
		return domain_destroy(d);
	}
	if (argc == 3 && !strcmp(argv[1], "kill")) {
		if (parse_domid(argv[2], &d))
			return XS_EXIT_USAGE;
		if (domtable_update(sim_dir, domtable_mark_dying, &d) != 0) {
			sim_err("no domain %u", d);
			return 1;
		}
		return signal_dom_exc() ? 1 : 0;
	}
	sim_err("usage: xensim domain create [OPTIONS] | destroy D | kill D | list");
	return XS_EXIT_USAGE;
}

/* ---- guest RAM -------------------------------------------------------- */

static int ram_fd(uint32_t domid, int flags, uint64_t *size)
{
	char name[32];
	struct stat st;
	int fd;

	snprintf(name, sizeof(name), "dom%u.ram", domid);
	fd = open(path_in_dir(name), flags | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) != 0) {
		sim_err("%s: %s", path_in_dir(name), strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	*size = (uint64_t)st.st_size;
	return fd;
}

/* Read or write [addr, addr+len) of domid's RAM file. */
static int ram_io(uint32_t domid, uint64_t addr, void *buf, size_t len, bool write)
{
	uint64_t size;
	int fd = ram_fd(domid, write ? O_RDWR : O_RDONLY, &size);
	ssize_t n;

	if (fd < 0)
		return -1;
	if (addr > size || len > size - addr) {
		sim_err("dom%u: [0x%" PRIx64 ", +%zu) is outside its RAM", domid, addr, len);
		close(fd);
		return -1;
	}
	n = write ? pwrite(fd, buf, len, (off_t)addr) : pread(fd, buf, len, (off_t)addr);
	close(fd);
	return n == (ssize_t)len ? 0 : -1;
}

int sim_ram_read(uint32_t domid, uint64_t addr, void *buf, size_t len)
{
	return ram_io(domid, addr, buf, len, false);
}

static int ram_write(uint32_t domid, uint64_t addr, const void *buf, size_t len)
{
	return ram_io(domid, addr, (void *)buf, len, true);
}

static int cmd_ram(int argc, char **argv)
{
	uint32_t d;
	uint64_t addr, len;

	if (argc == 5 && !strcmp(argv[2], "--read") && !parse_domid(argv[1], &d) &&
	    !sim_parse_u64(argv[3], &addr) && !sim_parse_u64(argv[4], &len) && len <= MAX_AREA) {
		uint8_t *buf = malloc(len ? len : 1);
		int rc;

		if (!buf)
			return 1;
		rc = sim_ram_read(d, addr, buf, len) ||
		     fwrite(buf, 1, len, stdout) != len;
		free(buf);
		return rc ? 1 : 0;
	}
	if (argc == 5 && !strcmp(argv[2], "--write") && !parse_domid(argv[1], &d) &&
	    !sim_parse_u64(argv[3], &addr)) {
		size_t n;
		uint8_t *buf = sim_slurp(argv[4], MAX_AREA, &n);
		int rc;

		if (!buf)
			return 1;
		rc = ram_write(d, addr, buf, n);
		free(buf);
		return rc ? 1 : 0;
	}
	sim_err("usage: xensim ram D --read ADDR LEN | --write ADDR FILE");
	return XS_EXIT_USAGE;
}

static int cmd_hole(int argc, char **argv)
{
	uint32_t d;
	uint64_t first, count;
	char name[32];
	FILE *fp;

	if (argc != 4 || parse_domid(argv[1], &d) || sim_parse_u64(argv[2], &first) ||
	    sim_parse_u64(argv[3], &count)) {
		sim_err("usage: xensim hole D FIRST-PFN COUNT");
		return XS_EXIT_USAGE;
	}
	snprintf(name, sizeof(name), "dom%u.holes", d);
	fp = fopen(path_in_dir(name), "ae");
	if (!fp)
		return 1;
	fprintf(fp, "0x%" PRIx64 " %" PRIu64 "\n", first, count);
	return fclose(fp) ? 1 : 0;
}

static int cmd_pause_count(int argc, char **argv)
{
	uint32_t d;
	struct simdom sd;

	if (argc != 2 || parse_domid(argv[1], &d))
		return XS_EXIT_USAGE;
	if (lookup_domain(d, &sd))
		return 1;
	printf("%u\n", sd.pause);
	return 0;
}

static int cmd_crc(int argc, char **argv)
{
	uint8_t *buf;
	size_t len;
	uint32_t d;
	uint64_t addr, n;

	if (argc == 5 && !strcmp(argv[1], "--ram")) {
		if (parse_domid(argv[2], &d) || sim_parse_u64(argv[3], &addr) ||
		    sim_parse_u64(argv[4], &n) || n > MAX_AREA)
			return XS_EXIT_USAGE;
		buf = malloc(n ? n : 1);
		if (!buf || sim_ram_read(d, addr, buf, n)) {
			free(buf);
			return 1;
		}
		len = n;
	} else if (argc == 2) {
		buf = sim_slurp(argv[1], 1u << 30, &len);
		if (!buf)
			return 1;
	} else {
		sim_err("usage: xensim crc FILE | --ram D ADDR LEN");
		return XS_EXIT_USAGE;
	}
	printf("0x%08lx\n", crc32(crc32(0L, Z_NULL, 0), buf, (uInt)len));
	free(buf);
	return 0;
}

/* ---- the device model -------------------------------------------------- */

/* Count the blobs of a well-formed area; -1 when the chain breaks. */
static long count_blobs(const uint8_t *buf, size_t len)
{
	size_t off = 0;
	long n = 0;

	while (off < len) {
		uint32_t size;

		if (len - off < 8)
			return -1;
		memcpy(&size, buf + off + 4, 4);
		size = le32toh(size);
		if (size < 8 || size > len - off)
			return -1;
		off += size;
		n++;
	}
	return n;
}

static int cmd_qemu(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "area", required_argument, NULL, 'a' },
		{ "at", required_argument, NULL, 't' },
		{ "as-domain", required_argument, NULL, 'd' },
		{ "partial", no_argument, NULL, 'p' },
		{ "state", required_argument, NULL, 's' },
		{ "count", required_argument, NULL, 'c' },
		{ "no-count", no_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *area = NULL, *state = NULL;
	uint64_t at = DEFAULT_AREA_ADDR, v;
	long as = -1, count = -2;
	int partial = 0, c, rc = 1;
	uint32_t d, dm = 0;
	uint8_t *buf = NULL;
	size_t len = 0;
	struct xs_handle *h;
	char base[64], p[128], val[32];

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'a': area = optarg; break;
		case 't':
			if (sim_parse_u64(optarg, &at))
				return XS_EXIT_USAGE;
			break;
		case 'd':
			if (parse_domid(optarg, &dm))
				return XS_EXIT_USAGE;
			as = dm;
			break;
		case 'p': partial = 1; break;
		case 's': state = optarg; break;
		case 'c':
			if (sim_parse_u64(optarg, &v) || v > 100000)
				return XS_EXIT_USAGE;
			count = (long)v;
			break;
		case 'n': count = -1; break;
		default: return XS_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc || parse_domid(argv[optind], &d) || (!area && !state)) {
		sim_err("usage: xensim qemu D --area FILE [--at ADDR] [--as-domain DM] [--partial] "
			"[--count N|--no-count] [--state STATE]");
		return XS_EXIT_USAGE;
	}
	h = sim_connect(as);
	if (!h)
		return 1;
	snprintf(base, sizeof(base), "/local/domain/%u/hvmloader/dm-acpi", d);
	if (area) {
		buf = sim_slurp(area, MAX_AREA, &len);
		if (!buf)
			goto out;
		if (count == -2)
			count = count_blobs(buf, len);
		/* What the device model does: the blobs into guest RAM, then the keys. */
		if (ram_write(d, at, buf, len))
			goto out;
		snprintf(p, sizeof(p), "%s/address", base);
		snprintf(val, sizeof(val), "0x%" PRIx64, at);
		if (put(h, XBT_NULL, p, val, NULL, 0))
			goto out;
		if (!partial) {
			if (count >= 0) {
				snprintf(p, sizeof(p), "%s/count", base);
				snprintf(val, sizeof(val), "%ld", count);
				if (put(h, XBT_NULL, p, val, NULL, 0))
					goto out;
			}
			snprintf(p, sizeof(p), "%s/length", base);
			snprintf(val, sizeof(val), "%zu", len);
			if (put(h, XBT_NULL, p, val, NULL, 0))
				goto out;
		}
	}
	if (state) {
		snprintf(p, sizeof(p), "/local/domain/%u/device-model/%u/state", as < 0 ? 0 : dm, d);
		if (put(h, XBT_NULL, p, state, NULL, 0))
			goto out;
	}
	rc = 0;
out:
	free(buf);
	xs_close(h);
	return rc;
}

/* ---- plain xenstore access -------------------------------------------- */

static long as_domain_opt(int *argc, char **argv)
{
	int i, j;
	uint32_t d;
	long as = -1;

	for (i = 1; i < *argc; i++) {
		if (strcmp(argv[i], "--as-domain") || i + 1 >= *argc)
			continue;
		if (parse_domid(argv[i + 1], &d))
			return -2;
		as = d;
		for (j = i; j + 2 <= *argc; j++)
			argv[j] = argv[j + 2];
		*argc -= 2;
		break;
	}
	return as;
}

static int report_errno(const char *what, const char *path)
{
	int e = errno;

	fprintf(stderr, "xensim: %s %s: %s\n", what, path, strerror(e));
	return e == EACCES ? 13 : 1;
}

static int cmd_xs(int argc, char **argv)
{
	long as = as_domain_opt(&argc, argv);
	const char *op = argv[0];
	struct xs_handle *h;
	int rc = 0;

	if (as == -2)
		return XS_EXIT_USAGE;
	if (argc < 2 || (!strcmp(op, "write") && argc != 3) ||
	    ((!strcmp(op, "read") || !strcmp(op, "rm") || !strcmp(op, "ls")) && argc != 2) ||
	    (!strcmp(op, "perms") && argc < 2)) {
		sim_err("usage: xensim read|rm|ls PATH, write PATH VALUE, perms PATH [PERM...] "
			"[--as-domain D]");
		return XS_EXIT_USAGE;
	}
	h = sim_connect(as);
	if (!h)
		return 1;
	if (!strcmp(op, "read")) {
		char *v = sim_read(h, argv[1]);

		if (v)
			printf("%s\n", v);
		else
			rc = report_errno("read", argv[1]);
		free(v);
	} else if (!strcmp(op, "write")) {
		if (!xs_write(h, XBT_NULL, argv[1], argv[2], strlen(argv[2])))
			rc = report_errno("write", argv[1]);
	} else if (!strcmp(op, "rm")) {
		if (!xs_rm(h, XBT_NULL, argv[1]))
			rc = report_errno("rm", argv[1]);
	} else if (!strcmp(op, "ls")) {
		unsigned int n, i;
		char **names = xs_directory(h, XBT_NULL, argv[1], &n);

		if (!names)
			rc = report_errno("ls", argv[1]);
		for (i = 0; names && i < n; i++)
			printf("%s\n", names[i]);
		free(names);
	} else if (argc == 2) {
		unsigned int n;
		char buf[1024];
		struct xs_permissions *p = xs_get_permissions(h, XBT_NULL, argv[1], &n);

		if (p)
			printf("%s\n", perms_to_string(p, n, buf, sizeof(buf)));
		else
			rc = report_errno("perms", argv[1]);
		free(p);
	} else {
		unsigned int n = (unsigned int)(argc - 2);
		struct xs_permissions *p = calloc(n, sizeof(*p));

		unsigned int i;

		for (i = 0; p && i < n; i++) {
			const char *s = argv[2 + i];
			uint64_t id;

			if (!strchr("rwbn", s[0]) || sim_parse_u64(s + 1, &id) || id > 0xffff) {
				sim_err("bad permission %s (want n, r, w or b and a domid)", s);
				rc = XS_EXIT_USAGE;
				break;
			}
			p[i].id = (unsigned int)id;
			p[i].perms = s[0] == 'r' ? XS_PERM_READ : s[0] == 'w' ? XS_PERM_WRITE :
				     s[0] == 'b' ? XS_PERM_READ | XS_PERM_WRITE : XS_PERM_NONE;
		}
		if (!p)
			rc = 1;
		if (!rc && !xs_set_permissions(h, XBT_NULL, argv[1], p, n))
			rc = report_errno("set permissions of", argv[1]);
		free(p);
	}
	xs_close(h);
	return rc;
}

static int cmd_watch(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "count", required_argument, NULL, 'c' },
		{ "timeout", required_argument, NULL, 't' },
		{ "ready", required_argument, NULL, 'r' },
		{ "as-domain", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ready = NULL;
	double timeout = XENSIM_WAIT_SECONDS, end;
	long count = 1, seen = 0, as = -1;
	struct xs_handle *h;
	uint32_t d;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'c': count = atol(optarg); break;
		case 't': timeout = atof(optarg); break;
		case 'r': ready = optarg; break;
		case 'd':
			if (parse_domid(optarg, &d))
				return XS_EXIT_USAGE;
			as = d;
			break;
		default: return XS_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		sim_err("usage: xensim watch PATH... [--count N] [--timeout S] [--ready FILE] [--as-domain D]");
		return XS_EXIT_USAGE;
	}
	h = sim_connect(as);
	if (!h)
		return 1;
	/* Several paths: one connection holding several watches. */
	for (c = optind; c < argc; c++) {
		if (!xs_watch(h, argv[c], "xensim")) {
			report_errno("watch", argv[c]);
			xs_close(h);
			return 1;
		}
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (ready && write_file(ready, "", 0, 0644)) {
		xs_close(h);
		return 1;
	}
	end = now() + timeout;
	while (seen < count) {
		struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
		double left = end - now();
		char **ev;

		while (seen < count && (ev = xs_check_watch(h))) {
			printf("%s\n", ev[XS_WATCH_PATH]);
			free(ev);
			seen++;
		}
		if (seen >= count)
			break;
		if (left <= 0) {
			xs_close(h);
			return XS_EXIT_TIMEOUT;
		}
		poll(&p, 1, (int)(left * 1000) + 1);
	}
	xs_close(h);
	return 0;
}

/* ---- faults for the stress tests -------------------------------------- */

static volatile sig_atomic_t hammer_stop;

static void on_hammer_signal(int sig)
{
	(void)sig;
	hammer_stop = 1;
}

/*
 * Another client writing one node in a tight loop (a busy toolstack or a
 * guest), until SIGTERM/SIGINT or --seconds, so that transactions touching
 * the same subtree conflict.  oxenstored replays a conflicting transaction
 * itself and answers EAGAIN only when the replay reads something else, so
 * --perms changes what such a transaction reads: each write sets the node's
 * permissions to its own plus read access for a different (absent) domain,
 * and the original permissions are put back at the end.  Prints how many
 * writes went through and how many failed.
 */
static int cmd_hammer(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "as-domain", required_argument, NULL, 'd' },
		{ "seconds", required_argument, NULL, 's' },
		{ "ready", required_argument, NULL, 'r' },
		{ "perms", no_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 },
	};
	const char *ready = NULL;
	double seconds = 60, end;
	unsigned long writes = 0, failed = 0;
	struct xs_permissions *orig = NULL, *p = NULL;
	unsigned int norig = 0;
	bool perms = false;
	struct sigaction sa = { .sa_handler = on_hammer_signal };
	struct xs_handle *h;
	long as = -1;
	uint32_t d;
	int c;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			if (parse_domid(optarg, &d))
				return XS_EXIT_USAGE;
			as = d;
			break;
		case 's': seconds = atof(optarg); break;
		case 'r': ready = optarg; break;
		case 'p': perms = true; break;
		default: return XS_EXIT_USAGE;
		}
	}
	if (optind + 1 != argc) {
		sim_err("usage: xensim hammer PATH [--as-domain D] [--seconds S] [--ready FILE] [--perms]");
		return XS_EXIT_USAGE;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	h = sim_connect(as);
	if (!h)
		return 1;
	if (perms) {
		orig = xs_get_permissions(h, XBT_NULL, argv[optind], &norig);
		p = orig ? calloc(norig + 1, sizeof(*p)) : NULL;
		if (!p) {
			report_errno("perms", argv[optind]);
			free(orig);
			xs_close(h);
			return 1;
		}
		memcpy(p, orig, norig * sizeof(*p));
	}
	if (ready && write_file(ready, "", 0, 0644)) {
		xs_close(h);
		return 1;
	}
	for (end = now() + seconds; !hammer_stop && now() < end;) {
		char val[32];
		bool ok;

		if (perms) {
			p[norig] = (struct xs_permissions){
				.id = 1000 + (unsigned int)((writes + failed) % 30000),
				.perms = XS_PERM_READ,
			};
			ok = xs_set_permissions(h, XBT_NULL, argv[optind], p, norig + 1);
		} else {
			snprintf(val, sizeof(val), "%lu", writes + failed);
			ok = xs_write(h, XBT_NULL, argv[optind], val, strlen(val));
		}
		if (ok)
			writes++;
		else
			failed++;
	}
	if (perms && !xs_set_permissions(h, XBT_NULL, argv[optind], orig, norig))
		report_errno("restore permissions of", argv[optind]);
	free(orig);
	free(p);
	xs_close(h);
	printf("writes %lu failed %lu\n", writes, failed);
	return writes ? 0 : 1;
}

/*
 * A device model that keeps moving its area: each INPUT (ADDRESS:LENGTH:COUNT)
 * in turn, the three keys of one in one transaction, round and round until
 * --seconds or SIGTERM.  Every commit is a state of the inputs that stood
 * together; a reader outside a transaction can see two of them mixed.
 * Prints the number of commits and the last INPUT committed.
 */
static int cmd_flip(int argc, char **argv)
{
	static const char *const keys[] = { "address", "length", "count" };
	static const struct option opts[] = {
		{ "seconds", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 },
	};
	struct sigaction sa = { .sa_handler = on_hammer_signal };
	unsigned long commits = 0, conflicts = 0;
	double seconds = 5, end;
	const char *last = NULL;
	struct xs_handle *h;
	uint32_t d;
	int c, rc = 0;

	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c != 's')
			return XS_EXIT_USAGE;
		seconds = atof(optarg);
	}
	if (argc - optind < 3 || parse_domid(argv[optind], &d)) {
		sim_err("usage: xensim flip D INPUT INPUT... [--seconds S] (INPUT: ADDRESS:LENGTH:COUNT)");
		return XS_EXIT_USAGE;
	}
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	h = sim_connect(-1);
	if (!h)
		return 1;
	for (end = now() + seconds; !hammer_stop && now() < end;) {
		const char *in = argv[optind + 1 + (int)(commits % (unsigned long)(argc - optind - 1))];
		char vals[3][32], p[128];
		xs_transaction_t t;

		if (sscanf(in, "%31[^:]:%31[^:]:%31s", vals[0], vals[1], vals[2]) != 3) {
			sim_err("flip: %s is not ADDRESS:LENGTH:COUNT", in);
			rc = XS_EXIT_USAGE;
			break;
		}
		t = xs_transaction_start(h);
		if (t == XBT_NULL) {
			rc = report_errno("transaction start", "");
			break;
		}
		for (int k = 0; k < 3; k++) {
			snprintf(p, sizeof(p), "/local/domain/%u/hvmloader/dm-acpi/%s", d, keys[k]);
			if (put(h, t, p, vals[k], NULL, 0))
				rc = 1;
		}
		if (rc) {
			xs_transaction_end(h, t, true);
			break;
		}
		if (xs_transaction_end(h, t, false)) {
			commits++;
			last = in;
		} else if (errno == EAGAIN) {
			conflicts++;
		} else {
			rc = report_errno("transaction end", "");
			break;
		}
	}
	xs_close(h);
	printf("commits %lu conflicts %lu last %s\n", commits, conflicts, last ? last : "-");
	return rc;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The values under PATH as one transaction saw them: "name=value" lines,
 * by name.  A reader outside a transaction could see two commits mixed. */
static int cmd_snapshot(int argc, char **argv)
{
	long as = as_domain_opt(&argc, argv);
	unsigned int n = 0, i;
	char **names, **lines = NULL;
	struct xs_handle *h;
	xs_transaction_t t;
	int rc = 1;

	if (as == -2 || argc != 2) {
		sim_err("usage: xensim snapshot PATH [--as-domain D]");
		return XS_EXIT_USAGE;
	}
	h = sim_connect(as);
	if (!h)
		return 1;
	t = xs_transaction_start(h);
	if (t == XBT_NULL) {
		xs_close(h);
		return 1;
	}
	names = xs_directory(h, t, argv[1], &n);
	if (!names)
		rc = errno == EACCES ? 13 : 1;
	else
		lines = calloc(n ? n : 1, sizeof(*lines));
	for (i = 0; lines && i < n; i++) {
		char p[1024];
		unsigned int len;
		char *v;

		snprintf(p, sizeof(p), "%s/%s", argv[1], names[i]);
		v = xs_read(h, t, p, &len);
		if (asprintf(&lines[i], "%s=%s", names[i], v ? v : "") < 0)
			lines[i] = NULL;
		free(v);
	}
	free(names);
	/* Read only: every read came from the store as the transaction
	 * began, so abandoning it loses nothing. */
	xs_transaction_end(h, t, true);
	if (lines) {
		qsort(lines, n, sizeof(*lines), cmp_str);
		for (i = 0; i < n; i++)
			printf("%s\n", lines[i] ? lines[i] : "");
		for (i = 0; i < n; i++)
			free(lines[i]);
		free(lines);
		rc = 0;
	}
	xs_close(h);
	return rc;
}

/* Open N transactions at once on one connection (quota-transaction). */
static int cmd_transactions(int argc, char **argv)
{
	long as = as_domain_opt(&argc, argv);
	xs_transaction_t t[256];
	struct xs_handle *h;
	uint64_t n;
	unsigned int opened = 0, i;
	int rc = 0;

	if (as == -2 || argc != 2 || sim_parse_u64(argv[1], &n) || n == 0 || n > 256) {
		sim_err("usage: xensim transactions N [--as-domain D] (N up to 256)");
		return XS_EXIT_USAGE;
	}
	h = sim_connect(as);
	if (!h)
		return 1;
	while (opened < n) {
		t[opened] = xs_transaction_start(h);
		if (t[opened] == XBT_NULL) {
			rc = report_errno("transaction start", "");
			break;
		}
		opened++;
	}
	for (i = 0; i < opened; i++)
		xs_transaction_end(h, t[i], true);
	printf("opened %u\n", opened);
	xs_close(h);
	return rc;
}

static const struct { const char *name; int value; } errno_names[] = {
	{ "EPERM", EPERM }, { "ENOENT", ENOENT }, { "ESRCH", ESRCH }, { "EIO", EIO },
	{ "ENOMEM", ENOMEM }, { "EACCES", EACCES }, { "EFAULT", EFAULT }, { "EBUSY", EBUSY },
	{ "EINVAL", EINVAL }, { "EAGAIN", EAGAIN },
};

/* map-write D PATH VALUE: the next mapping of D writes VALUE at PATH
 * first, as a device model does that changes its inputs meanwhile. */
static int cmd_map_write(int argc, char **argv)
{
	char name[32], *text = NULL;
	uint32_t d;
	int n, rc;

	if (argc != 4 || parse_domid(argv[1], &d) || strchr(argv[2], ' ') ||
	    strchr(argv[2], '\n') || strchr(argv[3], '\n')) {
		sim_err("usage: xensim map-write D PATH VALUE");
		return XS_EXIT_USAGE;
	}
	snprintf(name, sizeof(name), "dom%u.mapwrite", d);
	n = asprintf(&text, "%s %s\n", argv[2], argv[3]);
	if (n < 0)
		return 1;
	rc = write_file(path_in_dir(name), text, (size_t)n, 0644) ? 1 : 0;
	free(text);
	return rc;
}

/* map-fault D ERRNO|die|off: every mapping of D fails from now on. */
static int cmd_map_fault(int argc, char **argv)
{
	char name[32];
	uint32_t d;
	int e = 0;
	size_t i;

	if (argc != 3 || parse_domid(argv[1], &d)) {
		sim_err("usage: xensim map-fault D ERRNO|die|off");
		return XS_EXIT_USAGE;
	}
	snprintf(name, sizeof(name), "dom%u.mapfault", d);
	if (!strcmp(argv[2], "off"))
		return unlink(path_in_dir(name)) == 0 || errno == ENOENT ? 0 : 1;
	if (!strcmp(argv[2], "die"))
		return write_file(path_in_dir(name), "die\n", 4, 0644) ? 1 : 0;
	for (i = 0; i < sizeof(errno_names) / sizeof(errno_names[0]); i++)
		if (!strcmp(argv[2], errno_names[i].name))
			e = errno_names[i].value;
	if (!e) {
		sim_err("map-fault: one of EPERM ENOENT ESRCH EIO ENOMEM EACCES EFAULT EBUSY "
			"EINVAL EAGAIN, die or off");
		return XS_EXIT_USAGE;
	}
	{
		char buf[16];
		int n = snprintf(buf, sizeof(buf), "%d\n", e);

		return write_file(path_in_dir(name), buf, (size_t)n, 0644) ? 1 : 0;
	}
}

/* xs-eagain N [--read | --lost]: the next N commits of transactions that
 * wrote (that only read) fail with EAGAIN in a process with the hypervisor
 * preload (0: none); with --lost, those that wrote a verdict's state are
 * made and then fail with EIO. */
static int cmd_xs_eagain(int argc, char **argv)
{
	bool reads = argc == 3 && !strcmp(argv[2], "--read");
	bool lost = argc == 3 && !strcmp(argv[2], "--lost");
	uint64_t n;
	char buf[32];
	int len;

	if ((argc != 2 && !reads && !lost) || sim_parse_u64(argv[1], &n)) {
		sim_err("usage: xensim xs-eagain N [--read | --lost]");
		return XS_EXIT_USAGE;
	}
	len = snprintf(buf, sizeof(buf), "%" PRIu64 "\n", n);
	return write_file(path_in_dir(reads ? "xs-eagain-read" : lost ? "xs-lost" : "xs-eagain"),
			  buf, (size_t)len, 0644) ? 1 : 0;
}

/* crash-at POINT [D] | off: the next process with the hypervisor preload
 * that reaches POINT (for D) dies there with SIGKILL. */
static int cmd_crash_at(int argc, char **argv)
{
	static const char *const points[] = { "pause", "unpause", "map", "unmap" };
	char buf[64];
	uint32_t d;
	size_t i;
	int n;

	if (argc == 2 && !strcmp(argv[1], "off"))
		return unlink(path_in_dir("crash-at")) == 0 || errno == ENOENT ? 0 : 1;
	for (i = 0; argc >= 2 && i < sizeof(points) / sizeof(points[0]); i++)
		if (!strcmp(argv[1], points[i]))
			break;
	if (argc < 2 || argc > 3 || i == sizeof(points) / sizeof(points[0]) ||
	    (argc == 3 && parse_domid(argv[2], &d))) {
		sim_err("usage: xensim crash-at pause|unpause|map|unmap [D] | crash-at off");
		return XS_EXIT_USAGE;
	}
	n = argc == 3 ? snprintf(buf, sizeof(buf), "%s %u\n", argv[1], d)
		      : snprintf(buf, sizeof(buf), "%s\n", argv[1]);
	return write_file(path_in_dir("crash-at"), buf, (size_t)n, 0644) ? 1 : 0;
}

static void usage(void)
{
	fputs("usage: xensim [-d DIR] COMMAND ...\n"
	      "  up DIR [--foreground] [--set KEY=VALUE]... [--restart] | ready DIR [S] | down DIR [--remove] | env DIR\n"
	      "  domain create [--hvm] [--name N] [--ram SIZE] [--dm-domid D] [--target D] [--key K=V]...\n"
	      "  domain destroy D | domain kill D | domain list\n"
	      "  qemu D --area FILE [--at ADDR] [--as-domain DM] [--partial] [--state S]\n"
	      "  hvmloader D [--timeout S] [--ready FILE] [--out DIR] [--dsdt FILE] [--as-dom0] [--crc-only]\n"
	      "  oracle DIR\n"
	      "  read|rm|ls PATH | write PATH VALUE | perms PATH [PERM...]  [--as-domain D]\n"
	      "  watch PATH... [--count N] [--timeout S] [--ready FILE] [--as-domain D]\n"
	      "  pause-count D | ram D --read ADDR LEN | ram D --write ADDR FILE\n"
	      "  hole D FIRST-PFN COUNT | crc FILE | crc --ram D ADDR LEN\n"
	      "  hammer PATH [--as-domain D] [--seconds S] [--ready FILE] [--perms]\n"
	      "  snapshot PATH [--as-domain D] | transactions N [--as-domain D]\n"
	      "  map-fault D ERRNO|die|off | map-write D PATH VALUE\n"
	      "  crash-at pause|unpause|map|unmap [D] | crash-at off\n"
	      "  xs-eagain N [--read | --lost]\n",
	      stderr);
}

int main(int argc, char **argv)
{
	static const struct { const char *name; int (*fn)(int, char **); bool needs_dir; } cmds[] = {
		{ "up", cmd_up, false }, { "ready", cmd_ready, false }, { "down", cmd_down, false },
		{ "env", cmd_env, false }, { "domain", cmd_domain, true }, { "qemu", cmd_qemu, true },
		{ "hvmloader", cmd_hvmloader, true }, { "oracle", cmd_oracle, false },
		{ "read", cmd_xs, true }, { "write", cmd_xs, true }, { "rm", cmd_xs, true },
		{ "ls", cmd_xs, true }, { "perms", cmd_xs, true }, { "watch", cmd_watch, true },
		{ "pause-count", cmd_pause_count, true }, { "ram", cmd_ram, true },
		{ "hole", cmd_hole, true }, { "crc", cmd_crc, false },
		{ "hammer", cmd_hammer, true }, { "snapshot", cmd_snapshot, true },
		{ "flip", cmd_flip, true },
		{ "map-fault", cmd_map_fault, true }, { "map-write", cmd_map_write, true },
		{ "crash-at", cmd_crash_at, true },
		{ "transactions", cmd_transactions, true }, { "xs-eagain", cmd_xs_eagain, true },
	};
	size_t i;

	signal(SIGPIPE, SIG_IGN);
	sim_dir = getenv("XENSIM_DIR");
	if (argc >= 3 && !strcmp(argv[1], "-d")) {
		sim_dir = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 2) {
		usage();
		return XS_EXIT_USAGE;
	}
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		if (strcmp(argv[1], cmds[i].name))
			continue;
		if (cmds[i].needs_dir && (!sim_dir || !*sim_dir)) {
			sim_err("no host: set XENSIM_DIR or pass -d DIR");
			return XS_EXIT_USAGE;
		}
		/* getopt_long restarts for the subcommand's own arguments. */
		optind = 0;
		return cmds[i].fn(argc - 1, argv + 1);
	}
	usage();
	return XS_EXIT_USAGE;
}
