#!/usr/bin/env bash
# check-data.sh: the Italian translation is complete (TAP).
#   usage: check-data.sh SOURCE_ROOT
#
# Extracts the messages of po/POTFILES.in afresh (the keywords of meson's glib
# preset), merges them into each catalog of po/LINGUAS, and fails if any
# message is untranslated or fuzzy: it.po must follow the sources. The data
# files themselves are validated by data/meson.build and po/meson.build.
set -uo pipefail

root=${1:-$(dirname "$0")/..}
cd "$root" || exit 1

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

n=0
failed=0
result () {   # result NAME OK [DETAILS]
  n=$((n + 1))
  if [ "$2" = 0 ]; then
    echo "ok $n - $1"
  else
    echo "not ok $n - $1"
    failed=$((failed + 1))
  fi
  [ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/#   /'
  return 0
}

mapfile -t languages < <(sed -e 's/#.*//' po/LINGUAS | tr -s ' \t' '\n' | grep -v '^$')
echo "1..$((1 + 2 * ${#languages[@]}))"

# Files that do not exist yet are skipped, so the check runs while the client is written.
grep -v -e '^[[:space:]]*#' -e '^[[:space:]]*$' po/POTFILES.in | while read -r file; do
  [ -f "$file" ] && echo "$file"
done > "$tmp/POTFILES"

out=$(xgettext --from-code=UTF-8 --add-comments \
        --keyword=_ --keyword=N_ --keyword=C_:1c,2 --keyword=NC_:1c,2 \
        --keyword=g_dcgettext:2 --keyword=g_dngettext:2,3 --keyword=g_dpgettext2:2c,3 \
        --flag=N_:1:pass-c-format --flag=C_:2:pass-c-format --flag=NC_:2:pass-c-format \
        --flag=g_dngettext:2:pass-c-format --flag=g_strdup_printf:1:c-format \
        --flag=g_string_printf:2:c-format --flag=g_string_append_printf:2:c-format \
        --flag=g_error_new:3:c-format --flag=g_set_error:4:c-format \
        --package-name=sportello --files-from="$tmp/POTFILES" -o "$tmp/sportello.pot" 2>&1)
status=$?
result "xgettext extracts the messages of po/POTFILES.in ($(wc -l < "$tmp/POTFILES") files)" $status "$out"
[ $status -eq 0 ] || exit 1

for lang in "${languages[@]}"; do
  po="po/$lang.po"
  if [ ! -f "$po" ]; then
    result "$po exists" 1
    result "$po is complete" 1
    continue
  fi

  out=$(msgmerge --quiet --previous -o "$tmp/$lang.po" "$po" "$tmp/sportello.pot" 2>&1 \
        && msgfmt --check -o /dev/null "$tmp/$lang.po" 2>&1)
  result "$po merges with the sources and passes msgfmt --check" $? "$out"

  stats=$(msgfmt --statistics -o /dev/null "$tmp/$lang.po" 2>&1)
  missing=$(msgattrib --untranslated --no-obsolete "$tmp/$lang.po" 2>/dev/null | grep '^msgid ' | grep -v '^msgid ""$')
  fuzzy=$(msgattrib --only-fuzzy --no-obsolete "$tmp/$lang.po" 2>/dev/null | grep '^msgid ' | grep -v '^msgid ""$')
  if echo "$stats" | grep -qE 'untranslated|fuzzy'; then
    result "$po is complete: $stats" 1 "$(printf 'untranslated: %s\n' "$missing"; printf 'fuzzy: %s\n' "$fuzzy")"
  else
    result "$po is complete: $stats" 0
  fi
done

[ "$failed" -eq 0 ]
