/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "gnutls-private.h"

/* The plugin's instance. GnuTLS initialises itself when it is loaded and
 * keeps no state per caller, so there is nothing in it yet; it exists so that
 * the vtable's members have the @self that settings from [crypto-gnutls]
 * would live in. */
struct _PkmGnutls {
  guint32 unused;
};

gpointer
pkm_gnutls_open (GKeyFile *config, GError **error)
{
  return g_new0 (PkmGnutls, 1);
}

void
pkm_gnutls_close (gpointer self)
{
  g_free (self);
}
