/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pkiman/pkiman.h>

G_BEGIN_DECLS

/* Records what the command did (pkm_call_audit: written with its commit) and
 * answers TRUE, as a handler's last line does. */
#define PKM_AUDITED(call, topics, ...) (pkm_call_audit ((call), (topics), __VA_ARGS__), TRUE)

/* add's answer: the new item's id, *HEX, as RouterOS's [/certificate add ...]
 * gives it (and as the REST API's PUT reads it to answer with the item). */
static inline void
pkm_menus_answer_new_id (PkmCall *call, gint64 id)
{
  g_autofree char *text = pkm_item_id_format (id);

  pkm_call_set_result (call, g_variant_new_parsed ("{'.id': <%s>}", text));
}

/* Built from the property table on first use. */
const PkmMenu *pkm_menu_certificate_get (void);
extern const PkmMenu pkm_menu_certificate_key;
extern const PkmMenu pkm_menu_system_plugin;
extern const PkmMenu pkm_menu_system_store;
extern const PkmMenu pkm_menu_system_clock;
extern const PkmMenu pkm_menu_system_token;
extern const PkmMenu pkm_menu_system_master_key;
extern const PkmMenu pkm_menu_log;
extern const PkmMenu pkm_menu_file;
extern const PkmMenu pkm_menu_ip_service;
extern const PkmMenu pkm_menu_user;

/* /certificate handlers (pkm-cert-*.c) */
gboolean pkm_cert_add (PkmCall *call, GError **error);
gboolean pkm_cert_set (PkmCall *call, GError **error);
gboolean pkm_cert_sign (PkmCall *call, GError **error);
gboolean pkm_cert_remove (PkmCall *call, GError **error);
gboolean pkm_cert_issued_revoke (PkmCall *call, GError **error);
gboolean pkm_cert_export (PkmCall *call, GError **error);
gboolean pkm_cert_import (PkmCall *call, GError **error);
gboolean pkm_cert_create_request (PkmCall *call, GError **error);
gboolean pkm_cert_sign_request (PkmCall *call, GError **error);
GPtrArray *pkm_cert_list (PkmCall *call, GError **error);
/* (transfer full): the item of certificate @id, as print shows it, from the indexes. */
GVariant *pkm_cert_item (PkmCall *call, gint64 id, GError **error);
/* The same before what extensions add: the menu's get (PkmMenu.get). */
GVariant *pkm_cert_get (PkmCall *call, gint64 id, GError **error);
/* The first certificate whose indexed @field is @value: its id, 0 when none, -1 on error. */
gint64 pkm_cert_find_by (PkmContext *ctx, const char *field, const char *value, GError **error);
gint64 pkm_cert_lookup (PkmCall *call, const char *name, GError **error);


G_END_DECLS
