/*
 * vidverify offline build: wraps the system liburing.h and adds what mediasoup 3.19 calls but
 * liburing 2.3 (Debian 12) does not provide.
 */
#ifndef VIDVERIFY_LIBURING_COMPAT_H
#define VIDVERIFY_LIBURING_COMPAT_H

#include_next <liburing.h>

#ifndef IO_URING_VERSION_MAJOR
/* liburing 2.3 has no version query; report the version of the headers we build against. */
static inline int io_uring_major_version(void)
{
	return 2;
}

static inline int io_uring_minor_version(void)
{
	return 3;
}

/* sendto = send with a destination address (kernel >= 6.0 honours it on IORING_OP_SEND). */
static inline void io_uring_prep_sendto(
  struct io_uring_sqe* sqe,
  int sockfd,
  const void* buf,
  size_t len,
  int flags,
  const struct sockaddr* addr,
  socklen_t addrlen)
{
	io_uring_prep_send(sqe, sockfd, buf, len, flags);
	io_uring_prep_send_set_addr(sqe, addr, addrlen);
}
#endif

#endif
