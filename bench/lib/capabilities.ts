import { type GraphQLClient, OPERATIONS } from "./graphql";

/** Schema fields some scenarios need, as the running API answers them (so the bench runs on older code too). */
export interface Capabilities {
  /** `Show.availability` (the compact seat map). */
  readonly availability: boolean;
  /** `HoldSeatsPayload.adjacent`. */
  readonly adjacent: boolean;
}

/**
 * Asks the API whether it knows each field. Both probes fail before anything runs when the field is known: the
 * unknown show id answers null, and the null input fails variable coercion, which comes after validation.
 */
export async function probeCapabilities(client: GraphQLClient): Promise<Capabilities> {
  const known = async (query: string, variables: Record<string, unknown>, field: string) => {
    const result = await client.request(query, variables);
    return !(result.errors ?? []).some(
      (e) => e.extensions?.code === "GRAPHQL_VALIDATION_FAILED" && e.message.includes(`"${field}"`),
    );
  };
  return {
    availability: await known(OPERATIONS.availability, { id: "00000000-0000-4000-8000-000000000000" }, "availability"),
    adjacent: await known(OPERATIONS.holdAdjacent, { input: null }, "adjacent"),
  };
}
