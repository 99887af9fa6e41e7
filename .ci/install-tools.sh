#!/usr/bin/env bash
# Optional tools for tests, installed best-effort by .ci/run.
# sample-service: headless Chromium for ReportInBrowserTest (opens the experiment's report.html).
# Best effort: without apt (or without root) the test is skipped with its reason, and the run goes on.
if ! command -v chromium >/dev/null 2>&1; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium; } \
      >/tmp/ci-chromium-install.log 2>&1 \
      || echo "[ci] chromium could not be installed (see /tmp/ci-chromium-install.log); ReportInBrowserTest will be skipped"
  else
    echo "[ci] no apt-get or not root: chromium not installed; ReportInBrowserTest will be skipped"
  fi
fi
command -v chromium >/dev/null 2>&1 && echo "[ci] $(chromium --version 2>/dev/null || echo chromium present)" || true
