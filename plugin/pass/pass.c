/* SPDX-License-Identifier: MIT */
/* pass.c — store plugin keeping profiles as entries of a pass(1) password
 * store, for a team sharing one store through git.
 *
 * Each profile is DIR/PREFIX/PROFILE.gpg, an ordinary pass entry encrypted
 * through GPGME to the recipients in the nearest .gpg-id (PREFIX's own,
 * else the store's), as pass does.  Its plaintext is what hs-plugin(7)
 * calls the record format: a first line (the host's record on one line,
 * or a bare token written by hand with `pass insert -m`), then "key: value"
 * lines of which kind (required) and hub_id are read.
 *
 * When DIR is a git repository, a write commits the one entry with a
 * message naming the profile and pushes when a remote is configured; a
 * lookup pulls at most once every sync-interval seconds, a write always
 * first.  A failed pull or push never fails the call: it is noted in
 * DIR/.git/hs-exec-sync and probe() (`hs-token doctor`) reports it with the
 * unpushed commits.  Git
 * runs directly with an argv, never a shell, with GIT_TERMINAL_PROMPT=0.
 * Options (hs-exec.conf, [store pass]): dir, prefix, sync-interval, sync.
 * Links libgpgme.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <gpgme.h>

#include "common/store-util.h"
#include "hs-plugin.h"

#ifndef GIT_PROGRAM
#define GIT_PROGRAM "/usr/bin/git"
#endif

#define DEFAULT_PREFIX "hubspot"
#define DEFAULT_SYNC_INTERVAL 300
#define MAX_FIELD HS_PU_MAX_FIELD
#define MAX_PROFILE HS_PU_MAX_PROFILE
#define MAX_RECIPIENTS 32
/* A record is a few hundred bytes; anything this large is not ours. */
#define MAX_PAYLOAD (64 * 1024)
#define SYNC_FILE "hs-exec-sync"
#define REMOTE_TIMEOUT_MS 5000
/* A pull or push that hangs (a remote gone quiet) must not hang hs-exec. */
#define SYNC_TIMEOUT_MS 15000

typedef struct {
  char dir[PATH_MAX - 256]; /* the password store */
  char prefix[128];         /* entries are PREFIX/PROFILE.gpg */
  long sync_interval;       /* seconds between pulls; 0 = every lookup */
  int sync;                 /* 0: never run git */
} Store;

/* A profile name as the host's, and not starting with '.', so that
 * PROFILE.gpg is never a hidden file of the store. */
static int valid_profile(const char *profile) {
  return profile[0] != '.' && hs_pu_valid_profile(profile);
}

/* A prefix is one or more path components of [A-Za-z0-9._-], none of them
 * "." or "..", so an entry never leaves the store. */
static int valid_prefix(const char *prefix) {
  const char *p = prefix;
  size_t n = strlen(prefix);

  if (n == 0 || n >= sizeof((Store *)0)->prefix || prefix[0] == '/' ||
      prefix[n - 1] == '/' ||
      strspn(prefix,
             "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
             "0123456789._-/") != n)
    return 0;
  while (*p) {
    size_t c = strcspn(p, "/");
    if (c == 0 || (c == 1 && p[0] == '.') ||
        (c == 2 && p[0] == '.' && p[1] == '.'))
      return 0;
    p += c;
    if (*p == '/') p++;
  }
  return 1;
}

static const char *home_dir(void) {
  const char *home = secure_getenv("HOME");
  struct passwd *pw;

  if (home != NULL && home[0] == '/') return home;
  pw = getpwuid(getuid());
  return pw != NULL && pw->pw_dir != NULL ? pw->pw_dir : NULL;
}

/* ---- options ---- */

static hs_status set_dir(Store *s, const char *value, const char *what,
                         char *msg, size_t msg_size) {
  const char *home = NULL;
  int n;

  if (value[0] == '~' && (value[1] == '/' || value[1] == '\0')) {
    home = home_dir();
    if (home == NULL) {
      hs_pu_set_msg(msg, msg_size, "%s '%.200s': no home directory to expand ~",
                    what, value);
      return HS_ERROR;
    }
    n = snprintf(s->dir, sizeof s->dir, "%s%s", home, value + 1);
  } else {
    n = snprintf(s->dir, sizeof s->dir, "%s", value);
  }
  if (s->dir[0] != '/' || n < 0 || (size_t)n >= sizeof s->dir ||
      strchr(s->dir, '\n') != NULL) {
    hs_pu_set_msg(msg, msg_size,
                  "%s '%.200s' is not an absolute directory path", what, value);
    return HS_ERROR;
  }
  while (n > 1 && s->dir[n - 1] == '/') s->dir[--n] = '\0';
  return HS_OK;
}

static hs_status parse_options(Store *s, const char *const *options, char *msg,
                               size_t msg_size) {
  /* Not pass's $PASSWORD_STORE_DIR: the environment may be filled from a
   * repository (.env loaders, CI files), and a store there, with its own
   * .gpg-id and git remote, would take every secret written to it.  Only
   * hs-exec.conf's dir= moves the store (docs/design.md, "Configuration"). */
  hs_status status;

  snprintf(s->prefix, sizeof s->prefix, "%s", DEFAULT_PREFIX);
  s->sync_interval = DEFAULT_SYNC_INTERVAL;
  s->sync = 1;
  status = set_dir(s, "~/.password-store", "the default store", msg, msg_size);
  if (status != HS_OK) return status;
  for (const char *const *o = options; o != NULL && *o != NULL; o++) {
    const char *value;
    size_t klen = hs_pu_option_key(*o, &value);

    if (hs_pu_is_key(*o, klen, "dir")) {
      status = set_dir(s, value, "option dir", msg, msg_size);
      if (status != HS_OK) return status;
    } else if (hs_pu_is_key(*o, klen, "prefix")) {
      if (!valid_prefix(value)) {
        hs_pu_set_msg(msg, msg_size,
                      "option prefix='%.100s' is not a folder inside the store "
                      "(letters, digits, '.', '_', '-', '/')",
                      value);
        return HS_ERROR;
      }
      snprintf(s->prefix, sizeof s->prefix, "%s", value);
    } else if (hs_pu_is_key(*o, klen, "sync-interval")) {
      char *end = NULL;
      long v;
      errno = 0;
      v = strtol(value, &end, 10);
      if (value[0] == '\0' || *end != '\0' || errno != 0 || v < 0 ||
          v > 86400 * 365) {
        hs_pu_set_msg(msg, msg_size,
                      "option sync-interval='%.40s' is not a number of seconds "
                      "(0 pulls before every lookup)",
                      value);
        return HS_ERROR;
      }
      s->sync_interval = v;
    } else if (hs_pu_is_key(*o, klen, "sync")) {
      if (strcmp(value, "on") == 0)
        s->sync = 1;
      else if (strcmp(value, "off") == 0)
        s->sync = 0;
      else {
        hs_pu_set_msg(msg, msg_size, "option sync='%.40s' is not on or off",
                      value);
        return HS_ERROR;
      }
    } else {
      return hs_pu_unknown_option(
          *o, klen, "dir, prefix, sync-interval and sync", msg, msg_size);
    }
  }
  return HS_OK;
}

/* ---- running git ---- */

/* The first non-empty line of `text` (modified): git says what failed
 * first and how to fix it after. */
static const char *first_line(char *text) {
  text += strspn(text, "\n");
  text[strcspn(text, "\n")] = '\0';
  return *text ? text : "no reason given";
}

/* What one run of git gave back. */
typedef struct {
  char out[512];   /* the start of its standard output */
  char err[512];   /* the start of its standard error */
  int exit_status; /* its exit status, or -1 when it did not finish */
} Run;

static void append(char *buf, size_t cap, size_t *len, const char *data,
                   size_t n) {
  if (*len + 1 >= cap) return;
  if (n > cap - 1 - *len) n = cap - 1 - *len;
  memcpy(buf + *len, data, n);
  *len += n;
  buf[*len] = '\0';
}

/* Run `git -C DIR ARGS...` with no standard input, within `timeout_ms`
 * (0: no limit; a child that overstays is killed).  Its environment is
 * the few variables git needs to find the user's configuration and keys,
 * never a secret: no git command here is given one. */
static void run_git(const Store *s, const char *const *args, int timeout_ms,
                    Run *run) {
  static const char *const keep[] = {
      "HOME",      "USER",          "LOGNAME",
      "GNUPGHOME", "SSH_AUTH_SOCK", "XDG_CONFIG_HOME",
      NULL};
  const char *argv[16] = {GIT_PROGRAM, "-C", s->dir};
  char env_store[8][PATH_MAX];
  char *envp[16];
  int out_pipe[2] = {-1, -1}, err_pipe[2] = {-1, -1};
  int null_fd = -1, status, ne = 0, timed_out = 0;
  size_t out_len = 0, err_len = 0;
  struct timespec start;
  pid_t pid;

  run->exit_status = -1;
  run->out[0] = run->err[0] = '\0';
  for (int i = 0; args[i] != NULL && i + 4 < (int)(sizeof argv / sizeof *argv);
       i++)
    argv[i + 3] = args[i];
  envp[ne++] = "PATH=/usr/local/bin:/usr/bin:/bin";
  envp[ne++] = "LC_ALL=C";
  envp[ne++] = "GIT_TERMINAL_PROMPT=0";
  envp[ne++] = "GIT_ASKPASS=/bin/false";
  envp[ne++] = "SSH_ASKPASS=/bin/false";
  envp[ne++] = "GIT_SSH_COMMAND=ssh -o BatchMode=yes";
  for (int i = 0, k = 0; keep[i] != NULL && k < 8; i++) {
    const char *v = secure_getenv(keep[i]);
    if (v == NULL) continue;
    snprintf(env_store[k], sizeof env_store[k], "%s=%s", keep[i], v);
    envp[ne++] = env_store[k++];
  }
  envp[ne] = NULL;
  clock_gettime(CLOCK_MONOTONIC, &start);
  null_fd = open("/dev/null", O_RDWR | O_CLOEXEC);
  if (null_fd < 0 || pipe2(out_pipe, O_CLOEXEC) != 0 ||
      pipe2(err_pipe, O_CLOEXEC) != 0) {
    snprintf(run->err, sizeof run->err, "cannot make a pipe: %s",
             strerror(errno));
    goto out;
  }
  pid = fork();
  if (pid < 0) {
    snprintf(run->err, sizeof run->err, "cannot fork: %s", strerror(errno));
    goto out;
  }
  if (pid == 0) {
    /* Only async-signal-safe calls from here to execve. */
    sigset_t none;
    if (dup2(null_fd, 0) < 0 || dup2(out_pipe[1], 1) < 0 ||
        dup2(err_pipe[1], 2) < 0)
      _exit(126);
    umask(077);
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, NULL);
    signal(SIGPIPE, SIG_DFL);
    execve(GIT_PROGRAM, (char *const *)argv, envp);
    _exit(127);
  }
  close(out_pipe[1]);
  close(err_pipe[1]);
  out_pipe[1] = err_pipe[1] = -1;
  for (;;) {
    struct pollfd fds[2];
    nfds_t n = 0;
    int wait_ms = -1;
    char buf[1024];

    if (out_pipe[0] >= 0) fds[n++] = (struct pollfd){out_pipe[0], POLLIN, 0};
    if (err_pipe[0] >= 0) fds[n++] = (struct pollfd){err_pipe[0], POLLIN, 0};
    if (n == 0) break;
    if (timeout_ms > 0) {
      struct timespec now;
      long spent;
      clock_gettime(CLOCK_MONOTONIC, &now);
      spent = (now.tv_sec - start.tv_sec) * 1000 +
              (now.tv_nsec - start.tv_nsec) / 1000000;
      if (spent >= timeout_ms) {
        /* SIGTERM: git removes its lock files on the way out. */
        kill(pid, SIGTERM);
        snprintf(run->err, sizeof run->err, "no answer within %d seconds",
                 timeout_ms / 1000);
        timed_out = 1;
        break;
      }
      wait_ms = (int)(timeout_ms - spent);
    }
    if (poll(fds, n, wait_ms) < 0) {
      if (errno == EINTR) continue;
      break;
    }
    for (nfds_t i = 0; i < n; i++) {
      ssize_t got;
      if (fds[i].revents == 0) continue;
      got = read(fds[i].fd, buf, sizeof buf);
      if (got > 0) {
        if (fds[i].fd == out_pipe[0])
          append(run->out, sizeof run->out, &out_len, buf, (size_t)got);
        else
          append(run->err, sizeof run->err, &err_len, buf, (size_t)got);
      }
      if (got == 0 || (got < 0 && errno != EINTR)) {
        if (fds[i].fd == out_pipe[0]) {
          close(out_pipe[0]);
          out_pipe[0] = -1;
        } else {
          close(err_pipe[0]);
          err_pipe[0] = -1;
        }
      }
    }
  }
  while (waitpid(pid, &status, 0) < 0)
    if (errno != EINTR) goto out;
  if (WIFEXITED(status) && !timed_out) run->exit_status = WEXITSTATUS(status);
out:
  for (int i = 0; i < 2; i++) {
    if (out_pipe[i] >= 0) close(out_pipe[i]);
    if (err_pipe[i] >= 0) close(err_pipe[i]);
  }
  if (null_fd >= 0) close(null_fd);
}

static int is_git(const Store *s) {
  char path[PATH_MAX];
  struct stat st;

  snprintf(path, sizeof path, "%s/.git", s->dir);
  return s->sync && stat(path, &st) == 0 && S_ISDIR(st.st_mode) &&
         access(GIT_PROGRAM, X_OK) == 0;
}

/* Whether the repository names a remote: read from .git/config, so a
 * lookup with nothing to pull from costs no git run. */
static int has_remote(const Store *s) {
  char path[PATH_MAX], line[512];
  int found = 0;
  FILE *f;

  snprintf(path, sizeof path, "%s/.git/config", s->dir);
  f = fopen(path, "re");
  if (f == NULL) return 0;
  while (!found && fgets(line, sizeof line, f) != NULL)
    if (strncmp(line, "[remote ", 8) == 0) found = 1;
  fclose(f);
  return found;
}

/* Note the outcome of a pull or push in .git/hs-exec-sync, for probe():
 * an empty file when it worked, else one line saying what failed. */
static void note_sync(const Store *s, const char *what, Run *run) {
  char path[PATH_MAX];
  int fd;

  snprintf(path, sizeof path, "%s/.git/" SYNC_FILE, s->dir);
  fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) return;
  if (run != NULL && run->exit_status != 0)
    dprintf(fd, "git %s failed: %s\n", what, first_line(run->err));
  close(fd);
}

/* Pull when the last pull is sync-interval seconds old or more.  The sync
 * file's mtime is the time of the last attempt, so an unreachable remote
 * is not asked again at every lookup. */
static void maybe_pull(const Store *s, int force) {
  char path[PATH_MAX];
  struct stat st;
  Run run;

  if (!is_git(s) || !has_remote(s)) return;
  snprintf(path, sizeof path, "%s/.git/" SYNC_FILE, s->dir);
  if (!force && s->sync_interval > 0 && stat(path, &st) == 0 &&
      time(NULL) - st.st_mtime < s->sync_interval)
    return;
  {
    const char *args[] = {"pull", "--quiet", "--rebase", "--no-edit", NULL};
    run_git(s, args, SYNC_TIMEOUT_MS, &run);
  }
  if (run.exit_status != 0) {
    /* Leave the tree as it was before the pull: the local entries stand. */
    const char *abort_args[] = {"rebase", "--abort", NULL};
    Run ignored;
    run_git(s, abort_args, 0, &ignored);
  }
  note_sync(s, "pull", &run);
}

/* Commit the one entry at `rel` (added, changed or removed) and push.
 * Only a failed commit is an error; a failed push is noted for probe(). */
static hs_status commit_entry(const Store *s, const char *rel,
                              const char *message, char *msg, size_t msg_size) {
  Run run;

  if (!is_git(s)) return HS_OK;
  {
    const char *args[] = {"add", "--all", "--", rel, NULL};
    run_git(s, args, 0, &run);
  }
  if (run.exit_status == 0) {
    const char *args[] = {"commit", "--quiet", "-m", message, "--", rel, NULL};
    run_git(s, args, 0, &run);
  }
  if (run.exit_status != 0) {
    hs_pu_set_msg(msg, msg_size,
                  "the entry %s was written but git could not commit it: %s; "
                  "commit it in %s by hand",
                  rel, first_line(run.err), s->dir);
    return HS_ERROR;
  }
  if (has_remote(s)) {
    const char *args[] = {"push", "--quiet", NULL};
    run_git(s, args, SYNC_TIMEOUT_MS, &run);
    note_sync(s, "push", &run);
  }
  return HS_OK;
}

/* ---- files ---- */

/* PREFIX/PROFILE.gpg relative to the store, and its absolute path. */
static void entry_paths(const Store *s, const char *profile, char *rel,
                        size_t rel_size, char *abs, size_t abs_size) {
  snprintf(rel, rel_size, "%s/%s.gpg", s->prefix, profile);
  snprintf(abs, abs_size, "%s/%s", s->dir, rel);
}

/* Read a whole small file into `buf` (cap bytes): its length, or -1 with
 * errno (ENOENT when there is none, EFBIG when too large). */
static ssize_t read_small(const char *path, char *buf, size_t cap) {
  struct stat st;
  size_t len = 0;
  int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);

  if (fd < 0) return -1;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    errno = EINVAL;
    return -1;
  }
  for (;;) {
    ssize_t n = read(fd, buf + len, cap - len);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    len += (size_t)n;
    if (len == cap) break;
  }
  close(fd);
  if (len == cap) {
    errno = EFBIG;
    return -1;
  }
  return (ssize_t)len;
}

/* The recipients of the entry in folder `sub` (relative to the store):
 * the nearest .gpg-id from `sub` up to the store's root, as pass finds
 * it.  Each line is one key (comments and blanks skipped); *ret_n of them
 * are copied into `ids`, the file's path into `where`. */
static hs_status read_gpg_id(const Store *s, const char *sub,
                             char ids[][MAX_FIELD], int *ret_n, char *where,
                             size_t where_size, char *msg, size_t msg_size) {
  char folder[sizeof((Store *)0)->prefix], text[8192];
  ssize_t len = -1;
  int n = 0;

  snprintf(folder, sizeof folder, "%s", sub);
  for (;;) {
    snprintf(where, where_size, "%s%s%s/.gpg-id", s->dir, folder[0] ? "/" : "",
             folder);
    len = read_small(where, text, sizeof text - 1);
    if (len >= 0 || folder[0] == '\0') break;
    char *slash = strrchr(folder, '/');
    if (slash != NULL)
      *slash = '\0';
    else
      folder[0] = '\0';
  }
  if (len < 0) {
    hs_pu_set_msg(msg, msg_size,
                  "%s has no .gpg-id naming whom to encrypt to; run 'pass init "
                  "KEY...' there",
                  s->dir);
    return HS_UNAVAIL;
  }
  text[len] = '\0';
  for (char *save = NULL, *line = strtok_r(text, "\n", &save); line != NULL;
       line = strtok_r(NULL, "\n", &save)) {
    char *hash = strchr(line, '#');
    if (hash != NULL) *hash = '\0';
    line += strspn(line, " \t\r");
    size_t l = strcspn(line, " \t\r");
    line[l] = '\0';
    if (l == 0 || l >= MAX_FIELD || n == MAX_RECIPIENTS) continue;
    snprintf(ids[n++], MAX_FIELD, "%s", line);
  }
  if (n == 0) {
    hs_pu_set_msg(msg, msg_size, "%s names no key; run 'pass init KEY...'",
                  where);
    return HS_UNAVAIL;
  }
  *ret_n = n;
  return HS_OK;
}

/* ---- GPGME ---- */

static hs_status new_ctx(gpgme_ctx_t *ret_ctx, char *msg, size_t msg_size) {
  gpgme_error_t err = gpgme_new(ret_ctx);

  if (!err) err = gpgme_set_protocol(*ret_ctx, GPGME_PROTOCOL_OpenPGP);
  if (err) {
    hs_pu_set_msg(msg, msg_size, "GnuPG cannot be used: %s; install gnupg",
                  gpgme_strerror(err));
    return HS_UNAVAIL;
  }
  /* hs-exec runs without a terminal: never ask for a passphrase, say
   * which key to unlock instead. */
  gpgme_set_pinentry_mode(*ret_ctx, GPGME_PINENTRY_MODE_CANCEL);
  return HS_OK;
}

/* The first key matching `id` that can encrypt now, or NULL. */
static gpgme_key_t usable_key(gpgme_ctx_t ctx, const char *id, int secret) {
  gpgme_key_t key = NULL, found = NULL;

  if (gpgme_op_keylist_start(ctx, id, secret)) return NULL;
  while (found == NULL && !gpgme_op_keylist_next(ctx, &key)) {
    if (!key->revoked && !key->expired && !key->disabled && !key->invalid &&
        (secret || key->can_encrypt))
      found = key;
    else
      gpgme_key_unref(key);
  }
  gpgme_op_keylist_end(ctx);
  return found;
}

/* Plaintext lands in our own buffer, which we wipe: GPGME's memory data
 * objects are freed without wiping. */
typedef struct {
  char *buf;
  size_t cap, len;
} Sink;

static ssize_t sink_write(void *handle, const void *data, size_t size) {
  Sink *k = handle;

  if (size > k->cap - k->len) {
    errno = EFBIG;
    return -1;
  }
  memcpy(k->buf + k->len, data, size);
  k->len += size;
  return (ssize_t)size;
}

/* Decrypt `path` into `out` (cap bytes, one kept for a NUL). */
static hs_status decrypt_file(const Store *s, const char *path, const char *rel,
                              char *out, size_t cap, size_t *ret_len, char *msg,
                              size_t msg_size) {
  struct gpgme_data_cbs cbs = {.write = sink_write};
  Sink sink = {out, cap - 1, 0};
  gpgme_ctx_t ctx = NULL;
  gpgme_data_t cipher = NULL, plain = NULL;
  gpgme_error_t err;
  hs_status status;
  int fd;

  (void)s;
  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd < 0) {
    if (errno == ENOENT || errno == ENOTDIR) return HS_NOTFOUND;
    hs_pu_set_msg(msg, msg_size, "%s: %s", path, strerror(errno));
    return HS_UNAVAIL;
  }
  status = new_ctx(&ctx, msg, msg_size);
  if (status != HS_OK) {
    close(fd);
    return status;
  }
  if (gpgme_data_new_from_fd(&cipher, fd) ||
      gpgme_data_new_from_cbs(&plain, &cbs, &sink)) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    status = HS_TRYAGAIN;
    goto out;
  }
  err = gpgme_op_decrypt(ctx, cipher, plain);
  if (!err) {
    *ret_len = sink.len;
    status = HS_OK;
    goto out;
  }
  explicit_bzero(out, cap);
  {
    gpgme_decrypt_result_t res = gpgme_op_decrypt_result(ctx);
    char ours[MAX_FIELD] = "", all[256] = "";
    size_t used = 0;

    /* Listing keys starts another operation on ctx, which would free the
     * result: keep a reference. */
    if (res != NULL) gpgme_result_ref(res);
    for (gpgme_recipient_t r = res ? res->recipients : NULL; r != NULL;
         r = r->next) {
      gpgme_key_t key;
      if (used + strlen(r->keyid) + 2 < sizeof all)
        used += (size_t)snprintf(all + used, sizeof all - used, "%s%s",
                                 used ? " " : "", r->keyid);
      if (ours[0] == '\0' && (key = usable_key(ctx, r->keyid, 1)) != NULL) {
        snprintf(ours, sizeof ours, "%s", r->keyid);
        gpgme_key_unref(key);
      }
    }
    if (res != NULL) gpgme_result_unref(res);
    switch (gpgme_err_code(err)) {
      case GPG_ERR_NO_SECKEY:
        if (ours[0] == '\0') {
          hs_pu_set_msg(
              msg, msg_size,
              "%s is not encrypted to any key of yours (it is for %s); "
              "ask a member of the team to add your key to .gpg-id and "
              "re-encrypt the store with 'pass init'",
              rel, all[0] ? all : "unknown keys");
          status = HS_UNAVAIL;
          break;
        }
        /* We hold the key, so it is locked. */
        __attribute__((fallthrough));
      case GPG_ERR_CANCELED:
      case GPG_ERR_BAD_PASSPHRASE:
      case GPG_ERR_NO_PIN:
      case GPG_ERR_NO_PASSPHRASE:
        hs_pu_set_msg(
            msg, msg_size,
            "the secret key %s is locked and hs-exec does not prompt; "
            "unlock it in gpg-agent by running 'pass show %.*s' once",
            ours[0] ? ours : all, (int)(strlen(rel) - 4), rel);
        status = HS_UNAVAIL;
        break;
      case GPG_ERR_NO_AGENT:
      case GPG_ERR_AGENT:
        hs_pu_set_msg(msg, msg_size,
                      "gpg-agent cannot be reached (%s); start it with "
                      "'gpg-connect-agent /bye' and unlock key %s",
                      gpgme_strerror(err), ours[0] ? ours : all);
        status = HS_UNAVAIL;
        break;
      default:
        hs_pu_set_msg(msg, msg_size, "GnuPG could not decrypt %s: %s", rel,
                      gpgme_strerror(err));
        status = HS_ERROR;
    }
  }
out:
  if (plain) gpgme_data_release(plain);
  if (cipher) gpgme_data_release(cipher);
  if (ctx) gpgme_release(ctx);
  close(fd);
  return status;
}

/* Encrypt `text` to the recipients of folder PREFIX into `fd`. */
static hs_status encrypt_to_fd(const Store *s, const char *text, size_t len,
                               int fd, char *msg, size_t msg_size) {
  char ids[MAX_RECIPIENTS][MAX_FIELD], where[PATH_MAX];
  gpgme_key_t keys[MAX_RECIPIENTS + 1] = {0};
  gpgme_ctx_t ctx = NULL;
  gpgme_data_t plain = NULL, cipher = NULL;
  gpgme_error_t err;
  hs_status status;
  int n = 0;

  status =
      read_gpg_id(s, s->prefix, ids, &n, where, sizeof where, msg, msg_size);
  if (status != HS_OK) return status;
  status = new_ctx(&ctx, msg, msg_size);
  if (status != HS_OK) return status;
  for (int i = 0; i < n; i++) {
    keys[i] = usable_key(ctx, ids[i], 0);
    if (keys[i] == NULL) {
      hs_pu_set_msg(msg, msg_size,
                    "no usable public key for %s (named in %s); import it with "
                    "'gpg --import' or fix .gpg-id",
                    ids[i], where);
      status = HS_UNAVAIL;
      goto out;
    }
  }
  if (gpgme_data_new_from_mem(&plain, text, len, 0) ||
      gpgme_data_new_from_fd(&cipher, fd)) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    status = HS_TRYAGAIN;
    goto out;
  }
  /* As pass does: the keys in .gpg-id are trusted because they are listed
   * there, and no default encrypt-to key is added. */
  err = gpgme_op_encrypt(
      ctx, keys, GPGME_ENCRYPT_ALWAYS_TRUST | GPGME_ENCRYPT_NO_ENCRYPT_TO,
      plain, cipher);
  if (err) {
    hs_pu_set_msg(msg, msg_size,
                  "GnuPG could not encrypt to the keys in %s: %s", where,
                  gpgme_strerror(err));
    status = HS_ERROR;
    goto out;
  }
  status = HS_OK;
out:
  for (int i = 0; i < n; i++)
    if (keys[i]) gpgme_key_unref(keys[i]);
  if (plain) gpgme_data_release(plain);
  if (cipher) gpgme_data_release(cipher);
  gpgme_release(ctx);
  return status;
}

/* ---- the plaintext: the record format ---- */

/* Copy `s` into `out` as a JSON string body; -1 when it holds what a token
 * never does (quotes, backslashes, control characters). */
static int plain_token(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == '"' || s[i] == '\\') return -1;
  return n > 0 ? 0 : -1;
}

/* Parse a plaintext (`len` bytes in a buffer of cap >= 2 * len + 256, the
 * second half free) into an entry.  The first line is the record, or a
 * bare token from which a record is made; then "key: value" lines. */
static int parse_plain(char *buf, size_t len, size_t cap, const char *profile,
                       hs_entry *entry, char *kind, char *hub_id) {
  char *end = buf + len, *nl, *p;
  char *first = buf;
  size_t first_len;

  *end = '\0';
  nl = memchr(buf, '\n', len);
  first_len = nl ? (size_t)(nl - buf) : len;
  if (first_len > 0 && first[first_len - 1] == '\r') first_len--;
  kind[0] = hub_id[0] = '\0';
  entry->version = 1;
  for (p = nl ? nl + 1 : end; p < end; p = nl ? nl + 1 : end) {
    char *val;
    nl = memchr(p, '\n', (size_t)(end - p));
    if (nl) *nl = '\0';
    val = strchr(p, ':');
    if (val == NULL) continue;
    *val++ = '\0';
    val += strspn(val, " \t");
    val[strcspn(val, "\r")] = '\0';
    if (strcmp(p, "kind") == 0 && strlen(val) < MAX_FIELD)
      strcpy(kind, val);
    else if (strcmp(p, "hub_id") == 0 && strlen(val) < MAX_FIELD)
      strcpy(hub_id, val);
    else if (strcmp(p, "version") == 0)
      entry->version = (uint32_t)strtoul(val, NULL, 10);
  }
  if (kind[0] == '\0' ||
      strspn(kind, "abcdefghijklmnopqrstuvwxyz-") != strlen(kind) ||
      strspn(hub_id, "0123456789") != strlen(hub_id))
    return -1;
  entry->kind = kind;
  entry->hub_id = hub_id[0] ? hub_id : NULL;
  if (first[0] == '{') {
    first[first_len] = '\0';
    entry->secret = first;
    entry->secret_len = first_len;
    return 0;
  }
  /* A bare token written by hand: the record the host would make of it. */
  if (plain_token(first, first_len) != 0) return -1;
  {
    char *rec = buf + len + 1;
    size_t room = cap - len - 1;
    int n = snprintf(rec, room,
                     "{\"version\":1,\"profile\":\"%s\",\"kind\":\"%s\"%s%s%s,"
                     "\"created\":0,\"token\":\"",
                     profile, kind, hub_id[0] ? ",\"hub_id\":\"" : "", hub_id,
                     hub_id[0] ? "\"" : "");
    if (n < 0 || (size_t)n + first_len + 3 >= room) return -1;
    memcpy(rec + n, first, first_len);
    n += (int)first_len;
    memcpy(rec + n, "\"}", 3);
    n += 2;
    entry->secret = rec;
    entry->secret_len = (size_t)n;
  }
  return 0;
}

/* Decrypt the entry of `profile` and hand it to `fn`. */
static hs_status load_and_emit(const Store *s, const char *profile,
                               int with_secret, hs_entry_fn fn, void *user_data,
                               int *ret_stop, char *msg, size_t msg_size) {
  char rel[PATH_MAX], path[PATH_MAX * 2], kind[MAX_FIELD], hub_id[MAX_FIELD];
  size_t cap = 2 * MAX_PAYLOAD + 512, len = 0;
  hs_entry entry = {0};
  hs_status status;
  char *buf;

  entry_paths(s, profile, rel, sizeof rel, path, sizeof path);
  buf = malloc(cap);
  if (buf == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  status = decrypt_file(s, path, rel, buf, MAX_PAYLOAD, &len, msg, msg_size);
  if (status == HS_OK) {
    entry.profile = profile;
    if (parse_plain(buf, len, cap, profile, &entry, kind, hub_id) != 0) {
      hs_pu_set_msg(
          msg, msg_size,
          "%s is not in the record format (a first line, then "
          "'kind: KIND'; see hs-plugin(7)); fix it with 'pass edit %s'",
          rel, rel);
      status = HS_ERROR;
    } else {
      *ret_stop = hs_pu_hand_over(&entry, with_secret, fn, user_data);
    }
  }
  explicit_bzero(buf, cap);
  free(buf);
  return status;
}

/* ---- the hooks ---- */

static hs_status ps_open(uint32_t host_abi_version, const char *const *options,
                         void **ret_handle, char *msg, size_t msg_size) {
  Store *s;
  hs_status status;

  if (hs_pu_check_abi(host_abi_version, msg, msg_size) != HS_OK)
    return HS_ERROR;
  /* Once, from open(): the host's main thread, before any worker. */
  gpgme_check_version(NULL);
  s = calloc(1, sizeof *s);
  if (s == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  status = parse_options(s, options, msg, msg_size);
  if (status != HS_OK) {
    free(s);
    return status;
  }
  *ret_handle = s;
  return HS_OK;
}

static void ps_close(void *handle) { free(handle); }

static hs_status ps_lookup(void *handle, const char *profile, hs_entry_fn fn,
                           void *user_data, char *msg, size_t msg_size) {
  const Store *s = handle;
  int stop = 0;

  if (!valid_profile(profile)) return HS_NOTFOUND;
  maybe_pull(s, 0);
  return load_and_emit(s, profile, 1, fn, user_data, &stop, msg, msg_size);
}

/* Make every folder of PREFIX (0700, as pass's umask does). */
static hs_status make_prefix(const Store *s, char *msg, size_t msg_size) {
  char path[PATH_MAX];
  size_t base = strlen(s->dir) + 1;
  struct stat st;

  if (stat(s->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    hs_pu_set_msg(msg, msg_size,
                  "there is no password store at %s; make one with 'pass init "
                  "KEY...' (or 'git clone' the team's), or set dir= in "
                  "[store pass]",
                  s->dir);
    return HS_UNAVAIL;
  }
  snprintf(path, sizeof path, "%s/%s/", s->dir, s->prefix);
  for (char *p = path + base; (p = strchr(p, '/')) != NULL; p++) {
    *p = '\0';
    if (mkdir(path, 0700) != 0 && errno != EEXIST) {
      hs_pu_set_msg(msg, msg_size, "cannot create %s: %s", path,
                    strerror(errno));
      return HS_UNAVAIL;
    }
    *p = '/';
  }
  return HS_OK;
}

static hs_status ps_store(void *handle, const hs_entry *entry, char *msg,
                          size_t msg_size) {
  const Store *s = handle;
  char rel[PATH_MAX], path[PATH_MAX * 2], tmp[PATH_MAX * 2 + 16];
  char message[160];
  char *text = NULL;
  size_t cap = 0;
  int n, fd = -1;
  hs_status status;

  if (entry == NULL || entry->profile == NULL || entry->kind == NULL ||
      entry->secret == NULL || !valid_profile(entry->profile) ||
      strlen(entry->kind) >= MAX_FIELD ||
      memchr(entry->secret, '\n', entry->secret_len) != NULL ||
      (entry->hub_id && strlen(entry->hub_id) >= MAX_FIELD)) {
    hs_pu_set_msg(msg, msg_size, "incomplete entry");
    return HS_ERROR;
  }
  /* Write on top of what the team has, so the push is a fast-forward. */
  maybe_pull(s, 1);
  status = make_prefix(s, msg, msg_size);
  if (status != HS_OK) return status;
  cap = entry->secret_len + 3 * MAX_FIELD + 64;
  text = malloc(cap);
  if (text == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  n = snprintf(text, cap, "%.*s\nkind: %s\n%s%s%sversion: %u\n",
               (int)entry->secret_len, entry->secret, entry->kind,
               entry->hub_id ? "hub_id: " : "",
               entry->hub_id ? entry->hub_id : "", entry->hub_id ? "\n" : "",
               (unsigned)entry->version);
  entry_paths(s, entry->profile, rel, sizeof rel, path, sizeof path);
  /* A name of our own next to the entry (so the rename is atomic). */
  snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
  fd = mkostemp(tmp, O_CLOEXEC);
  if (fd < 0) {
    hs_pu_set_msg(msg, msg_size, "cannot create a file next to %s: %s", path,
                  strerror(errno));
    status = HS_UNAVAIL;
    goto out;
  }
  status = encrypt_to_fd(s, text, (size_t)n, fd, msg, msg_size);
  if (status != HS_OK) goto drop_tmp;
  if (fsync(fd) != 0 || rename(tmp, path) != 0) {
    hs_pu_set_msg(msg, msg_size, "cannot write %s: %s", path, strerror(errno));
    status = HS_ERROR;
    goto drop_tmp;
  }
  snprintf(message, sizeof message, "hs-token: store profile %s",
           entry->profile);
  status = commit_entry(s, rel, message, msg, msg_size);
  goto out;
drop_tmp:
  (void)unlink(tmp);
out:
  if (fd >= 0) close(fd);
  explicit_bzero(text, cap);
  free(text);
  return status;
}

static hs_status ps_remove(void *handle, const char *profile, char *msg,
                           size_t msg_size) {
  const Store *s = handle;
  char rel[PATH_MAX], path[PATH_MAX * 2], message[160];

  if (!valid_profile(profile)) return HS_NOTFOUND;
  maybe_pull(s, 1);
  entry_paths(s, profile, rel, sizeof rel, path, sizeof path);
  if (unlink(path) != 0) {
    if (errno == ENOENT || errno == ENOTDIR) return HS_NOTFOUND;
    hs_pu_set_msg(msg, msg_size, "cannot remove %s: %s", path, strerror(errno));
    return HS_ERROR;
  }
  snprintf(message, sizeof message, "hs-token: remove profile %s", profile);
  return commit_entry(s, rel, message, msg, msg_size);
}

static hs_status ps_list(void *handle, unsigned int flags, hs_entry_fn fn,
                         void *user_data, char *msg, size_t msg_size) {
  const Store *s = handle;
  int with_secret = (flags & HS_LIST_SECRETS) != 0, stop = 0;
  char folder[PATH_MAX];
  hs_status status = HS_OK;
  struct dirent *d;
  DIR *dir;

  maybe_pull(s, 0);
  snprintf(folder, sizeof folder, "%s/%s", s->dir, s->prefix);
  dir = opendir(folder);
  if (dir == NULL) {
    if (errno == ENOENT) return HS_OK;
    hs_pu_set_msg(msg, msg_size, "%s: %s", folder, strerror(errno));
    return HS_UNAVAIL;
  }
  while (!stop && (d = readdir(dir)) != NULL) {
    char profile[MAX_PROFILE + 1];
    size_t n = strlen(d->d_name);
    hs_status st;

    if (n <= 4 || n - 4 > MAX_PROFILE || strcmp(d->d_name + n - 4, ".gpg"))
      continue;
    memcpy(profile, d->d_name, n - 4);
    profile[n - 4] = '\0';
    if (!valid_profile(profile)) continue;
    /* The kind is inside the encrypted entry, so even a list of
     * attributes decrypts it; the secret is handed on only when asked. */
    st = load_and_emit(s, profile, with_secret, fn, user_data, &stop, msg,
                       msg_size);
    if (st != HS_OK && st != HS_NOTFOUND) {
      status = st;
      break;
    }
  }
  closedir(dir);
  return status;
}

/* Commits on this branch that no remote has yet: -1 when git cannot say. */
static long unpushed(const Store *s) {
  const char *args[] = {"rev-list", "--count",   "HEAD",
                        "--not",    "--remotes", NULL};
  Run run;

  run_git(s, args, REMOTE_TIMEOUT_MS, &run);
  if (run.exit_status != 0) return -1;
  return strtol(run.out, NULL, 10);
}

/* The store's directory, its .gpg-id and every recipient's key, and when
 * it is shared through git, the remote and what is not pushed. */
static hs_status ps_probe(void *handle, hs_probe *report, char *msg,
                          size_t msg_size) {
  char ids[MAX_RECIPIENTS][MAX_FIELD], where[PATH_MAX], sync_note[600] = "";
  char git_note[256] = "";
  Store fresh;
  const Store *s = handle;
  gpgme_ctx_t ctx = NULL;
  struct stat st;
  int n = 0;

  if (s == NULL) {
    gpgme_check_version(NULL);
    if (parse_options(&fresh, NULL, msg, msg_size) != HS_OK) {
      report->state = HS_STATE_UNAVAILABLE;
      hs_pu_set_msg(report->fix, report->fix_size,
                    "fix [store pass] in hs-exec.conf");
      return HS_OK;
    }
    s = &fresh;
  }
  report->state = HS_STATE_UNAVAILABLE;
  if (stat(s->dir, &st) != 0 || !S_ISDIR(st.st_mode)) {
    hs_pu_set_msg(msg, msg_size, "there is no password store at %s", s->dir);
    hs_pu_set_msg(
        report->fix, report->fix_size,
        "make one with 'pass init KEY...', clone the team's with 'git "
        "clone URL %s', or set dir= in [store pass]",
        s->dir);
    return HS_OK;
  }
  if (read_gpg_id(s, s->prefix, ids, &n, where, sizeof where, msg, msg_size) !=
      HS_OK) {
    hs_pu_set_msg(report->fix, report->fix_size, "run 'pass init KEY...' in %s",
                  s->dir);
    return HS_OK;
  }
  if (new_ctx(&ctx, msg, msg_size) != HS_OK) {
    hs_pu_set_msg(report->fix, report->fix_size, "install gnupg");
    return HS_OK;
  }
  for (int i = 0; i < n; i++) {
    gpgme_key_t key = usable_key(ctx, ids[i], 0);
    if (key == NULL) {
      gpgme_release(ctx);
      hs_pu_set_msg(msg, msg_size,
                    "recipient %s (in %s) has no usable public key here",
                    ids[i], where);
      hs_pu_set_msg(report->fix, report->fix_size,
                    "import the key with 'gpg --import', or remove it from "
                    ".gpg-id and re-encrypt with 'pass init'");
      return HS_OK;
    }
    gpgme_key_unref(key);
  }
  gpgme_release(ctx);
  report->state = HS_STATE_AVAILABLE;
  if (is_git(s) && has_remote(s)) {
    const char *args[] = {"ls-remote", "--quiet", NULL};
    char path[PATH_MAX];
    long ahead = unpushed(s);
    ssize_t len;
    Run run;

    run_git(s, args, REMOTE_TIMEOUT_MS, &run);
    snprintf(path, sizeof path, "%s/.git/" SYNC_FILE, s->dir);
    len = read_small(path, sync_note, sizeof sync_note - 1);
    sync_note[len > 0 ? len : 0] = '\0';
    sync_note[strcspn(sync_note, "\n")] = '\0';
    if (run.exit_status != 0) {
      report->state = HS_STATE_UNAVAILABLE;
      hs_pu_set_msg(
          msg, msg_size,
          "the git remote of %s cannot be reached (%s); the local store "
          "works, but shares nothing",
          s->dir, first_line(run.err));
      hs_pu_set_msg(
          report->fix, report->fix_size,
          "check 'git -C %s remote -v' and your network; %ld commit(s) "
          "wait to be pushed",
          s->dir, ahead < 0 ? 0 : ahead);
      return HS_OK;
    }
    if (ahead > 0) {
      report->state = HS_STATE_UNAVAILABLE;
      hs_pu_set_msg(msg, msg_size, "%ld commit(s) in %s are not pushed%s%s",
                    ahead, s->dir, sync_note[0] ? ": " : "", sync_note);
      hs_pu_set_msg(report->fix, report->fix_size,
                    "run 'git -C %s pull --rebase && git -C %s push'", s->dir,
                    s->dir);
      return HS_OK;
    }
    snprintf(git_note, sizeof git_note,
             "; shared through git, pulled every "
             "%lds",
             s->sync_interval);
  } else if (is_git(s)) {
    snprintf(git_note, sizeof git_note, "; a git repository with no remote");
  } else if (!s->sync) {
    snprintf(git_note, sizeof git_note, "; sync=off");
  }
  hs_pu_set_msg(report->note, report->note_size,
                "entries %s/%s/PROFILE.gpg for %d recipient(s) of %s%s", s->dir,
                s->prefix, n, where, git_note);
  return HS_OK;
}

const struct hs_plugin_v1 hs_plugin_v1 = {
    .abi_version = HS_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct hs_plugin_v1),
    .name = "pass",
    .open = ps_open,
    .close = ps_close,
    .lookup = ps_lookup,
    .store = ps_store,
    .remove = ps_remove,
    .list = ps_list,
    .probe = ps_probe,
};
