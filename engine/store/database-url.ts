/** The SQLite file a database URL names, or null for Postgres. */
export function sqliteFileOf(databaseUrl: string): string | null {
  if (/^postgres(ql)?:\/\//.test(databaseUrl)) return null;
  return databaseUrl.replace(/^(sqlite|file):(\/\/)?/, '');
}
