/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <pkiman/pkm-secret.h>

struct _PkmSecret {
  gsize size;
  guint8 *data;
};

/* explicit_bzero is not optimised away, unlike a memset before free. */
static void
wipe (void *data, gsize size)
{
  if (data != NULL && size > 0)
    explicit_bzero (data, size);
}

PkmSecret *
pkm_secret_new (gsize size)
{
  PkmSecret *secret = g_new0 (PkmSecret, 1);

  secret->size = size;
  secret->data = g_malloc0 (MAX (size, 1));
  return secret;
}

PkmSecret *
pkm_secret_new_from_data (const void *data, gsize size)
{
  PkmSecret *secret = pkm_secret_new (size);

  if (size > 0)
    memcpy (secret->data, data, size);
  return secret;
}

PkmSecret *
pkm_secret_new_take (void *data, gsize size)
{
  PkmSecret *secret = g_new0 (PkmSecret, 1);

  secret->size = size;
  secret->data = data != NULL ? data : g_malloc0 (1);
  return secret;
}

guint8 *
pkm_secret_get_data (PkmSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);
  return secret->data;
}

gsize
pkm_secret_get_size (const PkmSecret *secret)
{
  g_return_val_if_fail (secret != NULL, 0);
  return secret->size;
}

PkmSecret *
pkm_secret_dup (const PkmSecret *secret)
{
  g_return_val_if_fail (secret != NULL, NULL);
  return pkm_secret_new_from_data (secret->data, secret->size);
}

void
pkm_secret_free (PkmSecret *secret)
{
  if (secret == NULL)
    return;
  wipe (secret->data, secret->size);
  g_free (secret->data);
  g_free (secret);
}
