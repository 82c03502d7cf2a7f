/* SPDX-License-Identifier: MIT */
/* nearest.h — "did you mean": the known word nearest to a misspelled one.
 *
 * Distance is the optimal string alignment form of Damerau-Levenshtein
 * (insert, delete, substitute, swap two neighbours; ASCII case ignored, and
 * '-' and '_' count as the same), so "prdo" finds "prod" and "private_app"
 * finds "private-app". */
#ifndef HS_NEAREST_H
#define HS_NEAREST_H

#include <glib.h>

/* The edit distance between `a` and `b` as described above. */
guint hs_nearest_distance(const char *a, const char *b);

/* The candidate nearest to `word` (transfer none: one of `candidates`), or
 * NULL when none is close enough to be a likely typo: at most 1 edit for
 * words up to 4 characters, 2 up to 8, else 3, and never a candidate equal
 * to `word` or as long as the edits it takes.  Ties go to the first. */
const char *hs_nearest_match(const char *word, const char *const *candidates,
                             gsize n_candidates);

#endif
