/* mx_error: what a homeserver's refusal means, judged in one place by its
 * errcode (the spec's word), with the HTTP status as the fallback when the
 * body carries none (a proxy's HTML page, an old server). Callers act on
 * the kind, never on a bare status: Synapse and Dendrite answer the same
 * refusal differently (an unknown filter id: Synapse 400 M_INVALID_PARAM,
 * others 404 M_NOT_FOUND, Dendrite 200 unfiltered; a foreign sync token:
 * Synapse 400 M_UNKNOWN, others M_INVALID_PARAM). */
#ifndef WT_MX_ERROR_H
#define WT_MX_ERROR_H

#include <jansson.h>

enum mx_err {
	MX_ERR_NONE = 0,       /* 2xx */
	MX_ERR_UNKNOWN_TOKEN,  /* M_UNKNOWN_TOKEN, M_MISSING_TOKEN; 401 */
	MX_ERR_FORBIDDEN,      /* M_FORBIDDEN; 403 */
	MX_ERR_NOT_FOUND,      /* M_NOT_FOUND; 404 */
	MX_ERR_BAD_PARAM,      /* M_INVALID_PARAM, M_BAD_JSON, M_NOT_JSON,
				* M_MISSING_PARAM; a 400 without errcode */
	MX_ERR_UNKNOWN,        /* M_UNKNOWN: the server says no more */
	MX_ERR_UNRECOGNIZED,   /* M_UNRECOGNIZED; 405: endpoint not served */
	MX_ERR_LIMIT,          /* M_LIMIT_EXCEEDED; 429 */
	MX_ERR_TRANSIENT,      /* no answer (status 0), 5xx */
	MX_ERR_OTHER,          /* any other errcode or 4xx */
};

/* The kind of an answer: status and body (NULL when not JSON). */
enum mx_err mx_error_kind(long status, json_t *body);

/* Short English name of a kind, for log lines ("not found"). */
const char *mx_error_name(enum mx_err kind);

/* How a /sync refusal is read (bot/sync_loop.c): the filter id, the since
 * token, or neither. */
enum mx_sync_refusal {
	MX_SYNC_RETRY = 0,     /* transient or unexplained: try again later */
	MX_SYNC_FILTER,        /* may be the filter id: send the filter inline */
	MX_SYNC_SINCE,         /* may be the since token: probe without it */
};

/* A /sync refusal: with_filter_id when the request named a registered
 * filter, with_since when it carried a since token. */
enum mx_sync_refusal mx_sync_refusal(long status, json_t *body,
				     int with_filter_id, int with_since);

#endif
