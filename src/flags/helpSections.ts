/*
 * The ENVIRONMENT VARIABLES and ERROR CODES help sections, through sf-plugins-core's toHelpSection as
 * core commands show them; each command lists the ones it reads or returns.
 */
import { Messages } from '@salesforce/core';
import { toHelpSection } from '@salesforce/sf-plugins-core';
import { KEY_PASSPHRASE_ENV, KEYSTORE_PASSWORD_ENV } from '../shared/keystore/constants.js';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'helpSections');

const ENV = {
  keyPassphrase: { [KEY_PASSPHRASE_ENV]: messages.getMessage(`env.${KEY_PASSPHRASE_ENV}`) },
  keystorePassword: { [KEYSTORE_PASSWORD_ENV]: messages.getMessage(`env.${KEYSTORE_PASSWORD_ENV}`) },
  proxy: { HTTPS_PROXY: messages.getMessage('env.HTTPS_PROXY') },
};

export const secretEnvSection = toHelpSection('ENVIRONMENT VARIABLES', ENV.keyPassphrase, ENV.keystorePassword);
export const keystorePasswordEnvSection = toHelpSection('ENVIRONMENT VARIABLES', ENV.keystorePassword);
/** Commands that call IAM Roles Anywhere (aws verify, credential-process, configure --preflight). */
export const rolesAnywhereEnvSection = toHelpSection('ENVIRONMENT VARIABLES', ENV.keyPassphrase, ENV.keystorePassword, ENV.proxy);

const code = (n: number): Record<string, string> => ({ [String(n)]: messages.getMessage(`errorCodes.${n}`) });
export const basicErrorCodes = toHelpSection('ERROR CODES', code(0), code(1));
/**
 * configure and deploy: not core's 68 and 69, because a failed or expired deploy is cancelled and undone
 * (src/shared/configure/stages.ts), never left partial or running.
 */
export const deployErrorCodes = toHelpSection('ERROR CODES', code(0), { 1: messages.getMessage('errorCodes.1.deploy') }, code(130));
