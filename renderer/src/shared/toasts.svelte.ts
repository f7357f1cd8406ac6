export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

let nextId = 1;

/** Short-lived messages in the corner: what just happened, or what failed and why. */
class Toasts {
  list = $state<Toast[]>([]);

  show(text: string, kind: Toast['kind'] = 'info', ms = kind === 'error' ? 8000 : 4000): void {
    const id = nextId++;
    this.list.push({ id, kind, text });
    setTimeout(() => this.dismiss(id), ms);
  }

  dismiss(id: number): void {
    this.list = this.list.filter((t) => t.id !== id);
  }
}

export const toasts = new Toasts();
