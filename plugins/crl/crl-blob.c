/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "crl-private.h"

/* A CRL's DER lives in a record of its own, apart from what is said about
 * it (numbers, dates, the last error): a CRL of a million entries is 46 MB,
 * and a listing, an HTTP 304 or a failed download then reads and writes a
 * few hundred bytes, not the whole list. Named "<collection>/<id>" after
 * the record it belongs to. A record is made once and kept until it
 * is stored, so that the DER is in memory once, not as the bytes that came
 * and again as the record that holds them. */

static char *
blob_name (const char *collection, gint64 id)
{
  return g_strdup_printf ("%s/%" G_GINT64_FORMAT, collection, id);
}

GVariant *
crl_blob_record (GBytes *der)
{
  GVariantDict record;
  GVariant *serialized;

  g_variant_dict_init (&record, NULL);
  g_variant_dict_insert_value (&record, "der", g_variant_new_from_bytes (G_VARIANT_TYPE_BYTESTRING, der, TRUE));
  g_bytes_unref (der);
  serialized = g_variant_ref_sink (g_variant_dict_end (&record));
  /* Serialized now, into one buffer: the record held the only reference
   * to @der, which goes with the record's tree form. */
  g_variant_get_data (serialized);
  return serialized;
}

GBytes *
crl_blob_record_der (GVariant *record)
{
  g_autoptr (GVariant) der = g_variant_lookup_value (record, "der", G_VARIANT_TYPE_BYTESTRING);

  return der != NULL ? g_variant_get_data_as_bytes (der) : NULL;
}

gboolean
crl_blob_put (PkmContext *ctx, const char *collection, gint64 id, GVariant *record, GError **error)
{
  g_autofree char *name = blob_name (collection, id);
  gint64 blob = pkm_store_find (ctx, CRL_BLOB_COLLECTION, name, error);

  if (blob < 0)
    return FALSE;
  /* @record is not floating: the store's sink takes a reference of its own. */
  return blob == 0 ? pkm_store_insert (ctx, CRL_BLOB_COLLECTION, name, record, error) > 0
                   : pkm_store_update (ctx, CRL_BLOB_COLLECTION, blob, name, record, error);
}

GBytes *
crl_blob_get (PkmContext *ctx, const char *collection, gint64 id, GError **error)
{
  g_autofree char *name = blob_name (collection, id);
  gint64 blob = pkm_store_find (ctx, CRL_BLOB_COLLECTION, name, error);
  g_autoptr (GVariant) record = blob > 0 ? pkm_store_get (ctx, CRL_BLOB_COLLECTION, blob, NULL, error) : NULL;

  return record != NULL ? crl_blob_record_der (record) : NULL;
}

gboolean
crl_blob_remove (PkmContext *ctx, const char *collection, gint64 id, GError **error)
{
  g_autofree char *name = blob_name (collection, id);
  gint64 blob = pkm_store_find (ctx, CRL_BLOB_COLLECTION, name, error);

  return blob == 0 || (blob > 0 && pkm_store_remove (ctx, CRL_BLOB_COLLECTION, blob, error));
}
