#!/usr/bin/env bash
# Install Bandit and Semgrep OSS for the speed benchmark into bench/.tools/, one venv each,
# never into the app's venv (Semgrep's pins conflict with ours). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/../.."
TOOLS=bench/.tools
UV="${UV:-uv}"
for tool in bandit semgrep; do
  if [ -x "$TOOLS/$tool/bin/$tool" ]; then
    echo "$tool: already installed ($("$TOOLS/$tool/bin/$tool" --version 2>/dev/null | head -1))"
    continue
  fi
  $UV venv --quiet --python 3.11 "$TOOLS/$tool"
  $UV pip install --quiet --python "$TOOLS/$tool/bin/python" "$tool"
  echo "$tool: installed ($("$TOOLS/$tool/bin/$tool" --version 2>/dev/null | head -1))"
done
