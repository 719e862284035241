// Progress of `payrail import` on stderr: a bar redrawn in place on a terminal, plain lines
// otherwise (a CI log or a file gets one line per batch, no control characters).

export interface Progress {
  /** Starts a phase of `total` steps ("validating", "creating"). */
  start(label: string, total: number): void;
  /** One step done; `note` (a batch id) goes on the plain line. */
  step(note?: string): void;
  /** Ends the phase: the bar's line is finished. */
  end(): void;
}

const WIDTH = 30;

export function createProgress(stream: NodeJS.WriteStream): Progress {
  let label = '';
  let total = 0;
  let done = 0;
  const tty = stream.isTTY === true;
  const draw = () => {
    const filled = total === 0 ? WIDTH : Math.round((done / total) * WIDTH);
    stream.write(`\r\x1b[2K${label} [${'#'.repeat(filled)}${'-'.repeat(WIDTH - filled)}] ${done}/${total}`);
  };
  return {
    start(l, t) {
      label = l;
      total = t;
      done = 0;
      if (tty) draw();
    },
    step(note) {
      done += 1;
      if (tty) draw();
      else stream.write(`${label} ${done}/${total}${note ? ` ${note}` : ''}\n`);
    },
    end() {
      if (tty) stream.write('\n');
    },
  };
}

/** No output at all (a library caller, or tests of the run itself). */
export const silentProgress: Progress = { start() {}, step() {}, end() {} };
