/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The plugin ABI: a module must be built for exactly this value. */
#define PKM_PLUGIN_ABI_VERSION 1
/* The API minor: grows when members are appended; a plugin built for a newer
 * minor than the running core is refused (GStreamer's gst_plugin_check_version).
 * "Since: N" in these headers names the minor that added a function or value.
 * 1: pkm_call_set_data/get_data, pkm_item_id_format/parse, pkm_item_ref_is_number,
 *    PKM_ERROR_CONFLICT, events, timers and routes, the start hook, plugin data.
 * 2: PkmKey handles and PkmKeyOps, token plugins (PkmTokenVTable),
 *    pkm_context_find_key/list_tokens/login_token, and the crypto vtable
 *    version 2 (an instance, PkmKey where keys sign, load_key, sign_data,
 *    verify_data, public_jwk, jwk_thumbprint); pkm_invoke and PkmResult,
 *    asynchronous commands, menus with table sizes and their extension,
 *    pkm_call_add_item/pkm_call_audit, the model (pkm-certificates.h),
 *    pkm_context_transact, pkm_context_log, the front-end API
 *    (pkm-frontend.h), files (pkm-files.h), the providers' wrappers
 *    (pkm-services.h), PKM_BEGIN_DECLS.
 * 3: the store vtable version 2 (transactions as handles, revisions,
 *    indexes and queries, sequences, the change feed) and its wrappers
 *    (pkm_store_get_revision ... pkm_store_changes_since), revocation
 *    records (pkm-certificates.h), PkmInvocation.properties and
 *    pkm_call_wants_property, pkm_value_to_text/is_set,
 *    pkm_menu_decorate_item, the crypto vtable's derive_key,
 *    pkm_context_export_master_key/import_master_key.
 * 4: a{sv} read in place and built into one buffer (pkm-vardict.h),
 *    pkm_store_record_project_data, PkmFlag.count and
 *    pkm_result_has_listing, PKM_MENU_MAX_FLAGS, pkm_certificates_get_key.
 * 5: logins for front ends, pkm_context_lookup_user and
 *    pkm_password_verify (pkm-frontend.h); PkmMenu.get and
 *    PkmInvocation.unnumbered (one item read, not a listing).
 * 6: revocations read in order (pkm_certificates_foreach_revocation), the
 *    revocation checker (PkmRevocationChecker, PkmCrlStatus), HTTP GET for
 *    plugins (pkm-fetch.h).
 * 7: PkmParam.default_value and PkmMenu.export_where (export, unset and
 *    reset, which the core gives menus, and help), PKM_PARAM_ITEM_LIST and
 *    pkm_call_get_items (print from=), pkm_menu_get_commands. */
#define PKM_API_MINOR 7

#define PKM_PLUGIN_QUERY_SYMBOL "pkm_plugin_query"

/* Every public header opens and closes its declarations with these: what
 * they declare is exported from libpkiman (built with -fvisibility=hidden
 * and a version script made from these headers), and nothing else is. */
#ifdef __cplusplus
#define PKM_BEGIN_DECLS extern "C" { _Pragma ("GCC visibility push(default)")
#define PKM_END_DECLS _Pragma ("GCC visibility pop") }
#else
#define PKM_BEGIN_DECLS _Pragma ("GCC visibility push(default)")
#define PKM_END_DECLS _Pragma ("GCC visibility pop")
#endif
