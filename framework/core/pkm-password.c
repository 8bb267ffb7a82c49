/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Passwords of /user, hashed with libcrypt's yescrypt (the scheme Debian's
 * /etc/shadow uses): salted, slow by design, and the hash string names its
 * own parameters, so a later default cost still verifies old hashes. */
#include <crypt.h>
#include <string.h>
#include "core/pkm-context-private.h"

/* The hash of nothing, made once with the default parameters: what a
 * missing user's password is checked against, so that "no such user" costs
 * what "wrong password" does. */
static const char *
dummy_hash (void)
{
  static char *dummy;
  static gsize made;

  if (g_once_init_enter (&made))
    {
      dummy = pkm_password_hash ("pkiman: no such user", NULL);
      g_once_init_leave (&made, 1);
    }
  return dummy != NULL ? dummy : "*";
}

/* (transfer full): crypt_rn of @password under @setting (a salt or a whole
 * hash), or NULL when libcrypt refuses it. The work area, which held the
 * password, is wiped. */
static char *
run_crypt (const char *password, const char *setting)
{
  struct crypt_data *data = g_new0 (struct crypt_data, 1);
  const char *out = crypt_rn (password, setting, data, sizeof *data);
  char *hash = out != NULL && out[0] != '*' ? g_strdup (out) : NULL;

  explicit_bzero (data, sizeof *data);
  g_free (data);
  return hash;
}

char *
pkm_password_hash (const char *password, GError **error)
{
  char salt[CRYPT_GENSALT_OUTPUT_SIZE];
  char *hash;

  /* No random bytes given: libcrypt takes them from the kernel. */
  if (crypt_gensalt_rn ("$y$", 0, NULL, 0, salt, sizeof salt) == NULL || (hash = run_crypt (password, salt)) == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED, "password: libcrypt has no yescrypt");
      return NULL;
    }
  return hash;
}

gboolean
pkm_password_verify (const char *hash, const char *password)
{
  g_autofree char *computed = NULL;
  gsize size;
  guint8 difference = 0;

  computed = run_crypt (password != NULL ? password : "", hash != NULL ? hash : dummy_hash ());
  if (hash == NULL || computed == NULL || (size = strlen (hash)) != strlen (computed))
    return FALSE;
  /* In constant time: the hash is public to no one, but cheap to protect. */
  for (gsize i = 0; i < size; i++)
    difference |= (guint8) (hash[i] ^ computed[i]);
  return difference == 0;
}
