/* SPDX-License-Identifier: MIT */
/* fuzz-common.h — what every libFuzzer target here shares.  A target is one
 * file fuzz-NAME.c defining LLVMFuzzerTestOneInput, with seeds in
 * corpus/NAME/ and its program in tests/fuzz/local.mk. */
#ifndef HS_FUZZ_COMMON_H
#define HS_FUZZ_COMMON_H

#include <glib.h>
#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* An invariant the code under test promises: a broken one is a finding. */
#define FUZZ_ASSERT(cond)                                                      \
  do {                                                                         \
    if (!(cond)) {                                                             \
      g_printerr("invariant broken: %s (%s:%d)\n", #cond, __FILE__, __LINE__); \
      __builtin_trap();                                                        \
    }                                                                          \
  } while (0)

/* Every error must say something, and in our domain. */
#define FUZZ_CHECK_ERROR(err)                            \
  FUZZ_ASSERT((err) != NULL && (err)->message != NULL && \
              (err)->message[0] != '\0')

#endif
