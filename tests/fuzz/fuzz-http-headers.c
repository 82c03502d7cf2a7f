/* SPDX-License-Identifier: MIT */
/* fuzz-http-headers.c — response header lines as libcurl hands them over
 * (not NUL-terminated), the Retry-After value (delta-seconds or an HTTP
 * date) and the retry delay computed from it. */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "hubspot/http.h"
#include "hubspot/api.h"

#define NOW ((gint64)1800000000)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly `size` bytes, so that ASan sees any overread. */
  char *line = g_memdup2(data, size);
  g_autofree char *retry_after =
      hs_http_header_value(line, size, "retry-after:");
  g_autofree char *date = hs_http_header_value(line, size, "date:");
  g_autofree char *whole = g_strndup(line, size);
  gint64 seconds = hs_api_retry_after_parse(retry_after, NOW);

  FUZZ_ASSERT(seconds >= -1);
  (void)hs_http_parse_date(date);
  /* The raw bytes as a value too, as the unit tests give it. */
  FUZZ_ASSERT(hs_api_retry_after_parse(whole, NOW) >= -1);
  for (int attempt = 1; attempt <= HS_API_MAX_TRIES; attempt++) {
    gint64 delay =
        hs_api_retry_delay_ms(attempt, 429, seconds, NULL, 1000, 0.5);
    FUZZ_ASSERT(delay <= HS_API_MAX_RETRY_DELAY_MS);
  }
  g_free(line);
  return 0;
}
