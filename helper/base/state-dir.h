/* SPDX-License-Identifier: MIT */
/* state-dir.h — $XDG_STATE_HOME/hs-exec, where the audit and usage logs
 * live: found as GLib's g_get_user_state_dir() finds it
 * ($XDG_STATE_HOME, else $HOME/.local/state, else the passwd entry's
 * home), with the C library only (base/). */
#ifndef HS_BASE_STATE_DIR_H
#define HS_BASE_STATE_DIR_H

#include <stdbool.h>

#include "base/safe-dir.h"

/* $XDG_STATE_HOME/hs-exec/`name` (transfer full: free()), or NULL when out
 * of memory. */
char *hs_state_dir_path(const char *name);

/* The directory itself, opened as hs_safe_dir_open() does (made 0700 when
 * `create`); -1 with `error` (may be NULL) filled. */
int hs_state_dir_open(bool create, HsSafeDirError *error);

#endif
