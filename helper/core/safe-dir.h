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
#ifndef HS_SAFE_DIR_H
#define HS_SAFE_DIR_H

#include <glib.h>

/* Open the absolute directory `path` (O_PATH, close-on-exec; transfer
 * full), making missing components with mode 0700 when `create`.  -1 with
 * HS_ERR_SYSTEM in `error` when a component is missing (and not `create`),
 * is not a directory, belongs to another user, or is a link another user
 * owns; the message names the component. */
int hs_safe_dir_open(const char *path, gboolean create, GError **error);

/* openat(`dirfd`, `name`, `flags` | O_NOFOLLOW | O_CLOEXEC, 0600) of a
 * regular file that belongs to us (transfer full).  -1 with HS_ERR_SYSTEM
 * in `error` otherwise; a missing file is G_FILE_ERROR_NOENT (in
 * G_FILE_ERROR), so a reader can tell "nothing yet" from trouble. */
int hs_safe_dir_open_file(int dirfd, const char *name, int flags,
                          GError **error);

#endif
