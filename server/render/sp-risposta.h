#pragma once

/* What the response PDF of a concluded pratica (the *risposta*) is drawn
 * from, owned, so that the database call that reads it ends before the
 * drawing starts on a CPU worker. */

#include <gio/gio.h>

G_BEGIN_DECLS

/**
 * SpRispostaAttachment:
 * @signer: (nullable): who signed it, when it is a verified `.p7m`
 */
typedef struct
{
  char *filename;
  char *signer;
} SpRispostaAttachment;

/**
 * SpRisposta:
 * @protocol_number: (nullable): the application's protocol number (arrivo)
 * @accepted: the outcome
 * @motivazione: (nullable): the motivation
 * @attachments: (element-type SpRispostaAttachment): the files that go with it
 * @date: when the response is issued (also the PDF's creation date)
 * @revision: the saved work it was drawn from (pratica_processing.revision)
 *
 * The response to the applicant: the ente's letterhead, "Spett.le", the
 * outcome, the motivation, the attachments, place and date.
 */
typedef struct
{
  char       *locale;
  char       *ente_name;
  char       *place_name;
  char       *servizio_name;
  char       *numero;
  GDateTime  *submitted_at;
  char       *protocol_number;
  GDateTime  *protocol_date;
  char       *applicant_nome;
  char       *applicant_cognome;
  char       *applicant_email;
  gboolean    accepted;
  char       *motivazione;
  GPtrArray  *attachments;
  GDateTime  *date;
  gint64      revision;
} SpRisposta;

SpRisposta  *sp_risposta_new          (void) G_GNUC_WARN_UNUSED_RESULT;
void         sp_risposta_free         (SpRisposta  *risposta);
void         sp_risposta_add_attachment (SpRisposta *risposta,
                                       const char  *filename,
                                       const char  *signer);
char        *sp_risposta_filename     (SpRisposta  *risposta) G_GNUC_WARN_UNUSED_RESULT;
GBytes      *sp_risposta_render       (SpRisposta  *risposta,
                                       GError     **error) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_risposta_provvedimento_filename (SpRisposta *risposta) G_GNUC_WARN_UNUSED_RESULT;
GBytes      *sp_risposta_render_provvedimento   (SpRisposta  *risposta,
                                                 GError     **error) G_GNUC_WARN_UNUSED_RESULT;
gpointer     sp_risposta_render_work  (gpointer     risposta,
                                       GCancellable *cancellable,
                                       GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpRisposta, sp_risposta_free)

G_END_DECLS
