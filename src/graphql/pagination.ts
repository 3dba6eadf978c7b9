import { IsOptional, Max, MaxLength, Min } from "class-validator";
import { ArgsType, type ClassType, Field, Int, ObjectType } from "type-graphql";
import { type Page } from "../domain/page.js";

export const DEFAULT_PAGE_SIZE = 20;
const MAX_PAGE_SIZE = 100;

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

  @Field(() => String, {
    nullable: true,
    description: "Return items after this cursor (a previous page's `pageInfo.endCursor`).",
  })
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

  @Field(() => String, {
    nullable: true,
    description: "Cursor of the last edge; pass it as `after` for the next page.",
  })
  endCursor!: string | null;
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
