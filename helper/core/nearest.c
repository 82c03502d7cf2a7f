/* SPDX-License-Identifier: MIT */
/* nearest.c — see nearest.h. */
#include "config.h"

#include <string.h>

#include "core/nearest.h"

/* Longer words than this are not typos of a command, kind or profile name
 * (profile names stop at 64); the table stays on the stack. */
#define NEAREST_MAX 64

static char fold(char c) {
  c = g_ascii_tolower(c);
  return c == '_' ? '-' : c;
}

guint hs_nearest_distance(const char *a, const char *b) {
  gsize la = strlen(a), lb = strlen(b);
  guint d[NEAREST_MAX + 1][NEAREST_MAX + 1];

  if (la > NEAREST_MAX || lb > NEAREST_MAX) return G_MAXUINT;
  for (gsize i = 0; i <= la; i++) d[i][0] = (guint)i;
  for (gsize j = 0; j <= lb; j++) d[0][j] = (guint)j;
  for (gsize i = 1; i <= la; i++) {
    for (gsize j = 1; j <= lb; j++) {
      guint cost = fold(a[i - 1]) == fold(b[j - 1]) ? 0 : 1;
      guint best = MIN(d[i - 1][j] + 1, d[i][j - 1] + 1);
      best = MIN(best, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && fold(a[i - 1]) == fold(b[j - 2]) &&
          fold(a[i - 2]) == fold(b[j - 1]))
        best = MIN(best, d[i - 2][j - 2] + 1);
      d[i][j] = best;
    }
  }
  return d[la][lb];
}

const char *hs_nearest_match(const char *word, const char *const *candidates,
                             gsize n_candidates) {
  gsize len = word != NULL ? strlen(word) : 0;
  guint limit = len <= 4 ? 1 : len <= 8 ? 2 : 3;
  const char *best = NULL;
  guint best_distance = G_MAXUINT;

  if (len == 0) return NULL;
  for (gsize i = 0; i < n_candidates; i++) {
    guint d;
    if (candidates[i] == NULL || strcmp(candidates[i], word) == 0) continue;
    d = hs_nearest_distance(word, candidates[i]);
    /* "ab" is 2 edits from any 2-letter word: no evidence of a typo. */
    if (d > limit || d >= strlen(candidates[i]) || d >= best_distance) continue;
    best = candidates[i];
    best_distance = d;
  }
  return best;
}
