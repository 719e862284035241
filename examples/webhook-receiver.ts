// A webhook receiver for payrail, with Payrail.webhooks.verify (Standard Webhooks: HMAC-SHA256,
// 5-minute tolerance, constant-time compare). It prints one line per verified event and answers
// 204; a delivery that does not verify gets 400 and is not printed.
//
//   WEBHOOK_SECRET=whsec_… node --import tsx examples/webhook-receiver.ts [--port 3000]
//
// Register it with the SDK (`payrail.webhookEndpoints.create({ url: 'http://localhost:3000/hooks' })`,
// the answer's `secret` is WEBHOOK_SECRET) or with curl as in the README. Deliveries are at least
// once: the same event (same id) can come twice, so handle events by id.
// (Your code imports '@payrail/sdk'; these examples import the workspace's sources by path so that
// they run from any checkout of this repository.)
import { createServer } from 'node:http';
import { parseArgs } from 'node:util';
import { Payrail, WebhookVerificationError } from '../sdk/src/index.ts';

const { values: args } = parseArgs({ options: { port: { type: 'string', default: process.env.PORT ?? '3000' } } });
const secret = process.env.WEBHOOK_SECRET;
if (!secret) throw new Error('set WEBHOOK_SECRET (the whsec_… secret the endpoint was registered with)');
const seen = new Set<string>();

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    try {
      // The raw body, exactly as received: a parsed and re-serialised body would not verify.
      const event = Payrail.webhooks.verify(req.headers, Buffer.concat(chunks), secret);
      if (!seen.has(event.id)) {
        seen.add(event.id);
        const object = event.data as { id?: string; status?: string };
        console.log(`${event.type} ${event.id} ${object.id ?? ''} ${object.status ?? ''}`.trim());
      }
      res.writeHead(204).end();
    } catch (err) {
      if (!(err instanceof WebhookVerificationError)) throw err;
      console.error(`refused: ${err.code}`);
      res.writeHead(400).end();
    }
  });
});
server.listen(Number(args.port), '127.0.0.1', () => console.error(`listening on http://127.0.0.1:${args.port}/hooks`));
