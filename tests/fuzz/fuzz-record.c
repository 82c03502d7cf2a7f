/* SPDX-License-Identifier: MIT */
/* fuzz-record.c — a profile record as read back from a store
 * (hs_record_from_json): whatever the store hands back, the parser fails
 * cleanly, and what it accepts survives a round trip. */
#include "config.h"

#include "fuzz-common.h"
#include "core/error.h"
#include "core/record.h"
#include "core/rotation.h"
#include "core/secure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  g_autoptr(GError) error = NULL;
  g_autoptr(HsRecord) record =
      hs_record_from_json((const char *)data, (gssize)size, &error);
  g_autoptr(HsRecord) again = NULL;
  char *json;
  gsize len = 0;

  if (record == NULL) {
    FUZZ_CHECK_ERROR(error);
    FUZZ_ASSERT(error->code == HS_ERR_UNAVAILABLE);
    return 0;
  }
  (void)hs_record_has_secrets(record);
  (void)hs_record_has_scope(record, "oauth");
  (void)hs_rotation_status(hs_record_age_days(record, 1800000000));
  json = hs_record_to_json(record, &len);
  again = hs_record_from_json(json, (gssize)len, &error);
  FUZZ_ASSERT(again != NULL);
  FUZZ_ASSERT(again->kind == record->kind);
  FUZZ_ASSERT(g_strcmp0(again->profile, record->profile) == 0);
  FUZZ_ASSERT(g_strcmp0(again->token, record->token) == 0);
  FUZZ_ASSERT(g_strcmp0(again->refresh_token, record->refresh_token) == 0);
  hs_secure_free_len(json, len);
  return 0;
}
