// HTTP side of the API: the GraphQL documents the page sends, and graphql() / mutate() over fetch (POST /graphql),
// with the signed-in user's token on requests that need it.

import { operations } from "/operations.js";
import { sleep } from "./util.js";

export const GRAPHQL_PATH = "/graphql";

// ─── GraphQL documents ──────────────────────────────────────────────────────────────────────────────────────
// Each operation is a file of web/operations/ (PageSeatMap.graphql, …), served as one module by the server, so the
// page sends exactly the documents a client's codegen type-checks against schema.graphql.

export const OPERATIONS = operations;

// ─── HTTP GraphQL ───────────────────────────────────────────────────────────────────────────────────────────

export class ApiError extends Error {
  constructor(message, code) {
    super(message);
    this.code = code;
  }
}

/**
 * `session.token` (if any) authenticates requests sent with `{ auth: true }`. `onUnauthenticated` is called when the
 * server refuses that token, before the error is thrown: the page signs the user out.
 */
export function createApi({ session, onUnauthenticated }) {
  /**
   * POSTs an operation; returns `data` or throws ApiError with the first error's message. `sent`: the fetch of this
   * very request, already under way (main.js starts the first reads early).
   */
  async function graphql(query, variables = {}, { auth = false, sent = null } = {}) {
    const headers = { "content-type": "application/json" };
    if (auth && session.token) headers.authorization = `Bearer ${session.token}`;
    let response;
    try {
      response = await (sent ??
        fetch(GRAPHQL_PATH, { method: "POST", headers, body: JSON.stringify({ query, variables }) }));
    } catch {
      throw new ApiError("Cannot reach the server. Check your connection and try again.", "NETWORK");
    }
    let body;
    try {
      body = await response.json();
    } catch {
      throw new ApiError(`The server answered ${response.status} without a GraphQL result.`, "BAD_RESPONSE");
    }
    if (body.errors?.length) {
      const [first] = body.errors;
      const code = first.extensions?.code;
      if (code === "UNAUTHENTICATED" && auth) {
        onUnauthenticated();
        throw new ApiError(`${first.message} Please sign in again.`, code);
      }
      throw new ApiError(first.message, code);
    }
    return body.data;
  }

  /**
   * Mutations that may be retried: a network failure is retried once with the same variables — for holdSeats that
   * includes the same idempotencyKey, so the retry cannot hold seats twice.
   */
  async function mutate(query, variables) {
    try {
      return await graphql(query, variables, { auth: true });
    } catch (error) {
      if (error.code !== "NETWORK") throw error;
      await sleep(800);
      return graphql(query, variables, { auth: true });
    }
  }

  return { graphql, mutate };
}
