// Consumes booking events from RabbitMQ: a durable queue bound to the events' topic exchange.
//   AMQP_URL=amqp://localhost AMQP_EXCHANGE=booking-events QUEUE=crm node rabbitmq-consumer.mjs   (npm install amqplib)
import amqp from "amqplib";

const connection = await amqp.connect(process.env.AMQP_URL ?? "amqp://localhost");
const channel = await connection.createChannel();
const exchange = process.env.AMQP_EXCHANGE ?? "booking-events";
await channel.assertExchange(exchange, "topic", { durable: true });
const { queue } = await channel.assertQueue(process.env.QUEUE ?? "booking-consumer", { durable: true });
// Routing keys are the event types: "booking.*" takes every booking event, "#" everything.
await channel.bindQueue(queue, exchange, process.env.BINDING ?? "#");
await channel.prefetch(100);
// Publishing is at least once: remember what you handled (durably, in production) and skip repeats.
const handled = new Set();

await channel.consume(queue, (message) => {
  const event = JSON.parse(message.content.toString("utf8"));
  if (!handled.has(event.id)) {
    handled.add(event.id);
    handle(event);
  }
  channel.ack(message);
});
console.error("consuming");

function handle(event) {
  // Your work here. This example prints one line per event.
  console.log(JSON.stringify({ id: event.id, type: event.type, sequence: event.sequence, bookingId: event.bookingId }));
}
