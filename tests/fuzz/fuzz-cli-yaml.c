/* SPDX-License-Identifier: MIT */
/* fuzz-cli-yaml.c — the HubSpot CLI's config (hubspot.config.yml,
 * ~/.hscli/config.yml) through libyaml, and the scrub `hs-token import
 * --scrub` makes of it: the secret scalars' byte ranges must lie in the
 * buffer and not overlap, and with the one-line ones replaced as the import
 * does it the file must still be a config with the same accounts. */
#include "config.h"

#include <string.h>

#include "migrate/cli-config.h"
#include "fuzz-common.h"
#include "core/error.h"
#include "migrate/scrub.h"
#include "core/secure.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  /* A copy of exactly `size` bytes, so that ASan sees any overread. */
  char *buf = g_memdup2(data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(HsCliConfig) config = hs_cli_config_parse(buf, size, &error);
  g_autoptr(HsCliConfig) again = NULL;
  g_autoptr(GArray) ranges = NULL;
  char *clean;
  gsize clean_len = 0;

  if (config == NULL) {
    FUZZ_CHECK_ERROR(error);
    FUZZ_ASSERT(error->code == HS_ERR_USAGE);
    g_free(buf);
    return 0;
  }
  ranges = g_array_new(FALSE, FALSE, sizeof(HsScrubRange));
  for (guint i = 0; i < config->accounts->len; i++) {
    const HsCliAccount *a = g_ptr_array_index(config->accounts, i);

    FUZZ_ASSERT(a->line >= 1 && a->ranges != NULL);
    for (guint r = 0; r < a->ranges->len; r++) {
      const HsYamlRange *y = &g_array_index(a->ranges, HsYamlRange, r);
      HsScrubRange s = {y->start, y->end, "'' # moved to the keyring"};

      FUZZ_ASSERT(y->field != NULL && y->start < y->end && y->end <= size);
      if (y->one_line) {
        FUZZ_ASSERT(memchr(buf + y->start, '\n', y->end - y->start) == NULL);
        g_array_append_val(ranges, s);
      }
    }
  }
  /* Overlapping ranges would be the "internal error" of hs_scrub_apply. */
  clean = hs_scrub_apply(buf, size, (HsScrubRange *)(void *)ranges->data,
                         ranges->len, &clean_len, &error);
  FUZZ_ASSERT(clean != NULL);
  /* An anchor in a scrubbed scalar leaves its aliases dangling: the CLI
   * never writes either, so only files without them must survive. */
  if (memchr(buf, '&', size) == NULL) {
    again = hs_cli_config_parse(clean, clean_len, &error);
    FUZZ_ASSERT(again != NULL);
    FUZZ_ASSERT(again->accounts->len == config->accounts->len);
  }
  hs_secure_free_len(clean, clean_len + 1);
  g_free(buf);
  return 0;
}
