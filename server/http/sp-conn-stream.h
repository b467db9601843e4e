#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SP_TYPE_CONN_STREAM (sp_conn_stream_get_type ())

G_DECLARE_FINAL_TYPE (SpConnStream, sp_conn_stream, SP, CONN_STREAM, GIOStream)

/**
 * SpConnStreamClosedFunc:
 *
 * Called once, when the stream is closed (by libsoup or by the listener).
 */
typedef void (*SpConnStreamClosedFunc) (SpConnStream *stream,
                                        gpointer      user_data);

SpConnStream *sp_conn_stream_new            (GTlsConnection         *tls,
                                             GSocket                *socket,
                                             SpConnStreamClosedFunc  closed,
                                             gpointer                user_data) G_GNUC_WARN_UNUSED_RESULT;
void          sp_conn_stream_set_idle       (SpConnStream           *self,
                                             gboolean                idle);
gint64        sp_conn_stream_get_last_read  (SpConnStream           *self);
void          sp_conn_stream_end            (SpConnStream           *self);
void          sp_conn_stream_abort          (SpConnStream           *self);

G_END_DECLS
