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

static void
pem_block_free (gpointer data)
{
  PkmPemBlock *block = data;

  g_free (block->label);
  g_clear_pointer (&block->armored, g_bytes_unref);
  g_clear_pointer (&block->der, g_bytes_unref);
  g_free (block);
}

/* The body of a block: header lines ("Proc-Type: ...") end at a blank line. */
static GBytes *
decode_body (const char *body, gsize len)
{
  g_autofree char *copy = g_strndup (body, len);
  gsize out_len = 0;
  guchar *der;

  if (strstr (copy, ": ") != NULL)
    return NULL;
  g_strdelimit (copy, "\r", '\n');
  der = g_base64_decode (copy, &out_len);
  if (out_len == 0)
    {
      g_free (der);
      return NULL;
    }
  return g_bytes_new_take (der, out_len);
}

GPtrArray *
pkm_pem_blocks (const char *text, gsize len, GError **error)
{
  g_autoptr (GPtrArray) blocks = g_ptr_array_new_with_free_func (pem_block_free);
  const char *end_of_text = text + len;
  const char *p = text;

  while ((p = g_strstr_len (p, end_of_text - p, "-----BEGIN ")) != NULL)
    {
      const char *label = p + 11;
      const char *label_end = g_strstr_len (label, MIN (end_of_text - label, 80), "-----");
      g_autofree char *end_marker = NULL;
      const char *body, *end;
      PkmPemBlock *block;

      if (label_end == NULL)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "malformed PEM BEGIN line");
          return NULL;
        }
      block = g_new0 (PkmPemBlock, 1);
      block->label = g_strndup (label, label_end - label);
      g_ptr_array_add (blocks, block);
      end_marker = g_strdup_printf ("-----END %s-----", block->label);
      body = label_end + 5;
      end = g_strstr_len (body, end_of_text - body, end_marker);
      if (end == NULL)
        {
          /* The label is the file's text: not echoed (it could be anything). */
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "truncated PEM: block %u has no END line",
                       blocks->len);
          return NULL;
        }
      block->armored = g_bytes_new (p, end + strlen (end_marker) - p);
      block->der = decode_body (body, end - body);
      p = end + strlen (end_marker);
      if (blocks->len > PKM_PEM_MAX_BLOCKS)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "more than %d PEM blocks", PKM_PEM_MAX_BLOCKS);
          return NULL;
        }
    }
  return g_steal_pointer (&blocks);
}
