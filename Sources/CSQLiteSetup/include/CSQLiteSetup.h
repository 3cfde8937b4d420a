#ifndef CSQLITESETUP_H
#define CSQLITESETUP_H

/// Turns off SQLite's memory statistics (SQLITE_CONFIG_MEMSTATUS), which take one process-wide
/// mutex on every allocation and free: with several connections reading on several threads that
/// mutex, not the CPU, bounded the reads. Effective only before SQLite initialises (the first
/// connection); returns SQLITE_OK, or SQLITE_MISUSE when it is too late (nothing changes then).
/// sqlite3_config is variadic, which Swift cannot call: hence this C function.
int shopseg_sqlite_disable_memory_statistics(void);

#endif
