import * as internals from '@apollo/federation-internals';
import type { CompositeType, FieldSelection, Operation, Schema, Selection, SelectionSet, Type } from '@apollo/federation-internals';
import type { GraphQLError } from 'graphql';
import { createRequire } from 'node:module';

// Taken off the module once: TypeScript's CommonJS output reads a named import through the
// package's re-export getter at every call, and these run for every value of every answer (a
// national overview's ~1,900 municipalities: 3.5 % of the gateway's profiled time was that getter).
const { ERRORS, isCompositeType, isCustomScalarType, isEnumType, isListType, isNonNullType, isObjectType, isSubtype, typenameFieldName, Variable } = internals;

/**
 * Apollo Gateway's last step, in less CPU: `computeResponse` turns the data merged from the
 * subgraphs into the answer the operation asked for (fields in the operation's order, aliases,
 * `__typename`, `@skip`/`@include`, null propagation for non-null fields, a check of every leaf).
 * Apollo Gateway 2.14 does this per object by walking the operation's selections and asking each
 * one again for its response name, its `@skip`/`@include` directives (two array filters and two
 * schema look-ups per selection per object) and its type; on a national overview (1,747
 * municipalities, 660 KB of JSON) that was 40–47 ms of the gateway's ~150 ms of CPU per answer, and
 * most of its garbage.
 *
 * This is the same algorithm, with the per-selection facts worked out once per request (a request's
 * variables decide `@skip`/`@include`), leaves classified once per type, and no object allocated per
 * value but the answer's own. Same answer and same errors, byte for byte: `test/result-shaping.test.ts`
 * holds it to Apollo's on every published operation over generated data (nulls where nothing may be
 * null, wrong `__typename`s, invalid leaves, lists). It replaces Apollo's only for the version it was
 * written and tested against (APOLLO_GATEWAY_VERSION); any other keeps Apollo's and says so.
 * `RESULT_SHAPING=apollo` keeps Apollo's too.
 */

/** The @apollo/gateway version whose resultShaping.js this reproduces. */
export const APOLLO_GATEWAY_VERSION = '2.14.4';

type Data = Record<string, unknown>;
type IntrospectionHandling = (selection: FieldSelection) => unknown;

export interface ShapingArgs {
  readonly operation: Operation;
  readonly variables?: Record<string, unknown>;
  readonly input: Data | null | undefined;
  readonly introspectionHandling: IntrospectionHandling;
}

export interface Shaped {
  data: Data | null | undefined;
  errors: GraphQLError[];
}

const FIELD = 0;
const TYPENAME = 1;
const INTROSPECTION = 2;
const FRAGMENT = 3;

/** One selection of a selection set, as much of it as does not depend on the data. */
type Step =
  | { readonly kind: typeof FIELD; readonly responseName: string; readonly own: boolean; readonly type: Type; readonly selectionSet: SelectionSet | undefined }
  | { readonly kind: typeof TYPENAME; readonly responseName: string; readonly own: boolean }
  | { readonly kind: typeof INTROSPECTION; readonly responseName: string; readonly own: boolean; readonly selection: FieldSelection }
  | { readonly kind: typeof FRAGMENT; readonly typeCondition: CompositeType | undefined; readonly selectionSet: SelectionSet };

const LEAF_CUSTOM = 0;
const LEAF_BOOLEAN = 1;
const LEAF_INT = 2;
const LEAF_ID = 3;
const LEAF_FLOAT = 4;
const LEAF_STRING = 5; // String and any other built-in scalar
const LEAF_ENUM = 6;

const INTEGER = /^-?(?:0|[1-9][0-9]*)$/; // federation-internals values.js integerStringRegExp

/** A value in an assertion's message, as Apollo's template literals print it. */
const show = (value: unknown): string => String(value);

/**
 * The answer's objects are plain objects, where Apollo's have no prototype: V8 keeps objects built
 * alike in the same order in its fast mode (an object without a prototype starts as a dictionary),
 * which makes building the answer and serialising it cheaper. A response name that a plain object
 * inherits (an alias `__proto__`, `constructor`, `toString`, …) is read and written as an own
 * property only, as on Apollo's objects.
 */
const inherited = (name: string): boolean => name in Object.prototype;
const read = (object: Data, name: string, own: boolean): unknown =>
  own ? (Object.prototype.hasOwnProperty.call(object, name) ? object[name] : undefined) : object[name];
const write = (object: Data, name: string, value: unknown, own: boolean): void => {
  if (own) Object.defineProperty(object, name, { value, enumerable: true, writable: true, configurable: true });
  else object[name] = value;
};

const OK = 0;
const NULL_BUBBLE_UP = 1;

/** What the last `update` call found (kept here rather than in an object per value). */
let invalid = false;
let hasErrors = false;

class Shaper {
  readonly errors: GraphQLError[] = [];
  private readonly steps = new Map<SelectionSet, Step[]>();
  private readonly leaves = new Map<Type, number>();
  private readonly conditions = new Map<CompositeType, Map<string, boolean>>();
  readonly path: (string | number)[] = [];

  constructor(
    readonly schema: Schema,
    private readonly variables: Record<string, unknown>,
    private readonly introspectionHandling: IntrospectionHandling,
  ) {}

  private stepsOf(selectionSet: SelectionSet): Step[] {
    let steps = this.steps.get(selectionSet);
    if (!steps) {
      steps = [];
      for (const selection of selectionSet.selections()) {
        if (this.skipped(selection)) continue;
        if (selection.kind === 'FieldSelection') {
          const field = selection.element;
          const responseName = field.responseName();
          const own = inherited(responseName);
          if (field.definition.isSchemaIntrospectionField()) steps.push({ kind: INTROSPECTION, responseName, own, selection });
          else if (field.name === typenameFieldName) steps.push({ kind: TYPENAME, responseName, own });
          else steps.push({ kind: FIELD, responseName, own, type: field.definition.type as Type, selectionSet: selection.selectionSet });
        } else {
          steps.push({ kind: FRAGMENT, typeCondition: selection.element.typeCondition, selectionSet: selection.selectionSet });
        }
      }
      this.steps.set(selectionSet, steps);
    }
    return steps;
  }

  /** resultShaping.js shouldSkip, once per selection set and request. */
  private skipped(selection: Selection): boolean {
    const element = selection.element;
    const skip = element.appliedDirectivesOf(this.schema.skipDirective())[0];
    const include = element.appliedDirectivesOf(this.schema.includeDirective())[0];
    return Boolean((skip && this.ifValue(skip.arguments().if, skip)) || (include && !this.ifValue(include.arguments().if, include)));
  }

  private ifValue(argument: unknown, directive: object): boolean {
    if (argument instanceof Variable) {
      const value = this.variables[argument.name];
      if (value === undefined || typeof value !== 'boolean') {
        throw new Error(`Unexpected value ${show(value)} for variable ${show(argument)} of ${show(directive)}`);
      }
      return value;
    }
    return argument as boolean;
  }

  private applies(typeCondition: CompositeType | undefined, typename: string | undefined, parentType: CompositeType): boolean {
    if (!typeCondition) return true;
    if (!typename) return isSubtype(typeCondition, parentType);
    let byName = this.conditions.get(typeCondition);
    if (!byName) this.conditions.set(typeCondition, (byName = new Map<string, boolean>()));
    let applies = byName.get(typename);
    if (applies === undefined) {
      const type = this.schema.type(typename);
      applies = !!type && isSubtype(typeCondition, type);
      byName.set(typename, applies);
    }
    return applies;
  }

  apply(input: Data, selectionSet: SelectionSet, output: Data, parentType: CompositeType): number {
    const steps = this.stepsOf(selectionSet);
    for (let i = 0; i < steps.length; i++) {
      const step = steps[i]!;
      if (step.kind === FIELD) {
        const { responseName, own } = step;
        const inputValue = Object.prototype.hasOwnProperty.call(input, responseName) ? (input[responseName] ?? null) : null;
        this.path.push(responseName);
        const updated = this.update(read(output, responseName, own), step.type, inputValue, step.selectionSet, parentType);
        write(output, responseName, updated, own);
        this.path.pop();
        if (invalid) return NULL_BUBBLE_UP;
      } else if (step.kind === TYPENAME) {
        const { responseName, own } = step;
        if (read(output, responseName, own) !== undefined) continue;
        let inputValue = Object.prototype.hasOwnProperty.call(input, responseName) ? (input[responseName] ?? null) : null;
        if (inputValue === null && responseName !== typenameFieldName) inputValue = input[typenameFieldName] ?? null;
        const type = typeof inputValue === 'string' ? (this.schema.type(inputValue) ?? parentType) : parentType;
        if (!isObjectType(type)) return NULL_BUBBLE_UP;
        write(output, responseName, type.name, own);
      } else if (step.kind === INTROSPECTION) {
        if (read(output, step.responseName, step.own) === undefined) write(output, step.responseName, this.introspectionHandling(step.selection), step.own);
      } else {
        const typename = input[typenameFieldName];
        if (typename && typeof typename !== 'string') throw new Error(`Got unexpected value for __typename: ${show(typename)}`);
        if (this.applies(step.typeCondition, typename as string | undefined, parentType)) {
          if (this.apply(input, step.selectionSet, output, step.typeCondition ?? parentType) === NULL_BUBBLE_UP) return NULL_BUBBLE_UP;
        }
      }
    }
    return OK;
  }

  /** resultShaping.js updateOutputValue: returns `updated`, and sets `invalid` and `hasErrors`. */
  private update(outputValue: unknown, type: Type, inputValue: unknown, selectionSet: SelectionSet | undefined, parentType: CompositeType): unknown {
    invalid = false;
    hasErrors = false;
    if (inputValue === undefined) throw new Error('Should not pass undefined for `inputValue` to this method');
    if (outputValue === null || (outputValue !== undefined && !selectionSet)) return outputValue;
    if (isNonNullType(type)) {
      const updated = this.update(outputValue, type.ofType as Type, inputValue, selectionSet, parentType);
      if (updated === null) {
        if (!hasErrors) {
          this.errors.push(
            ERRORS.INVALID_GRAPHQL.err(`Cannot return null for non-nullable ${this.lastElement(type.ofType as Type, parentType)}.`, {
              path: Array.from(this.path),
            }),
          );
        }
        invalid = true;
        hasErrors = true;
        return updated;
      }
      invalid = false;
      hasErrors = false;
      return updated;
    }
    if (inputValue === null) return null;
    if (isListType(type)) {
      if (!Array.isArray(inputValue)) throw new Error(`Invalid non-list value ${show(inputValue)} returned by subgraph for list type ${show(type)}`);
      if (outputValue !== undefined && !Array.isArray(outputValue)) {
        throw new Error(`Invalid non-list value ${show(outputValue)} returned by subgraph for list type ${show(type)}`);
      }
      const outputs = outputValue as unknown[] | undefined;
      if (outputs && inputValue.length !== outputs.length) {
        throw new Error(`[${show(inputValue)}].length (${inputValue.length}) !== [${show(outputs)}].length (${outputs.length})`);
      }
      const updated = new Array<unknown>(inputValue.length);
      let nullify = false;
      let errors = false;
      for (let index = 0; index < inputValue.length; index++) {
        this.path.push(index);
        updated[index] = this.update(outputs ? outputs[index] : undefined, type.ofType as Type, inputValue[index], selectionSet, parentType);
        this.path.pop();
        nullify ||= invalid;
        errors ||= hasErrors;
      }
      invalid = false;
      hasErrors = errors;
      return nullify ? null : updated;
    }
    if (isCompositeType(type)) {
      if (!selectionSet) throw new Error(`Invalid empty selection set for composite type ${show(type)}`);
      if (typeof inputValue !== 'object') throw new Error(`Invalid non-object value ${show(inputValue)} returned by subgraph for composite type ${show(type)}`);
      if (outputValue !== undefined && typeof outputValue !== 'object') {
        throw new Error(`Invalid non-object value ${show(inputValue)} returned by subgraph for composite type ${show(type)}`);
      }
      const input = inputValue as Data;
      const inputTypename = input[typenameFieldName];
      if (inputTypename !== undefined && typeof inputTypename !== 'string') {
        throw new Error(`Invalid non-string value ${show(inputTypename)} for __typename at ${show(this.path)}`);
      }
      let objectType: CompositeType = type;
      if (inputTypename) {
        const named = this.schema.type(inputTypename);
        if (!named || !isCompositeType(named)) {
          this.errors.push(
            ERRORS.INVALID_GRAPHQL.err(`Invalid __typename found for object at ${this.lastElement(type, parentType)}.`, { path: Array.from(this.path) }),
          );
          invalid = false;
          hasErrors = true;
          return null;
        }
        objectType = named;
      }
      const output = (outputValue ?? {}) as Data;
      const bubbled = this.apply(input, selectionSet, output, objectType) === NULL_BUBBLE_UP;
      invalid = false;
      hasErrors = bubbled;
      return bubbled ? null : output;
    }
    if (outputValue !== undefined) throw new Error(`Excepted output to be undefined but got ${show(type)} for type ${show(type)}`);
    const valid = this.validLeaf(inputValue, type);
    if (!valid) this.errors.push(ERRORS.INVALID_GRAPHQL.err(`Invalid value found for ${this.lastElement(type, parentType)}.`, { path: Array.from(this.path) }));
    invalid = false;
    hasErrors = !valid;
    return valid ? inputValue : null;
  }

  /** federation-internals values.js isValidLeafValue, with the type's kind looked up once. */
  private validLeaf(value: unknown, type: Type): boolean {
    let leaf = this.leaves.get(type);
    if (leaf === undefined) {
      const s = this.schema;
      leaf = isCustomScalarType(type)
        ? LEAF_CUSTOM
        : type === s.booleanType()
          ? LEAF_BOOLEAN
          : type === s.intType()
            ? LEAF_INT
            : type === s.idType()
              ? LEAF_ID
              : type === s.floatType()
                ? LEAF_FLOAT
                : isEnumType(type)
                  ? LEAF_ENUM
                  : LEAF_STRING;
      this.leaves.set(type, leaf);
    }
    if (leaf === LEAF_CUSTOM) return true;
    if (typeof value === 'boolean') return leaf === LEAF_BOOLEAN;
    if (typeof value === 'number' && isFinite(value)) return leaf === LEAF_INT || leaf === LEAF_ID ? INTEGER.test(String(value)) : leaf === LEAF_FLOAT;
    if (typeof value === 'string') {
      if (leaf === LEAF_ENUM) return isEnumType(type) && type.value(value) !== undefined;
      return leaf !== LEAF_BOOLEAN && leaf !== LEAF_INT && leaf !== LEAF_FLOAT;
    }
    return false;
  }

  /** resultShaping.js pathLastElementDescription. */
  private lastElement(currentType: Type, parentType: CompositeType): string {
    const element = this.path[this.path.length - 1];
    if (element === undefined) throw new Error('Should not have been called on an empty path');
    return typeof element === 'string' ? `field ${show(parentType)}.${element}` : `array element of type ${show(currentType)} at index ${element}`;
  }
}

/** Apollo Gateway's resultShaping.js computeResponse, same contract. */
export function computeResponse({ operation, variables, input, introspectionHandling }: ShapingArgs): Shaped {
  if (!input) return { data: input, errors: [] };
  const schema = operation.schema();
  const shaper = new Shaper(schema, { __proto__: null, ...operation.collectDefaultedVariableValues(), ...variables }, introspectionHandling);
  const data: Data = {};
  const result = shaper.apply(input, operation.selectionSet, data, schema.schemaDefinition.rootType(operation.rootKind)!);
  return { data: result === NULL_BUBBLE_UP ? null : data, errors: shaper.errors };
}

interface ShapingModule {
  computeResponse: (args: ShapingArgs) => Shaped;
}

const load = createRequire(__filename);

/** Apollo Gateway's own computeResponse (for the tests, and for RESULT_SHAPING=apollo). */
export const apolloComputeResponse: (args: ShapingArgs) => Shaped = (load('@apollo/gateway/dist/resultShaping') as ShapingModule).computeResponse;

/**
 * Sets the result shaping Apollo Gateway uses: {@link computeResponse}, or Apollo's own for another
 * version of @apollo/gateway or with RESULT_SHAPING=apollo. Returns why Apollo's is used, null when
 * ours is. Each call sets one or the other, so the last gateway started in a process decides.
 */
export function installResultShaping(setting = process.env.RESULT_SHAPING): string | null {
  if (setting !== undefined && setting !== '' && setting !== 'nimo' && setting !== 'apollo') {
    throw new Error(`RESULT_SHAPING must be nimo (the default) or apollo, not ${setting}`);
  }
  const { version } = load('@apollo/gateway/package.json') as { version: string };
  const why =
    setting === 'apollo' ? 'RESULT_SHAPING=apollo' : version !== APOLLO_GATEWAY_VERSION ? `@apollo/gateway is ${version}, not ${APOLLO_GATEWAY_VERSION}` : null;
  (load('@apollo/gateway/dist/resultShaping') as ShapingModule).computeResponse = why === null ? computeResponse : apolloComputeResponse;
  return why;
}
