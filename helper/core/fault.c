/* SPDX-License-Identifier: MIT */
/* fault.c — fault points for the crash tests of the test builds. */
#include "config.h"

#include <stddef.h>

#include "core/fault.h"

static HsFaultFn fault_fn = NULL;

void hs_fault_install(HsFaultFn fn) { fault_fn = fn; }

void hs_fault_point(const char *step) {
  if (fault_fn != NULL) fault_fn(step);
}
