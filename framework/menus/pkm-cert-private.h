/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "menus/pkm-menus.h"
#include "model/pkm-model.h"

G_BEGIN_DECLS

/* -- pkm-cert-properties.c: the one table of /certificate's properties -- */
typedef enum {
  PROP_TEMPLATE = 1 << 0,    /* add and set take it for a template */
  PROP_CERTIFICATE = 1 << 1, /* set takes it for a signed certificate as well */
  PROP_COPIED = 1 << 2,      /* copy-from copies it */
  PROP_STORED = 1 << 3,      /* print shows the record's value as it is */
  PROP_COLUMN = 1 << 4,      /* a column of print's table */
  /* What the certificate will contain: a template's, fixed once signed. */
  PROP_CONTENT = PROP_TEMPLATE | PROP_COPIED | PROP_STORED,
} PkmCertPropFlags;

typedef struct {
  const char *name;
  guint flags;                /* PkmCertPropFlags */
  PkmParamType type;          /* PROP_TEMPLATE: as a parameter of add and set */
  const char *const *choices;
  guint64 min, max;
  char flag;                  /* print's flag letter, or 0 */
  guint flag_rank;            /* its place among the flags */
  const char *legend;
  const char *help;
  /* (nullable) the flag's count from an index (PkmFlag.count) */
  gboolean (*count) (PkmCall *call, guint64 *out_count, GError **error);
  /* (nullable) PROP_TEMPLATE: what add takes when it is not given (PkmParam.default_value) */
  const char *default_value;
} PkmCertProperty;

/* -- pkm-cert-list.c -- */
/* The signed certificates past their invalid-after, from its index. */
gboolean pkm_cert_count_expired (PkmCall *call, guint64 *out_count, GError **error);

/* In detail order; name-terminated. */
extern const PkmCertProperty pkm_cert_properties[];
/* (nullable) */
const PkmCertProperty *pkm_cert_property (const char *name);
const char *const *pkm_cert_fields (void);
const char *const *pkm_cert_columns (void);
const PkmFlag *pkm_cert_flags (void);
/* Copies the template parameters into @out (room for @room); returns how many. */
guint pkm_cert_template_params (PkmParam *out, guint room);

/* The entry an ITEM parameter names. (transfer full) */
PkmEntry *pkm_cert_load_param (PkmCall *call, const char *param, GError **error);
/* An error unless @name reads as a name, not as an item number or id. */
gboolean pkm_cert_check_name_form (const char *param, const char *name, GError **error);
/* An error unless @name is free (or is @self's own name). */
gboolean pkm_cert_check_name_free (PkmCall *call, const char *param, const char *name, gint64 self, GError **error);
/* The template properties given to add or set, onto @entry. */
gboolean pkm_cert_apply_template_args (PkmCall *call, PkmEntry *entry, GError **error);
/* An error naming the field unless the template's subject and SAN keep to RFC 5280's bounds. */
gboolean pkm_cert_check_bounds (PkmEntry *tpl, GError **error);
/* (transfer full) (nullable): an entry's SAN list split into items. */
char **pkm_cert_san_items (const char *san);
/* The certificate DER of a signed entry. (transfer full) */
GBytes *pkm_cert_der (PkmEntry *entry, GError **error);

/* -- pkm-cert-spec.c -- */
typedef struct {
  PkmCertSpec spec;
  char **san;
  char **usages;
} PkmSignRequest;
/* The spec a template asks for; with @ca (nullable), its validity ends by the CA's. */
gboolean pkm_sign_request_fill (PkmCall *call, PkmSignRequest *req, PkmEntry *tpl, PkmEntry *ca,
                                GBytes *serial, const char *crl, GError **error);
void pkm_sign_request_clear (PkmSignRequest *req);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmSignRequest, pkm_sign_request_clear)

/* Everything the issuing side contributes: its entry, certificate and key. */
typedef struct {
  PkmEntry *entry; /* NULL: self-signed */
  GBytes *der;
  PkmKey *key;     /* sealed here or on a token */
} PkmIssuer;
/* Loads the CA named by the call's ca= (nothing when it is absent) and checks it can sign. */
gboolean pkm_issuer_load (PkmCall *call, PkmIssuer *issuer, GError **error);
/* The same for the CA @ca_id (0: none). */
gboolean pkm_issuer_load_id (PkmCall *call, gint64 ca_id, PkmIssuer *issuer, GError **error);
void pkm_issuer_clear (PkmIssuer *issuer);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (PkmIssuer, pkm_issuer_clear)

gboolean pkm_cert_check_ca (PkmContext *ctx, PkmEntry *ca, GError **error);
/* (transfer full): the template's key, with a progress note when it is slow. */
PkmSecret *pkm_cert_generate_key (PkmCall *call, PkmEntry *tpl, GError **error);
/* (transfer full): the key a template's certificate gets: the token key its
 * key-uri names (*@out_new NULL: nothing to seal), else a new key, whose
 * PKCS#8 *@out_new gives for the keyring. */
PkmKey *pkm_cert_template_key (PkmCall *call, PkmEntry *tpl, PkmSecret **out_new, GError **error);
/* (transfer full) (nullable): the CRL distribution point URL for a host or URL. */
char *pkm_cert_crl_url (const char *host, const char *ca_serial);
char *pkm_serial_hex (GBytes *serial);

/* -- pkm-cert-remove.c -- */
/* The names issued-revoke reason= takes. */
extern const char *const pkm_revocation_reason_choices[];

G_END_DECLS
