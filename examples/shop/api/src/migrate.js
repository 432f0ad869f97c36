// One-shot: create the schema and a few products, then exit 0 so `api` (waiting on `completed`) starts.
import pg from 'pg';

const db = new pg.Client({ connectionString: process.env.DATABASE_URL });
await db.connect();
await db.query(
  'CREATE TABLE IF NOT EXISTS products (id serial PRIMARY KEY, name text NOT NULL, price_cents int NOT NULL)',
);
await db.query(
  "INSERT INTO products (name, price_cents) SELECT 'Mug', 1200 WHERE NOT EXISTS (SELECT 1 FROM products)",
);
await db.end();
