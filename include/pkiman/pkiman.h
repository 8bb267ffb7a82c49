/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* The installed API: the only headers a plugin includes. */
#include <pkiman/pkm-version.h>
#include <pkiman/pkm-error.h>
#include <pkiman/pkm-secret.h>
#include <pkiman/pkm-crypto.h>
#include <pkiman/pkm-store.h>
#include <pkiman/pkm-menu.h>
#include <pkiman/pkm-plugin.h>
#include <pkiman/pkm-events.h>
#include <pkiman/pkm-loop.h>
#include <pkiman/pkm-invoke.h>
#include <pkiman/pkm-files.h>
#include <pkiman/pkm-frontend.h>
#include <pkiman/pkm-certificates.h>
#include <pkiman/pkm-key.h>
#include <pkiman/pkm-services.h>
#include <pkiman/pkm-vardict.h>
#include <pkiman/pkm-fetch.h>
