/*
 * Metadata XML exactly as Salesforce's own tools write it: SDR 13's fast-xml-parser settings
 * (lib/src/convert/streams.js JsToXml), its XML declaration and namespace, child elements in
 * alphabetical order as a retrieve returns them. Same input, same bytes.
 */
import { XMLBuilder, XMLParser } from 'fast-xml-parser';

export const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';
export const METADATA_NAMESPACE = 'http://soap.sforce.com/2006/04/metadata';
const COMMENT_PROP = '#xml__comment';

const builder = new XMLBuilder({
  format: true,
  indentBy: '    ',
  ignoreAttributes: false,
  suppressBooleanAttributes: false,
  cdataPropName: '__cdata',
  commentPropName: COMMENT_PROP,
});

/** A metadata body: element name -> scalar, nested body, or repeated elements. */
export type XmlValue = string | number | boolean | XmlBody | XmlValue[];
export type XmlBody = { [element: string]: XmlValue | undefined };

/**
 * Serializes `body` under `<root xmlns="...">`. Keys are sorted at every level (undefined dropped);
 * `comment` becomes the root's first child.
 */
export function toMetadataXml(root: string, body: XmlBody, comment?: string): string {
  const rootContent: Record<string, unknown> = { '@_xmlns': METADATA_NAMESPACE };
  if (comment) rootContent[COMMENT_PROP] = ` ${comment} `;
  Object.assign(rootContent, sortElements(body));
  const built = String(builder.build({ [root]: rootContent }));
  return correctComments(XML_DECLARATION + keepNumericEntities(built));
}

function sortElements(value: XmlValue): unknown {
  if (Array.isArray(value)) return value.map(sortElements);
  if (typeof value !== 'object') return value;
  const sorted: Record<string, unknown> = {};
  for (const key of Object.keys(value).sort()) {
    const child = value[key];
    if (child !== undefined) sorted[key] = sortElements(child);
  }
  return sorted;
}

/** As SDR: the builder would escape the `&` of a numeric character reference. */
function keepNumericEntities(xml: string): string {
  return xml.replace(/&amp;#(x?[\da-fA-F]+);/g, '&#$1;');
}

/** As SDR: the builder puts newlines and indentation around comments, SDR removes them. */
function correctComments(xml: string): string {
  return xml.includes('<!--') ? xml.replace(/\s+<!--(.*?)-->\s+/g, '<!--$1-->') : xml;
}

const parser = new XMLParser({ ignoreAttributes: false, parseTagValue: false, commentPropName: COMMENT_PROP });

/** Parses metadata XML back into plain objects (all values as strings), for ownership checks and tests. */
export function parseMetadataXml(xml: string): Record<string, unknown> {
  return parser.parse(xml) as Record<string, unknown>;
}
