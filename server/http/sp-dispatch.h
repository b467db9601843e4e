#pragma once

#include <libsoup/soup.h>

#include "sp-server.h"

G_BEGIN_DECLS

void         sp_dispatch_headers   (SpServer           *self,
                                    SoupServerMessage  *msg,
                                    const char         *path,
                                    GHashTable         *query);
void         sp_dispatch           (SpServer           *self,
                                    SoupServerMessage  *msg,
                                    const char         *path,
                                    GHashTable         *query);

G_END_DECLS
