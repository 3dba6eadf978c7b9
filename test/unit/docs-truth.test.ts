import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { buildSchema, type DocumentNode, type GraphQLSchema, Kind, parse, validate } from "graphql";
import { loadConfig } from "../../src/platform/config";

/*
 * The docs stay true to the code: every environment variable the code reads is in docs/configuration.md and every
 * variable listed there is read; every GraphQL operation shown in the README and docs/ validates against
 * schema.graphql; every relative link points at a file (and heading) that exists.
 */

const ROOT = path.resolve(__dirname, "../..");
const read = (relative: string) => readFileSync(path.join(ROOT, relative), "utf8");

/** Variables read by Node.js or a library rather than by the configuration module: their own table in the doc. */
const READ_BY_NODE_OR_A_LIBRARY = new Set(["NODE_OPTIONS"]);

/**
 * Link targets the docs name before the files are added. Once a file exists, its entry must go (a test below fails
 * until it does), so that the link is checked like every other.
 */
const LINKED_BEFORE_THEY_EXIST = new Set<string>();

/** README.md and every Markdown file in docs/, as paths relative to the repository. */
function documents(): string[] {
  const docs = readdirSync(path.join(ROOT, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`);
  return ["README.md", ...docs];
}

/** The lines of a Markdown text that are not inside a fenced code block. */
function proseLines(markdown: string): string[] {
  let fenced = false;
  return markdown.split("\n").filter((line) => {
    if (line.trimStart().startsWith("```")) {
      fenced = !fenced;
      return false;
    }
    return !fenced;
  });
}

/** The fenced code blocks of a Markdown text tagged `language`. */
function codeBlocks(markdown: string, language: string): string[] {
  return [...markdown.matchAll(new RegExp("^ *```" + language + "\\n([\\s\\S]*?)^ *```", "gm"))].map(
    ([, body]) => body!,
  );
}

// ---- configuration ----------------------------------------------------------------------------------------------

/** Every key `loadConfig` reads, over a few environments that take its different branches. */
function variablesTheConfigurationReads(): Set<string> {
  const keys = new Set<string>();
  const environments: Record<string, string>[] = [
    {},
    { NODE_ENV: "production", JWT_SECRET: "a-secret-of-thirty-two-characters", DATABASE_URL: "postgresql://db/x" },
    { DATABASE_URL: "postgresql://db/x", DATABASE_REPLICA_URL: "postgresql://replica/x", AMQP_URL: "amqp://mq" },
    { REDIS_URL: "redis://redis", JWT_SECRET: "a-secret-of-thirty-two-characters", CORS_ORIGINS: "https://a.example" },
  ];
  for (const values of environments) {
    const recording = new Proxy(values, {
      get(target, key) {
        if (typeof key === "string") keys.add(key);
        return typeof key === "string" ? target[key] : undefined;
      },
      has(target, key) {
        if (typeof key === "string") keys.add(key);
        return key in target;
      },
      ownKeys() {
        throw new Error("the configuration enumerates the environment: list the variables it reads by name instead");
      },
    });
    try {
      loadConfig(recording);
    } catch (error) {
      if ((error as Error).name !== "ConfigError") throw error;
    }
  }
  return keys;
}

/** `process.env.NAME` and `process.env["NAME"]` read anywhere in src/ and the Prisma configuration. */
function variablesReadFromProcessEnv(): Set<string> {
  const files: string[] = ["prisma.config.ts"];
  const walk = (dir: string) => {
    for (const name of readdirSync(path.join(ROOT, dir))) {
      const relative = `${dir}/${name}`;
      if (relative === "src/generated") continue;
      if (statSync(path.join(ROOT, relative)).isDirectory()) walk(relative);
      else if (/\.(ts|mjs|js)$/.test(name)) files.push(relative);
    }
  };
  walk("src");
  const names = new Set<string>();
  for (const file of files) {
    for (const match of read(file).matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[["']([A-Z][A-Z0-9_]*)["']\])/g)) {
      names.add((match[1] ?? match[2])!);
    }
  }
  return names;
}

/** The variables named in the first column of docs/configuration.md's tables, by the section they are in. */
function documentedVariables(): { configuration: Set<string>; readByNodeOrALibrary: Set<string> } {
  const configuration = new Set<string>();
  const readByNodeOrALibrary = new Set<string>();
  let section = "";
  for (const line of proseLines(read("docs/configuration.md"))) {
    if (line.startsWith("## ")) section = line;
    if (!line.startsWith("| `")) continue;
    const firstCell = line.split("|")[1]!;
    const into = section === "## Read by Node.js and libraries" ? readByNodeOrALibrary : configuration;
    for (const [, name] of firstCell.matchAll(/`([A-Z][A-Z0-9_]*)`/g)) into.add(name!);
  }
  return { configuration, readByNodeOrALibrary };
}

describe("docs/configuration.md", () => {
  const documented = documentedVariables();
  const variablesRead = new Set([...variablesTheConfigurationReads(), ...variablesReadFromProcessEnv()]);

  it("lists every variable the code reads", () => {
    expect(variablesRead.size).toBeGreaterThan(50);
    expect([...variablesRead].filter((name) => !documented.configuration.has(name)).sort()).toEqual([]);
  });

  it("lists no variable the code does not read", () => {
    expect([...documented.configuration].filter((name) => !variablesRead.has(name)).sort()).toEqual([]);
  });

  it("and .env.example, which it links, names only variables the code reads", () => {
    const example = [...read(".env.example").matchAll(/^#? *([A-Z][A-Z0-9_]*)=/gm)].map(([, name]) => name!);
    expect(example.length).toBeGreaterThan(20);
    expect(example.filter((name) => !variablesRead.has(name))).toEqual([]);
  });

  it("lists the variables read by Node.js or a library in their own table, and only those", () => {
    expect([...documented.readByNodeOrALibrary].sort()).toEqual([...READ_BY_NODE_OR_A_LIBRARY].sort());
    expect([...READ_BY_NODE_OR_A_LIBRARY].filter((name) => variablesRead.has(name))).toEqual([]);
  });
});

// ---- GraphQL examples -------------------------------------------------------------------------------------------

const EXECUTABLE = new Set<string>([Kind.OPERATION_DEFINITION, Kind.FRAGMENT_DEFINITION]);

/** Why a ```graphql block is wrong: it does not parse, mixes operations with type definitions, or fails validation. */
function problemsOf(block: string, schema: GraphQLSchema): string[] {
  let document: DocumentNode;
  try {
    document = parse(block);
  } catch (error) {
    return [(error as Error).message];
  }
  const executable = document.definitions.filter((definition) => EXECUTABLE.has(definition.kind));
  if (executable.length === 0) return []; // type definitions (SDL) only: parsing is the check
  if (executable.length !== document.definitions.length) return ["mixes operations and type definitions"];
  return validate(schema, document).map((error) => error.message);
}

describe("GraphQL in the README and docs/", () => {
  const schema = buildSchema(read("schema.graphql"));

  it("finds the examples", () => {
    const blocks = documents().flatMap((doc) => codeBlocks(read(doc), "graphql"));
    expect(blocks.length).toBeGreaterThan(25);
  });

  it.each(documents())("%s: every operation validates against schema.graphql and every SDL block parses", (doc) => {
    const problems = codeBlocks(read(doc), "graphql").flatMap((block) =>
      problemsOf(block, schema).map((problem) => `${problem}\n${block}`),
    );
    expect(problems).toEqual([]);
  });

  it("refuses an operation that names an unknown field or argument, and a block that does not parse", () => {
    expect(problemsOf("query { show(id: 1) { id noSuchField } }", schema)).toEqual([
      'Cannot query field "noSuchField" on type "Show".',
    ]);
    expect(problemsOf("mutation { confirmBooking(nope: 1) { userErrors { code } } }", schema)).not.toEqual([]);
    expect(problemsOf("query { show(id: …) { id } }", schema)).not.toEqual([]);
    expect(problemsOf("type A { a: Int }\nquery { shows { totalCount } }", schema)).toEqual([
      "mixes operations and type definitions",
    ]);
    expect(problemsOf("input A { a: Int! }", schema)).toEqual([]);
  });
});

// ---- links ------------------------------------------------------------------------------------------------------

/** The anchors GitHub gives a Markdown file's headings. */
function anchorsOf(markdown: string): Set<string> {
  const anchors = new Set<string>();
  for (const line of proseLines(markdown)) {
    const heading = /^#{1,6} (.*)$/.exec(line)?.[1];
    if (heading === undefined) continue;
    const text = heading.replace(/\[([^\]]*)\]\([^)]*\)/g, "$1");
    const base = text
      .trim()
      .toLowerCase()
      .replace(/[^\p{L}\p{N}\s_-]/gu, "")
      .replace(/ /g, "-");
    let anchor = base;
    for (let n = 1; anchors.has(anchor); n++) anchor = `${base}-${n}`;
    anchors.add(anchor);
  }
  return anchors;
}

/** The relative link targets in a Markdown file's prose (external and mail links left out). */
function relativeLinks(markdown: string): string[] {
  const text = proseLines(markdown)
    .join("\n")
    .replace(/`[^`\n]*`/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)]
    .map(([, target]) => target!)
    .filter((target) => !/^[a-z][a-z0-9+.-]*:/i.test(target));
}

describe("relative links in the README and docs/", () => {
  it("finds the links", () => {
    expect(documents().flatMap((doc) => relativeLinks(read(doc))).length).toBeGreaterThan(50);
  });

  it.each([...documents(), "bench/README.md"])("%s: every relative link names a file and heading that exist", (doc) => {
    const broken: string[] = [];
    for (const target of relativeLinks(read(doc))) {
      const [file, anchor] = target.split("#") as [string, string | undefined];
      const resolved = file === "" ? doc : path.posix.normalize(path.posix.join(path.posix.dirname(doc), file));
      if (LINKED_BEFORE_THEY_EXIST.has(resolved)) continue;
      if (!existsSync(path.join(ROOT, resolved))) {
        broken.push(`${target}: no file ${resolved}`);
        continue;
      }
      if (anchor !== undefined && resolved.endsWith(".md") && !anchorsOf(read(resolved)).has(anchor)) {
        broken.push(`${target}: no heading #${anchor} in ${resolved}`);
      }
    }
    expect(broken).toEqual([]);
  });

  it("knows GitHub's anchors and finds broken links", () => {
    expect([...anchorsOf("# A: b, c\n## `x` → y\n```\n# not a heading\n```\n## A: b, c\n")]).toEqual([
      "a-b-c",
      "x--y",
      "a-b-c-1",
    ]);
    expect(relativeLinks("[a](b.md#c) [d](https://e.example) `[f](g)` ![h](i.png)")).toEqual(["b.md#c", "i.png"]);
  });

  it("has no link target waiting for a file that now exists", () => {
    expect([...LINKED_BEFORE_THEY_EXIST].filter((file) => existsSync(path.join(ROOT, file)))).toEqual([]);
  });
});

// ---- shape ------------------------------------------------------------------------------------------------------

describe("the README and docs/ keep their shape", () => {
  it("the README stays a five-minute read: under 10 KB, linking every doc", () => {
    const readme = read("README.md");
    expect(Buffer.byteLength(readme)).toBeLessThan(10 * 1024);
    const linked = new Set(relativeLinks(readme).map((target) => target.split("#")[0]));
    expect(documents().filter((doc) => doc !== "README.md" && !linked.has(doc))).toEqual([]);
  });

  it.each(documents())("%s starts with a title and a summary paragraph", (doc) => {
    const [title, blank, summary] = read(doc).split("\n");
    expect(title).toMatch(/^# \S/);
    expect(blank).toBe("");
    expect(summary).toMatch(/^[A-Z`*[]/);
  });
});
