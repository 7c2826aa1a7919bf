// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Preloaded into Debian's oxenstored so that it runs without a hypervisor:
 *
 * - libxenctrl: a dummy handle, and domain information from the simulated
 *   domain table ($XENSIM_DIR/domains), so a domain marked dying there is
 *   cleaned up (and @releaseDomain fires) when port 1 (VIRQ_DOM_EXC) is
 *   signalled;
 * - libxenevtchn: every event channel is the FIFO $XENSIM_DIR/evtchn, which
 *   carries 4-byte port numbers (anyone may write port 1 into it);
 * - the ring page of each introduced domain is a zeroed shared page, and a
 *   thread of ours plays the guest side of that ring, bridging it to the
 *   unix socket $XENSIM_DIR/domN.sock: a libxenstore client connected there
 *   talks as domain N, under oxenstored's real permission checks;
 * - /var/run/xenstored and /var/run/xen are redirected into $XENSIM_DIR;
 * - setrlimit(RLIMIT_NOFILE) is clamped to the hard limit.
 *
 * Never built with sanitizers: it is loaded into an uninstrumented program.
 */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE
#endif
#undef _FORTIFY_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <xenctrl.h>
#include <xenctrl_compat.h>
#include <xenevtchn.h>
#include <xen/io/xs_wire.h>

#include "domtable.h"
#include "dominfo.h"

#define FIRST_LOCAL_PORT 10
#define VIRQ_PORT 1
#define MAX_PACKET (sizeof(struct xsd_sockmsg) + XENSTORE_PAYLOAD_MAX)
#define RESET_REQ_ID 0xfffffff0u

/* XSD_PRELOAD_TRACE=1 logs ring and event channel set-up to stderr. */
#define TRACE(...) do { \
	if (getenv("XSD_PRELOAD_TRACE")) \
		fprintf(stderr, "xsd-preload: " __VA_ARGS__); \
} while (0)

/* ---- path redirection ---------------------------------------------- */

static const char *const redirected[] = {
	"/var/run/xenstored", "/run/xenstored", "/var/run/xen", "/run/xen",
};

/* Returns path, or buf holding the redirected path. */
static const char *redirect(const char *path, char *buf, size_t len)
{
	const char *dir = simdir();
	size_t i;

	if (!path || !dir)
		return path;
	for (i = 0; i < sizeof(redirected) / sizeof(redirected[0]); i++) {
		size_t n = strlen(redirected[i]);

		if (strncmp(path, redirected[i], n) == 0 && (path[n] == '\0' || path[n] == '/')) {
			snprintf(buf, len, "%s%s", dir, path + n);
			return buf;
		}
	}
	return path;
}

#define REAL(name) ({ \
	static __typeof__(name) *real_##name; \
	if (!real_##name) \
		real_##name = (__typeof__(name) *)dlsym(RTLD_NEXT, #name); \
	real_##name; })

int open(const char *path, int flags, ...);
int open(const char *path, int flags, ...)
{
	char buf[PATH_MAX];
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = va_arg(ap, mode_t);
	va_end(ap);
	return REAL(open)(redirect(path, buf, sizeof(buf)), flags, mode);
}

int open64(const char *path, int flags, ...);
int open64(const char *path, int flags, ...)
{
	char buf[PATH_MAX];
	mode_t mode = 0;
	va_list ap;

	va_start(ap, flags);
	if (flags & (O_CREAT | O_TMPFILE))
		mode = va_arg(ap, mode_t);
	va_end(ap);
	return REAL(open64)(redirect(path, buf, sizeof(buf)), flags, mode);
}

int unlink(const char *path)
{
	char buf[PATH_MAX];

	return REAL(unlink)(redirect(path, buf, sizeof(buf)));
}

int mkdir(const char *path, mode_t mode)
{
	char buf[PATH_MAX];

	return REAL(mkdir)(redirect(path, buf, sizeof(buf)), mode);
}

int rmdir(const char *path)
{
	char buf[PATH_MAX];

	return REAL(rmdir)(redirect(path, buf, sizeof(buf)));
}

int rename(const char *from, const char *to)
{
	char b1[PATH_MAX], b2[PATH_MAX];

	return REAL(rename)(redirect(from, b1, sizeof(b1)), redirect(to, b2, sizeof(b2)));
}

int stat64(const char *restrict path, struct stat64 *restrict st)
{
	char buf[PATH_MAX];

	return REAL(stat64)(redirect(path, buf, sizeof(buf)), st);
}

int lstat64(const char *restrict path, struct stat64 *restrict st)
{
	char buf[PATH_MAX];

	return REAL(lstat64)(redirect(path, buf, sizeof(buf)), st);
}

int access(const char *path, int mode)
{
	char buf[PATH_MAX];

	return REAL(access)(redirect(path, buf, sizeof(buf)), mode);
}

int chmod(const char *path, mode_t mode)
{
	char buf[PATH_MAX];

	return REAL(chmod)(redirect(path, buf, sizeof(buf)), mode);
}

int bind(int fd, const struct sockaddr *addr, socklen_t len)
{
	const struct sockaddr_un *un = (const struct sockaddr_un *)addr;
	struct sockaddr_un moved;
	char buf[PATH_MAX];
	const char *p;

	if (addr && addr->sa_family == AF_UNIX && len > offsetof(struct sockaddr_un, sun_path)) {
		p = redirect(un->sun_path, buf, sizeof(buf));
		if (p != un->sun_path) {
			if (strlen(p) >= sizeof(moved.sun_path)) {
				errno = ENAMETOOLONG;
				return -1;
			}
			memset(&moved, 0, sizeof(moved));
			moved.sun_family = AF_UNIX;
			strcpy(moved.sun_path, p);
			return REAL(bind)(fd, (struct sockaddr *)&moved, sizeof(moved));
		}
	}
	return REAL(bind)(fd, addr, len);
}

int setrlimit(__rlimit_resource_t res, const struct rlimit *rl)
{
	struct rlimit cur, clamped;

	if (res == RLIMIT_NOFILE && getrlimit(RLIMIT_NOFILE, &cur) == 0 &&
	    (rl->rlim_max > cur.rlim_max || rl->rlim_cur > cur.rlim_max)) {
		clamped = *rl;
		if (clamped.rlim_max > cur.rlim_max)
			clamped.rlim_max = cur.rlim_max;
		if (clamped.rlim_cur > clamped.rlim_max)
			clamped.rlim_cur = clamped.rlim_max;
		return REAL(setrlimit)(res, &clamped);
	}
	return REAL(setrlimit)(res, rl);
}

/* ---- libxenctrl ------------------------------------------------------- */

static char fake_xc_handle;
static xc_error no_error;

xc_interface *xc_interface_open(xentoollog_logger *logger, xentoollog_logger *dombuild_logger,
				unsigned open_flags)
{
	return (xc_interface *)&fake_xc_handle;
}

int xc_interface_close(xc_interface *xch)
{
	return 0;
}

const xc_error *xc_get_last_error(xc_interface *xch)
{
	return &no_error;
}

const char *xc_error_code_to_desc(int code)
{
	return "simulated";
}

int xc_domain_getinfolist(xc_interface *xch, uint32_t first_domain, unsigned int max_domains,
			  xc_domaininfo_t *info)
{
	struct domtable *t;
	const char *dir = simdir();
	unsigned int n = 0;
	size_t i;

	if (!dir) {
		errno = ENOENT;
		return -1;
	}
	t = malloc(sizeof(*t));
	if (!t || domtable_load(dir, t) != 0) {
		free(t);
		return -1;
	}
	/* The table is kept sorted by domid by its writers. */
	for (i = 0; i < t->n && n < max_domains; i++) {
		const struct simdom *d = &t->v[i];

		if (d->domid < first_domain)
			continue;
		simdom_info(d, &info[n++]);
	}
	free(t);
	return (int)n;
}

void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size, int prot, unsigned long mfn);

/* ---- event channels and ring bridges --------------------------------- */

struct xenevtchn_handle {
	int fd;
};

struct bridge {
	struct bridge *next;
	uint32_t domid;
	struct xenstore_domain_interface *intf;
	evtchn_port_t port;		/* our local port, 0 until bound */
	int listen_fd;
	int wake[2];
	volatile int stop;
	char sock_path[sizeof(((struct sockaddr_un *)0)->sun_path)];
};

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static struct bridge *bridges;
static evtchn_port_t next_port = FIRST_LOCAL_PORT;
static int evtchn_fd = -1;
/* Ring pages are never really unmapped: a bridge thread may still be
 * looking at one when oxenstored lets go of the domain. */
#define MAX_RING_PAGES 4096
static void *ring_pages[MAX_RING_PAGES];
static size_t n_ring_pages;

static int open_evtchn_fifo(void)
{
	char path[PATH_MAX];
	const char *dir = simdir();

	if (evtchn_fd >= 0)
		return evtchn_fd;
	if (!dir) {
		errno = ENOENT;
		return -1;
	}
	snprintf(path, sizeof(path), "%s/evtchn", dir);
	/* O_RDWR: a FIFO with a writer of our own never reports end of file. */
	evtchn_fd = REAL(open)(path, O_RDWR | O_NONBLOCK | O_CLOEXEC, 0);
	return evtchn_fd;
}

static void signal_port(evtchn_port_t port)
{
	uint32_t p = port;

	if (evtchn_fd >= 0 && write(evtchn_fd, &p, sizeof(p)) != sizeof(p))
		fprintf(stderr, "xsd-preload: cannot signal port %u: %s\n", port, strerror(errno));
}

xenevtchn_handle *xenevtchn_open(struct xentoollog_logger *logger, unsigned int open_flags)
{
	xenevtchn_handle *h;

	pthread_mutex_lock(&lock);
	if (open_evtchn_fifo() < 0) {
		pthread_mutex_unlock(&lock);
		return NULL;
	}
	pthread_mutex_unlock(&lock);
	h = calloc(1, sizeof(*h));
	if (h)
		h->fd = evtchn_fd;
	return h;
}

xenevtchn_handle *xenevtchn_fdopen(struct xentoollog_logger *logger, int fdopen_fd,
				   unsigned int open_flags)
{
	return xenevtchn_open(logger, open_flags);
}

int xenevtchn_close(xenevtchn_handle *xce)
{
	free(xce);
	return 0;
}

int xenevtchn_fd(xenevtchn_handle *xce)
{
	return xce->fd;
}

xenevtchn_port_or_error_t xenevtchn_bind_virq(xenevtchn_handle *xce, unsigned int virq)
{
	return VIRQ_PORT;
}

xenevtchn_port_or_error_t xenevtchn_pending(xenevtchn_handle *xce)
{
	uint32_t p;
	ssize_t n = read(xce->fd, &p, sizeof(p));

	if (n == (ssize_t)sizeof(p))
		return (xenevtchn_port_or_error_t)p;
	if (n >= 0)
		errno = EAGAIN;
	return -1;
}

int xenevtchn_unmask(xenevtchn_handle *xce, evtchn_port_t port)
{
	return 0;
}

static struct bridge *bridge_by_port(evtchn_port_t port)
{
	struct bridge *b;

	for (b = bridges; b; b = b->next)
		if (b->port == port)
			return b;
	return NULL;
}

int xenevtchn_notify(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct bridge *b;
	char c = 0;

	pthread_mutex_lock(&lock);
	b = bridge_by_port(port);
	if (b && write(b->wake[1], &c, 1) < 0 && errno != EAGAIN)
		fprintf(stderr, "xsd-preload: wake dom%u: %s\n", b->domid, strerror(errno));
	pthread_mutex_unlock(&lock);
	return 0;
}

void *xc_map_foreign_range(xc_interface *xch, uint32_t dom, int size, int prot, unsigned long mfn)
{
	size_t len = size > 0 ? ((size_t)size + SIM_PAGE_SIZE - 1) & ~(size_t)(SIM_PAGE_SIZE - 1) : SIM_PAGE_SIZE;
	struct bridge *b;
	void *page;

	page = mmap(NULL, len, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (page == MAP_FAILED)
		return NULL;
	b = calloc(1, sizeof(*b));
	if (!b) {
		munmap(page, len);
		return NULL;
	}
	TRACE("map ring of dom%u\n", dom);
	b->domid = dom;
	b->intf = page;
	b->listen_fd = -1;
	b->wake[0] = b->wake[1] = -1;
	pthread_mutex_lock(&lock);
	if (n_ring_pages < MAX_RING_PAGES)
		ring_pages[n_ring_pages++] = page;
	b->next = bridges;
	bridges = b;
	pthread_mutex_unlock(&lock);
	return page;
}

static void stop_bridge_locked(struct bridge *victim)
{
	struct bridge **pp;
	char c = 0;

	for (pp = &bridges; *pp; pp = &(*pp)->next) {
		struct bridge *b = *pp;

		if (b != victim)
			continue;
		*pp = b->next;
		TRACE("stop the ring bridge of dom%u\n", b->domid);
		if (b->wake[1] < 0) {
			free(b);	/* no thread was started */
			return;
		}
		/* The detached thread frees b once it sees stop. */
		b->stop = 1;
		if (write(b->wake[1], &c, 1) < 0)
			fprintf(stderr, "xsd-preload: stop dom%u: %s\n", b->domid, strerror(errno));
		return;
	}
}

/*
 * oxenstored lets go of a domain's ring by unmapping it (XS_RELEASE) or by
 * unbinding its port (death): either stops the bridge.  The page itself is
 * never unmapped, as the bridge thread may still be looking at it.
 */
int munmap(void *addr, size_t len)
{
	struct bridge *b;
	size_t i;

	pthread_mutex_lock(&lock);
	for (i = 0; i < n_ring_pages; i++) {
		if (ring_pages[i] != addr)
			continue;
		for (b = bridges; b; b = b->next) {
			if ((void *)b->intf == addr) {
				stop_bridge_locked(b);
				break;
			}
		}
		pthread_mutex_unlock(&lock);
		return 0;
	}
	pthread_mutex_unlock(&lock);
	return REAL(munmap)(addr, len);
}

/* The guest side of one domain's ring. */
struct bridge_state {
	struct bridge *b;
	int client;
	bool draining;		/* client gone: wait for its replies, then reset */
	unsigned int outstanding;	/* requests sent minus replies received */
	uint8_t in[MAX_PACKET];	/* a request being read from the client */
	size_t in_len;
	uint8_t out[MAX_PACKET];	/* a complete request being put on the ring */
	size_t out_len, out_off;
	uint8_t rsp[MAX_PACKET];	/* a reply being read from the ring */
	size_t rsp_len;
};

static size_t packet_size(const uint8_t *buf, size_t have)
{
	struct xsd_sockmsg m;

	if (have < sizeof(m))
		return sizeof(m);
	memcpy(&m, buf, sizeof(m));
	return sizeof(m) + m.len;
}

static void close_client(struct bridge_state *s)
{
	if (s->client < 0)
		return;
	close(s->client);
	s->client = -1;
	s->in_len = 0;
	s->draining = true;
}

/* Move reply bytes from the ring; deliver complete replies. */
static bool pull_replies(struct bridge_state *s)
{
	struct xenstore_domain_interface *intf = s->b->intf;
	XENSTORE_RING_IDX cons, prod;
	bool moved = false;

	for (;;) {
		size_t want, avail, chunk, off;

		cons = __atomic_load_n(&intf->rsp_cons, __ATOMIC_RELAXED);
		prod = __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE);
		avail = (size_t)(prod - cons);
		if (avail == 0 || avail > XENSTORE_RING_SIZE)
			break;
		want = packet_size(s->rsp, s->rsp_len);
		if (want > MAX_PACKET)
			want = MAX_PACKET;	/* cannot happen with a sane server */
		chunk = want - s->rsp_len;
		if (chunk > avail)
			chunk = avail;
		off = MASK_XENSTORE_IDX(cons);
		if (chunk > XENSTORE_RING_SIZE - off)
			chunk = XENSTORE_RING_SIZE - off;
		memcpy(s->rsp + s->rsp_len, (const char *)intf->rsp + off, chunk);
		s->rsp_len += chunk;
		__atomic_store_n(&intf->rsp_cons, cons + (XENSTORE_RING_IDX)chunk, __ATOMIC_RELEASE);
		moved = true;
		if (s->rsp_len >= sizeof(struct xsd_sockmsg) &&
		    s->rsp_len == packet_size(s->rsp, s->rsp_len)) {
			struct xsd_sockmsg m;

			memcpy(&m, s->rsp, sizeof(m));
			if (m.type != XS_WATCH_EVENT && s->outstanding > 0)
				s->outstanding--;
			if (s->client >= 0 &&
			    send(s->client, s->rsp, s->rsp_len, MSG_NOSIGNAL) != (ssize_t)s->rsp_len)
				close_client(s);
			s->rsp_len = 0;
		}
	}
	return moved;
}

/* Put as much of the pending request as fits on the ring. */
static bool push_request(struct bridge_state *s)
{
	struct xenstore_domain_interface *intf = s->b->intf;
	bool moved = false;

	while (s->out_off < s->out_len) {
		XENSTORE_RING_IDX cons = __atomic_load_n(&intf->req_cons, __ATOMIC_ACQUIRE);
		XENSTORE_RING_IDX prod = __atomic_load_n(&intf->req_prod, __ATOMIC_RELAXED);
		size_t space = XENSTORE_RING_SIZE - (size_t)(prod - cons);
		size_t off = MASK_XENSTORE_IDX(prod);
		size_t chunk = s->out_len - s->out_off;

		if (space == 0 || space > XENSTORE_RING_SIZE)
			break;
		if (chunk > space)
			chunk = space;
		if (chunk > XENSTORE_RING_SIZE - off)
			chunk = XENSTORE_RING_SIZE - off;
		memcpy((char *)intf->req + off, s->out + s->out_off, chunk);
		__atomic_store_n(&intf->req_prod, prod + (XENSTORE_RING_IDX)chunk, __ATOMIC_RELEASE);
		s->out_off += chunk;
		moved = true;
	}
	if (s->out_off == s->out_len)
		s->out_len = s->out_off = 0;
	return moved;
}

static void queue_request(struct bridge_state *s, const uint8_t *pkt, size_t len)
{
	memcpy(s->out, pkt, len);
	s->out_len = len;
	s->out_off = 0;
	s->outstanding++;
}

/* Read what the client sent; a complete request becomes pending. */
static void read_client(struct bridge_state *s)
{
	for (;;) {
		size_t want = packet_size(s->in, s->in_len);
		ssize_t n;

		if (want > MAX_PACKET) {
			close_client(s);	/* larger than xenstored accepts */
			return;
		}
		if (s->in_len == want && s->out_len == 0) {
			queue_request(s, s->in, s->in_len);
			s->in_len = 0;
			return;
		}
		if (s->in_len == want)
			return;
		n = recv(s->client, s->in + s->in_len, want - s->in_len, MSG_DONTWAIT);
		if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
			close_client(s);
			return;
		}
		if (n < 0)
			return;
		s->in_len += (size_t)n;
	}
}

static void *bridge_main(void *arg)
{
	struct bridge_state *s = calloc(1, sizeof(*s));
	struct bridge *b = arg;

	if (!s)
		return NULL;
	s->b = b;
	s->client = -1;
	while (!b->stop) {
		struct pollfd p[3];
		int np = 0, timeout = -1, ci = -1, li = -1;
		bool moved;

		do {
			moved = pull_replies(s);
			if (s->client >= 0 && s->out_len == 0 && s->in_len > 0 &&
			    s->in_len == packet_size(s->in, s->in_len))
				read_client(s);
			if (push_request(s))
				moved = true;
			if (s->draining && s->client < 0 && s->out_len == 0 && s->outstanding == 0) {
				struct xsd_sockmsg m = { .type = XS_RESET_WATCHES, .req_id = RESET_REQ_ID };

				/* Its reply completes the drain (outstanding back to 0). */
				queue_request(s, (const uint8_t *)&m, sizeof(m));
				s->draining = false;
				push_request(s);
				moved = true;
			}
			if (moved)
				signal_port(b->port);
		} while (moved);

		p[np].fd = b->wake[0];
		p[np++].events = POLLIN;
		if (s->client >= 0 && s->out_len == 0) {
			ci = np;
			p[np].fd = s->client;
			p[np++].events = POLLIN;
		}
		if (s->client < 0 && !s->draining && s->outstanding == 0) {
			li = np;
			p[np].fd = b->listen_fd;
			p[np++].events = POLLIN;
		}
		if (s->out_len > 0 || s->outstanding > 0)
			timeout = 20;	/* ring space and replies are also polled */
		if (poll(p, (nfds_t)np, timeout) < 0 && errno != EINTR)
			break;
		if (p[0].revents & POLLIN) {
			char junk[64];

			while (read(b->wake[0], junk, sizeof(junk)) > 0)
				;
		}
		if (ci >= 0 && p[ci].revents)
			read_client(s);
		if (li >= 0 && (p[li].revents & POLLIN)) {
			s->client = accept4(b->listen_fd, NULL, NULL, SOCK_CLOEXEC);
			s->in_len = 0;
		}
	}
	if (s->client >= 0)
		close(s->client);
	close(b->listen_fd);
	unlink(b->sock_path);
	close(b->wake[0]);
	close(b->wake[1]);
	free(s);
	free(b);
	return NULL;
}

static int start_bridge(struct bridge *b)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	pthread_attr_t attr;
	pthread_t thr;
	const char *dir = simdir();
	int rc;

	if (!dir)
		return -1;
	if (snprintf(b->sock_path, sizeof(b->sock_path), "%s/dom%u.sock", dir, b->domid) >=
	    (int)sizeof(b->sock_path)) {
		fprintf(stderr, "xsd-preload: state directory name too long for a socket\n");
		return -1;
	}
	if (pipe2(b->wake, O_NONBLOCK | O_CLOEXEC) != 0) {
		b->wake[0] = b->wake[1] = -1;
		return -1;
	}
	b->listen_fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	strcpy(sa.sun_path, b->sock_path);
	REAL(unlink)(b->sock_path);
	if (b->listen_fd < 0 || REAL(bind)(b->listen_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 ||
	    listen(b->listen_fd, 16) != 0) {
		fprintf(stderr, "xsd-preload: %s: %s\n", b->sock_path, strerror(errno));
		goto fail;
	}
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	rc = pthread_create(&thr, &attr, bridge_main, b);
	pthread_attr_destroy(&attr);
	if (rc == 0)
		return 0;
fail:
	if (b->listen_fd >= 0)
		close(b->listen_fd);
	close(b->wake[0]);
	close(b->wake[1]);
	b->listen_fd = b->wake[0] = b->wake[1] = -1;
	return -1;
}

xenevtchn_port_or_error_t xenevtchn_bind_interdomain(xenevtchn_handle *xce, uint32_t domid,
						     evtchn_port_t remote_port)
{
	struct bridge *b;
	evtchn_port_t port;

	pthread_mutex_lock(&lock);
	port = next_port++;
	TRACE("bind dom%u remote %u -> local %u\n", domid, remote_port, port);
	for (b = bridges; b; b = b->next)
		if (b->domid == domid && b->port == 0)
			break;
	if (b) {
		b->port = port;
		if (start_bridge(b) != 0)
			fprintf(stderr, "xsd-preload: no ring bridge for dom%u\n", domid);
	}
	pthread_mutex_unlock(&lock);
	return (xenevtchn_port_or_error_t)port;
}

int xenevtchn_unbind(xenevtchn_handle *xce, evtchn_port_t port)
{
	struct bridge *b;

	TRACE("unbind %u\n", port);
	pthread_mutex_lock(&lock);
	b = bridge_by_port(port);
	if (b)
		stop_bridge_locked(b);
	pthread_mutex_unlock(&lock);
	return 0;
}
