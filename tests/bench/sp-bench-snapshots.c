/* sp-bench-snapshots.c: two versions' snapshots with 10,000 nested fields, and their field schema, for the audit's benchmarks */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "sp-bench-snapshots.h"

/* The data: SECTIONS sections of LEAVES_PER_SECTION leaves each, in four
 * shapes: 4 flat values, a group nested four deep (10 leaves), an array of
 * 24 objects keyed by `codice` with a nested object in each (168), and an
 * array of 68 scalars. */
#define SECTIONS 40   /* 40 × 250 = 10,000 leaves of form data */
#define ROWS 24
#define LEAVES_PER_SECTION 250

/* What changes between the two versions, by the leaf's number. */
typedef enum
{
  KEEP,
  CHANGE,
  DROP,
} Fate;

typedef struct
{
  gboolean newer;
  guint    leaf;     /* leaves written so far */
} Gen;

static Fate
fate (Gen *gen)
{
  guint k = gen->leaf++;

  if (!gen->newer)
    return KEEP;
  if (k % 29 == 3)
    return CHANGE;     /* ~3.4% */
  if (k % 97 == 5)
    return DROP;       /* ~1% */
  return KEEP;
}

static void
add_text (Gen         *gen,
          JsonBuilder *builder,
          const char  *key,
          const char  *format,
          guint        n)
{
  g_autofree char *text = NULL;

  switch (fate (gen))
    {
    case DROP:
      return;
    case CHANGE:
      text = g_strdup_printf ("%s · modificato", format);
      break;
    case KEEP:
    default:
      text = g_strdup (format);
      break;
    }
  json_builder_set_member_name (builder, key);
  {
    g_autofree char *value = g_strdup_printf ("%s %u", text, n);

    json_builder_add_string_value (builder, value);
  }
}

static void
add_number (Gen         *gen,
            JsonBuilder *builder,
            const char  *key,
            double       value)
{
  switch (fate (gen))
    {
    case DROP:
      return;
    case CHANGE:
      value += 0.5;
      break;
    case KEEP:
    default:
      break;
    }
  json_builder_set_member_name (builder, key);
  json_builder_add_double_value (builder, value);
}

/* A group nested four deep: 2 + 2 + 2 + 4 leaves. */
static void
add_nested (Gen         *gen,
            JsonBuilder *builder,
            guint        s,
            guint        depth)
{
  json_builder_begin_object (builder);
  add_text (gen, builder, "descrizione", "Perché sì: città di Forlì", s * 10 + depth);
  add_number (gen, builder, "valore", s * 1.25 + depth);
  if (depth < 3)
    {
      json_builder_set_member_name (builder, "livello");
      add_nested (gen, builder, s, depth + 1);
    }
  else
    {
      add_text (gen, builder, "nota", "Ελληνικά και 日本語", s);
      add_number (gen, builder, "importo", s * 100);
    }
  json_builder_end_object (builder);
}

/* A row: 7 leaves, two of them in a nested object. */
static void
add_row (Gen         *gen,
         JsonBuilder *builder,
         guint        s,
         guint        r)
{
  g_autofree char *codice = g_strdup_printf ("S%02u-R%02u", s, r);

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "codice");
  json_builder_add_string_value (builder, codice);
  gen->leaf++;
  add_text (gen, builder, "voce", "Voce di spesa «ordinaria»", r);
  add_number (gen, builder, "quantità", r);
  add_number (gen, builder, "prezzo", r * 3.75);
  add_text (gen, builder, "unità", "pz", r);
  json_builder_set_member_name (builder, "fornitore");
  json_builder_begin_object (builder);
  add_text (gen, builder, "ragione_sociale", "Società Cooperativa Ñandú", r);
  add_text (gen, builder, "partita_iva", "IT0123456789", r);
  json_builder_end_object (builder);
  json_builder_end_object (builder);
}

static void
add_section (Gen         *gen,
             JsonBuilder *builder,
             guint        s)
{
  guint rows = ROWS;

  json_builder_begin_object (builder);
  add_text (gen, builder, "titolo", "Sezione – titolo", s);
  add_text (gen, builder, "responsabile", "Dott.ssa Zoë Ågren", s);
  add_number (gen, builder, "totale", s * 1000);
  add_text (gen, builder, "stato", "in corso", s);
  json_builder_set_member_name (builder, "dettaglio");
  add_nested (gen, builder, s, 0);

  /* Rows: in the newer version one section loses its last two, another gains two. */
  if (gen->newer && s % 10 == 3)
    rows -= 2;
  json_builder_set_member_name (builder, "righe");
  json_builder_begin_array (builder);
  for (guint r = 0; r < rows; r++)
    add_row (gen, builder, s, r);
  if (gen->newer && s % 10 == 7)
    for (guint r = ROWS; r < ROWS + 2; r++)
      add_row (gen, builder, s, r);
  json_builder_end_array (builder);

  json_builder_set_member_name (builder, "etichette");
  json_builder_begin_array (builder);
  for (guint t = 0; t < 68; t++)
    {
      g_autofree char *tag = g_strdup_printf ("etichetta-%u-%s", t, (gen->newer && t == 67 && s % 2 == 0) ? "nuova" : "ok");

      json_builder_add_string_value (builder, tag);
      gen->leaf++;
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);
}

/**
 * sp_bench_snapshot_text:
 * @newer: the second version rather than the first
 *
 * Returns: (transfer full): a version's snapshot with 10,000 leaves of form data
 */
char *
sp_bench_snapshot_text (gboolean newer)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  Gen gen = { newer, 0 };

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "data");
  json_builder_begin_object (builder);
  for (guint s = 0; s < SECTIONS; s++)
    {
      g_autofree char *key = g_strdup_printf ("sezione_%02u", s);

      json_builder_set_member_name (builder, key);
      add_section (&gen, builder, s);
    }
  if (newer)
    {
      json_builder_set_member_name (builder, "aggiunta");
      json_builder_add_string_value (builder, "un campo nuovo");
    }
  json_builder_end_object (builder);

  json_builder_set_member_name (builder, "status");
  json_builder_add_int_value (builder, newer ? 4000 : 3000);
  json_builder_set_member_name (builder, "assigned_to");
  if (newer)
    json_builder_add_string_value (builder, "mrossi");
  else
    json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "protocol");
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "number");
  json_builder_add_string_value (builder, "2026/000123");
  json_builder_set_member_name (builder, "date");
  json_builder_add_string_value (builder, "2026-03-01T10:00:00+01:00");
  json_builder_set_member_name (builder, "entries");
  json_builder_begin_array (builder);
  json_builder_end_array (builder);
  json_builder_end_object (builder);
  json_builder_set_member_name (builder, "outcome");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "motivation");
  json_builder_add_null_value (builder);
  json_builder_set_member_name (builder, "documents");
  json_builder_begin_array (builder);
  for (guint d = newer ? 1 : 0; d < 5; d++)
    {
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-%012u", d);
      g_autofree char *filename = g_strdup_printf ("allegato-%u.pdf", d);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, d == 0 ? "modulo" : "allegato");
      json_builder_set_member_name (builder, "filename");
      json_builder_add_string_value (builder, filename);
      json_builder_set_member_name (builder, "sha256");
      json_builder_add_string_value (builder, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  return json_to_string (root, FALSE);
}

/* The field schema of those snapshots: it describes the first half of the
 * sections; the rest is data it does not know. */
char *
sp_bench_schema_text (void)
{
  GString *text = g_string_new ("[");

  for (guint s = 0; s < SECTIONS / 2; s++)
    g_string_append_printf (text,
      "%s{\"key\":\"sezione_%02u\",\"label\":\"Sezione %u\",\"type\":\"group\",\"fields\":["
      "{\"key\":\"titolo\",\"label\":\"Titolo\"},{\"key\":\"responsabile\",\"label\":\"Responsabile\"},"
      "{\"key\":\"totale\",\"label\":\"Totale\",\"type\":\"number\"},{\"key\":\"stato\",\"label\":\"Stato\"},"
      "{\"key\":\"dettaglio\",\"label\":\"Dettaglio\",\"type\":\"group\",\"fields\":["
      "{\"key\":\"descrizione\",\"label\":\"Descrizione\"},{\"key\":\"valore\",\"label\":\"Valore\"}]},"
      "{\"key\":\"righe\",\"label\":\"Righe\",\"type\":\"list\",\"item_key\":\"codice\",\"fields\":["
      "{\"key\":\"codice\",\"label\":\"Codice\"},{\"key\":\"voce\",\"label\":\"Voce\"},"
      "{\"key\":\"quantità\",\"label\":\"Quantità\"},{\"key\":\"prezzo\",\"label\":\"Prezzo\"},"
      "{\"key\":\"fornitore\",\"label\":\"Fornitore\",\"type\":\"group\",\"fields\":["
      "{\"key\":\"ragione_sociale\",\"label\":\"Ragione sociale\"}]}]},"
      "{\"key\":\"etichette\",\"label\":\"Etichette\",\"type\":\"list\"}]}",
      s == 0 ? "" : ",", s, s + 1);
  g_string_append_c (text, ']');
  return g_string_free (text, FALSE);
}

/* Keys in jsonb's order: shorter first, then byte by byte. */
static int
jsonb_key_compare (gconstpointer a,
                   gconstpointer b)
{
  const char *x = *(const char **) a;
  const char *y = *(const char **) b;
  gsize x_len = strlen (x), y_len = strlen (y);

  return x_len != y_len ? (x_len < y_len ? -1 : 1) : strcmp (x, y);
}

/* @node as jsonb::text writes it; the scalars of these snapshots (plain
 * strings, numbers as json-glib writes them) read the same either way. */
static void
append_jsonb (GString  *out,
              JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();

      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (keys, l->data);
      g_ptr_array_sort (keys, jsonb_key_compare);
      g_string_append_c (out, '{');
      for (guint i = 0; i < keys->len; i++)
        {
          JsonNode *key = json_node_init_string (json_node_alloc (), g_ptr_array_index (keys, i));
          g_autofree char *key_text = json_to_string (key, FALSE);

          json_node_unref (key);
          g_string_append_printf (out, "%s%s: ", i > 0 ? ", " : "", key_text);
          append_jsonb (out, json_object_get_member (object, g_ptr_array_index (keys, i)));
        }
      g_string_append_c (out, '}');
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      g_string_append_c (out, '[');
      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          if (i > 0)
            g_string_append (out, ", ");
          append_jsonb (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
  else
    {
      g_autofree char *text = json_to_string (node, FALSE);

      g_string_append (out, text);
    }
}

/**
 * sp_bench_jsonb_text:
 * @newer: the second version rather than the first
 *
 * Returns: (transfer full): sp_bench_snapshot_text() as PostgreSQL gives it
 *   back (`snapshot::text`): keys in jsonb's order, `, ` and `: ` between
 */
char *
sp_bench_jsonb_text (gboolean newer)
{
  g_autofree char *text = sp_bench_snapshot_text (newer);
  g_autoptr(JsonNode) root = json_from_string (text, NULL);
  GString *out = g_string_sized_new (strlen (text) * 11 / 10);

  append_jsonb (out, root);
  return g_string_free (out, FALSE);
}
