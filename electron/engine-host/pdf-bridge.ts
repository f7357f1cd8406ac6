/**
 * The engine process has no Chromium of its own to print with: it sends the
 * report HTML to main ({ type: 'print-pdf' }), which prints it in a hidden,
 * script-less window and answers ({ type: 'pdf' }) with the bytes or an error.
 */
export interface PrintRequest {
  type: 'print-pdf';
  id: number;
  html: string;
}
export interface PrintAnswer {
  type: 'pdf';
  id: number;
  data?: Uint8Array;
  error?: string;
}

export function isPrintAnswer(msg: unknown): msg is PrintAnswer {
  return typeof msg === 'object' && msg !== null && (msg as { type?: unknown }).type === 'pdf' && typeof (msg as { id?: unknown }).id === 'number';
}

export function pdfRequests(post: (msg: PrintRequest) => void, timeoutMs = 60_000): { print(html: string): Promise<Buffer>; receive(msg: unknown): boolean } {
  let nextId = 1;
  const waiting = new Map<number, { resolve(b: Buffer): void; reject(e: Error): void; timer: ReturnType<typeof setTimeout> }>();
  return {
    print(html) {
      return new Promise((resolve, reject) => {
        const id = nextId++;
        const timer = setTimeout(() => {
          waiting.delete(id);
          reject(new Error('printing the PDF took too long'));
        }, timeoutMs);
        waiting.set(id, { resolve, reject, timer });
        post({ type: 'print-pdf', id, html });
      });
    },
    /** Handles main's answer; false for any other message. */
    receive(msg) {
      if (!isPrintAnswer(msg)) return false;
      const w = waiting.get(msg.id);
      if (!w) return true;
      waiting.delete(msg.id);
      clearTimeout(w.timer);
      if (msg.data) w.resolve(Buffer.from(msg.data));
      else w.reject(new Error(msg.error ?? 'printing the PDF failed'));
      return true;
    },
  };
}
