# SPDX-License-Identifier: MIT
# packaging/: man pages, shell completions, the systemd user units, and the
# Debian, RPM and Arch recipes (shipped in the tarball, built by their own
# tools: packaging/build-deb, packaging/build-rpm).
man1_MANS = packaging/man/hs-exec.1 packaging/man/hs-token.1
man5_MANS = packaging/man/hs-exec.conf.5
man7_MANS = packaging/man/hs-plugin.7

# bash-completion finds a command's completion by the command's name.
install-bash-completions:
	$(MKDIR_P) '$(DESTDIR)$(bashcompletiondir)'
	$(INSTALL_DATA) $(srcdir)/packaging/completions/hs-token.bash '$(DESTDIR)$(bashcompletiondir)/hs-token'
	$(INSTALL_DATA) $(srcdir)/packaging/completions/hs-exec.bash '$(DESTDIR)$(bashcompletiondir)/hs-exec'
uninstall-bash-completions:
	rm -f '$(DESTDIR)$(bashcompletiondir)/hs-token' '$(DESTDIR)$(bashcompletiondir)/hs-exec'
.PHONY: install-bash-completions uninstall-bash-completions
zshcompletion_DATA = packaging/completions/_hs-token packaging/completions/_hs-exec

if INSTALL_SYSTEMD_USER_UNITS
systemduserunit_DATA = packaging/systemd/hs-token-check.service \
	packaging/systemd/hs-token-check.timer
endif
# The unit names the installed hs-token, so bindir is filled in at make time
# (the generated file is not tracked).
packaging/systemd/hs-token-check.service: $(srcdir)/packaging/systemd/hs-token-check.service.in Makefile
	$(AM_V_GEN)$(MKDIR_P) packaging/systemd && \
	sed -e 's|@bindir[@]|$(bindir)|g' $(srcdir)/packaging/systemd/hs-token-check.service.in >$@.tmp && \
	mv -f $@.tmp $@
CLEANFILES += packaging/systemd/hs-token-check.service

EXTRA_DIST += \
	$(man1_MANS) $(man5_MANS) $(man7_MANS) \
	packaging/completions/hs-token.bash packaging/completions/hs-exec.bash \
	$(zshcompletion_DATA) \
	packaging/systemd/hs-token-check.service.in \
	packaging/systemd/hs-token-check.timer \
	packaging/test-completions packaging/build-deb packaging/build-rpm \
	packaging/ci-deb-check \
	packaging/debian/changelog packaging/debian/control \
	packaging/debian/copyright packaging/debian/rules \
	packaging/debian/source/format packaging/debian/hs-exec.docs \
	packaging/debian/hs-exec.install \
	packaging/debian/libhs-exec-plugin-dev.install \
	packaging/rpm/hs-exec.spec \
	packaging/arch/PKGBUILD packaging/arch/.SRCINFO
