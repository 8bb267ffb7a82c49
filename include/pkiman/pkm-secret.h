/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>

PKM_BEGIN_DECLS

/* A buffer for key material and passphrases: its bytes are wiped when it is
 * freed, so secrets never linger in freed heap memory. */
typedef struct _PkmSecret PkmSecret;

/* (transfer full): a zero-filled secret of @size bytes. */
PkmSecret *pkm_secret_new (gsize size);
/* (transfer full): a copy of @data. */
PkmSecret *pkm_secret_new_from_data (const void *data, gsize size);
/* (transfer full): takes the bytes of a g_malloc'd buffer; @data is wiped and freed with the secret. */
PkmSecret *pkm_secret_new_take (void *data, gsize size);
/* (transfer none) */
guint8 *pkm_secret_get_data (PkmSecret *secret);
gsize pkm_secret_get_size (const PkmSecret *secret);
PkmSecret *pkm_secret_dup (const PkmSecret *secret);
void pkm_secret_free (PkmSecret *secret);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PkmSecret, pkm_secret_free)

PKM_END_DECLS
