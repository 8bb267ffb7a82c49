/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>

/* The DER the CRL plugin reads and writes: single-byte tags, definite
 * lengths of at most four bytes (nothing it handles is 4 GiB). Reading
 * never goes past the end it is given. */

typedef struct {
  const guint8 *data;
  gsize len;
} CrlSlice;

typedef struct {
  guint8 tag;
  const guint8 *start; /* the first byte of the tag */
  const guint8 *value; /* the contents */
  gsize len;           /* of the contents */
  gsize total;         /* tag, length and contents */
} CrlTlv;

#define DER_INTEGER 0x02
#define DER_BIT_STRING 0x03
#define DER_OCTET_STRING 0x04
#define DER_NULL 0x05
#define DER_OID 0x06
#define DER_ENUMERATED 0x0a
#define DER_UTC_TIME 0x17
#define DER_GENERALIZED_TIME 0x18
#define DER_SEQUENCE 0x30
#define DER_BOOLEAN 0x01
#define DER_CONTEXT_0 0xa0
#define DER_CONTEXT_PRIMITIVE_0 0x80

/* Reads the TLV at *@p (before @end) and moves *@p past it. FALSE for
 * anything that is not one whole DER TLV there. */
gboolean crl_der_read (const guint8 **p, const guint8 *end, CrlTlv *out);
/* Reads a TLV that must have @tag. */
gboolean crl_der_expect (const guint8 **p, const guint8 *end, guint8 tag, CrlTlv *out);
/* UTCTime or GeneralizedTime (YYYYMMDDHHMMSSZ) as Unix seconds. */
gboolean crl_der_time (const CrlTlv *tlv, gint64 *out);
/* The integer's magnitude: its contents without the leading zero bytes. */
CrlSlice crl_der_integer_magnitude (const CrlTlv *tlv);
gboolean crl_slice_equal (CrlSlice a, const guint8 *data, gsize len);

/* The subject Name TLV of the certificate @der (tbsCertificate's sixth field). */
gboolean crl_certificate_subject (GBytes *der, CrlSlice *out);

/* -- writing -- */
/* A tag and a length of at most four bytes. */
#define CRL_DER_HEADER_MAX 6
gsize crl_der_header_size (gsize len);
/* Writes the header of a TLV of @tag and @len to @header; returns its size. */
guint crl_der_header_write (guint8 header[CRL_DER_HEADER_MAX], guint8 tag, gsize len);
void crl_der_put_header (GByteArray *out, guint8 tag, gsize len);
void crl_der_put (GByteArray *out, guint8 tag, const void *value, gsize len);
/* UTCTime through 2049, GeneralizedTime after (RFC 5280 4.1.2.5). */
void crl_der_put_time (GByteArray *out, gint64 when);
/* A positive INTEGER from upper- or lower-case hex; FALSE for bad hex. */
gboolean crl_der_put_integer_hex (GByteArray *out, const char *hex);
void crl_der_put_integer_u64 (GByteArray *out, guint64 value);
/* Hex of @len bytes, upper case. (transfer full) */
char *crl_hex (const guint8 *data, gsize len);
/* Bytes of hex (either case, even length), or NULL. (transfer full) */
GBytes *crl_unhex (const char *hex);
