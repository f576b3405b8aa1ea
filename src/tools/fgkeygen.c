/*
 * NAME
 *	forgeguard-keygen - make a DKIM signing key and its DNS record
 * SYNOPSIS
 *	forgeguard-keygen -d DOMAIN -s SELECTOR [-t rsa|ed25519] [-b BITS]
 *	    [-D DIR] [-u USER]
 * DESCRIPTION
 *	Makes an RSA key (2048 bits by default; 1024 to 8192) or an Ed25519
 *	key, writes it as DIR/SELECTOR.private (PKCS#8 PEM, mode 0600, never
 *	over an existing file; owned by USER when run as root), writes the
 *	record to publish as DIR/SELECTOR.txt in zone-file form, and prints
 *	that record and the line to add to the dkim_sign_keys table.
 * DIAGNOSTICS
 *	Exit status 0, or 1 with a message that names the file and why.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "forgeguard/base64.h"
#include "forgeguard/crypto.h"
#include "forgeguard/domain.h"
#include "forgeguard/str.h"

static void
usage(void)
{
	fprintf(stderr, "usage: forgeguard-keygen -d DOMAIN -s SELECTOR "
			"[-t rsa|ed25519] [-b BITS] [-D DIR] [-u USER]\n");
	exit(1);
}

/* record - the TXT record's text: v=DKIM1; k=...; p=... */
static int
record(const struct fg_privkey *k, char *out, size_t cap)
{
	unsigned char der[2048];
	char b64[((sizeof(der) + 2) / 3) * 4 + 1];
	size_t n = fg_privkey_public(k, der, sizeof(der));

	if (n == 0)
		return 0;
	fg_base64_encode(der, n, b64);
	return (size_t)snprintf(out, cap, "v=DKIM1; k=%s; p=%s",
				fg_privkey_type(k) == FG_PK_RSA ? "rsa"
								: "ed25519",
				b64) < cap;
}

/* zone_text - the record as a zone-file entry, in strings of at most
 * 255 bytes (RFC 1035 3.3.14) */
static void
zone_text(FILE *f, const char *sel, const char *domain, const char *rec)
{
	size_t n = strlen(rec), k;

	fprintf(f, "%s._domainkey.%s. IN TXT (", sel, domain);
	for (k = 0; k < n; k += 250)
		fprintf(f, "\n\t\"%.*s\"", (int)(n - k < 250 ? n - k : 250),
			rec + k);
	fprintf(f, " )\n");
}

int
main(int argc, char **argv)
{
	const char *domain = NULL, *sel = NULL, *dir = ".", *user = NULL;
	enum fg_pubkey_type type = FG_PK_RSA;
	long bits = 2048;
	char path[4096], txt[4096], rec[4096], *end;
	struct fg_privkey *k;
	struct passwd *pw = NULL;
	size_t pos;
	FILE *f;
	int c, fd;

	while ((c = getopt(argc, argv, "d:s:t:b:D:u:h")) != -1) {
		switch (c) {
		case 'd':
			domain = optarg;
			break;
		case 's':
			sel = optarg;
			break;
		case 't':
			if (strcmp(optarg, "rsa") == 0)
				type = FG_PK_RSA;
			else if (strcmp(optarg, "ed25519") == 0)
				type = FG_PK_ED25519;
			else
				usage();
			break;
		case 'b':
			errno = 0;
			bits = strtol(optarg, &end, 10);
			if (errno != 0 || *end != '\0' || bits < 1024 ||
			    bits > 8192) {
				fprintf(stderr, "forgeguard-keygen: -b wants "
						"1024 to 8192 (RFC 8301: not "
						"under 1024)\n");
				return 1;
			}
			break;
		case 'D':
			dir = optarg;
			break;
		case 'u':
			user = optarg;
			break;
		default:
			usage();
		}
	}
	if (domain == NULL || sel == NULL || optind != argc)
		usage();
	if (fg_domain_check(domain, strlen(domain), FG_DOMAIN_TRAILING_DOT,
			    NULL, &pos) != FG_OK ||
	    strchr(domain, '.') == NULL) {
		fprintf(stderr, "forgeguard-keygen: %s is not a domain name\n",
			domain);
		return 1;
	}
	if (strlen(sel) > 63 ||
	    fg_domain_check(sel, strlen(sel), 0, NULL, &pos) != FG_OK) {
		fprintf(stderr,
			"forgeguard-keygen: %s is not a selector (letters, "
			"digits, hyphens, dots)\n",
			sel);
		return 1;
	}
	if (user != NULL && (pw = getpwnam(user)) == NULL) {
		fprintf(stderr, "forgeguard-keygen: unknown user %s\n", user);
		return 1;
	}
	if (fg_privkey_generate(type, (int)bits, &k) != FG_OK ||
	    !record(k, rec, sizeof(rec))) {
		fprintf(stderr, "forgeguard-keygen: cannot make the key\n");
		return 1;
	}
	snprintf(path, sizeof(path), "%s/%s.private", dir, sel);
	snprintf(txt, sizeof(txt), "%s/%s.txt", dir, sel);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		fprintf(stderr, "forgeguard-keygen: %s: %s\n", path,
			strerror(errno));
		fg_privkey_free(k);
		return 1;
	}
	if (fg_privkey_write(k, fd) != FG_OK ||
	    (pw != NULL && fchown(fd, pw->pw_uid, pw->pw_gid) != 0) ||
	    close(fd) != 0) {
		fprintf(stderr, "forgeguard-keygen: %s: cannot write: %s\n",
			path, strerror(errno));
		unlink(path);
		fg_privkey_free(k);
		return 1;
	}
	fg_privkey_free(k);
	f = fopen(txt, "w");
	if (f == NULL) {
		fprintf(stderr, "forgeguard-keygen: %s: %s\n", txt,
			strerror(errno));
		return 1;
	}
	zone_text(f, sel, domain, rec);
	if (fclose(f) != 0) {
		fprintf(stderr, "forgeguard-keygen: %s: cannot write\n", txt);
		return 1;
	}
	printf("# publish in DNS (also in %s):\n", txt);
	zone_text(stdout, sel, domain, rec);
	{
		char *abs = realpath(path, NULL);

		printf("# add to the dkim_sign_keys table:\n%s %s %s %s\n",
		       domain, sel, abs != NULL ? abs : path,
		       type == FG_PK_RSA ? "rsa-sha256" : "ed25519-sha256");
		free(abs);
	}
	return 0;
}
