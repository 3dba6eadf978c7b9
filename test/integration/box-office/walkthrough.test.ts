import { readFileSync } from "node:fs";
import path from "node:path";
import { Kind, type OperationDefinitionNode, parse } from "graphql";
import { gql } from "../../support/graphql";
import { checkInvariants } from "../../support/from-src";
import { hold } from "../../support/factories";
import { startTestApp, type TestApp } from "../../support/test-app";

/*
 * The box-office walkthrough of docs/admin.md, run block by block against the real API: each ```graphql block (whose
 * first line names the token it is sent with) in order, with the ids earlier answers gave, and each ```json block
 * right after one must be part of that block's answer. A change to the API that the doc does not follow fails here.
 */

const ADMIN_DOC = readFileSync(path.resolve(__dirname, "../../../docs/admin.md"), "utf8");

interface Step {
  readonly source: string;
  readonly as: "admin" | "buyer";
  readonly operation: OperationDefinitionNode;
  readonly expected: unknown;
}

function walkthroughSteps(): Step[] {
  const start = ADMIN_DOC.indexOf("\n## Box office walkthrough\n");
  expect(start).toBeGreaterThan(0);
  const end = ADMIN_DOC.indexOf("\n## ", start + 1);
  expect(end).toBeGreaterThan(start);
  const section = ADMIN_DOC.slice(start, end);
  const blocks = [...section.matchAll(/```(graphql|json)\n([\s\S]*?)```/g)].map(([, kind, text]) => ({ kind, text }));
  const steps: Step[] = [];
  blocks.forEach((block, i) => {
    if (block.kind !== "graphql") return;
    const as = /^# as (admin|buyer)\n/.exec(block.text!)?.[1];
    if (!as) throw new Error(`a walkthrough block does not say whose token it takes:\n${block.text}`);
    const operation = parse(block.text!).definitions[0] as OperationDefinitionNode;
    const next = blocks[i + 1];
    const expected = next?.kind === "json" ? JSON.parse(next.text!) : undefined;
    steps.push({ source: block.text!, as: as as Step["as"], operation, expected });
  });
  return steps;
}

let t: TestApp;
beforeAll(async () => {
  t = await startTestApp();
});
afterAll(() => t.stop());

describe("the box-office walkthrough of docs/admin.md", () => {
  it("creates, sells, blocks a row, moves a customer, refunds a seat, cancels, reports and audits", async () => {
    const steps = walkthroughSteps();
    expect(steps.map((step) => step.operation.name?.value)).toEqual([
      "CreateGala",
      "Sell",
      "Pay",
      "BlockRow",
      "MoveCustomer",
      "RefundOne",
      "Cancel",
      "Report",
      "History",
      "Audit",
    ]);
    const ids: Record<string, string> = {};
    for (const step of steps) {
      const variables = Object.fromEntries(
        (step.operation.variableDefinitions ?? []).map((definition) => {
          const name = definition.variable.name.value;
          if (!ids[name]) throw new Error(`no ${name} yet for ${step.operation.name?.value}`);
          return [name, ids[name]];
        }),
      );
      const auth = step.as === "admin" ? { as: "admin", role: "admin" as const } : { as: "buyer" };
      const data = await t.ok(gql<Record<string, unknown>, Record<string, string>>(step.source), variables, auth);
      if (step.expected !== undefined) expect(data).toMatchObject(step.expected as Record<string, unknown>);
      const field = step.operation.selectionSet.selections[0];
      if (field?.kind !== Kind.FIELD) continue;
      const result = data[field.name.value] as { show?: { id?: string }; booking?: { id?: string } } | undefined;
      if (field.name.value === "createShow") ids.showId = result!.show!.id!;
      if (field.name.value === "holdSeats") ids.bookingId = result!.booking!.id!;

      // Between the walkthrough's steps: what each one promises to others.
      if (field.name.value === "blockSeats") {
        const refused = await hold(t, "someone-else", { showId: ids.showId!, seatNumbers: ["C3"] });
        expect(refused.userErrors[0]?.code).toBe("SEATS_UNAVAILABLE");
      }
      if (field.name.value === "cancelShow") {
        const refused = await hold(t, "someone-else", { showId: ids.showId!, seatNumbers: ["A1"] });
        expect(refused.userErrors[0]?.code).toBe("SHOW_CANCELLED");
      }
    }
    expect((await checkInvariants(t.database.url)).violations).toEqual([]);
  });
});
