import { FieldResolver, ID, Resolver, Root } from "type-graphql";
import { type NodeType, toGlobalId } from "./global-id.js";
import { LEGACY_ID_DEPRECATION } from "./node.type.js";

/** A class decorated as a GraphQL object type. */
type ObjectTypeClass = abstract new (...args: never[]) => unknown;

/**
 * The `id` and deprecated `legacyId` fields of one Node type: records carry their database id as `id`, and this is
 * the one place it becomes the global id the API shows.
 */
export function nodeIdResolver(type: NodeType, objectType: ObjectTypeClass) {
  @Resolver(() => objectType)
  class NodeIdResolver {
    @FieldResolver(() => ID, { description: `The ${type}'s global id (opaque): pass it to \`node(id:)\`.` })
    id(@Root() record: { readonly id: string }): string {
      return toGlobalId(type, record.id);
    }

    @FieldResolver(() => ID, { deprecationReason: LEGACY_ID_DEPRECATION, description: `The ${type}'s database id.` })
    legacyId(@Root() record: { readonly id: string }): string {
      return record.id;
    }
  }
  return NodeIdResolver;
}
