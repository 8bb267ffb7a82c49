/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What costs time by design rather than by input, in front of the real
 * provider: key generation (bounded by the key-size enum) and passphrase key
 * derivation (GnuTLS's 600000 iterations per export, import's budget per
 * file, a master key file's own count). A fuzzer would only measure them.
 * Each key size is generated once (above 2048 bits, the 2048-bit key);
 * exports, imports and derivations are remembered by their arguments, so a
 * script that exports and imports again costs one derivation, not one per
 * input; and one input may make FUZZ_MAX_DERIVATIONS new ones, after which
 * the provider fails, as a provider may. */
#include <string.h>
#include "fuzz-sandbox.h"
#include "core/pkm-context-private.h"

#define FUZZ_MAX_DERIVATIONS 4
/* Results remembered before the table starts over. */
#define FUZZ_MAX_MEMOS 256

typedef struct {
  GError *error;
  GBytes *bytes;     /* an export */
  PkmSecret *secret; /* an imported key */
  GPtrArray *certs;  /* an imported PKCS#12's certificates */
} FuzzMemo;

static const PkmCryptoVTable *real;
static PkmCryptoVTable shim;
static GHashTable *keys;  /* "rsa:2048", "ec:secp384r1" -> PkmSecret */
static GHashTable *memos; /* GBytes (the arguments) -> FuzzMemo */
static guint derivations; /* new ones in the current input */

static void
memo_free (gpointer data)
{
  FuzzMemo *memo = data;

  g_clear_error (&memo->error);
  g_clear_pointer (&memo->bytes, g_bytes_unref);
  g_clear_pointer (&memo->secret, pkm_secret_free);
  g_clear_pointer (&memo->certs, g_ptr_array_unref);
  g_free (memo);
}

static PkmSecret *
copy_secret (PkmSecret *secret)
{
  return secret != NULL ? pkm_secret_new_from_data (pkm_secret_get_data (secret), pkm_secret_get_size (secret))
                        : NULL;
}

/* The arguments of one call as one byte string: a tag and length-prefixed parts. */
static void
add_part (GByteArray *args, const void *data, gsize size)
{
  guint64 n = data != NULL ? size : G_MAXUINT64;

  g_byte_array_append (args, (const guint8 *) &n, sizeof n);
  if (data != NULL)
    g_byte_array_append (args, data, size);
}

static void
add_text (GByteArray *args, const char *text)
{
  add_part (args, text, text != NULL ? strlen (text) : 0);
}

static void
add_bytes (GByteArray *args, GBytes *bytes)
{
  gsize size;
  const void *data = g_bytes_get_data (bytes, &size);

  add_part (args, data != NULL ? data : "", size);
}

static GByteArray *
args_new (const char *tag)
{
  GByteArray *args = g_byte_array_new ();

  add_text (args, tag);
  return args;
}

/* Calls @compute once per distinct @args (consumed): later calls get what it
 * left in the memo. NULL when the input has made too many new ones. */
static FuzzMemo *
memoized (GByteArray *args, void (*compute) (FuzzMemo *memo, gpointer call), gpointer call, GError **error)
{
  GBytes *key = g_byte_array_free_to_bytes (args);
  FuzzMemo *memo = g_hash_table_lookup (memos, key);

  if (memo != NULL)
    {
      g_bytes_unref (key);
      return memo;
    }
  if (++derivations > FUZZ_MAX_DERIVATIONS)
    {
      g_bytes_unref (key);
      g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED, "fuzz: more than %d key derivations in one input",
                   FUZZ_MAX_DERIVATIONS);
      return NULL;
    }
  if (g_hash_table_size (memos) >= FUZZ_MAX_MEMOS)
    g_hash_table_remove_all (memos);
  memo = g_new0 (FuzzMemo, 1);
  compute (memo, call);
  g_hash_table_insert (memos, key, memo);
  return memo;
}

/* FALSE, with the error the call gave, when it failed. */
static gboolean
replay (FuzzMemo *memo, GError **error)
{
  if (memo == NULL)
    return FALSE;
  if (memo->error != NULL)
    {
      g_propagate_error (error, g_error_copy (memo->error));
      return FALSE;
    }
  return TRUE;
}

static PkmSecret *
shim_generate_key (gpointer self, const PkmKeySpec *spec, GError **error)
{
  PkmKeySpec wanted = *spec;
  g_autofree char *id = NULL;
  PkmSecret *key;

  if (wanted.type == PKM_KEY_TYPE_RSA && wanted.bits > 2048)
    wanted.bits = 2048;
  id = wanted.type == PKM_KEY_TYPE_RSA ? g_strdup_printf ("rsa:%u", wanted.bits)
                                       : g_strdup_printf ("ec:%s", wanted.curve != NULL ? wanted.curve : "");
  key = g_hash_table_lookup (keys, id);
  if (key == NULL)
    {
      key = real->generate_key (self, &wanted, error);
      if (key == NULL)
        return NULL;
      g_hash_table_insert (keys, g_steal_pointer (&id), key);
    }
  return copy_secret (key);
}

typedef struct {
  gpointer self;
  GBytes *const *certs;
  guint n_certs;
  GBytes *data;
  PkmSecret *key;
  const char *passphrase, *friendly_name;
} FuzzCall;

static void
export_key (FuzzMemo *memo, gpointer data)
{
  FuzzCall *call = data;

  memo->bytes = real->export_key_pkcs8 (call->self, call->key, call->passphrase, &memo->error);
}

static GBytes *
shim_export_key_pkcs8 (gpointer self, PkmSecret *key, const char *passphrase, GError **error)
{
  FuzzCall call = { .self = self, .key = key, .passphrase = passphrase };
  GByteArray *args = args_new ("export-key");
  FuzzMemo *memo;

  if (passphrase == NULL)
    {
      g_byte_array_unref (args);
      return real->export_key_pkcs8 (self, key, NULL, error);
    }
  add_part (args, pkm_secret_get_data (key), pkm_secret_get_size (key));
  add_text (args, passphrase);
  memo = memoized (args, export_key, &call, error);
  return replay (memo, error) ? g_bytes_ref (memo->bytes) : NULL;
}

static void
export_pkcs12 (FuzzMemo *memo, gpointer data)
{
  FuzzCall *call = data;

  memo->bytes = real->export_pkcs12 (call->self, call->certs, call->n_certs, call->key, call->passphrase,
                                     call->friendly_name, &memo->error);
}

static GBytes *
shim_export_pkcs12 (gpointer self, GBytes *const *certs, guint n_certs, PkmSecret *key, const char *passphrase,
                    const char *friendly_name, GError **error)
{
  FuzzCall call = { self, certs, n_certs, NULL, key, passphrase, friendly_name };
  GByteArray *args = args_new ("export-pkcs12");
  FuzzMemo *memo;

  for (guint i = 0; i < n_certs; i++)
    add_bytes (args, certs[i]);
  add_part (args, key != NULL ? pkm_secret_get_data (key) : NULL, key != NULL ? pkm_secret_get_size (key) : 0);
  add_text (args, passphrase);
  add_text (args, friendly_name);
  memo = memoized (args, export_pkcs12, &call, error);
  return replay (memo, error) ? g_bytes_ref (memo->bytes) : NULL;
}

static void
import_key (FuzzMemo *memo, gpointer data)
{
  FuzzCall *call = data;

  memo->secret = real->import_key (call->self, call->data, call->passphrase, &memo->error);
}

static PkmSecret *
shim_import_key (gpointer self, GBytes *data, const char *passphrase, GError **error)
{
  FuzzCall call = { .self = self, .data = data, .passphrase = passphrase };
  GByteArray *args;
  FuzzMemo *memo;

  /* Without a passphrase nothing is derived. */
  if (passphrase == NULL || *passphrase == '\0')
    return real->import_key (self, data, passphrase, error);
  args = args_new ("import-key");
  add_bytes (args, data);
  add_text (args, passphrase);
  memo = memoized (args, import_key, &call, error);
  return replay (memo, error) ? copy_secret (memo->secret) : NULL;
}

static void
import_pkcs12 (FuzzMemo *memo, gpointer data)
{
  FuzzCall *call = data;

  real->import_pkcs12 (call->self, call->data, call->passphrase, &memo->certs, &memo->secret, &memo->error);
}

static gboolean
shim_import_pkcs12 (gpointer self, GBytes *data, const char *passphrase, GPtrArray **out_certs, PkmSecret **out_key,
                    GError **error)
{
  FuzzCall call = { .self = self, .data = data, .passphrase = passphrase };
  GByteArray *args = args_new ("import-pkcs12");
  FuzzMemo *memo;

  add_bytes (args, data);
  add_text (args, passphrase);
  memo = memoized (args, import_pkcs12, &call, error);
  if (!replay (memo, error))
    return FALSE;
  *out_certs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (guint i = 0; memo->certs != NULL && i < memo->certs->len; i++)
    g_ptr_array_add (*out_certs, g_bytes_ref (g_ptr_array_index (memo->certs, i)));
  *out_key = copy_secret (memo->secret);
  return TRUE;
}

typedef struct {
  gpointer self;
  const char *passphrase;
  GBytes *salt;
  guint iterations;
  gsize size;
} FuzzDerive;

static void
derive_key (FuzzMemo *memo, gpointer data)
{
  FuzzDerive *call = data;

  memo->secret = real->derive_key (call->self, call->passphrase, call->salt, call->iterations, call->size,
                                   &memo->error);
}

/* /system master-key: export's own count, or what an imported file names. */
static PkmSecret *
shim_derive_key (gpointer self, const char *passphrase, GBytes *salt, guint iterations, gsize size, GError **error)
{
  FuzzDerive call = { self, passphrase, salt, iterations, size };
  GByteArray *args = args_new ("derive-key");
  guint64 numbers[2] = { iterations, size };
  FuzzMemo *memo;

  add_text (args, passphrase);
  add_part (args, salt != NULL ? g_bytes_get_data (salt, NULL) : NULL, salt != NULL ? g_bytes_get_size (salt) : 0);
  add_part (args, numbers, sizeof numbers);
  memo = memoized (args, derive_key, &call, error);
  return replay (memo, error) ? copy_secret (memo->secret) : NULL;
}

void
fuzz_shim_new_input (void)
{
  derivations = 0;
}

void
fuzz_shim_install (PkmContext *ctx)
{
  real = ctx->crypto;
  shim = *real;
  shim.generate_key = shim_generate_key;
  shim.export_key_pkcs8 = shim_export_key_pkcs8;
  shim.export_pkcs12 = shim_export_pkcs12;
  shim.import_key = shim_import_key;
  shim.import_pkcs12 = shim_import_pkcs12;
  shim.derive_key = shim_derive_key;
  keys = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) pkm_secret_free);
  memos = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref, memo_free);
  ctx->crypto = &shim;
}
