/* SPDX-License-Identifier: MIT */
/* store-util.c — the helpers the store plugins share (store-util.h). */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/store-util.h"

void hs_pu_set_msg(char *msg, size_t msg_size, const char *fmt, ...) {
  va_list ap;

  if (msg == NULL || msg_size == 0) return;
  va_start(ap, fmt);
  vsnprintf(msg, msg_size, fmt, ap);
  va_end(ap);
}

int hs_pu_valid_profile(const char *profile) {
  size_t n = strlen(profile);

  if (n == 0 || n > HS_PU_MAX_PROFILE) return 0;
  return strspn(profile,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                "0123456789._-") == n;
}

size_t hs_pu_option_key(const char *opt, const char **ret_value) {
  const char *eq = strchr(opt, '=');

  *ret_value = eq ? eq + 1 : "";
  return eq ? (size_t)(eq - opt) : strlen(opt);
}

int hs_pu_is_key(const char *opt, size_t klen, const char *key) {
  return klen == strlen(key) && strncmp(opt, key, klen) == 0;
}

hs_status hs_pu_unknown_option(const char *opt, size_t klen, const char *known,
                               char *msg, size_t msg_size) {
  hs_pu_set_msg(msg, msg_size, "unknown option '%.*s'; this store knows %s",
                (int)(klen > 64 ? 64 : klen), opt, known);
  return HS_ERROR;
}

hs_status hs_pu_check_abi(uint32_t host_abi_version, char *msg,
                          size_t msg_size) {
  if (HS_PLUGIN_ABI_VERSION_MAJOR(host_abi_version) == HS_PLUGIN_ABI_MAJOR)
    return HS_OK;
  hs_pu_set_msg(msg, msg_size, "host speaks plugin ABI %u, this plugin %u",
                HS_PLUGIN_ABI_VERSION_MAJOR(host_abi_version),
                (unsigned)HS_PLUGIN_ABI_MAJOR);
  return HS_ERROR;
}

int hs_pu_parse_payload(char *payload, size_t len, const char *magic,
                        hs_entry *entry, char *kind, char *hub_id) {
  char *p = payload, *end = payload + len, *nl;
  size_t mlen = strlen(magic);

  if (len < mlen || memcmp(p, magic, mlen) != 0) return -1;
  p += mlen;
  kind[0] = hub_id[0] = '\0';
  while (p < end && *p != '\n') {
    nl = memchr(p, '\n', (size_t)(end - p));
    if (nl == NULL) return -1;
    *nl = '\0';
    if (strncmp(p, "kind=", 5) == 0 && strlen(p + 5) < HS_PU_MAX_FIELD)
      strcpy(kind, p + 5);
    else if (strncmp(p, "hub_id=", 7) == 0 && strlen(p + 7) < HS_PU_MAX_FIELD)
      strcpy(hub_id, p + 7);
    else if (strncmp(p, "version=", 8) == 0)
      entry->version = (uint32_t)strtoul(p + 8, NULL, 10);
    p = nl + 1;
  }
  if (p >= end || kind[0] == '\0') return -1;
  p++; /* the blank line */
  *end = '\0';
  entry->kind = kind;
  entry->hub_id = hub_id[0] ? hub_id : NULL;
  entry->secret = p;
  entry->secret_len = (size_t)(end - p);
  return 0;
}

int hs_pu_hand_over(hs_entry *entry, int with_secret, hs_entry_fn fn,
                    void *user_data) {
  if (!with_secret) {
    entry->secret = NULL;
    entry->secret_len = 0;
  }
  return fn(entry, user_data);
}
