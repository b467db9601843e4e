#pragma once

/* Raw HTTP/1.1 connections for the chaos tests: a client that behaves as
 * badly as the test wants (slow, silent, closing when it likes), from any
 * loopback address. */

#include <gio/gio.h>

G_BEGIN_DECLS

GIOStream   *sp_raw_connect          (const char   *url,
                                      const char   *ca_file,
                                      const char   *local_ip,
                                      gboolean      tls,
                                      guint         timeout_seconds,
                                      GError      **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean     sp_raw_send             (GIOStream    *stream,
                                      const char   *text,
                                      GError      **error);
int          sp_raw_poll_status      (GIOStream    *stream);
int          sp_raw_read_response    (GIOStream    *stream,
                                      char        **headers,
                                      GError      **error);
double       sp_raw_wait_closed      (GIOStream    *stream,
                                      double        max_seconds);
guint        sp_raw_count_fds        (int           pid);

G_END_DECLS
