// Receives booking events by webhook: checks each delivery's signature and handles each event once.
//   WEBHOOK_SECRET=whsec_… PORT=8080 node webhook-receiver.mjs      (npm install standardwebhooks)
import { createServer } from "node:http";
import { Webhook } from "standardwebhooks";

const webhook = new Webhook(process.env.WEBHOOK_SECRET);
// Deliveries are at least once: remember what you handled (durably, in production) and skip repeats.
const handled = new Set();

createServer((request, response) => {
  const chunks = [];
  request.on("data", (chunk) => chunks.push(chunk));
  request.on("end", () => {
    let event;
    try {
      // Checks the webhook-signature header against the id, the timestamp (at most 5 minutes off) and the body.
      event = webhook.verify(Buffer.concat(chunks).toString("utf8"), request.headers);
    } catch {
      response.writeHead(401).end();
      return;
    }
    if (!handled.has(event.id)) {
      handled.add(event.id);
      handle(event);
    }
    // Any 2xx means delivered; anything else (or no answer in time) is retried later.
    response.writeHead(204).end();
  });
}).listen(Number(process.env.PORT ?? 8080), () => console.error("listening"));

function handle(event) {
  // Your work here. This example prints one line per event.
  console.log(JSON.stringify({ id: event.id, type: event.type, sequence: event.sequence, bookingId: event.bookingId }));
}
