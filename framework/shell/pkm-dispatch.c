/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include "shell/pkm-shell-private.h"

/* From words to a run: the menu path, the command, its checked arguments,
 * then the handler inside one transaction (commit on success, rollback on
 * any failure, validation included: a refused command changes nothing). */

static const PkmCommand print_command = { "print", NULL, pkm_print_params, PKM_COMMAND_READ, "show the items" };

static const PkmCommand *find_command (const PkmMenu *menu, const char *name);

static char *
join_path (const char *base, const char *word)
{
  return *base == '\0' ? g_strconcat ("/", word, NULL) : g_strconcat (base, " ", word, NULL);
}

static char *
parent_path (const char *path)
{
  const char *space = strrchr (path, ' ');

  return space != NULL ? g_strndup (path, space - path) : g_strdup ("");
}

/* "/certificate/scep-server" and "/certificate scep-server" name one menu. */
static char *
absolute_path (const char *word)
{
  g_auto (GStrv) parts = g_strsplit (word + 1, "/", -1);
  g_autofree char *joined = g_strjoinv (" ", parts);

  return *joined == '\0' ? g_strdup ("") : g_strconcat ("/", joined, NULL);
}

/* A path exists when a menu is there or below it ("/system" holds "/system plugin"). */
static gboolean
menu_exists (PkmShell *shell, const char *path)
{
  g_autoptr (GPtrArray) menus = NULL;
  g_autofree char *prefix = g_strconcat (path, " ", NULL);

  if (*path == '\0' || pkm_context_find_menu (shell->ctx, path) != NULL)
    return TRUE;
  menus = pkm_context_get_menus (shell->ctx);
  for (guint i = 0; i < menus->len; i++)
    if (g_str_has_prefix (((const PkmMenu *) g_ptr_array_index (menus, i))->path, prefix))
      return TRUE;
  return FALSE;
}

/* Consumes the path words at the front; returns the index of the first other word. */
static gboolean
resolve_path (PkmShell *shell, PkmTokens *tokens, char **out_path, guint *out_index, GError **error)
{
  g_autofree char *path = g_strdup (shell->menu);
  guint i = 0;

  for (; i < tokens->tokens->len; i++)
    {
      PkmToken *token = g_ptr_array_index (tokens->tokens, i);
      g_autofree char *next = NULL;

      if (token->name != NULL)
        break;
      if (token->value[0] == '/')
        {
          next = absolute_path (token->value);
          /* "/import" and "/certificate/print": the last word is a command. */
          if (!menu_exists (shell, next) && strcmp (token->value, "/") != 0)
            {
              char *last = strrchr (next, ' ');
              g_autofree char *parent = last != NULL ? g_strndup (next, last - next) : g_strdup ("");
              const char *command = last != NULL ? last + 1 : next + 1;
              if (find_command (pkm_context_find_menu (shell->ctx, parent), command) != NULL
                  || (*parent == '\0' && strcmp (command, "import") == 0))
                {
                  g_free (token->value);
                  token->value = g_strdup (command);
                  g_free (path);
                  path = g_steal_pointer (&parent);
                  break;
                }
            }
        }
      else if (strcmp (token->value, "..") == 0)
        next = parent_path (path);
      else
        {
          next = join_path (path, token->value);
          if (!menu_exists (shell, next))
            break;
        }
      if (!menu_exists (shell, next))
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such menu", token->value);
          return FALSE;
        }
      g_free (path);
      path = g_steal_pointer (&next);
    }
  *out_path = g_steal_pointer (&path);
  *out_index = i;
  return TRUE;
}

static const PkmParam *
find_param (const PkmCommand *command, const char *name)
{
  for (const PkmParam *p = command->params; p != NULL && p->name != NULL; p++)
    if (strcmp (p->name, name) == 0)
      return p;
  return NULL;
}

static const PkmParam *
positional_param (const PkmCommand *command)
{
  for (const PkmParam *p = command->params; p != NULL && p->name != NULL; p++)
    if (p->flags & PKM_PARAM_POSITIONAL)
      return p;
  return NULL;
}

static const char *
menu_label (const PkmMenu *menu)
{
  return menu != NULL && *menu->path != '\0' ? menu->path : "/";
}

/* Checks every argument against the command's table; ITEM values are kept
 * as text in @items until a transaction is open. */
static gboolean
parse_arguments (PkmCall *call, PkmTokens *tokens, guint start, GHashTable *items, GError **error)
{
  const PkmCommand *command = call->command;
  gboolean positional_used = FALSE;

  for (guint i = start; i < tokens->tokens->len; i++)
    {
      PkmToken *token = g_ptr_array_index (tokens->tokens, i);
      const PkmParam *param = NULL;
      const char *raw = token->value;
      GVariant *value = NULL;

      const PkmParam *word = token->name == NULL ? find_param (command, token->value) : NULL;

      if (token->name != NULL)
        param = find_param (command, token->name);
      else if (word != NULL && (word->flags & PKM_PARAM_WORD))
        {
          param = word;
          raw = "yes";
        }
      else if (!positional_used && (param = positional_param (command)) != NULL)
        positional_used = TRUE;
      if (param == NULL)
        {
          if (token->name != NULL)
            g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: no such parameter of %s %s", token->name,
                         menu_label (call->menu), command->name);
          else
            g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: unexpected word for %s %s", token->value,
                         menu_label (call->menu), command->name);
          return FALSE;
        }
      if (g_variant_dict_contains (call->args, param->name) || g_hash_table_contains (items, param))
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: given twice", param->name);
          return FALSE;
        }
      if (param->type == PKM_PARAM_ITEM)
        {
          g_hash_table_insert (items, (gpointer) param, g_strdup (raw));
          continue;
        }
      if (!pkm_value_parse (param, raw, &value, error))
        return FALSE;
      g_variant_dict_insert_value (call->args, param->name, value);
    }
  for (const PkmParam *p = command->params; p != NULL && p->name != NULL; p++)
    if ((p->flags & PKM_PARAM_REQUIRED) && !g_variant_dict_contains (call->args, p->name)
        && !g_hash_table_contains (items, p))
      {
        g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: required", p->name);
        return FALSE;
      }
  return TRUE;
}

static gboolean
resolve_items (PkmCall *call, GHashTable *items, GError **error)
{
  GHashTableIter iter;
  gpointer param, raw;

  g_hash_table_iter_init (&iter, items);
  while (g_hash_table_iter_next (&iter, &param, &raw))
    {
      gint64 id = 0;
      if (!pkm_value_resolve_item (call, param, raw, &id, error))
        return FALSE;
      g_variant_dict_insert (call->args, ((const PkmParam *) param)->name, "x", id);
    }
  return TRUE;
}

static gboolean
run_once (PkmShell *shell, PkmCall *call, GHashTable *items, const char *where, GError **error)
{
  guint flags = call->command->flags;
  gboolean transaction = (flags & (PKM_COMMAND_WRITE | PKM_COMMAND_READ)) != 0;
  gboolean ok;

  if (transaction && !pkm_context_begin (shell->ctx, (flags & PKM_COMMAND_WRITE) != 0, error))
    return FALSE;
  ok = resolve_items (call, items, error)
       && (call->command->run != NULL ? call->command->run (call, error) : pkm_print_run (call, where, error));
  if (transaction)
    {
      if (ok)
        ok = pkm_context_commit (shell->ctx, error);
      else
        pkm_context_rollback (shell->ctx);
    }
  return ok;
}

/* A command that lost a write conflict (another writer changed what it read)
 * runs again from a clean call, items resolved anew; its slow results
 * survive in the call's data. The bound is for a store that keeps losing:
 * store-sqlite's re-run holds the lock from its start and cannot lose. */
#define MAX_ATTEMPTS 32

static gboolean
run_in_transaction (PkmShell *shell, PkmCall *call, GHashTable *items, const char *where, GError **error)
{
  for (guint attempt = 1;; attempt++)
    {
      g_autoptr (GError) local = NULL;

      if (run_once (shell, call, items, where, &local))
        return TRUE;
      if (!g_error_matches (local, PKM_ERROR, PKM_ERROR_CONFLICT))
        {
          g_propagate_error (error, g_steal_pointer (&local));
          return FALSE;
        }
      if (attempt == MAX_ATTEMPTS)
        {
          g_set_error (error, PKM_ERROR, PKM_ERROR_CONFLICT,
                       "%s %s: another writer kept winning the store; gave up after %u attempts",
                       menu_label (call->menu), call->command->name, MAX_ATTEMPTS);
          return FALSE;
        }
      g_debug ("%s %s: %s; running it again (attempt %u)", menu_label (call->menu), call->command->name,
               local->message, attempt + 1);
      pkm_call_reset (call);
    }
}

static const PkmCommand *
find_command (const PkmMenu *menu, const char *name)
{
  for (const PkmCommand *c = menu != NULL ? menu->commands : NULL; c != NULL && c->name != NULL; c++)
    if (strcmp (c->name, name) == 0)
      return c;
  if (menu != NULL && menu->list != NULL && strcmp (name, "print") == 0)
    return &print_command;
  return NULL;
}

gboolean
pkm_dispatch (PkmShell *shell, PkmTokens *tokens, GError **error)
{
  g_autofree char *path = NULL;
  g_autoptr (GHashTable) items = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, g_free);
  g_autoptr (PkmCall) call = NULL;
  const PkmMenu *menu;
  const PkmCommand *command;
  PkmToken *word;
  guint index;

  if (!resolve_path (shell, tokens, &path, &index, error))
    return FALSE;
  if (index == tokens->tokens->len && tokens->where == NULL)
    {
      /* A path alone moves to that menu. */
      g_free (shell->menu);
      shell->menu = g_steal_pointer (&path);
      return TRUE;
    }
  word = index < tokens->tokens->len ? g_ptr_array_index (tokens->tokens, index) : NULL;
  if (word == NULL || word->name != NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "%s: a command is expected",
                   word != NULL ? word->name : "where");
      return FALSE;
    }
  menu = pkm_context_find_menu (shell->ctx, path);
  if (*path == '\0' && strcmp (word->value, "import") == 0 && find_command (menu, "import") == NULL)
    return pkm_shell_import (shell, tokens, index + 1, error);
  command = find_command (menu, word->value);
  if (command == NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_NOT_FOUND, "%s: no such command in %s", word->value,
                   *path != '\0' ? path : "/");
      return FALSE;
    }
  if (tokens->where != NULL && command->run != NULL)
    {
      g_set_error (error, PKM_ERROR, PKM_ERROR_INVALID_ARGUMENT, "where: only print takes where");
      return FALSE;
    }
  call = pkm_call_new (shell, menu, command);
  if (!parse_arguments (call, tokens, index + 1, items, error)
      || !run_in_transaction (shell, call, items, tokens->where, error))
    return FALSE;
  if (command->run != NULL)
    pkm_output_call (shell, call);
  return TRUE;
}
