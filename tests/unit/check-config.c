/* SPDX-License-Identifier: MIT */
/* check-config.c — hs-exec.conf: the order of stores and its actions, and
 * the settings it does not know. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check-common.h"
#include "core/config.h"
#include "core/error.h"

static HsStoreSpec *spec_at(GPtrArray *specs, guint i) {
  return g_ptr_array_index(specs, i);
}

START_TEST(test_order_with_actions) {
  GPtrArray *specs = hs_config_store_specs_new();
  GError *error = NULL;

  ck_assert(hs_config_parse_order(
      "secret-service [UNAVAIL=return NOTFOUND=continue]  keyctl "
      "[notfound=RETURN]",
      "f", FALSE, specs, &error));
  ck_assert_uint_eq(specs->len, 2);
  ck_assert_str_eq(spec_at(specs, 0)->name, "secret-service");
  ck_assert_int_eq(spec_at(specs, 0)->on_unavail, HS_ACTION_RETURN);
  ck_assert_int_eq(spec_at(specs, 0)->on_notfound, HS_ACTION_CONTINUE);
  ck_assert_str_eq(spec_at(specs, 1)->name, "keyctl");
  ck_assert_int_eq(spec_at(specs, 1)->on_notfound, HS_ACTION_RETURN);
  ck_assert_int_eq(spec_at(specs, 1)->on_unavail, HS_ACTION_CONTINUE);
  g_ptr_array_unref(specs);
}
END_TEST

static const struct {
  const char *order;
  gboolean allow_paths;
  const char *words;
} bad_orders[] = {
    {"", FALSE, "is empty"},
    {"   ", FALSE, "is empty"},
    {"a a", FALSE, "listed twice"},
    {"[UNAVAIL=return] a", FALSE, "before any store"},
    {"a [UNAVAIL=return", FALSE, "without a closing"},
    {"a [UNAVAIL=maybe]", FALSE, "not STATUS=ACTION"},
    {"a [SUCCESS=continue]", FALSE, "not STATUS=ACTION"},
    {"a [UNAVAIL]", FALSE, "not STATUS=ACTION"},
    {"sec$ret", FALSE, "is not a store name"},
    {"/usr/lib/x.so", FALSE, "accepted only from a config file"},
};

START_TEST(test_bad_orders) {
  GPtrArray *specs = hs_config_store_specs_new();
  GError *error = NULL;

  ck_assert_msg(
      !hs_config_parse_order(bad_orders[_i].order, "FILE",
                             bad_orders[_i].allow_paths, specs, &error),
      "'%s' accepted", bad_orders[_i].order);
  ck_assert_ptr_nonnull(error);
  ck_assert_msg(strstr(error->message, bad_orders[_i].words) != NULL,
                "'%s' lacks '%s'", error->message, bad_orders[_i].words);
  ck_assert_msg(g_str_has_prefix(error->message, "FILE:"), "no file in '%s'",
                error->message);
  hs_assert_error(error, HS_ERR_CONFIG);
  g_ptr_array_unref(specs);
}
END_TEST

static char *write_conf(const char *dir, const char *name, const char *text,
                        mode_t mode) {
  char *path = g_build_filename(dir, name, NULL);

  ck_assert(g_file_set_contents(path, text, -1, NULL));
  ck_assert_int_eq(chmod(path, mode), 0);
  return path;
}

START_TEST(test_files_default_and_override) {
  g_autofree char *dir = g_dir_make_tmp("hs-conf-XXXXXX", NULL);
  g_autofree char *sys =
      write_conf(dir, "sys.conf", "[stores]\norder=one two\n", 0644);
  g_autofree char *user =
      write_conf(dir, "user.conf", "# mine\n[stores]\norder=/opt/p.so\n", 0600);
  g_autofree char *missing = g_build_filename(dir, "missing.conf", NULL);
  const char *none[] = {missing, NULL};
  const char *both[] = {sys, missing, user, NULL};
  const char *only_sys[] = {sys, NULL};
  GError *error = NULL;
  HsConfig *config;

  config = hs_config_load_files(none, &error);
  ck_assert_ptr_nonnull(config);
  ck_assert_uint_eq(config->stores->len, 1);
  ck_assert_str_eq(((HsStoreSpec *)config->stores->pdata[0])->name,
                   "secret-service");
  ck_assert_uint_eq(config->files_read->len, 0);
  hs_config_free(config);

  config = hs_config_load_files(only_sys, &error);
  ck_assert_uint_eq(config->stores->len, 2);
  hs_config_free(config);

  /* The user's order replaces the system's; a vetted file may name a path. */
  config = hs_config_load_files(both, &error);
  ck_assert_msg(config != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq(config->stores->len, 1);
  ck_assert_str_eq(((HsStoreSpec *)config->stores->pdata[0])->name,
                   "/opt/p.so");
  ck_assert_uint_eq(config->files_read->len, 2);
  hs_config_free(config);

  g_unlink(sys);
  g_unlink(user);
  g_rmdir(dir);
}
END_TEST

START_TEST(test_files_refused) {
  g_autofree char *dir = g_dir_make_tmp("hs-conf-XXXXXX", NULL);
  g_autofree char *loose =
      write_conf(dir, "loose.conf", "[stores]\norder=/opt/p.so\n", 0666);
  g_autofree char *broken =
      write_conf(dir, "broken.conf", "[stores\norder=x\n", 0644);
  const char *a[] = {loose, NULL};
  const char *b[] = {broken, NULL};
  GError *error = NULL;

  ck_assert_ptr_null(hs_config_load_files(a, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "accepted only from"));
  hs_assert_error(error, HS_ERR_CONFIG);
  ck_assert_ptr_null(hs_config_load_files(b, &error));
  ck_assert_ptr_nonnull(strstr(error->message, broken));
  hs_assert_error(error, HS_ERR_CONFIG);
  /* A bad order= is reported at its file and line. */
  g_unlink(broken);
  g_free(broken);
  broken = write_conf(dir, "broken.conf",
                      "# hs-exec\n[hubspot]\noauth-api=v1\n\n[stores]\n"
                      "order = secret-service secret-service\n",
                      0644);
  b[0] = broken;
  ck_assert_ptr_null(hs_config_load_files(b, &error));
  {
    g_autofree char *want = g_strdup_printf("%s:6: [stores] order", broken);
    ck_assert_msg(g_str_has_prefix(error->message, want), "'%s' lacks '%s'",
                  error->message, want);
  }
  hs_assert_error(error, HS_ERR_CONFIG);
  g_unlink(loose);
  g_unlink(broken);
  g_rmdir(dir);
}
END_TEST

/* The in-memory entry point (for tests/fuzz) reads as a file would. */
START_TEST(test_load_data) {
  const char good[] =
      "[stores]\norder=/opt/x.so [UNAVAIL=return] keyctl\n"
      "[hubspot]\noauth-api=v1\n";
  const char bad[] = "[hubspot]\noauth-api=v9\n";
  GError *error = NULL;
  HsConfig *config;

  config = hs_config_load_data(good, strlen(good), "mem.conf", TRUE, &error);
  ck_assert_ptr_nonnull(config);
  ck_assert_uint_eq(config->stores->len, 2);
  ck_assert_str_eq(spec_at(config->stores, 0)->name, "/opt/x.so");
  ck_assert_str_eq(spec_at(config->stores, 0)->origin, "mem.conf:2");
  ck_assert(config->oauth_api_v1);
  hs_config_free(config);
  /* not vetted: no plugin by absolute path */
  ck_assert_ptr_null(
      hs_config_load_data(good, strlen(good), "mem.conf", FALSE, &error));
  hs_assert_error(error, HS_ERR_CONFIG);
  ck_assert_ptr_null(
      hs_config_load_data(bad, strlen(bad), "mem.conf", TRUE, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "mem.conf"));
  hs_assert_error(error, HS_ERR_CONFIG);
}
END_TEST

/* What `data` holds that hs-exec.conf does not know, one description per
 * line (transfer full). */
static char *unknown_of(const char *data) {
  GError *error = NULL;
  g_autoptr(HsConfig) config =
      hs_config_load_data(data, strlen(data), "u.conf", TRUE, &error);
  GString *s = g_string_new(NULL);

  ck_assert_msg(config != NULL, "%s", error ? error->message : "");
  for (guint i = 0; i < config->unknown->len; i++) {
    g_autofree char *line =
        hs_config_unknown_describe(g_ptr_array_index(config->unknown, i));
    g_string_append_printf(s, "%s\n", line);
  }
  return g_string_free(s, FALSE);
}

/* Sections and keys outside the table are found, with their file and line;
 * every known one, and any key of a [store NAME] section, is not. */
START_TEST(test_unknown_settings) {
  g_autofree char *none = unknown_of(
      "# every known setting\n[stores]\norder=keyctl\n[hubspot]\n"
      "oauth-api=v1\napi-base=https://h.example\nca-file=/etc/ca.pem\n"
      "[store keyctl]\nanything=1\n");
  g_autofree char *found = unknown_of(
      "[stores]\n# a comment\nordr = keyctl\norder=keyctl\n\n"
      "[hubspot]\noauth-api=v1\n  apibase=https://h.example\n"
      "[Stores]\norder=x\n[proxy]\nport=1\n");
  g_autofree char *known = hs_config_known_settings();

  ck_assert_str_eq(none, "");
  ck_assert_str_eq(found,
                   "u.conf:3: unknown key 'ordr' in [stores]\n"
                   "u.conf:8: unknown key 'apibase' in [hubspot]\n"
                   "u.conf:9: unknown section [Stores]\n"
                   "u.conf:11: unknown section [proxy]\n");
  ck_assert_str_eq(known,
                   "[stores] order; [hubspot] oauth-api, api-base, ca-file, "
                   "auth-base; "
                   "and [store NAME] for one store's options");
}
END_TEST

/* Each file's unknown settings are named at that file. */
START_TEST(test_unknown_in_each_file) {
  g_autofree char *dir = g_dir_make_tmp("hs-conf-XXXXXX", NULL);
  g_autofree char *sys =
      write_conf(dir, "sys.conf", "[stores]\norder=keyctl\n[x]\n", 0644);
  g_autofree char *user =
      write_conf(dir, "user.conf", "[hubspot]\n\noath-api=v1\n", 0600);
  const char *both[] = {sys, user, NULL};
  GError *error = NULL;
  g_autoptr(HsConfig) config = hs_config_load_files(both, &error);
  HsConfigUnknown *u;

  ck_assert_msg(config != NULL, "%s", error ? error->message : "");
  ck_assert_uint_eq(config->unknown->len, 2);
  u = g_ptr_array_index(config->unknown, 0);
  ck_assert_str_eq(u->file, sys);
  ck_assert_int_eq(u->line, 3);
  ck_assert_str_eq(u->group, "x");
  ck_assert_ptr_null(u->key);
  u = g_ptr_array_index(config->unknown, 1);
  ck_assert_str_eq(u->file, user);
  ck_assert_int_eq(u->line, 3);
  ck_assert_str_eq(u->key, "oath-api");
  /* Unknown settings are ignored, not errors: the rest still applies. */
  ck_assert_str_eq(spec_at(config->stores, 0)->name, "keyctl");
  g_unlink(sys);
  g_unlink(user);
  g_rmdir(dir);
}
END_TEST

/* [store NAME] sections: the options of that store, key by key over the
 * files read, as "key=value" strings in a NULL-terminated list. */
START_TEST(test_store_sections) {
  g_autofree char *dir = g_dir_make_tmp("hs-conf-XXXXXX", NULL);
  g_autofree char *sys =
      write_conf(dir, "sys.conf",
                 "[stores]\norder=systemd-creds keyctl\n\n"
                 "[store systemd-creds]\ndir=/etc/credstore.encrypted\n"
                 "with-key = host \n\n[store unused]\na=b\n",
                 0644);
  g_autofree char *user = write_conf(
      dir, "user.conf",
      "# mine\n[store systemd-creds]\ndir=/srv/creds\n[store keyctl]\n", 0600);
  const char *both[] = {sys, user, NULL};
  const char *only_sys[] = {sys, NULL};
  g_autofree char *want_origin = NULL;
  GError *error = NULL;
  HsConfig *config;
  HsStoreSpec *creds, *keyctl;

  config = hs_config_load_files(only_sys, &error);
  ck_assert_msg(config != NULL, "%s", error ? error->message : "");
  creds = spec_at(config->stores, 0);
  ck_assert_ptr_nonnull(creds->options);
  ck_assert_str_eq(creds->options[0], "dir=/etc/credstore.encrypted");
  ck_assert_str_eq(creds->options[1], "with-key=host");
  ck_assert_ptr_null(creds->options[2]);
  want_origin = g_strdup_printf("%s:4", sys);
  ck_assert_str_eq(creds->options_origin, want_origin);
  /* No section: NULL, as the ABI has always had it. */
  ck_assert_ptr_null(spec_at(config->stores, 1)->options);
  ck_assert_ptr_null(spec_at(config->stores, 1)->options_origin);
  hs_config_free(config);

  /* The user's dir= replaces the system's; with-key stays; an empty
   * section gives an empty list. */
  config = hs_config_load_files(both, &error);
  ck_assert_msg(config != NULL, "%s", error ? error->message : "");
  creds = spec_at(config->stores, 0);
  keyctl = spec_at(config->stores, 1);
  ck_assert_str_eq(creds->options[0], "with-key=host");
  ck_assert_str_eq(creds->options[1], "dir=/srv/creds");
  ck_assert_ptr_null(creds->options[2]);
  g_free(want_origin);
  want_origin = g_strdup_printf("%s:2", user);
  ck_assert_str_eq(creds->options_origin, want_origin);
  ck_assert_ptr_nonnull(keyctl->options);
  ck_assert_ptr_null(keyctl->options[0]);
  hs_config_free(config);

  g_unlink(sys);
  g_unlink(user);
  g_rmdir(dir);
}
END_TEST

/* Where credentials go comes from a vetted file, or from nowhere. */
START_TEST(test_hubspot_where) {
  const char good[] =
      "[hubspot]\napi-base=https://127.0.0.1:8443\n"
      "ca-file=/tmp/standin/cert.pem\nauth-base=https://127.0.0.1:8443\n";
  const char auth_only[] = "[hubspot]\nauth-base=https://127.0.0.1:1\n";
  const char relative[] = "[hubspot]\nca-file=cert.pem\n";
  const char cleared[] = "[hubspot]\napi-base=\nca-file=\n";
  GError *error = NULL;
  HsConfig *config;

  config = hs_config_load_data(good, strlen(good), "mem.conf", TRUE, &error);
  ck_assert_msg(config != NULL, "%s", error ? error->message : "");
  ck_assert_str_eq(config->api_base, "https://127.0.0.1:8443");
  ck_assert_str_eq(config->ca_file, "/tmp/standin/cert.pem");
  ck_assert_str_eq(config->auth_base, "https://127.0.0.1:8443");
  hs_config_free(config);
  /* Where the browser signs in, and whose code is taken: vetted too. */
  ck_assert_ptr_null(hs_config_load_data(auth_only, strlen(auth_only),
                                         "mem.conf", FALSE, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "[hubspot] auth-base"));
  hs_assert_error(error, HS_ERR_CONFIG);
  /* A file others (or a repository) may have written says nothing there. */
  ck_assert_ptr_null(
      hs_config_load_data(good, strlen(good), "mem.conf", FALSE, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "[hubspot] api-base"));
  hs_assert_error(error, HS_ERR_CONFIG);
  ck_assert_ptr_null(hs_config_load_data(relative, strlen(relative), "mem.conf",
                                         TRUE, &error));
  ck_assert_ptr_nonnull(strstr(error->message, "absolute path"));
  hs_assert_error(error, HS_ERR_CONFIG);
  /* Nothing set, or set empty: HubSpot's, with the system's CAs. */
  config =
      hs_config_load_data(cleared, strlen(cleared), "mem.conf", TRUE, &error);
  ck_assert_ptr_nonnull(config);
  ck_assert_ptr_null(config->api_base);
  ck_assert_ptr_null(config->ca_file);
  hs_config_free(config);
}
END_TEST

static const struct {
  const char *text;
  gboolean vetted;
  const char *words;
} bad_sections[] = {
    {"[stores]\norder=a\n[store a]\nk=v\n", FALSE,
     "mem.conf:3: [store a] is accepted only from a config file owned by"},
    {"[store a$b]\nk=v\n", TRUE, "mem.conf:1: [store a$b]: 'a$b' is not a"},
    {"[store ]\nk=v\n", TRUE, "is not a store name"},
};

START_TEST(test_bad_store_sections) {
  GError *error = NULL;
  const char *text = bad_sections[_i].text;

  ck_assert_ptr_null(hs_config_load_data(text, strlen(text), "mem.conf",
                                         bad_sections[_i].vetted, &error));
  ck_assert_ptr_nonnull(error);
  ck_assert_msg(strstr(error->message, bad_sections[_i].words) != NULL,
                "'%s' lacks '%s'", error->message, bad_sections[_i].words);
  hs_assert_error(error, HS_ERR_CONFIG);
}
END_TEST

int main(void) {
  Suite *s = suite_create("config");
  TCase *tc = tcase_create("order");

  tcase_add_test(tc, test_order_with_actions);
  tcase_add_loop_test(tc, test_bad_orders, 0, G_N_ELEMENTS(bad_orders));
  tcase_add_test(tc, test_files_default_and_override);
  tcase_add_test(tc, test_files_refused);
  tcase_add_test(tc, test_load_data);
  tcase_add_test(tc, test_unknown_settings);
  tcase_add_test(tc, test_unknown_in_each_file);
  tcase_add_test(tc, test_hubspot_where);
  tcase_add_test(tc, test_store_sections);
  tcase_add_loop_test(tc, test_bad_store_sections, 0,
                      G_N_ELEMENTS(bad_sections));
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
