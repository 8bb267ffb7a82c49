/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "core/pkm-context-private.h"
#include "core/pkm-providers.h"

gboolean
pkm_provider_require (const char *plugin, gboolean has, const char *what, GError **error)
{
  if (!has)
    g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "%s: %s is not supported", plugin, what);
  return has;
}

#define CRYPTO_OR(ret, member)                                                                                   \
  if (!pkm_provider_require (ctx->crypto_plugin->name, PKM_HAS_MEMBER (ctx->crypto, member), #member, error))  \
    return ret;

gboolean
pkm_crypto_random (PkmContext *ctx, void *buffer, gsize size, GError **error)
{
  CRYPTO_OR (FALSE, random);
  return ctx->crypto->random (ctx->crypto_instance, buffer, size, error);
}

PkmSecret *
pkm_crypto_generate_key (PkmContext *ctx, const PkmKeySpec *spec, GError **error)
{
  CRYPTO_OR (NULL, generate_key);
  return ctx->crypto->generate_key (ctx->crypto_instance, spec, error);
}

PkmKey *
pkm_crypto_load_key (PkmContext *ctx, PkmSecret *pkcs8, const char *uri, GError **error)
{
  CRYPTO_OR (NULL, load_key);
  return ctx->crypto->load_key (ctx->crypto_instance, pkcs8, uri, error);
}

GBytes *
pkm_crypto_sign_certificate (PkmContext *ctx, const PkmCertSpec *spec, GBytes *subject_spki, GBytes *issuer_cert,
                             PkmKey *issuer_key, GError **error)
{
  CRYPTO_OR (NULL, sign_certificate);
  return ctx->crypto->sign_certificate (ctx->crypto_instance, spec, subject_spki, issuer_cert, issuer_key, error);
}

PkmCertInfo *
pkm_crypto_parse_certificate (PkmContext *ctx, GBytes *der, GError **error)
{
  CRYPTO_OR (NULL, parse_certificate);
  return ctx->crypto->parse_certificate (ctx->crypto_instance, der, error);
}

GBytes *
pkm_crypto_seal (PkmContext *ctx, PkmSecret *key, PkmSecret *plaintext, GBytes *aad, GError **error)
{
  CRYPTO_OR (NULL, seal);
  return ctx->crypto->seal (ctx->crypto_instance, key, plaintext, aad, error);
}

PkmSecret *
pkm_crypto_unseal (PkmContext *ctx, PkmSecret *key, GBytes *sealed, GBytes *aad, GError **error)
{
  CRYPTO_OR (NULL, unseal);
  return ctx->crypto->unseal (ctx->crypto_instance, key, sealed, aad, error);
}

GBytes *
pkm_crypto_export_key_pkcs8 (PkmContext *ctx, PkmSecret *key, const char *passphrase, GError **error)
{
  CRYPTO_OR (NULL, export_key_pkcs8);
  return ctx->crypto->export_key_pkcs8 (ctx->crypto_instance, key, passphrase, error);
}

PkmSecret *
pkm_crypto_import_key (PkmContext *ctx, GBytes *data, const char *passphrase, GError **error)
{
  CRYPTO_OR (NULL, import_key);
  return ctx->crypto->import_key (ctx->crypto_instance, data, passphrase, error);
}

GBytes *
pkm_crypto_export_pkcs12 (PkmContext *ctx, GBytes *const *certs, guint n_certs, PkmSecret *key,
                          const char *passphrase, const char *friendly_name, GError **error)
{
  CRYPTO_OR (NULL, export_pkcs12);
  return ctx->crypto->export_pkcs12 (ctx->crypto_instance, certs, n_certs, key, passphrase, friendly_name, error);
}

gboolean
pkm_crypto_import_pkcs12 (PkmContext *ctx, GBytes *data, const char *passphrase, GPtrArray **out_certs,
                          PkmSecret **out_key, GError **error)
{
  CRYPTO_OR (FALSE, import_pkcs12);
  return ctx->crypto->import_pkcs12 (ctx->crypto_instance, data, passphrase, out_certs, out_key, error);
}

GBytes *
pkm_crypto_create_csr (PkmContext *ctx, const PkmCertSpec *spec, PkmKey *key, const char *challenge_password,
                       GError **error)
{
  CRYPTO_OR (NULL, create_csr);
  return ctx->crypto->create_csr (ctx->crypto_instance, spec, key, challenge_password, error);
}

PkmCertInfo *
pkm_crypto_parse_csr (PkmContext *ctx, GBytes *der, GError **error)
{
  CRYPTO_OR (NULL, parse_csr);
  return ctx->crypto->parse_csr (ctx->crypto_instance, der, error);
}

gboolean
pkm_crypto_verify_signature (PkmContext *ctx, GBytes *cert, GBytes *issuer_cert, GError **error)
{
  CRYPTO_OR (FALSE, verify_signature);
  return ctx->crypto->verify_signature (ctx->crypto_instance, cert, issuer_cert, error);
}

GBytes *
pkm_crypto_sign_data (PkmContext *ctx, PkmKey *key, PkmDigest digest, GBytes *data, GError **error)
{
  CRYPTO_OR (NULL, sign_data);
  return ctx->crypto->sign_data (ctx->crypto_instance, key, digest, data, error);
}

gboolean
pkm_crypto_verify_data (PkmContext *ctx, GBytes *spki, PkmDigest digest, GBytes *data, GBytes *signature,
                        GError **error)
{
  CRYPTO_OR (FALSE, verify_data);
  return ctx->crypto->verify_data (ctx->crypto_instance, spki, digest, data, signature, error);
}

char *
pkm_crypto_public_jwk (PkmContext *ctx, GBytes *spki, GError **error)
{
  CRYPTO_OR (NULL, public_jwk);
  return ctx->crypto->public_jwk (ctx->crypto_instance, spki, error);
}

PkmSecret *
pkm_crypto_derive_key (PkmContext *ctx, const char *passphrase, GBytes *salt, guint iterations, gsize size,
                       GError **error)
{
  CRYPTO_OR (NULL, derive_key);
  return ctx->crypto->derive_key (ctx->crypto_instance, passphrase, salt, iterations, size, error);
}

char *
pkm_crypto_jwk_thumbprint (PkmContext *ctx, GBytes *spki, GError **error)
{
  CRYPTO_OR (NULL, jwk_thumbprint);
  return ctx->crypto->jwk_thumbprint (ctx->crypto_instance, spki, error);
}
