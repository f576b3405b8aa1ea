/*
 * conf_impl.h - what the configuration's files share while loading
 *
 * conf.c reads the file and owns the snapshot's life; confopt.c holds
 * the option table and its typed setters; confpolicy.c the action.*,
 * reply.* and dry_run.* keys and their resolution into flat tables;
 * loginmap.c the sender_login_map format.  A load is one struct
 * fg_loader: every problem goes through fg_conf_bad, which prefixes it
 * with the file and line being read.
 */
#ifndef FG_CONF_IMPL_H
#define FG_CONF_IMPL_H

#include <stddef.h>

#include "forgeguard/catalog.h"
#include "forgeguard/conf.h"
#include "forgeguard/conffile.h"

/* Room for the option table's keys (confopt.c asserts it fits). */
#define FG_CONF_OPTS_MAX 64

struct fg_loader {
	struct fg_conf *conf;
	const char *file;
	unsigned line; /* 0: the problem has no line */
	struct fg_buf *err;
	unsigned nerr;
	unsigned char seen[FG_CONF_OPTS_MAX];
	/* FG_R_COUNT in the second index: the check-wide key */
	unsigned char seen_action[FG_CHK_COUNT][FG_R_COUNT + 1];
	unsigned char seen_reply[FG_CHK_COUNT][FG_R_COUNT + 1];
	unsigned char seen_dry[FG_CHK_COUNT];
	signed char set_action[FG_CHK_COUNT][FG_R_COUNT + 1];
	const char *set_reply[FG_CHK_COUNT][FG_R_COUNT + 1];
};

/* fg_conf_bad - report one problem at the current file and line */
enum fg_err
fg_conf_bad(struct fg_loader *ld, const char *fmt, ...) FG_PRINTF(2, 3);
/* fg_conf_warn - something Postfix would only warn about, at the current
 * file and line: the load goes on, fg_conf_warnings says it */
void fg_conf_warn(struct fg_loader *ld, const char *fmt, ...) FG_PRINTF(2, 3);
/* fg_conf_is_comment - a blank line, or one whose first non-blank is
 * "#", in a table file (login map, signing keys) */
int fg_conf_is_comment(const struct fg_view *v);
/* fg_conf_dupz - a NUL-terminated heap copy of p[0..n), NULL if no memory */
char *fg_conf_dupz(const char *p, size_t n);
/* fg_conf_free_strings - free an array of n heap strings and the array */
void fg_conf_free_strings(char **v, size_t n);
/* fg_conf_read_file - a whole regular file of bounded size, NUL-ended */
enum fg_err fg_conf_read_file(const char *path, char **out, size_t *len,
			      struct fg_buf *err) FG_WUR;
/* fg_conf_parse_bool - yes/no/true/false/1/0; 0 if none of them */
int fg_conf_parse_bool(const char *p, size_t n, int *out);

/* fg_confopt_defaults - every option set from its built-in default */
void fg_confopt_defaults(struct fg_loader *ld);
/* fg_confopt_apply - a "key = value" line for a table option; 0 when the
 * key is not one */
int fg_confopt_apply(struct fg_loader *ld, const struct fg_confline *cl);
/* fg_confopt_release - free every option value the snapshot holds */
void fg_confopt_release(struct fg_conf *c);

/* fg_confpolicy_init - no policy key seen yet */
void fg_confpolicy_init(struct fg_loader *ld);
/* fg_confpolicy_apply - an action.*, reply.* or dry_run.* line; 0 when
 * the key is none of them */
int fg_confpolicy_apply(struct fg_loader *ld, const struct fg_confline *cl);
/* fg_confpolicy_resolve - built-in and configured rules, flattened */
void fg_confpolicy_resolve(struct fg_loader *ld);
/* fg_confpolicy_release - free the configured reply texts */
void fg_confpolicy_release(struct fg_conf *c);

/* fg_loginmap_load - read conf->sender_login_map into conf->login_map */
void fg_loginmap_load(struct fg_loader *ld);
/* fg_loginmap_release - free conf->login_map */
void fg_loginmap_release(struct fg_login_map *map);

/* fg_signtable_load - read conf->dkim_sign_keys into conf->sign_table */
void fg_signtable_load(struct fg_loader *ld);
/* fg_signtable_release - free conf->sign_table */
void fg_signtable_release(struct fg_sign_table *t);

#endif
