// A live one-line progress display on stderr (rewritten in place on a terminal, one line per
// update otherwise so CI logs stay readable).

export interface Progress {
  status(line: string): void;
  note(line: string): void;
  done(): void;
}

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  const tty = stream.isTTY === true;
  let last = '';
  return {
    status(line) {
      if (line === last) return;
      last = line;
      if (tty) stream.write(`\r\x1b[2K${line.slice(0, (stream.columns ?? 120) - 1)}`);
      else stream.write(`${line}\n`);
    },
    note(line) {
      stream.write(tty ? `\r\x1b[2K${line}\n` : `${line}\n`);
    },
    done() {
      if (tty) stream.write('\r\x1b[2K');
    },
  };
}

export const silentProgress: Progress = { status: () => undefined, note: () => undefined, done: () => undefined };
