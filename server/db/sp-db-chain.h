#pragma once

/* The versions' hash chains (DESIGN.md §3), checked link by link in the
 * database: the one definition that sportello-admin verify-versions and the
 * audit's check of one pratica (GET …/audit/pratiche/{pratica}/chain) share. */

#include <libpq-fe.h>
#include <glib.h>

G_BEGIN_DECLS

/**
 * SpChainBreak:
 * @SP_CHAIN_BREAK_GAP: a version is missing before it
 * @SP_CHAIN_BREAK_PREVIOUS_HASH: its previous hash is not the hash of the version before
 * @SP_CHAIN_BREAK_HASH: its hash is not that of its snapshot and the previous hash
 */
typedef enum
{
  SP_CHAIN_BREAK_NONE,
  SP_CHAIN_BREAK_GAP,
  SP_CHAIN_BREAK_PREVIOUS_HASH,
  SP_CHAIN_BREAK_HASH,
} SpChainBreak;

/**
 * SpChainReport:
 * @n_pratiche, @n_versions: how many were checked
 * @pratica_id: (nullable): the pratica of the first broken link; %NULL when every link holds
 * @numero: (nullable): its number (2026-000123); %NULL if the pratica is gone
 * @number: the version whose link is broken
 * @kind: how it is broken
 * @problem: what is wrong with it, in words
 * @stored_hash, @expected_hash: the hash it has, and the one the chain gives it
 */
typedef struct
{
  guint64  n_pratiche;
  guint64  n_versions;
  char    *pratica_id;
  char    *numero;
  int           number;
  SpChainBreak  kind;
  char         *problem;
  char    *stored_hash;
  char    *expected_hash;
} SpChainReport;

const char *sp_chain_break_get_name (SpChainBreak    kind);
void      sp_chain_report_clear (SpChainReport  *report);
void      sp_chain_report_free  (SpChainReport  *report);
gboolean  sp_db_chain_walk      (PGconn         *conn,
                                 const char     *pratica_id,
                                 SpChainReport  *report,
                                 GError        **error);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SpChainReport, sp_chain_report_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SpChainReport, sp_chain_report_free)

G_END_DECLS
