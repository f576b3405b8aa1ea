/*
 * conf.h - the configuration: an immutable, reference-counted snapshot
 *
 * fg_conf_load reads a file (or nothing: built-in defaults) into a new
 * snapshot; the daemon swaps its current pointer under a lock on SIGHUP
 * and every session keeps the snapshot it started with.  Per-check
 * actions and replies are resolved at load time into flat tables, so
 * the hot path does two array lookups per finding.
 */
#ifndef FG_CONF_H
#define FG_CONF_H

#include <stdatomic.h>
#include <stddef.h>
#include <stdint.h>

#include "forgeguard/bounds.h"
#include "forgeguard/buf.h"
#include "forgeguard/catalog.h"
#include "forgeguard/err.h"
#include "forgeguard/ipaddr.h"

#define FG_CONF_DEFAULT_PATH "/etc/forgeguard/forgeguard.conf"

enum fg_log_format { FG_LOGFMT_TEXT, FG_LOGFMT_JSON };
enum fg_mode { FG_MODE_ENFORCE, FG_MODE_DRY_RUN };
enum fg_reject_stage { FG_REJECT_AT_MAIL, FG_REJECT_AT_RCPT };
enum fg_spf_engine { FG_SPF_NATIVE, FG_SPF_LIBSPF2 };
enum fg_partial_body { FG_PARTIAL_POLICY, FG_PARTIAL_PASS };
enum fg_multi_from { FG_MULTI_STRICTEST, FG_MULTI_REFUSE };

/* A sorted set of canonical (lower-case) names. */
struct fg_nameset {
	char **v;
	size_t n;
};

struct fg_netset {
	struct fg_cidr *v;
	size_t n;
};

struct fg_login_entry {
	char *login; /* lower-case */
	char **items; /* lower-case "user@domain" or "@domain" */
	size_t n;
};

struct fg_login_map {
	struct fg_login_entry *v; /* sorted by login */
	size_t n;
};

/* The longest DKIM selector kept (a sub-domain, RFC 6376 3.1). */
#define FG_SELECTOR_MAX 63

enum fg_sign_alg { FG_SIGN_BY_KEY, FG_SIGN_RSA, FG_SIGN_ED25519 };

/* One line of the dkim_sign_keys table. */
struct fg_sign_entry {
	char domain[FG_DOMAIN_MAX + 1]; /* canonical */
	char selector[FG_SELECTOR_MAX + 1]; /* lower case */
	char *path; /* the private key file */
	enum fg_sign_alg alg; /* FG_SIGN_BY_KEY: the key's type says */
	unsigned line;
};

struct fg_sign_table {
	struct fg_sign_entry *v; /* in file order */
	size_t n;
};

enum fg_sign_failure { FG_SIGNFAIL_TEMPFAIL, FG_SIGNFAIL_UNSIGNED };

struct fg_conf {
	atomic_int refs;
	char *path; /* NULL: built-in defaults */

	char *socket;
	unsigned socket_mode;
	char *user;
	int allow_root;
	char *log_target; /* "auto": stderr in the foreground, else syslog */
	enum fg_log_format log_format;
	int syslog_facility; /* index into fg_conf_syslog_facilities */
	char *authserv_id;
	int authserv_id_is_host; /* unset: the host name stands in */
	/* what the file did that Postfix would only warn about, one line
	 * each ("FILE:LINE: ..."), NULL: nothing */
	char *load_warnings;
	size_t nload_warnings;
	/* the file's settings as written, in order, for fg_conf_each */
	char **set_key, **set_value;
	size_t nset;
	struct fg_nameset local_domains;
	struct fg_nameset local_hosts;
	struct fg_netset local_addresses; /* host routes */
	struct fg_netset trusted_networks;
	enum fg_mode mode;
	enum fg_reject_stage reject_stage;
	uint64_t max_message_size; /* 0: no limit */
	uint64_t max_recipients; /* 0: no limit */
	uint64_t max_hops; /* 0: no limit */
	unsigned clock_skew_s;
	char *dns_resolver; /* "" : /etc/resolv.conf */
	unsigned dns_timeout_ms;
	enum fg_spf_engine spf_engine;
	char *dns_trust_anchor; /* "" : no DNSSEC validation */
	char *sender_login_map; /* "" : none */
	uint64_t max_signatures; /* DKIM signatures verified per message */
	uint64_t dkim_min_rsa_bits;
	enum fg_partial_body dkim_partial_body;
	struct fg_nameset arc_trusted_sealers;
	struct fg_netset dmarc_trusted_forwarders;
	struct fg_nameset dmarc_trusted_forwarder_names;
	struct fg_nameset dmarc_exempt_domains;
	enum fg_multi_from dmarc_multiple_from;
	int dmarc_records; /* log a report record per message */
	int dmarc_org_domain; /* enum fg_dmarc_org: walk, psl, auto */
	struct fg_login_map login_map;
	char *dkim_sign_keys; /* "" : no signing */
	struct fg_sign_table sign_table;
	struct fg_nameset dkim_sign_headers;
	struct fg_nameset dkim_oversign_headers;
	int dkim_sign_canon; /* 0 relaxed/relaxed, 1 relaxed/simple,
			      * 2 simple/relaxed, 3 simple/simple */
	unsigned dkim_sign_expire_s; /* x= this long after t=; 0: none */
	enum fg_sign_failure dkim_sign_failure;
	int dkim_sign_sender_domain; /* fall back to MAIL FROM's domain */
	char *arc_seal_domain; /* "" : no ARC sealing */
	struct fg_netset arc_seal_clients;
	struct fg_nameset arc_seal_recipient_domains;

	unsigned char disabled[FG_CHK_COUNT]; /* disabled_checks */

	/* resolved policy */
	unsigned char action[FG_CHK_COUNT][FG_R_COUNT];
	const char *reply[FG_CHK_COUNT][FG_R_COUNT];
	unsigned char dry_run[FG_CHK_COUNT];
	char **owned; /* reply strings from the file */
	size_t nowned;
};

/*
 * fg_conf_load - a new snapshot from path, or built-in defaults when path
 * is NULL.  Errors go to err, one per line, each "FILE:LINE: reason".
 */
enum fg_err
fg_conf_load(const char *path, struct fg_conf **out, struct fg_buf *err) FG_WUR;
/*
 * fg_conf_warnings - what a valid configuration leaves undone: the
 * local facts the forgery checks compare against, when unset; one line
 * each into out, the count returned
 */
size_t fg_conf_warnings(const struct fg_conf *c, struct fg_buf *out);
/*
 * fg_conf_load_text - the same from text already in memory; name is used
 * in error messages
 */
enum fg_err fg_conf_load_text(const char *name, const char *text, size_t n,
			      struct fg_conf **out, struct fg_buf *err) FG_WUR;
/* fg_conf_ref - take one more reference */
struct fg_conf *fg_conf_ref(struct fg_conf *conf);
/* fg_conf_unref - drop a reference; the last frees (NULL ok) */
void fg_conf_unref(struct fg_conf *conf);

/* fg_conf_name_in - is canonical name in set (exactly, or below when sub) */
int fg_conf_name_in(const struct fg_nameset *set, const char *name, size_t n,
		    int sub);
/* fg_conf_net_in - is ip inside one of the networks */
int fg_conf_net_in(const struct fg_netset *set, const struct fg_ip *ip);
/*
 * fg_conf_login_owns - may login send as canonical address addr?
 * Returns 1 yes, 0 no, -1 login not in the map.
 */
int fg_conf_login_owns(const struct fg_conf *conf, const char *login,
		       const char *addr);

/* One documented option, for -D and the man pages. */
struct fg_conf_doc {
	const char *name;
	const char *def;
	const char *doc;
};

/*
 * fg_conf_each - the settings, as "postconf -n" and "postconf" print
 * them: all 0, each key the file sets, in its order, with the value as
 * written (continuations joined); all 1, every option with the value
 * in effect (the file's last, else the default), then the file's
 * per-check keys
 */
void fg_conf_each(const struct fg_conf *c, int all,
		  void (*fn)(void *arg, const char *key, const char *value),
		  void *arg);
/* fg_conf_syslog_facilities - the names syslog_facility takes, NULL-ended
 * (mail first: the default) */
extern const char *const fg_conf_syslog_facilities[];
/* fg_conf_doc_get - the i-th option; 0 past the end */
int fg_conf_doc_get(size_t i, struct fg_conf_doc *out);

#endif
