/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include "pkm-daemon.h"
#include "pkm-rest-json.h"

G_BEGIN_DECLS

/* What a REST request asks, once the path and method are read. */
typedef enum {
  PKM_REST_LIST,    /* GET /rest/MENU */
  PKM_REST_GET,     /* GET /rest/MENU/ITEM */
  PKM_REST_ADD,     /* PUT /rest/MENU */
  PKM_REST_SET,     /* PATCH /rest/MENU/ITEM */
  PKM_REST_REMOVE,  /* DELETE /rest/MENU/ITEM */
  PKM_REST_COMMAND, /* POST /rest/MENU/COMMAND */
} PkmRestOp;

/* One request, from the main loop to a worker and back. */
typedef struct {
  PkmRestOp op;
  char *menu;      /* "/certificate" */
  char *command;   /* every verb but GET: the command it runs (add, set, remove, or the POSTed one) */
  char *item;      /* GET, SET, REMOVE: the item of the path, *ID or a name */
  char *where;     /* LIST: the query string's filters, as a where condition */
  PkmRestBody body;
  char *actor;     /* "rest:admin" */
  char *files_dir;
  gboolean writes; /* the command changes the store */
  guint status;    /* out */
  GBytes *answer;  /* out */
} PkmRestWork;

/* pkm-rest-run.c: runs @work on a worker's @ctx and fills its status and answer. */
void pkm_rest_run (PkmContext *ctx, gpointer work);
void pkm_rest_work_free (PkmRestWork *work);

G_END_DECLS
