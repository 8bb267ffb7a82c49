/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plugin ABI, pinned: a change here breaks every plugin built before it,
 * so it must be deliberate (PipeWire test/test-spa-node.c). */
#include <stddef.h>
#include <pkiman/pkiman.h>

static void
test_descriptor (void)
{
  g_assert_cmpint (PKM_PLUGIN_ABI_VERSION, ==, 1);
  g_assert_cmpint (PKM_API_MINOR, ==, 7);
  g_assert_cmpuint (offsetof (PkmPluginDescriptor, abi_version), ==, 0);
  g_assert_cmpuint (offsetof (PkmPluginDescriptor, struct_size), ==, 4);
  g_assert_cmpuint (offsetof (PkmPluginDescriptor, api_minor), ==, 8);
  g_assert_cmpuint (offsetof (PkmPluginDescriptor, kind), ==, 12);
  g_assert_cmpuint (offsetof (PkmPluginDescriptor, name), ==, 16);
  g_assert_cmpuint (offsetof (PkmPluginDescriptor, vtable), ==, 40);
  g_assert_cmpuint (offsetof (PkmPluginDescriptor, init), ==, 56);
  g_assert_cmpuint (offsetof (PkmPluginDescriptor, shutdown), ==, 64);
  g_assert_cmpuint (offsetof (PkmPluginDescriptor, start), ==, 72); /* Since: 1 */
  g_assert_cmpuint (sizeof (PkmPluginDescriptor), ==, 80);
}

/* Pointers are 8 bytes on the platforms pkiman builds for; each member is a pointer. */
#define PTR(n) (8 + (n) * 8)

static void
test_vtables (void)
{
  g_assert_cmpint (PKM_CRYPTO_VTABLE_VERSION, ==, 2);
  g_assert_cmpint (PKM_STORE_VTABLE_VERSION, ==, 2);
  g_assert_cmpuint (offsetof (PkmCryptoVTable, version), ==, 0);
  g_assert_cmpuint (offsetof (PkmCryptoVTable, struct_size), ==, 4);
  g_assert_cmpuint (offsetof (PkmCryptoVTable, open), ==, PTR (0));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, close), ==, PTR (1));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, random), ==, PTR (2));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, generate_key), ==, PTR (3));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, load_key), ==, PTR (4));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, sign_certificate), ==, PTR (5));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, parse_certificate), ==, PTR (6));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, seal), ==, PTR (7));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, unseal), ==, PTR (8));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, export_key_pkcs8), ==, PTR (9));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, import_key), ==, PTR (10));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, export_pkcs12), ==, PTR (11));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, import_pkcs12), ==, PTR (12));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, create_csr), ==, PTR (13));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, parse_csr), ==, PTR (14));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, verify_signature), ==, PTR (15));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, sign_data), ==, PTR (16)); /* Since: 2 */
  g_assert_cmpuint (offsetof (PkmCryptoVTable, verify_data), ==, PTR (17));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, public_jwk), ==, PTR (18));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, jwk_thumbprint), ==, PTR (19));
  g_assert_cmpuint (offsetof (PkmCryptoVTable, derive_key), ==, PTR (20)); /* Since: 3 */
  g_assert_cmpuint (sizeof (PkmCryptoVTable), ==, PTR (21));
  /* Store vtable version 2. Since: 3 */
  g_assert_cmpuint (offsetof (PkmStoreVTable, open), ==, PTR (0));
  g_assert_cmpuint (offsetof (PkmStoreVTable, close), ==, PTR (1));
  g_assert_cmpuint (offsetof (PkmStoreVTable, begin), ==, PTR (2));
  g_assert_cmpuint (offsetof (PkmStoreVTable, commit), ==, PTR (3));
  g_assert_cmpuint (offsetof (PkmStoreVTable, rollback), ==, PTR (4));
  g_assert_cmpuint (offsetof (PkmStoreVTable, insert), ==, PTR (5));
  g_assert_cmpuint (offsetof (PkmStoreVTable, update), ==, PTR (6));
  g_assert_cmpuint (offsetof (PkmStoreVTable, remove), ==, PTR (7));
  g_assert_cmpuint (offsetof (PkmStoreVTable, get), ==, PTR (8));
  g_assert_cmpuint (offsetof (PkmStoreVTable, find), ==, PTR (9));
  g_assert_cmpuint (offsetof (PkmStoreVTable, query), ==, PTR (10));
  g_assert_cmpuint (offsetof (PkmStoreVTable, count), ==, PTR (11));
  g_assert_cmpuint (offsetof (PkmStoreVTable, list_collections), ==, PTR (12));
  g_assert_cmpuint (offsetof (PkmStoreVTable, declare_index), ==, PTR (13));
  g_assert_cmpuint (offsetof (PkmStoreVTable, next_sequence), ==, PTR (14));
  g_assert_cmpuint (offsetof (PkmStoreVTable, current_cursor), ==, PTR (15));
  g_assert_cmpuint (offsetof (PkmStoreVTable, changes_since), ==, PTR (16));
  g_assert_cmpuint (sizeof (PkmStoreVTable), ==, PTR (17));
  g_assert_cmpuint (offsetof (PkmStoreQuery, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmStoreQuery, field), ==, 8);
  g_assert_cmpuint (offsetof (PkmStoreQuery, lower), ==, 16);
  g_assert_cmpuint (offsetof (PkmStoreQuery, upper), ==, 24);
  g_assert_cmpuint (offsetof (PkmStoreQuery, projection), ==, 32);
  g_assert_cmpuint (offsetof (PkmStoreQuery, after_id), ==, 40);
  g_assert_cmpuint (offsetof (PkmStoreQuery, limit), ==, 48);
  g_assert_cmpuint (sizeof (PkmStoreQuery), ==, 56);
  g_assert_cmpint (PKM_STORE_TXN_READ, ==, 0);
  g_assert_cmpint (PKM_STORE_TXN_WRITE, ==, 1);
  g_assert_cmpint (PKM_STORE_TXN_LOCK_NOW, ==, 2);
  g_assert_cmpint (PKM_STORE_CHANGE_INSERTED, ==, 1);
  g_assert_cmpint (PKM_STORE_CHANGE_UPDATED, ==, 2);
  g_assert_cmpint (PKM_STORE_CHANGE_REMOVED, ==, 3);
  g_assert_cmpuint (offsetof (PkmCertSpec, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmCertSpec, crl_distribution_point), ==, sizeof (PkmCertSpec) - 8);
}

/* Since: 2 */
static void
test_keys_and_tokens (void)
{
  g_assert_cmpint (PKM_KEY_OPS_VERSION, ==, 1);
  g_assert_cmpuint (offsetof (PkmKeyOps, version), ==, 0);
  g_assert_cmpuint (offsetof (PkmKeyOps, struct_size), ==, 4);
  g_assert_cmpuint (offsetof (PkmKeyOps, public_key), ==, PTR (0));
  g_assert_cmpuint (offsetof (PkmKeyOps, sign_hash), ==, PTR (1));
  g_assert_cmpuint (offsetof (PkmKeyOps, decrypt), ==, PTR (2));
  g_assert_cmpuint (offsetof (PkmKeyOps, export_pkcs8), ==, PTR (3));
  g_assert_cmpuint (offsetof (PkmKeyOps, free), ==, PTR (4));
  g_assert_cmpuint (sizeof (PkmKeyOps), ==, PTR (5));
  g_assert_cmpint (PKM_TOKEN_VTABLE_VERSION, ==, 1);
  g_assert_cmpuint (offsetof (PkmTokenVTable, version), ==, 0);
  g_assert_cmpuint (offsetof (PkmTokenVTable, struct_size), ==, 4);
  g_assert_cmpuint (offsetof (PkmTokenVTable, open), ==, PTR (0));
  g_assert_cmpuint (offsetof (PkmTokenVTable, close), ==, PTR (1));
  g_assert_cmpuint (offsetof (PkmTokenVTable, list_tokens), ==, PTR (2));
  g_assert_cmpuint (offsetof (PkmTokenVTable, login), ==, PTR (3));
  g_assert_cmpuint (offsetof (PkmTokenVTable, generate_key), ==, PTR (4));
  g_assert_cmpuint (offsetof (PkmTokenVTable, find_key), ==, PTR (5));
  g_assert_cmpuint (sizeof (PkmTokenVTable), ==, PTR (6));
  g_assert_cmpint (PKM_KEY_TYPE_NONE, ==, 0);
  g_assert_cmpint (PKM_KEY_TYPE_RSA, ==, 1);
  g_assert_cmpint (PKM_KEY_TYPE_EC, ==, 2);
}

/* The tables plugins hand the core and the structs they fill: every member
 * pinned where it is today (generated once from the headers, then kept by
 * hand: a change here is an ABI change). Since: 2 */
static void
test_tables (void)
{
  /* PkmParam */
  g_assert_cmpuint (offsetof (PkmParam, name), ==, 0);
  g_assert_cmpuint (offsetof (PkmParam, type), ==, 8);
  g_assert_cmpuint (offsetof (PkmParam, flags), ==, 12);
  g_assert_cmpuint (offsetof (PkmParam, choices), ==, 16);
  g_assert_cmpuint (offsetof (PkmParam, min), ==, 24);
  g_assert_cmpuint (offsetof (PkmParam, max), ==, 32);
  g_assert_cmpuint (offsetof (PkmParam, item_menu), ==, 40);
  g_assert_cmpuint (offsetof (PkmParam, help), ==, 48);
  g_assert_cmpuint (offsetof (PkmParam, default_value), ==, 56); /* Since: 7 */
  g_assert_cmpuint (sizeof (PkmParam), ==, 64);
  /* PkmCommand */
  g_assert_cmpuint (offsetof (PkmCommand, name), ==, 0);
  g_assert_cmpuint (offsetof (PkmCommand, run), ==, 8);
  g_assert_cmpuint (offsetof (PkmCommand, params), ==, 16);
  g_assert_cmpuint (offsetof (PkmCommand, flags), ==, 24);
  g_assert_cmpuint (offsetof (PkmCommand, help), ==, 32);
  g_assert_cmpuint (offsetof (PkmCommand, run_async), ==, 40);
  g_assert_cmpuint (offsetof (PkmCommand, run_finish), ==, 48);
  g_assert_cmpuint (sizeof (PkmCommand), ==, 56);
  /* PkmFlag */
  g_assert_cmpuint (offsetof (PkmFlag, letter), ==, 0);
  g_assert_cmpuint (offsetof (PkmFlag, property), ==, 8);
  g_assert_cmpuint (offsetof (PkmFlag, legend), ==, 16);
  g_assert_cmpuint (offsetof (PkmFlag, count), ==, 24); /* Since: 4 */
  g_assert_cmpuint (sizeof (PkmFlag), ==, 32);
  g_assert_cmpint (PKM_MENU_MAX_FLAGS, ==, 64);
  /* PkmMenu */
  g_assert_cmpuint (offsetof (PkmMenu, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmMenu, command_size), ==, 4);
  g_assert_cmpuint (offsetof (PkmMenu, param_size), ==, 8);
  g_assert_cmpuint (offsetof (PkmMenu, flag_size), ==, 12);
  g_assert_cmpuint (offsetof (PkmMenu, path), ==, 16);
  g_assert_cmpuint (offsetof (PkmMenu, help), ==, 24);
  g_assert_cmpuint (offsetof (PkmMenu, commands), ==, 32);
  g_assert_cmpuint (offsetof (PkmMenu, list), ==, 40);
  g_assert_cmpuint (offsetof (PkmMenu, lookup), ==, 48);
  g_assert_cmpuint (offsetof (PkmMenu, flags), ==, 56);
  g_assert_cmpuint (offsetof (PkmMenu, columns), ==, 64);
  g_assert_cmpuint (offsetof (PkmMenu, fields), ==, 72);
  g_assert_cmpuint (offsetof (PkmMenu, get), ==, 80); /* Since: 5 */
  g_assert_cmpuint (offsetof (PkmMenu, export_where), ==, 88); /* Since: 7 */
  g_assert_cmpuint (sizeof (PkmMenu), ==, 96);
  /* PkmMenuExtension */
  g_assert_cmpuint (offsetof (PkmMenuExtension, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmMenuExtension, command_size), ==, 4);
  g_assert_cmpuint (offsetof (PkmMenuExtension, param_size), ==, 8);
  g_assert_cmpuint (offsetof (PkmMenuExtension, flag_size), ==, 12);
  g_assert_cmpuint (offsetof (PkmMenuExtension, commands), ==, 16);
  g_assert_cmpuint (offsetof (PkmMenuExtension, columns), ==, 24);
  g_assert_cmpuint (offsetof (PkmMenuExtension, fields), ==, 32);
  g_assert_cmpuint (offsetof (PkmMenuExtension, flags), ==, 40);
  g_assert_cmpuint (offsetof (PkmMenuExtension, decorate), ==, 48);
  g_assert_cmpuint (sizeof (PkmMenuExtension), ==, 56);
  /* PkmInvocation */
  g_assert_cmpuint (offsetof (PkmInvocation, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmInvocation, menu), ==, 8);
  g_assert_cmpuint (offsetof (PkmInvocation, command), ==, 16);
  g_assert_cmpuint (offsetof (PkmInvocation, args), ==, 24);
  g_assert_cmpuint (offsetof (PkmInvocation, actor), ==, 32);
  g_assert_cmpuint (offsetof (PkmInvocation, files_dir), ==, 40);
  g_assert_cmpuint (offsetof (PkmInvocation, progress), ==, 48);
  g_assert_cmpuint (offsetof (PkmInvocation, progress_data), ==, 56);
  g_assert_cmpuint (offsetof (PkmInvocation, properties), ==, 64); /* Since: 3 */
  g_assert_cmpuint (offsetof (PkmInvocation, unnumbered), ==, 72); /* Since: 5 */
  g_assert_cmpuint (sizeof (PkmInvocation), ==, 80);
  /* PkmIssueOptions */
  g_assert_cmpuint (offsetof (PkmIssueOptions, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmIssueOptions, days_valid), ==, 4);
  g_assert_cmpuint (offsetof (PkmIssueOptions, digest), ==, 8);
  g_assert_cmpuint (offsetof (PkmIssueOptions, name), ==, 16);
  g_assert_cmpuint (offsetof (PkmIssueOptions, allow_ca), ==, 24);
  g_assert_cmpuint (sizeof (PkmIssueOptions), ==, 32);
  /* PkmKeySpec */
  g_assert_cmpuint (offsetof (PkmKeySpec, type), ==, 0);
  g_assert_cmpuint (offsetof (PkmKeySpec, bits), ==, 4);
  g_assert_cmpuint (offsetof (PkmKeySpec, curve), ==, 8);
  g_assert_cmpuint (sizeof (PkmKeySpec), ==, 16);
  /* PkmCertInfo */
  g_assert_cmpuint (offsetof (PkmCertInfo, subject), ==, 0);
  g_assert_cmpuint (offsetof (PkmCertInfo, issuer), ==, 8);
  g_assert_cmpuint (offsetof (PkmCertInfo, country), ==, 16);
  g_assert_cmpuint (offsetof (PkmCertInfo, state), ==, 24);
  g_assert_cmpuint (offsetof (PkmCertInfo, locality), ==, 32);
  g_assert_cmpuint (offsetof (PkmCertInfo, organization), ==, 40);
  g_assert_cmpuint (offsetof (PkmCertInfo, unit), ==, 48);
  g_assert_cmpuint (offsetof (PkmCertInfo, common_name), ==, 56);
  g_assert_cmpuint (offsetof (PkmCertInfo, san), ==, 64);
  g_assert_cmpuint (offsetof (PkmCertInfo, serial), ==, 72);
  g_assert_cmpuint (offsetof (PkmCertInfo, not_before), ==, 80);
  g_assert_cmpuint (offsetof (PkmCertInfo, not_after), ==, 88);
  g_assert_cmpuint (offsetof (PkmCertInfo, fingerprint), ==, 96);
  g_assert_cmpuint (offsetof (PkmCertInfo, skid), ==, 104);
  g_assert_cmpuint (offsetof (PkmCertInfo, akid), ==, 112);
  g_assert_cmpuint (offsetof (PkmCertInfo, spki), ==, 120);
  g_assert_cmpuint (offsetof (PkmCertInfo, key_type), ==, 128);
  g_assert_cmpuint (offsetof (PkmCertInfo, key_bits), ==, 132);
  g_assert_cmpuint (offsetof (PkmCertInfo, key_curve), ==, 136);
  g_assert_cmpuint (offsetof (PkmCertInfo, has_key_usage), ==, 144);
  g_assert_cmpuint (offsetof (PkmCertInfo, key_usage), ==, 148);
  g_assert_cmpuint (offsetof (PkmCertInfo, ext_key_usage), ==, 152);
  g_assert_cmpuint (offsetof (PkmCertInfo, is_ca), ==, 156);
  g_assert_cmpuint (offsetof (PkmCertInfo, crl_distribution_points), ==, 160);
  g_assert_cmpuint (offsetof (PkmCertInfo, digest), ==, 168);
  g_assert_cmpuint (offsetof (PkmCertInfo, signature_algorithm), ==, 176);
  g_assert_cmpuint (offsetof (PkmCertInfo, challenge_password), ==, 184);
  g_assert_cmpuint (sizeof (PkmCertInfo), ==, 192);
  /* PkmTimer */
  g_assert_cmpuint (offsetof (PkmTimer, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmTimer, name), ==, 8);
  g_assert_cmpuint (offsetof (PkmTimer, interval), ==, 16);
  g_assert_cmpuint (offsetof (PkmTimer, jitter), ==, 20);
  g_assert_cmpuint (offsetof (PkmTimer, run_now), ==, 24);
  g_assert_cmpuint (offsetof (PkmTimer, run), ==, 32);
  g_assert_cmpuint (sizeof (PkmTimer), ==, 40);
  /* PkmHttpRequest */
  g_assert_cmpuint (offsetof (PkmHttpRequest, service), ==, 0);
  g_assert_cmpuint (offsetof (PkmHttpRequest, method), ==, 8);
  g_assert_cmpuint (offsetof (PkmHttpRequest, path), ==, 16);
  g_assert_cmpuint (offsetof (PkmHttpRequest, query), ==, 24);
  g_assert_cmpuint (offsetof (PkmHttpRequest, headers), ==, 32);
  g_assert_cmpuint (offsetof (PkmHttpRequest, body), ==, 40);
  g_assert_cmpuint (offsetof (PkmHttpRequest, peer), ==, 48);
  g_assert_cmpuint (sizeof (PkmHttpRequest), ==, 56);
  /* PkmHttpResponse */
  g_assert_cmpuint (offsetof (PkmHttpResponse, status), ==, 0);
  g_assert_cmpuint (offsetof (PkmHttpResponse, headers), ==, 8);
  g_assert_cmpuint (offsetof (PkmHttpResponse, body), ==, 16);
  g_assert_cmpuint (sizeof (PkmHttpResponse), ==, 24);
  /* PkmRoute */
  g_assert_cmpuint (offsetof (PkmRoute, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmRoute, service), ==, 8);
  g_assert_cmpuint (offsetof (PkmRoute, method), ==, 16);
  g_assert_cmpuint (offsetof (PkmRoute, path_prefix), ==, 24);
  g_assert_cmpuint (offsetof (PkmRoute, handle), ==, 32);
  g_assert_cmpuint (sizeof (PkmRoute), ==, 40);
}

/* Every enum value of the public headers. */
static void
test_all_enums (void)
{
  g_assert_cmpint (PKM_PLUGIN_KIND_CRYPTO, ==, 1);
  g_assert_cmpint (PKM_PLUGIN_KIND_STORE, ==, 2);
  g_assert_cmpint (PKM_PLUGIN_KIND_TOKEN, ==, 3);
  g_assert_cmpint (PKM_PLUGIN_KIND_FEATURE, ==, 4);
  g_assert_cmpint (PKM_ERROR_FAILED, ==, 0);
  g_assert_cmpint (PKM_ERROR_NOT_SUPPORTED, ==, 1);
  g_assert_cmpint (PKM_ERROR_NOT_FOUND, ==, 2);
  g_assert_cmpint (PKM_ERROR_EXISTS, ==, 3);
  g_assert_cmpint (PKM_ERROR_INVALID_ARGUMENT, ==, 4);
  g_assert_cmpint (PKM_ERROR_PENDING, ==, 5);
  g_assert_cmpint (PKM_ERROR_REJECTED, ==, 6);
  g_assert_cmpint (PKM_ERROR_UNREACHABLE, ==, 7);
  g_assert_cmpint (PKM_ERROR_PIN_REQUIRED, ==, 8);
  g_assert_cmpint (PKM_ERROR_TOKEN_ABSENT, ==, 9);
  g_assert_cmpint (PKM_ERROR_CRYPTO_FAILED, ==, 10);
  g_assert_cmpint (PKM_ERROR_STORE_FAILED, ==, 11);
  g_assert_cmpint (PKM_ERROR_IO, ==, 12);
  g_assert_cmpint (PKM_ERROR_BAD_PASSPHRASE, ==, 13);
  g_assert_cmpint (PKM_ERROR_PERMISSION_DENIED, ==, 14);
  g_assert_cmpint (PKM_ERROR_CONFLICT, ==, 15);
  g_assert_cmpint (PKM_PLUGIN_ERROR_NOT_FOUND, ==, 0);
  g_assert_cmpint (PKM_PLUGIN_ERROR_ABI_MISMATCH, ==, 1);
  g_assert_cmpint (PKM_PLUGIN_ERROR_API_TOO_NEW, ==, 2);
  g_assert_cmpint (PKM_PLUGIN_ERROR_NAME_MISMATCH, ==, 3);
  g_assert_cmpint (PKM_PLUGIN_ERROR_DUPLICATE, ==, 4);
  g_assert_cmpint (PKM_PLUGIN_ERROR_MISSING_METHOD, ==, 5);
  g_assert_cmpint (PKM_PLUGIN_ERROR_INIT_FAILED, ==, 6);
  g_assert_cmpint (PKM_PLUGIN_ERROR_BAD_DESCRIPTOR, ==, 7);
  g_assert_cmpint (PKM_KEY_TYPE_NONE, ==, 0);
  g_assert_cmpint (PKM_KEY_TYPE_RSA, ==, 1);
  g_assert_cmpint (PKM_KEY_TYPE_EC, ==, 2);
  g_assert_cmpint (PKM_DIGEST_NONE, ==, 0);
  g_assert_cmpint (PKM_DIGEST_MD5, ==, 1);
  g_assert_cmpint (PKM_DIGEST_SHA1, ==, 2);
  g_assert_cmpint (PKM_DIGEST_SHA256, ==, 3);
  g_assert_cmpint (PKM_DIGEST_SHA384, ==, 4);
  g_assert_cmpint (PKM_DIGEST_SHA512, ==, 5);
  g_assert_cmpint (PKM_KU_DIGITAL_SIGNATURE, ==, 1);
  g_assert_cmpint (PKM_KU_CONTENT_COMMITMENT, ==, 2);
  g_assert_cmpint (PKM_KU_KEY_ENCIPHERMENT, ==, 4);
  g_assert_cmpint (PKM_KU_DATA_ENCIPHERMENT, ==, 8);
  g_assert_cmpint (PKM_KU_KEY_AGREEMENT, ==, 16);
  g_assert_cmpint (PKM_KU_KEY_CERT_SIGN, ==, 32);
  g_assert_cmpint (PKM_KU_CRL_SIGN, ==, 64);
  g_assert_cmpint (PKM_KU_ENCIPHER_ONLY, ==, 128);
  g_assert_cmpint (PKM_KU_DECIPHER_ONLY, ==, 256);
  g_assert_cmpint (PKM_EKU_TLS_SERVER, ==, 1);
  g_assert_cmpint (PKM_EKU_TLS_CLIENT, ==, 2);
  g_assert_cmpint (PKM_EKU_CODE_SIGN, ==, 4);
  g_assert_cmpint (PKM_EKU_EMAIL_PROTECT, ==, 8);
  g_assert_cmpint (PKM_EKU_TIMESTAMP, ==, 16);
  g_assert_cmpint (PKM_EKU_OCSP_SIGN, ==, 32);
  g_assert_cmpint (PKM_EKU_DVCS, ==, 64);
  g_assert_cmpint (PKM_PARAM_STRING, ==, 1);
  g_assert_cmpint (PKM_PARAM_BOOL, ==, 2);
  g_assert_cmpint (PKM_PARAM_UINT, ==, 3);
  g_assert_cmpint (PKM_PARAM_ENUM, ==, 4);
  g_assert_cmpint (PKM_PARAM_ENUM_LIST, ==, 5);
  g_assert_cmpint (PKM_PARAM_STRING_LIST, ==, 6);
  g_assert_cmpint (PKM_PARAM_DURATION, ==, 7);
  g_assert_cmpint (PKM_PARAM_ITEM, ==, 8);
  g_assert_cmpint (PKM_PARAM_ITEM_LIST, ==, 9); /* Since: 7 */
  g_assert_cmpint (PKM_PARAM_REQUIRED, ==, 1);
  g_assert_cmpint (PKM_PARAM_SECRET, ==, 2);
  g_assert_cmpint (PKM_PARAM_POSITIONAL, ==, 4);
  g_assert_cmpint (PKM_PARAM_WORD, ==, 8);
  g_assert_cmpint (PKM_COMMAND_WRITE, ==, 1);
  g_assert_cmpint (PKM_COMMAND_READ, ==, 2);
  g_assert_cmpint (PKM_CERT_BY_ID, ==, 1);
  g_assert_cmpint (PKM_CERT_BY_NAME, ==, 2);
  g_assert_cmpint (PKM_CERT_BY_SERIAL, ==, 3);
  g_assert_cmpint (PKM_CERT_BY_FINGERPRINT, ==, 4);
  g_assert_cmpint (PKM_CERT_BY_SKID, ==, 5);
  g_assert_cmpint (PKM_REVOCATION_UNSPECIFIED, ==, 0);
  g_assert_cmpint (PKM_REVOCATION_KEY_COMPROMISE, ==, 1);
  g_assert_cmpint (PKM_REVOCATION_CA_COMPROMISE, ==, 2);
  g_assert_cmpint (PKM_REVOCATION_AFFILIATION_CHANGED, ==, 3);
  g_assert_cmpint (PKM_REVOCATION_SUPERSEDED, ==, 4);
  g_assert_cmpint (PKM_REVOCATION_CESSATION_OF_OPERATION, ==, 5);
  g_assert_cmpint (PKM_REVOCATION_CERTIFICATE_HOLD, ==, 6);
  g_assert_cmpint (PKM_REVOCATION_PRIVILEGE_WITHDRAWN, ==, 9);
  g_assert_cmpint (PKM_REVOCATION_AA_COMPROMISE, ==, 10);
  g_assert_cmpint (PKM_CRL_STATUS_NONE, ==, 0); /* Since: 6 */
  g_assert_cmpint (PKM_CRL_STATUS_GOOD, ==, 1);
  g_assert_cmpint (PKM_CRL_STATUS_REVOKED, ==, 2);
  g_assert_cmpint (PKM_CRL_STATUS_STALE, ==, 3);
}

/* API 6: what the CRL plugin (and other revocation sources, and downloads) are built on. */
static void
test_revocation_and_fetch (void)
{
  g_assert_cmpuint (offsetof (PkmRevocation, serial), ==, 0);
  g_assert_cmpuint (offsetof (PkmRevocation, time), ==, 8);
  g_assert_cmpuint (offsetof (PkmRevocation, reason), ==, 16);
  g_assert_cmpuint (offsetof (PkmRevocationChecker, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmRevocationChecker, begin), ==, 8);
  g_assert_cmpuint (offsetof (PkmRevocationChecker, check), ==, 16);
  g_assert_cmpuint (offsetof (PkmRevocationChecker, end), ==, 24);
  g_assert_cmpuint (offsetof (PkmFetchOptions, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmFetchOptions, max_size), ==, 8);
  g_assert_cmpuint (offsetof (PkmFetchOptions, timeout), ==, 16);
  g_assert_cmpuint (offsetof (PkmFetchOptions, max_redirects), ==, 20);
  g_assert_cmpuint (offsetof (PkmFetchOptions, if_none_match), ==, 24);
  g_assert_cmpuint (offsetof (PkmFetchOptions, accept), ==, 32);
  g_assert_cmpuint (offsetof (PkmFetchResult, status), ==, 0);
  g_assert_cmpuint (offsetof (PkmFetchResult, body), ==, 8);
  g_assert_cmpuint (offsetof (PkmFetchResult, etag), ==, 16);
  g_assert_cmpuint (offsetof (PkmFetchResult, final_url), ==, 24);
}

/* pkm-vardict.h: the entry a view hands out is read in place by plugins. */
static void
test_vardict (void)
{
  g_assert_cmpuint (offsetof (PkmVardictEntry, key), ==, 0);
  g_assert_cmpuint (offsetof (PkmVardictEntry, key_size), ==, 8);
  g_assert_cmpuint (offsetof (PkmVardictEntry, type), ==, 16);
  g_assert_cmpuint (offsetof (PkmVardictEntry, value), ==, 24);
  g_assert_cmpuint (offsetof (PkmVardictEntry, value_size), ==, 32);
  g_assert_cmpuint (offsetof (PkmVardictEntry, start), ==, 40);
  g_assert_cmpuint (offsetof (PkmVardictEntry, end), ==, 48);
  g_assert_cmpuint (sizeof (PkmVardictEntry), ==, 56);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/abi/descriptor", test_descriptor);
  g_test_add_func ("/abi/vtables", test_vtables);
  g_test_add_func ("/abi/keys-and-tokens", test_keys_and_tokens);
  g_test_add_func ("/abi/tables", test_tables);
  g_test_add_func ("/abi/all-enums", test_all_enums);
  g_test_add_func ("/abi/vardict", test_vardict);
  g_test_add_func ("/abi/revocation-and-fetch", test_revocation_and_fetch);
  return g_test_run ();
}
