/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "menus/pkm-menus.h"
#include "model/pkm-model.h"

G_BEGIN_DECLS

/* The entry an ITEM parameter names. (transfer full) */
PkmEntry *pkm_cert_load_param (PkmCall *call, const char *param, GError **error);
/* An error unless @name is free (or is @self's own name). */
gboolean pkm_cert_check_name_free (PkmCall *call, const char *param, const char *name, gint64 self, GError **error);
/* The template properties given to add or set, onto @entry. */
gboolean pkm_cert_apply_template_args (PkmCall *call, PkmEntry *entry, GError **error);
/* (transfer full) (nullable): an entry's SAN list split into items. */
char **pkm_cert_san_items (const char *san);
/* The certificate DER of a signed entry. (transfer full) */
GBytes *pkm_cert_der (PkmEntry *entry, GError **error);

G_END_DECLS
