/* SPDX-License-Identifier: MIT */
/* vault.c — store plugin keeping profiles in a HashiCorp Vault or OpenBao
 * KV version 2 secrets engine, shared by a team's machines.
 *
 * Each profile is one KV entry MOUNT/data/PATH/PROFILE with the fields
 * "record" (the host's record, the secret), "kind", "hub_id" and "version"
 * (not secret, so that a list without secrets reads the fields and hands
 * on only those).  A write is a check-and-set on the version this handle
 * read (0 for an entry it never read, so an entry someone else made in the
 * meantime is not overwritten): when two machines rotate at once, the
 * second is refused with HS_TRYAGAIN and nothing is lost.
 *
 * Where a secret goes and which CA is trusted come only from the store's
 * [store vault] section of hs-exec.conf (addr, ca-file), never from the
 * environment: a repository's .env setting VAULT_ADDR must not receive the
 * token.  TLS is always verified; plain http only to a loopback address.
 * The Vault token comes from $VAULT_TOKEN or ~/.vault-token (as Vault's
 * CLI), or from an AppRole login whose secret id is a "user" key in the
 * kernel user keyring (never a file).  Links libcurl, libkeyutils, libc.
 */
#include "config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include <curl/curl.h>
#include <keyutils.h>

#include "common/store-util.h"
#include "hs-plugin.h"
#include "vault/kv-json.h"

#define MAX_PROFILE HS_PU_MAX_PROFILE
#define MAX_FIELD HS_PU_MAX_FIELD
#define MAX_TOKEN 4096
/* A record is a few hundred bytes; a list of a few thousand names fits. */
#define MAX_BODY (1024 * 1024)
#define MAX_SEEN 64
#define CAS_MISMATCH "check-and-set parameter did not match"

typedef struct {
  char profile[MAX_PROFILE + 1];
  unsigned long version;
} Seen;

typedef struct {
  char addr[512];  /* https://host:port, no trailing slash */
  char mount[128]; /* KV v2 mount */
  char path[256];  /* folder under the mount */
  char ns[256];    /* X-Vault-Namespace, or "" */
  char ca_file[PATH_MAX];
  int approle;             /* auth=approle */
  char role_id[256];       /* AppRole role id (not secret) */
  char secret_id_key[128]; /* keyring key holding the AppRole secret id */
  char *token;             /* SECRET: the Vault token, wiped at close */
  Seen seen[MAX_SEEN];     /* versions read by this handle, for cas */
  CURL *curl;              /* kept, so that a list reuses one connection */
  size_t n_seen;
} Store;

static void wipe_free(char *p, size_t n) {
  if (p == NULL) return;
  explicit_bzero(p, n);
  free(p);
}

/* A mount or path: segments of [A-Za-z0-9._-] separated by single '/'. */
static int valid_segments(const char *s) {
  size_t n = strlen(s);

  if (n == 0 || s[0] == '/' || s[n - 1] == '/' || strstr(s, "//") != NULL ||
      strstr(s, "..") != NULL)
    return 0;
  return strspn(s,
                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
                "0123456789._-/") == n;
}

/* ---- HTTP ---- */

typedef struct {
  char *data; /* SECRET: may hold a record or a token */
  size_t len, cap;
  int over;
} Body;

static size_t body_write(char *ptr, size_t size, size_t nmemb, void *user) {
  Body *b = user;
  size_t n = size * nmemb;

  if (b->len + n + 1 > MAX_BODY) {
    b->over = 1;
    return 0;
  }
  if (b->len + n + 1 > b->cap) {
    size_t cap = b->cap ? b->cap : 4096;
    char *grown;
    while (cap < b->len + n + 1) cap *= 2;
    /* Not realloc: the old block would be freed unwiped. */
    grown = malloc(cap);
    if (grown == NULL) return 0;
    if (b->data != NULL) memcpy(grown, b->data, b->len);
    wipe_free(b->data, b->cap);
    b->data = grown;
    b->cap = cap;
  }
  memcpy(b->data + b->len, ptr, n);
  b->len += n;
  b->data[b->len] = '\0';
  return n;
}

static void body_free(Body *b) {
  wipe_free(b->data, b->cap);
  *b = (Body){0};
}

/* Every connection close-on-exec, as the helper's own (hubspot/http.c):
 * libcurl's socket() would leave it open across a COMMAND's execve. */
static curl_socket_t open_socket(void *user_data, curlsocktype purpose,
                                 struct curl_sockaddr *address) {
  (void)user_data;
  (void)purpose;
  return socket(address->family, address->socktype | SOCK_CLOEXEC,
                address->protocol);
}

/* Whether `host` (from a URL, maybe in brackets) is a loopback address. */
static int loopback_host(const char *host, size_t len) {
  char h[64];

  if (len == 0 || len >= sizeof h) return 0;
  memcpy(h, host, len);
  h[len] = '\0';
  return strcmp(h, "localhost") == 0 || strcmp(h, "[::1]") == 0 ||
         strncmp(h, "127.", 4) == 0;
}

/* One request: METHOD ADDR/v1/URL_PATH with `json` as its body (or none).
 * *ret_code is the HTTP status, or 0 when Vault could not be reached (then
 * msg says why). */
static hs_status request(Store *s, const char *method, const char *url_path,
                         const char *token, const char *json, Body *out,
                         long *ret_code, char *msg, size_t msg_size) {
  char url[1024], errbuf[CURL_ERROR_SIZE] = "";
  char *header = NULL, ns_header[300];
  size_t header_size = 0;
  struct curl_slist *headers = NULL;
  CURL *curl;
  CURLcode rc;
  hs_status status = HS_OK;

  *ret_code = 0;
  if ((size_t)snprintf(url, sizeof url, "%s/v1/%s", s->addr, url_path) >=
      sizeof url) {
    hs_pu_set_msg(msg, msg_size, "the Vault URL is too long");
    return HS_ERROR;
  }
  if (s->curl == NULL) s->curl = curl_easy_init();
  curl = s->curl;
  if (curl == NULL) {
    hs_pu_set_msg(msg, msg_size, "cannot start libcurl");
    return HS_TRYAGAIN;
  }
  if (token != NULL) {
    header_size = strlen(token) + 32;
    header = malloc(header_size);
    if (header == NULL) {
      hs_pu_set_msg(msg, msg_size, "out of memory");
      return HS_TRYAGAIN;
    }
    snprintf(header, header_size, "X-Vault-Token: %s", token);
    headers = curl_slist_append(headers, header);
  }
  if (s->ns[0] != '\0') {
    snprintf(ns_header, sizeof ns_header, "X-Vault-Namespace: %s", s->ns);
    headers = curl_slist_append(headers, ns_header);
  }
  headers = curl_slist_append(headers, "X-Vault-Request: true");
  if (json != NULL)
    headers = curl_slist_append(headers, "Content-Type: application/json");
  curl_easy_reset(curl);
  curl_easy_setopt(curl, CURLOPT_URL, url);
  curl_easy_setopt(curl, CURLOPT_CUSTOMREQUEST, method);
  if (json != NULL) {
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE, (long)strlen(json));
  }
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "https,http");
  curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYPEER, 1L);
  curl_easy_setopt(curl, CURLOPT_SSL_VERIFYHOST, 2L);
  if (s->ca_file[0] != '\0') curl_easy_setopt(curl, CURLOPT_CAINFO, s->ca_file);
  /* No proxy from the environment: it would see the token in the clear
   * with http, and decide where it goes with https. */
  curl_easy_setopt(curl, CURLOPT_PROXY, "");
  curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, 10L);
  curl_easy_setopt(curl, CURLOPT_TIMEOUT, 30L);
  curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_socket);
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, body_write);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, out);
  rc = curl_easy_perform(curl);
  if (rc == CURLE_OK) {
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, ret_code);
  } else if (out->over) {
    hs_pu_set_msg(msg, msg_size, "Vault at %s answered more than %d bytes",
                  s->addr, MAX_BODY);
    status = HS_ERROR;
  } else {
    hs_pu_set_msg(msg, msg_size, "cannot reach Vault at %s: %s", s->addr,
                  errbuf[0] ? errbuf : curl_easy_strerror(rc));
    status = HS_UNAVAIL;
  }
  /* The list holds a copy of the token header. */
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, NULL);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, NULL);
  for (struct curl_slist *h = headers; h != NULL; h = h->next)
    explicit_bzero(h->data, strlen(h->data));
  curl_slist_free_all(headers);
  wipe_free(header, header_size);
  return status;
}

/* What a status other than 2xx and 404 means, with the fix. */
static hs_status http_failure(const Store *s, long code, const Body *b,
                              const char *what, char *msg, size_t msg_size) {
  if (code == 403) {
    hs_pu_set_msg(msg, msg_size,
                  "Vault at %s refused the token (403) to %s: log in again "
                  "(vault login, or VAULT_TOKEN), or ask for a policy on "
                  "%s/data/%s/*",
                  s->addr, what, s->mount, s->path);
    return HS_UNAVAIL;
  }
  if (code == 503) {
    hs_pu_set_msg(msg, msg_size,
                  "Vault at %s is sealed or not ready (503): unseal it "
                  "(vault operator unseal) and run the command again",
                  s->addr);
    return HS_UNAVAIL;
  }
  if (code == 429 || code == 502 || code == 504) {
    hs_pu_set_msg(msg, msg_size, "Vault at %s is busy (%ld) and could not %s",
                  s->addr, code, what);
    return HS_UNAVAIL;
  }
  {
    /* Vault's errors are messages, never secrets: {"errors":["..."]}. */
    const char *path[] = {"errors", NULL};
    const char *e = b->data ? kvj_find(b->data, b->data + b->len, path) : NULL;
    char first[200] = "";
    if (e != NULL && *e == '[')
      kvj_string(kvj_ws(e + 1, b->data + b->len), b->data + b->len, first,
                 sizeof first);
    hs_pu_set_msg(msg, msg_size, "Vault at %s could not %s (HTTP %ld%s%s)",
                  s->addr, what, code, first[0] ? ": " : "", first);
  }
  return HS_ERROR;
}

/* ---- the token ---- */

/* Read ~/.vault-token (as Vault's CLI) into `out`; 0 on success. */
static int read_token_file(char *out, size_t cap) {
  const char *home = secure_getenv("HOME");
  char path[PATH_MAX];
  struct stat st;
  ssize_t n;
  size_t len = 0;
  int fd;

  if (home == NULL || home[0] != '/') {
    struct passwd *pw = getpwuid(getuid());
    home = pw ? pw->pw_dir : NULL;
  }
  if (home == NULL) return -1;
  snprintf(path, sizeof path, "%s/.vault-token", home);
  fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW | O_NOCTTY);
  if (fd < 0) return -1;
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    close(fd);
    return -1;
  }
  while (len + 1 < cap && (n = read(fd, out + len, cap - 1 - len)) != 0) {
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) break;
    len += (size_t)n;
  }
  close(fd);
  out[len] = '\0';
  while (len > 0 && isspace((unsigned char)out[len - 1])) out[--len] = '\0';
  return len > 0 ? 0 : -1;
}

/* AppRole: log in with the role id and the secret id from the kernel user
 * keyring, keeping the client token in s->token. */
static hs_status approle_login(Store *s, char *msg, size_t msg_size) {
  key_serial_t key;
  void *secret_id = NULL;
  long len;
  char *json = NULL;
  size_t json_cap = 0, n = 0;
  Body body = {0};
  long code = 0;
  hs_status status = HS_ERROR;

  key = keyctl_search(KEY_SPEC_USER_KEYRING, "user", s->secret_id_key, 0);
  len = key < 0 ? -1 : keyctl_read_alloc(key, &secret_id);
  if (len <= 0) {
    /* A key made from a session that does not link @u (ssh, cron) is
     * invisible to the user's other sessions until it is given the same
     * permissions the keyctl store gives its keys. */
    hs_pu_set_msg(
        msg, msg_size,
        "no AppRole secret id for Vault at %s in the user keyring: put "
        "it there (on standard input) with keyctl session - sh -c "
        "'keyctl link @u @s && keyctl setperm $(keyctl padd user %s @u) "
        "0x3f0b0000'",
        s->addr, s->secret_id_key);
    return HS_UNAVAIL;
  }
  json_cap = (size_t)len * 6 + sizeof s->role_id * 6 + 64;
  json = malloc(json_cap);
  if (json == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    status = HS_TRYAGAIN;
    goto out;
  }
  n = (size_t)snprintf(json, json_cap, "{\"role_id\":");
  if (kvj_append_string(json, json_cap, &n, s->role_id, strlen(s->role_id)) !=
      0)
    goto out;
  n += (size_t)snprintf(json + n, json_cap - n, ",\"secret_id\":");
  if (kvj_append_string(json, json_cap, &n, secret_id, (size_t)len) != 0 ||
      n + 2 >= json_cap)
    goto out;
  json[n++] = '}';
  json[n] = '\0';
  status = request(s, "POST", "auth/approle/login", NULL, json, &body, &code,
                   msg, msg_size);
  if (status != HS_OK) goto out;
  if (code == 400 || code == 403) {
    hs_pu_set_msg(
        msg, msg_size,
        "Vault at %s refused the AppRole login (%ld): check role-id in "
        "[store vault] and the secret id in the keyring key %s",
        s->addr, code, s->secret_id_key);
    status = HS_UNAVAIL;
    goto out;
  }
  if (code != 200) {
    status = http_failure(s, code, &body, "log in with AppRole", msg, msg_size);
    goto out;
  }
  {
    const char *path[] = {"auth", "client_token", NULL};
    const char *v = kvj_find(body.data, body.data + body.len, path);
    s->token = malloc(MAX_TOKEN);
    if (s->token == NULL ||
        kvj_string(v, body.data + body.len, s->token, MAX_TOKEN) <= 0) {
      wipe_free(s->token, MAX_TOKEN);
      s->token = NULL;
      hs_pu_set_msg(msg, msg_size,
                    "Vault at %s gave no token for the AppRole login", s->addr);
      status = HS_ERROR;
      goto out;
    }
  }
  status = HS_OK;
out:
  if (secret_id != NULL) {
    explicit_bzero(secret_id, (size_t)len);
    free(secret_id);
  }
  wipe_free(json, json_cap);
  body_free(&body);
  return status;
}

/* The token for the next request: logged in or read once per handle. */
static hs_status get_token(Store *s, char *msg, size_t msg_size) {
  const char *env;

  if (s->token != NULL) return HS_OK;
  if (s->approle) return approle_login(s, msg, msg_size);
  s->token = malloc(MAX_TOKEN);
  if (s->token == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  /* The token is a credential, not a destination: as Vault's CLI. */
  env = secure_getenv("VAULT_TOKEN");
  if (env != NULL && env[0] != '\0' && strlen(env) < MAX_TOKEN) {
    snprintf(s->token, MAX_TOKEN, "%s", env);
    return HS_OK;
  }
  if (read_token_file(s->token, MAX_TOKEN) == 0) return HS_OK;
  wipe_free(s->token, MAX_TOKEN);
  s->token = NULL;
  hs_pu_set_msg(
      msg, msg_size,
      "no Vault token: run 'vault login' (it writes ~/.vault-token) or "
      "set VAULT_TOKEN, or use auth=approle in [store vault]");
  return HS_UNAVAIL;
}

/* A request with the token; a 403 after an AppRole login made at open()
 * time is not retried (a new login would get the same policy). */
static hs_status call(Store *s, const char *method, const char *url_path,
                      const char *json, Body *out, long *ret_code, char *msg,
                      size_t msg_size) {
  hs_status status = get_token(s, msg, msg_size);

  if (status != HS_OK) return status;
  return request(s, method, url_path, s->token, json, out, ret_code, msg,
                 msg_size);
}

/* ---- versions read, for check-and-set ---- */

static void remember(Store *s, const char *profile, unsigned long version) {
  size_t i;

  for (i = 0; i < s->n_seen; i++)
    if (strcmp(s->seen[i].profile, profile) == 0) break;
  if (i == s->n_seen) {
    if (s->n_seen == MAX_SEEN)
      i = 0; /* the oldest goes: cas 0 fails safe */
    else
      s->n_seen++;
  }
  snprintf(s->seen[i].profile, sizeof s->seen[i].profile, "%s", profile);
  s->seen[i].version = version;
}

static unsigned long seen_version(const Store *s, const char *profile) {
  for (size_t i = 0; i < s->n_seen; i++)
    if (strcmp(s->seen[i].profile, profile) == 0) return s->seen[i].version;
  return 0;
}

/* ---- options ---- */

static int copy_opt(char *dst, size_t cap, const char *value) {
  if (strlen(value) >= cap || strchr(value, '\n') != NULL) return -1;
  snprintf(dst, cap, "%s", value);
  return 0;
}

/* Whether addr is https://, or http:// to a loopback address, with nothing
 * after host[:port] but an optional '/'. */
static int usable_addr(char *addr) {
  const char *host;
  size_t n = strlen(addr), hlen;

  while (n > 0 && addr[n - 1] == '/') addr[--n] = '\0';
  if (strncmp(addr, "https://", 8) == 0)
    host = addr + 8;
  else if (strncmp(addr, "http://", 7) == 0)
    host = addr + 7;
  else
    return 0;
  if (strpbrk(host, "/?#@ ") != NULL || host[0] == '\0') return 0;
  if (host[0] == '[') {
    const char *close = strchr(host, ']');
    if (close == NULL) return 0;
    hlen = (size_t)(close - host) + 1;
  } else {
    const char *colon = strchr(host, ':');
    hlen = colon ? (size_t)(colon - host) : strlen(host);
  }
  if (addr[4] == ':' && !loopback_host(host, hlen)) return -1;
  return 1;
}

static hs_status parse_options(Store *s, const char *const *options, char *msg,
                               size_t msg_size) {
  snprintf(s->mount, sizeof s->mount, "secret");
  snprintf(s->path, sizeof s->path, "hubspot");
  snprintf(s->secret_id_key, sizeof s->secret_id_key,
           "hs-exec:vault-secret-id");
  for (const char *const *o = options; o != NULL && *o != NULL; o++) {
    const char *value;
    size_t klen = hs_pu_option_key(*o, &value);
    int bad = 0;

    if (hs_pu_is_key(*o, klen, "addr"))
      bad = copy_opt(s->addr, sizeof s->addr, value);
    else if (hs_pu_is_key(*o, klen, "mount"))
      bad =
          copy_opt(s->mount, sizeof s->mount, value) || !valid_segments(value);
    else if (hs_pu_is_key(*o, klen, "path"))
      bad = copy_opt(s->path, sizeof s->path, value) || !valid_segments(value);
    else if (hs_pu_is_key(*o, klen, "namespace"))
      bad = copy_opt(s->ns, sizeof s->ns, value) || !valid_segments(value);
    else if (hs_pu_is_key(*o, klen, "ca-file"))
      bad = copy_opt(s->ca_file, sizeof s->ca_file, value) || value[0] != '/';
    else if (hs_pu_is_key(*o, klen, "role-id"))
      bad = copy_opt(s->role_id, sizeof s->role_id, value) || value[0] == '\0';
    else if (hs_pu_is_key(*o, klen, "secret-id-key"))
      bad = copy_opt(s->secret_id_key, sizeof s->secret_id_key, value) ||
            value[0] == '\0';
    else if (hs_pu_is_key(*o, klen, "auth")) {
      if (strcmp(value, "token") == 0)
        s->approle = 0;
      else if (strcmp(value, "approle") == 0)
        s->approle = 1;
      else
        bad = 1;
    } else {
      return hs_pu_unknown_option(*o, klen,
                                  "addr, mount, path, namespace, ca-file, "
                                  "auth, role-id and secret-id-key",
                                  msg, msg_size);
    }
    if (bad) {
      hs_pu_set_msg(msg, msg_size, "option %.*s='%.200s' cannot be used",
                    (int)(klen > 64 ? 64 : klen), *o, value);
      return HS_ERROR;
    }
  }
  if (s->addr[0] == '\0') {
    /* VAULT_ADDR is read only to say this: an environment variable must not
     * decide where the token and the records go. */
    hs_pu_set_msg(
        msg, msg_size,
        "no Vault address: set addr= in [store vault] of hs-exec.conf%s",
        secure_getenv("VAULT_ADDR") ? " ($VAULT_ADDR is not used: the "
                                      "environment may not choose where "
                                      "secrets go)"
                                    : "");
    return HS_ERROR;
  }
  switch (usable_addr(s->addr)) {
    case 0:
      hs_pu_set_msg(msg, msg_size,
                    "option addr='%.200s' is not https://HOST[:PORT]", s->addr);
      return HS_ERROR;
    case -1:
      hs_pu_set_msg(
          msg, msg_size,
          "option addr='%.200s': plain http only to a loopback address "
          "(Vault's dev server); use https",
          s->addr);
      return HS_ERROR;
  }
  if (s->approle && s->role_id[0] == '\0') {
    hs_pu_set_msg(msg, msg_size, "option auth=approle needs role-id=");
    return HS_ERROR;
  }
  return HS_OK;
}

/* ---- the hooks ---- */

static hs_status v_open(uint32_t host_abi_version, const char *const *options,
                        void **ret_handle, char *msg, size_t msg_size) {
  Store *s;
  hs_status status;

  if (hs_pu_check_abi(host_abi_version, msg, msg_size) != HS_OK)
    return HS_ERROR;
  if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
    hs_pu_set_msg(msg, msg_size, "cannot start libcurl");
    return HS_UNAVAIL;
  }
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

static void v_close(void *handle) {
  Store *s = handle;

  if (s == NULL) return;
  if (s->curl != NULL) curl_easy_cleanup(s->curl);
  wipe_free(s->token, MAX_TOKEN);
  explicit_bzero(s, sizeof *s);
  free(s);
}

/* Parse an entry's KV data (data.data) and version (data.metadata.version)
 * and hand it to fn.  `record` is a scratch buffer of MAX_BODY bytes. */
static hs_status emit(Store *s, const char *profile, const Body *b,
                      int with_secret, int skip_foreign, char *record,
                      hs_entry_fn fn, void *user_data, int *ret_stop, char *msg,
                      size_t msg_size) {
  const char *end = b->data + b->len;
  const char *data_path[] = {"data", "data", NULL};
  const char *ver_path[] = {"data", "metadata", "version", NULL};
  const char *data = kvj_find(b->data, end, data_path);
  const char *ver = kvj_find(b->data, end, ver_path);
  char kind[MAX_FIELD], hub_id[MAX_FIELD], version[16];
  long rlen = -1;
  hs_entry entry = {0};

  if (data != NULL) {
    if (kvj_string(kvj_member(data, end, "kind"), end, kind, sizeof kind) <= 0)
      data = NULL;
    if (kvj_string(kvj_member(data, end, "hub_id"), end, hub_id,
                   sizeof hub_id) < 0)
      hub_id[0] = '\0';
    if (kvj_string(kvj_member(data, end, "version"), end, version,
                   sizeof version) < 0)
      snprintf(version, sizeof version, "1");
    rlen = kvj_string(kvj_member(data, end, "record"), end, record, MAX_BODY);
  }
  if ((data == NULL || rlen <= 0) && skip_foreign) return HS_NOTFOUND;
  if (data == NULL || rlen <= 0) {
    hs_pu_set_msg(
        msg, msg_size,
        "the Vault entry %s/data/%s/%s is not an hs-exec profile (no "
        "record and kind fields); remove it and add the profile again",
        s->mount, s->path, profile);
    return HS_ERROR;
  }
  if (ver != NULL) remember(s, profile, strtoul(ver, NULL, 10));
  entry.profile = profile;
  entry.kind = kind;
  entry.hub_id = hub_id[0] ? hub_id : NULL;
  entry.version = (uint32_t)strtoul(version, NULL, 10);
  entry.secret = with_secret ? record : NULL;
  entry.secret_len = with_secret ? (size_t)rlen : 0;
  *ret_stop = fn(&entry, user_data);
  return HS_OK;
}

static hs_status read_entry(Store *s, const char *profile, int with_secret,
                            int skip_foreign, hs_entry_fn fn, void *user_data,
                            int *ret_stop, char *msg, size_t msg_size) {
  char url_path[600];
  Body body = {0};
  char *record = NULL;
  long code = 0;
  hs_status status;

  snprintf(url_path, sizeof url_path, "%s/data/%s/%s", s->mount, s->path,
           profile);
  status = call(s, "GET", url_path, NULL, &body, &code, msg, msg_size);
  if (status != HS_OK) goto out;
  if (code == 404) {
    /* Also a deleted latest version: gone for us. */
    status = HS_NOTFOUND;
    goto out;
  }
  if (code != 200) {
    status = http_failure(s, code, &body, "read a profile", msg, msg_size);
    goto out;
  }
  record = malloc(MAX_BODY);
  if (record == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    status = HS_TRYAGAIN;
    goto out;
  }
  status = emit(s, profile, &body, with_secret, skip_foreign, record, fn,
                user_data, ret_stop, msg, msg_size);
out:
  wipe_free(record, MAX_BODY);
  body_free(&body);
  return status;
}

static hs_status v_lookup(void *handle, const char *profile, hs_entry_fn fn,
                          void *user_data, char *msg, size_t msg_size) {
  int stop = 0;

  if (!hs_pu_valid_profile(profile)) return HS_NOTFOUND;
  return read_entry(handle, profile, 1, 0, fn, user_data, &stop, msg, msg_size);
}

static hs_status v_store(void *handle, const hs_entry *entry, char *msg,
                         size_t msg_size) {
  Store *s = handle;
  char url_path[600];
  char *json = NULL;
  size_t cap, n = 0;
  unsigned long cas;
  Body body = {0};
  long code = 0;
  hs_status status = HS_ERROR;

  if (entry == NULL || entry->profile == NULL || entry->kind == NULL ||
      entry->secret == NULL || !hs_pu_valid_profile(entry->profile) ||
      strlen(entry->kind) >= MAX_FIELD ||
      (entry->hub_id && strlen(entry->hub_id) >= MAX_FIELD)) {
    hs_pu_set_msg(msg, msg_size, "incomplete entry");
    return HS_ERROR;
  }
  cas = seen_version(s, entry->profile);
  cap = entry->secret_len * 6 + 6 * 3 * MAX_FIELD + 256;
  json = malloc(cap);
  if (json == NULL) {
    hs_pu_set_msg(msg, msg_size, "out of memory");
    return HS_TRYAGAIN;
  }
  n = (size_t)snprintf(json, cap,
                       "{\"options\":{\"cas\":%lu},\"data\":{\"kind\":", cas);
  if (kvj_append_string(json, cap, &n, entry->kind, strlen(entry->kind)) != 0)
    goto out;
  n += (size_t)snprintf(json + n, cap - n, ",\"hub_id\":");
  if (kvj_append_string(json, cap, &n, entry->hub_id ? entry->hub_id : "",
                        entry->hub_id ? strlen(entry->hub_id) : 0) != 0)
    goto out;
  n += (size_t)snprintf(json + n, cap - n, ",\"version\":\"%u\",\"record\":",
                        (unsigned)entry->version);
  if (kvj_append_string(json, cap, &n, entry->secret, entry->secret_len) != 0 ||
      n + 3 >= cap)
    goto out;
  json[n++] = '}';
  json[n++] = '}';
  json[n] = '\0';
  snprintf(url_path, sizeof url_path, "%s/data/%s/%s", s->mount, s->path,
           entry->profile);
  status = call(s, "POST", url_path, json, &body, &code, msg, msg_size);
  if (status != HS_OK) goto out;
  if (code == 400 && body.data != NULL && strstr(body.data, CAS_MISMATCH)) {
    hs_pu_set_msg(
        msg, msg_size,
        "the Vault entry %s/data/%s/%s changed since it was read (%s; "
        "another machine saved it): nothing was saved here and nothing "
        "was lost; run the command again",
        s->mount, s->path, entry->profile,
        cas ? "check-and-set on the version read" : "it was new here");
    status = HS_TRYAGAIN;
    goto out;
  }
  if (code != 200 && code != 204) {
    status = http_failure(s, code, &body, "save a profile", msg, msg_size);
    goto out;
  }
  {
    const char *ver_path[] = {"data", "version", NULL};
    const char *ver =
        body.data ? kvj_find(body.data, body.data + body.len, ver_path) : NULL;
    if (ver != NULL) remember(s, entry->profile, strtoul(ver, NULL, 10));
  }
  status = HS_OK;
out:
  if (status == HS_ERROR && msg != NULL && msg[0] == '\0')
    hs_pu_set_msg(msg, msg_size, "the profile is too large for this store");
  wipe_free(json, cap);
  body_free(&body);
  return status;
}

static hs_status v_remove(void *handle, const char *profile, char *msg,
                          size_t msg_size) {
  Store *s = handle;
  char url_path[600];
  Body body = {0};
  long code = 0;
  hs_status status;

  if (!hs_pu_valid_profile(profile)) return HS_NOTFOUND;
  /* DELETE on the metadata answers 204 whether or not there was an entry;
   * "not found" must stay true, so look first (names only). */
  snprintf(url_path, sizeof url_path, "%s/metadata/%s/%s", s->mount, s->path,
           profile);
  status = call(s, "GET", url_path, NULL, &body, &code, msg, msg_size);
  body_free(&body);
  if (status != HS_OK) return status;
  if (code == 404) return HS_NOTFOUND;
  if (code != 200)
    return http_failure(s, code, &body, "read a profile's metadata", msg,
                        msg_size);
  status = call(s, "DELETE", url_path, NULL, &body, &code, msg, msg_size);
  if (status == HS_OK && code != 204 && code != 200)
    status = http_failure(s, code, &body, "delete a profile", msg, msg_size);
  body_free(&body);
  return status;
}

static hs_status v_list(void *handle, unsigned int flags, hs_entry_fn fn,
                        void *user_data, char *msg, size_t msg_size) {
  Store *s = handle;
  char url_path[600];
  Body body = {0};
  long code = 0;
  hs_status status;
  const char *keys, *end, *p;
  const char *keys_path[] = {"data", "keys", NULL};
  int stop = 0;

  snprintf(url_path, sizeof url_path, "%s/metadata/%s", s->mount, s->path);
  status = call(s, "LIST", url_path, NULL, &body, &code, msg, msg_size);
  if (status != HS_OK) goto out;
  if (code == 404) goto out; /* no entry yet */
  if (code != 200) {
    status = http_failure(s, code, &body, "list profiles", msg, msg_size);
    goto out;
  }
  end = body.data + body.len;
  keys = kvj_find(body.data, end, keys_path);
  if (keys == NULL || *keys != '[') goto out;
  p = kvj_ws(keys + 1, end);
  while (!stop && p < end && *p == '"') {
    char name[MAX_PROFILE + 2];
    long n = kvj_string(p, end, name, sizeof name);
    hs_status st;

    p = kvj_ws(kvj_skip_string(p, end), end);
    if (p == NULL) break;
    if (p < end && *p == ',') p = kvj_ws(p + 1, end);
    /* A name ending in '/' is a folder, not a profile. */
    if (n <= 0 || !hs_pu_valid_profile(name)) continue;
    /* The kind and hub id are fields of the entry: reading them reads the
     * record too, but hands it on only when asked for. */
    /* An entry someone else put under the path is not ours to list. */
    st = read_entry(s, name, (flags & HS_LIST_SECRETS) != 0, 1, fn, user_data,
                    &stop, msg, msg_size);
    if (st != HS_OK && st != HS_NOTFOUND) {
      status = st;
      break;
    }
  }
out:
  body_free(&body);
  return status;
}

/* Reachable, unsealed, and the token good: lookup-self. */
static hs_status v_probe(void *handle, hs_probe *report, char *msg,
                         size_t msg_size) {
  Store *s = handle;
  Body body = {0};
  long code = 0;
  hs_status status;

  if (s == NULL) {
    report->state = HS_STATE_UNAVAILABLE;
    hs_pu_set_msg(report->fix, report->fix_size,
                  "set addr= (and ca-file=) in [store vault] of hs-exec.conf");
    return HS_OK;
  }
  status = call(s, "GET", "auth/token/lookup-self", NULL, &body, &code, msg,
                msg_size);
  if (status == HS_OK && code != 200)
    status =
        http_failure(s, code, &body, "look up its own token", msg, msg_size);
  body_free(&body);
  if (status != HS_OK) {
    report->state = HS_STATE_UNAVAILABLE;
    hs_pu_set_msg(report->fix, report->fix_size, "%s",
                  code == 503  ? "unseal Vault (vault operator unseal)"
                  : s->approle ? "check role-id and the secret id key"
                               : "run 'vault login' or set VAULT_TOKEN");
    return HS_OK;
  }
  report->state = HS_STATE_AVAILABLE;
  hs_pu_set_msg(
      report->note, report->note_size,
      "profiles in %s under %s/data/%s, shared with every machine that "
      "reads them",
      s->addr, s->mount, s->path);
  return HS_OK;
}

const struct hs_plugin_v1 hs_plugin_v1 = {
    .abi_version = HS_PLUGIN_ABI_VERSION,
    .struct_size = sizeof(struct hs_plugin_v1),
    .name = "vault",
    .open = v_open,
    .close = v_close,
    .lookup = v_lookup,
    .store = v_store,
    .remove = v_remove,
    .list = v_list,
    .probe = v_probe,
};
