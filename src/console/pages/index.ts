// STUB (console-pages replaces it): overview, batches, payments, approvals, new batch upload,
// webhook endpoints, bank connections and files, users (admin), audit log.
import type { FastifyInstance } from 'fastify';
import type { ConsoleDeps } from '../index.ts';

export async function registerConsolePages(_app: FastifyInstance, _deps: ConsoleDeps): Promise<void> {}
