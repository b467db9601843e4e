/* sp-db-admin-generate.c: set-based SQL that generates benchmark-scale data (generate_series, INSERT … SELECT) */
#define G_LOG_DOMAIN "sp-admin"

#include "config.h"

#include "sp-db-admin-private.h"
#include "sp-db-util.h"
#include "sp-error.h"

/* The parameters every step may use, by number:
 * $1 ente code, $2 pratiche, $3 servizi, $4 operators, $5 password hash,
 * $6 field schema, $7 protocol configuration, $8 first names, $9 surnames. */
enum { P_ENTE = 1, P_N, P_SERVIZI, P_OPERATORS, P_HASH, P_SCHEMA, P_PROTOCOL, P_NAMES, P_SURNAMES, N_PARAMS = P_SURNAMES };

/* A zero-padded counter that does not truncate past its width. */
#define PAD(expr, width) \
  "CASE WHEN (" expr ") < 1e" #width " THEN lpad ((" expr ")::text, " #width ", '0') ELSE (" expr ")::text END"

typedef struct _GenerateData GenerateData;

typedef gboolean (*StepFunc) (PGconn        *conn,
                              GenerateData  *generate,
                              GError       **error);

typedef struct
{
  const char *name;          /* NULL: silent */
  int         params[N_PARAMS + 1];   /* zero-terminated */
  gboolean    bulk_only;     /* only when generating many pratiche at once */
  const char *sql;
  StepFunc    func;          /* instead of sql: a step in C, which reports its own progress */
} Step;

static gboolean moduli_step (PGconn *conn, GenerateData *generate, GError **error);

static const Step steps[] = {
  { NULL, { 0 }, FALSE,
    "SELECT set_config ('synchronous_commit', 'off', true), set_config ('work_mem', '256MB', true),"
    "       set_config ('maintenance_work_mem', '512MB', true)" },

  { "ente", { P_ENTE, 0 }, FALSE,
    "INSERT INTO ente (code, name, place_name) VALUES ($1, 'Comune di prova ' || $1, 'Benchmark')"
    " ON CONFLICT (code) DO NOTHING" },

  { "servizi", { P_ENTE, P_SERVIZI, P_SCHEMA, P_PROTOCOL, 0 }, FALSE,
    "INSERT INTO servizio (ente_id, slug, name, description, protocol_required, protocol_provider,"
    "   protocol_config, deadline_days, field_schema)"
    " SELECT e.id, 'bench-' || " PAD ("g", 4) ","
    "   (ARRAY['Autorizzazione', 'Certificato', 'Contributo', 'Iscrizione', 'Permesso', 'Segnalazione',"
    "          'Concessione', 'Richiesta'])[1 + g % 8] || ' n. ' || g,"
    "   'Servizio generato per i benchmark', g % 4 <> 0, 'internal', $4::jsonb,"
    "   (ARRAY[30, 60, 90])[1 + g % 3], $3::jsonb"
    " FROM ente e, generate_series (1, $2::integer) AS g WHERE e.code = $1"
    " ON CONFLICT (ente_id, slug) DO NOTHING" },

  { NULL, { 0 }, FALSE,
    "CREATE TEMP TABLE gen_servizio (idx integer PRIMARY KEY, id bigint, prot boolean) ON COMMIT DROP" },
  { NULL, { P_ENTE, P_SERVIZI, 0 }, FALSE,
    "INSERT INTO gen_servizio"
    " SELECT substr (s.slug, 7)::integer - 1, s.id, s.protocol_required"
    " FROM servizio s JOIN ente e ON e.id = s.ente_id"
    " WHERE e.code = $1 AND s.slug ~ '^bench-[0-9]+$' AND substr (s.slug, 7)::integer <= $2::integer" },

  { "operators", { P_ENTE, P_OPERATORS, P_HASH, 0 }, FALSE,
    "INSERT INTO account (ente_id, username, full_name, email, role, password_hash)"
    " SELECT e.id, $1 || '.op' || " PAD ("g", 4) ", 'Operatore ' || " PAD ("g", 4) ","
    "   $1 || '.op' || g || '@example.org', 'operatore', $3"
    " FROM ente e, generate_series (1, $2::integer) AS g WHERE e.code = $1"
    " UNION ALL"
    " SELECT e.id, $1 || '.auditor', 'Auditor di prova', NULL, 'auditor', $3 FROM ente e WHERE e.code = $1"
    " ON CONFLICT (username) DO UPDATE SET password_hash = EXCLUDED.password_hash" },

  { NULL, { 0 }, FALSE,
    "CREATE TEMP TABLE gen_operator (idx integer PRIMARY KEY, id bigint, username text, full_name text)"
    " ON COMMIT DROP" },
  { NULL, { P_ENTE, P_OPERATORS, 0 }, FALSE,
    "INSERT INTO gen_operator"
    " SELECT substr (a.username, length ($1) + 4)::integer - 1, a.id, a.username, a.full_name"
    " FROM account a JOIN ente e ON e.id = a.ente_id"
    " WHERE e.code = $1 AND a.role = 'operatore' AND a.username ~ ('^' || $1 || '\\.op[0-9]+$')"
    "   AND substr (a.username, length ($1) + 4)::integer <= $2::integer" },

  /* Operators and servizi in up to 25 groups: each operator handles the
   * servizi of its group; the first one handles them all. */
  { "operator servizi", { P_SERVIZI, P_OPERATORS, 0 }, FALSE,
    "INSERT INTO account_servizio (account_id, servizio_id)"
    " SELECT o.id, s.id FROM gen_operator o JOIN gen_servizio s"
    "   ON o.idx = 0 OR o.idx % least (25, $1::integer, $2::integer) = s.idx % least (25, $1::integer, $2::integer)"
    " ON CONFLICT DO NOTHING" },

  { NULL, { 0 }, FALSE,
    "CREATE TEMP TABLE gen_citizen (idx integer PRIMARY KEY, cf text, nome text, cognome text, email text,"
    "                               id bigint) ON COMMIT DROP" },
  /* Codici fiscali in the right format, unique by construction (mixed radix over idx). */
  { NULL, { P_N, P_NAMES, P_SURNAMES, 0 }, FALSE,
    "INSERT INTO gen_citizen (idx, cf, nome, cognome, email)"
    " SELECT g,"
    "   rpad (upper (left (regexp_replace (x.cognome, '[^A-Za-z]', '', 'g'), 3)), 3, 'X')"
    "   || rpad (upper (left (regexp_replace (x.nome, '[^A-Za-z]', '', 'g'), 3)), 3, 'X')"
    "   || lpad ((g % 100)::text, 2, '0') || substr ('ABCDEHLMPRST', (1 + (g / 100) % 12)::integer, 1)"
    "   || lpad ((1 + (g / 1200) % 28)::text, 2, '0') || chr ((65 + (g / 33600) % 26)::integer)"
    "   || lpad (((g / 873600) % 1000)::text, 3, '0') || chr ((65 + g % 26)::integer),"
    "   x.nome, x.cognome,"
    "   lower (regexp_replace (x.nome || '.' || x.cognome, '[^A-Za-z.]', '', 'g')) || g || '@example.com'"
    " FROM generate_series (0, greatest (1, least ($1::bigint, 1000 + $1::bigint / 4)) - 1) AS g,"
    "   LATERAL (SELECT n.names[1 + (g * 7) % array_length (n.names, 1)] AS nome,"
    "                   n.surnames[1 + (g * 13) % array_length (n.surnames, 1)] AS cognome"
    "            FROM (SELECT ARRAY (SELECT jsonb_array_elements_text ($2::jsonb)) AS names,"
    "                         ARRAY (SELECT jsonb_array_elements_text ($3::jsonb)) AS surnames) n) x" },
  { "citizens", { 0 }, FALSE,
    "INSERT INTO citizen (codice_fiscale, nome, cognome, email)"
    " SELECT cf, nome, cognome, email FROM gen_citizen ORDER BY idx ON CONFLICT (codice_fiscale) DO NOTHING" },
  { NULL, { 0 }, FALSE,
    "UPDATE gen_citizen g SET id = c.id FROM citizen c WHERE c.codice_fiscale = g.cf" },

  /* Every pratica's values, drawn once, so that the pratica, its iter and its
   * versions agree. Open pratiche are recent, concluded ones spread over a year. */
  { NULL, { 0 }, FALSE,
    "CREATE TEMP TABLE gen_pratica ("
    "  i bigint, id uuid, servizio_id bigint, prot boolean, status integer, charged boolean,"
    "  registered boolean, submitted_at timestamptz, t_reg timestamptz, t_charge timestamptz,"
    "  t_end timestamptz, op_id bigint, op_username text, op_name text, citizen_id bigint, cf text,"
    "  nome text, cognome text, email text, numero text, protocol_number text, register_number integer,"
    "  data text) ON COMMIT DROP" },
  { "draw pratiche", { P_N, P_SERVIZI, P_OPERATORS, P_ENTE, 0 }, FALSE,
    "WITH base AS ("
    "   SELECT g AS i, random () AS r1, random () AS r2, random () AS r3, random () AS r4, random () AS r5,"
    "          random () AS r6, random () AS r7, random () AS r8"
    "   FROM generate_series (1, $1::bigint) AS g),"
    " shaped AS ("
    "   SELECT b.*, s.id AS servizio_id, s.idx AS s_idx, s.prot,"
    "     CASE WHEN b.r2 < .05 THEN 2000 WHEN b.r2 < .09 THEN 3000 WHEN b.r2 < .21 THEN 4000"
    "          WHEN b.r2 < .26 THEN 4100 WHEN b.r2 < .30 THEN 4500 WHEN b.r2 < .38 THEN 5000"
    "          WHEN b.r2 < .40 THEN 6000 WHEN b.r2 < .70 THEN 7000 WHEN b.r2 < .72 THEN 8000"
    "          WHEN b.r2 < .93 THEN 9000 ELSE 20000 END AS drawn"
    "   FROM base b JOIN gen_servizio s ON s.idx = least (floor (power (b.r1, 1.5) * $2::integer)::integer,"
    "                                                    $2::integer - 1)),"
    " statused AS ("
    "   SELECT x.*, CASE WHEN x.prot THEN x.drawn WHEN x.drawn = 3000 THEN 2000"
    "                    WHEN x.drawn = 6000 THEN 7000 WHEN x.drawn = 8000 THEN 9000 ELSE x.drawn END AS status"
    "   FROM shaped x),"
    " flagged AS ("
    "   SELECT x.*, x.status BETWEEN 4000 AND 9000 OR (x.status = 20000 AND x.r4 < .4) AS charged,"
    "     x.prot AND ((x.status >= 3000 AND x.status < 20000) OR (x.status = 20000 AND x.r4 < .8)) AS registered,"
    "     date_trunc ('second', now () - interval '30 minutes' - interval '1 day' *"
    "       CASE WHEN x.status >= 6000 THEN 10 + x.r3 * 355"
    "            WHEN x.status >= 4000 THEN 2 + power (x.r3, 2) * 58"
    "            ELSE power (x.r3, 2) * 5 END) AS submitted_at"
    "   FROM statused x),"
    " timed AS ("
    "   SELECT x.*, t.t_reg, t.t_charge,"
    "     CASE WHEN x.status NOT IN (2000, 3000, 4000) THEN least (date_trunc ('second',"
    "       coalesce (t.t_charge, t.t_reg, x.submitted_at) + interval '1 day' * (2 + x.r6 * 28)),"
    "       date_trunc ('second', now () - interval '1 minute')) END AS t_end"
    "   FROM flagged x,"
    "   LATERAL (SELECT CASE WHEN x.registered THEN date_trunc ('second', x.submitted_at + interval '1 minute' * (1 + x.r5 * 19)) END AS t_reg) r,"
    "   LATERAL (SELECT r.t_reg, CASE WHEN x.charged THEN least (date_trunc ('second',"
    "       coalesce (r.t_reg, x.submitted_at) + interval '1 day' * (1 + x.r5 * 7)),"
    "       date_trunc ('second', now () - interval '2 minutes')) END AS t_charge) t),"
    /* numbers in submission order per year, protocol numbers in registration
     * order per year (gapless), both after those the ente already has */
    " numbered AS ("
    "   SELECT x.*,"
    "     extract (year FROM x.submitted_at)::integer AS year,"
    "     coalesce (k.last, 0) + row_number () OVER (PARTITION BY extract (year FROM x.submitted_at)"
    "                                                ORDER BY x.submitted_at, x.i) AS number,"
    "     CASE WHEN x.registered THEN coalesce (r.last, 0) + row_number () OVER ("
    "       PARTITION BY x.registered, extract (year FROM x.t_reg) ORDER BY x.t_reg, x.i) END AS register_number"
    "   FROM timed x"
    "   LEFT JOIN pratica_counter k ON k.ente_id = (SELECT id FROM ente WHERE code = $4)"
    "     AND k.year = extract (year FROM x.submitted_at)"
    "   LEFT JOIN (SELECT year, max (number) AS last FROM protocol_register"
    "              WHERE ente_id = (SELECT id FROM ente WHERE code = $4) GROUP BY year) r"
    "     ON r.year = extract (year FROM x.t_reg))"
    " INSERT INTO gen_pratica (i, id, servizio_id, prot, status, charged, registered, submitted_at, t_reg,"
    "   t_charge, t_end, op_id, op_username, op_name, citizen_id, cf, nome, cognome, email, numero,"
    "   register_number, protocol_number, data)"
    " SELECT x.i, gen_random_uuid () AS id, x.servizio_id, x.prot, x.status, x.charged, x.registered, x.submitted_at,"
    "   x.t_reg, x.t_charge, x.t_end, o.id, o.username, o.full_name, c.id, c.cf, c.nome, c.cognome, c.email,"
    "   x.year || '-' || " PAD ("x.number", 6) ", x.register_number,"
    "   extract (year FROM x.t_reg) || '/' || " PAD ("x.register_number", 7) ","
    /* the form data as JSON text */
    "   '{\"data_evento\":' || to_json ((x.submitted_at - interval '1 day' * floor (x.r4 * 60))::date)::text"
    "   || ',\"importo\":' || floor (x.r5 * 5000)::integer"
    "   || CASE WHEN x.i % 3 = 0 THEN ',\"note\":\"Richiesta urgente\"' ELSE '' END"
    "   || ',\"oggetto\":' || to_json ((ARRAY['Richiesta di autorizzazione', 'Domanda di contributo',"
    "        'Istanza di rilascio', 'Segnalazione certificata', 'Richiesta di accesso agli atti'])[1 + x.i % 5]"
    "        || ' ' || x.i)::text"
    "   || ',\"richiedente\":{\"codice_fiscale\":' || to_json (c.cf)::text || ',\"cognome\":'"
    "   || to_json (c.cognome)::text || ',\"nome\":' || to_json (c.nome)::text || '}}'"
    " FROM numbered x"
    " JOIN gen_citizen c ON c.idx = floor (x.r8 * (SELECT count (*) FROM gen_citizen))::integer"
    " LEFT JOIN gen_operator o ON x.charged AND o.idx = (x.s_idx % least (25, $2::integer, $3::integer))"
    "   + least (25, $2::integer, $3::integer) * floor (x.r7 * (($3::integer - 1"
    "       - x.s_idx % least (25, $2::integer, $3::integer)) / least (25, $2::integer, $3::integer) + 1))::integer"
    /* stored in id order, so that the indexes on pratica ids grow at their end */
    " ORDER BY 2" },

  /* All the bulk tables at once, so that a server working meanwhile waits
   * rather than deadlocks with the steps below. */
  { NULL, { 0 }, TRUE,
    "LOCK TABLE pratica, iter, version, protocol_register IN ACCESS EXCLUSIVE MODE" },
  /* Building the secondary indexes once is much faster than updating them a
   * million times; the transaction puts them back even if a step fails. */
  { NULL, { 0 }, TRUE,
    "CREATE TEMP TABLE gen_index ON COMMIT DROP AS"
    " SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef (i.indexrelid) AS definition"
    " FROM pg_index i"
    " WHERE i.indrelid IN ('pratica'::regclass, 'iter'::regclass, 'protocol_register'::regclass)"
    "   AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)" },
  { "drop secondary indexes", { 0 }, TRUE,
    "DO $$ DECLARE r record; BEGIN"
    "  FOR r IN SELECT name FROM gen_index LOOP EXECUTE 'DROP INDEX ' || r.name; END LOOP;"
    " END $$" },
  /* Likewise foreign keys: one check of the whole table instead of a
   * million row triggers. Adding them back validates every row. */
  { NULL, { 0 }, TRUE,
    "CREATE TEMP TABLE gen_foreign_key ON COMMIT DROP AS"
    " SELECT c.conrelid::regclass::text AS tbl, c.conname AS name, pg_get_constraintdef (c.oid) AS definition"
    " FROM pg_constraint c"
    " WHERE c.contype = 'f' AND c.conrelid IN ('pratica'::regclass, 'iter'::regclass, 'version'::regclass,"
    "                                        'protocol_register'::regclass)" },
  { "drop foreign keys", { 0 }, TRUE,
    "DO $$ DECLARE r record; BEGIN"
    "  FOR r IN SELECT tbl, name FROM gen_foreign_key LOOP"
    "    EXECUTE format ('ALTER TABLE %s DROP CONSTRAINT %I', r.tbl, r.name);"
    "  END LOOP;"
    " END $$" },

  { "pratiche", { P_ENTE, 0 }, FALSE,
    "INSERT INTO pratica (id, ente_id, servizio_id, numero, citizen_id, applicant_cf, applicant_nome,"
    "   applicant_cognome, applicant_email, data, status, assigned_to, submitted_at, updated_at,"
    "   protocol_number, protocol_date, outcome, motivation, concluded_at, taken_at)"
    " SELECT p.id, (SELECT id FROM ente WHERE code = $1), p.servizio_id, p.numero, p.citizen_id, p.cf,"
    "   p.nome, p.cognome, p.email, p.data::jsonb, p.status, p.op_id, p.submitted_at,"
    "   coalesce (p.t_end, p.t_charge, p.t_reg, p.submitted_at), p.protocol_number, p.t_reg,"
    "   CASE WHEN p.status IN (6000, 7000) THEN 'accepted' WHEN p.status IN (8000, 9000) THEN 'rejected' END,"
    "   CASE WHEN p.status IN (6000, 7000) THEN 'Istruttoria conclusa con esito positivo.'"
    "        WHEN p.status IN (8000, 9000) THEN 'Requisiti non soddisfatti.' END,"
    "   CASE WHEN p.status >= 6000 THEN p.t_end END, CASE WHEN p.charged THEN p.t_charge END"
    " FROM gen_pratica p" },

  { "protocol register", { P_ENTE, 0 }, FALSE,
    "INSERT INTO protocol_register (ente_id, year, number, direction, registered_at, pratica_id)"
    " SELECT (SELECT id FROM ente WHERE code = $1), extract (year FROM p.t_reg)::integer, p.register_number,"
    "   'arrivo', p.t_reg, p.id"
    " FROM gen_pratica p WHERE p.register_number IS NOT NULL" },

  { "counters", { P_ENTE, 0 }, FALSE,
    "INSERT INTO pratica_counter (ente_id, year, last)"
    " SELECT (SELECT id FROM ente WHERE code = $1), split_part (numero, '-', 1)::integer,"
    "   max (split_part (numero, '-', 2)::integer)"
    " FROM gen_pratica GROUP BY 2"
    " ON CONFLICT (ente_id, year) DO UPDATE SET last = greatest (pratica_counter.last, EXCLUDED.last)" },

  /* Submission, protocol, taking charge, the integration request of a 4500,
   * the operator's outcome before its registration, and the current status. */
  { "iter", { 0 }, FALSE,
    "INSERT INTO iter (pratica_id, status, previous_status, at, actor_kind, actor_account_id, actor_name, note)"
    " SELECT p.id, v.status, v.previous, v.at, v.kind, CASE WHEN v.kind = 'operator' THEN p.op_id END,"
    "   CASE v.kind WHEN 'operator' THEN p.op_name WHEN 'citizen' THEN p.nome || ' ' || p.cognome"
    "               ELSE 'Protocollo informatico' END, v.note"
    " FROM gen_pratica p, LATERAL (VALUES"
    "   (2000, NULL::integer, p.submitted_at, 'citizen', 'Domanda presentata online'),"
    "   (3000, 2000, p.t_reg, 'system', 'Protocollata in arrivo: n. ' || p.protocol_number),"
    "   (4000, CASE WHEN p.registered THEN 3000 ELSE 2000 END, p.t_charge, 'operator', NULL),"
    "   (CASE WHEN p.status = 4500 THEN 4100 END, 4000,"
    "    p.t_charge + (p.t_end - p.t_charge) / 2, 'operator', 'Integrare la documentazione'),"
    "   (CASE WHEN p.prot AND p.status IN (7000, 9000) THEN p.status - 1000 END,"
    "    4000, p.t_end - least (interval '15 minutes', (p.t_end - p.t_charge) / 2), 'operator', NULL),"
    "   (CASE WHEN p.status NOT IN (2000, 3000, 4000) THEN p.status END,"
    "    CASE WHEN p.prot AND p.status IN (7000, 9000) THEN p.status - 1000 WHEN p.status = 4500 THEN 4100"
    "         WHEN p.charged THEN 4000 WHEN p.registered THEN 3000 ELSE 2000 END,"
    "    p.t_end,"
    "    CASE WHEN p.status = 20000 OR (p.status = 4500 AND NOT p.prot) THEN 'citizen'"
    "         WHEN p.prot AND p.status IN (4500, 7000, 9000) THEN 'system' ELSE 'operator' END,"
    "    CASE WHEN p.status = 20000 THEN 'Ritirata su richiesta del cittadino' END)"
    "   ) AS v (status, previous, at, kind, note)"
    " WHERE v.status IS NOT NULL AND v.at IS NOT NULL" },

  /* The moduli of the most recently submitted pratiche, rendered in C
   * (sp-db-admin-generate-moduli.c); then each one's document list. */
  { NULL, { 0 }, FALSE, NULL, moduli_step },
  { NULL, { 0 }, FALSE,
    "CREATE TEMP TABLE gen_document_list ON COMMIT DROP AS"
    " SELECT id AS pratica_id, version_documents (id) AS list FROM gen_moduli" },

  /* Version 1 (the submission) and, past it, one for the current state,
   * made and chained by the database's one definition (version_snapshot(),
   * version_link()), as the server's are; the modulo, made at submission,
   * is in both. */
  { "versions", { 0 }, FALSE,
    "INSERT INTO version (pratica_id, number, operation, status, actor_account_id, actor_name, actor_role,"
    "   created_at, note, snapshot, previous_hash, hash)"
    " SELECT p.id, v.number, v.operation, v.status, v.account, v.name, v.role, v.at, NULL,"
    "   v.snapshot, v.previous, version_link (v.previous, v.snapshot)"
    " FROM gen_pratica p LEFT JOIN gen_document_list dl ON dl.pratica_id = p.id,"
    " LATERAL (SELECT version_snapshot (p.data::jsonb, 2000, NULL, NULL, NULL, NULL, NULL, NULL, dl.list)::json AS first) f,"
    " LATERAL (SELECT version_link (NULL, f.first) AS first_hash,"
    "   CASE WHEN p.status = 20000 OR (p.status = 4500 AND NOT p.prot) THEN 'cittadino'"
    "        WHEN p.status = 3000 OR (p.prot AND p.status IN (4500, 7000, 9000)) THEN 'sistema'"
    "        ELSE 'operatore' END AS role,"
    "   CASE WHEN p.status IN (6000, 7000) THEN 'accepted' WHEN p.status IN (8000, 9000) THEN 'rejected' END AS outcome,"
    "   CASE WHEN p.status IN (6000, 7000) THEN 'Istruttoria conclusa con esito positivo.'"
    "        WHEN p.status IN (8000, 9000) THEN 'Requisiti non soddisfatti.' END AS motivation) h,"
    " LATERAL (VALUES"
    "   (1, 'Invio', 2000, NULL::bigint, p.nome || ' ' || p.cognome, 'cittadino', p.submitted_at, f.first, NULL),"
    "   (2, CASE p.status WHEN 3000 THEN 'Protocollazione' WHEN 4000 THEN 'Presa in carico'"
    "          WHEN 4100 THEN 'Richiesta integrazioni' WHEN 4500 THEN 'Protocollazione integrazioni'"
    "          WHEN 5000 THEN 'Avvio elaborazione' WHEN 20000 THEN 'Ritiro'"
    "          ELSE CASE WHEN p.prot AND p.status IN (7000, 9000) THEN 'Protocollazione esito'"
    "                    ELSE 'Conclusione' END END,"
    "    p.status, CASE WHEN h.role = 'operatore' THEN p.op_id END,"
    "    CASE h.role WHEN 'operatore' THEN p.op_name WHEN 'cittadino' THEN p.nome || ' ' || p.cognome"
    "                ELSE 'Protocollo informatico' END,"
    "    h.role, coalesce (p.t_end, p.t_charge, p.t_reg),"
    "    version_snapshot (p.data::jsonb, p.status, p.op_username, p.protocol_number, p.t_reg, NULL,"
    "                      h.outcome, h.motivation, dl.list)::json,"
    "    h.first_hash)"
    "   ) AS v (number, operation, status, account, name, role, at, snapshot, previous)"
    " WHERE v.number = 1 OR p.status <> 2000" },

  { "check foreign keys", { 0 }, TRUE,
    "DO $$ DECLARE r record; BEGIN"
    "  FOR r IN SELECT tbl, name, definition FROM gen_foreign_key LOOP"
    "    EXECUTE format ('ALTER TABLE %s ADD CONSTRAINT %I %s', r.tbl, r.name, r.definition);"
    "  END LOOP;"
    " END $$" },
  { "rebuild secondary indexes", { 0 }, TRUE,
    "DO $$ DECLARE r record; BEGIN"
    "  FOR r IN SELECT definition FROM gen_index LOOP EXECUTE r.definition; END LOOP;"
    " END $$" },
};

/* Statistics for the planner, and the visibility map that lets the
 * dashboard's searches read their indexes alone (index-only scans). */
static const char * const analyze =
  "VACUUM (ANALYZE) ente, servizio, account, account_servizio, citizen, pratica, pratica_count, pratica_word, pratica_counter,"
  " iter, version, protocol_register, document";

struct _GenerateData
{
  const SpAdminGenerateParams *params;
  SpAdminGenerateStats        *stats;
  SpAdminProgressFunc          progress;
  gpointer                     user_data;
};

static gboolean
moduli_step (PGconn        *conn,
             GenerateData  *generate,
             GError       **error)
{
  gint64 start = g_get_monotonic_time ();
  g_autofree char *name = NULL;

  if (!sp_db_admin_generate_moduli (conn, generate->params->n_moduli, generate->stats, error))
    {
      g_prefix_error (error, "moduli: ");
      return FALSE;
    }
  if (generate->params->n_moduli == 0)
    name = g_strdup ("moduli (none: --moduli 0)");
  else
    name = g_strdup_printf ("moduli (%u threads, %.1f MB)", generate->stats->n_threads,
                            generate->stats->moduli_bytes / 1e6);
  if (generate->progress != NULL)
    generate->progress (name, (gint64) generate->stats->n_moduli, (g_get_monotonic_time () - start) / 1e6,
                        generate->user_data);
  return TRUE;
}

static gboolean
run_step (PGconn             *conn,
          const Step         *step,
          const char * const *all,
          GenerateData       *generate,
          GError            **error)
{
  const char *values[N_PARAMS];
  gint64 start = g_get_monotonic_time ();
  g_autoptr(PGresult) result = NULL;
  int n = 0;

  if (step->func != NULL)
    return step->func (conn, generate, error);
  while (step->params[n] != 0)
    {
      values[n] = all[step->params[n] - 1];
      n++;
    }
  if (!(result = sp_db_exec (conn, step->sql, n, values, error)))
    {
      g_prefix_error (error, "%s: ", step->name != NULL ? step->name : "preparing");
      return FALSE;
    }
  if (step->name != NULL && generate->progress != NULL)
    generate->progress (step->name, *PQcmdTuples (result) != '\0' ? g_ascii_strtoll (PQcmdTuples (result), NULL, 10) : -1,
                        (g_get_monotonic_time () - start) / 1e6, generate->user_data);
  return TRUE;
}

static gboolean
generate_tx (PGconn   *conn,
             gpointer  data,
             GError  **error)
{
  GenerateData *generate = data;
  const SpAdminGenerateParams *params = generate->params;
  g_autofree char *n = g_strdup_printf ("%" G_GUINT64_FORMAT, params->n_pratiche);
  g_autofree char *servizi = g_strdup_printf ("%u", params->n_servizi);
  g_autofree char *operators = g_strdup_printf ("%u", params->n_operators);
  const char * const all[N_PARAMS] = { params->ente_code, n, servizi, operators, params->password_hash,
                                       params->field_schema, params->protocol_config, params->first_names,
                                       params->surnames };
  gboolean bulk = params->n_pratiche >= 100000;

  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    if ((bulk || !steps[i].bulk_only) && !run_step (conn, &steps[i], all, generate, error))
      return FALSE;
  return TRUE;
}

static gpointer
generate_cb (PGconn   *conn,
             gpointer  data,
             GError  **error)
{
  GenerateData *generate = data;
  gint64 start;

  if (!sp_db_admin_transaction (conn, generate_tx, data, error))
    return NULL;

  start = g_get_monotonic_time ();
  if (!sp_db_command (conn, analyze, 0, NULL, error))
    return NULL;
  if (generate->progress != NULL)
    generate->progress ("vacuum and analyze", -1, (g_get_monotonic_time () - start) / 1e6, generate->user_data);
  return GINT_TO_POINTER (TRUE);
}

/**
 * sp_db_admin_generate:
 *
 * Generates the data in one transaction, then vacuums and analyzes the tables. Run it
 * while the servers are idle: it locks the pratiche while it writes, the
 * moduli's rendering included.
 */
gboolean
sp_db_admin_generate (SpDb                         *db,
                      const SpAdminGenerateParams  *params,
                      SpAdminGenerateStats         *stats,
                      SpAdminProgressFunc           progress,
                      gpointer                      user_data,
                      GError                      **error)
{
  GenerateData data = { params, stats, progress, user_data };

  *stats = (SpAdminGenerateStats) { 0 };
  return sp_db_run_sync (db, generate_cb, &data, error) != NULL;
}
