/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "menus/pkm-cert-private.h"

/* Every /certificate property, once: this table is what add and set take,
 * what copy-from copies, what print copies from the record, and (in this
 * order) what detail shows and where accepts; its flag letters and columns
 * make print's table. A new property is one row. */

/* RouterOS v7's flag order (K L C A I R E T) is not the detail order: each flag row gives its place. */
const PkmCertProperty pkm_cert_properties[] = {
  { "name", PROP_TEMPLATE | PROP_CERTIFICATE | PROP_COLUMN, PKM_PARAM_STRING, NULL, 0, 0, 0, 0, NULL,
    "name of the certificate" },
  { "key-type", PROP_STORED },
  { "common-name", PROP_TEMPLATE | PROP_COPIED | PROP_STORED | PROP_COLUMN, PKM_PARAM_STRING, NULL, 0, 0, 0, 0, NULL,
    "CN of the subject" },
  { "country", PROP_CONTENT, PKM_PARAM_STRING, NULL, 0, 0, 0, 0, NULL, "C of the subject" },
  { "state", PROP_CONTENT, PKM_PARAM_STRING, NULL, 0, 0, 0, 0, NULL, "ST of the subject" },
  { "locality", PROP_CONTENT, PKM_PARAM_STRING, NULL, 0, 0, 0, 0, NULL, "L of the subject" },
  { "organization", PROP_CONTENT, PKM_PARAM_STRING, NULL, 0, 0, 0, 0, NULL, "O of the subject" },
  { "unit", PROP_CONTENT, PKM_PARAM_STRING, NULL, 0, 0, 0, 0, NULL, "OU of the subject" },
  { "subject-alt-name", PROP_CONTENT, PKM_PARAM_STRING, NULL, 0, 0, 0, 0, NULL, "DNS:name,IP:address,email:address" },
  { "key-size", PROP_CONTENT, PKM_PARAM_ENUM, pkm_key_size_names, 0, 0, 0, 0, NULL, "RSA bits or EC curve", NULL,
    "2048" },
  { "days-valid", PROP_CONTENT, PKM_PARAM_UINT, NULL, 0, G_MAXUINT32, 0, 0, NULL, "validity in days", NULL, "365" },
  { "trusted", PROP_TEMPLATE | PROP_CERTIFICATE | PROP_STORED, PKM_PARAM_BOOL, NULL, 0, 0, 'T', 8, "TRUSTED",
    "include in the trust store", NULL, "no" },
  { "trust-store", PROP_TEMPLATE | PROP_CERTIFICATE | PROP_COPIED | PROP_STORED, PKM_PARAM_STRING, NULL, 0, 0, 0, 0,
    NULL, "services that may use it for verification" },
  /* Its default is pkm_default_key_usage, joined when the tables are built. */
  { "key-usage", PROP_CONTENT, PKM_PARAM_ENUM_LIST, pkm_key_usage_names, 0, 0, 0, 0, NULL,
    "key usages and extended ones" },
  { "digest-algorithm", PROP_CONTENT, PKM_PARAM_ENUM, pkm_digest_names, 0, 0, 0, 0, NULL, "signature hash", NULL,
    "sha256" },
  { "ca", 0 },
  { "serial-number", PROP_STORED },
  { "fingerprint", PROP_STORED | PROP_COLUMN },
  { "akid", PROP_STORED },
  { "skid", PROP_STORED },
  { "invalid-before", 0 },
  { "invalid-after", 0 },
  { "expires-after", 0 },
  { "revoked", 0, 0, NULL, 0, 0, 'R', 6, "REVOKED" },
  { "issuer", PROP_STORED },
  { "subject", PROP_STORED },
  { "ca-fingerprint", PROP_STORED },
  { "ca-crl-host", PROP_STORED },
  { "signature-algorithm", PROP_STORED },
  { "chain-status", 0 },
  { "authority", PROP_STORED, 0, NULL, 0, 0, 'A', 4, "AUTHORITY" },
  { "private-key", 0, 0, NULL, 0, 0, 'K', 1, "PRIVATE-KEY" },
  { "expired", 0, 0, NULL, 0, 0, 'E', 7, "EXPIRED", NULL, pkm_cert_count_expired },
  { "issued", 0, 0, NULL, 0, 0, 'I', 5, "ISSUED" },
  { "crl", 0, 0, NULL, 0, 0, 'L', 2, "CRL" },
  { "smart-card-key", 0, 0, NULL, 0, 0, 'C', 3, "SMART-CARD-KEY" },
  { "template", PROP_STORED },
  /* Not copied by copy-from: a key is one certificate's own. */
  { "key-uri", PROP_TEMPLATE | PROP_STORED, PKM_PARAM_STRING, NULL, 0, 0, 0, 0, NULL,
    "a token's key (pkcs11:...) to sign with, not a new one" },
  { "revocation-reason", PROP_STORED },
  { NULL },
};

/* The derived tables: built once, before the menu is registered. */
#define N_PROPERTIES (G_N_ELEMENTS (pkm_cert_properties) - 1)
static const char *fields[N_PROPERTIES + 1];
static const char *columns[N_PROPERTIES + 1];
static PkmFlag flags[N_PROPERTIES + 1];
static PkmParam template_params[N_PROPERTIES + 1];

static void
build (void)
{
  guint n_columns = 0, n_flags = 0, n_params = 0;

  for (guint i = 0; i < N_PROPERTIES; i++)
    {
      const PkmCertProperty *p = &pkm_cert_properties[i];

      fields[i] = p->name;
      if (p->flags & PROP_COLUMN)
        columns[n_columns++] = p->name;
      if (p->flag != 0)
        flags[n_flags++] = (PkmFlag) { p->flag, p->name, p->legend, p->count };
      if (p->flags & PROP_TEMPLATE)
        template_params[n_params++] = (PkmParam) { p->name, p->type, 0, p->choices, p->min, p->max, NULL, p->help,
                                                   p->default_value };
      if (strcmp (p->name, "key-usage") == 0)
        template_params[n_params - 1].default_value = g_strjoinv (",", (char **) pkm_default_key_usage);
    }
  /* Flags by their RouterOS place: a handful, so a plain insertion sort. */
  for (guint i = 1; i < n_flags; i++)
    for (guint j = i; j > 0 && pkm_cert_property (flags[j - 1].property)->flag_rank
                                     > pkm_cert_property (flags[j].property)->flag_rank;
         j--)
      {
        PkmFlag swap = flags[j];
        flags[j] = flags[j - 1];
        flags[j - 1] = swap;
      }
}

static void
ensure_built (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      build ();
      g_once_init_leave (&done, 1);
    }
}

const PkmCertProperty *
pkm_cert_property (const char *name)
{
  for (guint i = 0; i < N_PROPERTIES; i++)
    if (strcmp (pkm_cert_properties[i].name, name) == 0)
      return &pkm_cert_properties[i];
  return NULL;
}

const char *const *
pkm_cert_fields (void)
{
  ensure_built ();
  return fields;
}

const char *const *
pkm_cert_columns (void)
{
  ensure_built ();
  return columns;
}

const PkmFlag *
pkm_cert_flags (void)
{
  ensure_built ();
  return flags;
}

guint
pkm_cert_template_params (PkmParam *out, guint room)
{
  guint n = 0;

  ensure_built ();
  for (; template_params[n].name != NULL; n++)
    {
      g_assert (n < room);
      out[n] = template_params[n];
    }
  return n;
}
