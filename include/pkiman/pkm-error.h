/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <glib.h>
#include <pkiman/pkm-version.h>

PKM_BEGIN_DECLS

#define PKM_ERROR (pkm_error_quark ())
#define PKM_PLUGIN_ERROR (pkm_plugin_error_quark ())

/* Values are append-only: tests pin them. */
typedef enum {
  PKM_ERROR_FAILED = 0,
  PKM_ERROR_NOT_SUPPORTED = 1,
  PKM_ERROR_NOT_FOUND = 2,
  PKM_ERROR_EXISTS = 3,
  PKM_ERROR_INVALID_ARGUMENT = 4,
  PKM_ERROR_PENDING = 5,
  PKM_ERROR_REJECTED = 6,
  PKM_ERROR_UNREACHABLE = 7,
  PKM_ERROR_PIN_REQUIRED = 8,
  PKM_ERROR_TOKEN_ABSENT = 9,
  PKM_ERROR_CRYPTO_FAILED = 10,
  PKM_ERROR_STORE_FAILED = 11,
  PKM_ERROR_IO = 12,
  PKM_ERROR_BAD_PASSPHRASE = 13,
  PKM_ERROR_PERMISSION_DENIED = 14,
  /* Another writer changed the store while the command ran: run it again. Since: 1 */
  PKM_ERROR_CONFLICT = 15,
} PkmError;

typedef enum {
  PKM_PLUGIN_ERROR_NOT_FOUND = 0,
  PKM_PLUGIN_ERROR_ABI_MISMATCH = 1,
  PKM_PLUGIN_ERROR_API_TOO_NEW = 2,
  PKM_PLUGIN_ERROR_NAME_MISMATCH = 3,
  PKM_PLUGIN_ERROR_DUPLICATE = 4,
  PKM_PLUGIN_ERROR_MISSING_METHOD = 5,
  PKM_PLUGIN_ERROR_INIT_FAILED = 6,
  PKM_PLUGIN_ERROR_BAD_DESCRIPTOR = 7,
} PkmPluginError;

GQuark pkm_error_quark (void);
GQuark pkm_plugin_error_quark (void);

PKM_END_DECLS
