# SPDX-License-Identifier: MIT
# tests/fuzz/: libFuzzer targets, one per parser of outside input, built by
# `configure CC=clang-14 --enable-fuzzing` (see configure.ac) and run by
# tests/fuzz/run-all-fuzz.  A new target is tests/fuzz/fuzz-NAME.c, its
# seeds in tests/fuzz/corpus/NAME/, a line in FUZZ_TARGETS and its two link
# lines below.
FUZZ_TARGETS = \
	tests/fuzz/fuzz-secret-input \
	tests/fuzz/fuzz-record \
	tests/fuzz/fuzz-hubspot-json \
	tests/fuzz/fuzz-config \
	tests/fuzz/fuzz-http-headers \
	tests/fuzz/fuzz-dotenv \
	tests/fuzz/fuzz-cli-yaml \
	tests/fuzz/fuzz-proxy-request \
	tests/fuzz/fuzz-token-scan \
	tests/fuzz/fuzz-project-binding \
	tests/fuzz/fuzz-vault-json \
	tests/fuzz/fuzz-cache-entry
if ENABLE_FUZZING
noinst_PROGRAMS += $(FUZZ_TARGETS)
endif

# Each links the layers its parser lives in (an archive gives it only what it
# uses) and, through FUZZ_LDFLAGS, libFuzzer, whose main() drives the target.
FUZZ_LIBS = helper/migrate/libhsmigrate.la $(HS_EXEC_LIBS)
FUZZ_LINK_FLAGS = $(AM_LDFLAGS) $(FUZZ_LDFLAGS)
tests_fuzz_fuzz_secret_input_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_secret_input_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_record_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_record_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_hubspot_json_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_hubspot_json_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_config_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_config_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_http_headers_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_http_headers_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_dotenv_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_dotenv_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_cli_yaml_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_cli_yaml_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_proxy_request_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_proxy_request_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_token_scan_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_token_scan_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_project_binding_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_project_binding_LDFLAGS = $(FUZZ_LINK_FLAGS)
# The vault store's parser lives in its plugin: its source, not a layer.
tests_fuzz_fuzz_vault_json_SOURCES = tests/fuzz/fuzz-vault-json.c \
	plugin/vault/kv-json.c
tests_fuzz_fuzz_vault_json_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_cache_entry_LDADD = $(FUZZ_LIBS)
tests_fuzz_fuzz_cache_entry_LDFLAGS = $(FUZZ_LINK_FLAGS)
tests_fuzz_fuzz_vault_json_LDFLAGS = $(FUZZ_LINK_FLAGS)

# Shipped whether or not this build fuzzes (automake ships the programs'
# sources itself): the targets' header, the seeds and the runners.
EXTRA_DIST += tests/fuzz/fuzz-common.h tests/fuzz/corpus \
	tests/fuzz/run-all-fuzz tests/fuzz/long
