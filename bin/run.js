#!/usr/bin/env node
// oclif entry point for the compiled plugin (lib/). `sf` itself does not use this file.
import { execute } from '@oclif/core';

await execute({ dir: import.meta.url });
