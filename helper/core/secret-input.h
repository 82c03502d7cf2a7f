/* SPDX-License-Identifier: MIT */
/* secret-input.h — reading a secret from standard input or a no-echo prompt
 * (docs/design.md, "Profiles and kinds").  Secrets never come from argv. */
#ifndef HS_SECRET_INPUT_H
#define HS_SECRET_INPUT_H

#include <glib.h>

#include "core/kind.h"

/* Largest input accepted, in bytes. */
#define HS_SECRET_INPUT_MAX (64 * 1024)

/* Read everything from `fd` (to end of file) into wiped memory and check it:
 * at most HS_SECRET_INPUT_MAX bytes, no NUL byte, valid UTF-8.  Returns a
 * NUL-terminated buffer (transfer full: free with hs_secure_free) and its
 * length in *ret_len, or NULL with HS_ERR_USAGE.  No error quotes input. */
char *hs_secret_read_fd(int fd, gsize *ret_len, GError **error);

/* The checks of hs_secret_read_fd on `len` bytes already in memory: returns
 * a NUL-terminated copy (transfer full: hs_secure_free) or NULL with
 * HS_ERR_USAGE.  The caller still wipes `data`. */
char *hs_secret_check_input(const char *data, gsize len, GError **error);

/* Turn raw input into one token of `kind`: one line (LF or CRLF ending),
 * surrounding blanks removed, not empty, of the kind's shape.  Returns the
 * token (transfer full: hs_secure_free) or NULL with HS_ERR_USAGE. */
char *hs_secret_parse_token(const char *input, gsize len, HsKind kind,
                            GError **error);

/* Read one token of `kind`: from a no-echo prompt saying `prompt` when `fd`
 * is a terminal, else from `fd` to end of file.  (transfer full) */
char *hs_secret_read_token(int fd, HsKind kind, const char *prompt,
                           GError **error);

/* Parse `KEY=VALUE` lines (oauth's input) for exactly the keys in `keys`
 * (NULL-terminated): each must appear once with a non-empty value; blank
 * lines and surrounding blanks are ignored, CRLF is accepted, an unknown key
 * is refused.  Returns the values in the order of `keys` (transfer full:
 * free each with hs_secure_free, then g_free the array), or NULL with
 * HS_ERR_USAGE naming the key, never the value. */
char **hs_secret_parse_pairs(const char *input, gsize len,
                             const char *const *keys, GError **error);

/* Read `keys` as KEY=VALUE lines from `fd`, or by one hidden prompt per key
 * when `fd` is a terminal.  (transfer full, as hs_secret_parse_pairs) */
char **hs_secret_read_pairs(int fd, const char *const *keys, GError **error);

/* Free what hs_secret_parse_pairs returned, wiping each value. */
void hs_secret_strv_free(char **values);

#endif
