#!/usr/bin/env bash
# Isolated build and test for parallel development: compiles the whole tree into .dev/NAME
# (a self-contained package root that shares node_modules, presets, calibration, docs and test
# fixtures by symlink) and runs ava there, so several people can build and test at once without
# deleting each other's dist/. Usage: scripts/dev-test.sh NAME [ava args, e.g. dist/test/units.test.js]
set -u
name=${1:?usage: scripts/dev-test.sh NAME [ava args]}
shift
here=$(cd "$(dirname "$0")/.." && pwd)
root="$here/.dev/$name"
rm -rf "$root/dist"
mkdir -p "$root"
cp "$here/package.json" "$root/package.json"
rm -rf "$root/bin" && cp -r "$here/bin" "$root/bin"
for link in node_modules presets calibration docs test examples; do
  [ -e "$here/$link" ] && ln -sfn "$here/$link" "$root/$link"
done
(cd "$here" && npx tsc -p tsconfig.json --outDir "$root/dist") || echo "dev-test: tsc reported errors (above); running what compiled"
# The CLI runs from the bundle (dist/attncap.cjs) and its code cache, as in npm run build.
(cd "$root" && node dist/scripts/bundle.js) || echo "dev-test: bundling failed"
(cd "$root" && npx oclif manifest >/dev/null 2>&1) || echo "dev-test: oclif manifest failed"
(cd "$root" && node dist/scripts/bundle.js cache) || echo "dev-test: writing the code cache failed"
cd "$root" && npx ava "$@"
