#!/usr/bin/env bash
# Optional tools for tests, installed best-effort by .ci/run.
# sample-service: headless Chromium for ReportInBrowserTest (opens the experiment's report.html), and Prometheus for
# DashboardOnPrometheusTest (scrapes two sample-service instances and evaluates every dashboard query).
# Best effort: without apt (or without root) the tests that need them are skipped with their reason, and the run goes on.
wanted=()
command -v chromium >/dev/null 2>&1 || wanted+=(chromium)
[ -x /usr/bin/prometheus ] || wanted+=(prometheus)
if [ "${#wanted[@]}" -gt 0 ]; then
  if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = "0" ]; then
    { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${wanted[@]}"; } \
      >/tmp/ci-tools-install.log 2>&1 \
      || echo "[ci] ${wanted[*]} could not be installed (see /tmp/ci-tools-install.log); the tests that need them will be skipped"
  else
    echo "[ci] no apt-get or not root: ${wanted[*]} not installed; the tests that need them will be skipped"
  fi
fi
command -v chromium >/dev/null 2>&1 && echo "[ci] $(chromium --version 2>/dev/null || echo chromium present)" || true
[ -x /usr/bin/prometheus ] && echo "[ci] $(/usr/bin/prometheus --version 2>&1 | head -1)" || true
# Debian's package starts a Prometheus service where systemd runs; the tests start their own on a free port
if command -v systemctl >/dev/null 2>&1 && systemctl is-active --quiet prometheus 2>/dev/null; then
  systemctl stop prometheus || true
fi
