// The README is where a reader of a fresh clone starts: its first lines say how to start and test
// payrail, its "Documentation" list links every page of docs/, and no link in it or in docs/
// leads outside the repository's files (the contract documents in ../shared are not in a clone).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const DOCS = readdirSync(join(ROOT, 'docs'))
  .filter((f) => f.endsWith('.md'))
  .sort();
const PAGES = ['README.md', ...DOCS.map((f) => `docs/${f}`)];

/** The relative link targets of a markdown text (`[text](target)`), without their `#anchor`. */
function relativeLinks(markdown: string): string[] {
  return [...markdown.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((m) => m[1]!)
    .filter((t) => !/^[a-z]+:/.test(t) && !t.startsWith('#'))
    .map((t) => t.split('#')[0]!);
}

describe('README and docs/ links', () => {
  it('starts with how to start and how to test', () => {
    const firstBlock = /```sh\n([\s\S]*?)```/.exec(README)?.[1] ?? '';
    const commands = firstBlock
      .split('\n')
      .map((l) => l.split('#')[0]!.trim())
      .filter(Boolean);
    assert.deepEqual(commands, ['npm install && npm start', 'npm install && npm test']);
  });

  it('lists every page of docs/ under "Documentation", before the walk-through', () => {
    assert.ok(DOCS.length >= 10, `docs/ has only ${DOCS.length} pages`);
    const start = README.indexOf('\n## Documentation\n');
    assert.ok(start > 0, 'the README has no "## Documentation" section');
    const section = README.slice(start, README.indexOf('\n## ', start + 1));
    const missing = DOCS.filter((f) => !section.includes(`](docs/${f})`));
    assert.deepEqual(missing, []);
    assert.ok(start < README.indexOf('\n## Walk-through'), 'the Documentation list comes before the walk-through');
  });

  it('has no link to ../shared and no link to a file that is not there', () => {
    for (const page of PAGES) {
      const text = readFileSync(join(ROOT, page), 'utf8');
      assert.ok(!text.includes('../shared'), `${page} refers to ../shared, which is not in a clone`);
      const broken = relativeLinks(text).filter((target) => target !== '' && !existsSync(join(ROOT, dirname(page), target)));
      assert.deepEqual(broken, [], `${page} links to files that do not exist`);
    }
  });
});
