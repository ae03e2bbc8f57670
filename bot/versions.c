/* What the homeserver speaks; see bot/versions.h. */
#include "bot/versions.h"

#include <stdlib.h>
#include <string.h>

#include "bot/json_in.h"
#include "bot/matrix.h"

/* "v1.N" -> N; -1 for anything else (r0.6.1, v2.0 counts as none). */
static int minor_of(const char *s)
{
	if (!s || strncmp(s, "v1.", 3) != 0 || !s[3])
		return -1;
	char *end;
	long n = strtol(s + 3, &end, 10);
	return *end || n < 0 || n > 1000 ? -1 : (int)n;
}

static int unstable(json_t *body, const char *name)
{
	return json_is_true(json_object_get(json_object_get(body,
					    "unstable_features"), name));
}

void mx_versions_parse(json_t *body, struct mx_versions *v)
{
	v->minor = -1;
	v->features = 0;
	size_t i;
	json_t *s;
	json_array_foreach(json_object_get(body, "versions"), i, s) {
		int n = minor_of(json_is_string(s) ? json_string_value(s) : NULL);
		if (n > v->minor)
			v->minor = n;
	}
	if (v->minor >= 3)
		v->features |= MX_FEAT_REFRESH;
	if (v->minor >= 4)
		v->features |= MX_FEAT_THREADS;
	if (v->minor >= 7)
		v->features |= MX_FEAT_MENTIONS;
	if (v->minor >= 11 || unstable(body, "org.matrix.msc3916.stable"))
		v->features |= MX_FEAT_AUTH_MEDIA;
}

void mx_versions_describe(const struct mx_versions *v, struct strbuf *out)
{
	static const struct { unsigned bit; const char *name; } names[] = {
		{ MX_FEAT_REFRESH, "refresh tokens" },
		{ MX_FEAT_THREADS, "threads" },
		{ MX_FEAT_MENTIONS, "m.mentions" },
		{ MX_FEAT_AUTH_MEDIA, "authenticated media" },
	};
	if (v->minor < 0)
		sb_add(out, "no v1.x version");
	else
		sb_addf(out, "v1.%d", v->minor);
	int n = 0;
	for (size_t i = 0; i < sizeof names / sizeof *names; i++)
		if (v->features & names[i].bit)
			sb_addf(out, "%s%s", n++ ? ", " : "; ", names[i].name);
	if (!n)
		sb_add(out, "; none of the newer features");
}

char *mx_media_download_path(const struct mx_versions *v, const char *mxc)
{
	if (!mxc || strncmp(mxc, "mxc://", 6) != 0)
		return NULL;
	const char *server = mxc + 6, *slash = strchr(server, '/');
	if (!slash || slash == server || !slash[1] || strchr(slash + 1, '/'))
		return NULL;
	char *host = strndup(server, (size_t)(slash - server));
	char *h = mx_escape(host), *id = mx_escape(slash + 1);
	struct strbuf path = STRBUF_INIT;
	sb_addf(&path, (v->features & MX_FEAT_AUTH_MEDIA)
		? "/_matrix/client/v1/media/download/%s/%s"
		: "/_matrix/media/v3/download/%s/%s", h, id);
	free(host);
	free(h);
	free(id);
	return sb_detach(&path);
}
