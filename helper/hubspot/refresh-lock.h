/* SPDX-License-Identifier: MIT */
/* refresh-lock.h — one refresh at a time per profile, across processes. */
#ifndef HS_REFRESH_LOCK_H
#define HS_REFRESH_LOCK_H

#include <glib.h>

/* How long a process waits for another's refresh before giving up. */
#define HS_REFRESH_LOCK_TIMEOUT_MS 20000

/* Take the exclusive lock of `profile`: flock() on
 * $XDG_RUNTIME_DIR/hs-exec/PROFILE.lock (the directory made 0700 and
 * checked to be the user's own and private; the file holds nothing).
 * Returns the descriptor to pass to hs_refresh_unlock, or -1 with
 * HS_ERR_CONFIG (unsafe directory), HS_ERR_NETWORK (one other process held
 * it for longer than `timeout_ms`: a queue of holders, each quick, is
 * waited out) or HS_ERR_SYSTEM (the kernel refused the lock). */
int hs_refresh_lock(const char *profile, int timeout_ms, GError **error);

void hs_refresh_unlock(int fd);

/* Check (creating it if needed) the lock directory: the user's own, mode
 * 0700, not a symlink.  Its path in *ret_path (transfer full). */
gboolean hs_refresh_dir_check(char **ret_path, GError **error);

#endif
