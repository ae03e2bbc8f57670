#include "lib/private_file.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "lib/log.h"
#include "lib/strbuf.h"

enum private_outcome private_tighten(const char *path)
{
	struct stat st;
	if (stat(path, &st) < 0) {
		if (errno == ENOENT)
			return PRIVATE_OK;
		log_warn("%s: cannot check its mode: %s", path, strerror(errno));
		return PRIVATE_ERROR;
	}
	if (!(st.st_mode & 077))
		return PRIVATE_OK;
	/* The owner's own rights stay: a write-protected file stays so. */
	mode_t want = st.st_mode & 07700;
	if (chmod(path, want) < 0) {
		log_warn("%s: is readable by others (mode %04o) and cannot be made "
			 "private: %s", path, (unsigned)(st.st_mode & 07777),
			 strerror(errno));
		return PRIVATE_ERROR;
	}
	log_warn("%s: was readable by others (mode %04o); now %04o", path,
		 (unsigned)(st.st_mode & 07777), (unsigned)want);
	return PRIVATE_TIGHTENED;
}

enum private_outcome private_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		return PRIVATE_OK;
	}
	if (errno != EEXIST)
		return PRIVATE_ERROR;  /* the opener that follows says why */
	return private_tighten(path);
}

enum private_outcome private_tighten_dir(const char *dir)
{
	enum private_outcome out = private_tighten(dir);
	DIR *d = opendir(dir);
	if (!d)
		return out;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		struct strbuf p = STRBUF_INIT;
		sb_addf(&p, "%s/%s", dir, e->d_name);
		enum private_outcome o = private_tighten(p.buf);
		if (o == PRIVATE_ERROR || (o == PRIVATE_TIGHTENED && out == PRIVATE_OK))
			out = o;
		sb_release(&p);
	}
	closedir(d);
	return out;
}

int private_readable_by_others(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && (st.st_mode & 044) ? 1 : 0;
}
