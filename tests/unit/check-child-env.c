/* SPDX-License-Identifier: MIT */
/* check-child-env.c — the environment COMMAND gets (hs-exec(1)). */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "base/child-env.h"
#include "base/name-rules.h"
#include "core/error.h"

static const char *const parent[] = {
    "PATH=/usr/bin",          "HUBSPOT_ACCESS_TOKEN=stale",
    "HUBSPOT_API_KEY=legacy", "HUBSPOT_PORTAL_ID=999",
    "HS_EXEC_PROFILE=outer",  "MY_TOKEN=old",
    "HOME=/home/u",           NULL,
};

static const char *get(char **env, const char *name) {
  size_t n = strlen(name);
  const char *found = NULL;
  int count = 0;

  for (char **e = env; *e; e++)
    if (strncmp(*e, name, n) == 0 && (*e)[n] == '=') {
      found = *e + n + 1;
      count++;
    }
  ck_assert_msg(count <= 1, "%s set %d times", name, count);
  return found;
}

START_TEST(test_default) {
  HsChildEnv opts = {.profile = "prod", .token = "T", .hub_id = "42"};
  char **env = hs_child_env_build(parent, &opts);

  ck_assert_str_eq(get(env, "HUBSPOT_ACCESS_TOKEN"), "T");
  ck_assert_str_eq(get(env, "HUBSPOT_PORTAL_ID"), "42");
  ck_assert_str_eq(get(env, "HUBSPOT_ACCOUNT_ID"), "42");
  ck_assert_str_eq(get(env, "HS_EXEC_PROFILE"), "prod");
  ck_assert_ptr_null(get(env, "HUBSPOT_API_KEY"));
  ck_assert_ptr_null(get(env, "HS_EXEC_EXPIRES_AT"));
  ck_assert_str_eq(get(env, "PATH"), "/usr/bin");
  ck_assert_str_eq(get(env, "HOME"), "/home/u");
  ck_assert_str_eq(get(env, "MY_TOKEN"), "old");
  hs_child_env_free(env);
}
END_TEST

START_TEST(test_env_names_and_keep) {
  const char *const names[] = {"MY_TOKEN", "PRIVATE_APP_ACCESS_TOKEN", NULL};
  HsChildEnv opts = {.profile = "p",
                     .token = "T",
                     .token_vars = names,
                     .keep_env = TRUE,
                     .expires_at = 1700000000};
  char **env = hs_child_env_build(parent, &opts);

  ck_assert_str_eq(get(env, "MY_TOKEN"), "T");
  ck_assert_str_eq(get(env, "PRIVATE_APP_ACCESS_TOKEN"), "T");
  /* --env replaces the default name; --keep-env keeps what was inherited */
  ck_assert_str_eq(get(env, "HUBSPOT_ACCESS_TOKEN"), "stale");
  ck_assert_str_eq(get(env, "HUBSPOT_API_KEY"), "legacy");
  /* no hub id known: the inherited, unrelated one must not pass for ours */
  ck_assert_ptr_null(get(env, "HUBSPOT_PORTAL_ID"));
  ck_assert_str_eq(get(env, "HS_EXEC_EXPIRES_AT"), "2023-11-14T22:13:20Z");
  hs_child_env_free(env);
}
END_TEST

START_TEST(test_pristine_and_extra) {
  const char *const extra[] = {"HUBSPOT_API_BASE=http://127.0.0.1:1",
                               "MY_TOKEN=new", NULL};
  HsChildEnv opts = {
      .profile = "p", .token = NULL, .pristine = TRUE, .extra = extra};
  char **env = hs_child_env_build(parent, &opts);

  /* only PATH and HOME of the parent's survive --pristine */
  ck_assert_str_eq(get(env, "PATH"), "/usr/bin");
  ck_assert_str_eq(get(env, "HOME"), "/home/u");
  ck_assert_str_eq(get(env, "MY_TOKEN"), "new");
  ck_assert_str_eq(get(env, "HUBSPOT_API_BASE"), "http://127.0.0.1:1");
  ck_assert_str_eq(get(env, "HS_EXEC_PROFILE"), "p");
  /* no token given: no token variable, not even the inherited one */
  ck_assert_ptr_null(get(env, "HUBSPOT_ACCESS_TOKEN"));
  ck_assert_ptr_null(get(env, "HUBSPOT_API_KEY"));
  {
    int n = 0;
    for (char **e = env; *e; e++) n++;
    ck_assert_int_eq(n, 5);
  }
  hs_child_env_free(env);
}
END_TEST

/* --proxy: COMMAND does not learn where the session bus is. */
START_TEST(test_no_session_bus) {
  static const char *const with_bus[] = {
      "PATH=/usr/bin", "DBUS_SESSION_BUS_ADDRESS=unix:path=/run/user/1/bus",
      NULL};
  HsChildEnv opts = {.profile = "prod", .token = "T"};
  char **env = hs_child_env_build(with_bus, &opts);

  ck_assert_str_eq(get(env, "DBUS_SESSION_BUS_ADDRESS"),
                   "unix:path=/run/user/1/bus");
  hs_child_env_free(env);
  opts.no_session_bus = TRUE;
  env = hs_child_env_build(with_bus, &opts);
  ck_assert_ptr_null(get(env, "DBUS_SESSION_BUS_ADDRESS"));
  ck_assert_str_eq(get(env, "PATH"), "/usr/bin");
  hs_child_env_free(env);
}
END_TEST

START_TEST(test_env_name_validation) {
  ck_assert(hs_name_rules_env_var("HUBSPOT_ACCESS_TOKEN"));
  ck_assert(hs_name_rules_env_var("_x1"));
  ck_assert(!hs_name_rules_env_var("1X"));
  ck_assert(!hs_name_rules_env_var("A=B"));
  ck_assert(!hs_name_rules_env_var(""));
  ck_assert(!hs_name_rules_env_var("Ä"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("child-env");
  TCase *tc = tcase_create("build");

  tcase_add_test(tc, test_default);
  tcase_add_test(tc, test_env_names_and_keep);
  tcase_add_test(tc, test_pristine_and_extra);
  tcase_add_test(tc, test_env_name_validation);
  tcase_add_test(tc, test_no_session_bus);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
