// A node:test reporter that records what did not run: every skipped suite and test (a skipped
// suite once, not its tests), one JSON line each with its file, name and reason. The spec
// reporter's "skipped" counts only tests, so a suite skipped for want of PostgreSQL showed as
// "skipped 0"; scripts/run-tests.mjs reads these lines and prints the real summary.
import { relative } from 'node:path';

export default async function* skipReporter(source) {
  for await (const event of source) {
    if (event.type !== 'test:pass' && event.type !== 'test:fail') continue;
    const { skip, name, file } = event.data;
    if (skip === undefined || skip === false) continue;
    const reason = typeof skip === 'string' && skip !== '' ? skip : 'no reason given';
    yield `${JSON.stringify({ file: file ? relative(process.cwd(), file) : '?', name, suite: event.data.details?.type === 'suite', reason })}\n`;
  }
}
