/* SPDX-License-Identifier: MIT */
/* config.h — hs-exec.conf: the system file, then the user's (GKeyFile). */
#ifndef HS_HS_CONFIG_H
#define HS_HS_CONFIG_H

#include <glib.h>

typedef enum { HS_ACTION_CONTINUE, HS_ACTION_RETURN } HsAction;

/* One store in [stores] order=, with NSS-style actions. */
typedef struct {
  char *name;   /* plugin name, or an absolute path */
  char *origin; /* "FILE" the entry came from, for messages */
  HsAction on_notfound;
  HsAction on_unavail;
  HsAction on_tryagain;
  /* Its [store NAME] section as open() takes it: a NULL-terminated list of
   * "key=value" strings (hs-plugin.h), or NULL when it has none. */
  char **options;
  char *options_origin; /* "FILE:LINE" of that section, or NULL */
} HsStoreSpec;

/* A section or key of hs-exec.conf that this version does not know.  It is
 * ignored; doctor reports it as a problem and every program warns. */
typedef struct {
  char *file;  /* the file it is in */
  int line;    /* 1-based; 0 when it could not be found in the text */
  char *group; /* the section, without brackets */
  char *key;   /* the key, or NULL when the whole section is unknown */
} HsConfigUnknown;

typedef struct {
  GPtrArray *stores;     /* HsStoreSpec*, in order; never empty */
  GPtrArray *files_read; /* char*: the files that existed and were read */
  gboolean oauth_api_v1; /* [hubspot] oauth-api=v1: the deprecated family */
  GPtrArray *unknown;    /* HsConfigUnknown*, file by file, in file order */
  /* [hubspot] api-base= and ca-file=, from a file owned by root or the user
   * and not group- or world-writable, or NULL: HubSpot's, and the system's
   * CAs.  Only a config file says where credentials are sent. */
  char *api_base;
  char *ca_file; /* an absolute path */
  /* private: [store NAME] sections read so far, by NAME */
  GHashTable *store_sections;
  /* [hubspot] auth-base=, vetted the same way: where `hs-token add --login`
   * sends the browser to authorise an app, or NULL: app.hubspot.com. */
  char *auth_base;
} HsConfig;

/* The configuration from SYSCONFDIR/hs-exec/hs-exec.conf, then
 * $XDG_CONFIG_HOME/hs-exec/hs-exec.conf; a later file's keys override an
 * earlier one's.  No file at all gives the default (secret-service alone).
 * A [store NAME] section gives the options of store NAME (key by key, a
 * later file's value winning); it is accepted only from a file owned by
 * root or the user and not group- or world-writable, since an option may
 * say where secrets are kept.
 * The first call in a process prints one warning line on stderr per unknown
 * section or key (like the audit log's warning, the one place the core
 * prints: every program loads its configuration here).
 * (transfer full) NULL with HS_ERR_CONFIG naming the file on a bad one. */
HsConfig *hs_config_load(GError **error);

/* The same from an explicit list of files (missing ones are skipped),
 * without printing anything. */
HsConfig *hs_config_load_files(const char *const *paths, GError **error);

/* The same from one file's contents already in memory (`len` bytes; read
 * up to a NUL), named `origin` in messages; `vetted` as if the file were
 * owned by root or the user and not group- or world-writable.  For the
 * fuzzer and tests.  (transfer full) NULL with HS_ERR_CONFIG. */
HsConfig *hs_config_load_data(const char *data, gsize len, const char *origin,
                              gboolean vetted, GError **error);

/* Parse an order= value ("secret-service [UNAVAIL=return] keyctl") into
 * `specs` (HsStoreSpec*).  Absolute paths are accepted only when
 * `allow_paths` (the file is owned by root or the user and not group- or
 * world-writable).  `origin` names the file for messages. */
gboolean hs_config_parse_order(const char *order, const char *origin,
                               gboolean allow_paths, GPtrArray *specs,
                               GError **error);

/* An empty array for hs_config_parse_order() that frees its specs
 * (transfer full). */
GPtrArray *hs_config_store_specs_new(void);

/* "FILE:LINE: unknown key 'KEY' in [GROUP]", or "… unknown section
 * [GROUP]" (transfer full). */
char *hs_config_unknown_describe(const HsConfigUnknown *unknown);

/* Every section and key hs-exec.conf may hold, for messages:
 * "[stores] order; [hubspot] oauth-api, …" (transfer full). */
char *hs_config_known_settings(void);

void hs_config_free(HsConfig *config);
G_DEFINE_AUTOPTR_CLEANUP_FUNC(HsConfig, hs_config_free)

#endif
