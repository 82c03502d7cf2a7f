/* SPDX-License-Identifier: MIT */
/* dropin.c — see dropin.h. */
#include "config.h"

#include <string.h>

#include "cmd/dropin.h"

/* The prefixes systemd allows before an ExecStart= command. */
#define EXEC_PREFIXES "@-:+!"

char **hs_dropin_exec_starts(const char *unit_text) {
  g_auto(GStrv) lines = g_strsplit(unit_text, "\n", -1);
  g_autoptr(GPtrArray) commands = g_ptr_array_new_with_free_func(g_free);
  gboolean in_service = FALSE;

  for (int i = 0; lines[i] != NULL; i++) {
    g_autoptr(GString) line = g_string_new(g_strstrip(lines[i]));

    /* A continuation: the backslash goes, a space stands for the break. */
    while (line->len > 0 && line->str[line->len - 1] == '\\' &&
           lines[i + 1] != NULL) {
      g_string_truncate(line, line->len - 1);
      g_string_append_c(line, ' ');
      g_string_append(line, g_strstrip(lines[++i]));
    }
    if (line->str[0] == '#' || line->str[0] == ';') continue;
    if (line->str[0] == '[') {
      in_service = strcmp(line->str, "[Service]") == 0;
      continue;
    }
    if (!in_service || !g_str_has_prefix(line->str, "ExecStart")) continue;
    {
      const char *p = line->str + strlen("ExecStart");
      while (*p == ' ' || *p == '\t') p++;
      if (*p != '=') continue; /* ExecStartPre= and the like */
      p++;
      while (*p == ' ' || *p == '\t') p++;
      if (*p == '\0')
        g_ptr_array_set_size(commands, 0);
      else
        g_ptr_array_add(commands, g_strdup(p));
    }
  }
  g_ptr_array_add(commands, NULL);
  return (char **)g_ptr_array_free(g_steal_pointer(&commands), FALSE);
}

gboolean hs_dropin_command_wrappable(const char *command) {
  size_t n = strspn(command, EXEC_PREFIXES);

  return memchr(command, '@', n) == NULL && command[n] != '\0';
}

char *hs_dropin_render(const HsDropin *d) {
  GString *out = g_string_new(NULL);
  gboolean known = d->commands != NULL && d->commands[0] != NULL;

  g_string_append_printf(
      out,
      "# Drop-in for %s: save it as\n"
      "# /etc/systemd/system/%s.d/hubspot.conf, then run\n"
      "# 'systemctl daemon-reload' and 'systemctl restart %s'.\n"
      "[Service]\n"
      "# systemd decrypts profile %s for this service alone, into\n"
      "# $CREDENTIALS_DIRECTORY, where hs-exec finds it.\n"
      "LoadCredentialEncrypted=hubspot.%s:%s/hubspot.%s.cred\n",
      d->unit, d->unit, d->unit, d->profile, d->profile, d->cred_dir,
      d->profile);
  if (d->keyring_cache)
    g_string_append(
        out,
        "# hs-exec caches this profile's access tokens in the user keyring,\n"
        "# which it reaches from the service's own session keyring too\n"
        "# (KeyringMode=private, the default): no KeyringMode= is needed.\n"
        "# Before it asks HubSpot for a token, hs-exec takes a lock in\n"
        "# $XDG_RUNTIME_DIR, which a system service does not have.\n"
        "RuntimeDirectory=hs-exec-%N\n"
        "Environment=XDG_RUNTIME_DIR=%t/hs-exec-%N\n");
  if (!known)
    g_string_append_printf(
        out,
        "# EDIT: the unit file of %s was not found, so its command is not\n"
        "# known: replace /path/to/command below with what it runs.\n",
        d->unit);
  g_string_append(out, "ExecStart=\n");
  if (!known)
    g_string_append_printf(out, "ExecStart=%s %s -- /path/to/command\n",
                           d->hs_exec, d->profile);
  for (const char *const *c = d->commands; known && *c != NULL; c++) {
    size_t n = strspn(*c, EXEC_PREFIXES);
    g_string_append_printf(out, "ExecStart=%.*s%s %s -- %s\n", (int)n, *c,
                           d->hs_exec, d->profile, *c + n);
  }
  return g_string_free(out, FALSE);
}
