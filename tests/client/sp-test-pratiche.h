#pragma once

/* A few pratiche for the client's UI tests, inserted by SQL into the
 * harness's database (which has none): their iter, documents with real PDF
 * bytes, and a form nested three groups deep. */

#include <glib.h>

#include "sp-test-env.h"

G_BEGIN_DECLS

/* A service of SP_TEST_ENTE that needs no protocol, for both operators. */
#define SP_TEST_SERVIZIO_UNPROTOCOLLED "libri-di-testo"

typedef struct
{
  char   *waiting_id;     /* 2026-000123, SP_TEST_SERVIZIO_INTERNAL: 2000, no protocol number yet */
  char   *registered_id;  /* 2026-000124, same service: 3000 with its number, nobody's */
  char   *concluded_id;   /* 2026-000125, SP_TEST_SERVIZIO_EXTERNAL: 7000, accepted, SP_TEST_OPERATOR2's */
  char   *elsewhere_id;   /* 2026-000001 of SP_TEST_OTHER_ENTE */
  char   *free_id;        /* 2026-000126, SP_TEST_SERVIZIO_INTERNAL: 3000 with its number, free to take */
  char   *contested_id;   /* 2026-000128, same: 3000 with its number, free to take */
  char   *unprotocolled_id; /* 2026-000127, SP_TEST_SERVIZIO_UNPROTOCOLLED: 2000, free to take */
  char   *modulo_id;      /* the modulo of waiting_id */
  char   *allegato_id;    /* an attachment of registered_id, about 400 kB */
  GBytes *modulo_pdf;     /* the bytes of every modulo: a one-page PDF */
} SpTestPratiche;

/* The form of SP_TEST_SERVIZIO_EXTERNAL after sp_test_pratiche_insert(),
 * and the long value of its "descrizione" in concluded_id. */
extern const char sp_test_nested_schema[];
extern const char sp_test_long_description[];

SpTestPratiche *sp_test_pratiche_insert (SpTestEnv      *env) G_GNUC_WARN_UNUSED_RESULT;
void            sp_test_pratiche_free   (SpTestPratiche *self);
char           *sp_test_sql             (SpTestEnv      *env,
                                         const char     *format,
                                         ...) G_GNUC_PRINTF (2, 3) G_GNUC_WARN_UNUSED_RESULT;
void            sp_test_iter_insert     (SpTestEnv      *env,
                                         const char     *pratica_id,
                                         int             status,
                                         int             previous_status,
                                         const char     *at,
                                         const char     *actor_kind,
                                         const char     *actor_name,
                                         const char     *note);

G_END_DECLS
