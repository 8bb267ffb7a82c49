/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "crl-der.h"

gboolean
crl_der_read (const guint8 **p, const guint8 *end, CrlTlv *out)
{
  const guint8 *at = *p;
  gsize len = 0;

  if (at >= end || end - at < 2)
    return FALSE;
  out->start = at;
  out->tag = *at++;
  /* High tag numbers never occur in what this plugin reads. */
  if ((out->tag & 0x1f) == 0x1f)
    return FALSE;
  if (*at < 0x80)
    len = *at++;
  else
    {
      guint n = *at++ & 0x7f;

      /* No indefinite length (0x80) in DER, and no length past 4 bytes. */
      if (n == 0 || n > 4 || (gsize) (end - at) < n)
        return FALSE;
      for (guint i = 0; i < n; i++)
        len = (len << 8) | *at++;
      /* DER: the shortest form. */
      if (len < 0x80 || (n > 1 && (len >> (8 * (n - 1))) == 0))
        return FALSE;
    }
  if ((gsize) (end - at) < len)
    return FALSE;
  out->value = at;
  out->len = len;
  out->total = (gsize) (at + len - out->start);
  *p = at + len;
  return TRUE;
}

gboolean
crl_der_expect (const guint8 **p, const guint8 *end, guint8 tag, CrlTlv *out)
{
  const guint8 *at = *p;

  if (!crl_der_read (&at, end, out) || out->tag != tag)
    return FALSE;
  *p = at;
  return TRUE;
}

static gboolean
digits (const guint8 *s, guint n, guint *out)
{
  guint v = 0;

  for (guint i = 0; i < n; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      v = v * 10 + (s[i] - '0');
    }
  *out = v;
  return TRUE;
}

/* Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's
 * days_from_civil): no GDateTime per entry of a CRL of a million. */
static gint64
days_from_civil (gint64 y, guint m, guint d)
{
  gint64 era, yoe, doy, doe;

  y -= m <= 2;
  era = (y >= 0 ? y : y - 399) / 400;
  yoe = y - era * 400;
  doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static guint
days_in_month (guint year, guint month)
{
  static const guint8 days[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
  gboolean leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;

  return month == 2 && leap ? 29 : days[month - 1];
}

gboolean
crl_der_time (const CrlTlv *tlv, gint64 *out)
{
  const guint8 *s = tlv->value;
  guint year, month, day, hour, minute, second;

  if (tlv->tag == DER_UTC_TIME && tlv->len == 13)
    {
      if (!digits (s, 2, &year))
        return FALSE;
      year += year < 50 ? 2000 : 1900;
      s += 2;
    }
  else if (tlv->tag == DER_GENERALIZED_TIME && tlv->len == 15)
    {
      if (!digits (s, 4, &year))
        return FALSE;
      s += 4;
    }
  else
    return FALSE;
  if (!digits (s, 2, &month) || !digits (s + 2, 2, &day) || !digits (s + 4, 2, &hour) || !digits (s + 6, 2, &minute)
      || !digits (s + 8, 2, &second) || s[10] != 'Z')
    return FALSE;
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > days_in_month (year, month) || hour > 23 || minute > 59
      || second > 59)
    return FALSE;
  *out = days_from_civil (year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return TRUE;
}

CrlSlice
crl_der_integer_magnitude (const CrlTlv *tlv)
{
  CrlSlice s = { tlv->value, tlv->len };

  while (s.len > 1 && s.data[0] == 0)
    {
      s.data++;
      s.len--;
    }
  return s;
}

gboolean
crl_slice_equal (CrlSlice a, const guint8 *data, gsize len)
{
  return a.len == len && (len == 0 || memcmp (a.data, data, len) == 0);
}

gsize
crl_der_header_size (gsize len)
{
  gsize n = 2;

  for (gsize v = len; len >= 0x80 && v > 0; v >>= 8)
    n++;
  return n;
}

guint
crl_der_header_write (guint8 header[CRL_DER_HEADER_MAX], guint8 tag, gsize len)
{
  guint n = 0;

  header[n++] = tag;
  if (len < 0x80)
    header[n++] = (guint8) len;
  else
    {
      guint bytes = 0;

      for (gsize v = len; v > 0; v >>= 8)
        bytes++;
      header[n++] = 0x80 | bytes;
      for (guint i = bytes; i > 0; i--)
        header[n++] = (guint8) (len >> (8 * (i - 1)));
    }
  return n;
}

void
crl_der_put_header (GByteArray *out, guint8 tag, gsize len)
{
  guint8 header[CRL_DER_HEADER_MAX];

  g_byte_array_append (out, header, crl_der_header_write (header, tag, len));
}

void
crl_der_put (GByteArray *out, guint8 tag, const void *value, gsize len)
{
  crl_der_put_header (out, tag, len);
  if (len > 0)
    g_byte_array_append (out, value, len);
}

/* Days since 1970-01-01 to a civil date (Howard Hinnant's algorithm): a
 * CRL of a million entries writes a million dates, and a GDateTime and two
 * formatted strings each cost more than the rest of the entry. */
static void
civil_from_days (gint64 days, gint64 *year, guint *month, guint *day)
{
  gint64 z = days + 719468, era = (z >= 0 ? z : z - 146096) / 146097;
  guint doe = (guint) (z - era * 146097);
  guint yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  guint doy = doe - (365 * yoe + yoe / 4 - yoe / 100), mp = (5 * doy + 2) / 153;

  *day = doy - (153 * mp + 2) / 5 + 1;
  *month = mp < 10 ? mp + 3 : mp - 9;
  *year = (gint64) yoe + era * 400 + (*month <= 2);
}

static void
put_digits (char *at, guint value, guint n)
{
  while (n-- > 0)
    {
      at[n] = (char) ('0' + value % 10);
      value /= 10;
    }
}

void
crl_der_put_time (GByteArray *out, gint64 when)
{
  /* GeneralizedTime spans 0001-01-01 to 9999-12-31T23:59:59Z (what a
   * GDateTime holds, and what the reader gives back). */
  const gint64 first = G_GINT64_CONSTANT (-62135596800), last = G_GINT64_CONSTANT (253402300799);
  gint64 year, secs, days;
  guint month, day;
  gboolean utc;
  char text[15];
  gsize n;

  when = CLAMP (when, first, last);
  /* Days floor: times before 1970 are negative. */
  days = when >= 0 ? when / 86400 : -((-when + 86399) / 86400);
  secs = when - days * 86400;
  civil_from_days (days, &year, &month, &day);
  /* RFC 5280 4.1.2.5: UTCTime for 1950 through 2049, GeneralizedTime otherwise. */
  utc = year >= 1950 && year < 2050;
  n = utc ? 2 : 4;
  put_digits (text, (guint) (utc ? year % 100 : year), n);
  put_digits (text + n, month, 2);
  put_digits (text + n + 2, day, 2);
  put_digits (text + n + 4, (guint) (secs / 3600), 2);
  put_digits (text + n + 6, (guint) (secs / 60 % 60), 2);
  put_digits (text + n + 8, (guint) (secs % 60), 2);
  text[n + 10] = 'Z';
  crl_der_put (out, utc ? DER_UTC_TIME : DER_GENERALIZED_TIME, text, n + 11);
}

static int
nibble (char c)
{
  return g_ascii_xdigit_value (c);
}

GBytes *
crl_unhex (const char *hex)
{
  gsize n = strlen (hex);
  guint8 *bytes;

  if (n == 0 || n % 2 != 0)
    return NULL;
  bytes = g_malloc (n / 2);
  for (gsize i = 0; i < n / 2; i++)
    {
      int hi = nibble (hex[2 * i]), lo = nibble (hex[2 * i + 1]);

      if (hi < 0 || lo < 0)
        {
          g_free (bytes);
          return NULL;
        }
      bytes[i] = (guint8) (hi << 4 | lo);
    }
  return g_bytes_new_take (bytes, n / 2);
}

static void
put_magnitude (GByteArray *out, const guint8 *data, gsize len)
{
  static const guint8 zero = 0;

  while (len > 1 && data[0] == 0)
    {
      data++;
      len--;
    }
  /* A high bit would read as negative: a zero byte first. */
  if (len > 0 && (data[0] & 0x80))
    {
      crl_der_put_header (out, DER_INTEGER, len + 1);
      g_byte_array_append (out, &zero, 1);
      g_byte_array_append (out, data, len);
    }
  else
    crl_der_put (out, DER_INTEGER, data, len);
}

/* Serials are at most 20 bytes (RFC 5280 4.1.2.2); room for a CA that
 * broke that rule, decoded on the stack: one a revocation. */
#define SERIAL_MAX_BYTES 64

gboolean
crl_der_put_integer_hex (GByteArray *out, const char *hex)
{
  guint8 bytes[SERIAL_MAX_BYTES];
  gsize n = strlen (hex), len = (n + 1) / 2, i = 0;
  const char *at = hex;

  if (n == 0 || len > sizeof bytes)
    return FALSE;
  /* An odd count: the first byte has only a low nibble. */
  if (n % 2 != 0 && (bytes[i++] = (guint8) nibble (*at++)) > 15)
    return FALSE;
  for (; i < len; i++, at += 2)
    {
      int hi = nibble (at[0]), lo = nibble (at[1]);

      if (hi < 0 || lo < 0)
        return FALSE;
      bytes[i] = (guint8) (hi << 4 | lo);
    }
  put_magnitude (out, bytes, len);
  return TRUE;
}

void
crl_der_put_integer_u64 (GByteArray *out, guint64 value)
{
  guint8 be[8];

  for (guint i = 0; i < 8; i++)
    be[i] = (guint8) (value >> (8 * (7 - i)));
  put_magnitude (out, be, 8);
}

char *
crl_hex (const guint8 *data, gsize len)
{
  static const char digits_hex[] = "0123456789ABCDEF";
  char *text = g_malloc (2 * len + 1);

  for (gsize i = 0; i < len; i++)
    {
      text[2 * i] = digits_hex[data[i] >> 4];
      text[2 * i + 1] = digits_hex[data[i] & 15];
    }
  text[2 * len] = '\0';
  return text;
}

/* The subject Name TLV of certificate @der: tbsCertificate's sixth field. */
gboolean
crl_certificate_subject (GBytes *der, CrlSlice *out)
{
  gsize size;
  const guint8 *at = g_bytes_get_data (der, &size), *end;
  CrlTlv cert, tbs, field;

  /* Empty bytes have no data: NULL + 0 is undefined. */
  if (at == NULL)
    return FALSE;
  end = at + size;
  if (!crl_der_expect (&at, end, DER_SEQUENCE, &cert))
    return FALSE;
  at = cert.value;
  if (!crl_der_expect (&at, cert.value + cert.len, DER_SEQUENCE, &tbs))
    return FALSE;
  at = tbs.value;
  end = tbs.value + tbs.len;
  crl_der_expect (&at, end, DER_CONTEXT_0, &field); /* the version, when there is one */
  /* serialNumber, signature, issuer, validity, subject */
  for (guint i = 0; i < 5; i++)
    if (!crl_der_read (&at, end, &field))
      return FALSE;
  if (field.tag != DER_SEQUENCE)
    return FALSE;
  *out = (CrlSlice) { field.start, field.total };
  return TRUE;
}
