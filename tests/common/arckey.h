/*
 * arckey.h - the ARC test suite's 1024-bit "dummy" key record
 * (dummy._domainkey.example.org), which signs its chains and the ones
 * kept in tests/data/arc; a fact of the suite, shared by the unit test
 * and the fuzz harness.
 */
#ifndef FG_ARCKEY_H
#define FG_ARCKEY_H

static const char arc_dummy_key[] =
	"v=DKIM1; k=rsa; "
	"p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDkHlOQoBTzWRiGs5V6NpP3idY6Wk08"
	"a5qhdR6wy5bdOKb2jLQiY/J16JYi0Qvx/byYzCNb3W91y3FutACDfzwQ/BC/e/8uBsCR+"
	"yz1Lxj+PL6lHvqMKrM3rG4hstT5QjvHO9PzoxZyVYLzBfO2EeC3Ip3G+2kryOTIKT+l/"
	"K4w3QIDAQAB";

#endif
