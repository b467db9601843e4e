#pragma once

/* The paths of the HTTP API, shared by the server's router and the client. */

#define SP_API_PREFIX               "/api/v1.0"
#define SP_API_HEALTH               SP_API_PREFIX "/health"
#define SP_API_OPENAPI              SP_API_PREFIX "/openapi.json"
#define SP_API_LOGIN                SP_API_PREFIX "/auth/login"
#define SP_API_LOGOUT               SP_API_PREFIX "/auth/logout"
#define SP_API_ME                   SP_API_PREFIX "/auth/me"
#define SP_API_PROTOCOL_CONFIG      SP_API_PREFIX "/operator/protocol-config"
#define SP_API_PRATICHE             SP_API_PREFIX "/operator/pratiche"
#define SP_API_METRICS_SUMMARY      SP_API_PREFIX "/operator/metrics/summary"
#define SP_API_METRICS_PRATICHE     SP_API_PREFIX "/operator/metrics/pratiche"
#define SP_API_METRICS_PROCESSING   SP_API_PREFIX "/operator/metrics/processing"
/* For the operations staff's Prometheus, outside the API as the convention has it. */
#define SP_API_PROMETHEUS           "/metrics"
#define SP_API_PRATICA              SP_API_PRATICHE "/{pratica}"
#define SP_API_PRATICA_TAKE_CHARGE  SP_API_PRATICA "/take-charge"
#define SP_API_PRATICA_DOCUMENTS    SP_API_PRATICA "/documents"
#define SP_API_PRATICA_DOCUMENT     SP_API_PRATICA_DOCUMENTS "/{document}"
#define SP_API_PRATICA_PROCESSING   SP_API_PRATICA "/processing"
#define SP_API_PRATICA_CONCLUDE     SP_API_PRATICA "/conclude"
/* The partner API, paths exactly as the manual writes them. */
#define SP_API_AUDIT_PRATICHE       SP_API_PREFIX "/audit/pratiche"
#define SP_API_AUDIT_VERSIONS       SP_API_AUDIT_PRATICHE "/{pratica}/versions"
#define SP_API_AUDIT_COMPARE        SP_API_AUDIT_PRATICHE "/{pratica}/compare"
#define SP_API_AUDIT_READS          SP_API_AUDIT_PRATICHE "/{pratica}/reads"
#define SP_API_AUDIT_CHAIN          SP_API_AUDIT_PRATICHE "/{pratica}/chain"
#define SP_API_PARTNER_SERVICES     SP_API_PREFIX "/services"
#define SP_API_PARTNER_CREATE       SP_API_PREFIX "/{partner}/pratica/offline/create"
#define SP_API_PARTNER_STATUS       SP_API_PREFIX "/{partner}/pratica/{pratica}/status"
#define SP_API_PARTNER_PROTOCOLLI   SP_API_PREFIX "/{partner}/pratica/{pratica}/protocolli"
#define SP_API_SCHEDA_INFORMATIVA   SP_API_PREFIX "/schedaInformativa/{servizio}/{ente}"
#define SP_API_SERVIZIO_TEXTS       SP_API_PREFIX "/servizioTexts/{servizio}/{ente}/{step}"
/* The citizens' signed download links, outside the API: short in an e-mail. */
#define SP_API_LINK_PREFIX          "/d/"
#define SP_API_LINK                 SP_API_LINK_PREFIX "{token}"

#define SP_API_MAX_JSON_BODY        (1024 * 1024)
#define SP_API_MAX_UPLOAD_BODY      (25 * 1024 * 1024)
