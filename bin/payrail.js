#!/usr/bin/env node
// The payrail command. TypeScript sources run through tsx's loader, so a fresh clone needs no
// build step: `npm install && npm start` is the whole setup.
import { register } from 'tsx/esm/api';

register();
// `payrail import` is an API client: it loads only its own modules (src/import/main.ts says why).
await import(process.argv[2] === 'import' ? '../src/import/main.ts' : '../src/cli/main.ts');
