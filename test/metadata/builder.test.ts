/*
 * The generated set, parsed back and checked against a structural spec of each type: required
 * elements, allowed parameter types, the principal-access format; plus the STS/S3 difference.
 */
import { expect } from 'chai';
import { buildCredentialSet, principalAccessName, serviceEndpoint, type MetadataFile } from '../../src/shared/metadata/builder.js';
import {
  AUTH_PROTOCOL_VARIANT,
  CONNECTOR_NAMESPACE,
  GENERATED_MARKER,
  INFERRED_SHAPE,
  type InferredShape,
} from '../../src/shared/metadata/constants.js';
import { parseMetadataXml } from '../../src/shared/metadata/xml.js';
import { ARN } from '../helpers/fixtures.js';
import { exampleSpec } from './world.js';

type Element = Record<string, unknown>;

/** What each type must hold; allowed values of parameterType per the Metadata API docs we rely on. */
const STRUCTURE: Record<string, { root: string; required: string[]; parameters?: string; allowedParameterTypes?: string[] }> = {
  ExternalCredential: {
    root: 'ExternalCredential',
    required: ['authenticationProtocol', 'label', 'externalCredentialParameters'],
    parameters: 'externalCredentialParameters',
    allowedParameterTypes: ['AuthProtocolVariant', 'AuthParameter', 'SigningCertificate', 'NamedPrincipal', 'AwsStsPrincipal', 'AuthProviderUrlQueryParameter'],
  },
  NamedCredential: {
    root: 'NamedCredential',
    required: ['label', 'namedCredentialType', 'calloutStatus', 'namedCredentialParameters'],
    parameters: 'namedCredentialParameters',
    allowedParameterTypes: ['Url', 'Authentication', 'ClientCertificate', 'AllowedManagedPackageNamespaces'],
  },
  PermissionSet: { root: 'PermissionSet', required: ['label', 'externalCredentialPrincipalAccesses'] },
};

function rootOf(file: MetadataFile): Element {
  const root = STRUCTURE[file.type]?.root ?? Object.keys(parseMetadataXml(file.content)).find((k) => k !== '?xml')!;
  const doc = parseMetadataXml(file.content);
  expect(doc, file.relativePath).to.have.property(root);
  const element = doc[root] as Element;
  expect(element['@_xmlns']).to.equal('http://soap.sforce.com/2006/04/metadata');
  return element;
}

const list = (value: unknown): Element[] => (Array.isArray(value) ? (value as Element[]) : [value as Element]);

function parameter(element: Element, listName: string, parameterName: string): Element {
  const found = list(element[listName]).find((p) => p.parameterName === parameterName);
  expect(found, `${listName} ${parameterName}`).to.not.equal(undefined);
  return found!;
}

describe('metadata builder', () => {
  const files = buildCredentialSet(exampleSpec());
  const byType = (type: string): MetadataFile => files.find((f) => f.type === type)!;

  it('builds the three components at their source-format paths, each marked as ours', () => {
    expect(files.map((f) => [f.type, f.fullName, f.relativePath])).to.deep.equal([
      ['ExternalCredential', 'AWS_IAM_Anywhere_Credential', 'externalCredentials/AWS_IAM_Anywhere_Credential.externalCredential-meta.xml'],
      ['NamedCredential', 'APN_API_Connection', 'namedCredentials/APN_API_Connection.namedCredential-meta.xml'],
      ['PermissionSet', 'APN_Roles_Anywhere_Access', 'permissionsets/APN_Roles_Anywhere_Access.permissionset-meta.xml'],
    ]);
    for (const file of files) expect(file.content).to.include(GENERATED_MARKER);
  });

  for (const [type, spec] of Object.entries(STRUCTURE)) {
    it(`${type}: required elements present, parameter types allowed, elements in alphabetical order`, () => {
      const element = rootOf(byType(type));
      for (const name of spec.required) expect(element, name).to.have.property(name);
      if (spec.parameters) {
        for (const p of list(element[spec.parameters])) {
          expect(spec.allowedParameterTypes).to.include(p.parameterType);
          expect(p.parameterName, 'parameterName').to.be.a('string').and.not.equal('');
          expect(Object.keys(p)).to.deep.equal([...Object.keys(p)].sort());
        }
      }
      expect(String(element.description).length, 'description fits 255 characters').to.be.at.most(255);
      expect(String(element.label).length, 'label fits 80 characters').to.be.at.most(80);
      const keys = Object.keys(element).filter((k) => !k.startsWith('@_'));
      expect(keys).to.deep.equal([...keys].sort());
    });
  }

  it('ExternalCredential carries the Roles Anywhere settings and the named principal', () => {
    const ec = rootOf(byType('ExternalCredential'));
    expect(ec.authenticationProtocol).to.equal('AwsSv4');
    expect(ec.label).to.equal('AWS IAM Anywhere Credential');
    const p = (name: string): Element => parameter(ec, 'externalCredentialParameters', name);
    expect(p(AUTH_PROTOCOL_VARIANT.parameterName)).to.include({ parameterType: 'AuthProtocolVariant', parameterValue: 'RolesAnywhere' });
    expect(p('AwsService').parameterValue).to.equal('sts');
    expect(p('AwsRegion').parameterValue).to.equal('us-west-2');
    expect(p('AwsAccountId').parameterValue).to.equal('123456789012');
    expect(p('AwsTrustAnchorArn').parameterValue).to.equal(ARN.anchor);
    expect(p('AwsProfileArn').parameterValue).to.equal(ARN.profile);
    expect(p('AwsStsDuration').parameterValue).to.equal('3600');
    expect(p('SigningCertificate')).to.include({ parameterType: 'SigningCertificate', certificate: 'iamra' });
    expect(p('IAMAW_Principal')).to.include({ parameterType: 'NamedPrincipal', parameterGroup: 'IAMAW_Principal', sequenceNumber: '1' });
    expect(ec).to.not.have.property('principal'); // removed in API 58
    expect(byType('ExternalCredential').content).to.not.include(ARN.role);
  });

  it('NamedCredential is a SecuredEndpoint for the awsapn namespace through the external credential', () => {
    const nc = rootOf(byType('NamedCredential'));
    expect(nc).to.include({
      label: 'APN API Connection',
      namedCredentialType: 'SecuredEndpoint',
      calloutStatus: 'Enabled',
      generateAuthorizationHeader: 'true',
      allowMergeFieldsInBody: 'false',
      allowMergeFieldsInHeader: 'false',
    });
    const p = (name: string): Element => parameter(nc, 'namedCredentialParameters', name);
    expect(p('Url')).to.include({ parameterType: 'Url', parameterValue: 'https://sts.us-west-2.amazonaws.com' });
    expect(p('ExternalCredential')).to.include({ parameterType: 'Authentication', externalCredential: 'AWS_IAM_Anywhere_Credential' });
    expect(p('ClientCertificate')).to.include({ parameterType: 'ClientCertificate', certificate: 'iamra' });
    expect(p('AllowedManagedPackageNamespaces').parameterValue).to.equal(CONNECTOR_NAMESPACE);
  });

  it('PermissionSet holds only the principal access, as <ExternalCredential>-<Principal>', () => {
    const ps = rootOf(byType('PermissionSet'));
    const accesses = list(ps.externalCredentialPrincipalAccesses);
    expect(accesses).to.deep.equal([{ enabled: 'true', externalCredentialPrincipal: 'AWS_IAM_Anywhere_Credential-IAMAW_Principal' }]);
    expect(accesses[0].externalCredentialPrincipal).to.match(/^[A-Za-z]\w*-[A-Za-z]\w*$/);
    const permissionElements = Object.keys(ps).filter((k) => /Accesses$|Permissions$|Visibilities$|Settings$/.test(k));
    expect(permissionElements).to.deep.equal(['externalCredentialPrincipalAccesses']);
    expect(principalAccessName({ externalCredential: 'A', principal: 'B' })).to.equal('A-B');
  });

  it('STS and S3 stages differ in exactly the service and the URL', () => {
    const s3 = buildCredentialSet(exampleSpec({ service: 's3' }));
    const changedLines: string[] = [];
    files.forEach((file, index) => {
      const a = file.content.split('\n');
      const b = s3[index].content.split('\n');
      expect(b.length).to.equal(a.length);
      a.forEach((line, i) => {
        if (line !== b[i]) changedLines.push(`${line.trim()} -> ${b[i].trim()}`);
      });
    });
    expect(changedLines).to.deep.equal([
      '<parameterValue>sts</parameterValue> -> <parameterValue>s3</parameterValue>',
      '<parameterValue>https://sts.us-west-2.amazonaws.com</parameterValue> -> <parameterValue>https://s3.us-west-2.amazonaws.com</parameterValue>',
    ]);
    expect(serviceEndpoint('s3', 'cn-north-1', 'aws-cn')).to.equal('https://s3.cn-north-1.amazonaws.com.cn');
  });

  it('is deterministic and threads name overrides through every reference', () => {
    expect(buildCredentialSet(exampleSpec())).to.deep.equal(files);
    const spec = exampleSpec();
    spec.names = { ...spec.names, externalCredential: 'My_Cred', principal: 'My_Principal', signingCertificate: 'mycert' };
    const custom = buildCredentialSet(spec);
    expect(custom[0].relativePath).to.equal('externalCredentials/My_Cred.externalCredential-meta.xml');
    expect(custom[1].content).to.include('<externalCredential>My_Cred</externalCredential>');
    expect(custom[1].content).to.include('<certificate>mycert</certificate>');
    expect(custom[2].content).to.include('<externalCredentialPrincipal>My_Cred-My_Principal</externalCredentialPrincipal>');
  });

  it('adds the self-signed certificate and IdentityProvider settings only when asked', () => {
    const withIdp = buildCredentialSet(
      exampleSpec({ identityProvider: { certificate: 'idp_cert', certificateLabel: 'IdP Cert', certificatePem: 'PEM\n' } })
    );
    const extra = withIdp.slice(files.length);
    expect(extra.map((f) => [f.type, f.fullName, f.relativePath])).to.deep.equal([
      ['Certificate', 'idp_cert', 'certs/idp_cert.crt'],
      ['Certificate', 'idp_cert', 'certs/idp_cert.crt-meta.xml'],
      ['Settings', 'IdentityProvider', 'settings/IdentityProvider.settings-meta.xml'],
    ]);
    const cert = rootOf(extra[1]);
    expect(cert).to.include({ caSigned: 'false', masterLabel: 'IdP Cert', keySize: '2048' });
    const settings = parseMetadataXml(extra[2].content).IdentityProviderSettings as Element;
    expect(settings).to.include({ certificateName: 'idp_cert', enableIdentityProvider: 'true' });
    expect(extra[1].content).to.include(GENERATED_MARKER);
    expect(extra[2].content).to.include(GENERATED_MARKER);
  });

  it('keeps every [inferred] detail switchable in one place (INFERRED_SHAPE), each switch reaching its element', () => {
    const ec = (shape: Partial<InferredShape>): Element => rootOf(buildCredentialSet(exampleSpec({ shape }))[0]);
    const nc = (shape: Partial<InferredShape>): Element => rootOf(buildCredentialSet(exampleSpec({ shape }))[1]);
    expect(INFERRED_SHAPE).to.deep.equal({
      variantValue: 'RolesAnywhere',
      stsDurationParameterType: 'AuthParameter',
      signingCertificateInParameterValue: false,
      namedCredentialClientCertificate: true,
      awsStsPrincipal: false,
    });
    expect(parameter(ec({ variantValue: 'AwsSv4_STS' }), 'externalCredentialParameters', 'AwsSv4').parameterValue).to.equal('AwsSv4_STS');
    expect(parameter(ec({ stsDurationParameterType: 'AuthProviderUrlQueryParameter' }), 'externalCredentialParameters', 'AwsStsDuration').parameterType).to.equal(
      'AuthProviderUrlQueryParameter'
    );
    expect(parameter(ec({ signingCertificateInParameterValue: true }), 'externalCredentialParameters', 'SigningCertificate')).to.include({
      certificate: 'iamra',
      parameterValue: 'iamra',
    });
    expect(list(ec({ awsStsPrincipal: true }).externalCredentialParameters).map((p) => p.parameterType)).to.include('AwsStsPrincipal');
    expect(list(ec({}).externalCredentialParameters).map((p) => p.parameterType)).to.not.include('AwsStsPrincipal');
    expect(list(nc({ namedCredentialClientCertificate: false }).namedCredentialParameters).map((p) => p.parameterType)).to.not.include(
      'ClientCertificate'
    );
  });
});
