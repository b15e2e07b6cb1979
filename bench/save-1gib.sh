#!/usr/bin/env bash
# Benchmark (not a test): `thread result --save` of a 1 GiB output from the dev server.
#
#   bash bench/save-1gib.sh [BYTES] [CHUNK_BYTES]
#
# Starts `dodil scriptum dev-server` as its own process on loopback (so the client's peak RSS is
# the client's alone), runs demo/big with {"bytes": BYTES}, then times
# `dodil scriptum thread result ID --save DIR` under /usr/bin/time -v. Prints MiB/s, peak RSS,
# checks output.json's sha256 against summary.json, and runs examples/ceiling (a bare tonic
# reader: no validation, no hash, no fsync) on the same thread for comparison.
set -euo pipefail

BYTES=${1:-1073741824}
CHUNK=${2:-}
cd "$(dirname "$0")/.."
cargo build --release --quiet --bin dodil --example ceiling
BIN=$PWD/target/release/dodil
CEILING=$PWD/target/release/examples/ceiling

WORK=$(mktemp -d)
SERVER_PID=
cleanup() {
    [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null || true
    rm -rf "$WORK"
}
trap cleanup EXIT

export DODIL_CONFIG=$WORK/config.yaml DODIL_DATA_DIR=$WORK/data NO_COLOR=1
DODIL_DEVSERVER_SPEED=1000 "$BIN" scriptum dev-server --listen 127.0.0.1:0 >"$WORK/server.out" 2>"$WORK/server.err" &
SERVER_PID=$!
for _ in $(seq 1 100); do
    grep -q "listening on" "$WORK/server.out" 2>/dev/null && break
    sleep 0.1
done
URL=$(sed -n 's/.*listening on \(http[^ ]*\).*/\1/p' "$WORK/server.out" | head -1)
[ -n "$URL" ] || { echo "dev server did not start" >&2; cat "$WORK/server.err" >&2; exit 1; }
export DODIL_ENDPOINT=$URL

ID=$("$BIN" scriptum thread create demo/big --input "{\"bytes\": $BYTES, \"steps\": 3}")
"$BIN" -q scriptum thread result "$ID" --wait -o json >/dev/null 2>&1 || true

[ -n "$CHUNK" ] && export DODIL_RESULT_CHUNK_BYTES=$CHUNK
/usr/bin/time -v "$BIN" scriptum thread result "$ID" --save "$WORK/out" \
    >/dev/null 2>"$WORK/time.txt"

secs=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$WORK/time.txt" |
    awk -F: '{ if (NF == 3) print $1*3600 + $2*60 + $3; else print $1*60 + $2 }')
rss_kb=$(awk -F': ' '/Maximum resident set size/ {print $2}' "$WORK/time.txt")
size=$(stat -c %s "$WORK/out/output.json")
want=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["output"]["sha256"])' "$WORK/out/summary.json")
got=$(sha256sum "$WORK/out/output.json" | cut -d' ' -f1)
[ "$want" = "$got" ] || { echo "sha256 mismatch: summary $want, file $got" >&2; exit 1; }

echo "dodil thread result --save: $size bytes in ${secs}s = $(awk -v b="$size" -v s="$secs" 'BEGIN {printf "%.0f", b/1048576/s}') MiB/s, peak RSS $((rss_kb / 1024)) MiB (sha256 verified)"

read -r cbytes csecs < <("$CEILING" "$URL" "$ID" "$WORK/ceiling.bin" ${CHUNK:+"$CHUNK"})
echo "ceiling (bare tonic reader):  $cbytes bytes in ${csecs}s = $(awk -v b="$cbytes" -v s="$csecs" 'BEGIN {printf "%.0f", b/1048576/s}') MiB/s"
