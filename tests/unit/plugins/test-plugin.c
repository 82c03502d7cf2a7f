/* SPDX-License-Identifier: MIT */
/* test-plugin.c — a store plugin for check-plugin.  Its build flags choose
 * one way to break the ABI (TEST_WRONG_MAJOR, TEST_NO_SYMBOL, ...) or an
 * older ABI to speak (TEST_ABI_1_0, TEST_ABI_1_1); at run time
 * $TEST_PLUGIN_MODE chooses how its hooks misbehave, to test what the loader
 * does about it.
 *
 * Without flags or mode it is a valid 1.2 store holding one profile,
 * "known", whose record is $TEST_PLUGIN_RECORD ("{}" when unset).  Its one
 * option, holds=NAME, names that profile instead; any other key makes
 * open() fail with HS_ERROR, as the ABI asks. */
#include "config.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "hs-plugin.h"

enum { H_OPEN, H_LOOKUP, H_STORE, H_REMOVE, H_LIST, H_PROBE, N_HOOKS };
static const char *const hook_name[N_HOOKS] = {"open",   "lookup", "store",
                                               "remove", "list",   "probe"};

/* Calls so far, per hook.  Mutable static data, which a real plugin must
 * not have: each test loads a copy of its own. */
static int calls[N_HOOKS];

/* The profile it holds: "known", or its holds= option. */
static char held[65] = "known";

/* What open() gives, so that probe() can tell it from "open() failed". */
static const char handle_marker = 'h';

static int mode_is(const char *mode) {
  const char *want = getenv("TEST_PLUGIN_MODE");

  return want != NULL && strcmp(want, mode) == 0;
}

/* What every hook does first: refuse a msg the host did not clear, count
 * the call, and act out the mode:
 *   fill                 fill msg to its last byte, no NUL; HS_ERROR
 *   tryagain-once        "HOOK attempt N"; HS_TRYAGAIN, then HS_OK
 *   tryagain-always      "HOOK attempt N"; HS_TRYAGAIN
 *   bad-status           a status the ABI does not define
 *   deliver-then-tryagain  (lookup, list) an entry, then HS_TRYAGAIN
 *   open-fails           (open) HS_UNAVAIL
 *   secrets-refused      (list) HS_ERROR when asked for HS_LIST_SECRETS
 * Returns the status to answer, or -1 to go on as a good store. */
static int misbehave(int hook, char *msg, size_t msg_size) {
  int n = ++calls[hook];

  if (msg[0] != '\0') {
    snprintf(msg, msg_size, "%s: msg was not cleared", hook_name[hook]);
    return HS_ERROR;
  }
  if (mode_is("fill")) {
    memset(msg, 'x', msg_size);
    return HS_ERROR;
  }
  if (mode_is("tryagain-once") || mode_is("tryagain-always")) {
    snprintf(msg, msg_size, "%s attempt %d", hook_name[hook], n);
    return mode_is("tryagain-always") || n == 1 ? HS_TRYAGAIN : HS_OK;
  }
  if (mode_is("bad-status")) return 42;
  return -1;
}

static void known_entry(hs_entry *entry, int with_secret) {
  const char *record = getenv("TEST_PLUGIN_RECORD");

  memset(entry, 0, sizeof *entry);
  entry->profile = held;
  /* "kind-in-secret": as a store that can read the kind only along with
   * the secret, which the ABI does not allow. */
  entry->kind =
      with_secret || !mode_is("kind-in-secret") ? "private-app" : "unknown";
  entry->version = 1;
  if (with_secret) {
    entry->secret = record ? record : "{}";
    entry->secret_len = strlen(entry->secret);
  }
}

static hs_status t_open(uint32_t host, const char *const *options,
                        void **ret_handle, char *msg, size_t msg_size) {
  int status = misbehave(H_OPEN, msg, msg_size);

  (void)host;
  if (status != -1 && status != HS_OK) return (hs_status)status;
  for (const char *const *o = options; o != NULL && *o != NULL; o++) {
    if (strncmp(*o, "holds=", 6) != 0) {
      snprintf(msg, msg_size, "unknown option '%.*s'", (int)strcspn(*o, "="),
               *o);
      return HS_ERROR;
    }
    snprintf(held, sizeof held, "%s", *o + 6);
  }
  if (mode_is("open-fails")) {
    snprintf(msg, msg_size, "the test store is closed");
    return HS_UNAVAIL;
  }
  *ret_handle = (void *)&handle_marker;
  return HS_OK;
}

static void t_close(void *handle) { (void)handle; }

static hs_status t_lookup(void *handle, const char *profile, hs_entry_fn fn,
                          void *user_data, char *msg, size_t msg_size) {
  int status = misbehave(H_LOOKUP, msg, msg_size);
  hs_entry entry;

  (void)handle;
  if (status != -1) return (hs_status)status;
  if (strcmp(profile, held) != 0) return HS_NOTFOUND;
  known_entry(&entry, 1);
  fn(&entry, user_data);
  return mode_is("deliver-then-tryagain") ? HS_TRYAGAIN : HS_OK;
}

static hs_status t_store(void *handle, const hs_entry *entry, char *msg,
                         size_t msg_size) {
  int status = misbehave(H_STORE, msg, msg_size);

  (void)handle, (void)entry;
  if (status != -1) return (hs_status)status;
  snprintf(msg, msg_size, "read-only test store");
  return HS_ERROR;
}

__attribute__((unused)) static hs_status t_remove(void *handle,
                                                  const char *profile,
                                                  char *msg, size_t msg_size) {
  int status = misbehave(H_REMOVE, msg, msg_size);

  (void)handle, (void)profile;
  if (status != -1) return (hs_status)status;
  return HS_NOTFOUND;
}

static hs_status t_list(void *handle, unsigned int flags, hs_entry_fn fn,
                        void *user_data, char *msg, size_t msg_size) {
  int status = misbehave(H_LIST, msg, msg_size);
  hs_entry entry;

  (void)handle;
  if (status != -1) return (hs_status)status;
  /* For the host's metadata-only listing: secrets asked for are an error. */
  if (mode_is("secrets-refused") && (flags & HS_LIST_SECRETS) != 0) {
    snprintf(msg, msg_size, "list was asked for the secrets");
    return HS_ERROR;
  }
  known_entry(&entry, (flags & HS_LIST_SECRETS) != 0);
  fn(&entry, user_data);
  return mode_is("deliver-then-tryagain") ? HS_TRYAGAIN : HS_OK;
}

/* Leaves the lifetime in $TEST_PLUGIN_STORE_UNTIL (which a real plugin
 * must not touch), for a test to see that it was called and with what. */
static hs_status t_store_until(void *handle, const hs_entry *entry,
                               int64_t expires_at, char *msg, size_t msg_size) {
  char value[32];

  (void)handle, (void)entry, (void)msg, (void)msg_size;
  snprintf(value, sizeof value, "%lld", (long long)expires_at);
  setenv("TEST_PLUGIN_STORE_UNTIL", value, 1);
  return HS_OK;
}

/* Leaves TEST_PLUGIN_PROBED=1 in the environment (which a real plugin must
 * not touch), for a test to see that it was called. */
static hs_status t_probe(void *handle, hs_probe *report, char *msg,
                         size_t msg_size) {
  int status;

  setenv("TEST_PLUGIN_PROBED", "1", 1);
  if (report->fix[0] != '\0' || report->note[0] != '\0') {
    snprintf(msg, msg_size, "probe: fix or note was not cleared");
    return HS_ERROR;
  }
  status = misbehave(H_PROBE, msg, msg_size);
  if (mode_is("fill")) {
    memset(report->fix, 'x', report->fix_size);
    memset(report->note, 'x', report->note_size);
    report->state = HS_STATE_LOCKED;
    return HS_OK;
  }
  if (status != -1 && status != HS_OK) return (hs_status)status;
  if (handle == NULL) {
    snprintf(msg, msg_size, "the test store did not open");
    snprintf(report->fix, report->fix_size, "open the test store");
    report->state = HS_STATE_UNAVAILABLE;
    return HS_OK;
  }
  snprintf(report->note, report->note_size, "a test store");
  report->state = HS_STATE_AVAILABLE;
  return HS_OK;
}

#if defined(TEST_WRONG_MAJOR)
#define ABI ((uint32_t)((HS_PLUGIN_ABI_MAJOR + 1) << 16))
#elif defined(TEST_NEWER_MINOR)
#define ABI \
  ((uint32_t)((HS_PLUGIN_ABI_MAJOR << 16) | (HS_PLUGIN_ABI_MINOR + 1)))
#elif defined(TEST_ABI_1_0)
#define ABI ((uint32_t)(1 << 16))
#elif defined(TEST_ABI_1_1)
#define ABI ((uint32_t)((1 << 16) | 1))
#else
#define ABI HS_PLUGIN_ABI_VERSION
#endif

#if defined(TEST_SHORT_STRUCT)
#define SIZE ((uint32_t)offsetof(struct hs_plugin_v1, remove))
#elif defined(TEST_NEWER_MINOR)
#define SIZE ((uint32_t)sizeof(struct hs_plugin_v1) + 16)
#elif defined(TEST_ABI_1_0)
/* What sizeof gave with the 1.0 header: the table ended after list(). */
#define SIZE ((uint32_t)offsetof(struct hs_plugin_v1, probe))
#elif defined(TEST_ABI_1_1)
/* What sizeof gave with the 1.1 header: the table ended after probe(). */
#define SIZE ((uint32_t)offsetof(struct hs_plugin_v1, store_until))
#else
#define SIZE ((uint32_t)sizeof(struct hs_plugin_v1))
#endif

#ifdef TEST_NO_SYMBOL
const struct hs_plugin_v1 hs_plugin_v0 =
#else
const struct hs_plugin_v1 hs_plugin_v1 =
#endif
    {
        .abi_version = ABI,
        .struct_size = SIZE,
        .name = "test",
        .open = t_open,
        .close = t_close,
        .lookup = t_lookup,
        .store = t_store,
#ifndef TEST_NULL_FUNCTION
        .remove = t_remove,
#endif
        .list = t_list,
        /* Set even in the 1.0 variant, whose struct_size ends before it: in a
         * real 1.0 plugin whatever follows its table sits here, and the host
         * must not take it for a hook. */
        .probe = t_probe,
        /* Likewise past the end of the 1.0 and 1.1 variants' tables. */
        .store_until = t_store_until,
    };
