/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <stddef.h>
#include <pkiman/pkm-error.h>
#include <pkiman/pkm-key.h>

/* A handle is the provider's data and ops plus what every caller asks
 * first (type, size, where it lives), so asking those needs no provider
 * call. Handles cross threads (token calls run in g_task threads): the
 * count is atomic, and the provider's data is freed by the last unref. */
struct _PkmKey {
  gint ref_count;
  const PkmKeyOps *ops;
  gpointer data;
  PkmKeyType type;
  guint bits;
  char *uri;
};

/* A member is callable when the provider's ops are long enough to hold it and set. */
#define OPS_HAS(ops, member)                                                                                     \
  ((ops)->struct_size >= offsetof (PkmKeyOps, member) + sizeof (void *) && (ops)->member != NULL)

PkmKey *
pkm_key_new (const PkmKeyOps *ops, gpointer key_data, PkmKeyType type, guint bits, const char *uri)
{
  PkmKey *key;

  g_return_val_if_fail (ops != NULL && ops->version != 0 && ops->struct_size >= 2 * sizeof (guint32), NULL);
  key = g_new0 (PkmKey, 1);
  key->ref_count = 1;
  key->ops = ops;
  key->data = key_data;
  key->type = type;
  key->bits = bits;
  key->uri = g_strdup (uri != NULL ? uri : "");
  return key;
}

PkmKey *
pkm_key_ref (PkmKey *key)
{
  g_return_val_if_fail (key != NULL, NULL);
  g_atomic_int_inc (&key->ref_count);
  return key;
}

void
pkm_key_unref (PkmKey *key)
{
  if (key == NULL || !g_atomic_int_dec_and_test (&key->ref_count))
    return;
  if (OPS_HAS (key->ops, free))
    key->ops->free (key->data);
  g_free (key->uri);
  g_free (key);
}

PkmKeyType
pkm_key_get_key_type (PkmKey *key)
{
  return key->type;
}

guint
pkm_key_get_bits (PkmKey *key)
{
  return key->bits;
}

const char *
pkm_key_get_uri (PkmKey *key)
{
  return key->uri;
}

gpointer
pkm_key_get_data (PkmKey *key, const PkmKeyOps *ops)
{
  return key != NULL && key->ops == ops ? key->data : NULL;
}

static gboolean
require (PkmKey *key, gboolean has, PkmError code, const char *what, GError **error)
{
  /* A key not stored yet (just generated or imported) has no URI. */
  if (!has)
    g_set_error (error, PKM_ERROR, code, "key %s: %s", *key->uri != '\0' ? key->uri : "(not stored)", what);
  return has;
}

GBytes *
pkm_key_get_public_key (PkmKey *key, GError **error)
{
  if (!require (key, OPS_HAS (key->ops, public_key), PKM_ERROR_NOT_SUPPORTED, "its provider gives no public key",
                error))
    return NULL;
  return key->ops->public_key (key->data, error);
}

GBytes *
pkm_key_sign_hash (PkmKey *key, PkmDigest digest, GBytes *hash, GError **error)
{
  if (!require (key, OPS_HAS (key->ops, sign_hash), PKM_ERROR_NOT_SUPPORTED, "cannot sign", error))
    return NULL;
  return key->ops->sign_hash (key->data, digest, hash, error);
}

PkmSecret *
pkm_key_decrypt (PkmKey *key, GBytes *ciphertext, GError **error)
{
  if (!require (key, OPS_HAS (key->ops, decrypt), PKM_ERROR_NOT_SUPPORTED, "cannot decrypt", error))
    return NULL;
  return key->ops->decrypt (key->data, ciphertext, error);
}

PkmSecret *
pkm_key_export_pkcs8 (PkmKey *key, GError **error)
{
  if (!require (key, OPS_HAS (key->ops, export_pkcs8), PKM_ERROR_PERMISSION_DENIED,
                "the key stays with its provider and cannot be exported", error))
    return NULL;
  return key->ops->export_pkcs8 (key->data, error);
}
