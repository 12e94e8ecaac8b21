#!/usr/bin/env bash
# Fetch the official DynamoDB Local (jar + native libs) into .cache/dynamodb-local/ once.
# It comes from the npm registry (amplify-dynamodb-simulator ships AWS's DynamoDBLocal.jar
# under package/emulator/), because npm is the registry this project's machines reach.
# Idempotent, and safe when two test workers call it at once: it unpacks beside the
# destination and renames into place; whoever renames second throws its copy away.
# Used by test/helpers/dynamodb-local.ts and .ci/run.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
dest="${DYNAMODB_LOCAL_DIR:-$root/.cache/dynamodb-local}"
package="${DYNAMODB_LOCAL_PACKAGE:-amplify-dynamodb-simulator@2.9.30}"

if [[ -f "$dest/DynamoDBLocal.jar" && -d "$dest/DynamoDBLocal_lib" ]]; then
  exit 0
fi

mkdir -p "$(dirname "$dest")"
stage="$(mktemp -d "$dest.stage.XXXXXX")"
trap 'rm -rf "$stage"' EXIT
tarball="$(cd "$stage" && npm pack --silent "$package" | tail -n 1)"
# Only the emulator: the jar and its libraries (the rest of the package is the Amplify CLI's).
tar -xzf "$stage/$tarball" -C "$stage" package/emulator/DynamoDBLocal.jar package/emulator/DynamoDBLocal_lib
if mv -T "$stage/package/emulator" "$dest" 2>/dev/null; then
  echo "DynamoDB Local in ${dest#"$root/"}" >&2
elif [[ ! -f "$dest/DynamoDBLocal.jar" ]]; then
  echo "fetch-dynamodb-local: cannot move the emulator into $dest" >&2
  exit 1
fi
