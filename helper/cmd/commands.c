/* SPDX-License-Identifier: MIT */
/* commands.c — hs-token's command table: {name, fn} as git's credential
 * helpers have, its lookup and the usage text. */
#include "config.h"

#include <string.h>

#include "cmd/commands.h"
#include "cmd/options.h"
#include "core/error.h"
#include "core/nearest.h"

typedef gboolean (*CommandFn)(int argc, char **argv, GError **error);

typedef struct {
  const char *name;
  CommandFn fn;
  const char *args;
  const char *summary;
  const char *description; /* after the options in COMMAND --help, or NULL */
} Command;

/* What add reads, by kind (docs/design.md, "Profiles"). */
#define ADD_INPUT                                                            \
  "Standard input, or a hidden prompt on a terminal, by kind:\n"             \
  "  private-app, service-key, personal-access-key: one line, the token.\n"  \
  "  oauth: two lines, client_secret=SECRET and refresh_token=TOKEN, each\n" \
  "         once; the client id is --client-id.\n"                           \
  "  api-key: refused (HubSpot ended API keys); 'hs-token import' takes "    \
  "one.\n"

static const Command commands[] = {
    {"add", hs_cmd_add, "PROFILE --kind KIND",
     "Store a profile's token, read from standard input or a hidden prompt.",
     ADD_INPUT},
    {"list", hs_cmd_list, "", "List profiles; never prints a secret.", NULL},
    {"show", hs_cmd_show, "PROFILE", "Show a profile's metadata.", NULL},
    {"token", hs_cmd_token, "PROFILE",
     "Print the current access token, refreshed if needed.", NULL},
    {"rotate", hs_cmd_rotate, "PROFILE",
     "Store a new token, keeping the old one 7 days; or refresh an OAuth "
     "token now.",
     NULL},
    {"remove", hs_cmd_remove, "PROFILE", "Delete a profile from every store.",
     NULL},
    {"share", hs_cmd_share, "PROFILE --to STORE",
     "Copy a profile into another store (a team's pass or Vault store).", NULL},
    {"check", hs_cmd_check, "[PROFILE…]",
     "Ask HubSpot whether each token works; exit 1 if a rotation is due, 2 "
     "if one is invalid or overdue, 3 if it cannot tell.",
     NULL},
    {"audit", hs_cmd_audit, "[PROFILE]",
     "Show the audit trail: who added, revealed, used, removed what.", NULL},
    {"doctor", hs_cmd_doctor, "",
     "Check the stores, the cache, the config and HubSpot; say each fix.",
     NULL},
    {"import", hs_cmd_import, "FILE [--profile NAME]",
     "Move tokens from a .env file or hubspot.config.yml into the stores; "
     "--scrub removes them from the file.",
     NULL},
    {"scan", hs_cmd_scan, "[PATH…] [--staged]",
     "Find HubSpot tokens in plain text; exit 1 when any is found, 2 when "
     "it cannot scan.",
     NULL},
    {"unit", hs_cmd_unit, "PROFILE UNIT",
     "Print the systemd drop-in that gives a service PROFILE from the "
     "systemd-creds store.",
     NULL},
};

static const Command *find_command(const char *name) {
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    if (strcmp(commands[i].name, name) == 0) return &commands[i];
  return NULL;
}

const char *hs_cmd_summary(const char *name) {
  const Command *c = find_command(name);
  return c ? c->summary : "";
}

const char *hs_cmd_description(const char *name) {
  const Command *c = find_command(name);
  return c ? c->description : NULL;
}

/* `text` left-aligned in `width` columns: padded by characters, not bytes,
 * so that "[PROFILE…]" lines up with the rest. */
static void print_padded(FILE *out, const char *text, glong width) {
  glong n = g_utf8_strlen(text, -1);

  fputs(text, out);
  for (; n < width; n++) fputc(' ', out);
}

void hs_cmd_usage(FILE *out) {
  fprintf(out, "Usage: hs-token COMMAND [OPTION…]\n\nCommands:\n");
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++) {
    fputs("  ", out);
    print_padded(out, commands[i].name, 8);
    fputc(' ', out);
    print_padded(out, commands[i].args, 22);
    fprintf(out, " %s\n", commands[i].summary);
  }
  fprintf(out,
          "\n'hs-token COMMAND --help' shows a command's options.\n"
          "Exit status: 0 ok; 1 usage; 2 no such profile; 3 store "
          "unavailable;\n4 HubSpot refused the credential; 5 HubSpot "
          "unreachable; 6 configuration error;\n7 the system refused (a "
          "lock).  check: 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN;\n"
          "scan: 0 clean, 1 credentials found, 2 could not scan.\n");
}

void hs_cmd_list_commands(FILE *out) {
  for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
    fprintf(out, "%s\t%s\t%s\n", commands[i].name, commands[i].args,
            commands[i].summary);
}

gboolean hs_cmd_list_options(const char *name, FILE *out, GError **error) {
  const Command *command = find_command(name);
  char *argv[] = {(char *)name, NULL};
  g_autoptr(GError) local = NULL;

  if (command == NULL) return hs_cmd_dispatch(1, argv, error);
  /* The command's own hs_options_parse() prints its table and stops it
   * before it does anything, so the list cannot drift from --help. */
  hs_options_list_to(out);
  command->fn(1, argv, &local);
  hs_options_list_to(NULL);
  return TRUE;
}

gboolean hs_cmd_dispatch(int argc, char **argv, GError **error) {
  const Command *command = find_command(argv[0]);

  if (command == NULL) {
    const char *names[G_N_ELEMENTS(commands)];
    const char *near;

    for (size_t i = 0; i < G_N_ELEMENTS(commands); i++)
      names[i] = commands[i].name;
    near = hs_nearest_match(argv[0], names, G_N_ELEMENTS(names));
    if (near != NULL)
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "unknown command '%s'; did you mean '%s'? (see 'hs-token "
                  "--help')",
                  argv[0], near);
    else
      g_set_error(error, HS_ERROR_DOMAIN, HS_ERR_USAGE,
                  "unknown command '%s'; see 'hs-token --help'", argv[0]);
    return FALSE;
  }
  return command->fn(argc, argv, error);
}
