/*
 * err.h - error codes shared by every forgeguard module
 *
 * Fallible functions return enum fg_err; FG_OK is zero so that
 * "if (err)" reads naturally.  FG_WUR marks them so a caller cannot drop
 * an error on the floor.
 */
#ifndef FG_ERR_H
#define FG_ERR_H

#define FG_WUR __attribute__((warn_unused_result))
#define FG_PRINTF(f, a) __attribute__((format(printf, f, a)))

enum fg_err {
	FG_OK = 0,
	FG_ENOMEM, /* allocation failed */
	FG_EINVAL, /* caller passed something impossible */
	FG_ETOOLONG, /* input or output beyond a bound in bounds.h */
	FG_ESYNTAX, /* input does not follow the grammar */
	FG_EIO, /* read or write failed */
	FG_ENOTFOUND, /* lookup found nothing */
	FG_EDUP, /* something given twice that may appear once */
	FG_ETEMP, /* temporary failure, try again later */
	FG_EINTERNAL, /* a broken invariant inside forgeguard */
};

/* fg_err_str - a short, stable word for an error code */
const char *fg_err_str(enum fg_err err);

#endif
