/*
 * Connect's named-credentials/credential resource in the simulated org, in process: the body must match
 * the external credential (protocol, variant, principal type), the AwsSv4 keys are an allowlist with their
 * encryption, and a refused body stores nothing.
 */
import { expect } from 'chai';
import { OrgState } from '../org/state.js';
import { credential } from './rest.js';

const ROLE = 'arn:aws:iam::123456789012:role/PartnerCrmRole';

function org(): OrgState {
  const state = new OrgState();
  state.externalCredentials.push({
    id: state.newId('ExternalCredential'),
    developerName: 'EC',
    label: 'EC',
    authenticationProtocol: 'AwsSv4',
    parameters: [
      { parameterName: 'AwsSv4', parameterType: 'AuthProtocolVariant', parameterValue: 'RolesAnywhere' },
      { parameterName: 'P', parameterType: 'NamedPrincipal', sequenceNumber: 1 },
      { parameterName: 'Sts', parameterType: 'AwsStsPrincipal' },
    ],
  });
  return state;
}

const good = (): Record<string, unknown> => ({
  externalCredential: 'EC',
  principalName: 'P',
  principalType: 'NamedPrincipal',
  authenticationProtocol: 'AwsSv4',
  authenticationProtocolVariant: 'RolesAnywhere',
  credentials: { awsRoleArn: { value: ROLE, encrypted: false } },
});

type Row = { name: string; change: (body: Record<string, unknown>) => void; status: number; message?: RegExp };

const rows: Row[] = [
  { name: 'the plugin\'s body', change: () => {}, status: 201 },
  { name: 'AwsStsPrincipal for the STS principal the credential declares', change: (b) => Object.assign(b, { principalName: 'Sts', principalType: 'AwsStsPrincipal' }), status: 201 },
  { name: 'protocol Oauth', change: (b) => (b.authenticationProtocol = 'Oauth'), status: 400, message: /must match the actual authentication protocol AwsSv4/ },
  { name: 'variant JwtBearer', change: (b) => (b.authenticationProtocolVariant = 'JwtBearer'), status: 400, message: /must match the actual protocol variant RolesAnywhere/ },
  { name: 'variant AwsSv4_STS', change: (b) => (b.authenticationProtocolVariant = 'AwsSv4_STS'), status: 400, message: /must match the actual protocol variant/ },
  { name: 'no variant', change: (b) => delete b.authenticationProtocolVariant, status: 400, message: /must match the actual protocol variant/ },
  { name: 'PerUserPrincipal for a named principal', change: (b) => (b.principalType = 'PerUserPrincipal'), status: 400, message: /P is a NamedPrincipal/ },
  { name: 'an unknown principal type', change: (b) => (b.principalType = 'Anonymous'), status: 400, message: /principalType must be one of/ },
  { name: 'an invented credential key', change: (b) => (b.credentials = { roleArn: { value: ROLE, encrypted: false } }), status: 400, message: /roleArn isn't valid for the AwsSv4/ },
  { name: 'awsRoleArn marked encrypted', change: (b) => (b.credentials = { awsRoleArn: { value: ROLE, encrypted: true } }), status: 400, message: /awsRoleArn must be unencrypted/ },
  { name: 'awsSecretAccessKey marked unencrypted', change: (b) => (b.credentials = { awsSecretAccessKey: { value: 'x', encrypted: false } }), status: 400, message: /must be encrypted/ },
];

describe('org simulator Connect credential rules (in process)', () => {
  for (const row of rows) {
    it(`${row.status < 300 ? 'stores' : 'refuses'}: ${row.name}`, () => {
      const state = org();
      const body = good();
      row.change(body);
      const answer = credential(state, 'POST', new URLSearchParams(), body, '62.0');
      expect(answer.status, JSON.stringify(answer.json)).to.equal(row.status);
      if (row.message) {
        expect((answer.json as Array<{ message: string }>)[0].message).to.match(row.message);
        expect(state.principalCredentials, 'nothing stored').to.have.length(0);
      } else {
        expect(state.principalCredentials).to.have.length(1);
      }
    });
  }
});
