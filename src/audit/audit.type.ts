import { IsOptional, MaxLength } from "class-validator";
import { ArgsType, Field, ID, ObjectType } from "type-graphql";
import { ConnectionArgs, ConnectionType } from "../graphql/pagination.js";
import { DateTimeScalar } from "../graphql/scalars.js";

@ObjectType({ description: "One mutation made by an admin, as recorded before it ran and completed after." })
export class AuditEntry {
  @Field(() => ID, { description: "The entry's id." })
  id!: string;

  @Field(() => DateTimeScalar, { description: "When the mutation started." })
  at!: Date;

  @Field(() => String, { description: "Who made it: the admin's user id (the token's subject)." })
  actor!: string;

  @Field(() => String, { description: 'The mutation\'s field name, e.g. "createShow".' })
  action!: string;

  @Field(() => String, {
    nullable: true,
    description:
      "What it acted on: the `id`, `showId`, `bookingId` or `venueId` argument (first found, at the top level or in " +
      "`input`); null when it names none.",
  })
  targetId!: string | null;

  @Field(() => String, { description: "The request's id (the `x-request-id` header on HTTP), as in the logs." })
  requestId!: string;

  @Field(() => String, {
    description:
      "The mutation's arguments as JSON text, as stored (jsonb: keys may come in another order). Beyond 8 KB it is " +
      '`{"truncated": true, "bytes": <full size>, "prefix": "<start of the JSON text>"}`.',
  })
  arguments!: string;

  @Field(() => String, {
    nullable: true,
    description:
      'How it ended: "OK" (no userErrors), the distinct userError codes joined by "," (e.g. "INVALID_INPUT"), or ' +
      '"ERROR" (a top-level error); null while it runs, or if the process stopped before it finished.',
  })
  outcome!: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "When it finished; null with a null outcome." })
  finishedAt!: Date | null;
}

@ObjectType({ description: "A page of audit entries, newest first." })
export class AuditEntryConnection extends ConnectionType("AuditEntry", AuditEntry) {}

@ArgsType()
export class AuditLogArgs extends ConnectionArgs {
  @Field(() => String, { nullable: true, description: "Only this admin's entries (user id)." })
  @IsOptional()
  @MaxLength(200)
  actor?: string | null;

  @Field(() => String, { nullable: true, description: 'Only this mutation\'s entries, e.g. "createShow".' })
  @IsOptional()
  @MaxLength(200)
  action?: string | null;

  @Field(() => String, { nullable: true, description: "Only entries acting on this id." })
  @IsOptional()
  @MaxLength(200)
  targetId?: string | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only entries at or after this time." })
  @IsOptional()
  from?: Date | null;

  @Field(() => DateTimeScalar, { nullable: true, description: "Only entries before this time." })
  @IsOptional()
  to?: Date | null;
}
