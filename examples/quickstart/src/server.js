// A tiny notes API: notes live in Postgres, a visit counter in Redis.
//   GET  /healthz   → 200 when both stores answer
//   GET  /notes     → the latest notes and how often the list was read
//   POST /notes     → body is the note text; returns the stored note
// Connection settings come from devenv.yaml (`${db.url}`, `${cache.url}`); PORT from `port:`.
import { createServer } from 'node:http';
import pg from 'pg';
import { createClient } from 'redis';

const port = Number(process.env.PORT ?? 3000);
const db = new pg.Pool({ connectionString: required('DATABASE_URL') });
const cache = createClient({ url: required('REDIS_URL') });
cache.on('error', (error) => console.error('redis:', error.message));
await cache.connect();
await db.query(
  'CREATE TABLE IF NOT EXISTS notes (id serial PRIMARY KEY, body text NOT NULL, created_at timestamptz NOT NULL DEFAULT now())',
);

const routes = {
  'GET /healthz': async () => {
    await db.query('SELECT 1');
    await cache.ping();
    return [200, { ok: true }];
  },
  'GET /notes': async () => {
    const { rows } = await db.query('SELECT id, body, created_at FROM notes ORDER BY id DESC LIMIT 20');
    const reads = await cache.incr('notes:reads');
    return [200, { notes: rows, reads }];
  },
  'POST /notes': async (body) => {
    if (body.trim() === '') return [400, { error: 'empty note' }];
    const { rows } = await db.query('INSERT INTO notes (body) VALUES ($1) RETURNING id, body, created_at', [
      body,
    ]);
    return [201, rows[0]];
  },
};

const server = createServer(async (request, response) => {
  const route = routes[`${request.method} ${new URL(request.url ?? '/', 'http://x').pathname}`];
  let status = 404;
  let payload = { error: 'not found' };
  try {
    if (route) [status, payload] = await route(await readBody(request));
  } catch (error) {
    console.error(error);
    [status, payload] = [500, { error: error.message }];
  }
  response.writeHead(status, { 'content-type': 'application/json' }).end(`${JSON.stringify(payload)}\n`);
});

server.listen(port, () => console.log(`api listening on http://127.0.0.1:${port}`));

// devenv stops services with SIGTERM; close connections so restarts are quick and clean.
process.on('SIGTERM', () => {
  server.close();
  Promise.allSettled([db.end(), cache.quit()]).then(() => process.exit(0));
});

function required(name) {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set; run this through \`devenv up\``);
  return value;
}

async function readBody(request) {
  let body = '';
  for await (const chunk of request) body += chunk;
  return body;
}
