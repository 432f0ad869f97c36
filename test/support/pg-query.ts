import pg from 'pg';

/** Runs SQL on a fresh connection and returns the last statement's rows (none for a script). */
export async function query(url: string, sql: string): Promise<unknown[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const results = await client.query(sql);
    return Array.isArray(results) ? [] : results.rows;
  } finally {
    await client.end();
  }
}
