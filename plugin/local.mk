# SPDX-License-Identifier: MIT
# plugin/: the ABI header, its pkg-config file, the backends.
hsexecincludedir = $(includedir)/hs-exec
hsexecinclude_HEADERS = plugin/hs-plugin.h
pkgconfig_DATA = plugin/hs-exec-plugin.pc

PLUGIN_LDFLAGS = $(AM_LDFLAGS) -module -avoid-version \
	-shared -no-undefined -export-symbols $(srcdir)/plugin/plugin.sym

# Helpers every store shares (message, profile names, ABI check, payload),
# libc only and hidden, so each plugin still exports hs_plugin_v1 alone.
noinst_LTLIBRARIES += plugin/common/libhsstoreutil.la
plugin_common_libhsstoreutil_la_SOURCES = plugin/common/store-util.c \
	plugin/common/store-util.h
plugin_common_libhsstoreutil_la_CFLAGS = $(BASE_CFLAGS)
STORE_UTIL = plugin/common/libhsstoreutil.la

plugin_LTLIBRARIES = plugin/secret-service.la plugin/keyctl.la \
	plugin/systemd-creds.la plugin/vault.la plugin/pass.la
plugin_secret_service_la_SOURCES = plugin/secret-service/secret-service.c
plugin_secret_service_la_CFLAGS = $(BASE_CFLAGS) $(LIBSECRET_CFLAGS)
plugin_secret_service_la_LIBADD = $(LIBSECRET_LIBS)
plugin_secret_service_la_LDFLAGS = $(PLUGIN_LDFLAGS)

plugin_keyctl_la_SOURCES = plugin/keyctl/keyctl.c
plugin_keyctl_la_CFLAGS = $(BASE_CFLAGS) $(KEYUTILS_CFLAGS)
plugin_keyctl_la_LIBADD = $(STORE_UTIL) $(KEYUTILS_LIBS)
plugin_keyctl_la_LDFLAGS = $(PLUGIN_LDFLAGS)

# Runs systemd-creds(1), found at configure time, by its absolute path.
plugin_systemd_creds_la_SOURCES = plugin/systemd-creds/systemd-creds.c
plugin_systemd_creds_la_CPPFLAGS = $(AM_CPPFLAGS) \
	-DSYSTEMD_CREDS=\"$(SYSTEMD_CREDS)\"
plugin_systemd_creds_la_CFLAGS = $(BASE_CFLAGS)
plugin_systemd_creds_la_LIBADD = $(STORE_UTIL)
plugin_systemd_creds_la_LDFLAGS = $(PLUGIN_LDFLAGS)

# HashiCorp Vault / OpenBao KV v2 over its own libcurl; the Vault address
# and CA only from hs-exec.conf.
plugin_vault_la_SOURCES = plugin/vault/vault.c plugin/vault/kv-json.c \
	plugin/vault/kv-json.h
plugin_vault_la_CFLAGS = $(BASE_CFLAGS) $(LIBCURL_CFLAGS) $(KEYUTILS_CFLAGS)
plugin_vault_la_LIBADD = $(STORE_UTIL) $(LIBCURL_LIBS) $(KEYUTILS_LIBS)
plugin_vault_la_LDFLAGS = $(PLUGIN_LDFLAGS)

# GnuPG through GPGME; git, found at configure time, by its absolute path.
plugin_pass_la_SOURCES = plugin/pass/pass.c
plugin_pass_la_CPPFLAGS = $(AM_CPPFLAGS) -DGIT_PROGRAM=\"$(GIT_PROGRAM)\"
plugin_pass_la_CFLAGS = $(BASE_CFLAGS) $(GPGME_CFLAGS)
plugin_pass_la_LIBADD = $(STORE_UTIL) $(GPGME_LIBS)
plugin_pass_la_LDFLAGS = $(PLUGIN_LDFLAGS)

PLUGIN_C_FILES = $(plugin_common_libhsstoreutil_la_SOURCES) \
	$(plugin_secret_service_la_SOURCES) \
	$(plugin_keyctl_la_SOURCES) $(plugin_systemd_creds_la_SOURCES) \
	$(plugin_vault_la_SOURCES) $(plugin_pass_la_SOURCES)

# A plugin is loaded by name; libtool's .la files are of no use there...
install-data-hook: install-bash-completions
	rm -f $(DESTDIR)$(plugindir)/*.la
# ...so libtool's uninstall cannot find the .so through it.
uninstall-local: uninstall-bash-completions
	rm -f $(DESTDIR)$(plugindir)/secret-service.so $(DESTDIR)$(plugindir)/keyctl.so \
		$(DESTDIR)$(plugindir)/systemd-creds.so $(DESTDIR)$(plugindir)/vault.so \
		$(DESTDIR)$(plugindir)/pass.so

EXTRA_DIST += plugin/plugin.sym plugin/hs-exec-plugin.pc.in \
	plugin/example/example-store.c plugin/example/Makefile
DISTCLEANFILES += plugin/hs-exec-plugin.pc
