import {
  type DocumentNode,
  type FragmentDefinitionNode,
  Kind,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

/** Where an operation's `show(id:)` field takes its id: written in the text, or from a variable. */
export type ShowIdSource = { readonly literal: string } | { readonly variable: string };

/** What the read cache needs of an operation that reads only shows by id. */
export interface ReadPlan {
  /** The operation's name, for the request log and metrics of answers given without executing it. */
  readonly operationName: string | null;
  readonly shows: readonly ShowIdSource[];
  /**
   * Whether every show field asks only for its id and layout (`id`, `__typename`, `layout { … }`): its answer holds
   * for as long as the shows' layouts do (no seat change touches it).
   */
  readonly layoutOnly: boolean;
}

/** Operations naming more shows go straight to the GraphQL server (and its query limits) unchecked here. */
const MAX_SHOWS_PER_OPERATION = 10;
/** Fields of Show that change only with its layout. */
const LAYOUT_SHOW_FIELDS: ReadonlySet<string> = new Set(["id", "__typename", "layout"]);

/**
 * Fields of Show whose answer depends on who asks (admin-only lists): an operation naming one is never answered from
 * the cache, which keys answers by operation and variables alone.
 */
const VIEWER_DEPENDENT_SHOW_FIELDS: ReadonlySet<string> = new Set(["bookings"]);

/** Plans already made, per operation of a document Apollo keeps (a document leaves with its plans). */
const plans = new WeakMap<OperationDefinitionNode, ReadPlan | null>();

/**
 * The plan of the operation Apollo would run (`operationName`, or the only one) when it is a query made only of
 * `show(id:)` root fields (aliases and fragments inside them allowed, at most MAX_SHOWS_PER_OPERATION); null for any
 * other operation. `document` is a validated document: its fragments exist and do not cycle.
 */
export function readPlanOf(document: DocumentNode, operationName: string | undefined): ReadPlan | null {
  const operation = operationOf(document, operationName);
  if (!operation) return null;
  let plan = plans.get(operation);
  if (plan === undefined) {
    plan = planOf(document, operation);
    plans.set(operation, plan);
  }
  return plan;
}

/** The show ids a plan names with these variables; null when an id is not a string. */
export function showIdsOf(plan: ReadPlan, variables: Record<string, unknown>): string[] | null {
  const ids: string[] = [];
  for (const source of plan.shows) {
    const value = "literal" in source ? source.literal : variables[source.variable];
    if (typeof value !== "string") return null;
    ids.push(value);
  }
  return ids;
}

function operationOf(document: DocumentNode, operationName: string | undefined): OperationDefinitionNode | null {
  let found: OperationDefinitionNode | null = null;
  for (const definition of document.definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    if (operationName === undefined) {
      if (found) return null; // several operations and no name: Apollo refuses it
      found = definition;
    } else if (definition.name?.value === operationName) return definition;
  }
  return found;
}

function planOf(document: DocumentNode, operation: OperationDefinitionNode): ReadPlan | null {
  if (operation.operation !== "query") return null;
  const shows: ShowIdSource[] = [];
  let layoutOnly = true;
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions)
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  for (const selection of operation.selectionSet.selections) {
    if (selection.kind !== Kind.FIELD || selection.name.value !== "show" || selection.directives?.length) return null;
    const id = selection.arguments?.find((arg) => arg.name.value === "id")?.value;
    if (id?.kind === Kind.STRING) shows.push({ literal: detached(id.value) });
    else if (id?.kind === Kind.VARIABLE) shows.push({ variable: detached(id.name.value) });
    else return null;
    if (selection.selectionSet && namesAny(selection.selectionSet, VIEWER_DEPENDENT_SHOW_FIELDS, fragments, new Set()))
      return null;
    if (selection.selectionSet && !asksOnlyLayout(selection.selectionSet, fragments, new Set())) layoutOnly = false;
  }
  if (shows.length === 0 || shows.length > MAX_SHOWS_PER_OPERATION) return null;
  return { operationName: operation.name?.value ?? null, shows, layoutOnly };
}

/** Whether a show's selections, through its fragments, name only LAYOUT_SHOW_FIELDS. */
function asksOnlyLayout(
  selectionSet: SelectionSetNode,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen: Set<string>,
): boolean {
  return selectionSet.selections.every((selection) => {
    if (selection.kind === Kind.FIELD) return LAYOUT_SHOW_FIELDS.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return asksOnlyLayout(selection.selectionSet, fragments, seen);
    const name = selection.name.value;
    if (seen.has(name)) return true; // already judged along this walk
    seen.add(name);
    const fragment = fragments.get(name);
    return !!fragment && asksOnlyLayout(fragment.selectionSet, fragments, seen);
  });
}

/** Whether a show's selections, through its fragments, name any of `fields`. */
function namesAny(
  selectionSet: SelectionSetNode,
  fields: ReadonlySet<string>,
  fragments: ReadonlyMap<string, FragmentDefinitionNode>,
  seen: Set<string>,
): boolean {
  return selectionSet.selections.some((selection) => {
    if (selection.kind === Kind.FIELD) return fields.has(selection.name.value);
    if (selection.kind === Kind.INLINE_FRAGMENT) return namesAny(selection.selectionSet, fields, fragments, seen);
    const name = selection.name.value;
    if (seen.has(name)) return false;
    seen.add(name);
    const fragment = fragments.get(name);
    return !!fragment && namesAny(fragment.selectionSet, fields, fragments, seen);
  });
}

/**
 * A copy of a piece of the query text that does not point into it: V8 represents a substring as a slice of its
 * parent, so a show id kept from the document (in a live seat map's key, a log line being written) would keep the
 * client's whole text alive.
 */
function detached(text: string): string {
  return Buffer.from(text, "utf8").toString("utf8");
}
