import { expect } from 'chai';
import { ARN, ROLE_NAME } from '../helpers/fixtures.js';
import { sfErrorOf } from '../metadata/world.js';
import { checkRolesAnywhereArns, parseArn, parseRolesAnywhereArn, rolesAnywhereKindOf } from '../../src/shared/aws/arn.js';

const { anchor: ANCHOR, profile: PROFILE, role: ROLE } = ARN;


describe('arn', () => {
  it('parses the fields of an ARN, keeping an IAM role path in resourceId', () => {
    expect(parseArn(' arn:aws:iam::123456789012:role/service-role/x ')).to.deep.equal({
      partition: 'aws',
      service: 'iam',
      region: '',
      accountId: '123456789012',
      resourceType: 'role',
      resourceId: 'service-role/x',
      text: 'arn:aws:iam::123456789012:role/service-role/x',
    });
    expect(rolesAnywhereKindOf(parseArn(ANCHOR))).to.equal('trustAnchorArn');
    expect(rolesAnywhereKindOf(parseArn(PROFILE))).to.equal('profileArn');
    expect(rolesAnywhereKindOf(parseArn(ROLE))).to.equal('roleArn');
    expect(rolesAnywhereKindOf(parseArn('arn:aws:s3:::bucket/key'))).to.equal(undefined);
  });

  it('accepts a valid set and reports region, account and partition of the trust anchor', () => {
    const set = checkRolesAnywhereArns({ trustAnchorArn: ANCHOR, profileArn: PROFILE, roleArn: ROLE });
    expect(set.region).to.equal('us-west-2');
    expect(set.accountId).to.equal('123456789012');
    expect(set.partition).to.equal('aws');
    expect(set.roleArn.resourceId).to.equal(ROLE_NAME);
  });

  it('accepts other regions and partitions (the region policy belongs to the caller)', () => {
    const gov = (arn: string): string => arn.replace('arn:aws:', 'arn:aws-us-gov:').replace('us-west-2', 'us-gov-west-1');
    const set = checkRolesAnywhereArns({ trustAnchorArn: gov(ANCHOR), profileArn: gov(PROFILE), roleArn: gov(ROLE) });
    expect(set.region).to.equal('us-gov-west-1');
    expect(set.partition).to.equal('aws-us-gov');
    expect(parseRolesAnywhereArn('roleArn', 'arn:aws-cn:iam::123456789012:role/a/b/c-d.e@f').resourceId).to.equal(
      'a/b/c-d.e@f'
    );
  });

  const refusals: Array<{ name: string; input: Partial<Record<string, string>>; error: string; mentions: string[] }> = [
    { name: 'not an ARN', input: { trustAnchorArn: 'trust-anchor/abc' }, error: 'MalformedArn', mentions: ['--trust-anchor-arn'] },
    { name: 'missing resource', input: { profileArn: 'arn:aws:rolesanywhere:us-west-2:123456789012' }, error: 'MalformedArn', mentions: ['--profile-arn'] },
    { name: 'swapped anchor/profile', input: { trustAnchorArn: PROFILE }, error: 'WrongArnKind', mentions: ['--trust-anchor-arn', 'rolesanywhere profile'] },
    { name: 'wrong service', input: { roleArn: 'arn:aws:sts::123456789012:assumed-role/x/y' }, error: 'WrongArnKind', mentions: ['--role-arn', 'sts assumed-role'] },
    { name: 'iam user, not role', input: { roleArn: 'arn:aws:iam::123456789012:user/bob' }, error: 'WrongArnKind', mentions: ['--role-arn'] },
    { name: 'unknown partition', input: { trustAnchorArn: ANCHOR.replace(':aws:', ':aws-iso:') }, error: 'UnsupportedPartition', mentions: ['aws-iso', 'aws-us-gov'] },
    { name: 'short account', input: { roleArn: 'arn:aws:iam::12345678901:role/x' }, error: 'BadAccountId', mentions: ['12345678901', '--role-arn'] },
    { name: 'regional IAM ARN', input: { roleArn: 'arn:aws:iam:us-west-2:123456789012:role/x' }, error: 'UnexpectedRegion', mentions: ['--role-arn'] },
    { name: 'anchor without region', input: { trustAnchorArn: ANCHOR.replace('us-west-2', '') }, error: 'BadRegion', mentions: ['--trust-anchor-arn'] },
    { name: 'empty role name', input: { roleArn: 'arn:aws:iam::123456789012:role/' }, error: 'BadResourceId', mentions: ['--role-arn'] },
    { name: 'account mismatch', input: { roleArn: 'arn:aws:iam::210987654321:role/x' }, error: 'AccountMismatch', mentions: ['--role-arn', '210987654321', '123456789012'] },
    { name: 'partition mismatch', input: { roleArn: 'arn:aws-cn:iam::123456789012:role/x' }, error: 'PartitionMismatch', mentions: ['--role-arn', 'aws-cn'] },
    { name: 'region mismatch', input: { profileArn: PROFILE.replace('us-west-2', 'us-east-1') }, error: 'RegionMismatch', mentions: ['us-east-1', 'us-west-2', '--profile-arn'] },
  ];
  for (const row of refusals) {
    it(`refuses ${row.name}`, () => {
      const input = { trustAnchorArn: ANCHOR, profileArn: PROFILE, roleArn: ROLE, ...row.input };
      const labels = { trustAnchorArn: '--trust-anchor-arn', profileArn: '--profile-arn', roleArn: '--role-arn' };
      const error = sfErrorOf(() => checkRolesAnywhereArns(input, labels));
      expect(error.name).to.equal(`${row.error}Error`);
      for (const text of row.mentions) expect(error.message).to.include(text);
      expect(error.actions ?? []).to.not.be.empty;
    });
  }
});
