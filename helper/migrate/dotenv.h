/* SPDX-License-Identifier: MIT */
/* dotenv.h — parsing .env files (KEY=VALUE lines as docker compose,
 * python-dotenv and the shells read them) into entries with the byte range
 * of each line, so that a caller can rewrite a file line by line. */
#ifndef HS_DOTENV_H
#define HS_DOTENV_H

#include <glib.h>

typedef struct {
  char *key;        /* the variable name */
  char *value;      /* SECRET: the unquoted, unescaped value ("" if empty) */
  guint line;       /* 1-based line number of the assignment */
  gsize line_start; /* byte offset of the line's first byte */
  gsize line_end;   /* byte offset of its end: the '\n' (or '\r\n'), or len */
} HsDotenvEntry;

/* Every assignment in file order; a key set twice appears twice (the last
 * one is what a shell would keep).  Comments, blank lines and `export `
 * prefixes are understood.  (transfer full: free with hs_dotenv_free) */
typedef struct {
  HsDotenvEntry *entries;
  gsize n_entries;
} HsDotenv;

/* Parse `len` bytes of `buf` (need not be NUL-terminated).  Rules: `KEY=VALUE`
 * with optional `export `; KEY is [A-Za-z_][A-Za-z0-9_.-]*; a VALUE in single
 * quotes is literal, in double quotes \n \r \t \" \\ \$ are escapes, and
 * either may span lines; an unquoted VALUE ends at " #" (inline comment) and
 * loses its surrounding blanks; CRLF line ends are accepted.  NULL with
 * HS_ERR_USAGE naming the line (never its value) when a line is none of
 * these, a quote is not closed, or the buffer holds a NUL byte or is not
 * UTF-8. */
HsDotenv *hs_dotenv_parse(const char *buf, gsize len, GError **error);

/* The last entry for `key`, or NULL (transfer none). */
const HsDotenvEntry *hs_dotenv_get(const HsDotenv *env, const char *key);

/* Free the entries, wiping every value.  NULL is fine. */
void hs_dotenv_free(HsDotenv *env);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsDotenv, hs_dotenv_free)

#endif
