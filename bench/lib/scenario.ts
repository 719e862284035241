// What a scenario is and what it reports: rows of the results table (payrail's figure, the
// reference measured beside it, their ratio, the target and whether it is met) and notes.

/** One line of the results table. */
export interface Row {
  scenario: string;
  payrail: string;
  reference: string;
  ratio: string;
  target: string;
  /** undefined: no target for this row. */
  met?: boolean;
}

export interface ScenarioResult {
  rows: Row[];
  /** Details worth keeping beside the table (settings, peak RSS, warnings). */
  notes: string[];
  /** Headline numbers by name, for later scenarios of the same run (e.g. the SQLite end-to-end rate). */
  figures?: Record<string, number>;
}

export interface ScenarioContext {
  /** Smaller sizes and shorter runs: checks that the scenario works, not a measurement. */
  quick: boolean;
  /** Figures of the scenarios run before this one in the same `npm run bench`. */
  earlier: Record<string, Record<string, number>>;
  /** Progress, on stderr (stdout carries the report). */
  log(line: string): void;
}

export interface Scenario {
  name: string;
  title: string;
  run(ctx: ScenarioContext): Promise<ScenarioResult>;
}

/** A results table in markdown. */
export function toMarkdown(rows: readonly Row[]): string {
  const mark = (r: Row) => (r.met === undefined ? r.target : `${r.target} ${r.met ? '✅' : '❌'}`);
  return [
    '| scenario | payrail | reference run beside it | ratio | target |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((r) => `| ${r.scenario} | ${r.payrail} | ${r.reference} | ${r.ratio} | ${mark(r)} |`),
  ].join('\n');
}

/** "0.42×" */
export function times(ratio: number): string {
  return `${ratio >= 10 ? ratio.toFixed(0) : ratio.toFixed(2)}×`;
}
