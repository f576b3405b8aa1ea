/*
 * NAME
 *	conf - load, validate and share forgeguard.conf
 * SYNOPSIS
 *	#include "forgeguard/conf.h"
 * DESCRIPTION
 *	Reads the file, runs every line through the option table
 *	(confopt.c) or the policy keys (confpolicy.c), reads the files the
 *	configuration names (loginmap.c), resolves the policy tables, and
 *	hands out the snapshot, reference-counted.  A snapshot is never
 *	changed after the load; a reload makes a new one.
 * DIAGNOSTICS
 *	Every problem is reported as "FILE:LINE: reason" (up to a bound),
 *	and any problem fails the load: a half-read configuration is never
 *	used.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "conf_impl.h"
#include "forgeguard/bounds.h"
#include "forgeguard/domain.h"
#include "forgeguard/str.h"

/* A configuration or map file larger than this is refused. */
#define CONF_FILE_MAX (4u << 20)
/* Problems reported per load; the rest are counted. */
#define CONF_ERRORS_MAX 20

/* fg_conf_bad - report one problem at the current file and line */
enum fg_err
fg_conf_bad(struct fg_loader *ld, const char *fmt, ...)
{
	va_list ap;

	if (++ld->nerr > CONF_ERRORS_MAX)
		return FG_ESYNTAX;
	if (ld->err->len > 0)
		(void)fg_buf_putc(ld->err, '\n');
	if (ld->line > 0)
		(void)fg_buf_printf(ld->err, "%s:%u: ", ld->file, ld->line);
	else
		(void)fg_buf_printf(ld->err, "%s: ", ld->file);
	va_start(ap, fmt);
	(void)fg_buf_vprintf(ld->err, fmt, ap);
	va_end(ap);
	return FG_ESYNTAX;
}

/* fg_conf_warn - a problem the file may have: kept, and said by
 * fg_conf_warnings */
void
fg_conf_warn(struct fg_loader *ld, const char *fmt, ...)
{
	struct fg_conf *c = ld->conf;
	char line[512], *w;
	struct fg_buf b;
	size_t old = c->load_warnings ? strlen(c->load_warnings) : 0;
	va_list ap;

	fg_buf_init(&b, line, sizeof(line));
	(void)fg_buf_printf(&b, "%s:%u: ", ld->file, ld->line);
	va_start(ap, fmt);
	(void)fg_buf_vprintf(&b, fmt, ap);
	va_end(ap);
	w = realloc(c->load_warnings, old + b.len + 2);
	if (w == NULL)
		return; /* a warning lost to a lack of memory */
	if (old > 0)
		w[old++] = '\n';
	memcpy(w + old, b.data, b.len + 1);
	c->load_warnings = w;
	c->nload_warnings++;
}

/* fg_conf_is_comment - a blank or "#" line of a table file */
int
fg_conf_is_comment(const struct fg_view *v)
{
	size_t i = 0;

	while (i < v->n && FG_IS_SPACE((unsigned char)v->p[i]))
		i++;
	return i == v->n || v->p[i] == '#';
}

/* fg_conf_dupz - a NUL-terminated heap copy of a view */
char *
fg_conf_dupz(const char *p, size_t n)
{
	char *s = malloc(n + 1);

	if (s != NULL) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* fg_conf_free_strings - free an array of n heap strings */
void
fg_conf_free_strings(char **v, size_t n)
{
	size_t k;

	for (k = 0; k < n; k++)
		free(v[k]);
	free(v);
}

/* fg_conf_parse_bool - yes/no/true/false/1/0 */
int
fg_conf_parse_bool(const char *p, size_t n, int *out)
{
	if (fg_str_caseeqz(p, n, "yes") || fg_str_caseeqz(p, n, "true") ||
	    fg_str_caseeqz(p, n, "1")) {
		*out = 1;
		return 1;
	}
	if (fg_str_caseeqz(p, n, "no") || fg_str_caseeqz(p, n, "false") ||
	    fg_str_caseeqz(p, n, "0")) {
		*out = 0;
		return 1;
	}
	return 0;
}

/* fg_conf_read_file - the whole file into a heap buffer, size-capped */
enum fg_err
fg_conf_read_file(const char *path, char **out, size_t *len, struct fg_buf *err)
{
	struct stat st;
	char *buf;
	size_t got = 0;
	int fd;

	/* O_NONBLOCK: a FIFO must not block the open (a regular file
	 * reads the same with it) */
	fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		(void)fg_buf_printf(err, "%s: cannot open: %s", path,
				    strerror(errno));
		return errno == ENOENT ? FG_ENOTFOUND : FG_EIO;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) ||
	    (size_t)st.st_size > CONF_FILE_MAX) {
		(void)fg_buf_printf(err,
				    "%s: not a regular file of at most "
				    "%u bytes",
				    path, CONF_FILE_MAX);
		close(fd);
		return FG_EIO;
	}
	buf = malloc((size_t)st.st_size + 1);
	if (buf == NULL) {
		close(fd);
		return FG_ENOMEM;
	}
	while (got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	*out = buf;
	*len = got;
	return FG_OK;
}

/* conf_free - release everything a snapshot owns */
static void
conf_free(struct fg_conf *c)
{
	if (c == NULL)
		return;
	free(c->path);
	free(c->load_warnings);
	fg_conf_free_strings(c->set_key, c->nset);
	fg_conf_free_strings(c->set_value, c->nset);
	fg_confopt_release(c);
	fg_loginmap_release(&c->login_map);
	fg_signtable_release(&c->sign_table);
	fg_confpolicy_release(c);
	free(c);
}

/* remember - a good line, kept as written for fg_conf_each */
static void
remember(struct fg_loader *ld, const struct fg_confline *cl)
{
	struct fg_conf *c = ld->conf;
	size_t cap = c->nset ? c->nset * 2 : 1;
	char **k, **v;

	if (c->nset == 0 || (c->nset & (c->nset - 1)) == 0) {
		/* at 0 and at each power of two the arrays double */
		k = realloc(c->set_key, cap * sizeof(*k));
		if (k != NULL)
			c->set_key = k;
		v = realloc(c->set_value, cap * sizeof(*v));
		if (v != NULL)
			c->set_value = v;
		if (k == NULL || v == NULL) {
			(void)fg_conf_bad(ld, "out of memory");
			return;
		}
	}
	c->set_key[c->nset] = fg_conf_dupz(cl->key.p, cl->key.n);
	c->set_value[c->nset] = fg_conf_dupz(cl->value.p, cl->value.n);
	if (c->set_key[c->nset] == NULL || c->set_value[c->nset] == NULL) {
		free(c->set_key[c->nset]);
		free(c->set_value[c->nset]);
		(void)fg_conf_bad(ld, "out of memory");
		return;
	}
	c->nset++;
}

/* apply_line - one "key = value" line of the file */
static void
apply_line(struct fg_loader *ld, const struct fg_confline *cl)
{
	unsigned before = ld->nerr;

	if (fg_confopt_apply(ld, cl) || fg_confpolicy_apply(ld, cl)) {
		if (ld->nerr == before)
			remember(ld, cl);
		return;
	}
	(void)fg_conf_bad(ld, "unknown key \"%.*s\"",
			  (int)(cl->key.n > 80 ? 80 : cl->key.n), cl->key.p);
}

/* fg_conf_each - the file's settings, or every setting in effect */
void
fg_conf_each(const struct fg_conf *c, int all,
	     void (*fn)(void *arg, const char *key, const char *value),
	     void *arg)
{
	struct fg_conf_doc d;
	size_t i, k;

	if (!all) {
		for (k = 0; k < c->nset; k++)
			fn(arg, c->set_key[k], c->set_value[k]);
		return;
	}
	for (i = 0; fg_conf_doc_get(i, &d); i++) {
		const char *v = d.def;

		for (k = 0; k < c->nset; k++)
			if (strcmp(c->set_key[k], d.name) == 0)
				v = c->set_value[k];
		fn(arg, d.name, v);
	}
	for (k = 0; k < c->nset; k++) {
		for (i = 0; fg_conf_doc_get(i, &d); i++)
			if (strcmp(c->set_key[k], d.name) == 0)
				break;
		if (!fg_conf_doc_get(i, &d))
			fn(arg, c->set_key[k], c->set_value[k]);
	}
}

/* parse_text - every line of a file */
static void
parse_text(struct fg_loader *ld, const char *text, size_t n)
{
	struct fg_conffile cf;
	struct fg_confline cl;
	const char *why;
	char *scratch = malloc(FG_CONF_LINE_MAX);
	enum fg_err err;

	if (scratch == NULL) {
		(void)fg_conf_bad(ld, "out of memory");
		return;
	}
	fg_conffile_init(&cf, text, n, scratch, FG_CONF_LINE_MAX);
	while ((err = fg_conffile_next(&cf, &cl, &why)) != FG_ENOTFOUND) {
		ld->line = cl.line;
		if (err)
			(void)fg_conf_bad(ld, "%s", why);
		else
			apply_line(ld, &cl);
	}
	free(scratch);
}

/* finish - defaults that depend on the machine, then the policy tables */
static void
finish(struct fg_loader *ld)
{
	struct fg_conf *c = ld->conf;

	ld->line = 0;
	if (c->authserv_id[0] == '\0') {
		char host[FG_DOMAIN_MAX + 1], *s;

		if (gethostname(host, sizeof(host)) != 0)
			memcpy(host, "localhost", 10);
		host[sizeof(host) - 1] = '\0';
		s = fg_conf_dupz(host, strlen(host));
		if (s == NULL) {
			(void)fg_conf_bad(ld, "out of memory");
		} else {
			free(c->authserv_id);
			c->authserv_id = s;
			c->authserv_id_is_host = 1;
		}
	}
	fg_loginmap_load(ld);
	fg_signtable_load(ld);
	fg_confpolicy_resolve(ld);
}

/* fg_conf_load_text - a new snapshot from text in memory */
enum fg_err
fg_conf_load_text(const char *name, const char *text, size_t n,
		  struct fg_conf **out, struct fg_buf *err)
{
	struct fg_loader *ld;
	struct fg_conf *c;

	*out = NULL;
	c = calloc(1, sizeof(*c));
	ld = calloc(1, sizeof(*ld));
	if (c == NULL || ld == NULL) {
		free(c);
		free(ld);
		return FG_ENOMEM;
	}
	atomic_init(&c->refs, 1);
	ld->conf = c;
	ld->err = err;
	ld->file = "built-in default";
	fg_confpolicy_init(ld);
	fg_confopt_defaults(ld);
	ld->file = name;
	if (text != NULL) {
		c->path = fg_conf_dupz(name, strlen(name));
		if (c->path == NULL)
			(void)fg_conf_bad(ld, "out of memory");
		parse_text(ld, text, n);
	}
	finish(ld);
	if (ld->nerr > 0) {
		if (ld->nerr > CONF_ERRORS_MAX)
			(void)fg_buf_printf(err, "\n%s: %u more errors", name,
					    ld->nerr - CONF_ERRORS_MAX);
		free(ld);
		conf_free(c);
		return FG_ESYNTAX;
	}
	free(ld);
	*out = c;
	return FG_OK;
}

/* fg_conf_load - a new snapshot from path, or built-in defaults */
enum fg_err
fg_conf_load(const char *path, struct fg_conf **out, struct fg_buf *err)
{
	char *text;
	size_t len;
	enum fg_err e;

	if (path == NULL)
		return fg_conf_load_text("built-in default", NULL, 0, out, err);
	e = fg_conf_read_file(path, &text, &len, err);
	if (e)
		return e;
	e = fg_conf_load_text(path, text, len, out, err);
	free(text);
	return e;
}

/* fg_conf_warnings - the local facts left unset */
size_t
fg_conf_warnings(const struct fg_conf *c, struct fg_buf *out)
{
	const struct {
		int unset;
		const char *what;
	} w[] = {
		{ c->local_domains.n == 0,
		  "local_domains is not set: sender.local_forgery and "
		  "header.local_forgery never fire" },
		{ c->local_hosts.n == 0,
		  "local_hosts is not set: helo.impersonation and "
		  "received.forged_local know this server only by the name "
		  "the MTA reports" },
		{ c->local_addresses.n == 0,
		  "local_addresses is not set: helo.impersonation and "
		  "received.forged_local know this server only by the "
		  "address the MTA reports" },
	};
	size_t k, n = 0;

	if (c->load_warnings != NULL) {
		(void)fg_buf_puts(out, c->load_warnings);
		n = c->nload_warnings;
	}
	if (c->authserv_id_is_host)
		(void)fg_buf_printf(out,
				    "%sauthserv_id is not set: the host name "
				    "%s stands in; forged "
				    "Authentication-Results are those that "
				    "claim it, so set the name the site's "
				    "other servers use",
				    n++ ? "\n" : "", c->authserv_id);
	for (k = 0; k < sizeof(w) / sizeof(w[0]); k++)
		if (w[k].unset)
			(void)fg_buf_printf(out, "%s%s", n++ ? "\n" : "",
					    w[k].what);
	return n;
}

/* fg_conf_ref - take one more reference */
struct fg_conf *
fg_conf_ref(struct fg_conf *conf)
{
	atomic_fetch_add(&conf->refs, 1);
	return conf;
}

/* fg_conf_unref - drop a reference; the last frees */
void
fg_conf_unref(struct fg_conf *conf)
{
	if (conf != NULL && atomic_fetch_sub(&conf->refs, 1) == 1)
		conf_free(conf);
}

/* cmp_str - bsearch comparator over char * */
static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* in_set - exact membership of a canonical name */
static int
in_set(const struct fg_nameset *set, const char *name)
{
	return set->n > 0 &&
	       bsearch(&name, set->v, set->n, sizeof(*set->v), cmp_str) != NULL;
}

/* fg_conf_name_in - is canonical name in set (exactly, or below) */
int
fg_conf_name_in(const struct fg_nameset *set, const char *name, size_t n,
		int sub)
{
	char tmp[FG_DOMAIN_MAX + 1];
	size_t k;

	if (set->n == 0 || fg_domain_canon(name, n, tmp, sizeof(tmp)) != FG_OK)
		return 0;
	if (in_set(set, tmp))
		return 1;
	if (!sub)
		return 0;
	for (k = 0; tmp[k] != '\0'; k++)
		if (tmp[k] == '.' && in_set(set, tmp + k + 1))
			return 1;
	return 0;
}

/* fg_conf_net_in - is ip inside one of the networks */
int
fg_conf_net_in(const struct fg_netset *set, const struct fg_ip *ip)
{
	size_t k;

	for (k = 0; k < set->n; k++)
		if (fg_cidr_match(&set->v[k], ip))
			return 1;
	return 0;
}
