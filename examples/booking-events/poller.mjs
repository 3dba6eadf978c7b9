// Polls the booking event log and handles each event once, in order.
//   API_URL=http://localhost:4000/graphql ADMIN_TOKEN=… node poller.mjs
// Keep `after` durably, updated together with what you did for each event: a restart then resumes exactly there.
const api = process.env.API_URL ?? "http://localhost:4000/graphql";
const query = `query Events($after: String) {
  bookingEvents(after: $after, first: 100) {
    edges { node { id type sequence showId position bookingId data } }
    pageInfo { endCursor hasNextPage }
  }
}`;

let after = process.env.AFTER ?? "0";
for (;;) {
  const response = await fetch(api, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${process.env.ADMIN_TOKEN}` },
    body: JSON.stringify({ query, variables: { after } }),
  });
  const { data, errors } = await response.json();
  if (errors) throw new Error(errors[0].message);
  for (const { node: event } of data.bookingEvents.edges) handle(event);
  after = data.bookingEvents.pageInfo.endCursor ?? after;
  if (!data.bookingEvents.pageInfo.hasNextPage) await new Promise((resolve) => setTimeout(resolve, 1000));
}

function handle(event) {
  // Your work here (e.g. send the ticket when a booking is confirmed). This example prints one line per event.
  console.log(JSON.stringify({ id: event.id, type: event.type, sequence: event.sequence, bookingId: event.bookingId }));
}
