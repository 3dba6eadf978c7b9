import { Field, ID, InterfaceType } from "type-graphql";
import { type NodeType } from "./global-id.js";

/** Where a record fetched by `node`/`nodes` says which type it is (records themselves are plain database rows). */
const NODE_TYPE = Symbol("nodeType");

/** A record as `node(id:)` answers it: tagged with its GraphQL type, so the `Node` interface can resolve it. */
export type NodeRecord = object & { readonly [NODE_TYPE]: NodeType };

export const asNode = (type: NodeType, record: object): NodeRecord => ({ ...record, [NODE_TYPE]: type });

@InterfaceType({
  description:
    "An object with a global id: pass it to `node(id:)` to fetch the object again (Relay's global object " +
    "identification). Ids are opaque strings; do not parse them.",
  resolveType: (value: NodeRecord) => value[NODE_TYPE],
})
export abstract class Node {
  @Field(() => ID, { description: "The object's global id." })
  id!: string;
}

/** Why `legacyId` exists and when it goes (see the CHANGELOG's deprecation policy). */
export const LEGACY_ID_DEPRECATION = "The database id, as `id` was before 0.2.0; removed in 0.3.0. Use id.";
