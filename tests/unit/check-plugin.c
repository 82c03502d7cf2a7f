/* SPDX-License-Identifier: MIT */
/* check-plugin.c — the plugin loader (docs/design.md, "The plugin ABI";
 * hs-plugin(7)) refuses what it must: another ABI major, a missing symbol,
 * a short table, a missing function, a missing, symlinked, group- or
 * world-writable file.  And it calls every hook the same way: msg cleared
 * before and terminated after, HS_TRYAGAIN retried once, hooks of a later
 * minor version only when the plugin's struct_size covers them.  And a
 * listing of metadata (`hs-token list`) asks no store for a secret. */
#include "config.h"

#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check-common.h"
#include "cmd/commands.h"
#include "core/config.h"
#include "core/error.h"
#include "core/hooks.h"
#include "core/plugin.h"
#include "core/record.h"
#include "core/secure.h"
#include "core/stores.h"

#define PAT "pat-na1-11111111-2222-3333-4444-555555555555"

static char *plugin_dir;

/* Copy test plugin `name` from the build tree into the private plugin
 * directory with `mode`. */
static void install_plugin(const char *name, const char *as, mode_t mode) {
  g_autofree char *src_file = g_strconcat(name, ".so", NULL);
  g_autofree char *dst_file = g_strconcat(as, ".so", NULL);
  g_autofree char *src =
      g_build_filename(getenv("TEST_PLUGIN_DIR"), src_file, NULL);
  g_autofree char *dst = g_build_filename(plugin_dir, dst_file, NULL);
  g_autofree char *data = NULL;
  gsize len;

  ck_assert_msg(g_file_get_contents(src, &data, &len, NULL), "no %s", src);
  ck_assert(g_file_set_contents(dst, data, (gssize)len, NULL));
  ck_assert_int_eq(chmod(dst, mode), 0);
}

static void setup(void) {
  ck_assert_ptr_nonnull(getenv("TEST_PLUGIN_DIR"));
  plugin_dir = g_dir_make_tmp("hs-loader-XXXXXX", NULL);
  ck_assert_ptr_nonnull(plugin_dir);
  /* As a test build does (core/hooks): plugins by name from here. */
  hs_hooks_set(&(HsHooks){.plugin_dir = plugin_dir, .retry_base_ms = -1});
  /* The test plugin's knobs and trace (tests/unit/plugins/test-plugin.c). */
  unsetenv("TEST_PLUGIN_MODE");
  unsetenv("TEST_PLUGIN_PROBED");
  unsetenv("TEST_PLUGIN_RECORD");
}

static void teardown(void) {
  g_autoptr(GDir) dir = g_dir_open(plugin_dir, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name(dir)) != NULL) {
    g_autofree char *path = g_build_filename(plugin_dir, name, NULL);
    g_unlink(path);
  }
  g_rmdir(plugin_dir);
  g_free(plugin_dir);
}

/* Load `name` and expect refusal with `code` and `words` in the message. */
static void expect_refused(const char *name, int code, const char *words) {
  GError *error = NULL;
  HsPlugin *plugin = hs_plugin_load(name, &error);

  ck_assert_msg(plugin == NULL, "%s was loaded", name);
  ck_assert_ptr_nonnull(error);
  ck_assert_msg(strstr(error->message, words) != NULL,
                "message '%s' lacks '%s'", error->message, words);
  hs_assert_error(error, code);
}

/* Install test plugin `variant` as `as`, load and open it. */
static HsPlugin *open_plugin(const char *variant, const char *as) {
  GError *error = NULL;
  HsPlugin *plugin;

  install_plugin(variant, as, 0755);
  plugin = hs_plugin_load(as, &error);
  ck_assert_msg(plugin != NULL, "%s", error ? error->message : "");
  ck_assert_msg(hs_plugin_open(plugin, NULL, &error), "%s",
                error ? error->message : "");
  return plugin;
}

static int count_entry(const hs_entry *entry, void *user_data) {
  (void)entry;
  (*(int *)user_data)++;
  return 0;
}

/* The four store hooks, by number, each with a counting callback. */
enum { LOOKUP, STORE, REMOVE, LIST, N_STORE_HOOKS };
static const char *const hook_name[] = {"lookup", "store", "remove", "list"};

static hs_status call_hook(HsPlugin *plugin, int hook, int *entries, char *msg,
                           size_t msg_size) {
  hs_entry entry = {.profile = "known", .kind = "private-app", .secret = "{}"};

  switch (hook) {
    case LOOKUP:
      return hs_plugin_lookup(plugin, "known", count_entry, entries, msg,
                              msg_size);
    case STORE:
      return hs_plugin_store(plugin, &entry, msg, msg_size);
    case REMOVE:
      return hs_plugin_remove(plugin, "known", msg, msg_size);
    default:
      return hs_plugin_list(plugin, 0, count_entry, entries, msg, msg_size);
  }
}

START_TEST(test_good) {
  GError *error = NULL;
  HsPlugin *plugin;

  install_plugin("good", "good", 0755);
  plugin = hs_plugin_load("good", &error);
  ck_assert_msg(plugin != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(hs_plugin_name(plugin), "test");
  ck_assert(hs_plugin_open(plugin, NULL, &error));
  hs_plugin_free(plugin);
}
END_TEST

START_TEST(test_newer_minor_accepted) {
  GError *error = NULL;
  HsPlugin *plugin;
  char msg[64];
  int entries = 0;

  install_plugin("newer-minor", "newer", 0755);
  plugin = hs_plugin_load("newer", &error);
  ck_assert_msg(plugin != NULL, "%s", error ? error->message : "");
  ck_assert(hs_plugin_open(plugin, NULL, &error));
  ck_assert_int_eq(
      hs_plugin_list(plugin, 0, count_entry, &entries, msg, sizeof msg), HS_OK);
  ck_assert_int_eq(entries, 1);
  hs_plugin_free(plugin);
}
END_TEST

START_TEST(test_wrong_major) {
  install_plugin("wrong-major", "major", 0755);
  expect_refused("major", HS_ERR_UNAVAILABLE, "ABI 2.0");
}
END_TEST

START_TEST(test_no_symbol) {
  install_plugin("no-symbol", "nosym", 0755);
  expect_refused("nosym", HS_ERR_UNAVAILABLE, "does not export hs_plugin_v1");
}
END_TEST

START_TEST(test_short_struct) {
  install_plugin("short-struct", "short", 0755);
  expect_refused("short", HS_ERR_UNAVAILABLE, "shorter than ABI 1.0");
}
END_TEST

START_TEST(test_null_function) {
  install_plugin("null-function", "nullfn", 0755);
  expect_refused("nullfn", HS_ERR_UNAVAILABLE, "lacks one of");
}
END_TEST

START_TEST(test_missing_file) {
  expect_refused("absent", HS_ERR_CONFIG, "no store plugin named 'absent' in ");
  expect_refused("absent", HS_ERR_CONFIG, "(installed: none)");
}
END_TEST

/* A misspelled name is told which names would do. */
START_TEST(test_missing_lists_installed) {
  g_auto(GStrv) names = NULL;

  install_plugin("good", "zeta", 0755);
  install_plugin("good", "alpha", 0755);
  names = hs_plugin_installed();
  ck_assert_uint_eq(g_strv_length(names), 2);
  ck_assert_str_eq(names[0], "alpha");
  ck_assert_str_eq(names[1], "zeta");
  expect_refused("alfa", HS_ERR_CONFIG, "(installed: alpha, zeta)");
}
END_TEST

START_TEST(test_world_writable) {
  install_plugin("good", "loose", 0757);
  expect_refused("loose", HS_ERR_UNAVAILABLE, "writable by group or others");
}
END_TEST

START_TEST(test_group_writable) {
  install_plugin("good", "loose", 0775);
  expect_refused("loose", HS_ERR_UNAVAILABLE, "writable by group or others");
}
END_TEST

START_TEST(test_symlink) {
  g_autofree char *target = g_build_filename(plugin_dir, "good.so", NULL);
  g_autofree char *link = g_build_filename(plugin_dir, "linked.so", NULL);

  install_plugin("good", "good", 0755);
  ck_assert_int_eq(symlink(target, link), 0);
  expect_refused("linked", HS_ERR_UNAVAILABLE, "symbolic link");
}
END_TEST

START_TEST(test_not_a_plugin) {
  g_autofree char *path = g_build_filename(plugin_dir, "junk.so", NULL);

  ck_assert(g_file_set_contents(path, "not an ELF file", -1, NULL));
  ck_assert_int_eq(chmod(path, 0644), 0);
  expect_refused("junk", HS_ERR_UNAVAILABLE, "cannot be loaded");
}
END_TEST

START_TEST(test_name_with_slash) {
  expect_refused("../good", HS_ERR_CONFIG, "is not a store name");
}
END_TEST

START_TEST(test_absolute_path) {
  GError *error = NULL;
  g_autofree char *path = g_build_filename(plugin_dir, "good.so", NULL);
  HsPlugin *plugin;

  install_plugin("good", "good", 0755);
  plugin = hs_plugin_load(path, &error);
  ck_assert_msg(plugin != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(hs_plugin_path(plugin), path);
  hs_plugin_free(plugin);
}
END_TEST

/* Two plugins loaded one after the other in one process are two plugins,
 * even though each was opened through a /proc/self/fd path. */
START_TEST(test_two_plugins_stay_distinct) {
  GError *error = NULL;
  HsPlugin *a, *b;

  install_plugin("good", "first", 0755);
  install_plugin("newer-minor", "second", 0755);
  a = hs_plugin_load("first", &error);
  ck_assert_msg(a != NULL, "%s", error ? error->message : "");
  b = hs_plugin_load("second", &error);
  ck_assert_msg(b != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq(hs_plugin_abi_version(a), HS_PLUGIN_ABI_VERSION);
  ck_assert_uint_eq(hs_plugin_abi_version(b), HS_PLUGIN_ABI_VERSION + 1);
  hs_plugin_free(a);
  hs_plugin_free(b);
}
END_TEST

/* A plugin that fills every buffer to its last byte, with no NUL: the host
 * reads one line, cut to fit.  The plugin refuses a buffer the host did not
 * clear, so "x…x" also shows the host cleared the junk put there. */
START_TEST(test_msg_cleared_and_terminated) {
  HsPlugin *plugin = open_plugin("good", "fill");
  HsPlugin *closed;
  HsPluginReport report;
  GError *error = NULL;
  char msg[32], all_x[32];

  memset(all_x, 'x', sizeof all_x - 1);
  all_x[sizeof all_x - 1] = '\0';
  setenv("TEST_PLUGIN_MODE", "fill", 1);
  for (int hook = 0; hook < N_STORE_HOOKS; hook++) {
    int entries = 0;

    memset(msg, 'j', sizeof msg);
    ck_assert_int_eq(call_hook(plugin, hook, &entries, msg, sizeof msg),
                     HS_ERROR);
    ck_assert_msg(strcmp(msg, all_x) == 0, "%s: msg '%.*s'", hook_name[hook],
                  (int)sizeof msg, msg);
  }

  memset(&report, 'j', sizeof report);
  ck_assert(hs_plugin_probe(plugin, &report));
  ck_assert_int_eq(report.state, HS_STATE_LOCKED);
  ck_assert_uint_eq(strlen(report.why), sizeof report.why - 1);
  ck_assert_uint_eq(strlen(report.fix), sizeof report.fix - 1);
  ck_assert_uint_eq(strlen(report.note), sizeof report.note - 1);
  ck_assert_uint_eq(strspn(report.fix, "x"), sizeof report.fix - 1);
  hs_plugin_free(plugin);

  install_plugin("good", "fill-open", 0755);
  closed = hs_plugin_load("fill-open", &error);
  ck_assert_ptr_nonnull(closed);
  ck_assert(!hs_plugin_open(closed, NULL, &error));
  ck_assert_msg(g_str_has_prefix(error->message, "store test is unavailable: "),
                "%s", error->message);
  ck_assert_uint_eq(strspn(error->message + strlen("store test is "
                                                   "unavailable: "),
                           "x"),
                    HS_PLUGIN_MSG_SIZE - 1);
  hs_assert_error(error, HS_ERR_UNAVAILABLE);
  hs_plugin_free(closed);
}
END_TEST

/* HS_TRYAGAIN gets one more call, at once, from every hook; a second
 * HS_TRYAGAIN is the answer. */
START_TEST(test_tryagain_once_for_every_hook) {
  GError *error = NULL;
  HsPluginReport report;
  HsPlugin *plugin, *closed;
  char msg[64], want[64];

  /* Answers HS_TRYAGAIN the first time only: every hook succeeds. */
  setenv("TEST_PLUGIN_MODE", "tryagain-once", 1);
  plugin = open_plugin("good", "once");
  for (int hook = 0; hook < N_STORE_HOOKS; hook++) {
    int entries = 0;

    ck_assert_int_eq(call_hook(plugin, hook, &entries, msg, sizeof msg), HS_OK);
    g_snprintf(want, sizeof want, "%s attempt 2", hook_name[hook]);
    ck_assert_str_eq(msg, want);
  }
  ck_assert(hs_plugin_probe(plugin, &report));
  ck_assert_int_eq(report.state, HS_STATE_AVAILABLE);
  ck_assert_str_eq(report.why, "probe attempt 2");
  hs_plugin_free(plugin);

  /* Answers HS_TRYAGAIN every time: two calls, then HS_TRYAGAIN. */
  setenv("TEST_PLUGIN_MODE", "tryagain-always", 1);
  install_plugin("good", "never", 0755);
  closed = hs_plugin_load("never", &error);
  ck_assert_ptr_nonnull(closed);
  ck_assert(!hs_plugin_open(closed, NULL, &error));
  ck_assert_msg(g_str_has_suffix(error->message, ": open attempt 2"), "%s",
                error->message);
  hs_assert_error(error, HS_ERR_UNAVAILABLE);
  hs_plugin_free(closed);

  unsetenv("TEST_PLUGIN_MODE");
  plugin = open_plugin("good", "always");
  setenv("TEST_PLUGIN_MODE", "tryagain-always", 1);
  for (int hook = 0; hook < N_STORE_HOOKS; hook++) {
    int entries = 0;

    ck_assert_int_eq(call_hook(plugin, hook, &entries, msg, sizeof msg),
                     HS_TRYAGAIN);
    g_snprintf(want, sizeof want, "%s attempt 2", hook_name[hook]);
    ck_assert_str_eq(msg, want);
  }
  ck_assert(hs_plugin_probe(plugin, &report));
  ck_assert_int_eq(report.state, HS_STATE_UNAVAILABLE);
  ck_assert_str_eq(report.why, "probe attempt 2");
  hs_plugin_free(plugin);
}
END_TEST

/* Entries already handed out are not handed out again by a retry. */
START_TEST(test_no_retry_after_entries) {
  HsPlugin *plugin = open_plugin("good", "deliver");
  char msg[64];

  setenv("TEST_PLUGIN_MODE", "deliver-then-tryagain", 1);
  for (int hook = LOOKUP; hook < N_STORE_HOOKS; hook += LIST - LOOKUP) {
    int entries = 0;

    ck_assert_int_eq(call_hook(plugin, hook, &entries, msg, sizeof msg),
                     HS_TRYAGAIN);
    ck_assert_msg(entries == 1, "%s: %d entries", hook_name[hook], entries);
  }
  hs_plugin_free(plugin);
}
END_TEST

START_TEST(test_undefined_status_is_an_error) {
  HsPlugin *plugin = open_plugin("good", "bad");
  char msg[128];

  setenv("TEST_PLUGIN_MODE", "bad-status", 1);
  for (int hook = 0; hook < N_STORE_HOOKS; hook++) {
    int entries = 0;

    ck_assert_int_eq(call_hook(plugin, hook, &entries, msg, sizeof msg),
                     HS_ERROR);
    ck_assert_msg(strstr(msg, "status 42") != NULL, "%s", msg);
  }
  hs_plugin_free(plugin);
}
END_TEST

/* A 1.1 plugin is asked how it is doing. */
START_TEST(test_probe) {
  HsPlugin *plugin = open_plugin("good", "probed");
  HsPluginReport report;

  ck_assert(hs_plugin_probe(plugin, &report));
  ck_assert_int_eq(report.state, HS_STATE_AVAILABLE);
  ck_assert_str_eq(report.note, "a test store");
  ck_assert_str_eq(g_getenv("TEST_PLUGIN_PROBED"), "1");
  hs_plugin_free(plugin);
}
END_TEST

/* Also when open() failed: with a NULL handle, and the store chain keeps
 * what open() said as the reason and takes the fix from the probe. */
typedef struct {
  HsStoreState state;
  char *why, *fix, *note;
  int profiles;
  int calls;
} Status;

static void take_status(const HsStoreStatus *st, void *user_data) {
  Status *out = user_data;

  out->calls++;
  out->state = st->state;
  out->why = g_strdup(st->why);
  out->fix = g_strdup(st->fix);
  out->note = g_strdup(st->note);
  out->profiles = st->profiles;
}

static void status_clear(Status *st) {
  g_free(st->why);
  g_free(st->fix);
  g_free(st->note);
}

/* The stores of an hs-exec.conf with `order`. */
static HsStores *open_stores(const char *order) {
  g_autofree char *conf = g_build_filename(plugin_dir, "hs-exec.conf", NULL);
  g_autofree char *text = g_strdup_printf("[stores]\norder=%s\n", order);
  const char *files[] = {conf, NULL};
  g_autoptr(HsConfig) config = NULL;
  GError *error = NULL;
  HsStores *stores;

  ck_assert(g_file_set_contents(conf, text, -1, NULL));
  config = hs_config_load_files(files, &error);
  ck_assert_msg(config != NULL, "%s", error ? error->message : "");
  stores = hs_stores_open(config, &error);
  ck_assert_msg(stores != NULL, "%s", error ? error->message : "");
  return stores;
}

START_TEST(test_probe_after_failed_open) {
  GError *error = NULL;
  HsPluginReport report;
  HsStores *stores;
  HsPlugin *plugin;
  Status st = {0};

  install_plugin("good", "shut", 0755);
  plugin = hs_plugin_load("shut", &error);
  ck_assert_ptr_nonnull(plugin);
  setenv("TEST_PLUGIN_MODE", "open-fails", 1);
  ck_assert(!hs_plugin_open(plugin, NULL, &error));
  hs_assert_error(error, HS_ERR_UNAVAILABLE);
  ck_assert(!hs_plugin_is_open(plugin));
  ck_assert(hs_plugin_probe(plugin, &report));
  ck_assert_int_eq(report.state, HS_STATE_UNAVAILABLE);
  ck_assert_str_eq(report.why, "the test store did not open");
  ck_assert_str_eq(report.fix, "open the test store");
  hs_plugin_free(plugin);

  stores = open_stores("shut");
  hs_stores_status(stores, take_status, &st);
  ck_assert_int_eq(st.calls, 1);
  ck_assert_int_eq(st.state, HS_STORE_UNAVAILABLE);
  ck_assert_str_eq(st.why,
                   "store test is unavailable: the test store is closed");
  ck_assert_str_eq(st.fix, "open the test store");
  status_clear(&st);
  hs_stores_free(stores);
}
END_TEST

/* A 1.2 plugin's store_until is called with the lifetime; a plugin whose
 * table ends before it (1.1, 1.0) cannot take one, and the hook that sits
 * past its table is never called. */
START_TEST(test_store_until) {
  static const char *const no_hook[] = {"abi-1-1", "abi-1-0"};
  HsPlugin *plugin = open_plugin("good", "expiring");
  hs_entry entry = {.profile = "known", .kind = "private-app", .secret = "{}"};
  char msg[64];

  entry.secret_len = 2;
  unsetenv("TEST_PLUGIN_STORE_UNTIL");
  ck_assert(hs_plugin_can_expire(plugin));
  ck_assert_int_eq(
      hs_plugin_store_until(plugin, &entry, 4102444800, msg, sizeof msg),
      HS_OK);
  ck_assert_str_eq(g_getenv("TEST_PLUGIN_STORE_UNTIL"), "4102444800");
  hs_plugin_free(plugin);
  unsetenv("TEST_PLUGIN_STORE_UNTIL");
  for (gsize i = 0; i < G_N_ELEMENTS(no_hook); i++) {
    plugin = open_plugin(no_hook[i], no_hook[i]);
    ck_assert(!hs_plugin_can_expire(plugin));
    ck_assert_int_eq(
        hs_plugin_store_until(plugin, &entry, 4102444800, msg, sizeof msg),
        HS_ERROR);
    ck_assert_msg(strstr(msg, "lifetime") != NULL, "%s", msg);
    ck_assert_ptr_null(g_getenv("TEST_PLUGIN_STORE_UNTIL"));
    hs_plugin_free(plugin);
  }
}
END_TEST

/* A plugin built against the 1.0 header loads and works, and its table is
 * read no further than its struct_size: the pointer that sits where probe
 * now is is never called. */
START_TEST(test_abi_1_0_plugin) {
  HsPlugin *plugin = open_plugin("abi-1-0", "old");
  HsRecord *want = hs_record_new("known", HS_KIND_PRIVATE_APP);
  g_autoptr(HsRecord) got = NULL;
  hs_autosecret json = NULL;
  HsPluginReport report;
  GError *error = NULL;
  HsStores *stores;
  Status st = {0};
  char msg[64];
  int entries = 0;

  ck_assert_uint_eq(hs_plugin_abi_version(plugin), 1U << 16);
  ck_assert_int_eq(
      hs_plugin_lookup(plugin, "known", count_entry, &entries, msg, sizeof msg),
      HS_OK);
  ck_assert_int_eq(entries, 1);
  ck_assert_int_eq(
      hs_plugin_lookup(plugin, "other", count_entry, &entries, msg, sizeof msg),
      HS_NOTFOUND);
  ck_assert_int_eq(
      hs_plugin_list(plugin, 0, count_entry, &entries, msg, sizeof msg), HS_OK);
  ck_assert_int_eq(entries, 2);
  report.state = (hs_state)-1;
  ck_assert(!hs_plugin_probe(plugin, &report));
  ck_assert_int_eq(report.state, (hs_state)-1);
  hs_plugin_free(plugin);

  /* Through the store chain, as hs-exec and doctor use it. */
  want->token = g_strdup(PAT);
  json = hs_record_to_json(want, NULL);
  hs_record_free(want);
  setenv("TEST_PLUGIN_RECORD", json, 1);
  stores = open_stores("old");
  got = hs_stores_lookup(stores, "known", NULL, &error);
  ck_assert_msg(got != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(got->token, PAT);
  hs_stores_status(stores, take_status, &st);
  ck_assert_int_eq(st.state, HS_STORE_AVAILABLE);
  ck_assert_int_eq(st.profiles, 1);
  ck_assert_ptr_null(st.note);
  status_clear(&st);
  hs_stores_free(stores);
  unsetenv("TEST_PLUGIN_RECORD");

  ck_assert_ptr_null(g_getenv("TEST_PLUGIN_PROBED"));
}
END_TEST

static void take_entry(const HsStoresEntry *entry, void *user_data) {
  GString *seen = user_data;
  g_string_append_printf(seen, "%s %s %s %s;", entry->profile,
                         hs_kind_name(entry->kind),
                         entry->hub_id ? entry->hub_id : "-", entry->store);
}

static void take_record(const HsRecord *record, const char *store,
                        void *user_data) {
  (void)store;
  (*(int *)user_data)++;
  (void)record;
}

/* Listing metadata asks no store for a secret: the store refuses to give
 * them here, and the attributes still come through. */
START_TEST(test_list_entries_without_secrets) {
  g_autoptr(GString) seen = g_string_new(NULL);
  g_autoptr(GPtrArray) warnings = NULL;
  GError *error = NULL;
  HsStores *stores;
  int records = 0;

  install_plugin("good", "good", 0755);
  setenv("TEST_PLUGIN_MODE", "secrets-refused", 1);
  stores = open_stores("good");
  ck_assert_msg(
      hs_stores_list_entries(stores, take_entry, seen, &warnings, &error), "%s",
      error ? error->message : "");
  ck_assert_str_eq(seen->str, "known private-app - test;");
  ck_assert_uint_eq(warnings->len, 0);
  /* The records need the secrets, which this store will not give. */
  ck_assert(!hs_stores_list(stores, take_record, &records, NULL, &error));
  hs_assert_error(error, HS_ERR_UNAVAILABLE);
  ck_assert_int_eq(records, 0);
  hs_stores_free(stores);
}
END_TEST

/* A store that cannot give the kind without the secret: its entry is
 * skipped with a warning that names the store, never silently. */
START_TEST(test_list_entries_warn_on_unread_kind) {
  g_autoptr(GString) seen = g_string_new(NULL);
  g_autoptr(GPtrArray) warnings = NULL;
  GError *error = NULL;
  HsStores *stores;
  const char *warning;

  install_plugin("good", "good", 0755);
  setenv("TEST_PLUGIN_MODE", "kind-in-secret", 1);
  stores = open_stores("good");
  ck_assert_msg(
      hs_stores_list_entries(stores, take_entry, seen, &warnings, &error), "%s",
      error ? error->message : "");
  ck_assert_str_eq(seen->str, "");
  ck_assert_uint_eq(warnings->len, 1);
  warning = g_ptr_array_index(warnings, 0);
  ck_assert_msg(strstr(warning, "store test:") && strstr(warning, "skipped"),
                "warning: %s", warning);
  hs_stores_free(stores);
}
END_TEST

/* The same through `hs-token list` itself, with the store configured by
 * its path in the user's hs-exec.conf: the command prints the profile;
 * only --long, which shows what the record holds, asks for secrets. */
START_TEST(test_list_command_asks_no_secret) {
  g_autofree char *conf_dir =
      g_build_filename(g_get_user_config_dir(), "hs-exec", NULL);
  g_autofree char *conf = g_build_filename(conf_dir, "hs-exec.conf", NULL);
  g_autofree char *text = NULL;
  g_autofree char *out_path = g_build_filename(plugin_dir, "stdout", NULL);
  g_autofree char *printed = NULL;
  char *argv_short[] = {"list", NULL};
  char *argv_long[] = {"list", "--long", NULL};
  char **argv = argv_short;
  int argc = 1, saved, fd;
  GError *error = NULL;
  gboolean ok;

  install_plugin("good", "good", 0755);
  text = g_strdup_printf("[stores]\norder=%s/good.so\n", plugin_dir);
  ck_assert_int_eq(g_mkdir_with_parents(conf_dir, 0700), 0);
  ck_assert(g_file_set_contents(conf, text, -1, NULL));
  ck_assert_int_eq(chmod(conf, 0600), 0);
  setenv("TEST_PLUGIN_MODE", "secrets-refused", 1);

  fflush(stdout);
  saved = dup(STDOUT_FILENO);
  fd = open(out_path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  ck_assert_int_ge(fd, 0);
  dup2(fd, STDOUT_FILENO);
  ok = hs_cmd_list(argc, argv, &error);
  fflush(stdout);
  dup2(saved, STDOUT_FILENO);
  close(fd);
  close(saved);
  ck_assert_msg(ok, "list: %s", error ? error->message : "");
  ck_assert(g_file_get_contents(out_path, &printed, NULL, NULL));
  ck_assert_msg(strstr(printed, "known") && strstr(printed, "private-app"),
                "list printed: %s", printed);

  argv = argv_long;
  argc = 2;
  ck_assert(!hs_cmd_list(argc, argv, &error));
  hs_assert_error(error, HS_ERR_UNAVAILABLE);
  g_unlink(conf);
}
END_TEST

/* The stores of an hs-exec.conf whose text is `text`: NULL with *error
 * when they cannot be opened. */
static HsStores *open_stores_text(const char *text, char **ret_conf,
                                  GError **error) {
  g_autofree char *conf = g_build_filename(plugin_dir, "hs-exec.conf", NULL);
  const char *files[] = {conf, NULL};
  g_autoptr(HsConfig) config = NULL;

  ck_assert(g_file_set_contents(conf, text, -1, NULL));
  ck_assert_int_eq(chmod(conf, 0644), 0);
  config = hs_config_load_files(files, error);
  ck_assert_msg(config != NULL, "%s", *error ? (*error)->message : "");
  *ret_conf = g_steal_pointer(&conf);
  return hs_stores_open(config, error);
}

/* A [store NAME] section reaches the plugin's open() as "key=value"
 * strings: the test plugin's holds= renames the profile it holds. */
START_TEST(test_options_reach_open) {
  HsRecord *want = hs_record_new("other", HS_KIND_PRIVATE_APP);
  g_autofree char *conf = NULL;
  g_autoptr(HsRecord) got = NULL;
  hs_autosecret json = NULL;
  GError *error = NULL;
  HsStores *stores;

  want->token = g_strdup(PAT);
  json = hs_record_to_json(want, NULL);
  hs_record_free(want);
  setenv("TEST_PLUGIN_RECORD", json, 1);
  install_plugin("good", "opt", 0755);
  stores = open_stores_text(
      "[stores]\norder=opt\n\n[store opt]\nholds = other\n", &conf, &error);
  ck_assert_msg(stores != NULL, "%s", error ? error->message : "");
  got = hs_stores_lookup(stores, "known", NULL, &error);
  ck_assert_ptr_null(got);
  hs_assert_error(error, HS_ERR_NOT_FOUND);
  got = hs_stores_lookup(stores, "other", NULL, &error);
  ck_assert_msg(got != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(got->token, PAT);
  hs_stores_free(stores);
  unsetenv("TEST_PLUGIN_RECORD");
}
END_TEST

/* A key the plugin does not know is a configuration error naming the file,
 * the line of the section, the store and the key; the host does not go on
 * as if the store were merely unavailable. */
START_TEST(test_unknown_option_is_config_error) {
  g_autofree char *conf = NULL, *want = NULL;
  GError *error = NULL;
  HsStores *stores;

  install_plugin("good", "opt", 0755);
  stores = open_stores_text("[stores]\norder=opt\n\n[store opt]\ncolour=red\n",
                            &conf, &error);
  ck_assert_ptr_null(stores);
  want = g_strdup_printf(
      "%s:4: [store opt]: store test: unknown option "
      "'colour'",
      conf);
  ck_assert_str_eq(error->message, want);
  hs_assert_error(error, HS_ERR_CONFIG);
}
END_TEST

/* Without a section the plugin gets NULL, as before options existed; an
 * HS_ERROR from open() then leaves the store unavailable. */
START_TEST(test_no_section_no_options) {
  HsPlugin *plugin;
  GError *error = NULL;
  const char *const bad[] = {"colour=red", NULL};

  install_plugin("good", "plain", 0755);
  plugin = hs_plugin_load("plain", &error);
  ck_assert_ptr_nonnull(plugin);
  ck_assert(!hs_plugin_open(plugin, bad, &error));
  hs_assert_error(error, HS_ERR_CONFIG);
  ck_assert(hs_plugin_open(plugin, NULL, &error));
  hs_plugin_free(plugin);
}
END_TEST

/* The systemd-creds store's own options: dir (absolute) and with-key (one
 * of systemd-creds's), nothing else; each refusal is a configuration error
 * naming the key or value. */
static const struct {
  const char *const options[3];
  const char *words; /* in the message; NULL: accepted */
} creds_options[] = {
    {{"colour=red", NULL}, "unknown option 'colour'"},
    {{"dir=relative/path", NULL}, "dir='relative/path' is not an absolute"},
    {{"dir", NULL}, "is not an absolute directory path"},
    {{"with-key=sometimes", NULL}, "with-key='sometimes' is not one of"},
    {{"dir=/srv/creds", "with-key=host+tpm2", NULL}, NULL},
    {{"with-key=auto", NULL}, NULL},
};

START_TEST(test_systemd_creds_options) {
  g_autofree char *path =
      g_build_filename(g_getenv("PLUGIN_SO_DIR"), "systemd-creds.so", NULL);
  const char *words = creds_options[_i].words;
  GError *error = NULL;
  HsPlugin *plugin;
  gboolean opened;

  ck_assert_ptr_nonnull(g_getenv("PLUGIN_SO_DIR"));
  unsetenv("CREDENTIALS_DIRECTORY");
  plugin = hs_plugin_load(path, &error);
  ck_assert_msg(plugin != NULL, "%s", error ? error->message : "");
  opened = hs_plugin_open(plugin, creds_options[_i].options, &error);
  if (words != NULL) {
    ck_assert(!opened);
    ck_assert_msg(strstr(error->message, words) != NULL, "'%s' lacks '%s'",
                  error->message, words);
    hs_assert_error(error, HS_ERR_CONFIG);
  } else if (geteuid() == 0) {
    ck_assert_msg(opened, "%s", error ? error->message : "");
  } else {
    /* Good options, but neither root nor a service: unavailable. */
    ck_assert(!opened);
    hs_assert_error(error, HS_ERR_UNAVAILABLE);
  }
  hs_plugin_free(plugin);
}
END_TEST

int main(void) {
  Suite *s = suite_create("plugin");
  TCase *tc = tcase_create("load");
  g_autofree char *home = g_dir_make_tmp("check-plugin-XXXXXX", NULL);
  g_autofree char *config_home = NULL, *state_home = NULL, *cmd = NULL;
  int status;

  /* hs-token list reads the user's config and usage log: a private pair
   * (GLib reads these once). */
  if (home == NULL) return EXIT_FAILURE;
  config_home = g_build_filename(home, "config", NULL);
  state_home = g_build_filename(home, "state", NULL);
  g_setenv("XDG_CONFIG_HOME", config_home, TRUE);
  g_setenv("XDG_STATE_HOME", state_home, TRUE);

  tcase_add_checked_fixture(tc, setup, teardown);
  tcase_add_test(tc, test_good);
  tcase_add_test(tc, test_newer_minor_accepted);
  tcase_add_test(tc, test_wrong_major);
  tcase_add_test(tc, test_no_symbol);
  tcase_add_test(tc, test_short_struct);
  tcase_add_test(tc, test_null_function);
  tcase_add_test(tc, test_missing_file);
  tcase_add_test(tc, test_missing_lists_installed);
  tcase_add_test(tc, test_world_writable);
  tcase_add_test(tc, test_group_writable);
  tcase_add_test(tc, test_symlink);
  tcase_add_test(tc, test_not_a_plugin);
  tcase_add_test(tc, test_name_with_slash);
  tcase_add_test(tc, test_absolute_path);
  tcase_add_test(tc, test_two_plugins_stay_distinct);
  tcase_add_test(tc, test_msg_cleared_and_terminated);
  tcase_add_test(tc, test_tryagain_once_for_every_hook);
  tcase_add_test(tc, test_no_retry_after_entries);
  tcase_add_test(tc, test_undefined_status_is_an_error);
  tcase_add_test(tc, test_probe);
  tcase_add_test(tc, test_probe_after_failed_open);
  tcase_add_test(tc, test_abi_1_0_plugin);
  tcase_add_test(tc, test_store_until);
  tcase_add_test(tc, test_list_entries_without_secrets);
  tcase_add_test(tc, test_list_entries_warn_on_unread_kind);
  tcase_add_test(tc, test_list_command_asks_no_secret);
  tcase_add_test(tc, test_options_reach_open);
  tcase_add_test(tc, test_unknown_option_is_config_error);
  tcase_add_test(tc, test_no_section_no_options);
  tcase_add_loop_test(tc, test_systemd_creds_options, 0,
                      G_N_ELEMENTS(creds_options));
  suite_add_tcase(s, tc);
  status = hs_run_suite(s);
  cmd = g_strdup_printf("rm -rf '%s'", home);
  if (system(cmd) != 0) status = EXIT_FAILURE;
  return status;
}
