/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* What one durable commit costs the disk itself, with no SQLite around it:
 * write SIZE bytes into a file in DIR, fdatasync, COUNT times, as a WAL
 * commit does (SQLite on Linux syncs with fdatasync). "append" grows the
 * file at every write, as a fresh WAL grows (the size must be synced too);
 * "overwrite" rewrites the same 64 blocks, as a WAL reused after a checkpoint.
 *   bench-fsync DIR COUNT [SIZE [append|overwrite]]  -> seconds per write + fdatasync */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static double
now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main (int argc, char **argv)
{
  const char *dir = argc > 1 ? argv[1] : ".";
  int count = argc > 2 ? atoi (argv[2]) : 200;
  size_t size = argc > 3 ? (size_t) atol (argv[3]) : 4096;
  int append = argc <= 4 || strcmp (argv[4], "overwrite") != 0;
  char path[4096];
  char *block;
  double start;
  int fd;

  snprintf (path, sizeof path, "%s/bench-fsync.%d", dir, (int) getpid ());
  fd = open (path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
  block = malloc (size);
  if (fd < 0 || block == NULL || count <= 0)
    {
      perror (path);
      return 1;
    }
  memset (block, 0x5a, size);
  start = now ();
  for (int i = 0; i < count; i++)
    if (pwrite (fd, block, size, (off_t) (append ? i : i % 64) * size) != (ssize_t) size || fdatasync (fd) != 0)
      {
        perror (path);
        return 1;
      }
  printf ("%.6f\n", (now () - start) / count);
  close (fd);
  unlink (path);
  free (block);
  return 0;
}
