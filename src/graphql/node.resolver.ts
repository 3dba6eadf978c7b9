import { Arg, Ctx, ID, Query, Resolver } from "type-graphql";
import { type Viewer } from "../domain/viewer.js";
import { type Context } from "./context.js";
import { BadUserInputError } from "./errors.js";
import { type NodeType, parseGlobalId } from "./global-id.js";
import { asNode, Node, type NodeRecord } from "./node.type.js";

/** Most ids one `nodes` call takes, as a page of a connection. */
export const MAX_NODES = 100;

/**
 * Who may see an object through `node`: exactly who may through its own query (`booking(id:)`: its owner or an
 * admin; `webhook(id:)`: admins). Anyone else gets null, as for an id that names nothing, so existence never leaks.
 */
const MAY_SEE: Readonly<Record<NodeType, (viewer: Viewer | null, record: object) => boolean>> = {
  Show: () => true,
  Seat: () => true,
  Venue: () => true,
  Booking: (viewer, record) =>
    viewer !== null && (viewer.role === "admin" || (record as { userId: string }).userId === viewer.id),
  Webhook: (viewer) => viewer?.role === "admin",
};

/** Relay's global object identification: any Node by its global id. */
@Resolver()
export class NodeResolver {
  @Query(() => Node, {
    nullable: true,
    description:
      "Any object with a global id (a `Node`), as its own query answers it for you: null when there is none or you " +
      "may not see it (someone else's booking, a webhook unless you are an admin).",
  })
  node(
    @Arg("id", () => ID, { description: "A global id, as an object's `id` field returns it." }) id: string,
    @Ctx() ctx: Context,
  ): Promise<NodeRecord | null> {
    return nodeOf(parsedNodeId(id, ["id"]), ctx);
  }

  @Query(() => [Node], {
    nullable: "items",
    description:
      "Objects by global id, in the order asked, null where `node` would answer null. At most 100 ids; objects " +
      "of one type are read together.",
  })
  nodes(
    @Arg("ids", () => [ID], { description: "Global ids (at most 100)." }) ids: string[],
    @Ctx() ctx: Context,
  ): Promise<(NodeRecord | null)[]> {
    if (ids.length > MAX_NODES) {
      throw new BadUserInputError(`\`ids\` may list at most ${MAX_NODES} ids (got ${ids.length}).`, ["ids"]);
    }
    const parsed = ids.map((id, i) => parsedNodeId(id, ["ids", String(i)]));
    return Promise.all(parsed.map((node) => nodeOf(node, ctx)));
  }
}

function parsedNodeId(id: string, field: string[]): { type: NodeType; databaseId: string } {
  const parsed = parseGlobalId(id);
  if (!parsed) throw new BadUserInputError(`\`${field.join(".")}\` is not a global id.`, field);
  return parsed;
}

async function nodeOf({ type, databaseId }: { type: NodeType; databaseId: string }, ctx: Context) {
  // Checked before reading where the viewer alone decides, so no statement runs for what cannot be shown.
  if (type === "Webhook" && !MAY_SEE.Webhook(ctx.viewer, {})) return null;
  const record = await ctx.loaders.nodes[type].load(databaseId);
  return record && MAY_SEE[type](ctx.viewer, record) ? asNode(type, record) : null;
}
