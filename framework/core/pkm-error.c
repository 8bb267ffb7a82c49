/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <pkiman/pkm-error.h>

G_DEFINE_QUARK (pkm-error-quark, pkm_error)
G_DEFINE_QUARK (pkm-plugin-error-quark, pkm_plugin_error)
