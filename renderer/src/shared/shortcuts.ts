/**
 * Keyboard shortcuts that mean different things on different screens
 * (Ctrl+Enter runs the hunt in the editor, re-runs it in the run view): the
 * screen on show registers its handler, App's one keydown listener calls it.
 */
export type ShortcutAction = 'run';

const handlers = new Map<ShortcutAction, () => void>();

export function onShortcut(action: ShortcutAction, handler: () => void): () => void {
  handlers.set(action, handler);
  return () => {
    if (handlers.get(action) === handler) handlers.delete(action);
  };
}

export function triggerShortcut(action: ShortcutAction): boolean {
  const h = handlers.get(action);
  h?.();
  return Boolean(h);
}
