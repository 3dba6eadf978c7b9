import { type ApolloServerPlugin, HeaderMap } from "@apollo/server";
import { type DocumentNode } from "graphql";
import { PublicError } from "../../graphql/errors.js";

/**
 * How a WebSocket subscription is let in: it runs through Apollo like any operation (so authentication, limits,
 * rate limits, introspection switch, masking, log and metrics apply), and this plugin stops it right before
 * execution, keeping the validated document for the WebSocket server to subscribe with.
 */
export interface SubscriptionAdmission {
  document?: DocumentNode;
}

/** A context that asks Apollo only to admit a subscription, not to execute it (WebSocket only). */
export interface AdmissionContext {
  readonly subscriptionAdmission?: SubscriptionAdmission;
}

/** A subscription sent over HTTP: it can only be served over the WebSocket endpoint. */
export class SubscriptionOverHttpError extends PublicError {
  constructor(path: string) {
    super(`Subscriptions are served over WebSocket at ${path} (graphql-transport-ws).`, "BAD_REQUEST", {
      http: { status: 400 },
    });
  }
}

/**
 * Subscriptions over HTTP are refused with a clear 400; over WebSocket they are admitted (answered empty, not
 * executed) once every other plugin's `didResolveOperation` (limits, rate limits) has passed.
 */
export function transportPlugin<TContext extends object>(path: string): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ operation, contextValue }) {
          if (operation?.operation === "subscription" && !admissionOf(contextValue))
            throw new SubscriptionOverHttpError(path);
        },
        async responseForOperation({ operation, document, contextValue }) {
          const admission = admissionOf(contextValue);
          if (!admission || operation.operation !== "subscription") return null;
          admission.document = document;
          return { http: { status: undefined, headers: new HeaderMap() }, body: { kind: "single", singleResult: {} } };
        },
      };
    },
  };
}

const admissionOf = (context: object): SubscriptionAdmission | undefined =>
  (context as AdmissionContext).subscriptionAdmission;
