import { fileURLToPath } from 'node:url';

/**
 * The versioned SQL migrations (top-level `migrations/`, drizzle-kit's layout: `NNNN_name.sql` and
 * `meta/_journal.json`). Resolved from this file, so it is found from `src/` (Jest) and `dist/`
 * (the built app) alike.
 */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../migrations', import.meta.url));

/** The table recording applied migrations, in the app's schema so a throwaway test schema takes it along. */
export const MIGRATIONS_TABLE = '__drizzle_migrations';
