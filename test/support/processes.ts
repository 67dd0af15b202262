import { ChildProcess, spawn } from 'node:child_process';
import * as path from 'node:path';

export const repoRoot = path.resolve(__dirname, '..', '..');

export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first output line matching pattern; rejects when the process ends first or time runs out. */
  waitForLine(pattern: RegExp, timeoutMs: number): Promise<string>;
  /** Resolves with the exit code (or the signal name). */
  exited(): Promise<number | string>;
}

/** Starts the compiled cli as `npm start` would, collecting its output. */
export function spawnCli(args: string[], env: Record<string, string>): Spawned {
  const child = spawn(process.execPath, [path.join(repoRoot, 'dist', 'apps', 'cli', 'src', 'main.js'), ...args], {
    env: { PATH: process.env.PATH ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return watchProcess(child);
}

/** A child process started with its stdout and stderr piped, its output collected. */
export function watchProcess(child: ChildProcess): Spawned {
  let text = '';
  const listeners = new Set<() => void>();
  const onData = (chunk: Buffer) => {
    text += chunk.toString('utf8');
    listeners.forEach((listener) => listener());
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exit = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    output: () => text,
    exited: () => exit,
    waitForLine: (pattern, timeoutMs) =>
      new Promise<string>((resolve, reject) => {
        const check = () => {
          const line = text.split('\n').find((l) => pattern.test(l));
          if (line !== undefined) {
            cleanup();
            resolve(line);
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${text.slice(-3000)}`));
        }, timeoutMs);
        const cleanup = () => {
          clearTimeout(timer);
          listeners.delete(check);
        };
        listeners.add(check);
        void exit.then((code) => {
          if (listeners.has(check)) {
            cleanup();
            reject(new Error(`process ended (${code}) before a line matching ${pattern}; output:\n${text.slice(-3000)}`));
          }
        });
        check();
      }),
  };
}
