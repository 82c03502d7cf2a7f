/* SPDX-License-Identifier: MIT */
/* safe-dir.h — our state directory and the files in it, opened without
 * following another user's links.
 *
 * The audit and usage logs live under $XDG_STATE_HOME, a path that the
 * environment names.  A program run as root with a user's HOME would
 * otherwise follow a link the user planted there and create or append to a
 * file anywhere.  So the path is walked one component at a time from "/"
 * (openat with O_NOFOLLOW): each directory must belong to root or to us, a
 * symbolic link is followed only when root or we own it, and a missing
 * directory is made 0700. */
#ifndef HS_BASE_SAFE_DIR_H
#define HS_BASE_SAFE_DIR_H

#include <stdbool.h>

/* What went wrong: a message that names the component, and the errno
 * behind it (ENOENT for a missing directory or file, so a reader can tell
 * "nothing yet" from trouble). */
typedef struct {
  int err;
  char message[512];
} HsSafeDirError;

/* Open the absolute directory `path` (O_PATH, close-on-exec; transfer
 * full), making missing components with mode 0700 when `create`.  -1, and
 * `error` (may be NULL) filled, when a component is missing (and not
 * `create`), is not a directory, belongs to another user, or is a link
 * another user owns. */
int hs_safe_dir_open(const char *path, bool create, HsSafeDirError *error);

/* openat(`dirfd`, `name`, `flags` | O_NOFOLLOW | O_CLOEXEC, 0600) of a
 * regular file that belongs to us (transfer full); -1 with `error` filled
 * otherwise. */
int hs_safe_dir_open_file(int dirfd, const char *name, int flags,
                          HsSafeDirError *error);

#endif
