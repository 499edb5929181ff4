// types/index.d.ts against the JavaScript the package really exports, read with the TypeScript
// compiler (pinned in the root package.json), not by splitting text:
// - types-check.ts, which uses every declared member, type-checks in strict mode;
// - the declared exports are the entry files' and the package's (src/public-api.js lists them);
// - classes and returned objects have the declared members (Symbol.dispose included), and functions
//   and methods the declared number of parameters;
// - each reset-client method calls a route of docs/openapi.json with its request and answer shapes;
// - types/react.d.ts (pwreset/react) declares exactly src/react.js's exports, with their parameters
//   (read by the compiler: React is not installed here, so the module is not imported).
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, it } from "node:test";
import ts from "typescript";

import * as pwreset from "pwreset";

const path = (relative) => fileURLToPath(new URL(relative, import.meta.url));
const DECLARATIONS = path("../types/index.d.ts");
const CHECK = path("./types-check.ts");
const ENTRIES = ["browser", "node", "workerd"].map((name) => path(`../src/entry-${name}.js`));
const REACT_DECLARATIONS = path("../types/react.d.ts");
const REACT_ENTRY = path("../src/react.js");

// A browser consumer's program (DOM, `using`); the JavaScript entry files are read, not checked.
const program = ts.createProgram([CHECK, ...ENTRIES, REACT_ENTRY], {
  strict: true,
  skipLibCheck: false,
  noEmit: true,
  target: ts.ScriptTarget.ES2022,
  module: ts.ModuleKind.ES2022,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  lib: ["lib.es2022.d.ts", "lib.esnext.disposable.d.ts", "lib.dom.d.ts"],
  allowJs: true,
  types: [],
});
const checker = program.getTypeChecker();
const moduleOf = (file) => checker.getSymbolAtLocation(program.getSourceFile(file));
const declared = new Map(checker.getExportsOfModule(moduleOf(DECLARATIONS)).map((symbol) => [symbol.name, symbol]));
const isValue = (symbol) => (symbol.flags & (ts.SymbolFlags.Function | ts.SymbolFlags.Class)) !== 0;
const declaredValues = [...declared.values()].filter(isValue).map((symbol) => symbol.name).sort();
const interfaceType = (name) => checker.getDeclaredTypeOfSymbol(declared.get(name));
const reactDeclared = new Map(checker.getExportsOfModule(moduleOf(REACT_DECLARATIONS)).map((symbol) => [symbol.name, symbol]));
const reactValues = [...reactDeclared.values()].filter(isValue).map((symbol) => symbol.name).sort();

/** A member's name: `check`, or `[Symbol.dispose]` for one keyed by a well-known symbol (`__@dispose@12`). */
const memberName = (symbol) => (symbol.escapedName.startsWith("__@") ? `[Symbol.${symbol.escapedName.split("@")[1]}]` : symbol.name);
const runtimeKey = (name) => (name.startsWith("[Symbol.") ? Symbol[name.slice(8, -1)] : name);
/** A well-known symbol as TypeScript names it (Node 20's `Symbol.dispose` is described `nodejs.dispose`). */
const symbolName = (key) => `[Symbol.${Object.getOwnPropertyNames(Symbol).find((name) => Symbol[name] === key) ?? key.description}]`;

/** The keys of `value` and its prototypes below `base`, named as memberName names them. */
function runtimeMembers(value, base = Object.prototype) {
  const names = new Set();
  for (let object = value; object && object !== base; object = Object.getPrototypeOf(object)) {
    for (const key of Reflect.ownKeys(object)) {
      if (key !== "constructor") names.add(typeof key === "symbol" ? symbolName(key) : key);
    }
  }
  return [...names].sort();
}

/** `fn.length` (the parameters before the first default) lies between the declared required and total counts. */
function assertArity(signatures, fn, where) {
  assert.equal(typeof fn, "function", `${where} is a function in the code`);
  assert.ok(signatures.length > 0, `${where} is declared callable`);
  const counts = signatures.map((signature) => signature.getParameters());
  const required = Math.min(...counts.map((ps) => ps.filter((p) => !checker.isOptionalParameter(p.valueDeclaration)).length));
  const total = Math.max(...counts.map((ps) => ps.length));
  assert.ok(required <= fn.length && fn.length <= total, `${where}: takes ${fn.length} parameters, declared ${required} to ${total}`);
}

const callSignatures = (type) => checker.getSignaturesOfType(type, ts.SignatureKind.Call);
const isPlainObject = (value) => Object.getPrototypeOf(value ?? 0) === Object.prototype;

/** `value` has exactly the declared members of `type`; methods have the declared arity; nested objects likewise. */
function assertMembers(type, value, where, { base = Object.prototype, ignore = [] } = {}) {
  const members = checker.getPropertiesOfType(type).filter((symbol) => !ignore.includes(memberName(symbol)));
  const runtime = runtimeMembers(value, base).filter((name) => !ignore.includes(name));
  assert.deepEqual(runtime, members.map(memberName).sort(), `${where}: the members in the code (actual) and in the types (expected)`);
  for (const symbol of members) {
    const name = memberName(symbol);
    const member = value[runtimeKey(name)];
    const memberType = checker.getNonNullableType(checker.getTypeOfSymbol(symbol));
    if (typeof member === "function") assertArity(callSignatures(memberType), member, `${where}.${name}`);
    else if (isPlainObject(member) && checker.getIndexInfosOfType(memberType).length === 0) {
      assertMembers(memberType, member, `${where}.${name}`);
    }
  }
}

describe("types/index.d.ts", () => {
  it("types-check.ts type-checks in strict mode against it, skipLibCheck off", () => {
    const diagnostics = ts.getPreEmitDiagnostics(program).filter((d) => !d.file || !/\.js$/.test(d.file.fileName));
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => path("."), getNewLine: () => "\n" };
    assert.equal(ts.formatDiagnostics(diagnostics, host), "");
  });

  it("types-check.ts uses every declared member", () => {
    assert.deepEqual(unusedDeclarations(), []);
  });

  it("declares exactly the values that each entry file and the package export", () => {
    for (const entry of ENTRIES) {
      const exported = checker.getExportsOfModule(moduleOf(entry)).map((symbol) => symbol.name);
      assert.deepEqual(exported.sort(), declaredValues, entry);
    }
    assert.deepEqual(Object.keys(pwreset).sort(), declaredValues);
  });

  it("declares each function's and class's parameters", () => {
    for (const name of declaredValues) {
      const type = checker.getTypeOfSymbol(declared.get(name));
      const kind = declared.get(name).flags & ts.SymbolFlags.Class ? ts.SignatureKind.Construct : ts.SignatureKind.Call;
      assertArity(checker.getSignaturesOfType(type, kind), pwreset[name], name);
    }
  });

  it("declares the members of what the package returns: policies (Symbol.dispose too), results, errors, the client", async () => {
    await pwreset.ready();
    const policy = pwreset.createPolicy("django");
    const result = policy.check("password");
    const samples = {
      PasswordPolicy: policy,
      CheckResult: result,
      Violation: result.errors[0],
      Strength: await pwreset.estimateStrength("password"),
      UniqueMessage: pwreset.uniqueMessages(result)[0],
      BreachedResult: await pwreset.checkBreached("x", { fetch: async () => ({ status: 200, text: async () => "" }) }),
      ResetClient: pwreset.createResetClient({ baseUrl: "http://127.0.0.1:9" }),
    };
    for (const [name, value] of Object.entries(samples)) assertMembers(interfaceType(name), value, name);
    // Error classes: their own members, over Error's (message, stack).
    const errorMembers = runtimeMembers(new Error("x"), Error.prototype);
    const errors = {
      PwresetError: new pwreset.PwresetError("internal", "x"),
      ResetApiError: new pwreset.ResetApiError(500, null, null),
    };
    for (const [name, value] of Object.entries(errors)) {
      assertMembers(interfaceType(name), value, name, { base: Error.prototype, ignore: [...errorMembers, "cause"] });
    }
    policy.free();
  });

  it("declares each reset-client route of docs/openapi.json with its request and answer shapes", async () => {
    const openapi = JSON.parse(readFileSync(path("../../docs/openapi.json"), "utf8"));
    const calls = [];
    const fetch = async (url, init) => {
      calls.push({ url, method: init.method.toLowerCase() });
      return { ok: true, status: 200, headers: { get: () => null }, text: async () => "{}" };
    };
    const client = pwreset.createResetClient({ baseUrl: "http://127.0.0.1:9", fetch });
    const methods = [];
    const collect = (type, value, where) => {
      for (const symbol of checker.getPropertiesOfType(type)) {
        const memberType = checker.getTypeOfSymbol(symbol);
        const member = value[symbol.name];
        if (callSignatures(memberType).length > 0) methods.push([`${where}.${symbol.name}`, callSignatures(memberType), member]);
        else if (memberType.flags & ts.TypeFlags.Object) collect(memberType, member, `${where}.${symbol.name}`);
      }
    };
    collect(interfaceType("ResetClient"), client, "client");
    for (const [where, signatures, method] of methods) {
      // Strings for the token parameters, an object for the body.
      const isString = (p) => (checker.getTypeOfSymbol(p).flags & ts.TypeFlags.String) !== 0;
      await method(...signatures[0].getParameters().map((p) => (isString(p) ? "x" : {})));
      const { url, method: verb } = calls.pop();
      const operation = openapi.paths[url.pathname]?.[verb];
      assert.ok(operation, `${where}: ${verb.toUpperCase()} ${url.pathname} is a route of docs/openapi.json`);
      // Overloads: the union of their bodies and answers is the schema's (a oneOf for dialect A's code).
      const shapes = (part) => (part ? union([schemaShape(part.content["application/json"].schema, openapi)]) : []);
      const bodies = signatures.flatMap((s) => s.getParameters().filter((p) => !isString(p)).map((p) => checker.getTypeOfSymbol(p)));
      assert.deepEqual(union(bodies.map(typeShape)), shapes(operation.requestBody), `${where}: request`);
      const answers = signatures.map((s) => checker.getAwaitedType(s.getReturnType()));
      const [, success] = Object.entries(operation.responses).find(([status]) => status.startsWith("2"));
      assert.deepEqual(union(answers.map(typeShape)), shapes(success), `${where}: answer`);
    }
  });

  it("every export is named in npm/README.md", () => {
    const readme = readFileSync(path("../README.md"), "utf8");
    for (const name of [...declaredValues, ...reactValues]) assert.match(readme, new RegExp(`\`${name}\\b`), name);
  });
});

describe("types/react.d.ts", () => {
  it("declares exactly the values src/react.js exports, and package.json maps pwreset/react to both", () => {
    const exported = checker.getExportsOfModule(moduleOf(REACT_ENTRY)).map((symbol) => symbol.name);
    assert.deepEqual(exported.sort(), reactValues);
    assert.deepEqual(reactValues, ["usePasswordCheck", "usePasswordPolicy"]);
    const pkg = JSON.parse(readFileSync(path("../package.json"), "utf8"));
    assert.deepEqual(pkg.exports["./react"], { types: "./types/react.d.ts", default: "./src/react.js" });
    assert.deepEqual(pkg.peerDependenciesMeta, { react: { optional: true } }, "React is never required by the main entry");
  });

  it("declares each hook's parameters (as the compiler reads the JavaScript)", () => {
    const counts = (signatures) => {
      const lists = signatures.map((signature) => signature.getParameters());
      const required = (ps) => ps.filter((p) => p.valueDeclaration && !checker.isOptionalParameter(p.valueDeclaration)).length;
      return [Math.min(...lists.map(required)), Math.max(...lists.map((ps) => ps.length))];
    };
    const code = new Map(checker.getExportsOfModule(moduleOf(REACT_ENTRY)).map((symbol) => [symbol.name, symbol]));
    for (const name of reactValues) {
      const signaturesOf = (symbol) => callSignatures(checker.getTypeOfSymbol(symbol));
      assert.deepEqual(counts(signaturesOf(code.get(name))), counts(signaturesOf(reactDeclared.get(name))), name);
    }
  });

  it("the main entry never imports React", () => {
    for (const file of ["api.js", "client.js", "errors.js", "messages.js", "public-api.js", "breached.js", ...ENTRIES]) {
      const text = readFileSync(file.startsWith("/") ? file : path(`../src/${file}`), "utf8");
      assert.ok(!/from\s*["']react/.test(text), file);
    }
  });
});

// Shapes, to compare a TypeScript type with a JSON Schema: "string", "number", "boolean", "null",
// "unknown", "object" (any members), a literal as JSON, { array: shape }, { "name" | "name?": shape }
// for members, and an array of shapes for a union.

/** The alternatives of a union, flattened, deduplicated and sorted. */
function union(shapes) {
  const flat = shapes.flatMap((shape) => (Array.isArray(shape) ? shape : [shape]));
  return [...new Map(flat.map((shape) => [JSON.stringify(shape), shape])).entries()].sort().map(([, shape]) => shape);
}

function typeShape(type) {
  const { flags } = type;
  if (flags & ts.TypeFlags.Boolean) return "boolean";
  if (type.isUnion()) {
    const members = union(type.types.filter((t) => !(t.flags & ts.TypeFlags.Undefined)).map(typeShape));
    return members.length === 1 ? members[0] : members;
  }
  if (type.isLiteral()) return JSON.stringify(type.value);
  if (flags & ts.TypeFlags.String) return "string";
  if (flags & ts.TypeFlags.Number) return "number";
  if (flags & ts.TypeFlags.Null) return "null";
  if (flags & (ts.TypeFlags.Unknown | ts.TypeFlags.Any)) return "unknown";
  if (checker.isArrayType(type)) return { array: typeShape(checker.getTypeArguments(type)[0]) };
  const members = checker.getPropertiesOfType(type);
  if (members.length === 0) return "object";
  const optional = (symbol) => (symbol.flags & ts.SymbolFlags.Optional ? "?" : "");
  return Object.fromEntries(members.map((s) => [`${s.name}${optional(s)}`, typeShape(checker.getTypeOfSymbol(s))]).sort());
}

function schemaShape(schema, document) {
  if (schema.$ref) return schemaShape(schema.$ref.split("/").slice(1).reduce((node, key) => node[key], document), document);
  if ("const" in schema) return JSON.stringify(schema.const);
  if (schema.enum) return union(schema.enum.map((value) => JSON.stringify(value)));
  if (schema.oneOf) return union(schema.oneOf.map((alternative) => schemaShape(alternative, document)));
  if (Array.isArray(schema.type)) return union(schema.type.map((type) => schemaShape({ ...schema, type }, document)));
  if (schema.type === "integer" || schema.type === "number") return "number";
  if (schema.type === "array") return { array: schema.items ? schemaShape(schema.items, document) : "unknown" };
  if (schema.type === "object") {
    if (!schema.properties) return "object";
    const optional = (name) => (schema.required?.includes(name) ? "" : "?");
    const members = Object.entries(schema.properties).map(([name, s]) => [`${name}${optional(name)}`, schemaShape(s, document)]);
    return Object.fromEntries(members.sort());
  }
  return schema.type ?? "unknown";
}

/** The declarations of index.d.ts (exported ones and their members) that types-check.ts never refers to. */
function unusedDeclarations() {
  const used = new Set();
  const mark = (symbol) => {
    if (!symbol) return;
    if (symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
    // A member of a union stands for the member of each alternative.
    for (const root of checker.getRootSymbols(symbol)) for (const declaration of root.declarations ?? []) used.add(declaration);
  };
  const visit = (node) => {
    if (ts.isImportDeclaration(node)) return;
    if (ts.isIdentifier(node)) mark(checker.getSymbolAtLocation(node));
    // A member named in an object literal: the member of the type the literal is for.
    if ((ts.isPropertyAssignment(node) || ts.isShorthandPropertyAssignment(node)) && ts.isIdentifier(node.name)) {
      const target = checker.getContextualType(node.parent);
      for (const type of target?.isUnion() ? target.types : [target]) mark(type && checker.getPropertyOfType(type, node.name.text));
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) used.add(checker.getResolvedSignature(node)?.declaration);
    ts.forEachChild(node, visit);
  };
  visit(program.getSourceFile(CHECK));

  const unused = [];
  const isMember = (node) =>
    ts.isPropertySignature(node) || ts.isMethodSignature(node) || ts.isPropertyDeclaration(node) || ts.isConstructorDeclaration(node);
  const walk = (node, where) => {
    const name = node.name ? `${where}${where ? "." : ""}${node.name.getText()}` : where;
    if (isMember(node) && !used.has(node)) unused.push(name);
    ts.forEachChild(node, (child) => walk(child, name));
  };
  const statements = [DECLARATIONS, REACT_DECLARATIONS].flatMap((file) => program.getSourceFile(file).statements);
  for (const statement of statements) {
    const exported = statement.modifiers?.some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
    if (!exported) continue;
    if (!used.has(statement)) unused.push(statement.name.text);
    ts.forEachChild(statement, (child) => walk(child, statement.name.text));
  }
  return unused;
}
