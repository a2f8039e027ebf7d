#!/usr/bin/env bash
# Fails when a C++ file of ours is not formatted per .clang-format.
set -euo pipefail
cd "$(dirname "$0")/.."
git ls-files -z '*.cc' '*.h' | xargs -0 -r clang-format --dry-run -Werror
echo "clang-format: $(git ls-files '*.cc' '*.h' | wc -l) files clean"
