// Sends order confirmation mails queued by the API (to Mailpit in development).
import nodemailer from 'nodemailer';
import { createClient } from 'redis';

const queue = createClient({ url: process.env.REDIS_URL });
await queue.connect();
const mail = nodemailer.createTransport({ host: process.env.SMTP_HOST, port: Number(process.env.SMTP_PORT) });

for (;;) {
  const job = await queue.blPop('mail:outbox', 0);
  if (!job) continue;
  const { to, subject, text } = JSON.parse(job.element);
  await mail.sendMail({ from: 'shop@example.test', to, subject, text });
}
