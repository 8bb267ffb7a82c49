/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <pkiman/pkm-crypto.h>

void
pkm_cert_info_free (PkmCertInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->subject);
  g_free (info->issuer);
  g_free (info->country);
  g_free (info->state);
  g_free (info->locality);
  g_free (info->organization);
  g_free (info->unit);
  g_free (info->common_name);
  g_strfreev (info->san);
  g_free (info->serial);
  g_free (info->fingerprint);
  g_free (info->skid);
  g_free (info->akid);
  g_clear_pointer (&info->spki, g_bytes_unref);
  g_free (info->key_curve);
  g_strfreev (info->crl_distribution_points);
  g_free (info->signature_algorithm);
  g_free (info->challenge_password);
  g_free (info);
}
