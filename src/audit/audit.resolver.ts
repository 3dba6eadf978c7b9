import { Args, Authorized, Query, Resolver } from "type-graphql";
import { withPublicErrors } from "../graphql/errors.js";
import { type Connection, DEFAULT_PAGE_SIZE, toConnection } from "../graphql/pagination.js";
import { type AuditEntryRecord } from "./audit-entry.js";
import { type AuditStore } from "./audit.store.js";
import { AuditEntry, AuditEntryConnection, AuditLogArgs } from "./audit.type.js";

@Resolver(() => AuditEntry)
export class AuditResolver {
  constructor(private readonly store: AuditStore) {}

  @Authorized("admin")
  @Query(() => AuditEntryConnection, {
    description:
      "Mutations made by admins, newest first (Relay cursor pagination); every filter given must match. Admins only.",
  })
  async auditLog(
    @Args(() => AuditLogArgs) { first, after, ...filter }: AuditLogArgs,
  ): Promise<Connection<AuditEntryRecord>> {
    return toConnection(await withPublicErrors(this.store.page(filter, first ?? DEFAULT_PAGE_SIZE, after)));
  }
}
