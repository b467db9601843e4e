#pragma once

/* Cancels a request's work when its client goes away. */

#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct _SpClientWatch SpClientWatch;

SpClientWatch *sp_client_watch_new  (SoupServerMessage *msg,
                                     GSocket           *socket,
                                     GCancellable      *cancellable) G_GNUC_WARN_UNUSED_RESULT;
void           sp_client_watch_free (SpClientWatch     *watch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpClientWatch, sp_client_watch_free)

G_END_DECLS
