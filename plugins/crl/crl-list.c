/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "crl-list.h"

/* OIDs as DER contents. */
static const guint8 oid_crl_number[] = { 0x55, 0x1d, 0x14 };
static const guint8 oid_reason[] = { 0x55, 0x1d, 0x15 };
static const guint8 oid_delta[] = { 0x55, 0x1d, 0x1b };
static const guint8 oid_idp[] = { 0x55, 0x1d, 0x1c };
static const guint8 oid_certificate_issuer[] = { 0x55, 0x1d, 0x1d };
static const guint8 oid_akid[] = { 0x55, 0x1d, 0x23 };

static gboolean
bad (GError **error, const char *what)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "not a valid CRL: %s", what);
  return FALSE;
}

static gboolean
unsupported (GError **error, const char *what)
{
  g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "%s are not supported", what);
  return FALSE;
}

#define OID_IS(tlv, oid) crl_slice_equal ((CrlSlice) { (tlv).value, (tlv).len }, oid, sizeof oid)

/* One Extension: its OID, its criticality and its value's contents. */
static gboolean
read_extension (const guint8 **p, const guint8 *end, CrlTlv *oid, gboolean *critical, CrlTlv *value)
{
  CrlTlv ext, flag;
  const guint8 *at;

  if (!crl_der_expect (p, end, DER_SEQUENCE, &ext))
    return FALSE;
  at = ext.value;
  if (!crl_der_expect (&at, ext.value + ext.len, DER_OID, oid))
    return FALSE;
  *critical = FALSE;
  if (crl_der_expect (&at, ext.value + ext.len, DER_BOOLEAN, &flag))
    {
      if (flag.len != 1)
        return FALSE;
      *critical = flag.value[0] != 0;
    }
  return crl_der_expect (&at, ext.value + ext.len, DER_OCTET_STRING, value) && at == ext.value + ext.len;
}

/* One revokedCertificates entry; *@reason is 0 when it has none. */
static gboolean
read_entry (const guint8 **p, const guint8 *end, CrlTlv *serial, gint64 *time, guint *reason, GError **error)
{
  CrlTlv entry, when, exts;
  const guint8 *at, *stop;

  if (!crl_der_expect (p, end, DER_SEQUENCE, &entry))
    return bad (error, "an entry is not a SEQUENCE");
  at = entry.value;
  stop = entry.value + entry.len;
  if (!crl_der_expect (&at, stop, DER_INTEGER, serial) || serial->len == 0 || serial->len > 20 + 1)
    return bad (error, "an entry's serial");
  if (!crl_der_read (&at, stop, &when) || !crl_der_time (&when, time))
    return bad (error, "an entry's revocation date");
  *reason = 0;
  if (at == stop)
    return TRUE;
  if (!crl_der_expect (&at, stop, DER_SEQUENCE, &exts) || at != stop)
    return bad (error, "an entry's extensions");
  for (const guint8 *e = exts.value; e < exts.value + exts.len;)
    {
      CrlTlv oid, value, code;
      gboolean critical;
      const guint8 *v;

      if (!read_extension (&e, exts.value + exts.len, &oid, &critical, &value))
        return bad (error, "an entry extension");
      if (OID_IS (oid, oid_reason))
        {
          v = value.value;
          if (!crl_der_expect (&v, value.value + value.len, DER_ENUMERATED, &code) || code.len != 1)
            return bad (error, "a reasonCode");
          *reason = code.value[0];
        }
      else if (OID_IS (oid, oid_certificate_issuer))
        return unsupported (error, "indirect CRLs (certificateIssuer)");
      else if (critical)
        return unsupported (error, "critical entry extensions other than reasonCode");
    }
  return TRUE;
}

static gboolean
read_crl_extensions (CrlList *crl, const CrlTlv *wrapper, GError **error)
{
  CrlTlv exts;
  const guint8 *at = wrapper->value;

  if (!crl_der_expect (&at, wrapper->value + wrapper->len, DER_SEQUENCE, &exts) || at != wrapper->value + wrapper->len)
    return bad (error, "crlExtensions");
  for (const guint8 *e = exts.value; e < exts.value + exts.len;)
    {
      CrlTlv oid, value, inner;
      gboolean critical;
      const guint8 *v;

      if (!read_extension (&e, exts.value + exts.len, &oid, &critical, &value))
        return bad (error, "a CRL extension");
      v = value.value;
      if (OID_IS (oid, oid_crl_number))
        {
          if (!crl_der_expect (&v, value.value + value.len, DER_INTEGER, &inner) || inner.len == 0 || inner.len > 21)
            return bad (error, "cRLNumber");
          crl->number = crl_der_integer_magnitude (&inner);
        }
      else if (OID_IS (oid, oid_akid))
        {
          CrlTlv seq, id;
          const guint8 *k;

          if (!crl_der_expect (&v, value.value + value.len, DER_SEQUENCE, &seq))
            return bad (error, "authorityKeyIdentifier");
          k = seq.value;
          if (crl_der_expect (&k, seq.value + seq.len, DER_CONTEXT_PRIMITIVE_0, &id))
            crl->akid = (CrlSlice) { id.value, id.len };
        }
      else if (OID_IS (oid, oid_delta))
        return unsupported (error, "delta CRLs");
      else if (OID_IS (oid, oid_idp) && critical)
        return unsupported (error, "partitioned CRLs (issuingDistributionPoint)");
      else if (critical)
        return unsupported (error, "critical CRL extensions other than those of RFC 5280 for full CRLs");
    }
  return TRUE;
}

gboolean
crl_list_parse (GBytes *der, CrlList *out, GError **error)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (der, &size), *end, *at = data, *t, *tend;
  CrlTlv list, tbs, algorithm, bits, version, inner_algorithm, name, when, next;

  memset (out, 0, sizeof *out);
  /* Empty bytes have no data: NULL + 0 is undefined, so no end before this. */
  if (data == NULL)
    return bad (error, "not one DER SEQUENCE");
  end = data + size;
  if (!crl_der_expect (&at, end, DER_SEQUENCE, &list) || at != end)
    return bad (error, "not one DER SEQUENCE");
  at = list.value;
  end = list.value + list.len;
  if (!crl_der_expect (&at, end, DER_SEQUENCE, &tbs) || !crl_der_expect (&at, end, DER_SEQUENCE, &algorithm)
      || !crl_der_expect (&at, end, DER_BIT_STRING, &bits) || at != end)
    return bad (error, "a CertificateList is tbsCertList, signatureAlgorithm, signature");
  if (bits.len < 1 || bits.value[0] != 0)
    return bad (error, "the signature BIT STRING");
  out->tbs = (CrlSlice) { tbs.start, tbs.total };
  out->signature_algorithm = (CrlSlice) { algorithm.value, algorithm.len };
  out->signature = (CrlSlice) { bits.value + 1, bits.len - 1 };

  t = tbs.value;
  tend = tbs.value + tbs.len;
  if (crl_der_expect (&t, tend, DER_INTEGER, &version) && (version.len != 1 || version.value[0] != 1))
    return bad (error, "only v2 CRLs (version 1) carry a version");
  if (!crl_der_expect (&t, tend, DER_SEQUENCE, &inner_algorithm))
    return bad (error, "tbsCertList signature");
  if (!crl_slice_equal (out->signature_algorithm, inner_algorithm.value, inner_algorithm.len))
    return bad (error, "the two signature algorithms differ");
  if (!crl_der_expect (&t, tend, DER_SEQUENCE, &name))
    return bad (error, "issuer");
  out->issuer = (CrlSlice) { name.start, name.total };
  if (!crl_der_read (&t, tend, &when) || !crl_der_time (&when, &out->this_update))
    return bad (error, "thisUpdate");
  if (t < tend && (*t == DER_UTC_TIME || *t == DER_GENERALIZED_TIME))
    {
      if (!crl_der_read (&t, tend, &next) || !crl_der_time (&next, &out->next_update))
        return bad (error, "nextUpdate");
    }
  if (t < tend && *t == DER_SEQUENCE)
    {
      CrlTlv revoked;

      if (!crl_der_read (&t, tend, &revoked))
        return bad (error, "revokedCertificates");
      out->entries = (CrlSlice) { revoked.value, revoked.len };
      for (const guint8 *e = revoked.value; e < revoked.value + revoked.len; out->n_entries++)
        {
          CrlTlv serial;
          gint64 time;
          guint reason;

          if (!read_entry (&e, revoked.value + revoked.len, &serial, &time, &reason, error))
            return FALSE;
        }
    }
  if (t < tend)
    {
      CrlTlv exts;

      if (!crl_der_expect (&t, tend, DER_CONTEXT_0, &exts))
        return bad (error, "crlExtensions");
      if (!read_crl_extensions (out, &exts, error))
        return FALSE;
    }
  if (t != tend)
    return bad (error, "data after crlExtensions");
  out->der = g_bytes_ref (der);
  return TRUE;
}

gboolean
crl_list_foreach (const CrlList *crl, CrlEntryFunc func, gpointer user_data)
{
  /* No revokedCertificates: no pointer to count from (NULL + 0 is undefined). */
  const guint8 *end = crl->entries.data != NULL ? crl->entries.data + crl->entries.len : NULL;

  for (const guint8 *e = crl->entries.data; e != NULL && e < end;)
    {
      CrlTlv serial;
      gint64 time;
      guint reason;

      /* Checked whole by crl_list_parse: no error here. */
      if (!read_entry (&e, end, &serial, &time, &reason, NULL))
        return FALSE;
      if (!func (crl_der_integer_magnitude (&serial), time, reason, user_data))
        return FALSE;
    }
  return TRUE;
}

/* FNV-1a of a serial's magnitude. */
static guint32
serial_hash (const guint8 *data, gsize len)
{
  guint32 h = 2166136261u;

  for (gsize i = 0; i < len; i++)
    h = (h ^ data[i]) * 16777619u;
  return h;
}

/* The serial magnitude of the entry a slot holds (checked by crl_list_parse). */
static CrlSlice
slot_serial (const CrlList *crl, guint32 slot, const guint8 *end)
{
  const guint8 *e = crl->entries.data + slot - 1;
  CrlTlv entry, serial;
  CrlSlice none = { NULL, 0 };

  if (!crl_der_expect (&e, end, DER_SEQUENCE, &entry))
    return none;
  e = entry.value;
  if (!crl_der_expect (&e, entry.value + entry.len, DER_INTEGER, &serial))
    return none;
  return crl_der_integer_magnitude (&serial);
}

void
crl_list_index (CrlList *crl)
{
  const guint8 *end = crl->entries.data != NULL ? crl->entries.data + crl->entries.len : NULL;
  guint32 n_slots = 16;

  if (crl->slots != NULL)
    return;
  while (n_slots < 2 * crl->n_entries)
    n_slots <<= 1;
  crl->slots = g_new0 (guint32, n_slots);
  crl->n_slots = n_slots;
  for (const guint8 *e = crl->entries.data; e != NULL && e < end;)
    {
      /* The slot holds the entry's offset + 1 (0 is empty). */
      guint32 offset = (guint32) (e - crl->entries.data) + 1;
      CrlTlv serial;
      CrlSlice magnitude;
      gint64 time;
      guint reason;

      if (!read_entry (&e, end, &serial, &time, &reason, NULL))
        break;
      magnitude = crl_der_integer_magnitude (&serial);
      for (guint32 i = serial_hash (magnitude.data, magnitude.len) & (n_slots - 1);; i = (i + 1) & (n_slots - 1))
        {
          if (crl->slots[i] == 0)
            {
              crl->slots[i] = offset;
              break;
            }
          /* A serial listed twice keeps its first entry (what find gives):
           * a CRL of one serial repeated would otherwise make one probe
           * chain as long as the CRL, and the index quadratic. */
          if (crl_slice_equal (slot_serial (crl, crl->slots[i], end), magnitude.data, magnitude.len))
            break;
        }
    }
}

gboolean
crl_list_find (const CrlList *crl, const guint8 *serial, gsize len, gint64 *out_time, guint *out_reason)
{
  const guint8 *end = crl->entries.data != NULL ? crl->entries.data + crl->entries.len : NULL;

  while (len > 1 && serial[0] == 0)
    {
      serial++;
      len--;
    }
  if (crl->slots == NULL || end == NULL)
    return FALSE;
  for (guint32 i = serial_hash (serial, len) & (crl->n_slots - 1); crl->slots[i] != 0; i = (i + 1) & (crl->n_slots - 1))
    {
      const guint8 *e = crl->entries.data + crl->slots[i] - 1;
      CrlTlv tlv;
      gint64 time;
      guint reason;

      /* The serial first: the rest of the entry only for the one that matches. */
      if (!crl_slice_equal (slot_serial (crl, crl->slots[i], end), serial, len))
        continue;
      if (read_entry (&e, end, &tlv, &time, &reason, NULL))
        {
          *out_time = time;
          *out_reason = reason;
          return TRUE;
        }
    }
  return FALSE;
}

void
crl_list_clear (CrlList *crl)
{
  g_clear_pointer (&crl->der, g_bytes_unref);
  g_clear_pointer (&crl->slots, g_free);
  memset (crl, 0, sizeof *crl);
}

/* AlgorithmIdentifier contents: the OID and, for RSA, NULL parameters. */
static const struct {
  guint8 oid[9];
  guint8 oid_len;
  PkmDigest digest;
  PkmKeyType type;
} algorithms[] = {
  { { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x05 }, 9, PKM_DIGEST_SHA1, PKM_KEY_TYPE_RSA },
  { { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0b }, 9, PKM_DIGEST_SHA256, PKM_KEY_TYPE_RSA },
  { { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0c }, 9, PKM_DIGEST_SHA384, PKM_KEY_TYPE_RSA },
  { { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x01, 0x0d }, 9, PKM_DIGEST_SHA512, PKM_KEY_TYPE_RSA },
  { { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x01 }, 7, PKM_DIGEST_SHA1, PKM_KEY_TYPE_EC },
  { { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 }, 8, PKM_DIGEST_SHA256, PKM_KEY_TYPE_EC },
  { { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 }, 8, PKM_DIGEST_SHA384, PKM_KEY_TYPE_EC },
  { { 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 }, 8, PKM_DIGEST_SHA512, PKM_KEY_TYPE_EC },
};

gboolean
crl_signature_algorithm (CrlSlice algorithm, PkmDigest *out_digest, PkmKeyType *out_type)
{
  const guint8 *at = algorithm.data, *end = algorithm.data + algorithm.len;
  CrlTlv oid, params;

  if (!crl_der_expect (&at, end, DER_OID, &oid))
    return FALSE;
  /* RSA's parameters are NULL (or absent); ECDSA's absent. */
  if (at < end && (!crl_der_expect (&at, end, DER_NULL, &params) || params.len != 0 || at != end))
    return FALSE;
  for (guint i = 0; i < G_N_ELEMENTS (algorithms); i++)
    if (crl_slice_equal ((CrlSlice) { oid.value, oid.len }, algorithms[i].oid, algorithms[i].oid_len))
      {
        *out_digest = algorithms[i].digest;
        *out_type = algorithms[i].type;
        return TRUE;
      }
  return FALSE;
}
