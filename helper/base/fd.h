/* SPDX-License-Identifier: MIT */
/* fd.h — file descriptors closed on every path.
 *
 * hs_autofd declares an int descriptor that is closed when it goes out of
 * scope, as g_autofree frees memory (GLib's own g_autofd needs 2.76);
 * hs_autopipe does the same for both ends of a pipe.  -1 means "none"
 * throughout, so a variable starts at -1 and hs_fd_steal() hands its
 * descriptor over to whoever keeps it. */
#ifndef HS_BASE_FD_H
#define HS_BASE_FD_H

/* Close *fdp unless it is negative, then set it to -1.  errno is kept, so
 * that a message written after the cleanup still names the first
 * failure. */
void hs_fd_close(int *fdp);

/* hs_fd_close() on both ends of `pair`. */
void hs_fd_close_pair(int (*pair)[2]);

/* The descriptor in *fdp, which becomes -1: the caller now owns it. */
int hs_fd_steal(int *fdp);

#define hs_autofd __attribute__((cleanup(hs_fd_close))) int
/* Declare as `hs_autopipe p[2] = {-1, -1};`. */
#define hs_autopipe __attribute__((cleanup(hs_fd_close_pair))) int

#endif
