#pragma once

#include <json-glib/json-glib.h>

#include "sp-pratica.h"
#include "sp-processing.h"
#include "sp-protocol-record.h"

G_BEGIN_DECLS

/**
 * SpIterEntry:
 *
 * One step of a pratica's iter: the status it reached, when, who did it.
 */
typedef struct
{
  SpStatus    status;
  SpStatus    previous_status;  /* SP_STATUS_INVALID for the first */
  GDateTime  *at;
  char       *actor_kind;       /* citizen, operator, partner, system */
  char       *actor_name;
  char       *note;             /* nullable */
} SpIterEntry;

/**
 * SpDocumentInfo:
 */
typedef struct
{
  char       *id;
  char       *kind;             /* modulo, risposta, allegato */
  char       *filename;
  char       *mime_type;
  gint64      size;
  char       *sha256;
  char       *signer;           /* nullable */
  GDateTime  *created_at;
} SpDocumentInfo;

/**
 * SpPraticaDetail:
 *
 * Everything the *Dettaglio pratica* page shows.
 */
typedef struct
{
  SpPraticaSummary *summary;
  GDateTime        *protocol_date;    /* nullable */
  char             *outcome;          /* nullable: accepted, rejected */
  char             *motivation;       /* nullable */
  gboolean          assigned_to_me;
  gboolean          protocol_required;  /* the service needs a protocol number */
  GPtrArray        *fields;           /* of SpFormField */
  GPtrArray        *iter;             /* of SpIterEntry */
  GPtrArray        *documents;        /* of SpDocumentInfo */
  SpProcessing     *processing;       /* nullable: the saved work of Elabora */
  GPtrArray        *steps;            /* of SpStep: the service's own processing steps */
  gboolean          signed_response_required;  /* the response file must be a verified .p7m */
  GPtrArray        *protocols;        /* of SpProtocolRecord: the internal register's, oldest
                                       * first, then the partners' entries in their order */
} SpPraticaDetail;

void              sp_iter_entry_free                   (SpIterEntry            *entry);
void              sp_document_info_free                (SpDocumentInfo         *info);
void              sp_document_info_to_json             (const SpDocumentInfo   *info,
                                                        JsonBuilder            *builder);
SpDocumentInfo   *sp_document_info_from_json           (JsonObject             *object) G_GNUC_WARN_UNUSED_RESULT;
SpPraticaDetail  *sp_pratica_detail_new                (void) G_GNUC_WARN_UNUSED_RESULT;
void              sp_pratica_detail_free               (SpPraticaDetail        *detail);
void              sp_pratica_detail_mark_main_protocol (SpPraticaDetail        *detail);
void              sp_pratica_detail_to_json            (SpPraticaDetail        *detail,
                                                        JsonBuilder            *builder);
char             *sp_pratica_detail_to_text            (SpPraticaDetail        *detail,
                                                        gsize                  *length) G_GNUC_WARN_UNUSED_RESULT;
SpPraticaDetail  *sp_pratica_detail_from_json          (JsonObject             *object,
                                                        GError                **error) G_GNUC_WARN_UNUSED_RESULT;
SpPraticaDetail  *sp_pratica_detail_from_json_text     (JsonObject             *object,
                                                        const char             *text,
                                                        gsize                   length,
                                                        GError                **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpDocumentInfo, sp_document_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpPraticaDetail, sp_pratica_detail_free)

G_END_DECLS
