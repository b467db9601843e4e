/* test-status.c: the status codes, the transition table and the partner events of common/ */
#define G_LOG_DOMAIN "test-status"

#include "config.h"

#include <glib/gi18n.h>

#include "sp-error.h"
#include "sp-status.h"

/* DESIGN.md §3, written out here independently of sp-status.c. */
static const struct { SpStatus status; const char *key; } expected_statuses[] = {
  { SP_STATUS_SUBMITTED, "submitted" },
  { SP_STATUS_REGISTERED, "registered" },
  { SP_STATUS_PENDING, "pending" },
  { SP_STATUS_REQUEST_INTEGRATION, "request_integration" },
  { SP_STATUS_PENDING_AFTER_INTEGRATION, "pending_after_integration" },
  { SP_STATUS_PROCESSING, "processing" },
  { SP_STATUS_COMPLETE_WAITING, "complete_waiting" },
  { SP_STATUS_COMPLETE, "complete" },
  { SP_STATUS_CANCELLED_WAITING, "cancelled_waiting" },
  { SP_STATUS_CANCELLED, "cancelled" },
  { SP_STATUS_WITHDRAWN, "withdrawn" },
};

typedef struct { int from, to; } Edge;

/* Main path, with and without protocol. */
static const Edge main_path[] = {
  { 2000, 3000 }, { 3000, 4000 }, { 2000, 4000 }, { 4000, 5000 },
  { 4000, 6000 }, { 4500, 6000 }, { 5000, 6000 },
  { 4000, 8000 }, { 4500, 8000 }, { 5000, 8000 },
  { 4000, 7000 }, { 4500, 7000 }, { 5000, 7000 },
  { 4000, 9000 }, { 4500, 9000 }, { 5000, 9000 },
  { 6000, 7000 }, { 8000, 9000 },
};

/* Integration loop: 4000/4500/5000 → 4100 → 4500. */
static const Edge integration_loop[] = {
  { 4000, 4100 }, { 4500, 4100 }, { 5000, 4100 }, { 4100, 4500 },
};

/* Withdrawal: from 2000, 3000, 4000, 4100, 4500 → 20000. */
static const Edge withdrawal[] = {
  { 2000, 20000 }, { 3000, 20000 }, { 4000, 20000 }, { 4100, 20000 }, { 4500, 20000 },
};

/* What the partner events add to the paths above (§3 "Partner events"):
 * istruttoria in 4000, in_elaborazione from 4500, rifiutata from 3000. */
static const Edge event_edges[] = {
  { 4000, 4000 }, { 4500, 5000 }, { 3000, 8000 }, { 3000, 9000 },
};

static gboolean
edge_in (const Edge *edges,
         guint       n_edges,
         int         from,
         int         to)
{
  for (guint i = 0; i < n_edges; i++)
    if (edges[i].from == from && edges[i].to == to)
      return TRUE;
  return FALSE;
}

static gboolean
expected_transition (int from,
                     int to)
{
  return edge_in (main_path, G_N_ELEMENTS (main_path), from, to)
         || edge_in (integration_loop, G_N_ELEMENTS (integration_loop), from, to)
         || edge_in (withdrawal, G_N_ELEMENTS (withdrawal), from, to)
         || edge_in (event_edges, G_N_ELEMENTS (event_edges), from, to);
}

static void
test_status_keys_labels (void)
{
  const SpStatus *all;
  guint n_all = 0;

  all = sp_status_all (&n_all);
  g_assert_cmpuint (n_all, ==, G_N_ELEMENTS (expected_statuses));

  for (guint i = 0; i < G_N_ELEMENTS (expected_statuses); i++)
    {
      SpStatus status = expected_statuses[i].status;
      const char *label = sp_status_get_label (status);
      gboolean listed = FALSE;

      g_assert_true (sp_status_is_valid (status));
      g_assert_cmpstr (sp_status_get_key (status), ==, expected_statuses[i].key);
      g_assert_cmpint (sp_status_from_key (expected_statuses[i].key), ==, status);
      g_assert_nonnull (label);
      g_assert_cmpstr (label, !=, "");

      for (guint j = 0; j < n_all; j++)
        listed |= all[j] == status;
      g_assert_true (listed);
    }

  /* Labels are distinct: an operator can tell every status apart. */
  for (guint i = 0; i < G_N_ELEMENTS (expected_statuses); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (expected_statuses); j++)
      g_assert_cmpstr (sp_status_get_label (expected_statuses[i].status), !=,
                       sp_status_get_label (expected_statuses[j].status));
}

static void
test_status_invalid (void)
{
  const int invalid[] = { 0, 1, 1999, 2001, 4200, 10000, 20001, -2000 };

  for (guint i = 0; i < G_N_ELEMENTS (invalid); i++)
    {
      g_assert_false (sp_status_is_valid (invalid[i]));
      g_assert_null (sp_status_get_key ((SpStatus) invalid[i]));
      g_assert_null (sp_status_get_label ((SpStatus) invalid[i]));
      g_assert_false (sp_status_is_concluded ((SpStatus) invalid[i]));
      g_assert_false (sp_status_can_transition ((SpStatus) invalid[i], SP_STATUS_PENDING));
      g_assert_false (sp_status_can_transition (SP_STATUS_PENDING, (SpStatus) invalid[i]));
    }
  g_assert_cmpint (sp_status_from_key ("acquisita"), ==, SP_STATUS_INVALID);
  g_assert_cmpint (sp_status_from_key (""), ==, SP_STATUS_INVALID);
  g_assert_cmpint (sp_status_from_key ("SUBMITTED"), ==, SP_STATUS_INVALID);
  g_assert_cmpint (sp_status_from_key (NULL), ==, SP_STATUS_INVALID);
}

static void
test_status_flags (void)
{
  /* E-mail on every relevant change (§6): none for 5000, 6000, 8000. */
  const int with_email[] = { 2000, 3000, 4000, 4100, 4500, 7000, 9000, 20000 };
  const int without_email[] = { 5000, 6000, 8000 };
  const int concluded[] = { 6000, 7000, 8000, 9000, 20000 };
  const int open[] = { 2000, 3000, 4000, 4100, 4500, 5000 };

  for (guint i = 0; i < G_N_ELEMENTS (with_email); i++)
    g_assert_true (sp_status_sends_email (with_email[i]));
  for (guint i = 0; i < G_N_ELEMENTS (without_email); i++)
    g_assert_false (sp_status_sends_email (without_email[i]));
  for (guint i = 0; i < G_N_ELEMENTS (concluded); i++)
    g_assert_true (sp_status_is_concluded (concluded[i]));
  for (guint i = 0; i < G_N_ELEMENTS (open); i++)
    g_assert_false (sp_status_is_concluded (open[i]));

  for (guint i = 0; i < G_N_ELEMENTS (expected_statuses); i++)
    {
      SpStatus status = expected_statuses[i].status;

      g_assert_cmpint (sp_status_is_waiting_protocol (status), ==,
                       status == SP_STATUS_COMPLETE_WAITING || status == SP_STATUS_CANCELLED_WAITING);
    }
}

static void
test_transitions_exact (void)
{
  guint n_allowed = 0;

  /* Every pair, in both directions, invalid codes included. */
  for (guint i = 0; i <= G_N_ELEMENTS (expected_statuses); i++)
    for (guint j = 0; j <= G_N_ELEMENTS (expected_statuses); j++)
      {
        int from = i < G_N_ELEMENTS (expected_statuses) ? (int) expected_statuses[i].status : 0;
        int to = j < G_N_ELEMENTS (expected_statuses) ? (int) expected_statuses[j].status : 0;
        gboolean expected = expected_transition (from, to);
        gboolean actual = sp_status_can_transition (from, to);

        if (expected != actual)
          g_test_message ("%d → %d: expected %s, got %s", from, to,
                          expected ? "allowed" : "refused", actual ? "allowed" : "refused");
        g_assert_cmpint (actual, ==, expected);
        n_allowed += actual;
      }
  g_assert_cmpuint (n_allowed, ==, 31);
}

static void
test_transitions_main_path (void)
{
  const int with_protocol[] = { 2000, 3000, 4000, 5000, 6000, 7000 };
  const int without_protocol[] = { 2000, 4000, 5000, 7000 };
  const int rejected[] = { 2000, 3000, 4000, 5000, 8000, 9000 };

  for (guint i = 0; i + 1 < G_N_ELEMENTS (with_protocol); i++)
    g_assert_true (sp_status_can_transition (with_protocol[i], with_protocol[i + 1]));
  for (guint i = 0; i + 1 < G_N_ELEMENTS (without_protocol); i++)
    g_assert_true (sp_status_can_transition (without_protocol[i], without_protocol[i + 1]));
  for (guint i = 0; i + 1 < G_N_ELEMENTS (rejected); i++)
    g_assert_true (sp_status_can_transition (rejected[i], rejected[i + 1]));

  /* No step back and no skipping the waiting state the wrong way. */
  g_assert_false (sp_status_can_transition (SP_STATUS_REGISTERED, SP_STATUS_SUBMITTED));
  g_assert_false (sp_status_can_transition (SP_STATUS_COMPLETE, SP_STATUS_COMPLETE_WAITING));
  g_assert_false (sp_status_can_transition (SP_STATUS_COMPLETE_WAITING, SP_STATUS_CANCELLED));
  g_assert_false (sp_status_can_transition (SP_STATUS_SUBMITTED, SP_STATUS_PROCESSING));
  g_assert_false (sp_status_can_transition (SP_STATUS_SUBMITTED, SP_STATUS_COMPLETE));
}

static void
test_transitions_integration_loop (void)
{
  g_assert_true (sp_status_can_transition (SP_STATUS_PENDING, SP_STATUS_REQUEST_INTEGRATION));
  g_assert_true (sp_status_can_transition (SP_STATUS_PENDING_AFTER_INTEGRATION, SP_STATUS_REQUEST_INTEGRATION));
  g_assert_true (sp_status_can_transition (SP_STATUS_PROCESSING, SP_STATUS_REQUEST_INTEGRATION));
  g_assert_true (sp_status_can_transition (SP_STATUS_REQUEST_INTEGRATION, SP_STATUS_PENDING_AFTER_INTEGRATION));

  /* Only 4500 follows 4100 (apart from withdrawal). */
  for (guint i = 0; i < G_N_ELEMENTS (expected_statuses); i++)
    {
      SpStatus to = expected_statuses[i].status;

      g_assert_cmpint (sp_status_can_transition (SP_STATUS_REQUEST_INTEGRATION, to), ==,
                       to == SP_STATUS_PENDING_AFTER_INTEGRATION || to == SP_STATUS_WITHDRAWN);
    }
}

static void
test_transitions_withdrawal (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (expected_statuses); i++)
    {
      SpStatus from = expected_statuses[i].status;
      gboolean expected = from == 2000 || from == 3000 || from == 4000 || from == 4100 || from == 4500;

      g_assert_cmpint (sp_status_can_transition (from, SP_STATUS_WITHDRAWN), ==, expected);
    }
}

static void
test_transitions_concluded_final (void)
{
  const int final[] = { 7000, 9000, 20000 };

  for (guint i = 0; i < G_N_ELEMENTS (final); i++)
    for (guint j = 0; j < G_N_ELEMENTS (expected_statuses); j++)
      g_assert_false (sp_status_can_transition (final[i], expected_statuses[j].status));
}

/* The partner events table of DESIGN.md §3. */
typedef struct
{
  const char *name;
  SpEvent     event;
  int         target;
  int         target_no_protocol;
  int         from[6];
  gboolean    requires_note;
} ExpectedEvent;

static const ExpectedEvent expected_events[] = {
  { "protocollata", SP_EVENT_PROTOCOLLATA, 3000, 3000, { 2000 }, FALSE },
  { "preistruttoria", SP_EVENT_PREISTRUTTORIA, 4000, 4000, { 2000, 3000, 4000 }, FALSE },
  { "istruttoria", SP_EVENT_ISTRUTTORIA, 4000, 4000, { 2000, 3000, 4000 }, FALSE },
  { "in_elaborazione", SP_EVENT_IN_ELABORAZIONE, 5000, 5000, { 4000, 4500 }, FALSE },
  { "richiesta_integrazioni", SP_EVENT_RICHIESTA_INTEGRAZIONI, 4100, 4100, { 4000, 4500, 5000 }, FALSE },
  { "protocollata_integrazioni", SP_EVENT_PROTOCOLLATA_INTEGRAZIONI, 4500, 4500, { 4100 }, FALSE },
  { "accettata", SP_EVENT_ACCETTATA, 6000, 7000, { 4000, 4500, 5000 }, TRUE },
  { "rifiutata", SP_EVENT_RIFIUTATA, 8000, 9000, { 3000, 4000, 4500, 5000 }, TRUE },
  { "ritirata", SP_EVENT_RITIRATA, 20000, 20000, { 2000, 3000, 4000, 4100, 4500 }, FALSE },
};

static gboolean
event_expected_allowed (const ExpectedEvent *info,
                        int                  from,
                        gboolean             protocol_required)
{
  for (guint i = 0; i < G_N_ELEMENTS (info->from) && info->from[i] != 0; i++)
    if (info->from[i] == from)
      {
        /* preistruttoria and istruttoria leave 2000 only without protocol. */
        if (from == 2000 && protocol_required
            && (info->event == SP_EVENT_PREISTRUTTORIA || info->event == SP_EVENT_ISTRUTTORIA))
          return FALSE;
        return TRUE;
      }
  return FALSE;
}

static void
test_event_names (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (expected_events); i++)
    {
      g_assert_cmpint (sp_event_from_name (expected_events[i].name), ==, expected_events[i].event);
      g_assert_cmpstr (sp_event_get_name (expected_events[i].event), ==, expected_events[i].name);
      g_assert_cmpint (sp_event_requires_note (expected_events[i].event), ==, expected_events[i].requires_note);
    }

  g_assert_cmpint (sp_event_from_name ("approvata"), ==, SP_EVENT_INVALID);
  g_assert_cmpint (sp_event_from_name ("Protocollata"), ==, SP_EVENT_INVALID);
  g_assert_cmpint (sp_event_from_name (""), ==, SP_EVENT_INVALID);
  g_assert_cmpint (sp_event_from_name (NULL), ==, SP_EVENT_INVALID);
  g_assert_null (sp_event_get_name (SP_EVENT_INVALID));
  g_assert_false (sp_event_requires_note (SP_EVENT_INVALID));
}

static void
test_event_apply_table (void)
{
  guint n_checked = 0;

  for (guint e = 0; e < G_N_ELEMENTS (expected_events); e++)
    for (guint s = 0; s < G_N_ELEMENTS (expected_statuses); s++)
      for (int protocol = 0; protocol <= 1; protocol++)
        {
          const ExpectedEvent *info = &expected_events[e];
          int from = expected_statuses[s].status;
          gboolean expected = event_expected_allowed (info, from, protocol);
          g_autoptr(GError) error = NULL;
          SpStatus to = SP_STATUS_INVALID;
          gboolean ok;

          ok = sp_event_apply (info->event, from, protocol, &to, &error);
          if (ok != expected)
            g_test_message ("%s from %d (protocol %s): expected %s", info->name, from,
                            protocol ? "required" : "not required", expected ? "allowed" : "refused");
          g_assert_cmpint (ok, ==, expected);
          if (expected)
            {
              g_assert_no_error (error);
              g_assert_cmpint (to, ==, protocol ? info->target : info->target_no_protocol);
              /* What an event does is a transition of the one table. */
              g_assert_true (sp_status_can_transition (from, to));
            }
          else
            {
              g_assert_error (error, SP_ERROR, SP_ERROR_TRANSITION_NOT_ALLOWED);
              g_assert_cmpint (to, ==, SP_STATUS_INVALID);
            }
          n_checked++;
        }
  g_assert_cmpuint (n_checked, ==, 9 * 11 * 2);
}

static void
test_event_preistruttoria_protocol (void)
{
  g_autoptr(GError) error = NULL;
  SpStatus to = SP_STATUS_INVALID;

  /* Without protocol the pratica is taken in charge straight from 2000. */
  g_assert_true (sp_event_apply (SP_EVENT_PREISTRUTTORIA, SP_STATUS_SUBMITTED, FALSE, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (to, ==, SP_STATUS_PENDING);

  /* With protocol it must be registered first. */
  to = SP_STATUS_INVALID;
  g_assert_false (sp_event_apply (SP_EVENT_PREISTRUTTORIA, SP_STATUS_SUBMITTED, TRUE, &to, &error));
  g_assert_error (error, SP_ERROR, SP_ERROR_TRANSITION_NOT_ALLOWED);
  g_clear_error (&error);

  g_assert_true (sp_event_apply (SP_EVENT_PREISTRUTTORIA, SP_STATUS_REGISTERED, TRUE, &to, &error));
  g_assert_no_error (error);
  g_assert_cmpint (to, ==, SP_STATUS_PENDING);
}

static void
test_event_accettata_rifiutata (void)
{
  g_autoptr(GError) error = NULL;
  SpStatus to = SP_STATUS_INVALID;

  g_assert_true (sp_event_apply (SP_EVENT_ACCETTATA, SP_STATUS_PROCESSING, TRUE, &to, &error));
  g_assert_cmpint (to, ==, SP_STATUS_COMPLETE_WAITING);
  g_assert_true (sp_event_apply (SP_EVENT_ACCETTATA, SP_STATUS_PROCESSING, FALSE, &to, &error));
  g_assert_cmpint (to, ==, SP_STATUS_COMPLETE);
  g_assert_true (sp_event_apply (SP_EVENT_RIFIUTATA, SP_STATUS_PENDING, TRUE, &to, &error));
  g_assert_cmpint (to, ==, SP_STATUS_CANCELLED_WAITING);
  g_assert_true (sp_event_apply (SP_EVENT_RIFIUTATA, SP_STATUS_PENDING, FALSE, &to, &error));
  g_assert_cmpint (to, ==, SP_STATUS_CANCELLED);
  g_assert_no_error (error);

  /* A concluded pratica accepts nothing more. */
  g_assert_false (sp_event_apply (SP_EVENT_ACCETTATA, SP_STATUS_COMPLETE, FALSE, &to, &error));
  g_assert_error (error, SP_ERROR, SP_ERROR_TRANSITION_NOT_ALLOWED);
}

static void
test_event_unknown (void)
{
  const SpEvent unknown[] = { SP_EVENT_INVALID, (SpEvent) 99, (SpEvent) -1 };

  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    {
      g_autoptr(GError) error = NULL;
      SpStatus to = SP_STATUS_INVALID;

      g_assert_false (sp_event_apply (unknown[i], SP_STATUS_PENDING, TRUE, &to, &error));
      g_assert_error (error, SP_ERROR, SP_ERROR_UNKNOWN_EVENT);
      g_assert_cmpint (to, ==, SP_STATUS_INVALID);
    }
}

static void
test_event_invalid_from (void)
{
  g_autoptr(GError) error = NULL;
  SpStatus to = SP_STATUS_INVALID;

  g_assert_false (sp_event_apply (SP_EVENT_RITIRATA, (SpStatus) 0, FALSE, &to, &error));
  g_assert_error (error, SP_ERROR, SP_ERROR_TRANSITION_NOT_ALLOWED);
  g_clear_error (&error);
  g_assert_false (sp_event_apply (SP_EVENT_PROTOCOLLATA, (SpStatus) 2500, FALSE, &to, &error));
  g_assert_error (error, SP_ERROR, SP_ERROR_TRANSITION_NOT_ALLOWED);
}

/* The waits for a registration, and where each ends: one transition each. */
static void
test_after_registration (void)
{
  guint n;
  const SpStatus *all = sp_status_all (&n);

  g_assert_cmpint (sp_status_after_registration (SP_STATUS_SUBMITTED), ==, SP_STATUS_REGISTERED);
  g_assert_cmpint (sp_status_after_registration (SP_STATUS_COMPLETE_WAITING), ==, SP_STATUS_COMPLETE);
  g_assert_cmpint (sp_status_after_registration (SP_STATUS_CANCELLED_WAITING), ==, SP_STATUS_CANCELLED);
  for (guint i = 0; i < n; i++)
    {
      SpStatus next = sp_status_after_registration (all[i]);

      if (next == SP_STATUS_INVALID)
        g_assert_false (sp_status_is_waiting_protocol (all[i]) && all[i] != SP_STATUS_SUBMITTED);
      else
        g_assert_true (sp_status_can_transition (all[i], next));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sportello/status/keys-labels", test_status_keys_labels);
  g_test_add_func ("/sportello/status/invalid", test_status_invalid);
  g_test_add_func ("/sportello/status/flags", test_status_flags);
  g_test_add_func ("/sportello/status/transitions/exact", test_transitions_exact);
  g_test_add_func ("/sportello/status/transitions/main-path", test_transitions_main_path);
  g_test_add_func ("/sportello/status/transitions/integration-loop", test_transitions_integration_loop);
  g_test_add_func ("/sportello/status/transitions/withdrawal", test_transitions_withdrawal);
  g_test_add_func ("/sportello/status/transitions/concluded-final", test_transitions_concluded_final);
  g_test_add_func ("/sportello/status/event/names", test_event_names);
  g_test_add_func ("/sportello/status/event/apply-table", test_event_apply_table);
  g_test_add_func ("/sportello/status/event/preistruttoria-protocol", test_event_preistruttoria_protocol);
  g_test_add_func ("/sportello/status/event/accettata-rifiutata", test_event_accettata_rifiutata);
  g_test_add_func ("/sportello/status/event/unknown", test_event_unknown);
  g_test_add_func ("/sportello/status/event/invalid-from", test_event_invalid_from);
  g_test_add_func ("/sportello/status/after-registration", test_after_registration);

  return g_test_run ();
}
