/* SPDX-License-Identifier: MIT */
/* kv-json.h — the little JSON the vault store reads (Vault's answers) and
 * writes (its requests), over the caller's buffer: no allocation, so a
 * secret is only ever where the caller can wipe it.  Every function takes
 * the end of the buffer and reads nothing past it; the input need not be
 * NUL-terminated.  Keys are compared as written (no escapes in ours). */
#ifndef HS_VAULT_KV_JSON_H
#define HS_VAULT_KV_JSON_H

#include <stddef.h>

/* p past any JSON white space, at most end. */
const char *kvj_ws(const char *p, const char *end);

/* Past the string whose '"' is at p; NULL when it does not end. */
const char *kvj_skip_string(const char *p, const char *end);

/* The value of member `key` of the object at p (after white space), or
 * NULL: not an object, no such member, or malformed before it. */
const char *kvj_member(const char *p, const char *end, const char *key);

/* kvj_member along a NULL-terminated path of keys; NULL as it. */
const char *kvj_find(const char *p, const char *end, const char *const *path);

/* Decode the JSON string at p (may be NULL) into out, cap bytes, NUL-
 * terminated: its length, or -1 when p is not a string, it holds a
 * control character or \u0000, or it does not fit. */
long kvj_string(const char *p, const char *end, char *out, size_t cap);

/* Append s (len bytes) as a JSON string to out (cap bytes) at *n and NUL-
 * terminate it: 0, or -1 when it does not fit (what follows the old *n is
 * then unspecified; the caller gives up on out). */
int kvj_append_string(char *out, size_t cap, size_t *n, const char *s,
                      size_t len);

#endif
