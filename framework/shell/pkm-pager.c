/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>
#include <sys/ioctl.h>
#include <termios.h>
#include <unistd.h>
#include "pkm-shell-private.h"

/* The interactive prompt's output as RouterOS shows it: a print longer than
 * the screen stops after each screen at "-- [Q quit|D dump|down]" (Q stops,
 * D writes the rest, space the next screen, Enter or Down one more line).
 * Scripts, pipes and files get everything at once: nothing here runs unless
 * the shell is the prompt and its output a terminal. */

#define PROMPT "-- [Q quit|D dump|down]"

gboolean
pkm_pager_terminal_size (PkmShell *shell, guint *out_columns, guint *out_rows)
{
  struct winsize size = { 0 };

  if (!shell->interactive || shell->format != PKM_OUTPUT_TEXT || !isatty (fileno (shell->out))
      || ioctl (fileno (shell->out), TIOCGWINSZ, &size) != 0 || size.ws_col == 0 || size.ws_row == 0)
    return FALSE;
  *out_columns = size.ws_col;
  *out_rows = size.ws_row;
  return TRUE;
}

typedef enum { PAGER_QUIT, PAGER_DUMP, PAGER_PAGE, PAGER_LINE } PagerKey;

/* One key from the terminal, unbuffered and unechoed; Q at end of input. */
static PagerKey
read_key (void)
{
  struct termios saved, raw;
  unsigned char c = 'q', rest[2];
  PagerKey key;

  if (tcgetattr (STDIN_FILENO, &saved) != 0)
    return PAGER_QUIT;
  raw = saved;
  raw.c_lflag &= ~(ICANON | ECHO);
  raw.c_cc[VMIN] = 1;
  raw.c_cc[VTIME] = 0;
  tcsetattr (STDIN_FILENO, TCSANOW, &raw);
  if (read (STDIN_FILENO, &c, 1) != 1)
    c = 'q';
  /* An arrow is ESC [ X: Down (B) is a line; any other, like any other key, a page. */
  if (c == 0x1b && read (STDIN_FILENO, rest, 2) == 2 && rest[0] == '[' && rest[1] == 'B')
    c = '\n';
  tcsetattr (STDIN_FILENO, TCSANOW, &saved);
  key = (c == 'q' || c == 'Q' || c == 3) ? PAGER_QUIT
        : (c == 'd' || c == 'D')         ? PAGER_DUMP
        : (c == '\n' || c == '\r')       ? PAGER_LINE
                                         : PAGER_PAGE;
  return key;
}

/* With @paging, on a terminal that answers keys: its size. */
static gboolean
pager_size (PkmShell *shell, gboolean paging, guint *out_columns, guint *out_rows)
{
  return paging && pkm_pager_terminal_size (shell, out_columns, out_rows) && isatty (STDIN_FILENO);
}

gboolean
pkm_pager_pages (PkmShell *shell, gboolean paging)
{
  guint columns, rows;

  return pager_size (shell, paging, &columns, &rows);
}

void
pkm_pager_write (PkmShell *shell, const char *text, gboolean paging)
{
  guint columns, rows, budget;
  const char *p = text;

  if (!pager_size (shell, paging, &columns, &rows))
    {
      fputs (text, shell->out);
      return;
    }
  budget = rows > 1 ? rows - 1 : 1;
  while (*p != '\0')
    {
      const char *nl = strchr (p, '\n');
      const char *next = nl != NULL ? nl + 1 : p + strlen (p);

      if (budget == 0)
        {
          PagerKey key;

          fputs (PROMPT, shell->out);
          fflush (shell->out);
          key = read_key ();
          /* The prompt goes; the next lines take its place. */
          fputs ("\r\033[K", shell->out);
          if (key == PAGER_QUIT)
            break;
          budget = key == PAGER_DUMP ? G_MAXUINT : key == PAGER_LINE ? 1 : (rows > 1 ? rows - 1 : 1);
        }
      fwrite (p, 1, next - p, shell->out);
      budget--;
      p = next;
    }
  fflush (shell->out);
}
