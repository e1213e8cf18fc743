/**
 * Postgres settings for the embedded database, added to PGlite's own start parameters (`-c`), so
 * that they hold for data folders made before they were chosen, whatever their postgresql.conf says.
 * Figures from one process on a data folder, idle after opening and migrating (PGlite 0.5.16).
 */
export const PGLITE_SETTINGS: readonly string[] = [
  // initdb picks 128 MB; the pool is zeroed at start, so all of it is resident: 16 MB holds a laptop's
  // notes and audit log, the OS caches the rest of the folder. About 130 MB less resident memory.
  "shared_buffers=16MB",
  // Index builds (migrations) and VACUUM take up to this much; WebAssembly memory never shrinks,
  // so what one build touched stays resident: 18 MB less after indexing a 200 000-row table.
  "maintenance_work_mem=16MB",
];

/**
 * Postgres in single-user mode, as PGlite runs it, never checkpoints on its own: its WAL grows
 * without bound (on disk, or in memory with `memory://`) and an unclean exit replays all of it at
 * the next open. The thread checkpoints once this much WAL has accumulated since the last one.
 */
export const PGLITE_CHECKPOINT_WAL_BYTES = 32 * 1024 * 1024;

/** How often the thread looks at how much WAL has accumulated: one cheap query. */
export const PGLITE_CHECKPOINT_CHECK_MS = 10_000;
