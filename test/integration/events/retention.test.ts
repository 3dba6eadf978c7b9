import { BOX_OFFICE_SETTINGS } from "../../support/box-office";
import { createShow, hold, uniqueUser } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";
import { sequenceCommitted } from "../../support/events";
import { databaseId } from "../../support/ids";

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp({ ...BOX_OFFICE_SETTINGS, BOOKING_EVENT_RETENTION_DAYS: "7" });
});
afterAll(() => t.stop());

const sequencesOf = async (showId: string) =>
  (
    await t.prisma.$queryRaw<{ sequence: bigint }[]>`
      SELECT sequence FROM booking_events WHERE show_id = ${databaseId(showId)}::uuid ORDER BY sequence`
  ).map((row) => row.sequence);

describe("booking event retention", () => {
  it("deletes old events every channel is done with, keeping the newest of the log and of each show", async () => {
    const show = await createShow(t, { rows: 1, seatsPerRow: 6 });
    for (const seat of ["A1", "A2", "A3", "A4"]) await hold(t, uniqueUser(), { showId: show.id, seatNumbers: [seat] });
    await sequenceCommitted(t);
    const [, , second, third, fourth] = await sequencesOf(show.id);

    // A webhook still owes the second event; a broker exchange has published up to the third.
    const [webhook] = await t.prisma.$queryRaw<{ id: string }[]>`
      INSERT INTO webhooks (url, secret, created_by, enabled) VALUES ('https://example.com/hook', 'whsec_x', 'admin', false)
      RETURNING id::text`;
    await t.prisma.$executeRaw`
      INSERT INTO webhook_deliveries (webhook_id, event_sequence, ordering_key)
      VALUES (${databaseId(webhook!.id)}::uuid, ${second}, ${databaseId(show.id)}::uuid)`;
    await t.prisma
      .$executeRaw`INSERT INTO broker_cursors (exchange, last_sequence) VALUES ('retention-test', ${third})`;
    // Everything is 8 days old (moved in SQL), past the 7 days kept.
    await t.prisma.$executeRaw`
      UPDATE booking_events SET sequenced_at = now() - interval '8 days' WHERE show_id = ${databaseId(show.id)}::uuid`;

    const purged = await t.app.container.events.retention.runOnce();
    expect(purged).toBeGreaterThanOrEqual(2);
    // Gone: those every channel is done with; kept: the one a webhook owes and the one the broker has not published
    // (also the show's last).
    expect(await sequencesOf(show.id)).toEqual([second, fourth]);

    // Once delivered and published, they go too, except the show's newest.
    await t.prisma
      .$executeRaw`UPDATE webhook_deliveries SET status = 'delivered' WHERE webhook_id = ${databaseId(webhook!.id)}::uuid`;
    await t.prisma.$executeRaw`UPDATE broker_cursors SET last_sequence = ${fourth} WHERE exchange = 'retention-test'`;
    await t.app.container.events.retention.runOnce();
    expect(await sequencesOf(show.id)).toEqual([fourth]);

    // The numbers carry on from the kept event.
    await hold(t, uniqueUser(), { showId: show.id, seatNumbers: ["A5"] });
    await sequenceCommitted(t);
    const [row] = await t.prisma.$queryRaw<{ position: bigint }[]>`
      SELECT max(position) AS position FROM booking_events WHERE show_id = ${databaseId(show.id)}::uuid`;
    expect(row!.position).toBe(6n);
    await t.prisma.$executeRaw`DELETE FROM broker_cursors WHERE exchange = 'retention-test'`;
  });
});
