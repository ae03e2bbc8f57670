/* refresh: keeping the access token alive (spec v1.3 refresh tokens, and
 * OAuth 2.0 sessions from `werktafel login --device`).
 *
 * A login or refresh that gave a refresh token and an expiry arms a timer
 * on the loop that refreshes the token a little before it dies (a fifth
 * of its lifetime early, at most 60 s). A 401 M_UNKNOWN_TOKEN with
 * soft_logout refreshes as well. While a refresh runs, new requests and
 * those answered 401 wait (parked, bot/matrix.c) and are sent again once
 * with the new token: the same method, path and body, so a send keeps its
 * transaction id. A refresh the server refuses is logged; the bot then
 * logs in with the password when one is configured, else stops with exit
 * code 3 and says what to do. Transient failures of the refresh itself
 * are retried like any request.
 *
 * Every new token is kept at once: database (kv matrix.access_token,
 * matrix.refresh_token, matrix.token_expires_ms) and the token file when
 * one is configured (bot/tokens.h: atomic, mode 0600). */
#ifndef WT_REFRESH_H
#define WT_REFRESH_H

#include "bot/matrix.h"

/* Keep the tokens in m (db, token file) and arm the refresh timer. */
void matrix_tokens_keep(struct matrix *m);
/* Take tokens read at start (file or db) into m and arm the timer. */
void matrix_tokens_adopt(struct matrix *m, struct mx_tokens *t);
/* 1 when m holds a refresh token. */
int matrix_can_refresh(const struct matrix *m);
/* Refresh now (no-op while a refresh or login runs). */
void matrix_refresh(struct matrix *m);
/* Stop and free the timer (matrix_free). */
void matrix_refresh_free(struct matrix *m);

#endif
