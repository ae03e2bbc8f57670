/* render: a reply's Markdown to the two bodies of a Matrix message — HTML
 * (cmark, raw HTML disabled) for formatted_body and plain text for body and
 * the console. Caller frees the results. */
#ifndef WT_RENDER_H
#define WT_RENDER_H

char *render_html(const char *markdown);
char *render_plain(const char *markdown);
/* Both of the above from one parse (a reply needs both; caller frees). */
void render_plain_html(const char *markdown, char **plain, char **html);

/* The Markdown of a file people open outside Matrix (minutes, reports):
 * md with only the backslashes it needs to mean the same (cmark reads both
 * alike), so "@sanne:demo.test" and "95%" read as written. */
char *markdown_for_file_dup(const char *md);

#endif
