/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plugin ABI, pinned: a change here breaks every plugin built before it,
 * so it must be deliberate (PipeWire test/test-spa-node.c). */
#include <stddef.h>
#include <pkiman/pkiman.h>

static void
test_descriptor (void)
{
  g_assert_cmpint (PKM_PLUGIN_ABI_VERSION, ==, 1);
  g_assert_cmpint (PKM_API_MINOR, ==, 2);
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
  g_assert_cmpint (PKM_STORE_VTABLE_VERSION, ==, 1);
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
  g_assert_cmpuint (sizeof (PkmCryptoVTable), ==, PTR (20));
  g_assert_cmpuint (offsetof (PkmStoreVTable, open), ==, 8);
  g_assert_cmpuint (offsetof (PkmStoreVTable, list_collections), ==, 8 + 11 * 8);
  g_assert_cmpuint (sizeof (PkmStoreVTable), ==, 8 + 12 * 8);
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

static void
test_enums (void)
{
  g_assert_cmpint (PKM_PLUGIN_KIND_CRYPTO, ==, 1);
  g_assert_cmpint (PKM_PLUGIN_KIND_STORE, ==, 2);
  g_assert_cmpint (PKM_PLUGIN_KIND_TOKEN, ==, 3);
  g_assert_cmpint (PKM_PLUGIN_KIND_FEATURE, ==, 4);
  g_assert_cmpint (PKM_ERROR_NOT_SUPPORTED, ==, 1);
  g_assert_cmpint (PKM_ERROR_NOT_FOUND, ==, 2);
  g_assert_cmpint (PKM_ERROR_PIN_REQUIRED, ==, 8);
  g_assert_cmpint (PKM_ERROR_TOKEN_ABSENT, ==, 9);
  g_assert_cmpint (PKM_ERROR_CRYPTO_FAILED, ==, 10);
  g_assert_cmpint (PKM_ERROR_BAD_PASSPHRASE, ==, 13);
  g_assert_cmpint (PKM_ERROR_PERMISSION_DENIED, ==, 14);
  g_assert_cmpint (PKM_ERROR_CONFLICT, ==, 15);
  g_assert_cmpint (PKM_PLUGIN_ERROR_INIT_FAILED, ==, 6);
  g_assert_cmpint (PKM_KU_DECIPHER_ONLY, ==, 1 << 8);
  g_assert_cmpint (PKM_EKU_DVCS, ==, 1 << 6);
  g_assert_cmpint (PKM_DIGEST_SHA512, ==, 5);
  g_assert_cmpint (PKM_PARAM_ITEM, ==, 8);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/abi/descriptor", test_descriptor);
  g_test_add_func ("/abi/vtables", test_vtables);
  g_test_add_func ("/abi/keys-and-tokens", test_keys_and_tokens);
  g_test_add_func ("/abi/enums", test_enums);
  return g_test_run ();
}
