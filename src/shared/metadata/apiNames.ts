/*
 * Salesforce API (developer) names: letters, digits and underscores, starting with a letter, no
 * trailing or doubled underscore (the `__` is reserved for namespaces and suffixes).
 */
import { Messages } from '@salesforce/core';

Messages.importMessagesDirectoryFromMetaUrl(import.meta.url);
const messages = Messages.loadMessages('plugin-iamra', 'metadata');

const API_NAME = /^[A-Za-z](?:[A-Za-z0-9]|_(?!_))*$/;

/** Returns `name` or throws error.BadApiName naming `what` (a flag such as --principal) and the rule broken. */
export function checkApiName(name: string, what: string, maxLength = 80): string {
  const problem =
    name.length === 0
      ? 'it is empty'
      : name.length > maxLength
      ? `it is longer than ${maxLength} characters`
      : !/^[A-Za-z]/.test(name)
      ? 'it must start with a letter'
      : name.endsWith('_')
      ? 'it must not end with an underscore'
      : name.includes('__')
      ? 'it must not contain two underscores in a row'
      : !API_NAME.test(name)
      ? 'it may contain only letters, digits and underscores'
      : undefined;
  if (problem) {
    throw messages.createError('error.BadApiName', [what, name, problem]);
  }
  return name;
}

/** A readable label for a name the user chose ("My_Credential" -> "My Credential"). */
export function labelFromApiName(name: string): string {
  return name.replace(/_/g, ' ');
}
