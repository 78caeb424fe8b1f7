/*
 * A deploy zip's files -> typed metadata components, plus the schema problems the org's XML parser reports
 * (unknown element, missing required element, value outside its enum, element too new / removed for the
 * package's API version).
 */
import { XMLParser } from 'fast-xml-parser';
import type { ExternalCredentialParameter } from '../org/state.js';
import { FOLDERS, SCHEMAS, type TypeSchema } from './metadataSchema.js';
import { inferredMessages } from './inferred.js';

export type XmlNode = { [element: string]: XmlValue[] };
type XmlValue = string | XmlNode;

export type DeployComponent = {
  type: string;
  fullName: string;
  /** Metadata-format path of the main file, as Salesforce names it in component results. */
  fileName: string;
  files: Record<string, Buffer>;
  /** Parsed root of the XML file (of the -meta.xml for certificates); undefined for unchecked types. */
  xml?: XmlNode;
  problems: string[];
};

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  trimValues: true,
  isArray: () => true,
  ignoreDeclaration: true,
});

export function text(node: XmlNode | undefined, element: string): string | undefined {
  const value = node?.[element]?.[0];
  return typeof value === 'string' ? value : value === undefined ? undefined : '';
}

export function nodes(node: XmlNode | undefined, element: string): XmlNode[] {
  return (node?.[element] ?? []).map((v) => (typeof v === 'string' ? {} : v));
}

/** Group a Metadata-API-format zip's files (package.xml excluded) into components. */
export function componentsOf(files: Record<string, Buffer>, apiVersion: number): DeployComponent[] {
  const byKey = new Map<string, DeployComponent>();
  for (const [path, content] of Object.entries(files)) {
    const [folder, ...rest] = path.split('/');
    if (rest.length === 0 || path.endsWith('/')) continue;
    const name = rest.join('/');
    const [type, suffix] = FOLDERS[folder] ?? [folder, ''];
    const base = name.replace(/-meta\.xml$/, '');
    const fullName = suffix && base.endsWith(suffix) ? base.slice(0, -suffix.length) : base.replace(/\.[^.]+$/, '');
    const key = `${type}:${fullName}`;
    const component = byKey.get(key) ?? { type, fullName, fileName: `${folder}/${base}`, files: {}, problems: [] };
    component.files[path] = content;
    byKey.set(key, component);
  }
  for (const component of byKey.values()) parseComponent(component, apiVersion);
  return [...byKey.values()];
}

function parseComponent(component: DeployComponent, apiVersion: number): void {
  const xmlPath =
    component.type === 'Certificate'
      ? Object.keys(component.files).find((p) => p.endsWith('-meta.xml'))
      : Object.keys(component.files).find((p) => !p.endsWith('-meta.xml')) ?? Object.keys(component.files)[0];
  const schemaName = component.type === 'Settings' ? `${component.fullName}Settings` : component.type;
  const schema = SCHEMAS[schemaName];
  if (!schema) return;
  if (!xmlPath) {
    component.problems.push(`${component.type} ${component.fullName}: the -meta.xml file is missing`);
    return;
  }
  let doc: XmlNode;
  try {
    doc = parser.parse(component.files[xmlPath].toString('utf8'), true) as XmlNode;
  } catch (error) {
    component.problems.push(`Error parsing file: ${(error as Error).message}`);
    return;
  }
  const root = nodes(doc, schema.root)[0] as XmlNode | undefined;
  if (!root) {
    const found = Object.keys(doc)[0] ?? 'nothing';
    component.problems.push(inferredMessages.badElement(found, component.type));
    return;
  }
  component.xml = root;
  if (schema.since !== undefined && apiVersion < schema.since) {
    component.problems.push(inferredMessages.typeTooNew(component.type, schema.since));
    return;
  }
  component.problems.push(...schemaProblems(root, schema, schema.root, apiVersion));
}

function schemaProblems(node: XmlNode, schema: Omit<TypeSchema, 'root'>, typeName: string, apiVersion: number): string[] {
  const problems: string[] = [];
  for (const element of Object.keys(node)) {
    const tooNew = schema.minApi?.[element] !== undefined && apiVersion < schema.minApi[element];
    const removed = schema.removedAt?.[element] !== undefined && apiVersion >= schema.removedAt[element];
    if (!schema.elements.includes(element) || tooNew || removed) {
      problems.push(inferredMessages.badElement(element, typeName));
      continue;
    }
    const [enumName, allowed] = schema.enums?.[element] ?? [];
    if (enumName && allowed) {
      for (const value of node[element]) {
        if (typeof value === 'string' && !allowed.includes(value)) problems.push(inferredMessages.badEnum(value, enumName));
      }
    }
    const childSchema = schema.children?.[element];
    if (childSchema) {
      const childType = `${typeName[0].toUpperCase()}${typeName.slice(1)}${element[0].toUpperCase()}${element.slice(1)}`;
      for (const child of nodes(node, element)) problems.push(...schemaProblems(child, childSchema, childType, apiVersion));
    }
  }
  for (const element of schema.required) {
    if (!(element in node) || text(node, element) === '') problems.push(inferredMessages.requiredMissing(element, typeName));
  }
  return problems;
}

// ---- typed views used by the rules and by apply ----

export function externalCredentialParameters(xml: XmlNode | undefined): ExternalCredentialParameter[] {
  return nodes(xml, 'externalCredentialParameters').map((p) => ({
    parameterName: text(p, 'parameterName') ?? '',
    parameterType: text(p, 'parameterType') ?? '',
    parameterValue: text(p, 'parameterValue'),
    parameterGroup: text(p, 'parameterGroup'),
    sequenceNumber: text(p, 'sequenceNumber') === undefined ? undefined : Number(text(p, 'sequenceNumber')),
    certificate: text(p, 'certificate'),
  }));
}

export type NamedCredentialParameterView = {
  parameterName: string;
  parameterType: string;
  parameterValue?: string;
  externalCredential?: string;
  certificate?: string;
};

export function namedCredentialParameters(xml: XmlNode | undefined): NamedCredentialParameterView[] {
  return nodes(xml, 'namedCredentialParameters').map((p) => ({
    parameterName: text(p, 'parameterName') ?? '',
    parameterType: text(p, 'parameterType') ?? '',
    parameterValue: text(p, 'parameterValue'),
    externalCredential: text(p, 'externalCredential'),
    certificate: text(p, 'certificate'),
  }));
}

export function principalAccesses(xml: XmlNode | undefined): Array<{ enabled: boolean; principal: string }> {
  return nodes(xml, 'externalCredentialPrincipalAccesses').map((a) => ({
    enabled: text(a, 'enabled') === 'true',
    principal: text(a, 'externalCredentialPrincipal') ?? '',
  }));
}
