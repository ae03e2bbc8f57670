/* versions: what the homeserver speaks, read once at start from GET
 * /_matrix/client/versions (unauthenticated), so the spec features the bot
 * uses are chosen from it and not assumed of every server. */
#ifndef WT_VERSIONS_H
#define WT_VERSIONS_H

#include <jansson.h>

#include "lib/strbuf.h"

enum {
	/* v1.7: m.mentions decide who is notified (intentional mentions). */
	MX_FEAT_MENTIONS = 1,
	/* v1.11 or org.matrix.msc3916.stable: media downloads and thumbnails
	 * under /_matrix/client/v1/media with the access token. */
	MX_FEAT_AUTH_MEDIA = 2,
	/* v1.4: threads (m.thread relations, thread-aware receipts). */
	MX_FEAT_THREADS = 4,
	/* v1.3: refresh tokens at login. */
	MX_FEAT_REFRESH = 8,
};

struct mx_versions {
	int minor;          /* highest v1.N the server lists; -1: none */
	unsigned features;  /* MX_FEAT_* */
};

/* Read a /versions answer (NULL or not an object: nothing known, minor
 * -1, no features). */
void mx_versions_parse(json_t *body, struct mx_versions *v);

/* One line for the log: "v1.11; m.mentions, authenticated media, ...". */
void mx_versions_describe(const struct mx_versions *v, struct strbuf *out);

/* The media download path for mxc://server/id (caller frees):
 * /_matrix/client/v1/media/download/... with MX_FEAT_AUTH_MEDIA, else
 * /_matrix/media/v3/download/.... NULL for no mxc URI. */
char *mx_media_download_path(const struct mx_versions *v, const char *mxc);

#endif
