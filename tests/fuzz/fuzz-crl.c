/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* The CRL plugin's DER readers and CRL parser (plugins/crl, crl_der_lib),
 * on the input as a downloaded CRL: what crl_list_parse accepts lies inside
 * the input, every entry crl_list_foreach walks is found again through the
 * serial index (with its first occurrence's time and reason, whatever zero
 * bytes lead the serial), serials not on it are not found, and
 * crl_list_clear frees everything. The input is also read as the issuer's
 * certificate (crl_certificate_subject) and walked TLV by TLV with
 * crl_der_read, every time in it surviving crl_der_put_time and back.
 * Seeds are real openssl and certtool CRLs (gen-seeds.sh) and hand-made
 * edge cases. */
#include <stdlib.h>
#include <string.h>
#include "fuzz.h"
#include "../../plugins/crl/crl-list.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init_glib ();
  return 0;
}

/* @slice lies inside [@data, @data + @size). */
static void
check_inside (CrlSlice slice, const guint8 *data, gsize size)
{
  if (slice.len == 0)
    return;
  g_assert_true (slice.data >= data && slice.len <= size && (gsize) (slice.data - data) <= size - slice.len);
}

typedef struct {
  GHashTable *first; /* serial magnitude (GBytes) -> its first entry (Entry) */
  guint64 n;
} Walk;

typedef struct {
  gint64 time;
  guint reason;
} Entry;

static gboolean
collect (CrlSlice serial, gint64 time, guint reason, gpointer user_data)
{
  Walk *walk = user_data;
  GBytes *key;

  g_assert_cmpuint (serial.len, >=, 1);
  g_assert_cmpuint (serial.len, <=, 21);
  /* A magnitude: no leading zero byte unless it is the only one. */
  g_assert_true (serial.len == 1 || serial.data[0] != 0);
  walk->n++;
  key = g_bytes_new (serial.data, serial.len);
  if (g_hash_table_contains (walk->first, key))
    g_bytes_unref (key);
  else
    {
      Entry *entry = g_new (Entry, 1);
      *entry = (Entry) { time, reason };
      g_hash_table_insert (walk->first, key, entry);
    }
  return TRUE;
}

/* What crl_list_find must say of @serial: what the walk saw, the serial's
 * leading zero bytes aside (the index keys magnitudes). */
static void
check_find (const CrlList *crl, GHashTable *first, const guint8 *serial, gsize len)
{
  gsize skip = 0;
  g_autoptr (GBytes) key = NULL;
  const Entry *expected;
  gint64 time = -1;
  guint reason = G_MAXUINT;
  gboolean found = crl_list_find (crl, serial, len, &time, &reason);

  while (len - skip > 1 && serial[skip] == 0)
    skip++;
  key = g_bytes_new (serial + skip, len - skip);
  expected = g_hash_table_lookup (first, key);
  if (expected == NULL)
    {
      /* An invariant, not an assertion that G_DISABLE_ASSERT could drop. */
      if (found)
        abort ();
      return;
    }
  if (!found || time != expected->time || reason != expected->reason)
    abort ();
}

static void
lookup_each (gpointer key, gpointer value, gpointer user_data)
{
  const CrlList *crl = ((gpointer *) user_data)[0];
  GHashTable *first = ((gpointer *) user_data)[1];
  gsize len;
  const guint8 *serial = g_bytes_get_data (key, &len);
  g_autofree guint8 *padded = g_malloc (len + 2);
  g_autofree guint8 *longer = g_malloc (len + 1);
  g_autofree guint8 *flipped = g_memdup2 (serial, len);

  check_find (crl, first, serial, len);
  /* The same serial with leading zeros: the same entry. */
  padded[0] = padded[1] = 0;
  memcpy (padded + 2, serial, len);
  check_find (crl, first, padded, len + 2);
  /* Neighbours, on the list or not: the walk says which. */
  memcpy (longer, serial, len);
  longer[len] = 0x5a;
  check_find (crl, first, longer, len + 1);
  check_find (crl, first, serial, len - 1 > 0 ? len - 1 : 1);
  flipped[len - 1] ^= 0x01;
  check_find (crl, first, flipped, len);
}

static void
check_list (CrlList *crl, GBytes *bytes)
{
  gsize size;
  const guint8 *data = g_bytes_get_data (bytes, &size);
  g_autoptr (GHashTable) first = g_hash_table_new_full (g_bytes_hash, g_bytes_equal, (GDestroyNotify) g_bytes_unref,
                                                        g_free);
  Walk walk = { first, 0 };
  static const guint8 absent[][21] = {
    { 0x01 }, { 0x00 }, { 0xff }, { 0x7f, 0xff, 0xff, 0xff },
    { 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc, 0xde, 0xf0, 0x12, 0x34, 0x56,
      0x78, 0x9a },
  };
  static const gsize absent_len[] = { 1, 1, 1, 4, 21 };
  gpointer both[2] = { crl, first };
  PkmDigest digest = PKM_DIGEST_NONE;
  PkmKeyType type = PKM_KEY_TYPE_NONE;
  gint64 time;
  guint reason;

  g_assert_true (crl->der == bytes);
  g_assert_null (crl->slots);
  check_inside (crl->tbs, data, size);
  check_inside (crl->signature_algorithm, data, size);
  check_inside (crl->signature, data, size);
  check_inside (crl->issuer, data, size);
  check_inside (crl->entries, data, size);
  check_inside (crl->number, data, size);
  check_inside (crl->akid, data, size);
  g_assert_cmpuint (crl->number.len, <=, 21);

  /* No index yet: nothing is found. */
  g_assert_false (crl_list_find (crl, absent[0], 1, &time, &reason));
  g_assert_true (crl_list_foreach (crl, collect, &walk));
  g_assert_cmpuint (walk.n, ==, crl->n_entries);

  crl_list_index (crl);
  g_assert_nonnull (crl->slots);
  g_assert_cmpuint (crl->n_slots, >=, 2 * crl->n_entries);
  crl_list_index (crl); /* once: a second call keeps the index */

  g_hash_table_foreach (first, lookup_each, both);
  for (guint i = 0; i < G_N_ELEMENTS (absent); i++)
    check_find (crl, first, absent[i], absent_len[i]);
  /* An empty serial is no serial on the list. */
  if (crl_list_find (crl, absent[0], 0, &time, &reason))
    abort ();

  if (crl_signature_algorithm (crl->signature_algorithm, &digest, &type))
    {
      g_assert_true (digest >= PKM_DIGEST_SHA1 && digest <= PKM_DIGEST_SHA512);
      g_assert_true (type == PKM_KEY_TYPE_RSA || type == PKM_KEY_TYPE_EC);
    }
}

/* Every TLV of @data, depth first; each time read survives writing. */
static void
walk_der (const guint8 *at, const guint8 *end, guint depth)
{
  while (at < end)
    {
      const guint8 *before = at;
      CrlTlv tlv;
      gint64 when;

      if (!crl_der_read (&at, end, &tlv))
        {
          g_assert_true (at == before);
          return;
        }
      g_assert_true (tlv.start == before && at == before + tlv.total);
      g_assert_true (tlv.value > tlv.start && tlv.value + tlv.len == at && at <= end);
      if (crl_der_time (&tlv, &when))
        {
          g_autoptr (GByteArray) out = g_byte_array_new ();
          const guint8 *p;
          CrlTlv again;
          gint64 when_again;

          crl_der_put_time (out, when);
          p = out->data;
          g_assert_true (crl_der_read (&p, out->data + out->len, &again));
          g_assert_true (crl_der_time (&again, &when_again));
          g_assert_cmpint (when_again, ==, when);
        }
      if (tlv.tag == DER_INTEGER && tlv.len > 0)
        {
          CrlSlice magnitude = crl_der_integer_magnitude (&tlv);
          g_assert_true (magnitude.len >= 1 && magnitude.data + magnitude.len == tlv.value + tlv.len);
        }
      /* Constructed: its contents are TLVs too. */
      if ((tlv.tag & 0x20) && depth < 32)
        walk_der (tlv.value, tlv.value + tlv.len, depth + 1);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* A copy of exactly @size bytes, so ASan sees any read past the end. */
  g_autoptr (GBytes) bytes = g_bytes_new (data, size);
  g_autoptr (GError) error = NULL;
  gsize copy_size;
  const guint8 *copy = g_bytes_get_data (bytes, &copy_size);
  CrlList crl;
  CrlSlice subject;

  if (crl_list_parse (bytes, &crl, &error))
    {
      g_assert_no_error (error);
      check_list (&crl, bytes);
    }
  else
    {
      g_assert_nonnull (error);
      /* A failed parse keeps nothing: clearing it is still safe. */
      g_assert_null (crl.der);
      g_assert_null (crl.slots);
    }
  crl_list_clear (&crl);
  g_assert_null (crl.der);
  g_assert_null (crl.slots);

  if (crl_certificate_subject (bytes, &subject))
    {
      CrlTlv name;
      const guint8 *p = subject.data;

      check_inside (subject, copy, copy_size);
      g_assert_true (crl_der_read (&p, subject.data + subject.len, &name));
      g_assert_true (name.tag == DER_SEQUENCE && name.total == subject.len);
    }

  if (copy != NULL)
    walk_der (copy, copy + copy_size, 0);
  return 0;
}
