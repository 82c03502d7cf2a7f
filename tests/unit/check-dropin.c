/* SPDX-License-Identifier: MIT */
/* check-dropin.c — the drop-in of `hs-token unit`: the unit's ExecStart=
 * commands as systemd reads them, and the text around them. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "cmd/dropin.h"

START_TEST(test_exec_starts) {
  const char unit[] =
      "[Unit]\nDescription=x\nExecStart=/not/service\n"
      "[Service]\nExecStartPre=/bin/pre\nExecStart=/bin/old\n"
      "ExecStart=\n# ExecStart=/commented\n"
      "ExecStart = -/usr/bin/app --flag \\\n    --more\n"
      "ExecStart=/usr/bin/second\n[Install]\nExecStart=/not/either\n";
  g_auto(GStrv) got = hs_dropin_exec_starts(unit);

  ck_assert_uint_eq(g_strv_length(got), 2);
  ck_assert_str_eq(got[0], "-/usr/bin/app --flag  --more");
  ck_assert_str_eq(got[1], "/usr/bin/second");
}
END_TEST

START_TEST(test_exec_starts_none) {
  g_auto(GStrv) got = hs_dropin_exec_starts("[Service]\nType=oneshot\n");

  ck_assert_ptr_nonnull(got);
  ck_assert_ptr_null(got[0]);
}
END_TEST

START_TEST(test_wrappable) {
  ck_assert(hs_dropin_command_wrappable("/usr/bin/app"));
  ck_assert(hs_dropin_command_wrappable("-+/usr/bin/app"));
  ck_assert(!hs_dropin_command_wrappable("@/usr/bin/app app"));
  ck_assert(!hs_dropin_command_wrappable("-@/usr/bin/app app"));
  ck_assert(!hs_dropin_command_wrappable("-"));
}
END_TEST

/* Each command through hs-exec, its prefixes kept in front; the
 * credential line; a runtime directory only when the cache is needed, and
 * never a KeyringMode= (the cache works from a private session keyring). */
START_TEST(test_render) {
  const char *const commands[] = {"-/usr/bin/app --x", "/usr/bin/b", NULL};
  HsDropin d = {.profile = "prod",
                .unit = "myapp.service",
                .cred_dir = "/etc/credstore.encrypted",
                .hs_exec = "/usr/bin/hs-exec",
                .commands = commands};
  g_autofree char *text = hs_dropin_render(&d);
  g_autofree char *oauth = NULL;

  ck_assert_ptr_nonnull(strstr(text, "\n[Service]\n"));
  ck_assert_ptr_nonnull(
      strstr(text,
             "\nLoadCredentialEncrypted=hubspot.prod:/etc/credstore.encrypted/"
             "hubspot.prod.cred\n"));
  ck_assert_ptr_nonnull(
      strstr(text,
             "\nExecStart=\nExecStart=-/usr/bin/hs-exec prod -- /usr/bin/app "
             "--x\nExecStart=/usr/bin/hs-exec prod -- /usr/bin/b\n"));
  ck_assert_ptr_null(strstr(text, "KeyringMode"));
  ck_assert_ptr_null(strstr(text, "RuntimeDirectory"));
  ck_assert_ptr_null(strstr(text, "EDIT"));
  d.keyring_cache = TRUE;
  oauth = hs_dropin_render(&d);
  /* The cache reaches the user keyring from a private session keyring. */
  ck_assert_ptr_null(strstr(oauth, "\nKeyringMode="));
  ck_assert_ptr_nonnull(strstr(oauth,
                               "\nRuntimeDirectory=hs-exec-%N\n"
                               "Environment=XDG_RUNTIME_DIR=%t/hs-exec-%N\n"));
}
END_TEST

START_TEST(test_render_placeholder) {
  HsDropin d = {.profile = "p",
                .unit = "u.service",
                .cred_dir = "/d",
                .hs_exec = "/usr/bin/hs-exec"};
  g_autofree char *text = hs_dropin_render(&d);

  ck_assert_ptr_nonnull(strstr(text, "# EDIT: "));
  ck_assert_ptr_nonnull(strstr(
      text,
      "\nExecStart=\nExecStart=/usr/bin/hs-exec p -- /path/to/command\n"));
}
END_TEST

int main(void) {
  Suite *s = suite_create("dropin");
  TCase *tc = tcase_create("dropin");

  tcase_add_test(tc, test_exec_starts);
  tcase_add_test(tc, test_exec_starts_none);
  tcase_add_test(tc, test_wrappable);
  tcase_add_test(tc, test_render);
  tcase_add_test(tc, test_render_placeholder);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
