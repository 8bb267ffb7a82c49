/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "crl-private.h"

/* A local CA's CRL, built as streamed DER: the entries come straight from
 * the revocation index into one buffer (no certificate is decoded, and
 * nothing is sorted or searched), the tbsCertList is signed through the
 * crypto provider's sign_data, and the whole is stored under the CA's
 * fingerprint. GnuTLS's gnutls_x509_crl_set_crt_serial is quadratic in
 * the count; this is linear. */

static const guint8 reason_oid_prefix[] = { 0x30, 0x0c, 0x30, 0x0a, 0x06, 0x03, 0x55, 0x1d,
                                            0x15, 0x04, 0x03, 0x0a, 0x01 };
static const guint8 ecdsa_sha256[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x02 };
static const guint8 ecdsa_sha384[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x03 };
static const guint8 ecdsa_sha512[] = { 0x30, 0x0a, 0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x04, 0x03, 0x04 };
static const guint8 rsa_sha256[] = { 0x30, 0x0d, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7,
                                     0x0d, 0x01, 0x01, 0x0b, 0x05, 0x00 };
static const guint8 version_2[] = { 0x02, 0x01, 0x01 };
static const guint8 oid_akid[] = { 0x06, 0x03, 0x55, 0x1d, 0x23 };
static const guint8 oid_crl_number[] = { 0x06, 0x03, 0x55, 0x1d, 0x14 };

/* The signature algorithm for @key: ECDSA with the hash of its curve's
 * strength, RSA with SHA-256. */
static gboolean
algorithm_for (PkmKey *key, PkmDigest *digest, CrlSlice *algorithm, GError **error)
{
  guint bits = pkm_key_get_bits (key);

  switch (pkm_key_get_key_type (key))
    {
    case PKM_KEY_TYPE_EC:
      *digest = bits > 384 ? PKM_DIGEST_SHA512 : bits > 256 ? PKM_DIGEST_SHA384 : PKM_DIGEST_SHA256;
      *algorithm = bits > 384   ? (CrlSlice) { ecdsa_sha512, sizeof ecdsa_sha512 }
                   : bits > 256 ? (CrlSlice) { ecdsa_sha384, sizeof ecdsa_sha384 }
                                : (CrlSlice) { ecdsa_sha256, sizeof ecdsa_sha256 };
      return TRUE;
    case PKM_KEY_TYPE_RSA:
      *digest = PKM_DIGEST_SHA256;
      *algorithm = (CrlSlice) { rsa_sha256, sizeof rsa_sha256 };
      return TRUE;
    default:
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "the CA's key type cannot sign a CRL");
      return FALSE;
    }
}

/* The CRL being built, in one buffer: room is kept at the front for what
 * precedes the entries (the outer and tbsCertList headers, the fields
 * before revokedCertificates and its header), which is written once the
 * entries' length is known. A million entries are 45 MB: a second copy
 * of them would be most of the memory an issue takes. */
typedef struct {
  GByteArray *out;
  gsize room;          /* where the first entry starts */
  GByteArray *scratch; /* one entry's contents */
  guint64 count;
  gboolean bad_serial;
} CrlBuild;

static gboolean
add_entry (const PkmRevocation *revocation, gpointer user_data)
{
  CrlBuild *b = user_data;

  g_byte_array_set_size (b->scratch, 0);
  if (!crl_der_put_integer_hex (b->scratch, revocation->serial))
    {
      b->bad_serial = TRUE;
      return FALSE;
    }
  crl_der_put_time (b->scratch, revocation->time);
  /* RFC 5280 5.3.1: unspecified is said by leaving the reason out. */
  if (revocation->reason != PKM_REVOCATION_UNSPECIFIED)
    {
      guint8 code = (guint8) revocation->reason;
      g_byte_array_append (b->scratch, reason_oid_prefix, sizeof reason_oid_prefix);
      g_byte_array_append (b->scratch, &code, 1);
    }
  crl_der_put_header (b->out, DER_SEQUENCE, b->scratch->len);
  g_byte_array_append (b->out, b->scratch->data, b->scratch->len);
  b->count++;
  return TRUE;
}

/* Writes @len bytes of @data, or a header of @tag and @len when @data is
 * NULL, right before *@at in the kept room, and moves *@at back over them. */
static void
put_before (GByteArray *out, gsize *at, guint8 tag, const void *data, gsize len)
{
  guint8 header[CRL_DER_HEADER_MAX];

  if (data == NULL)
    {
      len = crl_der_header_write (header, tag, len);
      data = header;
    }
  g_assert (len <= *at);
  *at -= len;
  memcpy (out->data + *at, data, len);
}

/* crlExtensions: authorityKeyIdentifier (the CA's SKID) and cRLNumber. */
static GByteArray *
crl_extensions (GBytes *skid, guint64 number)
{
  GByteArray *akid = g_byte_array_new (), *num = g_byte_array_new (), *list = g_byte_array_new ();
  GByteArray *out = g_byte_array_new ();
  GByteArray *inner = g_byte_array_new ();

  if (skid != NULL)
    {
      gsize len;
      const guint8 *id = g_bytes_get_data (skid, &len);
      crl_der_put (inner, DER_CONTEXT_PRIMITIVE_0, id, len);
      crl_der_put_header (akid, DER_SEQUENCE, sizeof oid_akid + crl_der_header_size (inner->len + 2) + inner->len + 2);
      g_byte_array_append (akid, oid_akid, sizeof oid_akid);
      crl_der_put_header (akid, DER_OCTET_STRING, crl_der_header_size (inner->len) + inner->len);
      crl_der_put (akid, DER_SEQUENCE, inner->data, inner->len);
      g_byte_array_append (list, akid->data, akid->len);
    }
  g_byte_array_set_size (inner, 0);
  crl_der_put_integer_u64 (inner, number);
  crl_der_put_header (num, DER_SEQUENCE, sizeof oid_crl_number + crl_der_header_size (inner->len) + inner->len);
  g_byte_array_append (num, oid_crl_number, sizeof oid_crl_number);
  crl_der_put (num, DER_OCTET_STRING, inner->data, inner->len);
  g_byte_array_append (list, num->data, num->len);
  crl_der_put_header (out, DER_CONTEXT_0, crl_der_header_size (list->len) + list->len);
  crl_der_put (out, DER_SEQUENCE, list->data, list->len);
  g_byte_array_unref (akid);
  g_byte_array_unref (num);
  g_byte_array_unref (list);
  g_byte_array_unref (inner);
  return out;
}

/* The fields before revokedCertificates: version, signature, issuer,
 * thisUpdate, nextUpdate. */
static GByteArray *
tbs_head (CrlSlice algorithm, CrlSlice issuer, gint64 this_update, gint64 next_update)
{
  GByteArray *head = g_byte_array_new ();

  g_byte_array_append (head, version_2, sizeof version_2);
  g_byte_array_append (head, algorithm.data, algorithm.len);
  g_byte_array_append (head, issuer.data, issuer.len);
  crl_der_put_time (head, this_update);
  crl_der_put_time (head, next_update);
  return head;
}

static void
build_begin (CrlBuild *b, const GByteArray *head)
{
  b->room = 2 * CRL_DER_HEADER_MAX + head->len + CRL_DER_HEADER_MAX;
  b->out = g_byte_array_sized_new (b->room + 4096);
  b->scratch = g_byte_array_new ();
  g_byte_array_set_size (b->out, b->room);
}

/* (transfer full): the signed CRL, a slice of the build's buffer. */
static GBytes *
build_finish (CrlBuild *b, PkmContext *ctx, PkmKey *key, PkmDigest digest, CrlSlice algorithm,
              const GByteArray *head, GBytes *skid, guint64 number, GError **error)
{
  g_autoptr (GByteArray) exts = crl_extensions (skid, number);
  g_autoptr (GBytes) tbs = NULL, signature = NULL, whole = NULL;
  GByteArray *out = b->out;
  gsize at = b->room, tbs_start, sig_len;
  const guint8 *sig;

  /* RFC 5280 5.1.2.6: no revokedCertificates at all when there are none. */
  if (b->count > 0)
    put_before (out, &at, DER_SEQUENCE, NULL, out->len - b->room);
  put_before (out, &at, 0, head->data, head->len);
  g_byte_array_append (out, exts->data, exts->len);
  put_before (out, &at, DER_SEQUENCE, NULL, out->len - at);
  tbs_start = at;
  tbs = g_bytes_new_static (out->data + tbs_start, out->len - tbs_start);
  if ((signature = pkm_crypto_sign_data (ctx, key, digest, tbs, error)) == NULL)
    return NULL;
  g_clear_pointer (&tbs, g_bytes_unref);
  sig = g_bytes_get_data (signature, &sig_len);
  g_byte_array_append (out, algorithm.data, algorithm.len);
  crl_der_put_header (out, DER_BIT_STRING, sig_len + 1);
  g_byte_array_append (out, (const guint8 *) "\0", 1);
  g_byte_array_append (out, sig, sig_len);
  put_before (out, &at, DER_SEQUENCE, NULL, out->len - tbs_start);
  b->out = NULL;
  whole = g_byte_array_free_to_bytes (out);
  return g_bytes_new_from_bytes (whole, at, g_bytes_get_size (whole) - at);
}

static void
build_clear (CrlBuild *b)
{
  g_clear_pointer (&b->out, g_byte_array_unref);
  g_clear_pointer (&b->scratch, g_byte_array_unref);
}

static char *
sequence_name (const char *fingerprint)
{
  return g_strconcat ("crl-number:", fingerprint, NULL);
}

gboolean
crl_issue (PkmCall *call, gint64 ca_id, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autofree char *id_text = pkm_item_id_format (ca_id), *sequence = NULL;
  g_autoptr (GVariant) ca = pkm_certificates_lookup (call, PKM_CERT_BY_ID, id_text, error);
  g_autoptr (GBytes) der = NULL, skid = NULL, crl = NULL;
  g_autoptr (PkmKey) key = NULL;
  g_autoptr (GByteArray) head = NULL;
  CrlBuild build = { 0 };
  CrlSlice issuer, algorithm;
  PkmDigest digest;
  const char *fingerprint = NULL, *skid_hex = NULL, *name = "";
  gint64 now = g_get_real_time () / G_USEC_PER_SEC, number, id;
  GVariantDict record;
  gboolean ok = FALSE;

  if (ca == NULL || (der = pkm_certificates_get_der (call, ca_id, error)) == NULL
      || (key = pkm_certificates_get_key (call, ca_id, error)) == NULL)
    return FALSE;
  g_variant_lookup (ca, "fingerprint", "&s", &fingerprint);
  g_variant_lookup (ca, "skid", "&s", &skid_hex);
  g_variant_lookup (ca, "name", "&s", &name);
  if (fingerprint == NULL || !crl_certificate_subject (der, &issuer))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "\"%s\": its certificate has no readable subject", name);
      return FALSE;
    }
  if (!algorithm_for (key, &digest, &algorithm, error))
    return FALSE;
  skid = skid_hex != NULL ? crl_unhex (skid_hex) : NULL;
  sequence = sequence_name (fingerprint);
  if ((number = pkm_store_next_sequence (ctx, sequence, error)) <= 0)
    return FALSE;
  head = tbs_head (algorithm, issuer, now, now + CRL_LIFETIME);
  build_begin (&build, head);
  if (!pkm_certificates_foreach_revocation (call, ca_id, add_entry, &build, error))
    goto out;
  if (build.bad_serial)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_STORE_FAILED, "a revocation of \"%s\" has no readable serial", name);
      goto out;
    }
  g_clear_pointer (&build.scratch, g_byte_array_unref);
  crl = build_finish (&build, ctx, key, digest, algorithm, head, skid, (guint64) number, error);
  if (crl == NULL)
    goto out;
  g_variant_dict_init (&record, NULL);
  g_variant_dict_insert (&record, "ca-id", "x", ca_id);
  g_variant_dict_insert (&record, "number", "x", number);
  g_variant_dict_insert (&record, "this-update", "x", now);
  g_variant_dict_insert (&record, "next-update", "x", now + (gint64) CRL_LIFETIME);
  g_variant_dict_insert (&record, "revoked", "t", build.count);
  if ((id = pkm_store_find (ctx, CRL_ISSUED_COLLECTION, fingerprint, error)) < 0)
    {
      g_variant_dict_clear (&record);
      goto out;
    }
  if (id == 0)
    id = pkm_store_insert (ctx, CRL_ISSUED_COLLECTION, fingerprint, g_variant_dict_end (&record), error);
  else if (!pkm_store_update (ctx, CRL_ISSUED_COLLECTION, id, fingerprint, g_variant_dict_end (&record), error))
    id = 0;
  if (id > 0)
    {
      g_autoptr (GVariant) blob = crl_blob_record (g_steal_pointer (&crl));
      ok = crl_blob_put (ctx, CRL_ISSUED_COLLECTION, id, blob, error);
    }
out:
  build_clear (&build);
  return ok;
}

GBytes *
crl_issued_get (PkmContext *ctx, const char *fingerprint, gint64 *out_next_update, GError **error)
{
  gint64 id = pkm_store_find (ctx, CRL_ISSUED_COLLECTION, fingerprint, error);
  g_autoptr (GVariant) record = NULL;

  *out_next_update = 0;
  if (id <= 0 || (record = pkm_store_get (ctx, CRL_ISSUED_COLLECTION, id, NULL, error)) == NULL)
    return NULL;
  g_variant_lookup (record, "next-update", "x", out_next_update);
  return crl_blob_get (ctx, CRL_ISSUED_COLLECTION, id, error);
}

gboolean
crl_issue_due (PkmCall *call, gint64 max_age, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GPtrArray) cas = pkm_certificates_list (call, "authority=yes and private-key=yes", error);
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  if (cas == NULL)
    return FALSE;
  for (guint i = 0; i < cas->len; i++)
    {
      GVariant *ca = g_ptr_array_index (cas, i);
      const char *fingerprint = NULL;
      gint64 ca_id = 0, id, this_update = 0;
      gboolean revoked = FALSE;
      g_autoptr (GVariant) record = NULL;
      const char *revoked_text = NULL;

      g_variant_lookup (ca, ".id", "x", &ca_id);
      g_variant_lookup (ca, "fingerprint", "&s", &fingerprint);
      revoked = g_variant_lookup (ca, "revoked", "&s", &revoked_text);
      if (fingerprint == NULL || revoked)
        continue;
      if ((id = pkm_store_find (ctx, CRL_ISSUED_COLLECTION, fingerprint, error)) < 0)
        return FALSE;
      if (id > 0 && (record = pkm_store_get (ctx, CRL_ISSUED_COLLECTION, id, NULL, error)) == NULL)
        return FALSE;
      if (record != NULL)
        g_variant_lookup (record, "this-update", "x", &this_update);
      if (record != NULL && now - this_update < max_age)
        continue;
      if (!crl_issue (call, ca_id, error))
        return FALSE;
    }
  return TRUE;
}
