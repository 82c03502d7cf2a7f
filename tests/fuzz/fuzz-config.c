/* SPDX-License-Identifier: MIT */
/* fuzz-config.c — hs-exec.conf (GKeyFile, [stores] order= with NSS-style
 * actions, [hubspot] oauth-api=, [store NAME] sections).  The first byte says
 * whether the file is "vetted" (may name plugins by absolute path). */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"
#include "core/config.h"
#include "core/error.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  g_autoptr(GError) error = NULL;
  g_autoptr(HsConfig) config = NULL;
  gboolean vetted;

  if (size == 0) return 0;
  vetted = data[0] & 1;
  config = hs_config_load_data((const char *)data + 1, size - 1,
                               "/fuzz/hs-exec.conf", vetted, &error);
  if (config == NULL) {
    FUZZ_CHECK_ERROR(error);
    FUZZ_ASSERT(error->code == HS_ERR_CONFIG);
    return 0;
  }
  FUZZ_ASSERT(config->stores->len > 0);
  for (guint i = 0; i < config->stores->len; i++) {
    HsStoreSpec *spec = g_ptr_array_index(config->stores, i);
    FUZZ_ASSERT(spec->name != NULL && spec->name[0] != '\0');
    FUZZ_ASSERT(vetted || spec->name[0] != '/');
    /* Options come only from a vetted file, each as key=value. */
    FUZZ_ASSERT(vetted || spec->options == NULL);
    for (char **o = spec->options; o != NULL && *o != NULL; o++)
      FUZZ_ASSERT(strchr(*o, '=') != NULL);
  }
  return 0;
}
