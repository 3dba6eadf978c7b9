import { IsOptional, Max, MaxLength, Min } from "class-validator";
import { ArgsType, type ClassType, Field, Int, ObjectType } from "type-graphql";
import { BadUserInputError } from "./errors.js";
import { isUuid } from "./ids.js";

export const DEFAULT_PAGE_SIZE = 20;
export const MAX_PAGE_SIZE = 100;

@ArgsType()
export class ConnectionArgs {
  @Field(() => Int, {
    nullable: true,
    defaultValue: DEFAULT_PAGE_SIZE,
    description: `How many items to return (1–${MAX_PAGE_SIZE}; null means ${DEFAULT_PAGE_SIZE}).`,
  })
  @IsOptional()
  @Min(1)
  @Max(MAX_PAGE_SIZE)
  first?: number | null;

  @Field(() => String, { nullable: true, description: "Return items after this cursor (a previous page's `pageInfo.endCursor`)." })
  @MaxLength(500)
  after?: string | null;
}

@ObjectType({ description: "Relay pagination state of a connection." })
export class PageInfo {
  @Field(() => Boolean, { description: "Whether more items follow `endCursor`." })
  hasNextPage!: boolean;

  @Field(() => Boolean, { description: "Whether items precede `startCursor`." })
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true, description: "Cursor of the first edge; null on an empty page." })
  startCursor!: string | null;

  @Field(() => String, { nullable: true, description: "Cursor of the last edge; pass it as `after` for the next page." })
  endCursor!: string | null;
}

/** A page of items as services return it; resolvers turn it into a Relay connection. */
export interface Page<T> {
  readonly items: T[];
  readonly cursors: string[];
  readonly hasNextPage: boolean;
  readonly hasPreviousPage: boolean;
  readonly totalCount: number;
}

/** Keyset cursors: an opaque base64url encoding of the sort key of the item they point at. */
export function encodeTimeIdCursor(at: Date, id: string): string {
  return Buffer.from(JSON.stringify([at.toISOString(), id])).toString("base64url");
}

/** Decodes a cursor made of a timestamp and a UUID (the keyset of shows and bookings). */
export function decodeTimeIdCursor(cursor: string): { at: Date; id: string } {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.length === 2 && typeof key[0] === "string" && typeof key[1] === "string") {
      const at = new Date(key[0]);
      if (!Number.isNaN(at.getTime()) && isUuid(key[1])) return { at, id: key[1] };
    }
  } catch {
    // fall through to the error below
  }
  throw new BadUserInputError("`after` is not a cursor returned by this API.", ["after"]);
}

export interface Edge<TNode> {
  cursor: string;
  node: TNode;
}

export interface Connection<TNode> {
  edges: Edge<TNode>[];
  pageInfo: PageInfo;
  totalCount: number;
}

export function toConnection<TNode>(page: Page<TNode>): Connection<TNode> {
  return {
    edges: page.items.map((node, i) => ({ node, cursor: page.cursors[i]! })),
    pageInfo: {
      hasNextPage: page.hasNextPage,
      hasPreviousPage: page.hasPreviousPage,
      startCursor: page.cursors[0] ?? null,
      endCursor: page.cursors.at(-1) ?? null,
    },
    totalCount: page.totalCount,
  };
}

/** Declares `<Name>Edge` and an abstract connection class for `<Name>Connection` to extend. */
export function ConnectionType<TNode extends object>(nodeName: string, nodeType: ClassType<TNode>) {
  @ObjectType(`${nodeName}Edge`, { description: `A ${nodeName} in a page of results.` })
  class EdgeType implements Edge<TNode> {
    @Field(() => String, { description: "Opaque position of this edge; pass to `after` to continue from here." })
    cursor!: string;

    @Field(() => nodeType, { description: `The ${nodeName}.` })
    node!: TNode;
  }

  @ObjectType()
  abstract class ConnectionBase implements Connection<TNode> {
    @Field(() => [EdgeType], { description: "This page's items." })
    edges!: EdgeType[];

    @Field(() => PageInfo, { description: "Where this page sits." })
    pageInfo!: PageInfo;

    @Field(() => Int, { description: "Number of items across all pages." })
    totalCount!: number;
  }

  return ConnectionBase;
}
