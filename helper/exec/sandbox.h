/* SPDX-License-Identifier: MIT */
/* sandbox.h — what COMMAND may not do under --proxy: a seccomp filter,
 * built before fork (libseccomp allocates) and installed in the child
 * between fork and execve (two system calls, async-signal-safe), that
 * refuses the kernel keyring's system calls (keyctl, add_key, request_key)
 * with EPERM: the token cache and the keyctl store are the user's, and
 * COMMAND runs as that user. */
#ifndef HS_SANDBOX_H
#define HS_SANDBOX_H

#include <glib.h>

typedef struct HsSandbox HsSandbox;

/* The filter, compiled.  (transfer full) NULL with HS_ERR_SYSTEM when
 * libseccomp cannot build it. */
HsSandbox *hs_sandbox_new_no_keyring(GError **error);
void hs_sandbox_free(HsSandbox *sandbox);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsSandbox, hs_sandbox_free)

/* In the child after fork(): no new privileges, then the filter.  0, or
 * the errno of the call that failed.  Async-signal-safe. */
int hs_sandbox_apply(const HsSandbox *sandbox);

#endif
