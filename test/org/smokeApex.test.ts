import { readFileSync } from 'node:fs';
import { expect } from 'chai';
import {
  diagnoseCalloutException,
  interpretSmokeResult,
  renderSmokeApex,
  roleArnOf,
} from '../../src/shared/org/smokeApex.js';
import { SMOKE_APEX_PATH } from '../../src/shared/org/smokeTest.js';

const stsOk = `<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:sts::123456789012:assumed-role/PartnerCrmRole/salesforce-session</Arn>
    <UserId>AROAEXAMPLE:salesforce-session</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
</GetCallerIdentityResponse>`;

const thrown = (payload: object, prefix = 'SmokeResult: '): { compiled: boolean; success: boolean; exceptionMessage: string } => ({
  compiled: true,
  success: false,
  exceptionMessage: `${prefix}SMOKE::${JSON.stringify(payload)}`,
});

describe('smoke test Apex (pure core)', () => {
  const template = readFileSync(SMOKE_APEX_PATH, 'utf8');

  it('renders the shipped Apex file whole (comments too: SOAP is a POST) with the named credential in the callout URL', () => {
    const apex = renderSmokeApex(template, 'My_Credential');
    expect(apex).to.include("req.setEndpoint('callout:My_Credential/?Action=GetCallerIdentity&Version=2011-06-15')");
    expect(apex.split('callout:').length).to.equal(2);
    expect(apex.replace('callout:My_Credential/', 'callout:APN_API_Connection/')).to.equal(template);
    expect(apex).to.include("throw new SmokeResult('SMOKE::'");
  });

  for (const bad of ["X'); delete [select id from User]; //", 'has space', '1abc', 'trailing_', 'a__b__c']) {
    it(`refuses to substitute a non-API name: ${bad}`, () => {
      expect(() => renderSmokeApex(template, bad)).to.throw(/Not a named credential API name/);
    });
  }

  it('refuses a template without exactly one callout URL (a broken shipped file is our bug)', () => {
    expect(() => renderSmokeApex('System.debug(1);', 'APN_API_Connection')).to.throw(/exactly one/);
  });

  it('passes on HTTP 200 with the assumed role, whatever prefix the platform puts before the marker', () => {
    for (const prefix of ['SmokeResult: ', 'SmokeResult:', '']) {
      const outcome = interpretSmokeResult(thrown({ status: 200, body: stsOk }, prefix));
      expect(outcome).to.deep.include({
        passed: true,
        httpStatus: 200,
        assumedRoleArn: 'arn:aws:sts::123456789012:assumed-role/PartnerCrmRole/salesforce-session',
        roleArn: 'arn:aws:iam::123456789012:role/PartnerCrmRole',
        account: '123456789012',
      });
    }
  });

  const table: Array<{ name: string; input: Parameters<typeof interpretSmokeResult>[0]; diagnosis: string; status?: number }> = [
    { name: 'compile failure', input: { compiled: false, success: false, compileProblem: 'Unexpected token', line: 3, column: 1 }, diagnosis: 'ApexCompileFailure' },
    { name: 'no exception thrown', input: { compiled: true, success: true, exceptionMessage: null }, diagnosis: 'NoMarker' },
    { name: 'marker with broken JSON', input: { compiled: true, success: false, exceptionMessage: 'SmokeResult: SMOKE::{oops' }, diagnosis: 'NoMarker' },
    { name: '403 AccessDenied from STS', input: thrown({ status: 403, body: '<ErrorResponse><Error><Code>AccessDenied</Code></Error></ErrorResponse>' }), diagnosis: 'AwsAccessDenied', status: 403 },
    { name: 'S3 answering', input: thrown({ status: 400, body: '<?xml version="1.0"?><Error><Code>InvalidArgument</Code><Message>x</Message></Error>' }), diagnosis: 'NamedCredentialOnS3', status: 400 },
    { name: '200 that is not STS', input: thrown({ status: 200, body: '<ListAllMyBucketsResult/>' }), diagnosis: 'NamedCredentialOnS3', status: 200 },
    { name: '500 from AWS', input: thrown({ status: 500, body: 'oops' }), diagnosis: 'UnexpectedStatus', status: 500 },
    {
      name: 'no principal access',
      input: { compiled: true, success: false, exceptionMessage: 'System.CalloutException: We couldn\'t access the credential(s). You might not have the required permissions, or the external credential "X" might not exist.' },
      diagnosis: 'PermissionSetNotAssigned',
    },
  ];
  for (const row of table) {
    it(`diagnoses ${row.name} as ${row.diagnosis}`, () => {
      const outcome = interpretSmokeResult(row.input);
      expect(outcome.passed).to.equal(false);
      expect(outcome.diagnosis).to.equal(row.diagnosis);
      expect(outcome.httpStatus).to.equal(row.status);
    });
  }

  it('maps CalloutException texts to causes (role ARN before principal access)', () => {
    expect(diagnoseCalloutException('The principal IAMAW_Principal has no IAM role ARN. Add the awsRoleArn credential')).to.equal('RoleArnMissing');
    expect(diagnoseCalloutException("The certificate iamra used to sign the request doesn't exist.")).to.equal('CertificateProblem');
    expect(diagnoseCalloutException('You must have the Customize Application permission to make callouts')).to.equal('MissingCustomizeApplication');
    expect(diagnoseCalloutException('Read timed out')).to.equal('CalloutFailed');
  });

  it('derives the IAM role from an assumed-role ARN, including other partitions', () => {
    expect(roleArnOf('arn:aws-us-gov:sts::123456789012:assumed-role/R/s')).to.equal('arn:aws-us-gov:iam::123456789012:role/R');
    expect(roleArnOf('arn:aws:iam::123456789012:user/u')).to.equal(undefined);
  });
});
