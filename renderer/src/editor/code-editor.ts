/**
 * The query editor's interface, so the hunt editor does not care what draws
 * it: CodeMirror 6 (codemirror.ts, loaded on demand) or, if that cannot load,
 * a plain textarea with the same behaviour (Tab indents, Ctrl+Enter runs).
 */
export type QueryLanguage = 'kql' | 'tsql' | 'sql';
/** Table name -> column names, for completion in SQL hunts on a local connection. */
export type TableSchema = Record<string, string[]>;

export interface CodeEditorOptions {
  value: string;
  language: QueryLanguage;
  schema?: TableSchema;
  label: string;
  placeholder?: string;
  onChange(value: string): void;
  onRun(): void;
}

export interface CodeEditor {
  kind: 'codemirror' | 'textarea';
  setValue(value: string): void;
  setLanguage(language: QueryLanguage, schema?: TableSchema): void;
  focus(): void;
  destroy(): void;
}

export async function createCodeEditor(parent: HTMLElement, opts: CodeEditorOptions): Promise<CodeEditor> {
  try {
    const { createCodeMirror } = await import('./codemirror');
    return createCodeMirror(parent, opts);
  } catch (err) {
    console.warn('CodeMirror is unavailable, using a plain text area:', err);
    return createTextarea(parent, opts);
  }
}

export function createTextarea(parent: HTMLElement, opts: CodeEditorOptions): CodeEditor {
  const area = document.createElement('textarea');
  area.className = 'fallback-editor';
  area.value = opts.value;
  area.spellcheck = false;
  area.placeholder = opts.placeholder ?? '';
  area.setAttribute('aria-label', opts.label);
  area.dataset.testid = 'query-editor';
  area.addEventListener('input', () => opts.onChange(area.value));
  area.addEventListener('keydown', (e) => {
    if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') {
      e.preventDefault();
      e.stopPropagation();
      opts.onRun();
    } else if (e.key === 'Tab' && !e.shiftKey) {
      e.preventDefault();
      area.setRangeText('  ', area.selectionStart, area.selectionEnd, 'end');
      opts.onChange(area.value);
    }
  });
  parent.append(area);
  return {
    kind: 'textarea',
    setValue: (value) => void (area.value !== value && (area.value = value)),
    setLanguage: () => {},
    focus: () => area.focus(),
    destroy: () => area.remove(),
  };
}
