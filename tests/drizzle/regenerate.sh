#!/usr/bin/env bash
# The Drizzle fixtures of tests/it/migrate are drizzle-kit's own output, not imitations:
# schema/1.ts, 2.ts, 3.ts are three versions of a schema (users, and posts referencing them
# with ON DELETE CASCADE; version 3 makes drizzle-kit rebuild users), and migrations/ is what
# `drizzle-kit generate` writes for them one after the other: NNNN_<name>.sql and
# meta/_journal.json, the files drizzle-orm's migrator reads (the snapshots drizzle-kit keeps
# for its next diff are left out).
#
#   tests/drizzle/regenerate.sh          rewrite migrations/
#   tests/drizzle/regenerate.sh --check  fail if migrations/ differ from what drizzle-kit
#                                        writes now (the journal's "when" stamps excepted:
#                                        drizzle-kit takes them from the clock)
#
# Needs Node and the npm registry: the packages pinned in package.json / package-lock.json
# are installed into a throwaway folder ($DRIZZLE_DIR, else $TMPDIR/libsql-shell-drizzle-
# kit-0.31.11), which tests/it/migrate/tools.rs also uses to run drizzle-orm's migrator.
set -euo pipefail
cd "$(dirname "$0")"
work=${DRIZZLE_DIR:-${TMPDIR:-/tmp}/libsql-shell-drizzle-kit-0.31.11}
check=0
[ "${1:-}" = "--check" ] && check=1

if [ ! -x "$work/node_modules/.bin/drizzle-kit" ] || ! cmp -s package-lock.json "$work/package-lock.json"; then
  rm -rf "$work"
  mkdir -p "$work"
  cp package.json package-lock.json "$work/"
  if ! (cd "$work" && npm ci --no-audit --no-fund --loglevel=error >/dev/null); then
    rm -rf "$work"
    if [ $check = 1 ]; then
      # No registry here: nothing is known to be wrong with the fixtures.
      echo "notice: drizzle-kit could not be installed from npm; Drizzle fixtures not re-checked" >&2
      exit 0
    fi
    exit 1
  fi
fi

gen=$(mktemp -d)
trap 'rm -rf "$gen"' EXIT
cp drizzle.config.ts "$gen/"
ln -s "$work/node_modules" "$gen/node_modules"
names=(init add_email email_not_null)
for i in 1 2 3; do
  cp "schema/$i.ts" "$gen/schema.ts"
  (cd "$gen" && ./node_modules/.bin/drizzle-kit generate --name "${names[$((i - 1))]}" >/dev/null)
done
out="$gen/out"
mkdir -p "$out/meta"
cp "$gen"/migrations/*.sql "$out/"
cp "$gen/migrations/meta/_journal.json" "$out/meta/"

if [ $check = 1 ]; then
  when='s/"when": [0-9]*/"when": 0/'
  diff <(sed "$when" migrations/meta/_journal.json) <(sed "$when" "$out/meta/_journal.json")
  diff <(cd migrations && ls *.sql) <(cd "$out" && ls *.sql)
  for f in migrations/*.sql; do
    cmp "$f" "$out/$(basename "$f")"
  done
  echo "tests/drizzle/migrations matches drizzle-kit $(node -p "require('$work/node_modules/drizzle-kit/package.json').version")"
else
  rm -rf migrations
  cp -r "$out" migrations
fi
