/* SPDX-License-Identifier: MIT */
/* check-mask.c — the streaming secret filter behind hs-exec --mask. */
#include "config.h"

#include <string.h>

#include "check-common.h"
#include "exec/mask.h"

/* Feed `chunks` one by one, flush, return what came out (transfer full). */
static char *filter(const char *const *secrets, const char *const *chunks) {
  g_autoptr(HsMask) mask = hs_mask_new(secrets);
  GByteArray *out = g_byte_array_new();

  for (const char *const *c = chunks; *c; c++)
    hs_mask_feed(mask, *c, strlen(*c), out);
  hs_mask_flush(mask, out);
  g_byte_array_append(out, (const guint8 *)"", 1);
  return (char *)g_byte_array_free(out, FALSE);
}

static const char *const secrets[] = {"pat-na1-SECRET", "rt-refresh", "", NULL};

START_TEST(test_whole) {
  const char *const chunks[] = {"token=pat-na1-SECRET and rt-refresh.\n", NULL};
  g_autofree char *got = filter(secrets, chunks);
  ck_assert_str_eq(got, "token=*** and ***.\n");
}
END_TEST

START_TEST(test_split_across_writes) {
  const char *const chunks[] = {"a pat-na1-SE", "CRET b", NULL};
  g_autofree char *got = filter(secrets, chunks);
  ck_assert_str_eq(got, "a *** b");
}
END_TEST

START_TEST(test_one_byte_at_a_time) {
  const char *text = "xpat-na1-SECRETpat-na1-SECRETyrt-refresh";
  g_autoptr(HsMask) mask = hs_mask_new(secrets);
  GByteArray *out = g_byte_array_new();

  for (size_t i = 0; text[i]; i++) hs_mask_feed(mask, text + i, 1, out);
  hs_mask_flush(mask, out);
  g_byte_array_append(out, (const guint8 *)"", 1);
  ck_assert_str_eq((char *)out->data, "x******y***");
  g_byte_array_free(out, TRUE);
}
END_TEST

START_TEST(test_prefix_released) {
  /* A false start is held back only until it is decided, then released. */
  const char *const chunks[] = {"pat-na1-SEC", "RE", "T? no: pat-na1-X", NULL};
  g_autofree char *got = filter(secrets, chunks);
  ck_assert_str_eq(got, "***? no: pat-na1-X");
}
END_TEST

START_TEST(test_held_until_flush) {
  g_autoptr(HsMask) mask = hs_mask_new(secrets);
  GByteArray *out = g_byte_array_new();

  hs_mask_feed(mask, "ok pat-na1", 10, out);
  ck_assert_int_eq(out->len, 3); /* "ok " released, the rest may be a secret */
  hs_mask_flush(mask, out);
  ck_assert_int_eq(out->len, 10);
  ck_assert(memcmp(out->data, "ok pat-na1", 10) == 0);
  g_byte_array_free(out, TRUE);
}
END_TEST

START_TEST(test_longest_wins) {
  const char *const overlap[] = {"abc", "abcdef", NULL};
  const char *const chunks[] = {"xab", "cdefy abcz", NULL};
  g_autofree char *got = filter(overlap, chunks);
  ck_assert_str_eq(got, "x***y ***z");
}
END_TEST

START_TEST(test_binary_and_no_secrets) {
  const char *const none[] = {NULL};
  g_autoptr(HsMask) mask = hs_mask_new(none);
  GByteArray *out = g_byte_array_new();
  const char bin[] = {'a', '\0', 'b'};

  hs_mask_feed(mask, bin, sizeof bin, out);
  hs_mask_flush(mask, out);
  ck_assert_int_eq(out->len, 3);
  ck_assert(memcmp(out->data, bin, 3) == 0);
  g_byte_array_free(out, TRUE);
}
END_TEST

/* Secrets known by their digest only (a client secret, a refresh token):
 * found whole and split across writes; a tail of other bytes released. */
START_TEST(test_digests) {
  guint8 key[HS_DIGEST_KEY_LEN];
  HsDigest digests[3] = {{0}};
  g_autoptr(HsMask) mask = hs_mask_new(secrets);
  GByteArray *out = g_byte_array_new();
  const char *const chunks[] = {"a cs-0f3a-", "91 b rt-refresh cs-0f3a-9 ",
                                "cs-0f3a-", NULL};

  hs_digest_new_key(key);
  hs_digest_make(key, "cs-0f3a-91", &digests[0]);
  hs_digest_make(key, "na1-77-ab", &digests[1]);
  hs_mask_add_digests(mask, digests, key);
  hs_mask_feed(mask, chunks[0], strlen(chunks[0]), out);
  ck_assert_int_eq(out->len, 2); /* "cs-0f3a-" may go on */
  hs_mask_feed(mask, chunks[1], strlen(chunks[1]), out);
  hs_mask_feed(mask, "na1-77-ab.", 10, out);
  hs_mask_feed(mask, chunks[2], strlen(chunks[2]), out);
  hs_mask_flush(mask, out);
  g_byte_array_append(out, (const guint8 *)"", 1);
  ck_assert_str_eq((char *)out->data, "a *** b *** cs-0f3a-9 ***.cs-0f3a-");
  g_byte_array_free(out, TRUE);
}
END_TEST

int main(void) {
  Suite *s = suite_create("mask");
  TCase *tc = tcase_create("filter");

  tcase_add_test(tc, test_whole);
  tcase_add_test(tc, test_split_across_writes);
  tcase_add_test(tc, test_one_byte_at_a_time);
  tcase_add_test(tc, test_prefix_released);
  tcase_add_test(tc, test_held_until_flush);
  tcase_add_test(tc, test_longest_wins);
  tcase_add_test(tc, test_binary_and_no_secrets);
  tcase_add_test(tc, test_digests);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
