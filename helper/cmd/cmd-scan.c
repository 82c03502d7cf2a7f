/* SPDX-License-Identifier: MIT */
/* hs-token scan: HubSpot credentials in plain text, in a tree or in what is
 * staged for commit. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cmd/new-profile.h"
#include "cmd/options.h"
#include "cmd/output.h"
#include "core/error.h"
#include "cmd/commands.h"
#include "migrate/scan.h"

/* Files larger than this are skipped: tokens live in config and source
 * files, and a scan must stay fast on trees with build output and media. */
#define SCAN_MAX_FILE (1024 * 1024)
/* A NUL byte in the first block marks a binary file, as git and grep say. */
#define SCAN_BINARY_PROBE 8192

/* nftw() passes no user data, so one scan's state lives here. */
static struct {
  char *buf; /* SCAN_MAX_FILE + 1 bytes, wiped after each file */
  guint hits, files, binary, large, links, unreadable;
  const char *path; /* the file being scanned */
} scan;

static void print_hit(const char *path, const HsScanHit *hit,
                      const char *text) {
  g_autofree char *masked = hs_scan_mask(text + hit->start, hit->len);
  g_autofree char *shown = hs_output_printable(path);
  /* A file name may hold escape sequences; the terminal gets none. */
  printf("%s:%u: %s %s\n", shown, hit->line, hit->kind, masked);
}

static void file_hit(const HsScanHit *hit, void *user_data) {
  print_hit(scan.path, hit, scan.buf);
}

static void scan_file(const char *path) {
  struct stat st;
  gsize len = 0;
  ssize_t r;
  int fd =
      open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY | O_NONBLOCK);

  if (fd < 0 || fstat(fd, &st) != 0) {
    int e = errno;
    g_autofree char *shown = hs_output_printable(path);
    fprintf(stderr, "hs-token: warning: cannot read %s (%s); not scanned\n",
            shown, g_strerror(e));
    scan.unreadable++;
    if (fd >= 0) close(fd);
    return;
  }
  if (!S_ISREG(st.st_mode)) goto out;
  if (st.st_size > SCAN_MAX_FILE) {
    scan.large++;
    goto out;
  }
  while (len < SCAN_MAX_FILE + 1 &&
         (r = read(fd, scan.buf + len, SCAN_MAX_FILE + 1 - len)) != 0) {
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      int e = errno;
      g_autofree char *shown = hs_output_printable(path);
      fprintf(stderr, "hs-token: warning: cannot read %s (%s); not scanned\n",
              shown, g_strerror(e));
      scan.unreadable++;
      goto out;
    }
    len += (gsize)r;
  }
  if (len > SCAN_MAX_FILE) {
    scan.large++;
  } else if (memchr(scan.buf, '\0', MIN(len, SCAN_BINARY_PROBE)) != NULL) {
    scan.binary++;
  } else {
    scan.files++;
    scan.path = path;
    scan.hits += hs_scan_text(scan.buf, len, 1, file_hit, NULL);
  }
  explicit_bzero(scan.buf, len);
out:
  close(fd);
}

static int visit(const char *path, const struct stat *st, int type,
                 struct FTW *ftw) {
  switch (type) {
    case FTW_F:
      /* Sockets, FIFOs and devices hold no files' text; opening a FIFO
       * could block. */
      if (S_ISREG(st->st_mode)) scan_file(path);
      break;
    case FTW_D:
      if (strcmp(path + ftw->base, ".git") == 0) return FTW_SKIP_SUBTREE;
      break;
    case FTW_SL:
    case FTW_SLN:
      /* Never followed: a link may lead out of the tree or round in a
       * loop; a file it points to inside the tree is scanned where it is. */
      scan.links++;
      break;
    case FTW_DNR:
    case FTW_NS: {
      g_autofree char *shown = hs_output_printable(path);
      fprintf(stderr, "hs-token: warning: cannot read %s; not scanned\n",
              shown);
      scan.unreadable++;
      break;
    }
    default:
      break;
  }
  return FTW_CONTINUE;
}

static gboolean scan_path(const char *path, GError **error) {
  g_autofree char *top = NULL;
  struct stat st;

  /* A path named on the command line is followed if it is a link. */
  if (stat(path, &st) != 0) {
    int e = errno;
    g_autofree char *shown = hs_output_printable(path);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "scan: cannot read %s (%s); give a file or directory that "
                "exists",
                shown, g_strerror(e));
    return FALSE;
  }
  if (S_ISREG(st.st_mode)) {
    scan_file(path);
    return TRUE;
  }
  /* nftw() with FTW_PHYS would not enter a named link to a directory:
   * walk where it leads (and report those paths); the links inside are
   * still not followed. */
  if (lstat(path, &st) == 0 && S_ISLNK(st.st_mode)) top = realpath(path, NULL);
  if (nftw(top ? top : path, visit, 32, FTW_PHYS | FTW_ACTIONRETVAL) != 0) {
    int e = errno;
    g_autofree char *shown = hs_output_printable(path);
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "scan: cannot walk %s (%s)", shown, g_strerror(e));
    return FALSE;
  }
  return TRUE;
}

static void diff_hit(const char *path, const HsScanHit *hit, const char *text,
                     void *user_data) {
  print_hit(path, hit, text);
}

static gboolean scan_staged(GError **error) {
  const char *argv[] = {"git",
                        "-c",
                        "core.quotepath=off",
                        "diff",
                        "--cached",
                        "--no-color",
                        "--no-ext-diff",
                        "--no-textconv",
                        "-U0",
                        "--diff-filter=ACMR",
                        "--src-prefix=a/",
                        "--dst-prefix=b/",
                        NULL};
  g_autofree char *out = NULL, *err = NULL;
  g_autoptr(GError) local = NULL;
  int wait_status = 0;

  if (!g_spawn_sync(NULL, (char **)argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                    &out, &err, &wait_status, &local)) {
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "scan --staged: cannot run git (%s); install git or scan "
                "paths instead",
                local->message);
    return FALSE;
  }
  if (!g_spawn_check_wait_status(wait_status, NULL)) {
    char *nl = strchr(err, '\n');
    if (nl != NULL) *nl = '\0'; /* git's first line says it */
    g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                "scan --staged: 'git diff --cached' failed (%s); run it "
                "inside a git work tree",
                *err ? err : "no message");
    return FALSE;
  }
  scan.hits += hs_scan_diff(out, strlen(out), diff_hit, NULL);
  explicit_bzero(out, strlen(out));
  return TRUE;
}

/* scan's exit codes are grep's (docs/design.md, "Exit codes"): 0 clean,
 * 1 credentials found, 2 anything that kept it from scanning all it was
 * asked to, so that a hook never reads a failure as "found" or "clean". */
enum { SCAN_FOUND = 1, SCAN_TROUBLE = 2 };

static gboolean cannot_scan(GError **error) {
  if (error != NULL && *error != NULL) {
    (*error)->domain = HS_ERROR_DOMAIN;
    (*error)->code = SCAN_TROUBLE;
  }
  return FALSE;
}

gboolean hs_cmd_scan(int argc, char **argv, GError **error) {
  gboolean staged = FALSE, ok = TRUE;
  GOptionEntry entries[] = {
      {"staged", 0, 0, G_OPTION_ARG_NONE, &staged,
       "Scan what 'git diff --cached' adds (a pre-commit hook)", NULL},
      {NULL, 0, 0, 0, NULL, NULL, NULL}};

  if (!hs_options_parse("scan", "[PATH…] [--staged]", entries, -1, &argc, &argv,
                        error))
    return cannot_scan(error);
  if (staged && argc > 1) {
    g_set_error(error, HS_ERROR_DOMAIN, SCAN_TROUBLE,
                "scan: --staged scans the git index; give no PATH with it");
    return FALSE;
  }
  memset(&scan, 0, sizeof scan);
  scan.buf = g_malloc(SCAN_MAX_FILE + 1);
  if (staged)
    ok = scan_staged(error);
  else if (argc == 1)
    ok = scan_path(".", error);
  else
    for (int i = 1; i < argc && ok; i++) ok = scan_path(argv[i], error);
  g_free(scan.buf);
  fflush(stdout);
  if (!ok) return cannot_scan(error);
  if (scan.unreadable > 0) {
    g_set_error(error, HS_ERROR_DOMAIN, SCAN_TROUBLE,
                "scan: %u file%s or director%s could not be read (see above) "
                "and %u HubSpot credential%s found in the rest; fix the "
                "permissions or leave those paths out, and scan again",
                scan.unreadable, scan.unreadable == 1 ? "" : "s",
                scan.unreadable == 1 ? "y" : "ies", scan.hits,
                scan.hits == 1 ? " was" : "s were");
    return FALSE;
  }
  if (scan.hits > 0) {
    g_set_error(error, HS_ERROR_DOMAIN, SCAN_FOUND,
                "scan: %u HubSpot credential%s in plain text; move each into "
                "the keyring with 'hs-token import FILE --scrub' (or 'hs-token "
                "add'), and rotate any that were ever committed or shared",
                scan.hits, scan.hits == 1 ? "" : "s");
    return FALSE;
  }
  if (staged)
    printf("No HubSpot credentials in the staged changes.\n");
  else
    printf(
        "No HubSpot credentials found (%u files scanned; skipped %u "
        "binary, %u over 1 MiB, %u symbolic links).\n",
        scan.files, scan.binary, scan.large, scan.links);
  return TRUE;
}
