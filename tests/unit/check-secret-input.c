/* SPDX-License-Identifier: MIT */
/* check-secret-input.c — the stdin secret reader of hs-token(1). */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "check-common.h"
#include "core/error.h"
#include "core/secret-input.h"
#include "core/secure.h"

#define PAT "pat-na1-11111111-2222-3333-4444-555555555555"

/* Feed `data` (len bytes) through a pipe into hs_secret_read_token. */
static char *read_token_from(const char *data, size_t len, HsKind kind,
                             GError **error) {
  int fds[2];
  char *token;

  ck_assert_int_eq(pipe(fds), 0);
  if (fork() == 0) {
    close(fds[0]);
    while (len > 0) {
      ssize_t n = write(fds[1], data, len);
      if (n <= 0) _exit(1);
      data += n;
      len -= (size_t)n;
    }
    _exit(0);
  }
  close(fds[1]);
  token = hs_secret_read_token(fds[0], kind, "", error);
  close(fds[0]);
  return token;
}

static const struct {
  const char *input;
  size_t len; /* 0: strlen(input) */
  HsKind kind;
  const char *want; /* NULL: refused */
} table[] = {
    {PAT "\n", 0, HS_KIND_PRIVATE_APP, PAT},
    {PAT, 0, HS_KIND_PRIVATE_APP, PAT},                /* no final newline */
    {PAT "\r\n", 0, HS_KIND_PRIVATE_APP, PAT},         /* CRLF */
    {"  \t" PAT " \t\n", 0, HS_KIND_PRIVATE_APP, PAT}, /* surrounding blanks */
    {PAT "\n\n\n", 0, HS_KIND_PRIVATE_APP, PAT}, /* trailing empty lines */
    {"pat-eu1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee\n", 0, HS_KIND_PRIVATE_APP,
     "pat-eu1-aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee"},
    {"", 0, HS_KIND_PRIVATE_APP, NULL},                /* empty */
    {"\n", 0, HS_KIND_PRIVATE_APP, NULL},              /* empty line */
    {"   \r\n", 0, HS_KIND_PRIVATE_APP, NULL},         /* blanks only */
    {PAT "\n" PAT "\n", 0, HS_KIND_PRIVATE_APP, NULL}, /* two lines */
    {"pat-na1-1111\0x-2222-3333-4444-555555555555", 42, HS_KIND_PRIVATE_APP,
     NULL}, /* NUL byte */
    {"pat-na1-\xff\xfe-2222-3333-4444-555555555555", 0, HS_KIND_PRIVATE_APP,
     NULL}, /* not UTF-8 */
    {"pat-na1-11111111 2222-3333-4444-555555555555", 0, HS_KIND_PRIVATE_APP,
     NULL}, /* inner blank */
    {"ghp_0123456789abcdefghijklmnopqrstuvwxyz", 0, HS_KIND_PRIVATE_APP,
     NULL}, /* wrong shape */
    {"pat-1-11111111-2222-3333-4444-555555555555", 0, HS_KIND_PRIVATE_APP,
     NULL},                                         /* no hublet */
    {"pat-na1-1234", 0, HS_KIND_PRIVATE_APP, NULL}, /* cut short */
    {"sk-whatever.shape_HubSpot+chooses\n", 0, HS_KIND_SERVICE_KEY,
     "sk-whatever.shape_HubSpot+chooses"},
    {"caf\xc3\xa9-key\n", 0, HS_KIND_SERVICE_KEY, NULL}, /* not ASCII */
};

START_TEST(test_table) {
  GError *error = NULL;
  size_t len = table[_i].len ? table[_i].len : strlen(table[_i].input);
  char *token = read_token_from(table[_i].input, len, table[_i].kind, &error);

  if (table[_i].want != NULL) {
    ck_assert_msg(token != NULL, "case %d refused: %s", _i,
                  error ? error->message : "?");
    ck_assert_str_eq(token, table[_i].want);
  } else {
    ck_assert_msg(token == NULL, "case %d accepted", _i);
    hs_assert_error(error, HS_ERR_USAGE);
  }
  hs_secure_free(token);
}
END_TEST

/* No message may quote the secret it refuses. */
START_TEST(test_errors_never_echo) {
  static const char *const inputs[] = {
      "pat-na1-SECRETSECRETSECRETSECRET zz\n",
      "SECRETSECRETSECRET\n",
      "pat-na1-SECRETSECRET\nSECRETSECRET\n",
  };
  for (size_t i = 0; i < G_N_ELEMENTS(inputs); i++) {
    GError *error = NULL;
    char *token = read_token_from(inputs[i], strlen(inputs[i]),
                                  HS_KIND_PRIVATE_APP, &error);
    ck_assert_ptr_null(token);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error->message, "SECRET") == NULL,
                  "message echoes the secret: %s", error->message);
    g_clear_error(&error);
  }
}
END_TEST

START_TEST(test_size_bound) {
  size_t big = HS_SECRET_INPUT_MAX + 1;
  char *data = g_malloc(big);
  GError *error = NULL;
  char *token;

  memset(data, 'a', big);
  token = read_token_from(data, big, HS_KIND_SERVICE_KEY, &error);
  ck_assert_ptr_null(token);
  ck_assert_ptr_nonnull(error);
  ck_assert_ptr_nonnull(strstr(error->message, "64 KiB"));
  g_clear_error(&error);
  g_free(data);
}
END_TEST

START_TEST(test_exactly_at_bound_is_read) {
  /* 64 KiB exactly is within the bound: it reaches the shape check, which
   * refuses it for length, not the reader. */
  size_t len = HS_SECRET_INPUT_MAX;
  char *data = g_malloc(len);
  GError *error = NULL;
  gsize got_len = 0;
  char *raw;
  int fds[2];

  memset(data, 'a', len);
  ck_assert_int_eq(pipe(fds), 0);
  if (fork() == 0) {
    close(fds[0]);
    for (size_t off = 0; off < len;) {
      ssize_t n = write(fds[1], data + off, len - off);
      if (n <= 0) _exit(1);
      off += (size_t)n;
    }
    _exit(0);
  }
  close(fds[1]);
  raw = hs_secret_read_fd(fds[0], &got_len, &error);
  close(fds[0]);
  ck_assert_ptr_nonnull(raw);
  ck_assert_uint_eq(got_len, len);
  hs_secure_free(raw);
  g_free(data);
}
END_TEST

static const char *const oauth_keys[] = {"client_secret", "refresh_token",
                                         NULL};

static const struct {
  const char *input;
  const char *secret, *refresh; /* NULL: refused */
} pairs[] = {
    {"client_secret=cs\nrefresh_token=rt\n", "cs", "rt"},
    {"refresh_token=rt\r\nclient_secret=cs", "cs", "rt"},
    {"\n  client_secret = cs \n\n\trefresh_token=rt\t\n", "cs", "rt"},
    {"client_secret=a=b\nrefresh_token=rt\n", "a=b", "rt"},
    {"client_secret=cs\n", NULL, NULL},                 /* missing */
    {"client_secret=cs\nrefresh_token=\n", NULL, NULL}, /* empty */
    {"client_secret=cs\nclient_secret=cs\nrefresh_token=rt", NULL, NULL},
    {"client_secret=cs\nrefresh_token=rt\nother=x\n", NULL, NULL},
    {"client_secret cs\nrefresh_token=rt\n", NULL, NULL},  /* no = */
    {"client_secret=c s\nrefresh_token=rt\n", NULL, NULL}, /* inner blank */
    {"", NULL, NULL},
};

START_TEST(test_pairs) {
  GError *error = NULL;
  char **values = hs_secret_parse_pairs(
      pairs[_i].input, strlen(pairs[_i].input), oauth_keys, &error);
  if (pairs[_i].secret != NULL) {
    ck_assert_msg(values != NULL, "case %d: %s", _i,
                  error ? error->message : "");
    ck_assert_str_eq(values[0], pairs[_i].secret);
    ck_assert_str_eq(values[1], pairs[_i].refresh);
    hs_secret_strv_free(values);
  } else {
    ck_assert_msg(values == NULL, "case %d accepted", _i);
    hs_assert_error(error, HS_ERR_USAGE);
  }
}
END_TEST

/* A malformed line may be the secret pasted on its own or with a typo in
 * its key: the message names the line and what was expected, never a byte
 * of it. */
START_TEST(test_pairs_never_echo) {
  static const struct {
    const char *input, *line;
  } bad[] = {
      {"client_secret=cs\ncs-0123456789abcdefSECRET=x\nrefresh_token=rt\n",
       "line 2 "},
      {"\nclient_secret=cs\n\n0123456789abcdefSECRET\n", "line 4 "},
      {"client_secret=cs\nrefresh_token=0123456789abcdefSECRET rt\n",
       "line 2 "},
  };

  for (gsize i = 0; i < G_N_ELEMENTS(bad); i++) {
    GError *error = NULL;
    char **values = hs_secret_parse_pairs(bad[i].input, strlen(bad[i].input),
                                          oauth_keys, &error);
    ck_assert_ptr_null(values);
    ck_assert_ptr_nonnull(error);
    ck_assert_msg(strstr(error->message, "SECRET") == NULL &&
                      strstr(error->message, "0123456789") == NULL,
                  "case %zu echoes its input: %s", i, error->message);
    ck_assert_msg(strstr(error->message, bad[i].line) != NULL,
                  "case %zu does not name %s: %s", i, bad[i].line,
                  error->message);
    hs_assert_error(error, HS_ERR_USAGE);
  }
}
END_TEST

/* The in-memory checks hs_secret_read_fd applies (tests/fuzz uses them). */
START_TEST(test_check_input) {
  GError *error = NULL;
  char *copy = hs_secret_check_input("tok\n", 4, &error);

  ck_assert_str_eq(copy, "tok\n");
  hs_secure_free(copy);
  ck_assert_ptr_null(hs_secret_check_input("a\0b", 3, &error));
  hs_assert_error(error, HS_ERR_USAGE);
  ck_assert_ptr_null(hs_secret_check_input("\xff", 1, &error));
  hs_assert_error(error, HS_ERR_USAGE);
  {
    g_autofree char *big = g_malloc0(HS_SECRET_INPUT_MAX + 1);
    memset(big, 'a', HS_SECRET_INPUT_MAX + 1);
    ck_assert_ptr_null(
        hs_secret_check_input(big, HS_SECRET_INPUT_MAX + 1, &error));
    hs_assert_error(error, HS_ERR_USAGE);
  }
}
END_TEST

int main(void) {
  Suite *s = suite_create("secret-input");
  TCase *tc = tcase_create("read");

  tcase_add_loop_test(tc, test_table, 0, G_N_ELEMENTS(table));
  tcase_add_test(tc, test_errors_never_echo);
  tcase_add_test(tc, test_size_bound);
  tcase_add_test(tc, test_exactly_at_bound_is_read);
  tcase_add_test(tc, test_pairs_never_echo);
  tcase_add_loop_test(tc, test_pairs, 0, G_N_ELEMENTS(pairs));
  tcase_add_test(tc, test_check_input);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
