/* SPDX-License-Identifier: LGPL-2.1-or-later */
#define _GNU_SOURCE /* memmem: the file may hold NULs before its block */
#include <string.h>
#include "core/pkm-providers.h"

/* The master key as a file to carry to another node: text, so that it can be
 * pasted, in one PEM-like block whose body is
 *   "PKMK" | version 1 | PBKDF2 iterations (u32, big-endian) | salt (16)
 *   | the master key sealed (seal: nonce 12 | ciphertext 32 | tag 16)
 * under a key derived from a passphrase, with everything before the sealed
 * key as its AAD: no byte of the header can change unnoticed. The file comes
 * from outside: every length is checked before it is used, and errors never
 * echo its bytes. */

#define MAGIC "PKMK"
#define MAGIC_SIZE 4
#define VERSION 1
#define HEADER_SIZE (MAGIC_SIZE + 1 + 4 + PKM_MASTER_FILE_SALT_SIZE)
#define SEALED_SIZE (12 + PKM_MASTER_KEY_SIZE + 16)
#define BODY_SIZE (HEADER_SIZE + SEALED_SIZE)
#define BEGIN_LINE "-----BEGIN PKIMAN MASTER KEY-----"
#define END_LINE "-----END PKIMAN MASTER KEY-----"

GBytes *
pkm_master_file_header (guint32 iterations, GBytes *salt)
{
  guint8 header[HEADER_SIZE];

  g_return_val_if_fail (g_bytes_get_size (salt) == PKM_MASTER_FILE_SALT_SIZE, NULL);
  memcpy (header, MAGIC, MAGIC_SIZE);
  header[MAGIC_SIZE] = VERSION;
  header[MAGIC_SIZE + 1] = iterations >> 24;
  header[MAGIC_SIZE + 2] = iterations >> 16;
  header[MAGIC_SIZE + 3] = iterations >> 8;
  header[MAGIC_SIZE + 4] = iterations;
  memcpy (header + MAGIC_SIZE + 5, g_bytes_get_data (salt, NULL), PKM_MASTER_FILE_SALT_SIZE);
  return g_bytes_new (header, sizeof header);
}

GBytes *
pkm_master_file_format (GBytes *header, GBytes *sealed)
{
  g_autoptr (GByteArray) body = g_byte_array_new ();
  g_autofree char *b64 = NULL;
  GString *text;
  gsize len;

  g_byte_array_append (body, g_bytes_get_data (header, NULL), g_bytes_get_size (header));
  g_byte_array_append (body, g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  b64 = g_base64_encode (body->data, body->len);
  len = strlen (b64);
  text = g_string_new (BEGIN_LINE "\n");
  for (gsize i = 0; i < len; i += 64)
    {
      g_string_append_len (text, b64 + i, MIN (64, len - i));
      g_string_append_c (text, '\n');
    }
  g_string_append (text, END_LINE "\n");
  return g_string_free_to_bytes (text);
}

static gboolean
refuse (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

static gboolean
refuse (GError **error, const char *format, ...)
{
  va_list args;
  g_autofree char *message = NULL;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "not an exported master key: %s", message);
  return FALSE;
}

static gboolean
is_base64 (char c)
{
  return g_ascii_isalnum (c) || c == '+' || c == '/';
}

/* The base64 body between the two lines, strictly: the alphabet, line ends,
 * and padding only at the end (GLib's decoder would skip anything else). */
static guint8 *
decode_body (const char *body, gsize len, gsize *out_size, GError **error)
{
  g_autofree char *clean = g_malloc (len + 1);
  gsize n = 0, padding = 0;
  guint8 *data;

  for (gsize i = 0; i < len; i++)
    {
      char c = body[i];

      if (c == '\n' || c == '\r')
        continue;
      if (c == '=')
        padding++;
      else if (!is_base64 (c) || padding > 0)
        {
          refuse (error, "the body is not base64");
          return NULL;
        }
      clean[n++] = c;
    }
  clean[n] = '\0';
  if (n == 0 || n % 4 != 0 || padding > 2)
    {
      refuse (error, "the body is not base64");
      return NULL;
    }
  data = g_base64_decode (clean, out_size);
  return data;
}

gboolean
pkm_master_file_parse (GBytes *text, PkmMasterFile *file, GError **error)
{
  gsize size;
  const char *data = g_bytes_get_data (text, &size);
  const char *begin, *body, *end;
  g_autofree guint8 *decoded = NULL;
  gsize decoded_size = 0;
  guint32 iterations;

  memset (file, 0, sizeof *file);
  if (size > PKM_MASTER_FILE_MAX_SIZE)
    return refuse (error, "%" G_GSIZE_FORMAT " bytes, more than one can be (%d)", size, PKM_MASTER_FILE_MAX_SIZE);
  begin = data != NULL ? memmem (data, size, BEGIN_LINE, strlen (BEGIN_LINE)) : NULL;
  if (begin == NULL)
    return refuse (error, "no %s line", BEGIN_LINE);
  body = begin + strlen (BEGIN_LINE);
  if (body < data + size && *body == '\r')
    body++;
  if (body >= data + size || *body != '\n')
    return refuse (error, "the %s line does not end there", BEGIN_LINE);
  end = memmem (body, data + size - body, END_LINE, strlen (END_LINE));
  if (end == NULL)
    return refuse (error, "truncated: no %s line", END_LINE);
  decoded = decode_body (body, end - body, &decoded_size, error);
  if (decoded == NULL)
    return FALSE;
  if (decoded_size < MAGIC_SIZE + 1 || memcmp (decoded, MAGIC, MAGIC_SIZE) != 0)
    return refuse (error, "it does not start with %s", MAGIC);
  if (decoded[MAGIC_SIZE] != VERSION)
    return refuse (error, "version %u, this pkiman reads version %d", decoded[MAGIC_SIZE], VERSION);
  if (decoded_size < HEADER_SIZE)
    return refuse (error, "truncated: %" G_GSIZE_FORMAT " bytes, %d expected", decoded_size, BODY_SIZE);
  iterations = (guint32) decoded[MAGIC_SIZE + 1] << 24 | (guint32) decoded[MAGIC_SIZE + 2] << 16
               | (guint32) decoded[MAGIC_SIZE + 3] << 8 | decoded[MAGIC_SIZE + 4];
  if (iterations < PKM_MASTER_FILE_MIN_ITERATIONS || iterations > PKM_MASTER_FILE_MAX_ITERATIONS)
    return refuse (error, "%u key derivation iterations, outside %d to %d", iterations,
                   PKM_MASTER_FILE_MIN_ITERATIONS, PKM_MASTER_FILE_MAX_ITERATIONS);
  if (decoded_size < BODY_SIZE)
    return refuse (error, "truncated: %" G_GSIZE_FORMAT " bytes, %d expected", decoded_size, BODY_SIZE);
  if (decoded_size > BODY_SIZE)
    return refuse (error, "%" G_GSIZE_FORMAT " bytes, %d expected", decoded_size, BODY_SIZE);
  file->iterations = iterations;
  file->header = g_bytes_new (decoded, HEADER_SIZE);
  file->salt = g_bytes_new (decoded + MAGIC_SIZE + 5, PKM_MASTER_FILE_SALT_SIZE);
  file->sealed = g_bytes_new (decoded + HEADER_SIZE, SEALED_SIZE);
  return TRUE;
}

void
pkm_master_file_clear (PkmMasterFile *file)
{
  g_clear_pointer (&file->header, g_bytes_unref);
  g_clear_pointer (&file->salt, g_bytes_unref);
  g_clear_pointer (&file->sealed, g_bytes_unref);
}
