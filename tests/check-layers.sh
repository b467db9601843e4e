#!/usr/bin/env bash
# check-layers.sh: the layer rules of DESIGN.md §2, checked on the sources (TAP).
#   usage: check-layers.sh SOURCE_ROOT
set -uo pipefail

root=${1:-$(dirname "$0")/..}
cd "$root" || exit 1

n=0
failed=0

# check NAME OUTPUT: OUTPUT lists the violations, one per line; none passes.
check () {
  local name=$1 output=$2
  n=$((n + 1))
  if [ -z "$output" ]; then
    echo "ok $n - $name"
  else
    echo "not ok $n - $name"
    printf '%s\n' "$output" | sed 's/^/#   /'
    failed=$((failed + 1))
  fi
}

# Sources of a directory (recursively), or nothing if it does not exist yet.
sources () {
  local dir
  for dir in "$@"; do
    [ -d "$dir" ] && find "$dir" -type f \( -name '*.c' -o -name '*.h' \) -print
  done | sort
}

# grep -nE over files; prints nothing when there are no files.
grep_in () {
  local pattern=$1; shift
  [ $# -gt 0 ] && grep -nE -- "$pattern" "$@" /dev/null
  return 0
}

include='^[[:space:]]*#[[:space:]]*include[[:space:]]*[<"]'

# Uppercase SQL as the project writes it; case-sensitive so that English and
# Italian prose ("select the row from…") does not match.
sql='\b(SELECT\b.*\bFROM\b|INSERT INTO\b|UPDATE[[:space:]]+[a-z_]+[[:space:]]+SET\b|DELETE FROM\b|CREATE (TABLE|INDEX|FUNCTION)\b|ALTER TABLE\b)'

echo "1..17"

mapfile -t common_files < <(sources common)
mapfile -t client_files < <(sources client)
mapfile -t server_files < <(sources server)
mapfile -t all_files < <(sources common client server)

check "sources found (common/ and server/)" \
  "$([ ${#common_files[@]} -gt 0 ] && [ ${#server_files[@]} -gt 0 ] || echo 'no sources under common/ or server/')"

check "common/ includes no GTK, libadwaita, libsoup, libpq, OpenSSL, libcurl, cairo or pango" \
  "$(grep_in "${include}(gtk/|gdk/|adwaita\.h|libsoup/|libpq-fe\.h|libpq/|postgres|openssl/|curl/|cairo|pango)" "${common_files[@]}")"

check "client/ includes no libpq" \
  "$(grep_in "${include}(libpq-fe\.h|libpq/|postgres)" "${client_files[@]}")"

check "client/ contains no SQL and no libpq calls" \
  "$(grep_in "${sql}|\bPQ[a-z]+[[:space:]]*\(" "${client_files[@]}")"

check "server/ includes no GTK, GDK or libadwaita" \
  "$(grep_in "${include}(gtk/|gdk/|adwaita\.h)" "${server_files[@]}")"

check "server/ does not link GTK or libadwaita" \
  "$(for f in server/meson.build server/admin/meson.build; do
       [ -f "$f" ] && grep -nE "dependency\('(gtk4|gtk\+?-[34]\.0|libadwaita-1)'|\b(gtk|adw)_dep\b" "$f" /dev/null
     done)"

# SQL text only in the server's database files and migrations.
mapfile -t not_db < <(printf '%s\n' "${all_files[@]}" \
  | grep -vE '^server/db/sp-db[^/]*\.[ch]$|^server/admin/sp-db-[^/]*\.[ch]$|^server/sql/' | grep -v '^$')
check "SQL only in server/db/, server/admin/sp-db-*.c and server/sql/" \
  "$(grep_in "$sql" "${not_db[@]}")"

check "libpq called only from the database files (handlers never call PQ*)" \
  "$(grep_in "\bPQ[a-z][A-Za-z]*[[:space:]]*\(" "${not_db[@]}")"

mapfile -t not_crypto < <(printf '%s\n' "${all_files[@]}" | grep -vx 'server/core/sp-crypto.c' | grep -v '^$')
check "OpenSSL is included only by server/core/sp-crypto.c" \
  "$(grep_in "${include}openssl/" "${not_crypto[@]}")"

# The folders show the layers: no source at the top of server/ or among the
# client's pages and widgets that belongs to another layer.
check "server/ keeps its sources in folders (core, db, render, http, jobs, admin)" \
  "$(find server -maxdepth 1 -type f \( -name '*.c' -o -name '*.h' \) -print)"

mapfile -t below_http < <(sources server/core server/db server/render server/jobs)
check "only server/http/ speaks HTTP (core, db, render and jobs include no libsoup)" \
  "$(grep_in "${include}libsoup/" "${below_http[@]}")"

mapfile -t not_db_layer < <(sources server/core server/render server/http)
check "core, render and http include no libpq (they reach the database through server/db/)" \
  "$(grep_in "${include}(libpq-fe\.h|libpq/)" "${not_db_layer[@]}")"

mapfile -t not_render < <(sources server/core server/db server/http server/jobs)
check "only server/render/ draws (cairo and pango)" \
  "$(grep_in "${include}(cairo|pango)" "${not_render[@]}")"

mapfile -t client_ui < <(sources client/pages client/widgets)
check "the client's pages and widgets reach the network only through client/net/" \
  "$(grep_in "${include}libsoup/|\bsoup_[a-z_]+[[:space:]]*\(" "${client_ui[@]}")"

mapfile -t client_net < <(sources client/net)
check "client/net/ holds no widgets (no GTK or libadwaita)" \
  "$(grep_in "${include}(gtk/|adwaita\.h)|\b(gtk|adw)_[a-z_]+[[:space:]]*\(" "${client_net[@]}")"

# Jobs run on connections of their own, never on the requests' pool, and
# reach PostgreSQL only through typed functions of server/db/ (sp-db-jobs.h and
# friends): no libpq, no generic statement helpers, no sp_db_run_*().
mapfile -t jobs_files < <(sources server/jobs)
jobs_db='sp-db-util\.h"|sp-db\.h"'
jobs_calls='\bsp_db_(run_[a-z]+|exec[a-z_]*|command|begin|commit|rollback)[[:space:]]*\('
check "server/jobs/ uses typed server/db/ functions only (no libpq, sp-db-util.h or the requests' pool)" \
  "$(grep_in "${include}(libpq-fe\.h|libpq/|${jobs_db})|${jobs_calls}" "${jobs_files[@]}")"

# One reader of a document's bytes: sp_db_document_read() (document_read() of
# server/sql/), which the operator's download, the citizens' links and the
# e-mails' attachments all call; no other code reads a large object.
mapfile -t not_reader < <(printf '%s\n' "${server_files[@]}" | grep -vx 'server/db/sp-db-document-read.c' | grep -v '^$')
check "only server/db/sp-db-document-read.c reads a document's bytes" \
  "$(grep_in "\b(lo_get|loread|lo_read|lo_open|lo_export|document_read)[[:space:]]*\(" "${not_reader[@]}")"

[ "$failed" -eq 0 ]
