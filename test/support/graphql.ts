import { type TypedDocumentNode } from "@graphql-typed-document-node/core";
import { parse, print } from "graphql";

/** An ad-hoc typed document, for operations that exist only to probe the server (aliases, odd shapes). */
export function gql<TData, TVariables = Record<string, never>>(source: string): TypedDocumentNode<TData, TVariables> {
  return parse(source) as TypedDocumentNode<TData, TVariables>;
}

/** POSTs an operation to a GraphQL endpoint and returns the parsed body with the HTTP status. */
export async function postGraphQL<TData, TVariables>(
  url: string,
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
  token?: string,
): Promise<{
  status: number;
  data?: TData | null;
  errors?: { message: string; extensions?: Record<string, unknown> }[];
}> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify({ query: print(document), variables }),
  });
  return { status: response.status, ...((await response.json()) as object) };
}
