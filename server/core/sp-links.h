#pragma once

/* Signed, expiring links to a document for the citizen (DESIGN.md §6): no
 * account, the HMAC-SHA256 of the document and the expiry under the server's
 * secret. Every server process sharing a database reads the same secret. */

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SpLinks SpLinks;

/**
 * SpLinkCheck:
 * @SP_LINK_OK: signed by this server's secret and not expired
 * @SP_LINK_INVALID: malformed or altered: not a link this server signed
 * @SP_LINK_EXPIRED: signed, but past its expiry
 */
typedef enum
{
  SP_LINK_OK,
  SP_LINK_INVALID,
  SP_LINK_EXPIRED,
} SpLinkCheck;

SpLinks     *sp_links_new          (const char   *secret_file,
                                    const char   *base_url,
                                    int           lifetime_days,
                                    GError      **error) G_GNUC_WARN_UNUSED_RESULT;
void         sp_links_free         (SpLinks      *self);
int          sp_links_get_lifetime_days (SpLinks      *self);
char        *sp_links_sign         (SpLinks      *self,
                                    const char   *document_id,
                                    gint64        expires_unix) G_GNUC_WARN_UNUSED_RESULT;
char        *sp_links_url          (SpLinks      *self,
                                    const char   *document_id,
                                    gint64        expires_unix) G_GNUC_WARN_UNUSED_RESULT;
SpLinkCheck  sp_links_verify       (SpLinks      *self,
                                    const char   *token,
                                    gint64        now_unix,
                                    char        **document_id,
                                    gint64       *expires_unix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpLinks, sp_links_free)

G_END_DECLS
