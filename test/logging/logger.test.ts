// Credentials never reach a log line, at any depth (review of issue #18, point 2): pino's redact
// paths covered only the top level and one level down.
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { CREDENTIAL_FIELDS, createLogger, formatLogLine, redactLogLine } from '../../src/logger.ts';

const SECRET = 'sk_live_do_not_log_me';

/** A logger of the real configuration, writing into an array of lines. */
function capture() {
  const lines: string[] = [];
  const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
  return { logger: createLogger('info', sink), lines };
}

describe('the logger redacts credentials wherever they are', () => {
  it('at the top level, one level down, and deeper', () => {
    const { logger, lines } = capture();
    logger.info({ client_secret: SECRET }, 'top');
    logger.info({ body: { client_secret: SECRET } }, 'one down');
    logger.info({ request: { body: { form: { client_secret: SECRET } } } }, 'three down');
    logger.info({ req: { headers: { authorization: `Basic ${SECRET}` } } }, 'headers');
    logger.info({ keys: [{ kid: 'k1', private_jwk: { d: SECRET } }] }, 'in an array');
    assert.equal(lines.length, 5);
    for (const line of lines) {
      assert.ok(!line.includes(SECRET), line);
      assert.match(line, /\[redacted\]/);
    }
    assert.equal(JSON.parse(lines[2]!).request.body.form.client_secret, '[redacted]');
  });

  it("in a child logger's bindings and in an error's own properties", () => {
    const { logger, lines } = capture();
    logger.child({ context: { auth: { secret: SECRET } } }).info('child');
    logger.error({ err: Object.assign(new Error('token call failed'), { config: { headers: { Authorization: `Bearer ${SECRET}` } } }) }, 'error');
    assert.equal(lines.length, 2);
    for (const line of lines) assert.ok(!line.includes(SECRET), line);
  });

  it('every credential field name, in any case', () => {
    for (const field of CREDENTIAL_FIELDS) {
      for (const name of [field, field.toUpperCase()]) {
        const line = redactLogLine(`${JSON.stringify({ a: { b: { [name]: SECRET } } })}\n`);
        assert.ok(!line.includes(SECRET), `${name}: ${line}`);
      }
    }
  });

  it('leaves everything else as it was, byte for byte', () => {
    const line = `${JSON.stringify({ level: 30, msg: 'a secret-free line', clientId: 'cl_1', secretId: 'x' })}\n`;
    assert.equal(redactLogLine(line), line);
    const { logger, lines } = capture();
    logger.info({ batchId: 'b_1', nested: { keep: 'me' } }, 'plain');
    assert.deepEqual(JSON.parse(lines[0]!).nested, { keep: 'me' });
  });
});

describe('on a terminal the lines are readable; elsewhere JSON', () => {
  it('formatLogLine: time, level, message, then the fields; an error with its stack below', () => {
    const time = Date.UTC(2026, 2, 10, 11, 28, 3, 123);
    const line = JSON.stringify({
      level: 30,
      time,
      service: 'payrail',
      api: 'http://127.0.0.1:8080',
      role: 'all',
      n: 2,
      text: 'two words',
      msg: 'payrail is listening',
    });
    assert.equal(formatLogLine(`${line}\n`), '11:28:03.123 INFO  payrail is listening  api=http://127.0.0.1:8080 role=all n=2 text="two words"\n');
    const error = formatLogLine(JSON.stringify({ level: 50, time, msg: 'failed', err: { type: 'Error', message: 'boom', stack: 'Error: boom\n    at x' } }));
    assert.equal(error, '11:28:03.123 ERROR failed\n    Error: boom\n        at x\n');
    assert.equal(formatLogLine('not json\n'), 'not json\n');
  });

  it('a credential is redacted before the line is formatted', () => {
    assert.ok(!formatLogLine(redactLogLine(JSON.stringify({ level: 30, msg: 'x', deep: { client_secret: SECRET } }))).includes(SECRET));
  });

  // util-linux's `script` gives the process a pseudo-terminal as standard output.
  it(
    'the process logger writes readable lines to a terminal',
    { skip: existsSync('/usr/bin/script') ? false : 'needs util-linux script (a pseudo-terminal)' },
    () => {
      const program = `import('./src/logger.ts').then((m) => m.createLogger('info').info({ client_secret: '${SECRET}', n: 2 }, 'hello'))`;
      const out = execFileSync('/usr/bin/script', ['-qec', `node --import tsx -e "${program}"`, '/dev/null'], {
        cwd: new URL('../..', import.meta.url),
        encoding: 'utf8',
        timeout: 60_000,
      });
      assert.match(out, /^\d\d:\d\d:\d\d\.\d{3} INFO {2}hello {2}client_secret=\[redacted\] n=2\r?\n$/);
    },
  );
});
