/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pkiman/pkiman.h>
#include "crl-der.h"

/* A parsed CRL (RFC 5280 5.1), read in place from its DER: nothing is
 * copied, and an index of its entries (open addressing over their
 * offsets, 4 bytes a slot, two slots an entry) finds a serial in O(1). A
 * CRL of a million entries costs its DER and 8 MB. */

typedef struct {
  GBytes *der;                  /* (owned) */
  CrlSlice tbs;                 /* the whole tbsCertList TLV: what is signed */
  CrlSlice signature_algorithm; /* the outer AlgorithmIdentifier's contents */
  CrlSlice signature;           /* the BIT STRING's bits */
  CrlSlice issuer;              /* the issuer Name TLV */
  gint64 this_update;
  gint64 next_update;           /* 0: none */
  CrlSlice entries;             /* the contents of revokedCertificates */
  guint64 n_entries;
  CrlSlice number;              /* the cRLNumber's magnitude, empty when absent */
  CrlSlice akid;                /* the authorityKeyIdentifier's keyIdentifier, empty when absent */
  guint32 *slots;               /* (nullable) until crl_list_index */
  guint32 n_slots;
} CrlList;

/* The CRL in @der (a reference is kept), checked whole: every entry, every
 * extension; an unsupported critical extension (delta and partitioned
 * CRLs, indirect entries) is an error that names it. */
gboolean crl_list_parse (GBytes *der, CrlList *out, GError **error);
/* Builds the serial index; once. */
void crl_list_index (CrlList *crl);
/* Whether the serial @serial (big-endian magnitude) is on the CRL; its
 * revocation time and reason when it is. Needs the index. */
gboolean crl_list_find (const CrlList *crl, const guint8 *serial, gsize len, gint64 *out_time, guint *out_reason);
void crl_list_clear (CrlList *crl);

/* What the signature algorithm is: the digest and key type, or FALSE for
 * one that is not supported (RSA-PSS among them). */
gboolean crl_signature_algorithm (CrlSlice algorithm, PkmDigest *out_digest, PkmKeyType *out_type);

/* Walks every entry: serial magnitude, time and reason (0 when absent). */
typedef gboolean (*CrlEntryFunc) (CrlSlice serial, gint64 time, guint reason, gpointer user_data);
gboolean crl_list_foreach (const CrlList *crl, CrlEntryFunc func, gpointer user_data);
