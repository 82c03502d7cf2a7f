/* SPDX-License-Identifier: MIT */
/* cache-entry.h — a cached access token as the kernel keyring holds it:
 * the "user" key "hs-exec:PROFILE" in the user keyring (@u), whose payload
 * is a few text lines (not JSON, so that reading one needs the C library
 * and keyutils only: the cached run of hs-exec reads it before anything
 * else is loaded):
 *
 *   hs-exec-cache 1
 *   expires_at=UNIX-SECONDS
 *   hub_id=DIGITS-OR-EMPTY
 *   access_token=TOKEN
 *
 * Writing the key (its timeout and permissions) is hubspot/cache.h's. */
#ifndef HS_BASE_CACHE_ENTRY_H
#define HS_BASE_CACHE_ENTRY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <keyutils.h>

#define HS_CACHE_ENTRY_PREFIX "hs-exec:"

/* The seconds a cached token must still have left for hs-exec to hand it
 * out without a refresh, unless --min-ttl says otherwise. */
#define HS_CACHE_ENTRY_MIN_TTL 300

typedef struct {
  char *access_token; /* SECRET */
  int64_t expires_at; /* unix seconds */
  char *hub_id;       /* or NULL */
} HsCacheEntry;

/* The payload for these fields (transfer full: wipe and free), its length
 * in *ret_len; NULL when a field has a newline or memory runs out. */
char *hs_cache_entry_encode(const char *access_token, int64_t expires_at,
                            const char *hub_id, size_t *ret_len);

/* Parse `len` bytes of payload into `entry`; false (and `entry` empty)
 * when it is not one this version wrote. */
bool hs_cache_entry_decode(const char *payload, size_t len,
                           HsCacheEntry *entry);

/* The key of `profile`'s entry in @u, from any kind of session, or -1
 * (ENOKEY, EKEYEXPIRED, EKEYREVOKED, EACCES, ENOSYS, EPERM: all "none"). */
key_serial_t hs_cache_entry_find(const char *profile);

/* Read and parse `profile`'s entry; false when there is none or it cannot
 * be read.  The payload read is wiped. */
bool hs_cache_entry_read(const char *profile, HsCacheEntry *entry);

/* Wipe and free the fields of `entry`, which becomes empty. */
void hs_cache_entry_clear(HsCacheEntry *entry);

#endif
