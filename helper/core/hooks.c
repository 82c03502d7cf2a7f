/* SPDX-License-Identifier: MIT */
/* hooks.c — what a test build may change (hooks.h). */
#include "config.h"

#include "core/hooks.h"

static HsHooks hooks = {NULL, 0, -1, 0};

const HsHooks *hs_hooks(void) { return &hooks; }

void hs_hooks_set(const HsHooks *new_hooks) { hooks = *new_hooks; }
