import { defaultFieldResolver, type GraphQLSchema } from "graphql";
import { type MiddlewareInterface, type NextFn, type ResolverData } from "type-graphql";
import { type Context } from "../graphql/context.js";
import { type Logger } from "../platform/logger.js";
import { boundedArguments, OUTCOME_ERROR, outcomeOf, targetIdOf } from "./audit-entry.js";
import { type AuditStore } from "./audit.store.js";

/**
 * Records every mutation an admin makes: an entry is written before the resolver runs and completed with its
 * outcome after. An admin change that cannot be recorded does not run: the write's failure is the mutation's error
 * (masked as INTERNAL_SERVER_ERROR). A failure to complete the entry only leaves its outcome null (as if the process
 * died): the change is made by then, and answering it with an error would invite a retry.
 */
export class AuditMiddleware implements MiddlewareInterface<Context> {
  constructor(
    private readonly store: AuditStore,
    private readonly logger: Logger,
  ) {}

  async use({ context, info, args }: ResolverData<Context>, next: NextFn): Promise<unknown> {
    const viewer = context.viewer;
    if (viewer?.role !== "admin") return next();
    let id: string;
    try {
      id = await this.store.open({
        actor: viewer.id,
        action: info.fieldName,
        targetId: targetIdOf(args),
        requestId: context.requestId,
        arguments: boundedArguments(args),
      });
    } catch (error) {
      throw new AuditUnavailableError(info.fieldName, error);
    }
    let result: unknown;
    try {
      result = await next();
    } catch (error) {
      await this.complete(id, OUTCOME_ERROR, context.requestId);
      throw error;
    }
    await this.complete(id, outcomeOf(result), context.requestId);
    return result;
  }

  private async complete(id: string, outcome: string, requestId: string): Promise<void> {
    try {
      await this.store.close(id, outcome);
    } catch (error) {
      this.logger.error("could not record a mutation's outcome in the audit log", { requestId, entry: id, error });
    }
  }
}

/** An admin mutation refused because its audit entry could not be written (clients see an internal error). */
export class AuditUnavailableError extends Error {
  override readonly name = "AuditUnavailableError";
  constructor(action: string, cause: unknown) {
    super(`${action} was not run: its audit entry could not be written`, { cause });
  }
}

/**
 * Puts `audit` around the root Mutation fields of `schema`, and nothing else. type-graphql's `globalMiddlewares`
 * would wrap every field of every type (each Seat field of a seat map would become a promise through an async
 * middleware chain) and allocate per call before the middleware could look at the role; here a non-admin's mutation
 * (holdSeats, the hot path) costs one role check and calls its resolver directly. Both transports execute this schema.
 * `audit` is asked for at the first admin mutation (printing the schema needs no instance).
 */
export function auditRootMutations(schema: GraphQLSchema, audit: () => AuditMiddleware): GraphQLSchema {
  const fields = schema.getMutationType()?.getFields() ?? {};
  for (const field of Object.values(fields)) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (root, args, context: Context, info) => {
      if (context.viewer?.role !== "admin") return resolve(root, args, context, info);
      const next = async () => resolve(root, args, context, info);
      return audit().use({ root, args, context, info }, next);
    };
  }
  return schema;
}
