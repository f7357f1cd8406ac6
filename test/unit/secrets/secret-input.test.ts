import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecret } from '../../../engine/connections/secret-input.js';

const sink = () => {
  const out = new PassThrough();
  let text = '';
  out.on('data', (d: Buffer) => (text += d.toString()));
  return { out, text: () => text };
};

describe('readSecret', () => {
  it('reads a piped secret, dropping one trailing newline only', async () => {
    const err = sink();
    const secret = await readSecret({ stdin: Readable.from([Buffer.from('  s3cr3t with spaces  \n')]), stderr: err.out, isTTY: false }, 'clientSecret: ');
    expect(secret).toBe('  s3cr3t with spaces  ');
    expect(err.text()).toBe(''); // no prompt when piped
  });

  it('refuses an empty secret', async () => {
    await expect(readSecret({ stdin: Readable.from(['\n']), stderr: new PassThrough(), isTTY: false }, 'clientSecret: ')).rejects.toThrow(/no value given for clientSecret/);
  });

  it('prompts on a terminal without echoing what is typed', async () => {
    const stdin = Object.assign(new PassThrough(), {
      isRaw: false,
      modes: [] as boolean[],
      setRawMode(mode: boolean) {
        this.modes.push(mode);
        this.isRaw = mode;
        return this;
      },
    });
    const err = sink();
    const pending = readSecret({ stdin, stderr: err.out, isTTY: true }, 'clientSecret for sentinel-prod: ');
    stdin.write('hunter2x');
    stdin.write('\u007f'); // backspace
    stdin.write('!\r');
    expect(await pending).toBe('hunter2!');
    expect(stdin.modes).toEqual([true, false]);
    expect(err.text()).toBe('clientSecret for sentinel-prod: \n');
  });
});
