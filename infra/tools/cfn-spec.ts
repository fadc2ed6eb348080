/**
 * Checks a CloudFormation template against AWS's published resource specification (the CloudFormation
 * registry schemas as shipped by `@aws-cdk/aws-service-spec`), offline: what `cfn-lint` would catch first,
 * without Python. `checkTemplate` is pure (template JSON + spec → problems); `loadCfnSpec` reads the spec.
 *
 * Covered:
 * - template sections and resource keys are CloudFormation's; `DeletionPolicy`/`UpdateReplacePolicy` values;
 * - every resource type exists (`Custom::*` only needs a `ServiceToken`);
 * - every property exists on its type, recursively through the spec's nested types (`ref`), lists and maps;
 * - every required property is present (a value that is an intrinsic function counts as present);
 * - literal values have the spec's type (string, integer, number, boolean, list, map, object, tag), with the
 *   scalar conversions CloudFormation makes unless `strictScalars`, and, where the spec enumerates them, one
 *   of its allowed values; intrinsics (`Ref`, `Fn::*`) are not typed;
 * - `DependsOn`, `Ref`, `Fn::GetAtt` and `Fn::Sub` `${…}` name a resource (or a parameter, or a pseudo
 *   parameter `AWS::…`), a `Fn::GetAtt` attribute exists on its resource type, and `Condition`/`Fn::If`
 *   name a declared condition.
 *
 * Not covered: patterns, lengths and ranges of values; cross-property rules (one-of, mutually exclusive
 * properties); the type of what an intrinsic resolves to; IAM policy grammar; service quotas; whether a
 * `Ref` yields the kind of value (name, ARN) the property wants.
 */
import { loadAwsServiceSpec } from '@aws-cdk/aws-service-spec';

/** A property type as the spec describes it (structural subset of @aws-cdk/service-spec-types' PropertyType). */
export type SpecType =
  | { type: 'string'; allowedValues?: string[] }
  | { type: 'integer'; allowedValues?: number[] }
  | { type: 'number' | 'boolean' | 'json' | 'date-time' | 'null' | 'tag' }
  | { type: 'ref'; reference: { $ref: string } }
  | { type: 'array' | 'map'; element: SpecType }
  | { type: 'union'; types: SpecType[] };

export interface SpecProperty {
  required?: boolean;
  type: SpecType;
}

export interface SpecResource {
  properties: Record<string, SpecProperty>;
  attributes: Record<string, unknown>;
}

/** What the checker needs to know from the spec. */
export interface CfnSpec {
  /** The resource type (`AWS::DynamoDB::Table`), or undefined when the spec has no such type. */
  resource(cloudFormationType: string): SpecResource | undefined;
  /** A nested property type (`{ type: 'ref' }`), or undefined when the spec does not define it. */
  definition(reference: { $ref: string }): { name: string; properties: Record<string, SpecProperty> } | undefined;
}

export type ProblemKind =
  | 'template'
  | 'unknown-type'
  | 'unknown-property'
  | 'missing-required'
  | 'type-mismatch'
  | 'not-allowed-value'
  | 'dangling-ref'
  | 'dangling-getatt'
  | 'unknown-attribute'
  | 'dangling-depends-on'
  | 'dangling-condition';

export interface CfnProblem {
  kind: ProblemKind;
  /** Where in the template, e.g. `Resources.MessagesTable.Properties.KeySchema[0].KeyType`. */
  path: string;
  message: string;
}

export const formatProblem = (problem: CfnProblem): string => `${problem.path}: ${problem.message} [${problem.kind}]`;

type SpecDatabase = Awaited<ReturnType<typeof loadAwsServiceSpec>>;

/** The spec behind `CfnSpec`, from the database `@aws-cdk/aws-service-spec` ships (db.json.gz). */
export const specFromDatabase = (db: SpecDatabase): CfnSpec => {
  const resources = new Map<string, SpecResource | undefined>();
  return {
    resource(cloudFormationType) {
      if (!resources.has(cloudFormationType)) {
        const found = db.lookup('resource', 'cloudFormationType', 'equals', cloudFormationType);
        resources.set(cloudFormationType, found.length === 1 ? (found[0] as unknown as SpecResource) : undefined);
      }
      return resources.get(cloudFormationType);
    },
    definition(reference) {
      try {
        return db.get('typeDefinition', reference.$ref) as unknown as { name: string; properties: Record<string, SpecProperty> };
      } catch {
        return undefined;
      }
    },
  };
};

/** Loads the spec (~0.7 s: a 2.6 MB gzipped JSON); load it once and reuse it. */
export const loadCfnSpec = async (): Promise<CfnSpec> => specFromDatabase(await loadAwsServiceSpec());

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

const SECTIONS = new Set(['AWSTemplateFormatVersion', 'Description', 'Metadata', 'Parameters', 'Rules', 'Mappings', 'Conditions', 'Transform', 'Resources', 'Outputs']);
const RESOURCE_KEYS = new Set(['Type', 'Properties', 'DependsOn', 'Condition', 'DeletionPolicy', 'UpdateReplacePolicy', 'Metadata', 'CreationPolicy', 'UpdatePolicy']);
const DELETION_POLICIES = new Set(['Delete', 'Retain', 'RetainExceptOnCreate', 'Snapshot']);
const PSEUDO_PARAMETERS = new Set(['AWS::AccountId', 'AWS::NotificationARNs', 'AWS::NoValue', 'AWS::Partition', 'AWS::Region', 'AWS::StackId', 'AWS::StackName', 'AWS::URLSuffix']);

const isObject = (value: unknown): value is JsonObject => typeof value === 'object' && value !== null && !Array.isArray(value);

/** `{ Ref: … }` or `{ "Fn::…": … }`: its value is only known at deploy time. */
const intrinsicName = (value: unknown): string | undefined => {
  if (!isObject(value)) return undefined;
  const keys = Object.keys(value);
  return keys.length === 1 && (keys[0] === 'Ref' || keys[0]!.startsWith('Fn::')) ? keys[0] : undefined;
};

const describeValue = (value: Json | undefined): string =>
  value === undefined ? 'nothing' : value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`;

const typeName = (type: SpecType, spec: CfnSpec): string => {
  switch (type.type) {
    case 'ref': return spec.definition(type.reference)?.name ?? 'object';
    case 'array': return `list of ${typeName(type.element, spec)}`;
    case 'map': return `map of ${typeName(type.element, spec)}`;
    case 'union': return type.types.map((member) => typeName(member, spec)).join(' | ');
    default: return type.type;
  }
};

/** The JSON shape a spec type wants, to pick the union member a literal is meant to be. */
const shapeOf = (type: SpecType): 'scalar' | 'list' | 'object' | 'any' =>
  type.type === 'array' ? 'list'
    : type.type === 'ref' || type.type === 'map' || type.type === 'tag' ? 'object'
      : type.type === 'json' ? 'any'
        : 'scalar';
const shapeOfValue = (value: Json): 'scalar' | 'list' | 'object' => (Array.isArray(value) ? 'list' : isObject(value) ? 'object' : 'scalar');

export interface CheckOptions {
  /**
   * CloudFormation converts scalar literals where it can (a number or boolean where a string is wanted,
   * `"30"` for an integer, `"true"` for a boolean), so by default those pass, as they deploy; `strictScalars`
   * wants each literal of the spec's own JSON type. Lists and objects are never converted.
   */
  strictScalars?: boolean;
}

const INTEGER = /^[-+]?\d+$/;
const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/** Problems of a value against its spec type; intrinsics anywhere are accepted as they are. */
const checkValue = (value: Json, type: SpecType, path: string, spec: CfnSpec, options: CheckOptions, problems: CfnProblem[]): void => {
  if (intrinsicName(value)) return;
  const mismatch = () => problems.push({ kind: 'type-mismatch', path, message: `expected ${typeName(type, spec)}, found ${describeValue(value)}` });
  const lenient = !options.strictScalars;
  switch (type.type) {
    case 'string':
    case 'date-time':
      if (typeof value !== 'string' && !(lenient && (typeof value === 'number' || typeof value === 'boolean'))) return void mismatch();
      if (type.type === 'string' && type.allowedValues && !type.allowedValues.includes(String(value))) {
        problems.push({ kind: 'not-allowed-value', path, message: `${JSON.stringify(value)} is not one of ${type.allowedValues.join(', ')}` });
      }
      return;
    case 'integer': {
      const number = typeof value === 'number' ? value : lenient && typeof value === 'string' && INTEGER.test(value) ? Number(value) : Number.NaN;
      if (!Number.isInteger(number)) return void mismatch();
      if (type.allowedValues && !type.allowedValues.includes(number)) {
        problems.push({ kind: 'not-allowed-value', path, message: `${JSON.stringify(value)} is not one of ${type.allowedValues.join(', ')}` });
      }
      return;
    }
    case 'number':
      if (typeof value !== 'number' && !(lenient && typeof value === 'string' && NUMBER.test(value))) mismatch();
      return;
    case 'boolean':
      if (typeof value !== 'boolean' && !(lenient && (value === 'true' || value === 'false'))) mismatch();
      return;
    case 'null':
      if (value !== null) mismatch();
      return;
    case 'json':
      // Free-form JSON (a policy document, a body): an object, and for most such properties a JSON string too.
      return;
    case 'tag':
      if (!isObject(value)) return void mismatch();
      checkProperties(value, { Key: { required: true, type: { type: 'string' } }, Value: { required: true, type: { type: 'string' } } }, 'Tag', path, spec, options, problems);
      return;
    case 'array':
      if (!Array.isArray(value)) return void mismatch();
      value.forEach((element, index) => checkValue(element, type.element, `${path}[${index}]`, spec, options, problems));
      return;
    case 'map':
      if (!isObject(value)) return void mismatch();
      for (const [key, element] of Object.entries(value)) checkValue(element, type.element, `${path}.${key}`, spec, options, problems);
      return;
    case 'ref': {
      if (!isObject(value)) return void mismatch();
      const definition = spec.definition(type.reference);
      if (definition) checkProperties(value, definition.properties, definition.name, path, spec, options, problems);
      return;
    }
    case 'union': {
      // A literal is checked against the members of its own shape (a list against the list member...):
      // it passes if one of them accepts it; a free-form `json` member only covers shapes no member names.
      const shape = shapeOfValue(value);
      const candidates = type.types.filter((member) => shapeOf(member) === shape);
      if (candidates.length === 0) {
        if (!type.types.some((member) => member.type === 'json')) mismatch();
        return;
      }
      const attempts = candidates.map((member) => {
        const found: CfnProblem[] = [];
        checkValue(value, member, path, spec, options, found);
        return found;
      });
      if (attempts.some((found) => found.length === 0)) return;
      // None fits: report against the closest member (fewest problems).
      problems.push(...attempts.reduce((best, found) => (found.length < best.length ? found : best)));
    }
  }
};

const checkProperties = (
  value: JsonObject, properties: Record<string, SpecProperty>, owner: string, path: string, spec: CfnSpec, options: CheckOptions, problems: CfnProblem[],
): void => {
  for (const [name, property] of Object.entries(value)) {
    const declared = properties[name];
    if (!declared) {
      const near = Object.keys(properties).find((known) => known.toLowerCase() === name.toLowerCase());
      problems.push({ kind: 'unknown-property', path: `${path}.${name}`, message: `${owner} has no property ${name}${near ? ` (did you mean ${near}?)` : ''}` });
      continue;
    }
    checkValue(property, declared.type, `${path}.${name}`, spec, options, problems);
  }
  for (const [name, declared] of Object.entries(properties)) {
    if (declared.required && !(name in value)) {
      problems.push({ kind: 'missing-required', path, message: `${owner} requires ${name}` });
    }
  }
};

/** Every `Ref`, `Fn::GetAtt`, `Fn::Sub` variable and `Fn::If` condition in a value names something declared. */
const checkReferences = (template: JsonObject, spec: CfnSpec, problems: CfnProblem[]) => {
  const resources = isObject(template.Resources) ? template.Resources : {};
  const parameters = isObject(template.Parameters) ? template.Parameters : {};
  const conditions = isObject(template.Conditions) ? template.Conditions : {};
  const typeOf = (id: string) => (isObject(resources[id]) ? resources[id].Type : undefined);

  const ref = (target: Json, path: string, local: ReadonlySet<string> = new Set()) => {
    if (typeof target !== 'string') return; // Ref takes a literal name
    if (target in resources || target in parameters || PSEUDO_PARAMETERS.has(target) || local.has(target)) return;
    problems.push({ kind: 'dangling-ref', path, message: `Ref to ${target}, which is no resource, parameter or pseudo parameter` });
  };
  const getAtt = (id: string, attribute: Json | undefined, path: string) => {
    if (!(id in resources)) {
      problems.push({ kind: 'dangling-getatt', path, message: `Fn::GetAtt of ${id}, which is no resource` });
      return;
    }
    const type = typeOf(id);
    if (typeof attribute !== 'string' || typeof type !== 'string' || type.startsWith('Custom::') || type === 'AWS::CloudFormation::CustomResource') return;
    const known = spec.resource(type)?.attributes;
    if (known && !(attribute in known)) {
      problems.push({ kind: 'unknown-attribute', path, message: `${type} (${id}) has no attribute ${attribute}${Object.keys(known).length ? ` (it has ${Object.keys(known).join(', ')})` : ''}` });
    }
  };
  const sub = (text: Json, variables: Json | undefined, path: string) => {
    if (typeof text !== 'string') return;
    const local = new Set(isObject(variables) ? Object.keys(variables) : []);
    for (const [, name] of text.matchAll(/\$\{(?!!)([^}]+)\}/g)) {
      const dot = name!.indexOf('.');
      if (dot > 0 && !local.has(name!)) getAtt(name!.slice(0, dot), name!.slice(dot + 1), path);
      else ref(name!.trim(), path, local);
    }
  };
  const condition = (name: Json, path: string) => {
    if (typeof name === 'string' && !(name in conditions)) problems.push({ kind: 'dangling-condition', path, message: `condition ${name} is not declared in Conditions` });
  };

  const walk = (value: Json, path: string): void => {
    if (Array.isArray(value)) return value.forEach((element, index) => walk(element, `${path}[${index}]`));
    if (!isObject(value)) return;
    const intrinsic = intrinsicName(value);
    const argument = intrinsic ? value[intrinsic]! : undefined;
    if (intrinsic === 'Ref') ref(argument!, path);
    if (intrinsic === 'Fn::GetAtt') {
      // ["Id", "Attribute"] or "Id.Attribute" (an attribute name may hold dots itself).
      const dot = typeof argument === 'string' ? argument.indexOf('.') : -1;
      const [id, attribute] = typeof argument === 'string' ? (dot > 0 ? [argument.slice(0, dot), argument.slice(dot + 1)] : [argument, undefined])
        : Array.isArray(argument) ? [argument[0], argument[1]] : [undefined, undefined];
      if (typeof id === 'string') getAtt(id, attribute, path);
    }
    if (intrinsic === 'Fn::Sub') {
      if (Array.isArray(argument)) sub(argument[0]!, argument[1], path);
      else sub(argument!, undefined, path);
    }
    if (intrinsic === 'Fn::If' && Array.isArray(argument)) condition(argument[0]!, path);
    for (const [key, element] of Object.entries(value)) walk(element, `${path}.${key}`);
  };

  for (const [id, resource] of Object.entries(resources)) {
    if (!isObject(resource)) continue;
    const dependsOn = typeof resource.DependsOn === 'string' ? [resource.DependsOn] : Array.isArray(resource.DependsOn) ? resource.DependsOn : [];
    for (const target of dependsOn) {
      if (typeof target !== 'string' || !(target in resources) || target === id) {
        problems.push({ kind: 'dangling-depends-on', path: `Resources.${id}.DependsOn`, message: `DependsOn ${JSON.stringify(target)}, which is no other resource of the template` });
      }
    }
    if (resource.Condition !== undefined) condition(resource.Condition, `Resources.${id}.Condition`);
    for (const key of ['Properties', 'Metadata', 'CreationPolicy', 'UpdatePolicy']) {
      if (resource[key] !== undefined) walk(resource[key], `Resources.${id}.${key}`);
    }
  }
  if (isObject(template.Outputs)) {
    for (const [name, output] of Object.entries(template.Outputs)) {
      walk(output, `Outputs.${name}`);
      if (isObject(output) && output.Condition !== undefined) condition(output.Condition, `Outputs.${name}.Condition`);
    }
  }
  if (isObject(template.Conditions)) walk(template.Conditions, 'Conditions');
};

/** Every problem the spec can see in a template (an empty list when it found none). */
export const checkTemplate = (template: unknown, spec: CfnSpec, options: CheckOptions = {}): CfnProblem[] => {
  const problems: CfnProblem[] = [];
  if (!isObject(template)) return [{ kind: 'template', path: '', message: 'a template is a JSON object' }];
  for (const section of Object.keys(template)) {
    if (!SECTIONS.has(section)) problems.push({ kind: 'template', path: section, message: `${section} is no template section` });
  }
  if (!isObject(template.Resources) || Object.keys(template.Resources).length === 0) {
    problems.push({ kind: 'template', path: 'Resources', message: 'a template declares at least one resource' });
    return problems;
  }
  for (const [id, resource] of Object.entries(template.Resources)) {
    const path = `Resources.${id}`;
    if (!isObject(resource)) {
      problems.push({ kind: 'template', path, message: 'a resource is an object' });
      continue;
    }
    for (const key of Object.keys(resource)) {
      if (!RESOURCE_KEYS.has(key)) problems.push({ kind: 'template', path: `${path}.${key}`, message: `${key} is no resource attribute` });
    }
    for (const key of ['DeletionPolicy', 'UpdateReplacePolicy']) {
      const policy = resource[key];
      if (policy !== undefined && !intrinsicName(policy) && !(typeof policy === 'string' && DELETION_POLICIES.has(policy))) {
        problems.push({ kind: 'not-allowed-value', path: `${path}.${key}`, message: `${describeValue(policy)} is not one of ${[...DELETION_POLICIES].join(', ')}` });
      }
    }
    const { Type: type, Properties: properties = {} } = resource;
    if (typeof type !== 'string') {
      problems.push({ kind: 'template', path: `${path}.Type`, message: 'a resource has a Type' });
      continue;
    }
    if (!isObject(properties)) {
      problems.push({ kind: 'type-mismatch', path: `${path}.Properties`, message: `Properties is an object, found ${describeValue(properties)}` });
      continue;
    }
    if (type.startsWith('Custom::')) {
      if (!('ServiceToken' in properties)) problems.push({ kind: 'missing-required', path: `${path}.Properties`, message: `${type} requires ServiceToken` });
      continue;
    }
    const declared = spec.resource(type);
    if (!declared) {
      problems.push({ kind: 'unknown-type', path: `${path}.Type`, message: `${type} is no resource type of the CloudFormation specification` });
      continue;
    }
    checkProperties(properties, declared.properties, type, `${path}.Properties`, spec, options, problems);
  }
  checkReferences(template, spec, problems);
  return problems;
};
