/* SPDX-License-Identifier: MIT */
/* store-util.h — small helpers the store plugins share: the message a hook
 * returns, the profile-name check, option keys, the ABI check of open(),
 * and the
 * "MAGIC, attributes, blank line, record" payload.  Built into each plugin
 * as a convenience library, hidden, so a plugin still exports hs_plugin_v1
 * alone; it uses libc only, never helper/ code.
 */
#ifndef HS_PLUGIN_STORE_UTIL_H
#define HS_PLUGIN_STORE_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "hs-plugin.h"

#define HS_PU_API __attribute__((visibility("hidden")))

/* The longest profile name, as the host's. */
#define HS_PU_MAX_PROFILE 64
/* The room for one attribute value of a payload, its NUL included. */
#define HS_PU_MAX_FIELD 128

/* Format into `msg` (msg_size bytes); nothing when msg is NULL or empty. */
HS_PU_API void hs_pu_set_msg(char *msg, size_t msg_size, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* 1-64 of [A-Za-z0-9._-], as the host's profile names are. */
HS_PU_API int hs_pu_valid_profile(const char *profile);

/* Split option `opt` ("KEY=VALUE", or "KEY" for an empty value): the
 * length of KEY, with *ret_value pointing at VALUE. */
HS_PU_API size_t hs_pu_option_key(const char *opt, const char **ret_value);

/* 1 when the KEY of `opt`, `klen` bytes, is `key`. */
HS_PU_API int hs_pu_is_key(const char *opt, size_t klen, const char *key);

/* HS_ERROR, saying "unknown option 'KEY'; this store knows KNOWN". */
HS_PU_API hs_status hs_pu_unknown_option(const char *opt, size_t klen,
                                         const char *known, char *msg,
                                         size_t msg_size);

/* HS_OK when the host speaks this plugin's ABI major, else HS_ERROR with a
 * message. */
HS_PU_API hs_status hs_pu_check_abi(uint32_t host_abi_version, char *msg,
                                    size_t msg_size);

/* Split a payload (`len` bytes in a buffer of at least len + 1) of `magic`,
 * "kind=", "hub_id=" and "version=" lines, a blank line and the record into
 * `entry`; the strings point into `payload`, which is modified (the record
 * is NUL-terminated).  `kind` and `hub_id` have HS_PU_MAX_FIELD bytes.  -1
 * when it is not such a payload. */
HS_PU_API int hs_pu_parse_payload(char *payload, size_t len, const char *magic,
                                  hs_entry *entry, char *kind, char *hub_id);

/* Hand `entry` to `fn`, without its secret unless `with_secret`; what `fn`
 * returns (non-zero: stop). */
HS_PU_API int hs_pu_hand_over(hs_entry *entry, int with_secret, hs_entry_fn fn,
                              void *user_data);

#endif
