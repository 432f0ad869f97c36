// Shop API: products from Postgres, a cached product count in Redis.
import { createServer } from 'node:http';
import pg from 'pg';
import { createClient } from 'redis';

const db = new pg.Pool({ connectionString: process.env.DATABASE_URL });
const cache = createClient({ url: process.env.REDIS_URL });
await cache.connect();

createServer(async (request, response) => {
  const send = (status, body) =>
    response.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  try {
    if (request.url === '/healthz') return send(200, { ok: true });
    if (request.url === '/products') {
      const { rows } = await db.query('SELECT id, name, price_cents FROM products ORDER BY id');
      await cache.set('products:count', String(rows.length));
      return send(200, rows);
    }
    send(404, { error: 'not found' });
  } catch (error) {
    send(500, { error: error.message });
  }
}).listen(Number(process.env.PORT ?? 8080));
