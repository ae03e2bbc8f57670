/* profile: the bot's own display name and avatar, from [bot] displayname
 * and avatar, set once at start where they differ from the profile the
 * homeserver has (GET first: no difference, no request). The avatar is an
 * mxc:// URI, or a PNG or JPEG file that is uploaded once; its mxc:// URI
 * is kept in the database with the file's size and hash, so a later start
 * uploads again only when the file changed. Only the global profile is
 * set: the bot never writes a per-room display name. */
#ifndef WT_PROFILE_H
#define WT_PROFILE_H

#include <stddef.h>

#include "lib/strbuf.h"

struct matrix;

/* Longest display name, in characters (Synapse's limit). */
#define PROFILE_NAME_MAX 256
/* Largest avatar file, in bytes. */
#define PROFILE_AVATAR_MAX (10L * 1024 * 1024)

/* What is wrong with name as a display name (for the config's message),
 * or NULL when it is fine. */
const char *profile_name_problem(const char *name);

/* 0 when value is an mxc:// URI or a readable PNG/JPEG file of at most
 * PROFILE_AVATAR_MAX bytes; else -1 with what is wrong (and how to write
 * it right) in why. */
int profile_avatar_problem(const char *value, struct strbuf *why);

/* The image type of data: "image/png", "image/jpeg", or NULL. */
const char *profile_image_type(const unsigned char *data, size_t n);

/* Bring the bot's profile in line with the config (nothing to do when
 * neither key is set). Failures are logged and leave the profile as it
 * is; they never stop the bot. Returns 0, or -1 when the bot is stopping. */
int profile_apply(struct matrix *m);

#endif
