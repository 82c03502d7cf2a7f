/* SPDX-License-Identifier: MIT */
/* check-cache-entry.c — the cached token's payload: what is encoded decodes
 * to the same fields; anything else (an older version's JSON, a field
 * missing, out of order or followed by more, a newline in a field, a bad
 * expiry) is no entry. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "base/cache-entry.h"
#include "check-common.h"

static bool decode(const char *payload, HsCacheEntry *entry) {
  return hs_cache_entry_decode(payload, strlen(payload), entry);
}

START_TEST(test_round_trip) {
  size_t len = 0;
  char *payload = hs_cache_entry_encode("tok-1", 1800000000, "42", &len);
  HsCacheEntry entry;

  ck_assert_ptr_nonnull(payload);
  ck_assert_uint_eq(len, strlen(payload));
  ck_assert_str_eq(payload,
                   "hs-exec-cache 1\nexpires_at=1800000000\n"
                   "hub_id=42\naccess_token=tok-1\n");
  ck_assert(hs_cache_entry_decode(payload, len, &entry));
  ck_assert_str_eq(entry.access_token, "tok-1");
  ck_assert_int_eq(entry.expires_at, 1800000000);
  ck_assert_str_eq(entry.hub_id, "42");
  hs_cache_entry_clear(&entry);
  ck_assert_ptr_null(entry.access_token);
  free(payload);

  /* No hub id: none after decoding either. */
  payload = hs_cache_entry_encode("tok-2", 1800000000, NULL, &len);
  ck_assert(hs_cache_entry_decode(payload, len, &entry));
  ck_assert_ptr_null(entry.hub_id);
  hs_cache_entry_clear(&entry);
  free(payload);
}
END_TEST

START_TEST(test_newline_not_encoded) {
  size_t len = 0;

  ck_assert_ptr_null(hs_cache_entry_encode("tok\nexpires_at=9", 1, NULL, &len));
  ck_assert_ptr_null(hs_cache_entry_encode("tok", 1, "4\n2", &len));
}
END_TEST

START_TEST(test_others_are_no_entry) {
  static const char *const bad[] = {
      "{\"access_token\":\"t\",\"expires_at\":1800000000}",
      "hs-exec-cache 2\nexpires_at=1800000000\nhub_id=\naccess_token=t\n",
      "hs-exec-cache 1\nexpires_at=1800000000\nhub_id=\n",
      "hs-exec-cache 1\nhub_id=\nexpires_at=1800000000\naccess_token=t\n",
      "hs-exec-cache 1\nexpires_at=1800000000\nhub_id=\naccess_token=t\nx=1\n",
      "hs-exec-cache 1\nexpires_at=1800000000\nhub_id=\naccess_token=t",
      "hs-exec-cache 1\nexpires_at=18e8\nhub_id=\naccess_token=t\n",
      "hs-exec-cache 1\nexpires_at=-5\nhub_id=\naccess_token=t\n",
      "hs-exec-cache 1\nexpires_at=1800000000\nhub_id=\naccess_token=\n",
      "",
      NULL};

  for (const char *const *p = bad; *p; p++) {
    HsCacheEntry entry;

    ck_assert_msg(!decode(*p, &entry), "decoded: %s", *p);
    ck_assert_ptr_null(entry.access_token);
    ck_assert_ptr_null(entry.hub_id);
  }
}
END_TEST

START_TEST(test_nul_in_payload) {
  static const char payload[] =
      "hs-exec-cache 1\nexpires_at=1800000000\nhub_id=\naccess_token=t\0u\n";
  HsCacheEntry entry;

  ck_assert(!hs_cache_entry_decode(payload, sizeof payload - 1, &entry));
}
END_TEST

int main(void) {
  Suite *s = suite_create("cache-entry");
  TCase *tc = tcase_create("cache-entry");

  tcase_add_test(tc, test_round_trip);
  tcase_add_test(tc, test_newline_not_encoded);
  tcase_add_test(tc, test_others_are_no_entry);
  tcase_add_test(tc, test_nul_in_payload);
  suite_add_tcase(s, tc);
  return hs_run_suite(s);
}
