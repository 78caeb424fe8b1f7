#!/usr/bin/env -S node --loader ts-node/esm --no-warnings=ExperimentalWarning
// oclif entry point that runs the TypeScript sources directly.
import { execute } from '@oclif/core';

await execute({ development: true, dir: import.meta.url });
