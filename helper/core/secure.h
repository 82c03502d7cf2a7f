/* SPDX-License-Identifier: MIT */
/* secure.h — freeing memory that held a secret.
 *
 * Everything that ever held a token, a refresh token, a client secret or a
 * record document is released through hs_secure_free(), which wipes the
 * bytes first (OpenSSH's freezero).  hs_autosecret declares a char* that is
 * wiped and freed when it goes out of scope. */
#ifndef HS_SECURE_MEM_H
#define HS_SECURE_MEM_H

#include <glib.h>

/* Wipe the NUL-terminated string `secret` and g_free() it; NULL is fine. */
void hs_secure_free(char *secret);

/* Wipe `len` bytes at `secret` and g_free() it; NULL is fine. */
void hs_secure_free_len(void *secret, gsize len);

/* A copy of `secret` (transfer full: free with hs_secure_free). */
char *hs_secure_dup(const char *secret);

/* Set *secret_ptr to NULL after wiping and freeing what it pointed to. */
void hs_secure_clear(char **secret_ptr);

/* Process-wide protections of a program that holds secrets: no core dumps,
 * no ptrace by other processes of the user (PR_SET_DUMPABLE 0). */
void hs_secure_process(void);

/* Keep the pages of `len` bytes at `secret` out of swap where the limits
 * allow (mlock); EPERM and ENOMEM are ignored. */
void hs_secure_lock(const void *secret, gsize len);

/* FALSE with HS_ERR_USAGE when the program runs with privileges its user
 * lacks: AT_SECURE, or real and effective user or group ids that differ. */
gboolean hs_secure_check_ids(GError **error);

#define hs_autosecret __attribute__((cleanup(hs_secure_clear))) char *

#endif
