/* test-take-charge-refusal.c: why "Prendi in carico" is refused (common/sp-take-charge.c), cause by cause */
#define G_LOG_DOMAIN "test-take-charge-refusal"

#include "config.h"

#include "sp-take-charge.h"

/* DESIGN.md §3, written out here independently of sp-take-charge.c: the
 * cause a person names first. */
static SpTakeChargeRefusal
expected_refusal (SpStatus status,
                  gboolean assigned,
                  gboolean mine,
                  gboolean has_protocol)
{
  if (status == SP_STATUS_WITHDRAWN)
    return SP_TAKE_CHARGE_REFUSAL_WITHDRAWN;
  if (status >= SP_STATUS_COMPLETE_WAITING)
    return SP_TAKE_CHARGE_REFUSAL_CONCLUDED;
  if (assigned)
    return mine ? SP_TAKE_CHARGE_REFUSAL_ALREADY_YOURS : SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE;
  if (status != SP_STATUS_SUBMITTED && status != SP_STATUS_REGISTERED && status != SP_STATUS_PENDING)
    return SP_TAKE_CHARGE_REFUSAL_STATUS;
  if (!has_protocol)
    return SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL;
  return SP_TAKE_CHARGE_REFUSAL_NONE;
}

static void
test_every_case (void)
{
  guint n;
  const SpStatus *statuses = sp_status_all (&n);

  for (guint i = 0; i < n; i++)
    for (guint assigned = 0; assigned < 2; assigned++)
      for (guint mine = 0; mine <= assigned; mine++)
        for (guint has_protocol = 0; has_protocol < 2; has_protocol++)
          {
            SpTakeChargeRefusal refusal = sp_take_charge_refusal (statuses[i], assigned, mine, TRUE, has_protocol);

            g_test_message ("status %d, assigned %u, mine %u, protocol %u: %s", statuses[i], assigned, mine,
                            has_protocol, sp_take_charge_refusal_to_string (refusal));
            g_assert_cmpint (refusal, ==, expected_refusal (statuses[i], assigned, mine, has_protocol));
            /* A service without protocol never waits for one. */
            if (refusal != SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL)
              g_assert_cmpint (sp_take_charge_refusal (statuses[i], assigned, mine, FALSE, has_protocol), ==, refusal);
            else
              g_assert_cmpint (sp_take_charge_refusal (statuses[i], assigned, mine, FALSE, has_protocol), ==,
                               SP_TAKE_CHARGE_REFUSAL_NONE);
          }

  /* The bug of issue 9: one's own concluded pratica is concluded, not "already taken". */
  g_assert_cmpint (sp_take_charge_refusal (SP_STATUS_COMPLETE, TRUE, TRUE, TRUE, TRUE), ==,
                   SP_TAKE_CHARGE_REFUSAL_CONCLUDED);
}

static void
test_reasons_and_types (void)
{
  const struct { SpTakeChargeRefusal refusal; const char *reason; SpError code; } table[] = {
    { SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE, "taken-by-colleague", SP_ERROR_ALREADY_TAKEN },
    { SP_TAKE_CHARGE_REFUSAL_ALREADY_YOURS, "already-yours", SP_ERROR_CONFLICT },
    { SP_TAKE_CHARGE_REFUSAL_CONCLUDED, "concluded", SP_ERROR_TRANSITION_NOT_ALLOWED },
    { SP_TAKE_CHARGE_REFUSAL_WITHDRAWN, "withdrawn", SP_ERROR_TRANSITION_NOT_ALLOWED },
    { SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL, "waiting-protocol", SP_ERROR_CONFLICT },
    { SP_TAKE_CHARGE_REFUSAL_STATUS, "status", SP_ERROR_TRANSITION_NOT_ALLOWED },
  };

  for (guint i = 0; i < G_N_ELEMENTS (table); i++)
    {
      g_assert_cmpstr (sp_take_charge_refusal_to_string (table[i].refusal), ==, table[i].reason);
      g_assert_cmpint (sp_take_charge_refusal_from_string (table[i].reason), ==, table[i].refusal);
      g_assert_cmpint (sp_take_charge_refusal_get_error (table[i].refusal), ==, table[i].code);
      /* Every refusal is a 409. */
      g_assert_cmpuint (sp_error_get_http_status (table[i].code), ==, 409);
    }
  g_assert_cmpint (sp_take_charge_refusal_from_string (NULL), ==, SP_TAKE_CHARGE_REFUSAL_NONE);
  /* A reason of a later version is still a refusal. */
  g_assert_cmpint (sp_take_charge_refusal_from_string ("on-holiday"), ==, SP_TAKE_CHARGE_REFUSAL_STATUS);
}

/* The sentences name the pratica and the cause (here in English: no catalog). */
static void
test_describe (void)
{
  const struct { SpTakeChargeRefusal refusal; SpStatus status; const char *assignee; const char *text; } cases[] = {
    { SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE, 4000, "Mario Rossi",
      "Pratica 2026-000123 is already in the charge of Mario Rossi." },
    { SP_TAKE_CHARGE_REFUSAL_TAKEN_BY_COLLEAGUE, 4000, NULL,
      "Pratica 2026-000123 is already in the charge of a colleague." },
    { SP_TAKE_CHARGE_REFUSAL_ALREADY_YOURS, 4000, "Mario Rossi", "Pratica 2026-000123 is already in your charge." },
    { SP_TAKE_CHARGE_REFUSAL_CONCLUDED, 7000, "Mario Rossi",
      "Pratica 2026-000123 is concluded (Accepted): it can no longer be taken in charge." },
    { SP_TAKE_CHARGE_REFUSAL_WITHDRAWN, 20000, NULL,
      "Pratica 2026-000123 has been withdrawn: it can no longer be taken in charge." },
    { SP_TAKE_CHARGE_REFUSAL_WAITING_PROTOCOL, 2000, NULL,
      "Pratica 2026-000123 is waiting for its protocol number: it can be taken in charge once registered." },
    { SP_TAKE_CHARGE_REFUSAL_STATUS, 5000, NULL,
      "Pratica 2026-000123 is in status “Processing”, which does not allow taking it in charge." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = sp_take_charge_refusal_describe (cases[i].refusal, "2026-000123", cases[i].status,
                                                               cases[i].assignee);

      g_assert_cmpstr (text, ==, cases[i].text);
    }
  g_assert_null (sp_take_charge_refusal_describe (SP_TAKE_CHARGE_REFUSAL_NONE, "2026-000123", 3000, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/take-charge-refusal/every-case", test_every_case);
  g_test_add_func ("/sportello/take-charge-refusal/reasons-and-types", test_reasons_and_types);
  g_test_add_func ("/sportello/take-charge-refusal/describe", test_describe);

  return g_test_run ();
}
