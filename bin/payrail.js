#!/usr/bin/env node
// The payrail command. TypeScript sources run through tsx's loader, so a fresh clone needs no
// build step: `npm install && npm start` is the whole setup.
import { register } from 'tsx/esm/api';

register();
await import('../src/cli/main.ts');
