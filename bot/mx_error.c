/* What a homeserver's refusal means; see bot/mx_error.h. */
#include "bot/mx_error.h"

#include <string.h>

#include "bot/json_in.h"

static const struct {
	const char *errcode;
	enum mx_err kind;
} by_errcode[] = {
	{ "M_UNKNOWN_TOKEN", MX_ERR_UNKNOWN_TOKEN },
	{ "M_MISSING_TOKEN", MX_ERR_UNKNOWN_TOKEN },
	{ "M_FORBIDDEN", MX_ERR_FORBIDDEN },
	{ "M_NOT_FOUND", MX_ERR_NOT_FOUND },
	{ "M_INVALID_PARAM", MX_ERR_BAD_PARAM },
	{ "M_MISSING_PARAM", MX_ERR_BAD_PARAM },
	{ "M_BAD_JSON", MX_ERR_BAD_PARAM },
	{ "M_NOT_JSON", MX_ERR_BAD_PARAM },
	{ "M_UNKNOWN", MX_ERR_UNKNOWN },
	{ "M_UNRECOGNIZED", MX_ERR_UNRECOGNIZED },
	{ "M_LIMIT_EXCEEDED", MX_ERR_LIMIT },
};

static enum mx_err by_status(long status)
{
	switch (status) {
	case 400: return MX_ERR_BAD_PARAM;
	case 401: return MX_ERR_UNKNOWN_TOKEN;
	case 403: return MX_ERR_FORBIDDEN;
	case 404: return MX_ERR_NOT_FOUND;
	case 405: return MX_ERR_UNRECOGNIZED;
	case 429: return MX_ERR_LIMIT;
	default: return MX_ERR_OTHER;
	}
}

enum mx_err mx_error_kind(long status, json_t *body)
{
	if (status >= 200 && status < 300)
		return MX_ERR_NONE;
	if (status == 0 || status >= 500)
		return MX_ERR_TRANSIENT;
	const char *code = json_in_str(body, "errcode");
	if (code && *code) {
		for (size_t i = 0; i < sizeof by_errcode / sizeof *by_errcode; i++)
			if (strcmp(code, by_errcode[i].errcode) == 0)
				return by_errcode[i].kind;
		return MX_ERR_OTHER;  /* a code we do not act on */
	}
	return by_status(status);
}

const char *mx_error_name(enum mx_err kind)
{
	switch (kind) {
	case MX_ERR_NONE: return "success";
	case MX_ERR_UNKNOWN_TOKEN: return "unknown access token";
	case MX_ERR_FORBIDDEN: return "forbidden";
	case MX_ERR_NOT_FOUND: return "not found";
	case MX_ERR_BAD_PARAM: return "invalid parameter";
	case MX_ERR_UNKNOWN: return "unknown error";
	case MX_ERR_UNRECOGNIZED: return "not served";
	case MX_ERR_LIMIT: return "rate limited";
	case MX_ERR_TRANSIENT: return "unreachable";
	case MX_ERR_OTHER: break;
	}
	return "other error";
}

/* A filter id the server does not know: Synapse says 400 M_INVALID_PARAM,
 * others 404 M_NOT_FOUND or M_UNKNOWN. A since token that is not the
 * server's: Synapse 400 M_UNKNOWN, others M_INVALID_PARAM or M_NOT_FOUND.
 * The errcode cannot tell the two apart, so bot/sync_loop.c tries one
 * after the other and lets the server's answers decide. What answers the
 * request itself (M_FORBIDDEN, M_UNRECOGNIZED, M_LIMIT_EXCEEDED, a
 * token refused: bot/matrix.c logs in again) is neither. */
enum mx_sync_refusal mx_sync_refusal(long status, json_t *body,
				     int with_filter_id, int with_since)
{
	switch (mx_error_kind(status, body)) {
	case MX_ERR_NOT_FOUND:
	case MX_ERR_BAD_PARAM:
	case MX_ERR_UNKNOWN:
		if (with_filter_id)
			return MX_SYNC_FILTER;  /* the cheaper guess first */
		return with_since ? MX_SYNC_SINCE : MX_SYNC_RETRY;
	default:
		return MX_SYNC_RETRY;
	}
}
