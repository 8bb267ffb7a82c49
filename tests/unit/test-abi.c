/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The plugin ABI, pinned: a change here breaks every plugin built before it,
 * so it must be deliberate (PipeWire test/test-spa-node.c). */
#include <stddef.h>
#include <pkiman/pkiman.h>

static void
test_descriptor (void)
{
  g_assert_cmpint (PKM_PLUGIN_ABI_VERSION, ==, 1);
  g_assert_cmpint (PKM_API_MINOR, ==, 1);
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

static void
test_vtables (void)
{
  g_assert_cmpint (PKM_CRYPTO_VTABLE_VERSION, ==, 1);
  g_assert_cmpint (PKM_STORE_VTABLE_VERSION, ==, 1);
  g_assert_cmpuint (offsetof (PkmCryptoVTable, random), ==, 8);
  g_assert_cmpuint (offsetof (PkmCryptoVTable, export_key_pkcs8), ==, 8 + 7 * 8);
  g_assert_cmpuint (offsetof (PkmCryptoVTable, verify_signature), ==, 8 + 13 * 8);
  g_assert_cmpuint (sizeof (PkmCryptoVTable), ==, 8 + 14 * 8);
  g_assert_cmpuint (offsetof (PkmStoreVTable, open), ==, 8);
  g_assert_cmpuint (offsetof (PkmStoreVTable, list_collections), ==, 8 + 11 * 8);
  g_assert_cmpuint (sizeof (PkmStoreVTable), ==, 8 + 12 * 8);
  g_assert_cmpuint (offsetof (PkmCertSpec, struct_size), ==, 0);
  g_assert_cmpuint (offsetof (PkmCertSpec, crl_distribution_point), ==, sizeof (PkmCertSpec) - 8);
}

static void
test_enums (void)
{
  g_assert_cmpint (PKM_PLUGIN_KIND_CRYPTO, ==, 1);
  g_assert_cmpint (PKM_PLUGIN_KIND_STORE, ==, 2);
  g_assert_cmpint (PKM_PLUGIN_KIND_TOKEN, ==, 3);
  g_assert_cmpint (PKM_PLUGIN_KIND_FEATURE, ==, 4);
  g_assert_cmpint (PKM_ERROR_NOT_SUPPORTED, ==, 1);
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
  g_test_add_func ("/abi/enums", test_enums);
  return g_test_run ();
}
