/* textdist: how far apart two short words are, to suggest the name a
 * person probably meant (commands, sub-commands, config keys). */
#ifndef WT_TEXTDIST_H
#define WT_TEXTDIST_H

#include <stddef.h>

/* Edit distance (insert, delete, change one byte), ASCII case ignored.
 * Words of 64 bytes or more are TEXTDIST_FAR from everything. */
#define TEXTDIST_FAR 99
size_t text_distance(const char *a, const char *b);

#endif
