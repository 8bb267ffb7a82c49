/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* crypto-gnutls: the GnuTLS crypto provider. Descriptor and vtable only. */
#include "gnutls-private.h"

static const PkmCryptoVTable vtable = {
  .version = PKM_CRYPTO_VTABLE_VERSION,
  .struct_size = sizeof (PkmCryptoVTable),
  .open = pkm_gnutls_open,
  .close = pkm_gnutls_close,
  .random = pkm_gnutls_random,
  .generate_key = pkm_gnutls_generate_key,
  .load_key = pkm_gnutls_load_key_handle,
  .sign_certificate = pkm_gnutls_sign_certificate,
  .parse_certificate = pkm_gnutls_parse_certificate,
  .seal = pkm_gnutls_seal,
  .unseal = pkm_gnutls_unseal,
  .export_key_pkcs8 = pkm_gnutls_export_key_pkcs8,
  .import_key = pkm_gnutls_import_key,
  .export_pkcs12 = pkm_gnutls_export_pkcs12,
  .import_pkcs12 = pkm_gnutls_import_pkcs12,
  .create_csr = pkm_gnutls_create_csr,
  .parse_csr = pkm_gnutls_parse_csr,
  .verify_signature = pkm_gnutls_verify_signature,
  .sign_data = pkm_gnutls_sign_data,
  .verify_data = pkm_gnutls_verify_data,
  .public_jwk = pkm_gnutls_public_jwk,
  .jwk_thumbprint = pkm_gnutls_jwk_thumbprint,
  .derive_key = pkm_gnutls_derive_key,
};

PKM_PLUGIN_DEFINE (PKM_PLUGIN_KIND_CRYPTO, "crypto-gnutls", "0.2.0",
                   "GnuTLS: RSA and EC keys, X.509, PKCS#8, PKCS#12, CSRs, AES-256-GCM, JWK, PBKDF2", &vtable, NULL,
                   NULL, NULL)
