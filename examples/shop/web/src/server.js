// Shop front end: one page listing the API's products (server-rendered, no build step).
import { createServer } from 'node:http';

const api = process.env.API_URL;
createServer(async (_request, response) => {
  const products = await fetch(`${api}/products`)
    .then((r) => r.json())
    .catch(() => []);
  const items = products.map((p) => `<li>${p.name} — ${(p.price_cents / 100).toFixed(2)}</li>`).join('');
  response.writeHead(200, { 'content-type': 'text/html' }).end(`<h1>Shop</h1><ul>${items}</ul>`);
}).listen(Number(process.env.PORT));
