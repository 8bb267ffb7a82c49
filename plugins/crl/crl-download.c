/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "crl-private.h"

/* Downloading the CRLs of /certificate crl, in three steps so that no
 * transaction is open while the network answers: the entries are read (a
 * transaction), fetched (none; pkimand does it on a worker thread), and
 * each result is checked and kept (a transaction each). A CRL is kept only
 * when it parses whole and its signature verifies with a trusted CA of the
 * entry's chain; otherwise the error is kept beside the previous CRL, which
 * stays, and the entry is tried again at the next interval. */

typedef struct {
  gint64 id;
  char *url;
  char *cert;  /* the certificate whose distribution point it is, or "" */
  char *etag;  /* (nullable) of the CRL kept */
  guint64 max_size;
  guint timeout;
  PkmFetchResult result; /* its body moves to blob */
  GVariant *blob;        /* (nullable) the body as the record it is kept as (crl-blob.c) */
  GError *error; /* of the fetch */
  char *outcome; /* one line, after apply */
  gboolean failed;
} CrlJob;

static void
job_free (gpointer data)
{
  CrlJob *job = data;

  g_free (job->url);
  g_free (job->cert);
  g_free (job->etag);
  pkm_fetch_result_clear (&job->result);
  g_clear_pointer (&job->blob, g_variant_unref);
  g_clear_error (&job->error);
  g_free (job->outcome);
  g_free (job);
}

typedef struct {
  GArray *ids;       /* (nullable) */
  gboolean only_due;
  guint interval;    /* with only_due: seconds between two downloads of one entry */
  guint timeout;
  GPtrArray *jobs;   /* out */
  CrlSettings settings;
} CrlCollect;

static gboolean
wanted_id (GArray *ids, gint64 id)
{
  if (ids == NULL)
    return TRUE;
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static gboolean
collect_job (gint64 id, const char *name, gint64 revision, GVariant *record, gpointer user_data)
{
  CrlCollect *collect = user_data;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC, last = 0, next_update = 0;
  CrlJob *job;

  if (!wanted_id (collect->ids, id))
    return TRUE;
  g_variant_lookup (record, "last-attempt", "x", &last);
  g_variant_lookup (record, "next-update", "x", &next_update);
  /* Due every hour, and as soon as its nextUpdate has passed. */
  if (collect->only_due && now - last < collect->interval
      && !(next_update != 0 && next_update <= now && last < next_update))
    return TRUE;
  job = g_new0 (CrlJob, 1);
  job->id = id;
  job->url = g_strdup (name);
  if (!g_variant_lookup (record, "cert", "s", &job->cert))
    job->cert = g_strdup ("");
  g_variant_lookup (record, "etag", "s", &job->etag);
  job->max_size = collect->settings.max_size;
  job->timeout = collect->timeout;
  g_ptr_array_add (collect->jobs, job);
  return TRUE;
}

static gboolean
collect_jobs (PkmCall *call, gpointer user_data, GError **error)
{
  static const char *const fields[] = { "cert", "etag", "last-attempt", "next-update", NULL };
  CrlCollect *collect = user_data;
  PkmContext *ctx = pkm_call_get_context (call);
  PkmStoreQuery all = { .struct_size = sizeof all, .projection = fields };

  g_ptr_array_set_size (collect->jobs, 0);
  return crl_settings_read (ctx, &collect->settings, error) && crl_sync_dynamic (call, error)
         && pkm_store_query (ctx, CRL_COLLECTION, &all, collect_job, collect, error);
}

static void
fetch_job (CrlJob *job)
{
  PkmFetchOptions options = PKM_FETCH_OPTIONS_INIT;

  options.max_size = job->max_size;
  options.timeout = job->timeout;
  options.if_none_match = job->etag;
  options.accept = "application/pkix-crl";
  if (!pkm_fetch (job->url, &options, &job->result, &job->error)
      && g_error_matches (job->error, PKM_ERROR, PKM_ERROR_REJECTED))
    {
      /* RouterOS's words, with this node's limit. */
      g_clear_error (&job->error);
      g_set_error (&job->error, PKM_ERROR, PKM_ERROR_REJECTED,
                   "%s: CRL size exceeds the configured limit (%" G_GUINT64_FORMAT " bytes)", job->url, job->max_size);
    }
  if (job->error == NULL && job->result.body != NULL)
    job->blob = crl_blob_record (g_steal_pointer (&job->result.body));
}

/* -- checking what came -- */

static char *
hex_lower (CrlSlice s)
{
  g_autofree char *upper = crl_hex (s.data, s.len);

  return g_ascii_strdown (upper, -1);
}

static gboolean
subject_is (PkmCall *call, gint64 id, CrlSlice issuer)
{
  g_autoptr (GBytes) der = pkm_certificates_get_der (call, id, NULL);
  CrlSlice subject;

  return der != NULL && crl_certificate_subject (der, &subject) && crl_slice_equal (issuer, subject.data, subject.len);
}

/* (transfer full) (nullable): the stored CA whose subject is the CRL's
 * issuer: by its SKID when the CRL names one, else among the CAs. */
static GVariant *
find_signer (PkmCall *call, const CrlList *list)
{
  g_autoptr (GPtrArray) cas = NULL;

  if (list->akid.len > 0)
    {
      g_autofree char *akid = hex_lower (list->akid);
      g_autoptr (GVariant) item = pkm_certificates_lookup (call, PKM_CERT_BY_SKID, akid, NULL);
      gint64 id = 0;

      if (item != NULL && g_variant_lookup (item, ".id", "x", &id) && subject_is (call, id, list->issuer))
        return g_steal_pointer (&item);
      return NULL;
    }
  if ((cas = pkm_certificates_list (call, "authority=yes", NULL)) == NULL)
    return NULL;
  for (guint i = 0; i < cas->len; i++)
    {
      gint64 id = 0;

      g_variant_lookup (g_ptr_array_index (cas, i), ".id", "x", &id);
      if (subject_is (call, id, list->issuer))
        return g_variant_ref (g_ptr_array_index (cas, i));
    }
  return NULL;
}

/* Whether @signer is @cert_name or the issuer of it: the entry's chain. */
static gboolean
in_chain (PkmCall *call, GVariant *signer, const char *cert_name)
{
  g_autoptr (GVariant) cert = NULL;

  if (*cert_name == '\0' || strcmp (crl_item_string (signer, "name"), cert_name) == 0)
    return TRUE;
  cert = pkm_certificates_lookup (call, PKM_CERT_BY_NAME, cert_name, NULL);
  return cert != NULL && strcmp (crl_item_string (cert, "issuer"), crl_item_string (signer, "subject")) == 0;
}

/* The CRL in @der, whole and signed by a trusted CA of @cert_name's chain;
 * *@out_signer is that CA. */
static gboolean
verify (PkmCall *call, GBytes *der, const char *cert_name, CrlList *list, GVariant **out_signer, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  g_autoptr (GVariant) signer = NULL;
  g_autoptr (GBytes) signer_der = NULL, tbs = NULL, signature = NULL;
  g_autoptr (PkmCertInfo) info = NULL;
  gboolean trusted = FALSE;
  PkmDigest digest;
  PkmKeyType type;
  gint64 id = 0;
  g_autoptr (GError) local = NULL;

  if (!crl_list_parse (der, list, error))
    return FALSE;
  if (!crl_signature_algorithm (list->signature_algorithm, &digest, &type))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_SUPPORTED, "the CRL's signature algorithm is not supported");
      return FALSE;
    }
  if ((signer = find_signer (call, list)) == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_REJECTED,
                   "the CRL is signed by a certificate outside the chain: no CA here is its issuer");
      return FALSE;
    }
  g_variant_lookup (signer, ".id", "x", &id);
  g_variant_lookup (signer, "trusted", "b", &trusted);
  if ((signer_der = pkm_certificates_get_der (call, id, error)) == NULL
      || (info = pkm_crypto_parse_certificate (ctx, signer_der, error)) == NULL)
    return FALSE;
  tbs = g_bytes_new_static (list->tbs.data, list->tbs.len);
  signature = g_bytes_new_static (list->signature.data, list->signature.len);
  if (info->key_type != type || !pkm_crypto_verify_data (ctx, info->spki, digest, tbs, signature, &local))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_CRYPTO_FAILED, "the CRL's signature does not verify with \"%s\"%s%s",
                   crl_item_string (signer, "name"), local != NULL ? ": " : "", local != NULL ? local->message : "");
      return FALSE;
    }
  if (!in_chain (call, signer, cert_name))
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_REJECTED,
                   "the CRL is signed by \"%s\", a certificate outside the chain of \"%s\"",
                   crl_item_string (signer, "name"), cert_name);
      return FALSE;
    }
  if (!trusted)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_REJECTED, "the CRL is signed by \"%s\", which is not trusted",
                   crl_item_string (signer, "name"));
      return FALSE;
    }
  *out_signer = g_steal_pointer (&signer);
  return TRUE;
}

static void
keep (GVariantDict *record, CrlJob *job, GBytes *der, const CrlList *list, GVariant *signer)
{
  g_autofree char *number = list->number.len > 0 ? crl_hex (list->number.data, list->number.len) : g_strdup ("");
  g_autofree char *akid = list->akid.len > 0 ? hex_lower (list->akid) : g_strdup ("");
  g_autofree char *fingerprint = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, der);

  g_variant_dict_insert (record, "etag", "s", job->result.etag != NULL ? job->result.etag : "");
  g_variant_dict_insert (record, "number", "s", number);
  g_variant_dict_insert (record, "this-update", "x", list->this_update);
  g_variant_dict_insert (record, "next-update", "x", list->next_update);
  g_variant_dict_insert (record, "revoked", "t", list->n_entries);
  g_variant_dict_insert (record, "akid", "s", akid);
  g_variant_dict_insert (record, "fingerprint", "s", fingerprint);
  g_variant_dict_insert (record, "issuer-fingerprint", "s", crl_item_string (signer, "fingerprint"));
}

static gboolean
apply_job (PkmCall *call, gpointer user_data, GError **error)
{
  CrlJob *job = user_data;
  PkmContext *ctx = pkm_call_get_context (call);
  g_autofree char *url = NULL;
  g_autoptr (GVariant) stored = pkm_store_get (ctx, CRL_COLLECTION, job->id, &url, NULL);
  g_autoptr (GError) problem = NULL;
  g_autoptr (GVariant) signer = NULL;
  /* A 200 with no body is a CRL that does not parse. */
  g_autoptr (GBytes) der = job->blob != NULL ? crl_blob_record_der (job->blob) : g_bytes_new (NULL, 0);
  GVariantDict record;
  CrlList list = { 0 };
  gboolean kept = FALSE;

  /* Removed meanwhile, or set to another URL: this answer is not its. */
  if (stored == NULL || g_strcmp0 (url, job->url) != 0)
    return TRUE;
  g_clear_pointer (&job->outcome, g_free);
  g_variant_dict_init (&record, stored);
  g_variant_dict_insert (&record, "last-attempt", "x", g_get_real_time () / G_USEC_PER_SEC);
  if (job->error != NULL)
    problem = g_error_copy (job->error);
  else if (job->result.status == 304)
    job->outcome = g_strdup_printf ("%s: not modified", job->url);
  else if (verify (call, der, job->cert, &list, &signer, &problem))
    {
      keep (&record, job, der, &list, signer);
      kept = TRUE;
      job->outcome = g_strdup_printf ("%s: %" G_GUINT64_FORMAT " revoked, signed by \"%s\"", job->url, list.n_entries,
                                      crl_item_string (signer, "name"));
    }
  crl_list_clear (&list);
  job->failed = problem != NULL;
  /* pkm_fetch's errors name the URL already. */
  if (problem != NULL && job->error != NULL)
    job->outcome = g_strdup_printf ("%s; the CRL kept before stays", problem->message);
  else if (problem != NULL)
    job->outcome = g_strdup_printf ("%s: %s; the CRL kept before stays", job->url, problem->message);
  g_variant_dict_insert (&record, "last-error", "s", problem != NULL ? problem->message : "");
  return pkm_store_update (ctx, CRL_COLLECTION, job->id, url, g_variant_dict_end (&record), error)
         && (!kept || crl_blob_put (ctx, CRL_COLLECTION, job->id, job->blob, error));
}

static void
apply_all (PkmContext *ctx, GPtrArray *jobs, PkmCall *call, guint *out_failed)
{
  *out_failed = 0;
  for (guint i = 0; i < jobs->len; i++)
    {
      CrlJob *job = g_ptr_array_index (jobs, i);
      g_autoptr (GError) error = NULL;

      if (!pkm_context_transact (ctx, TRUE, "crl", apply_job, job, &error))
        {
          g_free (job->outcome);
          job->outcome = g_strdup_printf ("%s: %s", job->url, error->message);
          job->failed = TRUE;
        }
      if (job->failed)
        (*out_failed)++;
      pkm_context_log (ctx, job->failed ? "certificate,warning" : "certificate,info", "CRL %s", job->outcome);
      if (call != NULL)
        pkm_call_print (call, "%s", job->outcome);
    }
}

gboolean
crl_download (PkmCall *call, GArray *ids, GError **error)
{
  PkmContext *ctx = pkm_call_get_context (call);
  CrlPlugin *plugin = pkm_context_get_plugin_data (ctx, CRL_PLUGIN_NAME);
  g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func (job_free);
  CrlCollect collect = { ids, FALSE, 0, plugin->timeout, jobs };
  guint failed;

  if (!pkm_context_transact (ctx, TRUE, pkm_call_get_actor (call), collect_jobs, &collect, error))
    return FALSE;
  for (guint i = 0; i < jobs->len; i++)
    fetch_job (g_ptr_array_index (jobs, i));
  apply_all (ctx, jobs, call, &failed);
  pkm_call_set_result (call, g_variant_new_parsed ("{'downloaded': <%t>, 'failed': <%t>}",
                                                   (guint64) (jobs->len - failed), (guint64) failed));
  if (failed > 0)
    {
      CrlJob *first = NULL;
      for (guint i = 0; i < jobs->len && first == NULL; i++)
        if (((CrlJob *) g_ptr_array_index (jobs, i))->failed)
          first = g_ptr_array_index (jobs, i);
      if (failed > 1)
        g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s (and %u more)", first->outcome, failed - 1);
      else
        g_set_error (error, PKM_ERROR, PKM_ERROR_UNREACHABLE, "%s", first->outcome);
      return FALSE;
    }
  return TRUE;
}

/* -- pkimand's timer: the fetches on a worker thread -- */

typedef struct {
  PkmContext *ctx;
  GPtrArray *jobs;
} CrlRun;

static void
run_free (gpointer data)
{
  CrlRun *run = data;

  g_ptr_array_unref (run->jobs);
  g_free (run);
}

static void
fetch_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  CrlRun *run = task_data;

  for (guint i = 0; i < run->jobs->len; i++)
    fetch_job (g_ptr_array_index (run->jobs, i));
  g_task_return_boolean (task, TRUE);
}

static void
fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  CrlRun *run = g_task_get_task_data (G_TASK (result));
  CrlPlugin *plugin = pkm_context_get_plugin_data (run->ctx, CRL_PLUGIN_NAME);
  guint failed;

  apply_all (run->ctx, run->jobs, NULL, &failed);
  if (plugin != NULL)
    plugin->running = FALSE;
}

static gboolean
read_settings (PkmCall *call, gpointer user_data, GError **error)
{
  return crl_settings_read (pkm_call_get_context (call), user_data, error);
}

gboolean
crl_download_timer (PkmContext *ctx, gpointer user_data, GError **error)
{
  CrlPlugin *plugin = user_data;
  g_autoptr (GPtrArray) jobs = g_ptr_array_new_with_free_func (job_free);
  CrlCollect collect = { NULL, TRUE, plugin->interval, plugin->timeout, jobs };
  g_autoptr (GTask) task = NULL;
  CrlRun *run;

  if (plugin->running)
    return TRUE;
  if (!pkm_context_transact (ctx, FALSE, "crl", read_settings, &collect.settings, error))
    return FALSE;
  if (!collect.settings.download)
    return TRUE;
  /* crl-store=ram: the first run after pkimand starts downloads every CRL
   * again, as RouterOS does after a reboot (what was kept stays until a
   * download replaces it); system: only those due. */
  collect.only_due = plugin->started || !collect.settings.store_ram;
  plugin->started = TRUE;
  if (!pkm_context_transact (ctx, TRUE, "crl", collect_jobs, &collect, error))
    return FALSE;
  if (jobs->len == 0)
    return TRUE;
  run = g_new0 (CrlRun, 1);
  run->ctx = ctx;
  run->jobs = g_steal_pointer (&jobs);
  plugin->running = TRUE;
  task = g_task_new (NULL, NULL, fetched, NULL);
  g_task_set_task_data (task, run, run_free);
  g_task_run_in_thread (task, fetch_in_thread);
  return TRUE;
}
