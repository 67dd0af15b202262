// The machine-readable result every benchmark prints as its last line, which bench/run-all.mjs
// collects into bench/RESULTS.md. It is one JSON object on a line of its own, so that
// `node bench/x.mjs | tail -1` gives it for a benchmark run alone too.
//
// A result: { benchmark, title, size, command, description, figures: [figure] }, where a figure is
//   { what, value, unit, target?, met?, reference? }
// `target` is the goal an issue set, in words ("p95 < 50 ms"), and `met` whether this run met it;
// a figure without a target leaves both out. `reference` is what the same run measured to compare
// against (ogr2ogr, the query it replaced), in words with its figure.

/** Rounds to `digits` decimals; benchmarks report figures as they mean them, not to the nanosecond. */
export const round = (value, digits = 1) => Number(value.toFixed(digits));

/** Milliseconds since a process.hrtime.bigint() reading. */
export const msSince = (since) => Number(process.hrtime.bigint() - since) / 1e6;

/** Prints the result line; call it once, last. */
export function printResult(result) {
  for (const key of ['benchmark', 'title', 'size', 'command', 'description']) {
    if (typeof result[key] !== 'string' || !result[key]) throw new Error(`bench result: ${key} is missing`);
  }
  for (const figure of result.figures) {
    if (typeof figure.what !== 'string' || typeof figure.value !== 'number' || !Number.isFinite(figure.value)) {
      throw new Error(`bench result ${result.benchmark}: a figure needs what and a finite value, got ${JSON.stringify(figure)}`);
    }
    if ((figure.target === undefined) !== (figure.met === undefined)) {
      throw new Error(`bench result ${result.benchmark}: "${figure.what}" needs both target and met, or neither`);
    }
  }
  console.log(JSON.stringify(result));
}

/** The result in a benchmark's standard output: the last line that is a JSON object naming a benchmark. */
export function parseResult(stdout) {
  const lines = stdout.split('\n');
  for (let i = lines.length - 1; i >= 0; i--) {
    const line = lines[i].trim();
    if (!line.startsWith('{')) continue;
    try {
      const parsed = JSON.parse(line);
      if (typeof parsed.benchmark === 'string' && Array.isArray(parsed.figures)) return parsed;
    } catch {
      // Another line that only looks like JSON (a log line cut short); keep looking.
    }
  }
  return null;
}
