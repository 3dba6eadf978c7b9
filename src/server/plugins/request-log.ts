import { type ApolloServerPlugin } from "@apollo/server";
import { unwrapResolverError } from "@apollo/server/errors";
import { type Logger } from "../../platform/logger.js";

/**
 * One log line per GraphQL request (request id, operation, duration, outcome), the request id on every error sent
 * to the client (so a user can quote it), and the full unexpected error in the log under the same id.
 */
export function requestLogPlugin<TContext extends { requestId: string }>(logger: Logger): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart({ contextValue }) {
      const started = performance.now();
      return {
        async willSendResponse({ operationName, operation, response, errors }) {
          const requestId = contextValue.requestId;
          const body = response.body.kind === "single" ? response.body.singleResult : undefined;
          for (const error of body?.errors ?? []) {
            (error as { extensions?: Record<string, unknown> }).extensions = { ...error.extensions, requestId };
          }
          const unexpected = (errors ?? []).filter(
            (error) =>
              !(typeof error.extensions?.code === "string") || error.extensions.code === "INTERNAL_SERVER_ERROR",
          );
          for (const error of unexpected)
            logger.error("unexpected error", { requestId, error: unwrapResolverError(error) });
          const codes = [...new Set((body?.errors ?? []).map((error) => String(error.extensions?.code ?? "ERROR")))];
          logger.info("graphql request", {
            requestId,
            operation: operationName ?? operation?.name?.value ?? null,
            type: operation?.operation ?? null,
            durationMs: Math.round((performance.now() - started) * 10) / 10,
            outcome: codes.length === 0 ? "ok" : codes.join(","),
          });
        },
      };
    },
  };
}
