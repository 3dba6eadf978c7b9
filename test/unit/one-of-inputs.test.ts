import {
  buildSchema as buildSdl,
  graphqlSync,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLSchema,
  GraphQLString,
  printSchema,
} from "graphql";
import { markOneOfInputs } from "../../src/graphql/schema";

/** A schema whose `pick` field takes `choice: Choice`, with type-graphql's output shape (no @oneOf of its own). */
function schemaWith(choice: GraphQLInputObjectType) {
  return new GraphQLSchema({
    query: new GraphQLObjectType({
      name: "Query",
      fields: { pick: { type: GraphQLString, args: { choice: { type: choice } }, resolve: () => "ok" } },
    }),
  });
}

describe("markOneOfInputs (a step of building the schema)", () => {
  it("makes an input @oneOf for validation, printing and introspection", () => {
    const schema = schemaWith(
      new GraphQLInputObjectType({ name: "Choice", fields: { a: { type: GraphQLInt }, b: { type: GraphQLString } } }),
    );
    expect(graphqlSync({ schema, source: '{ pick(choice: { a: 1, b: "x" }) }' }).errors).toBeUndefined();
    markOneOfInputs(schema, ["Choice"]);
    expect(printSchema(schema)).toContain("input Choice @oneOf {");
    expect(graphqlSync({ schema, source: "{ pick(choice: { a: 1 }) }" }).data).toEqual({ pick: "ok" });
    for (const source of ['{ pick(choice: { a: 1, b: "x" }) }', "{ pick(choice: {}) }"]) {
      expect(graphqlSync({ schema, source }).errors?.[0]?.message).toMatch(/OneOf Input Object "Choice"/);
    }
    const introspected = graphqlSync({ schema, source: '{ __type(name: "Choice") { isOneOf } }' });
    expect(introspected.data).toEqual({ __type: { isOneOf: true } });
    // The printed SDL is the same schema again.
    expect(printSchema(buildSdl(printSchema(schema)))).toBe(printSchema(schema));
  });

  it("refuses what @oneOf cannot mean: a required field, a default, or no such input type", () => {
    const required = new GraphQLInputObjectType({
      name: "Choice",
      fields: { a: { type: new GraphQLNonNull(GraphQLInt) }, b: { type: GraphQLString } },
    });
    expect(() => markOneOfInputs(schemaWith(required), ["Choice"])).toThrow("Choice.a must be nullable");
    const defaulted = new GraphQLInputObjectType({
      name: "Choice",
      fields: { a: { type: GraphQLInt, defaultValue: 1 }, b: { type: GraphQLString } },
    });
    expect(() => markOneOfInputs(schemaWith(defaulted), ["Choice"])).toThrow("Choice.a must be nullable");
    expect(() => markOneOfInputs(schemaWith(defaulted), ["Nope"])).toThrow();
  });
});
