/* test-version-compare.c: the comparison of two versions: changes, emptiness, nesting, arrays, labels and order */
#define G_LOG_DOMAIN "test-version-compare"

#include "config.h"

#include <locale.h>

#include <glib/gi18n-lib.h>

#include "sp-error.h"
#include "sp-json.h"
#include "sp-version-compare.h"

/* JSON written with ' for " so that the tests read easily. */
static JsonNode *
parse (const char *text)
{
  g_autofree char *json = g_strdup (text);
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_strdelimit (json, "'", '"');
  node = sp_json_parse (json, strlen (json), &error);
  g_assert_no_error (error);
  return node;
}

/* Compares two snapshots (JSON with ' for "; %NULL: none) through @schema. */
static GPtrArray *
compare (const char *schema,
         const char *old_text,
         const char *new_text)
{
  g_autofree char *old_json = old_text != NULL ? g_strdelimit (g_strdup (old_text), "'", '"') : NULL;
  g_autofree char *new_json = g_strdelimit (g_strdup (new_text), "'", '"');
  g_autoptr(JsonNode) schema_node = schema != NULL ? parse (schema) : NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *fields = sp_version_compare (old_json, old_json != NULL ? strlen (old_json) : 0,
                                          new_json, strlen (new_json),
                                          schema_node != NULL ? json_node_get_array (schema_node) : NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (fields);
  return fields;
}

/* Compares the data of two snapshots (without metadata) through @schema. */
static GPtrArray *
compare_data (const char *schema,
              const char *old_data,
              const char *new_data)
{
  g_autofree char *old_text = g_strdup_printf ("{'data': %s}", old_data);
  g_autofree char *new_text = g_strdup_printf ("{'data': %s}", new_data);

  return compare (schema != NULL ? schema : "[]", old_text, new_text);
}

static const SpCompareField *
find (GPtrArray  *fields,
      const char *path)
{
  for (guint i = 0; i < fields->len; i++)
    {
      const SpCompareField *field = g_ptr_array_index (fields, i);

      if (g_str_equal (field->path, path))
        return field;
    }
  g_error ("no field %s", path);
}

static char *
value_text (JsonNode *value)
{
  return value != NULL ? json_to_string (value, FALSE) : g_strdup ("(missing)");
}

/* One field: its labels joined by " › ", its change, and its values as JSON
 * (with ' for "; "(missing)" when %NULL). */
static void
expect (GPtrArray  *fields,
        const char *path,
        const char *labels,
        SpChange    change,
        const char *old_json,
        const char *new_json)
{
  const SpCompareField *field = find (fields, path);
  g_autofree char *joined = g_strjoinv (" › ", field->labels);
  g_autofree char *old_text = value_text (field->old_value);
  g_autofree char *new_text = value_text (field->new_value);

  g_strdelimit (old_text, "\"", '\'');
  g_strdelimit (new_text, "\"", '\'');
  g_assert_cmpstr (joined, ==, labels);
  g_assert_cmpstr (sp_change_to_string (field->change), ==, sp_change_to_string (change));
  g_assert_cmpstr (old_text, ==, old_json);
  g_assert_cmpstr (new_text, ==, new_json);
}

/* The paths in order, one a line. */
static char *
paths (GPtrArray *fields)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < fields->len; i++)
    {
      const SpCompareField *field = g_ptr_array_index (fields, i);

      g_string_append_printf (text, "%s\n", field->path);
    }
  return g_string_free (text, FALSE);
}

static const char *people_schema =
  "[{'key': 'nome', 'label': 'Nome'},"
  " {'key': 'richiedente', 'label': 'Richiedente', 'type': 'group', 'fields': ["
  "   {'key': 'cognome', 'label': 'Cognome'},"
  "   {'key': 'indirizzo', 'label': 'Indirizzo', 'type': 'group', 'fields': ["
  "     {'key': 'via', 'label': 'Via'}, {'key': 'cap', 'label': 'CAP'}]}]},"
  " {'key': 'note', 'label': 'Note'}]";

static void
test_changes (void)
{
  g_autoptr(GPtrArray) fields = compare_data (people_schema,
                                              "{'nome': 'Anna', 'note': 'prima', 'richiedente': {'cognome': 'Rossi'}}",
                                              "{'nome': 'Anna', 'note': 'dopo', 'richiedente': {'indirizzo': {'cap': '47121'}}}");

  g_assert_cmpuint (fields->len, ==, 4);
  expect (fields, "data.nome", "Nome", SP_CHANGE_UNCHANGED, "'Anna'", "'Anna'");
  expect (fields, "data.richiedente.cognome", "Richiedente › Cognome", SP_CHANGE_REMOVED, "'Rossi'", "(missing)");
  expect (fields, "data.richiedente.indirizzo.cap", "Richiedente › Indirizzo › CAP", SP_CHANGE_ADDED,
          "(missing)", "'47121'");
  expect (fields, "data.note", "Note", SP_CHANGE_CHANGED, "'prima'", "'dopo'");
}

/* null, "", [], {} and missing are all empty; two empties are unchanged. */
static void
test_emptiness (void)
{
  g_autoptr(GPtrArray) fields = compare_data (NULL,
    "{'a': null, 'b': '', 'c': [], 'd': {}, 'e': 'x', 'f': 'x', 'g': null, 'h': '', 'i': {}, 'j': [], 'k': 0, 'l': false}",
    "{'a': 'v', 'b': '', 'c': [], 'd': null, 'f': [], 'g': {}, 'h': 'w', 'i': {'z': 1}, 'j': [''], 'k': null, 'l': ''}");

  expect (fields, "data.a", "a", SP_CHANGE_ADDED, "null", "'v'");
  expect (fields, "data.b", "b", SP_CHANGE_UNCHANGED, "''", "''");
  expect (fields, "data.c", "c", SP_CHANGE_UNCHANGED, "[]", "[]");
  expect (fields, "data.d", "d", SP_CHANGE_UNCHANGED, "{}", "null");
  expect (fields, "data.e", "e", SP_CHANGE_REMOVED, "'x'", "(missing)");
  expect (fields, "data.f", "f", SP_CHANGE_REMOVED, "'x'", "[]");
  expect (fields, "data.g", "g", SP_CHANGE_UNCHANGED, "null", "{}");
  expect (fields, "data.h", "h", SP_CHANGE_ADDED, "''", "'w'");
  /* An empty object next to a filled one: its members say what was added. */
  expect (fields, "data.i.z", "i › z", SP_CHANGE_ADDED, "(missing)", "1");
  expect (fields, "data.j[0]", "j [1]", SP_CHANGE_UNCHANGED, "(missing)", "''");
  /* 0 and false are filled. */
  expect (fields, "data.k", "k", SP_CHANGE_REMOVED, "0", "null");
  expect (fields, "data.l", "l", SP_CHANGE_REMOVED, "false", "''");
  g_assert_cmpuint (fields->len, ==, 12);
}

/* A list emptied: each element was there and is not any more. */
static void
test_emptied_list (void)
{
  g_autoptr(GPtrArray) fields = compare_data (NULL, "{'l': [1, {'a': 'b'}]}", "{'l': []}");
  g_autofree char *order = paths (fields);

  g_assert_cmpstr (order, ==, "data.l[0]\ndata.l[1].a\n");
  expect (fields, "data.l[0]", "l [1]", SP_CHANGE_REMOVED, "1", "(missing)");
  expect (fields, "data.l[1].a", "l [2] › a", SP_CHANGE_REMOVED, "'b'", "(missing)");
}

static void
test_nested (void)
{
  g_autoptr(GPtrArray) fields = compare_data (
    "[{'key': 'a', 'label': 'Livello 1', 'type': 'group', 'fields': ["
    "  {'key': 'b', 'label': 'Livello 2', 'type': 'group', 'fields': ["
    "    {'key': 'c', 'label': 'Livello 3', 'type': 'group', 'fields': ["
    "      {'key': 'd', 'label': 'Livello 4', 'type': 'group', 'fields': ["
    "        {'key': 'e', 'label': 'Foglia'}]}]}]}]}]",
    "{'a': {'b': {'c': {'d': {'e': 1, 'x': {'y': [{'z': true}]}}}}}}",
    "{'a': {'b': {'c': {'d': {'e': 2, 'x': {'y': [{'z': true}, {'z': false}]}}}}}}");

  g_assert_cmpuint (fields->len, ==, 3);
  expect (fields, "data.a.b.c.d.e", "Livello 1 › Livello 2 › Livello 3 › Livello 4 › Foglia",
          SP_CHANGE_CHANGED, "1", "2");
  expect (fields, "data.a.b.c.d.x.y[0].z", "Livello 1 › Livello 2 › Livello 3 › Livello 4 › x › y [1] › z",
          SP_CHANGE_UNCHANGED, "true", "true");
  expect (fields, "data.a.b.c.d.x.y[1].z", "Livello 1 › Livello 2 › Livello 3 › Livello 4 › x › y [2] › z",
          SP_CHANGE_ADDED, "(missing)", "false");
}

static void
test_scalar_arrays (void)
{
  g_autoptr(GPtrArray) shrink = compare_data (NULL, "{'l': [1, 2, 3]}", "{'l': [1, 5]}");
  g_autoptr(GPtrArray) grow = compare_data (NULL, "{'l': ['a']}", "{'l': ['a', 'b', null]}");
  g_autoptr(GPtrArray) nested = compare_data (NULL, "{'m': [[1, 2], [3]]}", "{'m': [[1], [3, 4]]}");

  g_assert_cmpuint (shrink->len, ==, 3);
  expect (shrink, "data.l[0]", "l [1]", SP_CHANGE_UNCHANGED, "1", "1");
  expect (shrink, "data.l[1]", "l [2]", SP_CHANGE_CHANGED, "2", "5");
  expect (shrink, "data.l[2]", "l [3]", SP_CHANGE_REMOVED, "3", "(missing)");

  g_assert_cmpuint (grow->len, ==, 3);
  expect (grow, "data.l[1]", "l [2]", SP_CHANGE_ADDED, "(missing)", "'b'");
  expect (grow, "data.l[2]", "l [3]", SP_CHANGE_UNCHANGED, "(missing)", "null");

  g_assert_cmpuint (nested->len, ==, 4);
  expect (nested, "data.m[0][1]", "m [1] [2]", SP_CHANGE_REMOVED, "2", "(missing)");
  expect (nested, "data.m[1][1]", "m [2] [2]", SP_CHANGE_ADDED, "(missing)", "4");
}

static const char *allegati_schema =
  "[{'key': 'allegati', 'label': 'Allegati', 'type': 'list', 'fields': ["
  "   {'key': 'nome', 'label': 'Nome'}, {'key': 'pagine', 'label': 'Pagine'}]}]";

/* Without a key, elements compare by position, however many either side has. */
static void
test_object_arrays (void)
{
  g_autoptr(GPtrArray) fields = compare_data (allegati_schema,
    "{'allegati': [{'nome': 'a.pdf', 'pagine': 1}, {'nome': 'b.pdf', 'pagine': 2}, {'nome': 'c.pdf'}]}",
    "{'allegati': [{'nome': 'a.pdf', 'pagine': 3}, {'pagine': 2}]}");
  g_autoptr(GPtrArray) grown = compare_data (allegati_schema,
    "{'allegati': [{'nome': 'a.pdf'}]}",
    "{'allegati': [{'nome': 'a.pdf'}, {'nome': 'b.pdf', 'extra': 'x'}]}");
  g_autofree char *order = paths (fields);

  g_assert_cmpstr (order, ==,
                   "data.allegati[0].nome\ndata.allegati[0].pagine\n"
                   "data.allegati[1].nome\ndata.allegati[1].pagine\n"
                   "data.allegati[2].nome\n");
  expect (fields, "data.allegati[0].pagine", "Allegati [1] › Pagine", SP_CHANGE_CHANGED, "1", "3");
  expect (fields, "data.allegati[1].nome", "Allegati [2] › Nome", SP_CHANGE_REMOVED, "'b.pdf'", "(missing)");
  expect (fields, "data.allegati[1].pagine", "Allegati [2] › Pagine", SP_CHANGE_UNCHANGED, "2", "2");
  expect (fields, "data.allegati[2].nome", "Allegati [3] › Nome", SP_CHANGE_REMOVED, "'c.pdf'", "(missing)");

  g_assert_cmpuint (grown->len, ==, 3);
  expect (grown, "data.allegati[1].nome", "Allegati [2] › Nome", SP_CHANGE_ADDED, "(missing)", "'b.pdf'");
  expect (grown, "data.allegati[1].extra", "Allegati [2] › extra", SP_CHANGE_ADDED, "(missing)", "'x'");
}

static const char *keyed_schema =
  "[{'key': 'allegati', 'label': 'Allegati', 'type': 'list', 'item_key': 'codice', 'fields': ["
  "   {'key': 'codice', 'label': 'Codice'}, {'key': 'nome', 'label': 'Nome'}]}]";

/* With a key, elements are matched on it wherever they are. */
static void
test_keyed_arrays (void)
{
  g_autoptr(GPtrArray) fields = compare_data (keyed_schema,
    "{'allegati': [{'codice': 'A', 'nome': 'a.pdf'}, {'codice': 'B', 'nome': 'b.pdf'}, {'codice': 7, 'nome': 's.pdf'}]}",
    "{'allegati': [{'codice': 'C', 'nome': 'c.pdf'}, {'codice': 'B', 'nome': 'b2.pdf'}, {'codice': 7.0, 'nome': 's.pdf'}]}");
  g_autofree char *order = paths (fields);

  g_assert_cmpstr (order, ==,
                   "data.allegati[codice=A].codice\ndata.allegati[codice=A].nome\n"
                   "data.allegati[codice=B].codice\ndata.allegati[codice=B].nome\n"
                   "data.allegati[codice=7].codice\ndata.allegati[codice=7].nome\n"
                   "data.allegati[codice=C].codice\ndata.allegati[codice=C].nome\n");
  expect (fields, "data.allegati[codice=A].nome", "Allegati [1] › Nome", SP_CHANGE_REMOVED, "'a.pdf'", "(missing)");
  expect (fields, "data.allegati[codice=B].codice", "Allegati [2] › Codice", SP_CHANGE_UNCHANGED, "'B'", "'B'");
  expect (fields, "data.allegati[codice=B].nome", "Allegati [2] › Nome", SP_CHANGE_CHANGED, "'b.pdf'", "'b2.pdf'");
  /* 7 and 7.0 are the same key. */
  expect (fields, "data.allegati[codice=7].nome", "Allegati [3] › Nome", SP_CHANGE_UNCHANGED, "'s.pdf'", "'s.pdf'");
  expect (fields, "data.allegati[codice=C].nome", "Allegati [1] › Nome", SP_CHANGE_ADDED, "(missing)", "'c.pdf'");
}

/* Keys that cannot identify the elements: compared by position instead. */
static void
test_keyed_fallback (void)
{
  g_autoptr(GPtrArray) duplicate = compare_data (keyed_schema,
    "{'allegati': [{'codice': 'A', 'nome': 'a.pdf'}, {'codice': 'A', 'nome': 'b.pdf'}]}",
    "{'allegati': [{'codice': 'A', 'nome': 'a.pdf'}]}");
  g_autoptr(GPtrArray) keyless = compare_data (keyed_schema,
    "{'allegati': [{'nome': 'a.pdf'}]}",
    "{'allegati': [{'codice': 'A', 'nome': 'a.pdf'}]}");

  expect (duplicate, "data.allegati[1].nome", "Allegati [2] › Nome", SP_CHANGE_REMOVED, "'b.pdf'", "(missing)");
  expect (keyless, "data.allegati[0].codice", "Allegati [1] › Codice", SP_CHANGE_ADDED, "(missing)", "'A'");
  expect (keyless, "data.allegati[0].nome", "Allegati [1] › Nome", SP_CHANGE_UNCHANGED, "'a.pdf'", "'a.pdf'");
}

static void
test_unicode (void)
{
  g_autoptr(GPtrArray) fields = compare_data (
    "[{'key': 'città', 'label': 'Città di residenza'}]",
    "{'città': 'Forlì', 'μήνυμα': '日本語 ✓', 'emoji': '😀'}",
    "{'città': 'Forlì–Cesena', 'μήνυμα': '日本語 ✓', 'emoji': '😀😀'}");

  expect (fields, "data.città", "Città di residenza", SP_CHANGE_CHANGED, "'Forlì'", "'Forlì–Cesena'");
  expect (fields, "data.μήνυμα", "μήνυμα", SP_CHANGE_UNCHANGED, "'日本語 ✓'", "'日本語 ✓'");
  expect (fields, "data.emoji", "emoji", SP_CHANGE_CHANGED, "'😀'", "'😀😀'");
}

/* A number and a string differ even when they print alike; numbers compare
 * by value, exactly, across integers and doubles. */
static void
test_numbers (void)
{
  g_autoptr(GPtrArray) fields = compare_data (NULL,
    "{'a': 5, 'b': 5, 'c': 1.5, 'd': true, 'e': 9007199254740993, 'f': 0, 'g': -3}",
    "{'a': '5', 'b': 5.0, 'c': 1.5, 'd': 'true', 'e': 9007199254740992.0, 'f': -0.0, 'g': -3.25}");

  expect (fields, "data.a", "a", SP_CHANGE_CHANGED, "5", "'5'");
  expect (fields, "data.b", "b", SP_CHANGE_UNCHANGED, "5", "5.0");
  expect (fields, "data.c", "c", SP_CHANGE_UNCHANGED, "1.5", "1.5");
  expect (fields, "data.d", "d", SP_CHANGE_CHANGED, "true", "'true'");
  expect (fields, "data.e", "e", SP_CHANGE_CHANGED, "9007199254740993", "9007199254740992.0");
  expect (fields, "data.f", "f", SP_CHANGE_UNCHANGED, "0", "-0.0");
  expect (fields, "data.g", "g", SP_CHANGE_CHANGED, "-3", "-3.25");
}

/* An object that became a value, and the other way round. */
static void
test_kind_change (void)
{
  g_autoptr(GPtrArray) fields = compare_data (NULL,
    "{'a': {'x': 1}, 'b': 'testo', 'c': [1], 'd': null}",
    "{'a': 'testo', 'b': {'y': 2}, 'c': {'z': 1}, 'd': {'w': 1}}");
  g_autofree char *order = paths (fields);

  g_assert_cmpstr (order, ==, "data.a.x\ndata.a\ndata.b\ndata.b.y\ndata.c[0]\ndata.c.z\ndata.d.w\n");
  expect (fields, "data.a.x", "a › x", SP_CHANGE_REMOVED, "1", "(missing)");
  expect (fields, "data.a", "a", SP_CHANGE_ADDED, "(missing)", "'testo'");
  expect (fields, "data.b", "b", SP_CHANGE_REMOVED, "'testo'", "(missing)");
  expect (fields, "data.b.y", "b › y", SP_CHANGE_ADDED, "(missing)", "2");
  expect (fields, "data.d.w", "d › w", SP_CHANGE_ADDED, "(missing)", "1");
}

/* The schema's order; then members it does not know, in the older version's
 * order and then those only in the newer; then the metadata. */
static void
test_order (void)
{
  g_autoptr(GPtrArray) fields = compare (people_schema,
    "{'documents': [], 'status': 2000, 'data': {'zeta': 1, 'note': 'n', 'alfa': 2, 'nome': 'A',"
    " 'richiedente': {'extra': 0, 'cognome': 'R'}}, 'futuro': 1}",
    "{'status': 3000, 'data': {'nuovo': 3, 'alfa': 2, 'nome': 'A', 'note': 'n', 'zeta': 1,"
    " 'richiedente': {'cognome': 'R', 'extra': 0}}, 'documents': []}");
  g_autofree char *order = paths (fields);

  g_assert_cmpstr (order, ==,
                   "data.nome\n"
                   "data.richiedente.cognome\n"
                   "data.richiedente.extra\n"
                   "data.note\n"
                   "data.zeta\n"
                   "data.alfa\n"
                   "data.nuovo\n"
                   "status\n"
                   "documents\n"
                   "futuro\n");
  expect (fields, "data.richiedente.extra", "Richiedente › extra", SP_CHANGE_UNCHANGED, "0", "0");
  expect (fields, "futuro", "futuro", SP_CHANGE_REMOVED, "1", "(missing)");
}

static const char *old_meta =
  "{'data': {}, 'status': 3000, 'assigned_to': null, 'outcome': null, 'motivation': null,"
  " 'protocol': {'number': '2026/123', 'date': '2026-03-01T10:00:00+01:00', 'entries': []},"
  " 'documents': [{'id': 'd1', 'kind': 'modulo', 'filename': 'modulo.pdf', 'sha256': 'aa'},"
  "               {'id': 'd2', 'kind': 'allegato', 'filename': 'vecchio.pdf', 'sha256': 'bb'}]}";
static const char *new_meta =
  "{'data': {}, 'status': 7000, 'assigned_to': 'mrossi', 'outcome': 'accolta', 'motivation': '',"
  " 'protocol': {'number': '2026/123', 'date': '2026-03-01T10:00:00+01:00',"
  "              'entries': [{'numero': '55', 'registro': 'Arrivo'}]},"
  " 'documents': [{'id': 'd3', 'kind': 'risposta', 'filename': 'risposta.pdf', 'sha256': 'cc'},"
  "               {'id': 'd1', 'kind': 'modulo', 'filename': 'modulo.pdf', 'sha256': 'aa'}]}";

/* The metadata, in Italian (LC_ALL=it_IT.UTF-8), documents matched on their id. */
static void
test_metadata (void)
{
  g_autoptr(GPtrArray) fields = compare (NULL, old_meta, new_meta);
  g_autofree char *order = paths (fields);

  g_assert_cmpstr (order, ==,
                   "data\n"
                   "status\n"
                   "assigned_to\n"
                   "protocol.number\n"
                   "protocol.date\n"
                   "protocol.entries[0].numero\n"
                   "protocol.entries[0].registro\n"
                   "outcome\n"
                   "motivation\n"
                   "documents[id=d1].id\ndocuments[id=d1].kind\ndocuments[id=d1].filename\ndocuments[id=d1].sha256\n"
                   "documents[id=d2].id\ndocuments[id=d2].kind\ndocuments[id=d2].filename\ndocuments[id=d2].sha256\n"
                   "documents[id=d3].id\ndocuments[id=d3].kind\ndocuments[id=d3].filename\ndocuments[id=d3].sha256\n");
  expect (fields, "data", "", SP_CHANGE_UNCHANGED, "{}", "{}");
  expect (fields, "status", "Stato", SP_CHANGE_CHANGED, "3000", "7000");
  expect (fields, "assigned_to", "Assegnata a", SP_CHANGE_ADDED, "null", "'mrossi'");
  expect (fields, "protocol.number", "Protocollo › Numero", SP_CHANGE_UNCHANGED, "'2026/123'", "'2026/123'");
  expect (fields, "protocol.date", "Protocollo › Data", SP_CHANGE_UNCHANGED,
          "'2026-03-01T10:00:00+01:00'", "'2026-03-01T10:00:00+01:00'");
  expect (fields, "protocol.entries[0].registro", "Protocollo › Voci [1] › registro", SP_CHANGE_ADDED,
          "(missing)", "'Arrivo'");
  expect (fields, "outcome", "Esito", SP_CHANGE_ADDED, "null", "'accolta'");
  expect (fields, "motivation", "Motivazione", SP_CHANGE_UNCHANGED, "null", "''");
  expect (fields, "documents[id=d1].id", "Documenti [2] › Identificativo", SP_CHANGE_UNCHANGED, "'d1'", "'d1'");
  expect (fields, "documents[id=d1].kind", "Documenti [2] › Tipo", SP_CHANGE_UNCHANGED, "'modulo'", "'modulo'");
  expect (fields, "documents[id=d2].filename", "Documenti [2] › Nome file", SP_CHANGE_REMOVED,
          "'vecchio.pdf'", "(missing)");
  expect (fields, "documents[id=d3].sha256", "Documenti [1] › SHA-256", SP_CHANGE_ADDED, "(missing)", "'cc'");
}

/* The first version, compared with nothing: everything filled is added. */
static void
test_first_version (void)
{
  g_autoptr(GPtrArray) fields = compare (NULL, NULL, "{'data': {'nome': 'Anna'}, 'status': 2000, 'outcome': null}");

  g_assert_cmpuint (fields->len, ==, 3);
  expect (fields, "data.nome", "nome", SP_CHANGE_ADDED, "(missing)", "'Anna'");
  expect (fields, "status", "Stato", SP_CHANGE_ADDED, "(missing)", "2000");
  expect (fields, "outcome", "Esito", SP_CHANGE_UNCHANGED, "(missing)", "null");
}

static void
test_to_json (void)
{
  g_autoptr(GPtrArray) fields = compare_data (people_schema,
                                              "{'nome': 'Anna', 'richiedente': {'indirizzo': {'cap': 47121}}}",
                                              "{'nome': null, 'richiedente': {'indirizzo': {'cap': '47121'}}}");
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;

  sp_version_compare_to_json (fields, builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
  g_assert_cmpstr (text, ==,
                   "[{\"path\":\"data.nome\",\"labels\":[\"Nome\"],\"old\":\"Anna\",\"new\":null,\"change\":\"removed\"},"
                   "{\"path\":\"data.richiedente.indirizzo.cap\",\"labels\":[\"Richiedente\",\"Indirizzo\",\"CAP\"],"
                   "\"old\":47121,\"new\":\"47121\",\"change\":\"changed\"}]");
}

/* Compares the data of two snapshots both ways: the direct writer's JSON
 * text, and (returned) the fields; @out gets the text. */
static GPtrArray *
compare_data_json (const char *schema,
                   const char *old_data,
                   const char *new_data,
                   GString    *out)
{
  g_autofree char *old_text = g_strdelimit (g_strdup_printf ("{'data': %s}", old_data), "'", '"');
  g_autofree char *new_text = g_strdelimit (g_strdup_printf ("{'data': %s}", new_data), "'", '"');
  g_autoptr(JsonNode) schema_node = parse (schema);
  g_autoptr(GError) error = NULL;

  g_assert_true (sp_version_compare_append_json (old_text, strlen (old_text), new_text, strlen (new_text),
                                                 json_node_get_array (schema_node), out, &error));
  g_assert_no_error (error);
  return compare_data (schema, old_data, new_data);
}

/* The direct writer's text, parsed, against the builder's from the fields. */
static void
assert_json_matches (GPtrArray *fields,
                     GString   *out)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) built = NULL;
  g_autoptr(JsonNode) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *built_text = NULL;
  g_autofree char *written_text = NULL;

  sp_version_compare_to_json (fields, builder);
  built = json_builder_get_root (builder);
  written = sp_json_parse (out->str, out->len, &error);
  g_assert_no_error (error);
  g_assert_true (sp_json_is_strict (out->str, out->len));
  built_text = json_to_string (built, FALSE);
  written_text = json_to_string (written, FALSE);
  g_assert_cmpstr (written_text, ==, built_text);
}

/* The direct writer says what the builder says, escapes included. */
static void
test_append_json (void)
{
  g_autoptr(GString) out = g_string_new ("");
  g_autoptr(GPtrArray) fields = compare_data_json (people_schema,
    "{'nome': 'A \\'virgolette\\' e \\\\ barra', 'x\\ny': 1.5, 'b': true, 'c': [], 'd': {}, 'e': 5.0,"
    " 'f': -7, 'g': 'tab\\tcontrollo\\u0001', 'richiedente': {'indirizzo': {'cap': '47121'}}, 'città': 'Forlì 😀'}",
    "{'nome': null, 'x\\ny': 2, 'b': false, 'c': [1e300], 'd': {'k': 'v'}, 'e': 5, 'f': '-7', 'g': '',"
    " 'richiedente': {'indirizzo': {'cap': 47121}}}", out);

  assert_json_matches (fields, out);
  g_assert_nonnull (strstr (out->str, "\"x\\ny\""));
  g_assert_nonnull (strstr (out->str, "\\u0001"));
}


/* Numbers are written as the snapshot writes them: exactly the number
 * stored, whatever json-glib would make of it (17 digits for a double, a
 * gint64 wrapped past 64 bits, inf past a double's range). */
static void
test_numbers_written (void)
{
  g_autoptr(GString) out = g_string_new ("");
  g_autoptr(GString) huge = g_string_new ("1");
  g_autofree char *old_data = NULL;
  g_autoptr(GPtrArray) fields = NULL;
  const char *expected[] = {
    "0.1", "1.25", "1e5", "123.4500", "-0.0", "0.00048828125", "0.000048828125", "100000000000000000000",
    "-9223372036854775809", "1234567890123456.0", "123456789012345.0", "19.99", "3.0", "-7.000", "2.5E-3", "0.0",
    "-0", "1e400", "0.1000000000000000055511151231257827021181583404541015625", NULL,
  };

  /* 1E+400 as jsonb's text writes it: every digit. */
  for (guint i = 0; i < 400; i++)
    g_string_append_c (huge, '0');
  expected[G_N_ELEMENTS (expected) - 1] = huge->str;
  old_data = g_strdup_printf ("{'n': [0.1, 1.25, 1e5, 123.4500, -0.0, 0.00048828125, 0.000048828125,"
                              " 100000000000000000000, -9223372036854775809, 1234567890123456.0, 123456789012345.0,"
                              " 19.99, 3.0, -7.000, 2.5E-3, 0.0, -0, 1e400,"
                              " 0.1000000000000000055511151231257827021181583404541015625, %s]}", huge->str);
  fields = compare_data_json ("[]", old_data, "{}", out);

  g_assert_cmpuint (fields->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      const SpCompareField *field = g_ptr_array_index (fields, i);
      g_autofree char *written = g_strdup_printf ("{\"path\":\"data.n[%u]\",\"labels\":[\"n [%u]\"],\"old\":%s,"
                                                  "\"new\":null,\"change\":\"removed\"}", i, i + 1, expected[i]);

      if (strstr (out->str, written) == NULL)
        g_error ("%s not in %s", written, out->str);
      /* The fields (the PDF's) keep the text too. */
      g_assert_cmpstr (field->old_number, ==, expected[i]);
      g_assert_null (field->new_number);
    }
  assert_json_matches (fields, out);
}

/* Changes between numbers, exactly: by decimal value as jsonb's numeric
 * compares them (1 equals 1.0 and -0 equals 0, each side shown as written),
 * not as doubles or gint64 would (19.99 and 19.989999999999998 are one
 * double; every integer past 64 bits is -1 to json-glib); a number is never
 * its string. */
static void
test_numbers_exact (void)
{
  g_autoptr(GString) huge = g_string_new ("1");
  g_autofree char *huge_plus_one = NULL;
  g_autofree char *old_data = NULL;
  g_autofree char *new_data = NULL;
  g_autoptr(GString) out = g_string_new ("");
  g_autoptr(GPtrArray) fields = NULL;
  const SpCompareField *field;

  for (guint i = 0; i < 400; i++)
    g_string_append_c (huge, '0');
  huge_plus_one = g_strdup (huge->str);
  huge_plus_one[huge->len - 1] = '1';
  old_data = g_strdup_printf ("{'a': 19.99, 'b': 100000000000000000000, 'c': 1, 'd': 1.50, 'e': -0, 'f': 1,"
                              " 'g': 0.1, 'h': %s, 'i': %s, 'j': 1, 'k': 120, 'l': 0.05, 'm': -2, 'n': 10}",
                              huge->str, huge->str);
  new_data = g_strdup_printf ("{'a': 19.989999999999998, 'b': 100000000000000000001, 'c': 1.0, 'd': 1.5, 'e': 0,"
                              " 'f': '1', 'g': 0.1000000000000000055511151231257827021181583404541015625, 'h': %s,"
                              " 'i': 1e400, 'j': 1.5, 'k': 1.2e2, 'l': 5e-2, 'm': 2, 'n': 1}",
                              huge_plus_one);
  fields = compare_data_json ("[]", old_data, new_data, out);

  expect (fields, "data.a", "a", SP_CHANGE_CHANGED, "19.989999999999998", "19.989999999999998");
  expect (fields, "data.b", "b", SP_CHANGE_CHANGED, "-1", "-1");
  expect (fields, "data.c", "c", SP_CHANGE_UNCHANGED, "1", "1.0");
  expect (fields, "data.d", "d", SP_CHANGE_UNCHANGED, "1.5", "1.5");
  expect (fields, "data.e", "e", SP_CHANGE_UNCHANGED, "0", "0");
  expect (fields, "data.f", "f", SP_CHANGE_CHANGED, "1", "'1'");
  expect (fields, "data.j", "j", SP_CHANGE_CHANGED, "1", "1.5");
  expect (fields, "data.k", "k", SP_CHANGE_UNCHANGED, "120", "120.0");
  expect (fields, "data.m", "m", SP_CHANGE_CHANGED, "-2", "2");
  expect (fields, "data.n", "n", SP_CHANGE_CHANGED, "10", "1");
  g_assert_cmpint (find (fields, "data.g")->change, ==, SP_CHANGE_CHANGED);
  g_assert_cmpint (find (fields, "data.h")->change, ==, SP_CHANGE_CHANGED);
  g_assert_cmpint (find (fields, "data.i")->change, ==, SP_CHANGE_UNCHANGED);
  g_assert_cmpint (find (fields, "data.l")->change, ==, SP_CHANGE_UNCHANGED);

  /* Each side as it is written, in the fields and in the JSON. */
  field = find (fields, "data.a");
  g_assert_cmpstr (field->old_number, ==, "19.99");
  g_assert_cmpstr (field->new_number, ==, "19.989999999999998");
  field = find (fields, "data.d");
  g_assert_cmpstr (field->old_number, ==, "1.50");
  g_assert_cmpstr (field->new_number, ==, "1.5");
  field = find (fields, "data.f");
  g_assert_cmpstr (field->old_number, ==, "1");
  g_assert_null (field->new_number);
  g_assert_cmpstr (find (fields, "data.h")->new_number, ==, huge_plus_one);
  g_assert_nonnull (strstr (out->str, "\"old\":19.99,\"new\":19.989999999999998,\"change\":\"changed\""));
  g_assert_nonnull (strstr (out->str, "\"old\":100000000000000000000,\"new\":100000000000000000001,"
                                      "\"change\":\"changed\""));
  g_assert_nonnull (strstr (out->str, "\"old\":1,\"new\":1.0,\"change\":\"unchanged\""));
  g_assert_nonnull (strstr (out->str, "\"old\":-0,\"new\":0,\"change\":\"unchanged\""));
  g_assert_nonnull (strstr (out->str, "\"old\":1,\"new\":\"1\",\"change\":\"changed\""));
  assert_json_matches (fields, out);
}

/* Keys of keyed lists match by exact value too, and read as written: two
 * integers past 64 bits are two elements, not one key twice. */
static void
test_numbers_keyed (void)
{
  const char *schema = "[{'key': 'l', 'label': 'L', 'type': 'list', 'item_key': 'k', 'fields': [{'key': 'v', 'label': 'V'}]}]";
  g_autoptr(GString) out = g_string_new ("");
  g_autoptr(GPtrArray) fields = compare_data_json (schema,
    "{'l': [{'k': 100000000000000000000, 'v': 'a'}, {'k': 100000000000000000001, 'v': 'b'}, {'k': 19.99, 'v': 'c'}]}",
    "{'l': [{'k': 100000000000000000001, 'v': 'b'}, {'k': 1.000000000000000000000e20, 'v': 'a2'},"
    " {'k': 19.989999999999998, 'v': 'd'}]}", out);
  g_autofree char *order = paths (fields);

  g_assert_cmpstr (order, ==,
                   "data.l[k=100000000000000000000].v\ndata.l[k=100000000000000000000].k\n"
                   "data.l[k=100000000000000000001].v\ndata.l[k=100000000000000000001].k\n"
                   "data.l[k=19.99].v\ndata.l[k=19.99].k\n"
                   "data.l[k=19.989999999999998].v\ndata.l[k=19.989999999999998].k\n");
  expect (fields, "data.l[k=100000000000000000000].v", "L [2] › V", SP_CHANGE_CHANGED, "'a'", "'a2'");
  expect (fields, "data.l[k=100000000000000000001].v", "L [1] › V", SP_CHANGE_UNCHANGED, "'b'", "'b'");
  expect (fields, "data.l[k=19.99].v", "L [3] › V", SP_CHANGE_REMOVED, "'c'", "(missing)");
  g_assert_nonnull (strstr (out->str, "\"path\":\"data.l[k=19.989999999999998].v\""));
  assert_json_matches (fields, out);
}

/* Containers of the same text on both sides are listed as any others. */
static void
test_same_text (void)
{
  const char *schema = "[{'key': 'g', 'label': 'G', 'type': 'group', 'fields': [{'key': 'b', 'label': 'B'}]},"
                       " {'key': 'l', 'label': 'L', 'type': 'list', 'item_key': 'k', 'fields': [{'key': 'v', 'label': 'V'}]}]";
  const char *data = "{'g': {'a': 1, 'b': [2, {}], 'c': {'d': null}}, 'l': [{'k': 'x', 'v': 1}, {'k': 7, 'v': [true]}],"
                     " 'z': [[], '', 0.5]}";
  /* The same values, not the same text: compared member by member. */
  const char *spaced = "{'g': {'a': 1,  'b': [2, {}], 'c': {'d': null}}, 'l': [{'k': 'x', 'v': 1}, {'k': 7.0, 'v': [true]}],"
                       " 'z': [[], '',  0.5]}";
  g_autoptr(GString) same_out = g_string_new ("");
  g_autoptr(GString) spaced_out = g_string_new ("");
  g_autoptr(GPtrArray) same = compare_data_json (schema, data, data, same_out);
  g_autoptr(GPtrArray) differ = compare_data_json (schema, data, spaced, spaced_out);
  g_autofree char *same_paths = paths (same);
  g_autofree char *spaced_paths = paths (differ);

  g_assert_cmpstr (same_paths, ==, spaced_paths);
  g_assert_cmpstr (same_paths, ==,
                   "data.g.b[0]\ndata.g.b[1]\ndata.g.a\ndata.g.c.d\n"
                   "data.l[k=x].v\ndata.l[k=x].k\ndata.l[k=7].v[0]\ndata.l[k=7].k\n"
                   "data.z[0]\ndata.z[1]\ndata.z[2]\n");
  for (guint i = 0; i < same->len; i++)
    {
      const SpCompareField *field = g_ptr_array_index (same, i);

      g_assert_cmpint (field->change, ==, SP_CHANGE_UNCHANGED);
    }
  expect (same, "data.l[k=7].k", "L [2] › k", SP_CHANGE_UNCHANGED, "7", "7");
  expect (differ, "data.l[k=7].k", "L [2] › k", SP_CHANGE_UNCHANGED, "7", "7.0");
  assert_json_matches (same, same_out);
  assert_json_matches (differ, spaced_out);
}

/* The rows of the list say what the fields say. */
static void
test_list (void)
{
  g_autofree char *old_text = g_strdelimit (g_strdup (old_meta), "'", '"');
  g_autofree char *new_text = g_strdelimit (g_strdup (new_meta), "'", '"');
  g_autoptr(SpJsonTape) old_tape = sp_json_tape_new (old_text, strlen (old_text), 64, NULL);
  g_autoptr(SpJsonTape) new_tape = sp_json_tape_new (new_text, strlen (new_text), 64, NULL);
  g_autoptr(SpCompareSchema) schema = sp_compare_schema_new (NULL);
  g_autoptr(SpCompareList) list = sp_version_compare_list (old_tape, new_tape, schema);
  g_autoptr(GPtrArray) fields = compare (NULL, old_meta, new_meta);

  g_assert_cmpuint (sp_compare_list_get_length (list), ==, fields->len);
  for (guint i = 0; i < fields->len; i++)
    {
      const SpCompareField *field = g_ptr_array_index (fields, i);
      g_autoptr(SpCompareField) row = sp_compare_list_dup_field (list, i);
      g_autofree char *labels = g_strjoinv ("|", row->labels);
      g_autofree char *field_labels = g_strjoinv ("|", field->labels);

      g_assert_cmpstr (row->path, ==, field->path);
      g_assert_cmpstr (labels, ==, field_labels);
      g_assert_cmpint (sp_compare_list_get_change (list, i), ==, field->change);
      g_assert_true ((row->old_value == NULL) == (field->old_value == NULL));
      g_assert_true (row->new_value == NULL || json_node_equal (row->new_value, field->new_value));
    }
}

/* A snapshot that is not a JSON object, or not JSON: an error, nothing written. */
static void
test_not_object (void)
{
  const char *texts[] = { "[1]", "{\"a\": 1", "{\"a\": 1, \"a\": 2}", "" };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GString) out = g_string_new ("x");
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) fields = sp_version_compare ("{}", 2, texts[i], strlen (texts[i]), NULL, &error);

      g_assert_null (fields);
      g_assert_error (error, SP_ERROR, SP_ERROR_INTERNAL);
      g_clear_error (&error);
      g_assert_false (sp_version_compare_append_json (texts[i], strlen (texts[i]), "{}", 2, NULL, out, &error));
      g_assert_error (error, SP_ERROR, SP_ERROR_INTERNAL);
      g_assert_cmpstr (out->str, ==, "x");
    }
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, g_getenv ("SPORTELLO_LOCALEDIR"));
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/version-compare/changes", test_changes);
  g_test_add_func ("/sportello/version-compare/emptiness", test_emptiness);
  g_test_add_func ("/sportello/version-compare/emptied-list", test_emptied_list);
  g_test_add_func ("/sportello/version-compare/nested", test_nested);
  g_test_add_func ("/sportello/version-compare/scalar-arrays", test_scalar_arrays);
  g_test_add_func ("/sportello/version-compare/object-arrays", test_object_arrays);
  g_test_add_func ("/sportello/version-compare/keyed-arrays", test_keyed_arrays);
  g_test_add_func ("/sportello/version-compare/keyed-fallback", test_keyed_fallback);
  g_test_add_func ("/sportello/version-compare/unicode", test_unicode);
  g_test_add_func ("/sportello/version-compare/numbers", test_numbers);
  g_test_add_func ("/sportello/version-compare/kind-change", test_kind_change);
  g_test_add_func ("/sportello/version-compare/order", test_order);
  g_test_add_func ("/sportello/version-compare/metadata", test_metadata);
  g_test_add_func ("/sportello/version-compare/first-version", test_first_version);
  g_test_add_func ("/sportello/version-compare/to-json", test_to_json);
  g_test_add_func ("/sportello/version-compare/append-json", test_append_json);
  g_test_add_func ("/sportello/version-compare/numbers-written", test_numbers_written);
  g_test_add_func ("/sportello/version-compare/numbers-exact", test_numbers_exact);
  g_test_add_func ("/sportello/version-compare/numbers-keyed", test_numbers_keyed);
  g_test_add_func ("/sportello/version-compare/same-text", test_same_text);
  g_test_add_func ("/sportello/version-compare/list", test_list);
  g_test_add_func ("/sportello/version-compare/not-object", test_not_object);

  return g_test_run ();
}
