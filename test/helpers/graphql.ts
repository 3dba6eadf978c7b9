import { type TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse } from "graphql";

/** An ad-hoc typed document, for operations that exist only to probe the server (aliases, odd shapes). */
export function gql<TData, TVariables = Record<string, never>>(source: string): TypedDocumentNode<TData, TVariables> {
  return parse(source) as TypedDocumentNode<TData, TVariables>;
}
