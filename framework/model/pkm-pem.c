/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "model/pkm-model.h"

GString *
pkm_pem_append (GString *out, const char *label, GBytes *der)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (der, &size);
  g_autofree char *b64 = g_base64_encode (data, size);
  gsize len = strlen (b64);

  g_string_append_printf (out, "-----BEGIN %s-----\n", label);
  for (gsize i = 0; i < len; i += 64)
    {
      g_string_append_len (out, b64 + i, MIN (64, len - i));
      g_string_append_c (out, '\n');
    }
  g_string_append_printf (out, "-----END %s-----\n", label);
  return out;
}
