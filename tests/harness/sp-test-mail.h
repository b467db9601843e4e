#pragma once

/* A real SMTP server for the tests (build-aux/mail-sink.py, Debian's
 * python3-aiosmtpd) that writes each message it accepts to a folder, and the
 * server configuration that sends the e-mails to it: STARTTLS with the
 * environment's certificate, AUTH, signed download links. */

#include <json-glib/json-glib.h>

#include "sp-test-env.h"

G_BEGIN_DECLS

#define SP_TEST_SMTP_USER      "sportello"
#define SP_TEST_SMTP_PASSWORD  "Segreto-smtp-1"
#define SP_TEST_MAIL_FROM      "Comune di Prova <protocollo@prova.example.it>"
/* Recipients there are refused by the sink (550). */
#define SP_TEST_REFUSED_DOMAIN "rifiutato.example.org"

typedef struct _SpTestMailSink SpTestMailSink;

SpTestMailSink *sp_test_mail_sink_start   (SpTestEnv       *env,
                                           gboolean         tls_and_auth) G_GNUC_WARN_UNUSED_RESULT;
void         sp_test_mail_sink_stop       (SpTestMailSink  *self);
void         sp_test_mail_sink_restart    (SpTestMailSink  *self);
guint        sp_test_mail_sink_get_port   (SpTestMailSink  *self);
int          sp_test_mail_sink_get_pid    (SpTestMailSink  *self);
const char  *sp_test_mail_sink_get_dir    (SpTestMailSink  *self);
GPtrArray   *sp_test_mail_sink_list       (SpTestMailSink  *self) G_GNUC_WARN_UNUSED_RESULT;
void         sp_test_mail_sink_free       (SpTestMailSink  *self);
char        *sp_test_mail_configure       (SpTestEnv       *env,
                                           SpTestMailSink  *sink) G_GNUC_WARN_UNUSED_RESULT;
JsonObject  *sp_test_mail_parse           (const char      *path) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_test_mail_header          (const char      *path,
                                           const char      *name) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpTestMailSink, sp_test_mail_sink_free)

G_END_DECLS
