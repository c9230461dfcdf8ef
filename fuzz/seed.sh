#!/usr/bin/env bash
# Writes seed inputs for the fuzz targets from the bundled examples:
# fuzz/corpus/plan_files/<n> is "path NUL content" for each plan file, and
# fuzz/corpus/markdown/<n> each stage narrative.
set -euo pipefail
cd "$(dirname "$0")"
mkdir -p corpus/plan_files corpus/markdown corpus/pack
n=0
for plan in ../examples/northwind-corporate ../examples/northwind-project ../examples/meridian-project; do
    while IFS= read -r -d '' file; do
        rel=${file#"$plan"/}
        n=$((n + 1))
        { printf '%s\0' "$rel"; cat "$file"; } > "corpus/plan_files/seed-$n"
        cp "corpus/plan_files/seed-$n" "corpus/pack/seed-$n"
        case "$rel" in
            0*/README.md) cp "$file" "corpus/markdown/seed-$n" ;;
        esac
    done < <(find "$plan" -type f \( -name '*.yaml' -o -name '*.md' -o -name 'rmp.toml' \) -not -path '*/evidence/*' -print0)
done
echo "wrote $n seeds"
