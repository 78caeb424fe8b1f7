import { Messages, SfProject } from '@salesforce/core';
import { Flags, SfCommand } from '@salesforce/sf-plugins-core';
import { SERVICES } from '../../shared/metadata/constants.js';
import { credentialSetFlags, credentialSetInputFromFlags } from '../../flags/credentialSet.js';
import { deployFlags, planFlags, planOptionsFromFlags } from '../../flags/deploy.js';
import { deployIamra, type IamraDeployResult } from '../../shared/org/deployService.js';
import { failDisplay } from '../../formatters/deployReporter.js';
import { configureListener } from '../../formatters/configureReporter.js';
import { trapInterruptions } from '../../shared/configure/configure.js';
import { stageDisplay } from '../../formatters/stageDisplay.js';
import { deployErrorCodes } from '../../flags/helpSections.js';
import { withDescriptions } from '../../flags/describe.js';
import { requireArnSources } from '../../flags/aws.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'iamra.deploy');

export type IamraDeployCommandResult = IamraDeployResult;

const summary = (flag: string): string => messages.getMessage(`flags.${flag}.summary`);

export default class IamraDeploy extends SfCommand<IamraDeployCommandResult> {
  public static readonly summary = messages.getMessage('summary');
  public static readonly description = messages.getMessage('description');
  public static readonly examples = messages.getMessages('examples');
  public static readonly errorCodes = deployErrorCodes;

  public static readonly flags = withDescriptions(messages, {
    ...deployFlags,
    ...planFlags,
    service: Flags.option({ summary: summary('service'), options: SERVICES, default: 'sts' as const })(),
    ...credentialSetFlags,
  });

  public async run(): Promise<IamraDeployCommandResult> {
    const { flags } = await this.parse(IamraDeploy);
    requireArnSources(flags);
    // Resolved here, not by requiresProject, so that outside a project --json still answers JSON (as deploy start).
    const project = await SfProject.resolve();
    const org = flags['target-org'];
    const display = await stageDisplay(this, messages.getMessage('display.title'));
    const interrupted = trapInterruptions((signal) => this.logToStderr(messages.getMessage('interrupting', [signal])));
    const result = await deployIamra({
      org,
      connection: org.getConnection(flags['api-version']),
      project,
      metadata: { ...credentialSetInputFromFlags(flags), service: flags.service },
      ...planOptionsFromFlags(flags),
      interrupted,
      listener: configureListener(this, display),
    }).catch(failDisplay(display));
    display.done();
    this.printResult(result, flags.service);
    return result;
  }

  private printResult(result: IamraDeployResult, wanted: string): void {
    if (result.dryRun) {
      for (const c of result.plan?.conflicts ?? []) this.warn(messages.getMessage('plan.conflict', [c.type, c.fullName, c.diff.join('\n')]));
      this.log(messages.getMessage('done.dryRun', [wanted]));
      return;
    }
    if (result.deploy) {
      this.table({
        data: result.deploy.components.map((c) => ({ state: c.state, fullName: c.fullName, type: c.type, path: c.filePath ?? '' })),
        columns: ['state', { key: 'fullName', name: 'Name' }, 'type', { key: 'path', name: 'Path' }],
        title: messages.getMessage('done.deployed', [result.deploy.id]),
      });
    }
    if (result.nothingToChange) this.log(messages.getMessage('done.nothing'));
    if (result.principalCredential) {
      const c = result.principalCredential;
      this.log(messages.getMessage('done.credential', [c.principalName, c.roleArn, c.action]));
    }
    if (result.permissionSet) {
      const p = result.permissionSet;
      const names = (list: Array<{ username: string }>): string => list.map((a) => a.username).join(', ') || messages.getMessage('done.none');
      this.log(messages.getMessage('done.assigned', [p.permissionSet, names(p.created), names(p.alreadyAssigned)]));
    }
    this.logSuccess(messages.getMessage('done.success', [result.service ?? wanted]));
  }
}
