/* sp-admin-demo-pratiche.c: chooses the demo pratiche (servizio, status, applicant, operator) and numbers them */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-admin-demo-private.h"

static const SpStatus all_statuses[] = {
  SP_STATUS_SUBMITTED, SP_STATUS_REGISTERED, SP_STATUS_PENDING, SP_STATUS_REQUEST_INTEGRATION,
  SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_PROCESSING, SP_STATUS_COMPLETE_WAITING, SP_STATUS_COMPLETE,
  SP_STATUS_CANCELLED_WAITING, SP_STATUS_CANCELLED, SP_STATUS_WITHDRAWN,
};

/* How often each status occurs beyond the first of each kind: most pratiche are concluded. */
static const guint status_weights[] = { 5, 5, 12, 5, 4, 8, 2, 30, 2, 12, 5 };

static gboolean
status_fits (SpStatus                  status,
             const SpAdminServizioDef *servizio)
{
  if (status == SP_STATUS_REGISTERED || status == SP_STATUS_COMPLETE_WAITING
      || status == SP_STATUS_CANCELLED_WAITING)
    return servizio->protocol_required;
  return TRUE;
}

static SpStatus
random_status (GRand *rand)
{
  guint total = 0, pick;

  for (guint i = 0; i < G_N_ELEMENTS (status_weights); i++)
    total += status_weights[i];
  pick = g_rand_int_range (rand, 0, total);
  for (guint i = 0; i < G_N_ELEMENTS (status_weights); i++)
    {
      if (pick < status_weights[i])
        return all_statuses[i];
      pick -= status_weights[i];
    }
  return SP_STATUS_COMPLETE;
}

static const SpAdminServizioDef *
random_servizio (SpDemoBuild  *build,
                 SpDemoEnte   *ente,
                 SpStatus      status)
{
  g_autoptr(GPtrArray) fitting = g_ptr_array_new ();

  for (guint i = 0; i < ente->servizi->len; i++)
    if (status_fits (status, g_ptr_array_index (ente->servizi, i)))
      g_ptr_array_add (fitting, g_ptr_array_index (ente->servizi, i));
  if (fitting->len == 0)
    return NULL;
  return g_ptr_array_index (fitting, g_rand_int_range (build->rand, 0, fitting->len));
}

static const SpAdminAccount *
random_operator (SpDemoBuild              *build,
                 SpDemoEnte               *ente,
                 const SpAdminServizioDef *servizio)
{
  g_autoptr(GPtrArray) enabled = g_ptr_array_new ();

  for (guint i = 0; i < ente->operators->len; i++)
    {
      const SpAdminAccount *account = g_ptr_array_index (ente->operators, i);

      if (g_strv_contains ((const char * const *) account->servizi, servizio->slug))
        g_ptr_array_add (enabled, (gpointer) account);
    }
  if (enabled->len == 0)
    return NULL;
  return g_ptr_array_index (enabled, g_rand_int_range (build->rand, 0, enabled->len));
}

/* The partner granted @servizio, and whether it may create its pratiche. */
static const SpDemoPartner *
partner_for (SpDemoBuild              *build,
             SpDemoEnte               *ente,
             const SpAdminServizioDef *servizio,
             gboolean                 *can_create)
{
  g_autofree char *grant = g_strdup_printf ("%s:%s", ente->code, servizio->slug);

  for (guint i = 0; i < build->partners->len; i++)
    {
      const SpDemoPartner *partner = g_ptr_array_index (build->partners, i);

      *can_create = g_strv_contains ((const char * const *) partner->account->create, grant);
      if (*can_create || g_strv_contains ((const char * const *) partner->account->servizi, grant))
        return partner;
    }
  *can_create = FALSE;
  return NULL;
}

static void
random_uuid (GRand *rand,
             char   out[37])
{
  guint8 bytes[16];

  for (guint i = 0; i < 16; i++)
    bytes[i] = (guint8) g_rand_int_range (rand, 0, 256);
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  g_snprintf (out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
              bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
              bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]);
}

static const char *
pick_text (SpDemoBuild *build,
           const char  *slug,
           const char  *kind)
{
  JsonObject *texts = json_object_get_object_member (build->texts, slug);
  JsonArray *list;

  if (texts == NULL || !json_object_has_member (texts, kind))
    texts = json_object_get_object_member (build->texts, "default");
  list = json_object_get_array_member (texts, kind);
  return json_array_get_string_element (list, g_rand_int_range (build->rand, 0, json_array_get_length (list)));
}

static void
add_pratica (SpDemoBuild              *build,
             SpDemoEnte               *ente,
             const SpAdminServizioDef *servizio,
             SpStatus                  status)
{
  SpDemoPratica *pratica = g_new0 (SpDemoPratica, 1);
  gboolean external = g_str_equal (servizio->protocol_provider, "external");
  gboolean can_create = FALSE;
  g_autoptr(GDateTime) submitted = NULL;
  SpDemoContext context = { 0 };

  pratica->ente = ente;
  pratica->servizio = servizio;
  pratica->citizen = g_ptr_array_index (ente->citizens, g_rand_int_range (build->rand, 0, ente->citizens->len));
  pratica->operator = random_operator (build, ente, servizio);
  pratica->partner = partner_for (build, ente, servizio, &can_create);
  pratica->by_partner = can_create && g_rand_int_range (build->rand, 0, 10) < 7;
  pratica->integration_note = pick_text (build, servizio->slug, "integrazioni");
  random_uuid (build->rand, pratica->id);

  /* Without an operator nobody could have taken it in charge. */
  if (pratica->operator == NULL && status >= SP_STATUS_PENDING && status != SP_STATUS_WITHDRAWN)
    status = servizio->protocol_required ? SP_STATUS_REGISTERED : SP_STATUS_SUBMITTED;
  pratica->timeline = sp_demo_timeline_new (build->rand, status, servizio->protocol_required,
                                            external && servizio->protocol_required);
  pratica->motivation = pick_text (build, servizio->slug, pratica->timeline->accepted ? "accolta" : "respinta");
  sp_demo_timeline_place (pratica->timeline, build->now_unix, build->days);

  pratica->submitted = g_array_index (pratica->timeline->events, SpDemoEvent, 0).at;
  submitted = g_date_time_new_from_unix_utc (pratica->submitted);
  context.rand = build->rand;
  context.applicant = pratica->citizen;
  context.place = &ente->place;
  context.now = build->reference;
  context.at = submitted;
  pratica->data = sp_demo_form_data (&context, json_node_get_array (servizio->fields));

  g_ptr_array_add (build->pratiche, pratica);
}

/* Every servizio in every status it can have first, then a realistic mix. */
static void
add_pratiche_of (SpDemoBuild *build,
                 SpDemoEnte  *ente)
{
  guint added = 0;

  for (guint s = 0; s < ente->servizi->len; s++)
    for (guint i = 0; i < G_N_ELEMENTS (all_statuses) && added < ente->n_pratiche; i++)
      if (status_fits (all_statuses[i], g_ptr_array_index (ente->servizi, s)))
        {
          add_pratica (build, ente, g_ptr_array_index (ente->servizi, s), all_statuses[i]);
          added++;
        }
  while (added < ente->n_pratiche)
    {
      SpStatus status = random_status (build->rand);
      const SpAdminServizioDef *servizio = random_servizio (build, ente, status);

      if (servizio == NULL)
        continue;
      add_pratica (build, ente, servizio, status);
      added++;
    }
}

typedef struct
{
  SpDemoPratica *pratica;
  SpDemoEvent   *event;
  guint          order;
} Registration;

static int
compare_registrations (gconstpointer a,
                       gconstpointer b)
{
  const Registration *x = a, *y = b;

  if (x->event->at != y->event->at)
    return x->event->at < y->event->at ? -1 : 1;
  return x->order < y->order ? -1 : x->order > y->order;
}

static int
year_of (gint64 unix_time)
{
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (unix_time);

  return g_date_time_get_year (at);
}

/* Protocol numbers in time order, gapless per ente and year: the internal
 * register ("2025/0000123") and the partner's external one ("PG/2025/0041235"). */
static void
number_registrations (SpDemoBuild *build,
                      SpDemoEnte  *ente)
{
  g_autoptr(GArray) registrations = g_array_new (FALSE, FALSE, sizeof (Registration));
  int internal_year = 0, internal_last = 0, external_year = 0, external_last = 0;

  for (guint p = 0; p < build->pratiche->len; p++)
    {
      SpDemoPratica *pratica = g_ptr_array_index (build->pratiche, p);

      if (pratica->ente != ente)
        continue;
      for (guint e = 0; e < pratica->timeline->events->len; e++)
        {
          Registration registration = { pratica, &g_array_index (pratica->timeline->events, SpDemoEvent, e),
                                        registrations->len };

          if (sp_demo_event_is_registration (registration.event->kind))
            g_array_append_val (registrations, registration);
        }
    }
  g_array_sort (registrations, compare_registrations);

  for (guint i = 0; i < registrations->len; i++)
    {
      Registration *registration = &g_array_index (registrations, Registration, i);
      int year = year_of (registration->event->at);

      if (registration->pratica->timeline->external)
        {
          external_last = year == external_year ? external_last + 1 : 41235;
          external_year = year;
          registration->event->protocol_number = g_strdup_printf ("PG/%d/%07d", year, external_last);
        }
      else
        {
          internal_last = year == internal_year ? internal_last + 1 : 1;
          internal_year = year;
          registration->event->register_number = internal_last;
          registration->event->protocol_number = g_strdup_printf ("%d/%07d", year, internal_last);
        }
    }
}

static int
compare_submissions (gconstpointer a,
                     gconstpointer b)
{
  const SpDemoPratica *x = *(SpDemoPratica * const *) a;
  const SpDemoPratica *y = *(SpDemoPratica * const *) b;

  if (x->submitted != y->submitted)
    return x->submitted < y->submitted ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

/* "2025-000123", in submission order, per ente and year; the counters follow. */
static void
number_pratiche (SpDemoBuild *build,
                 SpDemoEnte  *ente)
{
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  int year = 0, last = 0;

  for (guint p = 0; p < build->pratiche->len; p++)
    if (((SpDemoPratica *) g_ptr_array_index (build->pratiche, p))->ente == ente)
      g_ptr_array_add (sorted, g_ptr_array_index (build->pratiche, p));
  g_ptr_array_sort (sorted, compare_submissions);

  for (guint i = 0; i < sorted->len; i++)
    {
      SpDemoPratica *pratica = g_ptr_array_index (sorted, i);
      int pratica_year = year_of (pratica->submitted);

      if (pratica_year != year && year != 0)
        sp_demo_rows_add_counter (build, ente->code, year, last);
      last = pratica_year == year ? last + 1 : 1;
      year = pratica_year;
      pratica->numero = g_strdup_printf ("%d-%06d", year, last);
      if (pratica->by_partner)
        pratica->external_id = g_strdup_printf ("EC-%d-%05d", year, 100 + last);
    }
  if (year != 0)
    sp_demo_rows_add_counter (build, ente->code, year, last);
}

static SpDemoEnte *
ente_new (SpDemoBuild *build,
          JsonObject  *object)
{
  SpDemoEnte *ente = g_new0 (SpDemoEnte, 1);
  guint n_citizens;

  ente->code = json_object_get_string_member (object, "code");
  for (guint i = 0; i < build->demo->enti->len; i++)
    if (g_str_equal (((SpAdminEnte *) g_ptr_array_index (build->demo->enti, i))->code, ente->code))
      ente->def = g_ptr_array_index (build->demo->enti, i);
  ente->place.comune = json_object_get_string_member (object, "place_name");
  ente->place.cap = json_object_get_string_member_with_default (object, "cap", "00000");
  ente->place.provincia = json_object_get_string_member_with_default (object, "provincia", "");
  ente->n_pratiche = json_object_get_int_member_with_default (object, "pratiche", 0);
  ente->servizi = g_ptr_array_new ();
  ente->operators = g_ptr_array_new ();
  ente->citizens = g_ptr_array_new_with_free_func ((GDestroyNotify) sp_demo_person_free);

  for (guint i = 0; i < build->demo->servizi->len; i++)
    {
      const SpAdminServizioDef *def = g_ptr_array_index (build->demo->servizi, i);

      if (def->active && g_str_equal (g_ptr_array_index (build->demo->servizi_ente, i), ente->code))
        g_ptr_array_add (ente->servizi, (gpointer) def);
    }
  for (guint i = 0; i < build->demo->accounts->len; i++)
    {
      const SpAdminAccount *account = g_ptr_array_index (build->demo->accounts, i);

      if (g_str_equal (account->ente_code, ente->code) && g_str_equal (account->role, "operatore"))
        g_ptr_array_add (ente->operators, (gpointer) account);
    }

  /* Some citizens apply more than once. */
  n_citizens = MAX (ente->n_pratiche * 4 / 5, 1);
  while (ente->citizens->len < n_citizens)
    {
      SpDemoPerson *person = sp_demo_person_new (build->rand, build->reference, 19, 85, NULL, &ente->place);

      if (g_hash_table_add (build->codici_fiscali, g_strdup (person->codice_fiscale)))
        g_ptr_array_add (ente->citizens, person);
      else
        sp_demo_person_free (person);
    }
  return ente;
}

static void
ente_free (SpDemoEnte *ente)
{
  g_ptr_array_unref (ente->servizi);
  g_ptr_array_unref (ente->operators);
  g_ptr_array_unref (ente->citizens);
  g_free (ente);
}

static void
pratica_free (SpDemoPratica *pratica)
{
  sp_demo_timeline_free (pratica->timeline);
  g_clear_pointer (&pratica->data, json_node_unref);
  g_free (pratica->numero);
  g_free (pratica->external_id);
  g_free (pratica);
}

static void
partner_free (SpDemoPartner *partner)
{
  g_strfreev (partner->operatori);
  g_free (partner);
}

static void
add_partners (SpDemoBuild *build,
              JsonObject  *manifest)
{
  JsonArray *partners = json_object_get_array_member (manifest, "partners");

  for (guint i = 0; partners != NULL && i < json_array_get_length (partners); i++)
    {
      JsonObject *object = json_array_get_object_element (partners, i);
      JsonArray *names = json_object_get_array_member (object, "operatori");
      SpDemoPartner *partner = g_new0 (SpDemoPartner, 1);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint n = 0; names != NULL && n < json_array_get_length (names); n++)
        g_strv_builder_add (builder, json_array_get_string_element (names, n));
      partner->account = g_ptr_array_index (build->demo->partners, i);
      partner->operatori = g_strv_builder_end (builder);
      g_ptr_array_add (build->partners, partner);
    }
}

/**
 * sp_demo_pratiche_build:
 * @time_zone: the database session's time zone, so that dates in snapshots
 *   read as the server writes them
 *
 * Fills the bulk rows of @demo (citizens, pratiche, iter, versions, protocol
 * register, counters) and its documents (the moduli) from the manifest. The
 * same seed gives the same data, dated relative to now.
 */
gboolean
sp_demo_pratiche_build (SpAdminDemo     *demo,
                        JsonObject      *manifest,
                        const char      *time_zone,
                        SpCryptoSigner  *signer,
                        GError         **error)
{
  JsonArray *enti = json_object_get_array_member (manifest, "enti");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  SpDemoBuild build = { 0 };
  gboolean rendered;

  build.demo = demo;
  build.rand = g_rand_new_with_seed ((guint32) json_object_get_int_member_with_default (manifest, "seed", 1));
  build.now_unix = g_date_time_to_unix (now) - g_date_time_to_unix (now) % 60;
  build.now = g_date_time_new_from_unix_utc (build.now_unix);
  /* People's ages count from a fixed day, so their codici fiscali do not change from day to day. */
  build.reference = g_date_time_new_utc (2025, 1, 1, 0, 0, 0);
  build.days = (int) json_object_get_int_member_with_default (manifest, "days", 120);
  build.time_zone = g_time_zone_new_identifier (time_zone);
  if (build.time_zone == NULL)
    build.time_zone = g_time_zone_new_utc ();
  build.texts = json_object_get_object_member (manifest, "testi");
  build.codici_fiscali = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  build.applicants = g_hash_table_new (g_str_hash, g_str_equal);
  build.enti = g_ptr_array_new_with_free_func ((GDestroyNotify) ente_free);
  build.pratiche = g_ptr_array_new_with_free_func ((GDestroyNotify) pratica_free);
  build.partners = g_ptr_array_new_with_free_func ((GDestroyNotify) partner_free);
  sp_demo_rows_init (&build);

  add_partners (&build, manifest);
  for (guint i = 0; i < json_array_get_length (enti); i++)
    g_ptr_array_add (build.enti, ente_new (&build, json_array_get_object_element (enti, i)));
  for (guint i = 0; i < build.enti->len; i++)
    add_pratiche_of (&build, g_ptr_array_index (build.enti, i));
  for (guint i = 0; i < build.enti->len; i++)
    {
      number_registrations (&build, g_ptr_array_index (build.enti, i));
      number_pratiche (&build, g_ptr_array_index (build.enti, i));
    }
  /* The moduli, which every version lists from the submission on, and the
   * responses of the concluded pratiche, from their conclusion on: the
   * database reads them from the document rows when it writes the versions. */
  rendered = sp_demo_moduli_render (&build, error) && sp_demo_risposte_render (&build, signer, error);
  for (guint i = 0; rendered && i < build.pratiche->len; i++)
    sp_demo_rows_add_pratica (&build, g_ptr_array_index (build.pratiche, i));
  for (guint i = 0; rendered && i < build.enti->len; i++)
    sp_demo_rows_add_citizens (&build, g_ptr_array_index (build.enti, i));
  sp_demo_rows_finish (&build, demo);
  demo->n_pratiche = build.pratiche->len;

  g_ptr_array_unref (build.pratiche);
  g_ptr_array_unref (build.enti);
  g_ptr_array_unref (build.partners);
  g_hash_table_unref (build.applicants);
  g_hash_table_unref (build.codici_fiscali);
  g_time_zone_unref (build.time_zone);
  g_date_time_unref (build.now);
  g_date_time_unref (build.reference);
  g_rand_free (build.rand);
  return rendered;
}
