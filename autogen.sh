#!/bin/sh
# SPDX-License-Identifier: MIT
# Generate ./configure and the Makefile templates from a git checkout.
set -e
cd "$(dirname "$0")"
mkdir -p m4 build-aux
# The test harness speaks TAP; automake ships the driver but does not copy it.
cp -f "$(automake --print-libdir)/tap-driver.sh" build-aux/tap-driver.sh
autoreconf --install --force --warnings=all
