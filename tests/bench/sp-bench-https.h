#pragma once

/* What the HTTPS benchmarks share: a bare libsoup "hello" server to measure
 * against in the same run, and keep-alive connections driving one target. */

#include <libsoup/soup.h>

#include "sp-test-env.h"

G_BEGIN_DECLS

#define SP_BENCH_WARMUP_S 1

/* A bare libsoup 3 HTTPS server answering "hello", on a thread and main
 * context of its own, as single-threaded as sportello-server. */
typedef struct
{
  GTlsCertificate *certificate;
  GMainContext    *context;
  GMainLoop       *loop;
  GAsyncQueue     *ready;
  GThread         *thread;
  char            *url;
} SpBenchHello;

/**
 * SpBenchTarget:
 * @url: the URL; with @per_connection, a format with one %u, the connection's index
 * @method: (nullable): GET when %NULL
 * @body: (nullable): a JSON body to send
 * @authorization: (nullable): the Authorization header
 *
 * One target: what each connection asks, and the samples of all of them.
 */
typedef struct
{
  const char   *name;
  char         *url;
  gboolean      per_connection;
  const char   *method;
  const char   *body;
  guint         expected_status;   /* 0: 200 */
  char         *authorization;
  const char   *ca_file;
  gint64        warm_until;
  gint64        deadline;
  GMutex        lock;
  GMutex        connect_lock;  /* held by a connection's first request */
  guint         next_index;
  GArray       *samples;      /* milliseconds */
  guint         measured_seconds;
  guint         errors;
  char         *first_error;
} SpBenchTarget;

guint        sp_bench_env_uint      (const char     *name,
                                     guint           fallback);
void         sp_bench_hello_start   (SpBenchHello   *hello,
                                     SpTestEnv      *env);
void         sp_bench_hello_stop    (SpBenchHello   *hello);
double       sp_bench_run_target    (SpBenchTarget  *target,
                                     guint           connections,
                                     guint           seconds);
void         sp_bench_sort_samples  (GArray         *samples);
double       sp_bench_percentile    (GArray         *samples,
                                     double          p);
void         sp_bench_target_clear  (SpBenchTarget  *target);

G_END_DECLS
