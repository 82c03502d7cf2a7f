/* SPDX-License-Identifier: MIT */
/* check-dotenv.c — the .env parser, as a table: each input and the entries
 * it gives (line:KEY=VALUE;…) or NULL when refused. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "migrate/dotenv.h"
#include "core/error.h"

static const struct {
  const char *input;
  size_t len; /* 0: strlen(input) */
  const char *want;
} table[] = {
    {"A=1\n", 0, "1:A=1;"},
    {"A=1", 0, "1:A=1;"},                  /* no final newline */
    {"A=1\r\nB=2\r\n", 0, "1:A=1;2:B=2;"}, /* CRLF */
    {"A=1\r\nB=2", 0, "1:A=1;2:B=2;"},     /* CRLF, no final */
    {"export A=1\n", 0, "1:A=1;"},         /* export prefix */
    {"  export\tA = 1  \n", 0, "1:A=1;"},  /* blanks everywhere */
    {"exportA=1\n", 0, "1:exportA=1;"},    /* a name, not export */
    {"# c\n\n  # c2\nA=1\n", 0, "4:A=1;"}, /* comments, blanks */
    {"A=1 # note\n", 0, "1:A=1;"},         /* inline comment */
    {"A=1#not-a-comment\n", 0, "1:A=1#not-a-comment;"},
    {"A=#x\n", 0, "1:A=;"},              /* only a comment */
    {"A=\n", 0, "1:A=;"},                /* empty */
    {"A=''\nB=\"\"\n", 0, "1:A=;2:B=;"}, /* empty quoted */
    {"A='x # y'\n", 0, "1:A=x # y;"},    /* # inside quotes */
    {"A='a\\nb'\n", 0, "1:A=a\\nb;"},    /* single: literal */
    {"A=\"a\\nb\\tc\\\"d\\\\e\\$f\"\n", 0, "1:A=a\nb\tc\"d\\e$f;"},
    {"A=\"a\\qb\"\n", 0, "1:A=a\\qb;"},              /* unknown escape kept */
    {"A=\"x\" # c\n", 0, "1:A=x;"},                  /* comment after quote */
    {"A=\"l1\nl2\"\nB=2\n", 0, "1:A=l1\nl2;3:B=2;"}, /* spans lines */
    {"A='l1\r\nl2'\r\nB=2\r\n", 0, "1:A=l1\r\nl2;3:B=2;"},
    {"A=1\nA=2\n", 0, "1:A=1;2:A=2;"}, /* duplicates kept */
    {"A.b-c_D=1\n", 0, "1:A.b-c_D=1;"},
    {"A=x y  z \n", 0, "1:A=x y  z;"}, /* inner blanks kept */
    {"A=é\n", 0, "1:A=é;"},            /* UTF-8 */
    {"", 0, ""},                       /* empty file */
    {"\n\n", 0, ""},
    {"A=\"open\n", 0, NULL},  /* unclosed double */
    {"A='open\n", 0, NULL},   /* unclosed single */
    {"A=\"x\" y\n", 0, NULL}, /* text after quote */
    {"A 1\n", 0, NULL},       /* no = */
    {"=1\n", 0, NULL},        /* no key */
    {"1A=1\n", 0, NULL},      /* key starts with digit */
    {"A=1\0\n", 5, NULL},     /* NUL byte */
    {"A=\xff\n", 0, NULL},    /* not UTF-8 */
    {"A=\"x\\", 0, NULL},     /* escape at the end */
};

static char *describe(const HsDotenv *env) {
  GString *s = g_string_new(NULL);
  for (gsize i = 0; i < env->n_entries; i++)
    g_string_append_printf(s, "%u:%s=%s;", env->entries[i].line,
                           env->entries[i].key, env->entries[i].value);
  return g_string_free(s, FALSE);
}

START_TEST(test_table) {
  GError *error = NULL;
  size_t len = table[_i].len ? table[_i].len : strlen(table[_i].input);
  HsDotenv *env = hs_dotenv_parse(table[_i].input, len, &error);

  if (table[_i].want == NULL) {
    ck_assert_msg(env == NULL, "case %d accepted", _i);
    hs_assert_error(error, HS_ERR_USAGE);
  } else {
    g_autofree char *got = NULL;
    ck_assert_msg(env != NULL, "case %d: %s", _i, error ? error->message : "");
    got = describe(env);
    ck_assert_msg(strcmp(got, table[_i].want) == 0, "case %d: got %s", _i, got);
    hs_dotenv_free(env);
  }
}
END_TEST

/* Each entry's line range covers its whole assignment and nothing else, so
 * that replacing it keeps every other byte. */
START_TEST(test_ranges) {
  static const char input[] = "# top\nexport A='x'  # c\r\nB=\"m\nn\"\nC=3";
  g_autoptr(GError) error = NULL;
  g_autoptr(HsDotenv) env = hs_dotenv_parse(input, strlen(input), &error);

  ck_assert_ptr_nonnull(env);
  ck_assert_int_eq(env->n_entries, 3);
  ck_assert_int_eq(env->entries[0].line_start, 6);
  ck_assert_int_eq(input[env->entries[0].line_end], '\r');
  ck_assert_int_eq(env->entries[1].line_start, env->entries[0].line_end + 2);
  ck_assert_int_eq(input[env->entries[1].line_end - 1], '"');
  ck_assert_int_eq(input[env->entries[1].line_end], '\n');
  ck_assert_int_eq(env->entries[2].line, 5);
  ck_assert_int_eq(env->entries[2].line_end, strlen(input));
  ck_assert_str_eq(hs_dotenv_get(env, "B")->value, "m\nn");
  ck_assert_ptr_null(hs_dotenv_get(env, "D"));
}
END_TEST

/* The last of duplicate keys is what hs_dotenv_get returns. */
START_TEST(test_duplicate_last_wins) {
  static const char input[] = "A=1\nB=x\nA=2\n";
  g_autoptr(HsDotenv) env = hs_dotenv_parse(input, strlen(input), NULL);

  ck_assert_str_eq(hs_dotenv_get(env, "A")->value, "2");
  ck_assert_int_eq(hs_dotenv_get(env, "A")->line, 3);
}
END_TEST

/* An error names the line, never the value. */
START_TEST(test_error_never_echoes) {
  static const char input[] = "A=1\nB=\"pat-na1-secret-value\" tail\n";
  GError *error = NULL;

  ck_assert_ptr_null(hs_dotenv_parse(input, strlen(input), &error));
  ck_assert_ptr_nonnull(strstr(error->message, "line 2"));
  ck_assert_ptr_null(strstr(error->message, "secret-value"));
  g_clear_error(&error);
}
END_TEST

int main(void) {
  Suite *s = suite_create("dotenv");
  TCase *tc = tcase_create("parse");

  tcase_add_loop_test(tc, test_table, 0, G_N_ELEMENTS(table));
  tcase_add_test(tc, test_ranges);
  tcase_add_test(tc, test_duplicate_last_wins);
  tcase_add_test(tc, test_error_never_echoes);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
