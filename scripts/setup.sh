#!/usr/bin/env bash
# samizdat set-up: installs what the tool and its tests need on Debian/Ubuntu (Node 20+ must be there),
# then the npm dependencies, then builds the sample book into dist/.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBS=(chromium epubcheck poppler-utils ghostscript qpdf)
missing=()
for p in "${DEBS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "setup: installing Debian packages: ${missing[*]}"
  SUDO=""
  if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node -e 'const [maj]=process.versions.node.split(".").map(Number); if (maj < 20) { console.error("setup: samizdat needs Node 20 or newer, this is " + process.version); process.exit(1); }'

# puppeteer-core never downloads a browser; samizdat uses the system Chromium.
export PUPPETEER_SKIP_DOWNLOAD=1
if [ -f package-lock.json ]; then npm ci --no-fund --no-audit; else npm install --no-fund --no-audit; fi

npm run build
