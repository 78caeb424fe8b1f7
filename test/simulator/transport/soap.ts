/*
 * SOAP envelopes: reading a request's operation and arguments, writing responses and faults the way
 * Salesforce does (soapenv prefix, default namespace per API, HTTP 500 for faults).
 */
import { XMLParser } from 'fast-xml-parser';

const parser = new XMLParser({ ignoreAttributes: true, removeNSPrefix: true, parseTagValue: false, trimValues: true });

export type SoapRequest = { operation: string; args: Record<string, unknown>; sessionId?: string; headers: Record<string, unknown> };

export function parseSoap(body: string): SoapRequest {
  const doc = parser.parse(body) as { Envelope?: { Header?: Record<string, unknown>; Body?: Record<string, unknown> } };
  const soapBody = doc.Envelope?.Body ?? {};
  const [operation] = Object.keys(soapBody);
  const headers = doc.Envelope?.Header ?? {};
  const sessionHeader = headers.SessionHeader as { sessionId?: string } | undefined;
  return {
    operation: operation ?? '',
    args: (soapBody[operation] ?? {}) as Record<string, unknown>,
    sessionId: sessionHeader?.sessionId,
    headers,
  };
}

function escapeXml(value: string): string {
  return value.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** Object -> XML elements: arrays repeat the element, null becomes xsi:nil, undefined is left out. */
export function toXml(value: unknown, name: string): string {
  if (value === undefined) return '';
  if (Array.isArray(value)) return value.map((v) => toXml(v, name)).join('');
  if (value === null) return `<${name} xsi:nil="true"/>`;
  if (typeof value === 'object') {
    const inner = Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => toXml(v, k))
      .join('');
    return `<${name}>${inner}</${name}>`;
  }
  return `<${name}>${escapeXml(String(value))}</${name}>`;
}

export function soapEnvelope(namespace: string, operation: string, result: unknown, header = ''): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns="${namespace}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">` +
    (header ? `<soapenv:Header>${header}</soapenv:Header>` : '') +
    `<soapenv:Body><${operation}Response>${toXml(result, 'result')}</${operation}Response></soapenv:Body></soapenv:Envelope>`
  );
}

export function soapFault(code: string, message: string, namespace = 'http://soap.sforce.com/2006/04/metadata'): string {
  return (
    '<?xml version="1.0" encoding="UTF-8"?>' +
    `<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:sf="${namespace}">` +
    `<soapenv:Body><soapenv:Fault><faultcode>sf:${code}</faultcode><faultstring>${escapeXml(`${code}: ${message}`)}</faultstring>` +
    '</soapenv:Fault></soapenv:Body></soapenv:Envelope>'
  );
}
